// `curl` command lines, and the shell quoting they are written in.
import { invalid } from '../common.js';
import { responseFromText } from './raw.js';
import { eqIgnoreAsciiCase, isBlank, isToken, percentEncode, splitHeader, trimStart } from './text.js';


/** Where `curl` starts in a line (after a shell prompt such as `$ `), if the line is a curl command; else -1. */
export function curlStart(line) {
  const t = trimStart(line);
  let at = line.length - t.length;
  let rest = t;
  if (!rest.startsWith('curl')) {
    let p = -1;
    for (const m of ['$ curl', '% curl', '# curl', '> curl']) {
      const k = rest.indexOf(m);
      if (k >= 0 && (p < 0 || k < p)) p = k;
    }
    if (p < 0) return -1;
    at += p + 2;
    rest = rest.slice(p + 2);
  }
  const after = rest.startsWith('curl.exe') ? rest.slice(8) : rest.slice(4);
  return after === '' || after[0] === ' ' || after[0] === '\t' || after[0] === '\\' ? at : -1;
}

/** The first non-blank line, if it starts a curl command: its offset in the paste; else -1. */
export function firstLineCurl(lines) {
  const l = lines.find((x) => !isBlank(x.text));
  if (l === undefined) return -1;
  const o = curlStart(l.text);
  return o < 0 ? -1 : l.start + o;
}

export function curlCommandExchange(text, start) {
  const [command, used] = parseCurl(text.slice(start));
  const request = commandRequest(command);
  return [{ request, response: responseFromText(text.slice(start + used)) }];
}

/** The request a parsed command sends. */
export function commandRequest(c) {
  if (c.url === null) throw invalid('the curl command has no URL: paste the whole command, URL included');
  return { method: c.method ?? 'GET', url: c.url, headers: c.headers, body: c.body };
}

const unclosed = (q) => invalid(`the curl command has an unclosed ${q} quote: paste the whole command`);

const isDigits = (s) => /^[0-9]*$/.test(s);

/**
 * Splits a command into shell words as bash would (quotes, `$'...'`, `\` escapes and line
 * continuations; `^` and `` ` `` continuations of cmd and PowerShell too). The command ends at an
 * unquoted line break, or at the end of a line holding `|`, `;`, `&&` or a comment. Redirections
 * (`> file`, `2>&1`) are dropped. Returns [words, the length used].
 */
function shellWords(s) {
  const words = [];
  let cur = '';
  let inWord = false;
  let skipNext = false;
  let end = s.length;
  let i = 0;
  const finish = () => {
    if (inWord) {
      if (skipNext) skipNext = false;
      else words.push(cur);
    }
    cur = '';
    inWord = false;
  };
  /** The character at `k` (a whole code point). */
  const at = (k) => String.fromCodePoint(s.codePointAt(k));
  out: while (i < s.length) {
    const c = at(i);
    const here = i;
    i += c.length;
    switch (c) {
      case '\\':
      case '^':
      case '`': {
        if (i >= s.length) {
          if (c !== '\\') {
            cur += c;
            inWord = true;
          }
        } else if (s[i] === '\n') i += 1;
        else if (s[i] === '\r') {
          i += 1;
          if (s[i] === '\n') i += 1;
        } else if (c === '\\') {
          const n = at(i);
          i += n.length;
          cur += n;
          inWord = true;
        } else {
          cur += c;
          inWord = true;
        }
        break;
      }
      case "'": {
        inWord = true;
        const close = s.indexOf("'", i);
        if (close < 0) throw unclosed("'");
        cur += s.slice(i, close);
        i = close + 1;
        break;
      }
      case '"': {
        inWord = true;
        for (;;) {
          if (i >= s.length) throw unclosed('"');
          const ch = s[i++];
          if (ch === '"') break;
          if (ch === '\\') {
            const e = s[i];
            if (e === '"' || e === '\\' || e === '$' || e === '`') {
              i += 1;
              cur += e;
            } else if (e === '\n') i += 1;
            else cur += '\\';
          } else cur += ch;
        }
        break;
      }
      case ' ':
      case '\t':
      case '\r':
        finish();
        break;
      case '\n':
        end = i;
        break out;
      case '>':
      case '<':
        if (inWord && isDigits(cur)) {
          cur = '';
          inWord = false;
        } else finish();
        while (s[i] === '>' || s[i] === '&' || s[i] === '|') i += 1;
        skipNext = true;
        break;
      default:
        if (c === '$' && s[i] === "'") {
          i += 1;
          inWord = true;
          const r = ansiCQuoted(s, i);
          if (r === null) throw unclosed("$'");
          cur += r[0];
          i = r[1];
        } else if ((c === '|' || c === ';' || c === '&' || c === '#') && !inWord) {
          // Another command or a comment follows: the rest of the line is not curl's.
          const k = s.indexOf('\n', here);
          end = k < 0 ? s.length : k + 1;
          break out;
        } else {
          cur += c;
          inWord = true;
        }
    }
  }
  finish();
  return [words, end];
}

