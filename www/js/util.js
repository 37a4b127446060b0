// Pure helpers (no DOM): errors, curl lines, times, text differences.

export function fail(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}

/** POSIX shell single-quoting. */
export function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A curl line for a method, headers, an optional body and a URL. */
export function curl(method, headers, url, body) {
  const parts = ['curl'];
  if (method === 'HEAD') parts.push('--head');
  else if (method !== 'GET' || body !== undefined) parts.push('-X', method);
  for (const [name, value] of Object.entries(headers)) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (body !== undefined) parts.push('--data-raw', shellQuote(body));
  parts.push(shellQuote(url));
  return parts.join(' ');
}

/** Seconds since 1970 from "1392204500", "1392204500.5" or a date; null when empty. */
export function parseSeconds(text, what) {
  const t = text.trim();
  if (!t) return null;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) {
    throw fail('ERR_INVALID_INPUT', `${what} "${t}" is neither seconds since 1970 nor a date such as 2024-05-01T12:00:00Z`);
  }
  return ms / 1000;
}

/** Milliseconds since 1970, as the trusted-apps protocol counts; null when empty. */
export function parseMillis(text, what) {
  const t = text.trim();
  if (!t) return null;
  if (/^\d+$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw fail('ERR_INVALID_INPUT', `${what} "${t}" is neither milliseconds since 1970 nor a date such as 2024-05-01T12:00:00Z`);
  return ms;
}

/** `2014-02-12 11:30:42 UTC` */
export function utc(seconds) {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'out of range';
  return new Date(ms).toISOString().replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

/** `in 2 min 22 s`, `12.1 years ago` */
export function relative(delta) {
  const d = Math.abs(Math.round(delta));
  let span;
  if (d < 60) span = `${d} s`;
  else if (d < 3600) span = `${Math.floor(d / 60)} min ${d % 60} s`;
  else if (d < 2 * 86400) span = `${Math.floor(d / 3600)} h ${Math.floor((d % 3600) / 60)} min`;
  else if (d < 90 * 86400) span = `${Math.floor(d / 86400)} days`;
  else span = `${(d / (365.25 * 86400)).toFixed(1)} years`;
  if (d === 0) return 'now';
  return delta > 0 ? `in ${span}` : `${span} ago`;
}

/** [prefix, middle, suffix] of a and of b around their first and last differing characters. */
export function splitDiff(a, b) {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return [
    [a.slice(0, p), a.slice(p, a.length - s), a.slice(a.length - s)],
    [b.slice(0, p), b.slice(p, b.length - s), b.slice(b.length - s)],
  ];
}

export function randomHex(bytes) {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Methods whose form body the Connect qsh covers. */
export const bodyMethod = (m) => m === 'POST' || m === 'PUT';

/** OAuth 1.0a signature methods that sign with an RSA private key. */
export const isRsa = (m) => m.startsWith('RSA-');
