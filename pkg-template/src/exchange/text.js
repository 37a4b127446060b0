// Lines and the small grammar the text forms of a paste share (request lines, status lines,
// header lines, bodies, URLs rebuilt from a Host header), and the choice of one exchange.
//
// Whitespace is Unicode White_Space (what Rust's `str::trim` strips), not JavaScript's
// `String.prototype.trim` set (which adds U+FEFF and leaves U+0085); case is folded for ASCII
// only. Headers are [name, value] pairs in the order and case they were pasted.
import { invalid } from '../common.js';

export const FORMS = 'paste curl -v output, a curl command (optionally followed by the response), '
  + 'a raw HTTP request and response, or a HAR file';

function isWs(c) {
  return (c >= 9 && c <= 13) || c === 32 || c === 0x85 || c === 0xa0 || c === 0x1680
    || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f
    || c === 0x205f || c === 0x3000;
}

export function trimStart(s) {
  let i = 0;
  while (i < s.length && isWs(s.charCodeAt(i))) i++;
  return i === 0 ? s : s.slice(i);
}

export function trimEnd(s) {
  let j = s.length;
  while (j > 0 && isWs(s.charCodeAt(j - 1))) j--;
  return j === s.length ? s : s.slice(0, j);
}

export const trim = (s) => trimEnd(trimStart(s));

export function isBlank(s) {
  for (let i = 0; i < s.length; i++) if (!isWs(s.charCodeAt(i))) return false;
  return true;
}

/** Lowercase for A-Z only. */
export const asciiLower = (s) => s.replace(/[A-Z]+/g, (m) => m.toLowerCase());

/** RFC 3986 percent-encoding (UTF-8; ! ' ( ) * encoded too), as the Rust reader wrote form text. */
export const percentEncode = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export const eqIgnoreAsciiCase = (a, b) => a.length === b.length && asciiLower(a) === asciiLower(b);