const SIMPLE_ESCAPES = new Map(Object.entries({
  n: 10, t: 9, r: 13, a: 7, b: 8, e: 27, E: 27, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63,
}));

const utf8 = new TextEncoder();

/**
 * The body of a `$'...'` word from `i` (after the opening quote), escapes decoded, and the index
 * after its closing quote; null when the quote is not closed.
 */
function ansiCQuoted(s, i) {
  const bytes = [];
  const push = (text) => {
    const c = text.charCodeAt(0);
    if (text.length === 1 && c < 0x80) bytes.push(c);
    else for (const b of utf8.encode(text)) bytes.push(b);
  };
  const digits = (radix, max, first) => {
    let v = first ?? 0;
    let n = first === undefined ? 0 : 1;
    while (n < max && i < s.length) {
      const d = Number.parseInt(s[i], radix);
      if (Number.isNaN(d)) break;
      v = v * radix + d;
      i += 1;
      n += 1;
    }
    return n > 0 ? v : null;
  };
  const next = () => {
    if (i >= s.length) return null;
    const c = String.fromCodePoint(s.codePointAt(i));
    i += c.length;
    return c;
  };
  for (;;) {
    const c = next();
    if (c === null) return null;
    if (c === "'") break;
    if (c !== '\\') {
      push(c);
      continue;
    }
    const e = next();
    if (e === null) return null;
    if (SIMPLE_ESCAPES.has(e)) {
      bytes.push(SIMPLE_ESCAPES.get(e));
    } else if (e === 'x') {
      const v = digits(16, 2);
      if (v === null) push('\\x');
      else bytes.push(v);
    } else if (e === 'u' || e === 'U') {
      const v = digits(16, e === 'u' ? 4 : 8);
      if (v === null || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff)) push(`\\${e}`);
      else push(String.fromCodePoint(v));
    } else if (e >= '0' && e <= '7') {
      bytes.push(digits(8, 3, Number(e)) & 0xff);
    } else if (e === 'c') {
      const ctl = next();
      if (ctl === null) return null;
      bytes.push(ctl.codePointAt(0) & 0x1f);
    } else push(`\\${e}`);
  }
  return [new TextDecoder('utf-8', { ignoreBOM: true }).decode(new Uint8Array(bytes)), i];
}

