// HAR files (devtools "Save all as HAR", or one entry copied "as HAR"), as JSON.parse reads them;
// members are looked up as own properties only.
import { invalid } from '../common.js';
import { count, debugString, percentEncode } from './text.js';


const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const own = Object.prototype.hasOwnProperty;
/** `v[key]` of a JSON value: undefined unless `v` is an object with that own member. */
const get = (v, key) => (isObject(v) && own.call(v, key) ? v[key] : undefined);
const str = (v) => (typeof v === 'string' ? v : null);
/** A whole number from 0, or null. */
const whole = (v) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null);

/** The entries of a HAR (`log.entries`), or of one entry copied on its own; null for JSON that is no HAR. */
export function harEntries(v) {
  if (!isObject(v)) return null;
  if (own.call(v, 'log')) {
    const entries = get(v.log, 'entries');
    if (!Array.isArray(entries)) {
      throw invalid('the HAR file has no log.entries array: save the HAR again from the Network tab');
    }
    if (entries.length === 0) {
      throw invalid('the HAR file has no entries (log.entries is empty): record the refused request '
        + 'in the Network tab of devtools, then save the HAR again');
    }
    return entries;
  }
  return isObject(get(v, 'request')) && isObject(get(v, 'response')) ? [v] : null;
}

export function harExchange(entries, pick) {
  const n = entries.length;
  const status = (e) => whole(get(get(e, 'response'), 'status'));
  let index;
  if (pick == null) {
    index = n - 1;
    for (let k = n - 1; k >= 0; k--) {
      const s = status(entries[k]);
      if (s === 401 || s === 403) {
        index = k;
        break;
      }
    }
  } else if (pick.index !== undefined) {
    if (pick.index >= n) {
      throw invalid(`the HAR file has ${count(n, 'entry', 'entries')}; there is no entry ${pick.index} (entries count from 0)`);
    }
    index = pick.index;
  } else {
    index = entries.findIndex((e) => str(get(get(e, 'request'), 'url'))?.includes(pick.url));
    if (index < 0) {
      throw invalid(`no entry of the HAR file (${count(n, 'entry', 'entries')}) has a request URL containing ${debugString(pick.url)}`);
    }
  }
  return harEntry(entries[index], index);
}

function harPairs(v) {
  if (!Array.isArray(v)) return [];
  const out = [];
  for (const h of v) {
    const name = str(get(h, 'name'));
    if (name !== null) out.push([name, str(get(h, 'value')) ?? '']);
  }
  return out;
}


/** Standard base64 with canonical padding (ASCII whitespace ignored) as bytes; null when it is not. */
function b64Decode(text) {
  const t = text.replace(/[ \t\n\f\r]/g, '');
  if (t.length % 4 !== 0 || !/^[A-Za-z0-9+/]*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(t)) return null;
  const value = (c) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.indexOf(c);
  // The bits after the last byte must be zero.
  if (t.endsWith('==') && (value(t[t.length - 3]) & 15) !== 0) return null;
  if (!t.endsWith('==') && t.endsWith('=') && (value(t[t.length - 2]) & 3) !== 0) return null;
  const bin = atob(t);
  const bytes = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) bytes[k] = bin.charCodeAt(k);
  return bytes;
}

function harEntry(e, i) {
  const missing = (what) => invalid(`entry ${i} of the HAR file has no ${what}`);
  let request = null;
  const r = get(e, 'request');
  if (isObject(r)) {
    const method = str(get(r, 'method'));
    if (method === null) throw missing('request.method');
    const url = str(get(r, 'url'));
    if (url === null) throw missing('request.url');
    const post = get(r, 'postData');
    let body = str(get(post, 'text'));
    const params = get(post, 'params');
    if (body === null && Array.isArray(params)) {
      const parts = [];
      for (const p of params) {
        const name = str(get(p, 'name'));
        if (name !== null) parts.push(`${percentEncode(name)}=${percentEncode(str(get(p, 'value')) ?? '')}`);
      }
      body = parts.join('&');
    }
    request = { method, url, headers: harPairs(get(r, 'headers')), body: body === '' ? null : body };
  } else if (r !== undefined) throw missing('request object');
  let response = null;
  const res = get(e, 'response');
  if (isObject(res)) {
    const content = get(res, 'content');
    let body = str(get(content, 'text'));
    if (body !== null && get(content, 'encoding') === 'base64') {
      const bytes = b64Decode(body);
      if (bytes === null) {
        throw invalid(`entry ${i} of the HAR file has a response.content.text marked base64 that is not base64`);
      }
      body = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    }
    // Browsers record 0 for a request that got no answer.
    const s = whole(get(res, 'status'));
    response = {
      status: s !== null && s >= 100 && s < 1000 ? s : null,
      headers: harPairs(get(res, 'headers')),
      body: body === '' ? null : body,
    };
  }
  if (request === null && response === null) throw missing('request and no response');
  return { request, response };
}
