// explain(input): why a server refused a request.
import { callJson, json, now, object, optNumber, optString, opts, readBody, readHeaders, str, typeError } from './common.js';
import { parseExchangeText, wellFormed } from './exchange/index.js';
import { rsaKeyValue } from './key_forms.js';

export function explainApi(raw) {
  /** Explains a refused request: `{ scheme, cause, causes, summary, fix, client, server, diff, tried }`. */
  function explain(input) {
    const i = object(input, 'explain takes an object: { request, response, baseUrl?, credentials?, now? } '
      + '(or the flat { message, method, url, baseUrl?, body?, token?, authorization?, baseString?, signedUrl? })');
    if (i.request != null || i.response != null) {
      const side = (r, what) => {
        if (r == null) return undefined;
        object(r, `${what} must be an object`);
        const body = r.body == null ? undefined : typeof r.body === 'string' ? r.body
          : r.body instanceof Uint8Array ? new TextDecoder().decode(r.body) : json(r.body, `${what}.body`);
        return { ...r, headers: readHeaders(r.headers, `${what}.headers`), body };
      };
      const c = i.credentials == null ? undefined : object(i.credentials, 'credentials must be an object');
      // Keys in any form (PEM text or bytes, JWK, KeyObject, extractable CryptoKey), as text.
      const keyText = (k, what) => {
        const v = rsaKeyValue(k, what);
        return v == null || typeof v === 'string' ? v : json(v, what);
      };
      const credentials = c && { ...c, privateKey: keyText(c.privateKey, 'credentials.privateKey'),
        publicKey: keyText(c.publicKey, 'credentials.publicKey') };
      const at = i.now == null ? undefined : now(i);
      return callJson(raw.__explain, json({ ...i, request: side(i.request, 'request'), response: side(i.response, 'response'), credentials, now: at }, 'input'));
    }
    return callJson(raw.__explain, json({ ...i, body: readBody(i.body, 'body') }, 'input'));
  }
  /**
   * A pasted exchange as explain's input: `curl -v` output, a `curl ...` command followed by the
   * response, raw HTTP request and response text, or a HAR file (options: `entry`, the index of
   * the HAR entry, or `url`, text its URL contains; by default the last refused one).
   */
  function parseExchange(text, options) {
    str(text, 'text');
    const o = opts(options);
    const entry = optNumber(o, 'entry');
    const url = optString(o, 'url');
    let pick = null;
    if (entry !== undefined) {
      if (!(entry >= 0 && Number.isInteger(entry))) throw typeError('entry must be a whole number from 0');
      // The WebAssembly core read it as a 32-bit index; an index past every paste is the same.
      pick = { index: Math.min(entry, 0xffffffff) };
    } else if (url !== undefined) pick = { url: wellFormed(url) };
    return parseExchangeText(text, pick);
  }

  return { explain, parseExchange };
}