/** curl's long options that take an argument (those the request does not depend on are read only to skip their argument). */
const LONG_WITH_ARG = new Set([
  'request', 'header', 'data', 'data-ascii', 'data-binary', 'data-raw',
  'data-urlencode', 'json', 'form', 'form-string', 'user', 'cookie', 'user-agent', 'referer',
  'url', 'oauth2-bearer', 'upload-file', 'url-query', 'output', 'proxy', 'max-time',
  'connect-timeout', 'write-out', 'cacert', 'capath', 'cert', 'cert-type', 'key', 'key-type',
  'pass', 'resolve', 'config', 'retry', 'retry-delay', 'retry-max-time', 'limit-rate',
  'cookie-jar', 'dump-header', 'range', 'time-cond', 'max-redirs', 'interface', 'dns-servers',
  'proxy-user', 'connect-to', 'trace', 'trace-ascii', 'stderr', 'local-port', 'max-filesize',
  'ciphers', 'tls-max', 'aws-sigv4', 'variable', 'request-target', 'unix-socket',
  'abstract-unix-socket', 'noproxy', 'proxy-header', 'preproxy', 'socks4', 'socks4a', 'socks5',
  'socks5-hostname', 'netrc-file', 'keepalive-time', 'speed-limit', 'speed-time', 'output-dir',
  'continue-at', 'quote', 'pinnedpubkey', 'crlfile', 'proto', 'proto-redir', 'proto-default',
  'alt-svc', 'hsts', 'doh-url', 'parallel-max', 'rate', 'expect100-timeout',
  'happy-eyeballs-timeout-ms', 'sasl-authzid', 'login-options', 'service-name', 'telnet-option',
  'ftp-port', 'mail-from', 'mail-rcpt', 'etag-compare', 'etag-save', 'ipfs-gateway',
]);

/** curl's short options that take an argument. */
const SHORT_WITH_ARG = 'AbcCdDeEFHKmoPQrtTuUwxXyYz';

const SHORT_LONG = new Map(Object.entries({
  X: 'request', H: 'header', d: 'data', F: 'form', b: 'cookie', A: 'user-agent', e: 'referer',
  T: 'upload-file', G: 'get', I: 'head',
}));

/** Parses a curl command from its first word on: [{ method, url, headers, body }, the length used]. */
export function parseCurl(s) {
  const [words, used] = shellWords(s);
  const o = new CurlOptions();
  let i = 1;
  while (i < words.length) {
    const w = words[i];
    i += 1;
    if (w.startsWith('--')) {
      const long = w.slice(2);
      if (LONG_WITH_ARG.has(long)) {
        const v = words[i];
        i += 1;
        if (v !== undefined) o.apply(long, v);
      } else o.flag(long);
    } else if (w.length > 1 && w.startsWith('-')) {
      let j = 1;
      while (j < w.length) {
        const c = String.fromCodePoint(w.codePointAt(j));
        j += c.length;
        const long = SHORT_LONG.get(c) ?? '';
        if (c.length === 1 && SHORT_WITH_ARG.includes(c)) {
          const attached = w.slice(j);
          let v = attached;
          if (attached === '') {
            i += 1;
            v = words[i - 1];
          }
          if (v !== undefined) o.apply(long, v);
          break;
        }
        o.flag(long);
      }
    } else o.positional.push(w);
  }
  return [o.finish(), used];
}


/**
 * `--data-urlencode` (and `--url-query`) content: `content`, `=content`, `name=content` encoded
 * as curl encodes them; null for the forms that read a file.
 */
function urlencodePart(v) {
  const m = /[=@]/.exec(v);
  if (m === null) return percentEncode(v);
  if (m[0] === '@') return null;
  const name = v.slice(0, m.index);
  const content = percentEncode(v.slice(m.index + 1));
  return name === '' ? content : `${name}=${content}`;
}

class CurlOptions {
  method = null;
  explicitUrl = null;
  positional = [];
  headers = [];
  data = [];
  json = [];
  urlQuery = [];
  dataFromFile = false;
  multipart = false;
  upload = false;
  get = false;
  head = false;

