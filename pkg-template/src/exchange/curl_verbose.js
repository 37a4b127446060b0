// `curl -v` output.
import { invalid } from '../common.js';
import { commandRequest, curlStart, parseCurl } from './curl.js';
import {
  absoluteTarget, asciiLower, bodyOf, findHeader, hostPort, isBlank, joinUrl, requestLine, splitHeader, statusLine,
  trimStart,
} from './text.js';

const INFO = 'info';
const OUT = 'out';
const IN = 'in';
const DATA = 'data';
const TEXT = 'text';

/**
 * What a line of the output is: [kind, the rest]. `* ...` info, `> ...` sent, `< ...` received,
 * `{ [n bytes data]` / `} [...]` data, anything else text (a body line, a progress meter, the command).
 */
function mark(line) {
  if (line === '*') return [INFO, ''];
  if (line.startsWith('* ')) return [INFO, line.slice(2)];
  if (line === '>') return [OUT, ''];
  if (line.startsWith('> ')) return [OUT, line.slice(2)];
  if (line === '<') return [IN, ''];
  if (line.startsWith('< ')) return [IN, line.slice(2)];
  if (line.startsWith('{ [') || line.startsWith('} [')) return [DATA, ''];
  return [TEXT, ''];
}

/** A line only `curl -v` writes: a request line after `> `, a status line after `< `, or its connection lines. */
export function isCurlVerboseLine(line) {
  const [kind, r] = mark(line);
  if (kind === OUT) return requestLine(r) !== null;
  if (kind === IN) return statusLine(r) !== null;
  if (kind === INFO) {
    const t = trimStart(r);
    return t.startsWith('Trying ') || t.startsWith('Connected to ') || t.startsWith('Could not resolve host')
      || t.startsWith('Failed to connect');
  }
  return false;
}

/** `Connected to HOST (IP) port N`: [host, port or null], or null. */
function connectedTo(info) {
  const t = trimStart(info);
  if (!t.startsWith('Connected to ')) return null;
  const rest = t.slice(13);
  const sp = rest.indexOf(' ');
  const host = sp < 0 ? rest : rest.slice(0, sp);
  const k = rest.indexOf(' port ');
  let port = null;
  if (k >= 0) {
    const digits = /^[0-9]*/.exec(rest.slice(k + 6))[0];
    if (digits !== '' && Number(digits) <= 65535) port = Number(digits);
  }
  return [host, port];
}

const GLUED = ['* Connection #', '* Closing connection'];

