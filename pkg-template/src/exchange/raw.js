// Responses on their own, and raw HTTP.
import { invalid } from '../common.js';
import {
  absoluteTarget, asciiLower, bodyOf, findHeader, hostPort, isBlank, joinUrl, parseU16, pseudoRequestStart,
  requestLine, splitLines, statusLine, strictHeader, trim,
} from './text.js';

const texts = (lines, from, to) => {
  const out = [];
  for (let k = from; k < to; k++) out.push(lines[k].text);
  return out;
};

/**
 * A response from the lines that start at a status line; further status lines right after an
 * interim (1xx) or redirect (3xx) response's headers start the response taken instead.
 * Returns [response, the index of the line after it] (`stop` ends its body).
 */
function rawResponse(lines, i, stop) {
  for (;;) {
    const status = i < lines.length ? statusLine(lines[i].text) : null;
    i += 1;
    const [headers, next] = headerBlock(lines, i);
    i = next;
    let j = i;
    while (j < lines.length && isBlank(lines[j].text)) j++;
    const interim = status !== null && ((status >= 100 && status < 200) || (status >= 300 && status < 400));
    if (interim && j < lines.length && statusLine(lines[j].text) !== null) {
      i = j;
      continue;
    }
    let end = i;
    while (end < lines.length && !stop(lines[end].text)) end++;
    return [{ status, headers, body: bodyOf(texts(lines, i, end)) }, end];
  }
}

/**
 * Header lines from `i` up to a blank line (consumed), a status line or a line that is no header
 * (both left); folded continuation lines (obsolete, RFC 9112 section 5.2) are joined to the value
 * they continue. Returns [headers, next index].
 */
function headerBlock(lines, i) {
  const headers = [];
  // Folded values are gathered as parts and joined once (a value folded over many lines).
  const parts = [];
  while (i < lines.length) {
    const t = lines[i].text;
    if (isBlank(t)) {
      i += 1;
      break;
    }
    if ((t.startsWith(' ') || t.startsWith('\t')) && headers.length > 0) {
      parts[parts.length - 1].push(' ', trim(t));
      i += 1;
      continue;
    }
    if (statusLine(t) !== null) break;
    const h = strictHeader(t);
    if (h === null) break;
    headers.push(h);
    parts.push([h[1]]);
    i += 1;
  }
  for (let k = 0; k < headers.length; k++) if (parts[k].length > 1) headers[k][1] = parts[k].join('');
  return [headers, i];
}

/** Response header names that mark a block of lines as response headers. */
const RESPONSE_HEADERS = new Set([
  'date', 'www-authenticate', 'content-type', 'content-length', 'server',
  'cache-control', 'connection', 'set-cookie', 'vary', 'location', 'retry-after', 'expires',
  'pragma', 'transfer-encoding', 'content-encoding', 'strict-transport-security', 'atl-traceid',
  ':status',
]);

/**
 * What a paste that holds no request says about the response: a status line, a block of response
 * headers, or only a body; null when it is blank.
 */
export function responseFromText(text) {
  const lines = splitLines(text);
  let first = 0;
  while (first < lines.length && isBlank(lines[first].text)) first++;
  if (first === lines.length) return null;
  if (statusLine(lines[first].text) !== null) return rawResponse(lines, first, () => false)[0];
  const [block, next] = headerBlock(lines, first);
  const known = block.some(([n]) => {
    const l = asciiLower(n);
    return l.startsWith('x-') || RESPONSE_HEADERS.has(l);
  });
  const headers = known ? block : [];
  const from = known ? next : first;
  const s = findHeader(headers, ':status');
  return { status: s === null ? null : parseU16(s), headers, body: bodyOf(texts(lines, from, lines.length)) };
}

const startsExchange = (s) => requestLine(s) !== null || statusLine(s) !== null;

/** Raw HTTP: request/response pairs, or responses alone. */
export function rawHttp(lines) {
  const out = [];
  let i = 0;
  for (;;) {
    while (i < lines.length && isBlank(lines[i].text)) i++;
    if (i >= lines.length) break;
    const line = lines[i].text;
    const exchange = { request: null, response: null };
    const rl = requestLine(line);
    if (rl !== null || pseudoRequestStart(line)) {
      const [headers, next] = headerBlock(lines, rl !== null ? i + 1 : i);
      const method = rl !== null ? rl[0] : (findHeader(headers, ':method') ?? 'GET');
      const target = rl !== null ? rl[1] : (findHeader(headers, ':path') ?? '/');
      let end = next;
      while (end < lines.length && !startsExchange(lines[end].text)) end++;
      exchange.request = rawRequest(method, target, headers, bodyOf(texts(lines, next, end)));
      i = end;
    } else if (statusLine(line) === null) {
      // Text that continues no exchange (cannot happen after the first): stop.
      break;
    }
    if (i < lines.length && statusLine(lines[i].text) !== null) {
      const [response, end] = rawResponse(lines, i, (s) => requestLine(s) !== null);
      exchange.response = response;
      i = end;
    }
    out.push(exchange);
  }
  return out;
}

function rawRequest(method, target, headers, body) {
  let url;
  if (absoluteTarget(target)) url = target;
  else {
    let host = findHeader(headers, ':authority') ?? findHeader(headers, 'host');
    if (host === '') host = null;
    if (host === null) {
      throw invalid(`the raw ${method} request has no Host header: add the Host line so the URL can be rebuilt`);
    }
    const s = findHeader(headers, ':scheme');
    const scheme = s !== null && s !== '' ? asciiLower(s) : hostPort(host) === 80 ? 'http' : 'https';
    url = joinUrl(scheme, host, target);
  }
  return { method, url, headers, body };
}