  apply(long, v) {
    switch (long) {
      case 'request':
        this.method = v;
        break;
      case 'header': {
        const name = v.endsWith(';') ? v.slice(0, -1) : null;
        if (name !== null && isToken(name)) {
          // `Name;` sends the header with an empty value.
          this.headers.push([name, '']);
        } else {
          const h = splitHeader(v);
          // `Name:` with nothing after it removes a header curl would send.
          if (h !== null && h[1] !== '') this.headers.push(h);
        }
        break;
      }
      case 'data':
      case 'data-ascii':
      case 'data-binary':
        if (v.startsWith('@')) this.dataFromFile = true;
        else this.data.push(v);
        break;
      case 'data-raw':
        this.data.push(v);
        break;
      case 'data-urlencode': {
        const part = urlencodePart(v);
        if (part === null) this.dataFromFile = true;
        else this.data.push(part);
        break;
      }
      case 'json':
        if (v.startsWith('@')) this.dataFromFile = true;
        this.json.push(v);
        break;
      case 'url-query': {
        const part = v.startsWith('+') ? v.slice(1) : urlencodePart(v);
        if (part !== null) this.urlQuery.push(part);
        break;
      }
      case 'form':
      case 'form-string':
        this.multipart = true;
        break;
      case 'upload-file':
        this.upload = true;
        break;
      case 'cookie':
        if (v.includes('=')) this.headers.push(['Cookie', v]);
        break;
      case 'user-agent':
        this.headers.push(['User-Agent', v]);
        break;
      case 'referer': {
        const r = v.endsWith(';auto') ? v.slice(0, -5) : v;
        if (r !== '') this.headers.push(['Referer', r]);
        break;
      }
      case 'oauth2-bearer':
        this.headers.push(['Authorization', `Bearer ${v}`]);
        break;
      case 'url':
        if (this.explicitUrl === null) this.explicitUrl = v;
        break;
      default:
      // -u and everything else do not change the request explain reads.
    }
  }

  flag(long) {
    if (long === 'get') this.get = true;
    else if (long === 'head') this.head = true;
  }

  hasHeader(name) {
    return this.headers.some(([n]) => eqIgnoreAsciiCase(n, name));
  }

  finish() {
    let url = this.explicitUrl;
    if (url === null && this.positional.length > 0) {
      const k = this.positional.findIndex((p) => p.includes('://'));
      url = this.positional[Math.max(k, 0)];
    }
    if (url !== null) url = normaliseCurlUrl(url);
    const hasData = this.data.length > 0 || this.json.length > 0 || this.dataFromFile;
    const method = this.method ?? (this.head ? 'HEAD' : this.get ? 'GET' : hasData || this.multipart ? 'POST'
      : this.upload ? 'PUT' : 'GET');
    const query = [...this.urlQuery];
    let body = null;
    if (this.get) query.push(...this.data);
    else if (!this.dataFromFile) {
      if (this.json.length > 0) body = this.json.join('');
      else if (this.data.length > 0) body = this.data.join('&');
    }
    if (url !== null && query.length > 0) url += (url.includes('?') ? '&' : '?') + query.join('&');
    if (!this.get && hasData && !this.hasHeader('content-type')) {
      this.headers.push(['Content-Type', this.json.length === 0 ? 'application/x-www-form-urlencoded' : 'application/json']);
    }
    if (this.json.length > 0 && !this.hasHeader('accept')) this.headers.push(['Accept', 'application/json']);
    return { method, url, headers: this.headers, body: body === '' ? null : body };
  }
}

/** curl's reading of a URL: `http://` when no scheme is written, no fragment, `/` as the path when there is none. */
function normaliseCurlUrl(u) {
  const hash = u.indexOf('#');
  const bare = hash < 0 ? u : u.slice(0, hash);
  let url = bare.includes('://') ? bare : `http://${bare}`;
  const k = url.indexOf('://');
  const rest = url.slice(k + 3);
  const m = /[/?]/.exec(rest);
  if (m === null) url += '/';
  else if (m[0] === '?') url = `${url.slice(0, k + 3 + m.index)}/${url.slice(k + 3 + m.index)}`;
  return url;
}
