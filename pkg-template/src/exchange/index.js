// Pasted exchanges: the request a person sent and the answer they got, read from whatever they
// paste, as the `{ request, response }` that explain takes. Plain text handling, no signing: it
// lives in JavaScript, beside the WebAssembly core.
//
// parseExchange recognises, without being told which:
//
// 1. `curl -v` output (curl_verbose.js): `> ` lines (request line, headers, the blank `>`), `< `
//    lines (status line, headers, the blank `<`), `* ` lines (connection info), `{ [` / `} [`
//    (byte counts), and the response body as the plain lines after the response headers. The URL
//    is rebuilt from the `Host` header and the request target; the scheme is https when the
//    connection shows TLS (`* SSL connection`, `* ALPN`, `* TLS...`), else the scheme of a `curl`
//    command pasted above the output, else https when port 443 appears, else http. The request
//    body, which `curl -v` does not print, comes from that command when there is one.
// 2. A `curl` command (curl.js; continued over lines with `\`, quoted with `'`, `"` or `$'...'`),
//    optionally followed by the response: raw HTTP response text (as `curl -i` prints it) or just
//    the body.
// 3. Raw HTTP/1.1 (raw.js): a request, optionally followed by the response; several such pairs in
//    a row are several exchanges. The scheme, which raw text does not show, is https unless the
//    `Host` names port 80.
// 4. A HAR file (har.js; devtools "Save all as HAR", or one entry copied "as HAR").
//
// A paste that is only a response (a status line, a block of response headers, or only a body)
// gives an exchange without a request. When a paste holds several exchanges, the one taken is,
// without a pick, the last whose response status is 401 or 403, else the last; with one, the given
// index (from 0) or the first whose request URL contains the given text.
//
// Bodies read from text pastes have their lines joined with `\n`, without trailing line breaks; a
// HAR's texts are taken as they are. An empty body is null. No error message echoes a header or a
// body: pastes carry tokens and signatures. Linear in the size of the paste; pastes over 8 MiB
// (UTF-8) are refused.
import { invalid } from '../common.js';
import { curlCommandExchange, firstLineCurl } from './curl.js';
import { curlVerbose, isCurlVerboseLine } from './curl_verbose.js';
import { harEntries, harExchange } from './har.js';
import { rawHttp, responseFromText } from './raw.js';
import { FORMS, isBlank, pseudoRequestStart, requestLine, select, splitLines, statusLine, trimStart } from './text.js';

/** The largest paste read: 8 MiB. */
export const MAX_PASTE_BYTES = 8 * 1024 * 1024;

/** Text with each lone surrogate replaced by U+FFFD (what a UTF-8 encoder writes for it). */
export function wellFormed(s) {
  if (typeof s.toWellFormed === 'function') return s.toWellFormed();
  let out = '';
  let from = 0;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = s.charCodeAt(k + 1);
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) k++;
    else {
      out += `${s.slice(from, k)}\uFFFD`;
      from = k + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

/** The UTF-8 length of well-formed text. */
function utf8Length(s) {
  let n = s.length;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0x80) n += c < 0x800 ? 1 : c >= 0xd800 && c <= 0xdfff ? 1 : 2;
  }
  return n;
}

/**
 * A paste as `[{ method, url, headers: [[name, value]...], body } | null, { status, headers, body } | null]`
 * exchange, `pick` being null, `{ index }` or `{ url }`. Errors are ERR_INVALID_INPUT.
 */
export function readExchange(pasted, pick) {
  if (pasted.length > MAX_PASTE_BYTES / 3) {
    const bytes = utf8Length(pasted);
    if (bytes > MAX_PASTE_BYTES) {
      throw invalid(`the paste is ${bytes} bytes; at most 8 MiB (${MAX_PASTE_BYTES} bytes) is read: keep only `
        + 'the refused request (one curl -v run, or a HAR with that entry)');
    }
  }
  const text = pasted.startsWith('\uFEFF') ? pasted.slice(1) : pasted;
  if (isBlank(text)) throw invalid(`the paste is empty: ${FORMS}`);
  if (text.includes('\0')) throw invalid(`the paste holds NUL bytes: it is binary, not text; ${FORMS}`);
  const trimmed = trimStart(text);
  if (trimmed.startsWith('{')) {
    let v;
    let bad = null;
    try {
      v = JSON.parse(trimmed);
    } catch (e) {
      // A SyntaxError, or a RangeError for nesting deeper than the engine's stack.
      if (!(e instanceof SyntaxError || e instanceof RangeError)) throw e;
      bad = e;
    }
    if (bad === null) {
      const entries = harEntries(v);
      if (entries !== null) return harExchange(entries, pick);
    } else if (trimmed.includes('"entries"') || trimmed.includes('"request"')) {
      throw invalid(`the paste looks like a HAR file but is not valid JSON (${bad.message}): save the HAR `
        + 'again and paste the whole file');
    }
    // JSON that is no HAR, or text that only starts with `{`: a response body.
  }
  const lines = splitLines(text);
  let exchanges;
  if (lines.some((l) => isCurlVerboseLine(l.text))) exchanges = curlVerbose(text, lines);
  else {
    const start = firstLineCurl(lines);
    if (start >= 0) exchanges = curlCommandExchange(text, start);
    else {
      const first = lines.find((l) => !isBlank(l.text));
      if (first !== undefined && (requestLine(first.text) !== null || pseudoRequestStart(first.text)
        || statusLine(first.text) !== null)) {
        exchanges = rawHttp(lines);
      } else exchanges = [{ request: null, response: responseFromText(text) }];
    }
  }
  return select(exchanges, pick);
}

/** Headers as an object: the first value of each name as pasted. */
function headerObject(pairs) {
  const out = {};
  const seen = new Set();
  for (const [n, v] of pairs) {
    if (seen.has(n)) continue;
    seen.add(n);
    if (n === '__proto__') Object.defineProperty(out, n, { value: v, enumerable: true, writable: true, configurable: true });
    else out[n] = v;
  }
  return out;
}

/**
 * `parseExchange(text, pick)`: `{ request: { method, url, headers, body } | null, response:
 * { status, headers, body } | null }`, headers as objects (the first value of each name).
 */
export function parseExchangeText(text, pick) {
  const x = readExchange(wellFormed(text), pick);
  const r = x.request;
  const s = x.response;
  return {
    request: r && { method: r.method, url: r.url, headers: headerObject(r.headers), body: r.body },
    response: s && { status: s.status, headers: headerObject(s.headers), body: s.body },
  };
}