export function curlVerbose(text, lines) {
  let firstMark = lines.findIndex((l) => mark(l.text)[0] !== TEXT);
  if (firstMark < 0) firstMark = lines.length;
  // A curl command pasted above the output gives the scheme and the request body; the output is
  // the evidence, so a command that cannot be read is passed over.
  let command = null;
  for (let k = 0; k < firstMark; k++) {
    const o = curlStart(lines[k].text);
    if (o < 0) continue;
    try {
      command = parseCurl(text.slice(lines[k].start + o))[0];
    } catch {
      command = null;
    }
    break;
  }

  const fresh = () => ({ request: null, response: null });
  const exchanges = [];
  let current = fresh();
  let conn = { host: null, port: null, tls: false };
  let saw443 = false;
  let phase = 'other';
  for (let n = firstMark; n < lines.length; n++) {
    let line = lines[n].text;
    if ((phase === 'body' || phase === 'headers-in') && mark(line)[0] === TEXT) {
      // A body without a final line break runs into curl's next info line.
      let glued = -1;
      for (const m of GLUED) {
        const k = line.indexOf(m);
        if (k >= 0 && (glued < 0 || k < glued)) glued = k;
      }
      current.response?.body.push(glued < 0 ? line : line.slice(0, glued));
      phase = 'body';
      if (glued < 0) continue;
      line = line.slice(glued);
    }
    const [kind, r] = mark(line);
    if (kind === INFO) {
      const to = connectedTo(r);
      if (to !== null) conn = { host: to[0], port: to[1], tls: false };
      if (r.includes('TLS') || r.includes('SSL') || r.includes('ALPN')) conn.tls = true;
      if (r.includes('port 443') || r.includes(':443')) saw443 = true;
      if (phase === 'body') phase = 'other';
    } else if (kind === OUT) {
      const rl = requestLine(r);
      if (rl !== null) {
        exchanges.push(current);
        current = fresh();
        current.request = { method: rl[0], target: rl[1], headers: [], conn: { ...conn } };
        phase = 'headers-out';
      } else if (phase === 'headers-out') {
        if (isBlank(r)) phase = 'other';
        else {
          const h = splitHeader(r);
          if (h !== null && current.request !== null) current.request.headers.push(h);
        }
      }
    } else if (kind === IN) {
      const status = statusLine(r);
      if (status !== null) {
        const prev = current.response;
        const replace = prev === null || (prev.status !== null && prev.status < 200);
        if (!replace) {
          exchanges.push(current);
          current = fresh();
        }
        current.response = { status, headers: [], body: [] };
        phase = 'headers-in';
      } else if (phase === 'headers-in') {
        if (isBlank(r)) phase = 'body';
        else {
          const h = splitHeader(r);
          if (h !== null && current.response !== null) current.response.headers.push(h);
        }
      }
    }
  }
  exchanges.push(current);
  let kept = exchanges.filter((e) => e.request !== null || e.response !== null);
  if (kept.length === 0) {
    throw invalid('the curl -v output shows no request (`> ` lines) and no response (`< ` lines): '
      + 'the connection failed before anything was sent, or those lines were not pasted');
  }
  // The CONNECT of a proxy tunnel is not the request that was refused.
  const isConnect = (e) => e.request !== null && asciiLower(e.request.method) === 'connect';
  if (kept.some((e) => !isConnect(e))) kept = kept.filter((e) => !isConnect(e));

  return kept.map((e, k) => {
    let request = null;
    if (e.request !== null) {
      // curl -v does not print the body it sends: the command above shows it.
      let body = null;
      if (k === 0 && command !== null) {
        body = command.body;
        command.body = null;
      }
      request = verboseRequest(e.request, command, saw443, body);
    } else if (k === 0 && command !== null) {
      const c = command;
      command = null;
      request = commandRequest(c);
    }
    const response = e.response === null ? null
      : { status: e.response.status, headers: e.response.headers, body: bodyOf(e.response.body) };
    return { request, response };
  });
}

function verboseRequest(r, command, saw443, body) {
  let hostHeader = findHeader(r.headers, ':authority') ?? findHeader(r.headers, 'host');
  if (hostHeader === '') hostHeader = null;
  const commandUrl = command !== null && command.url !== null ? splitSchemeAuthority(command.url) : null;
  const s = findHeader(r.headers, ':scheme');
  let scheme;
  if (s !== null && s !== '') scheme = asciiLower(s);
  else if (r.conn.tls) scheme = 'https';
  else if (commandUrl !== null) scheme = commandUrl[0];
  else if (r.conn.port === 443 || saw443 || (hostHeader !== null && hostPort(hostHeader) === 443)) scheme = 'https';
  else scheme = 'http';
  let url;
  if (absoluteTarget(r.target)) url = r.target;
  else {
    const defaultPort = scheme === 'https' ? 443 : 80;
    let host;
    if (hostHeader !== null) host = hostHeader;
    else if (r.conn.host !== null) {
      host = r.conn.port !== null && r.conn.port !== defaultPort ? `${r.conn.host}:${r.conn.port}` : r.conn.host;
    } else if (commandUrl !== null) host = commandUrl[1];
    else {
      throw invalid(`the ${r.method} request in the curl -v output has no Host header and the paste names no host `
        + '(no `* Connected to` line, no curl command): add the `> Host:` line');
    }
    url = joinUrl(scheme, host, r.target);
  }
  return { method: r.method, url, headers: r.headers, body };
}

/** `scheme://authority/...`: [the lowercased scheme, the authority]. */
function splitSchemeAuthority(url) {
  const k = url.indexOf('://');
  if (k < 0) return ['http', url];
  const rest = url.slice(k + 3);
  const m = /[/?#]/.exec(rest);
  return [asciiLower(url.slice(0, k)), m === null ? rest : rest.slice(0, m.index)];
}