/** The lines of a paste: `{ start, text }`, the offset of the line and its text without `\n` or `\r\n`. */
export function splitLines(text) {
  const out = [];
  let start = 0;
  while (start < text.length) {
    const k = text.indexOf('\n', start);
    const end = k < 0 ? text.length : k;
    const t = end > start && text.charCodeAt(end - 1) === 13 ? text.slice(start, end - 1) : text.slice(start, end);
    out.push({ start, text: t });
    start = k < 0 ? text.length : k + 1;
  }
  return out;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** RFC 9110 token. */
export const isToken = (s) => TOKEN.test(s);

/** `METHOD target HTTP/x`: [method, target], or null. */
export function requestLine(line) {
  const s = trim(line);
  const sp = s.indexOf(' ');
  if (sp < 0) return null;
  const method = s.slice(0, sp);
  const rest = trim(s.slice(sp + 1));
  const r = rest.lastIndexOf(' ');
  if (r < 0) return null;
  const target = trim(rest.slice(0, r));
  return isToken(method) && target !== '' && rest.startsWith('HTTP/', r + 1) ? [method, target] : null;
}

/** `HTTP/x nnn reason`: the status code, or null. */
export function statusLine(line) {
  const t = trim(line);
  if (!t.startsWith('HTTP/')) return null;
  const sp = t.indexOf(' ', 5);
  if (sp < 0) return null;
  const version = t.slice(5, sp);
  if (!/^[0-9.]+$/.test(version)) return null;
  const r = trimStart(t.slice(sp + 1));
  if (!/^[0-9]{3}/.test(r) || (r.length > 3 && r[3] !== ' ')) return null;
  return Number(r.slice(0, 3));
}

/** `Name: value` (and HTTP/2 pseudo-headers `:path: /x`), trimmed: [name, value], or null. */
export function splitHeader(s) {
  const i = s.indexOf(':', s.startsWith(':') ? 1 : 0);
  if (i < 0) return null;
  const name = trim(s.slice(0, i));
  return name === '' ? null : [name, trim(s.slice(i + 1))];
}

/** A header line with a valid field name (pseudo-headers included). */
export function strictHeader(s) {
  const h = splitHeader(s);
  if (h === null) return null;
  const bare = h[0].startsWith(':') ? h[0].slice(1) : h[0];
  return isToken(bare) && s.startsWith(h[0]) ? h : null;
}

const PSEUDO = new Set([':method', ':authority', ':path', ':scheme']);

/** The first line of an HTTP/2 request shown as pseudo-headers (browsers' raw view). */
export function pseudoRequestStart(s) {
  const h = strictHeader(s);
  return h !== null && PSEUDO.has(h[0]);
}

/** The value of the first header named `name` (any case), or null. */
export function findHeader(headers, name) {
  for (const [n, v] of headers) if (eqIgnoreAsciiCase(n, name)) return v;
  return null;
}

/** Lines joined with `\n`, leading and trailing blank lines dropped; null when nothing is left. */
export function bodyOf(lines) {
  let first = 0;
  while (first < lines.length && isBlank(lines[first])) first++;
  if (first === lines.length) return null;
  let last = lines.length - 1;
  while (isBlank(lines[last])) last--;
  return lines.slice(first, last + 1).join('\n');
}

export function absoluteTarget(target) {
  const head = asciiLower(target.slice(0, 8));
  return head.startsWith('http://') || head.startsWith('https://');
}

/** A port or a status as Rust's `u16` parse reads it (an optional `+`, digits), or null. */
export function parseU16(s) {
  if (!/^\+?[0-9]+$/.test(s)) return null;
  const n = Number(s.startsWith('+') ? s.slice(1) : s);
  return n <= 65535 ? n : null;
}

/** The port written in a `Host` value (`host:8443`, `[::1]:80`), or null. */
export function hostPort(host) {
  const b = host.lastIndexOf(']');
  const after = b < 0 ? host : host.slice(b + 1);
  const k = after.lastIndexOf(':');
  return k < 0 ? null : parseU16(after.slice(k + 1));
}

export function joinUrl(scheme, host, target) {
  if (absoluteTarget(target)) return target;
  const sep = target.startsWith('/') || target.startsWith('?') || target === '*' ? '' : '/';
  return `${scheme}://${host}${sep}${target === '*' ? '' : target}`;
}

/** `1 entry`, `3 entries`. */
export const count = (n, one, many) => `${n} ${n === 1 ? one : many}`;

const isRefusal = (status) => status === 401 || status === 403;

/**
 * Text as Rust's `{:?}` writes it: in double quotes, with `\"`, `\\`, `\n`, `\r`, `\t`, `\0`,
 * and `\u{..}` for the characters that are not printable or that extend a grapheme.
 */
export function debugString(s) {
  const simple = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };
  const escaped = s.replace(/["\\\n\r\t\0]|(?! )[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}\p{Grapheme_Extend}]/gu,
    (c) => simple[c] ?? `\\u{${c.codePointAt(0).toString(16)}}`);
  return `"${escaped}"`;
}

/** An exchange from those of a paste: by `pick` ({ index } or { url }), else the last refused, else the last. */
export function select(exchanges, pick) {
  const n = exchanges.length;
  if (n === 0) throw invalid(`the paste holds no request and no response: ${FORMS}`);
  if (pick == null) {
    for (let k = n - 1; k >= 0; k--) if (isRefusal(exchanges[k].response?.status)) return exchanges[k];
    return exchanges[n - 1];
  }
  if (pick.index !== undefined) {
    if (pick.index < n) return exchanges[pick.index];
    throw invalid(`the paste holds ${count(n, 'exchange', 'exchanges')}; there is no entry ${pick.index} (entries count from 0)`);
  }
  const found = exchanges.find((e) => e.request?.url.includes(pick.url));
  if (found) return found;
  throw invalid(`no exchange in the paste (${count(n, 'exchange', 'exchanges')}) has a request URL containing ${debugString(pick.url)}`);
}
