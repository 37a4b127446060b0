#!/usr/bin/env node
// Differential run of parseExchange: the JavaScript parser (pkg-template/src/exchange/, through
// the facade) against the WebAssembly parser it replaced, on every paste of the tests, every
// corpus paste and generated or mutated pastes (truncated, lines reordered, CRLF/LF/CR, binary
// junk, lone surrogates, malformed HAR and JSON numbers, large inputs). Both must give the same
// object (same JSON text, key order included) or the same error (name, code, message).
//
//   node tests/node/parse-exchange-differential.mjs OLD_PKG_DIR [cases] [seed] [out.json] [golden.json]
//
// OLD_PKG_DIR is a pkg/ built before the move (its index.mjs exports the wasm-backed
// parseExchange). The inputs that differ are written to out.json (default
// /tmp/parse-exchange-diffs.json). With golden.json, a sample of the generated pastes (one per
// kind of outcome) is written there with the old parser's outcome: parse-exchange-golden.test.mjs
// keeps the JavaScript parser to those outcomes once the old one is gone.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { explainApi } from '../../pkg-template/src/explain.js';
import { allPastes } from './parse-exchange-pastes.mjs';

const [oldDir, casesArg = '4000', seedArg = '1', outArg = '/tmp/parse-exchange-diffs.json', goldenArg] = process.argv.slice(2);
if (!oldDir) {
  console.error('usage: node tests/node/parse-exchange-differential.mjs OLD_PKG_DIR [cases] [seed] [out.json]');
  process.exit(2);
}
const old = await import(pathToFileURL(path.resolve(oldDir, 'index.mjs')).href);
// The JavaScript parser from the sources, or from a built pkg/ (NEW_PKG=pkg: the bundle esbuild lowered).
const fresh = process.env.NEW_PKG ? await import(pathToFileURL(path.resolve(process.env.NEW_PKG, 'index.mjs')).href) : explainApi({});

let seed = Number(seedArg) >>> 0 || 1;
/** xorshift32: the same cases for the same seed. */
function rnd() {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 2 ** 32;
}
const int = (n) => Math.floor(rnd() * n);
const pick = (a) => a[int(a.length)];

const corpusDir = new URL('../explain-corpus/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('pastes/index.json', corpusDir), 'utf8'));
const corpus = index.entries.map((p) => readFileSync(new URL(p.file, corpusDir), 'utf8'));
const base = [...allPastes(), ...corpus];

const PIECES = [
  '> ', '< ', '* ', '{ [', '\n', '\r\n', '>\n', '<\n', 'GET /x?y HTTP/1.1\n', 'HTTP/1.1 401 Unauthorized\n', 'HTTP/2 100\n',
  'Host: h.example:443\n', ':authority: h\n', ' folded\n', '* Connected to h (1.2.3.4) port 443\n', 'curl ', '$ curl -v ',
  '-H ', '-d ', '-G ', '--data-urlencode ', '-XPOST', "'", '"', "$'\\x", '\\u12', '\\\n', '^\n', '2>&1 ', '| ',
  'https://h.example/p', '{"log":{"entries":[', '{"request":{"method":"GET","url":"u"},"response":{"status":401}}', ']}}',
  ':status: 401\n', 'X-Foo: bar\n', 'Date: x\n', '* SSL connection\n', '* ALPN: h2\n', '> Host: h\n', '< HTTP/1.1 302 Found\n',
  '< Location: /y\n', '> CONNECT h:443 HTTP/1.1\n', "$'\\u00e9\\x41\\101\\cA\\U0001F600\\q'", '--json ', '--url-query ',
  '--url ', '-I ', '-b ', '-e ', '--oauth2-bearer ', '--referer ', ';auto', '@file', '#', '&& ', '; ', '`\n',
  '\u0085', '\u00a0', '\uFEFF', '\u2028', '\uD800', '\uDC00', '\u{1F600}', 'é', '\t', ' ', '=', '?', '%', '+443',
];
const JUNK = ['\x01', '\x07', '\x1b', '\x7f', '\x80', '\xff', '\uFFFD', '\uD83D', '\uDE00', '\u0000', '\u0300', '\u200b', '\u{10FFFF}', '\r', '\v', '\f'];

function randomString(max) {
  let s = '';
  const n = int(max);
  for (let k = 0; k < n; k++) {
    const r = rnd();
    if (r < 0.5) s += String.fromCharCode(32 + int(95));
    else if (r < 0.7) s += String.fromCharCode(int(32));
    else if (r < 0.85) s += String.fromCharCode(int(0x800));
    else if (r < 0.95) s += String.fromCharCode(int(0x10000));
    else s += String.fromCodePoint(0x10000 + int(0x100000));
  }
  return s;
}

function pasteLike() {
  let s = '';
  const n = int(24);
  for (let k = 0; k < n; k++) {
    const r = rnd();
    if (r < 0.8) s += pick(PIECES);
    else if (r < 0.9) s += randomString(8).replace(/[^a-zA-Z0-9:;=&%@#?/ ]/g, 'a');
    else s += randomString(10);
  }
  return s;
}

const lines = (t) => t.split('\n');
const JSON_NUMBERS = ['401', '401.0', '4.01e2', '"401"', '-401', '1e400', '18446744073709551616', '0401', '403', '0', '1e', '-',
  '401e-0', '99999999999999999999999', '1.', '-0', '4e2147483648', '1e-400', 'null', 'true', '[401]', '{"a":1}'];

const MUTATIONS = [
  (t) => t.slice(0, int(t.length + 1)),
  (t) => t.slice(int(t.length + 1)),
  (t) => t.replaceAll('\r\n', '\n').replaceAll('\n', '\r\n'),
  (t) => t.replaceAll('\r\n', '\n'),
  (t) => t.replaceAll('\n', '\r'),
  (t) => {
    const l = lines(t);
    const a = int(l.length);
    const b = int(l.length);
    [l[a], l[b]] = [l[b], l[a]];
    return l.join('\n');
  },
  (t) => {
    const l = lines(t);
    for (let k = l.length - 1; k > 0; k--) {
      const j = int(k + 1);
      [l[k], l[j]] = [l[j], l[k]];
    }
    return l.join('\n');
  },
  (t) => {
    const l = lines(t);
    l.splice(int(l.length), 1);
    return l.join('\n');
  },
  (t) => {
    const l = lines(t);
    const k = int(l.length);
    l.splice(k, 0, l[k]);
    return l.join('\n');
  },
  (t) => {
    const k = int(t.length + 1);
    return t.slice(0, k) + pick(JUNK) + t.slice(k);
  },
  (t) => {
    const k = int(t.length + 1);
    return t.slice(0, k) + pick(PIECES) + t.slice(k);
  },
  (t) => {
    const k = int(t.length);
    return t.slice(0, k) + t.slice(k + 1 + int(4));
  },
  (t) => {
    const l = lines(t);
    const k = int(l.length);
    l[k] = rnd() < 0.5 ? l[k].toUpperCase() : l[k].toLowerCase();
    return l.join('\n');
  },
  (t) => pick(['\uFEFF', '  ', '\u0085', '\u00a0', '\n\n', '\t', '\u3000']) + t + pick(['', '\n', '\u0085', ' \r\n', '\uFEFF']),
  (t) => t.replace(/"status":\s*-?[0-9.e+]+/g, () => `"status":${pick(JSON_NUMBERS)}`),
  (t) => t.replace(/[0-9]+/, () => pick(JSON_NUMBERS)),
  (t) => t.replace(/"encoding":"base64"|"text":"/, (m) => (m.startsWith('"enc') ? '"encoding":"base64"' : `"encoding":"base64","text":"${pick(['', 'QQ==', 'QR==', 'QUI=', 'QUJ=', 'QUJD', 'Q', 'Q Q = =', '/w==', '77u/QQ==', '8J+Y', '====', 'QQ'])}`)),
  (t) => t.replace(/"text":"/, `"text":"${pick(['\\ud800', '\\udc00', '\\ud800\\u0041', '\\ud83d\\ude00', '\\x', '\\u12', '\\', '\t', '\\/', 'é'])}`),
  (t) => '['.repeat(int(140)) + t,
  () => `${'{"a":'.repeat(120 + int(20))}1${'}'.repeat(int(140))}`,
  (t) => t.replace(/"(method|url|headers|postData|params|request|response|entries|log|name|value|content)"/, (m) => (rnd() < 0.5 ? '"x"' : `${m}:null,${m}`)),
];


const quote = (v) => {
  const r = rnd();
  if (r < 0.3 && /^[A-Za-z0-9:/?=&.%_-]+$/.test(v)) return v;
  if (r < 0.6) return `'${v.replaceAll("'", "'\\''")}'`;
  if (r < 0.85) return `"${v.replace(/["\\$`]/g, (c) => `\\${c}`)}"`;
  return `$'${v.replace(/[\\']/g, (c) => `\\${c}`).replaceAll('\n', '\\n')}'`;
};
const VALUES = ['a=1', 'b=2&c=3', '{"a":1}', '@file.json', 'x y', 'jql=project = OPS', '=z', 'é=ü', '+raw', 'n@m', '', "it's", 'a"b', '$HOME'];
const URLS = ['https://h.example/p', 'h.example', 'h.example:8080/x?y=1', 'http://h/?q#frag', 'https://acme.atlassian.net/rest/api/2/issue?a=b&c=d', 'HTTPS://H.EXAMPLE', '//x', 'h.example?x=1', 'ftp://f/p'];
const HEADERS = ['Authorization: JWT a.b.c', 'Content-Type: application/json', 'accept: */*', 'Accept:', 'X-Empty;', 'content-type:text/plain', 'Host: other', 'X:y:z', 'bad header', ':authority: h'];
const OPTIONS = [
  () => ['-X', pick(['GET', 'POST', 'PUT', 'DELETE', 'patch'])], () => ['-H', pick(HEADERS)], () => ['-d', pick(VALUES)],
  () => ['--data-raw', pick(VALUES)], () => ['--data-binary', pick(VALUES)], () => ['--data-urlencode', pick(VALUES)],
  () => ['--json', pick(VALUES)], () => ['-G'], () => ['--get'], () => ['-I'], () => ['--head'], () => ['--url', pick(URLS)],
  () => ['--url-query', pick(VALUES)], () => ['-F', 'a=b'], () => ['-T', 'f.txt'], () => ['-b', pick(['sid=1', 'cookies.txt'])],
  () => ['-e', pick(['https://r/', 'https://r/;auto', ';auto'])], () => ['-A', 'agent/1'], () => ['-u', 'user:pass'],
  () => ['-o', 'out'], () => ['-sSL'], () => ['-XPOST'], () => ['-HX-A: b'], () => ['--compressed'], () => ['-v'],
  () => ['--oauth2-bearer', 'TKN'], () => ['--referer', 'https://r/'], () => ['--cookie', 'a=b'], () => ['-sd', 'x=1'],
  () => ['--max-time', '5'], () => ['--unknown-flag'], () => ['-'], () => ['--'], () => ['2>&1'], () => ['>', 'out.txt'],
  () => [pick(URLS)], () => [pick(URLS)],
];
const RESPONSES = ['HTTP/1.1 401 Unauthorized\nWWW-Authenticate: JWT realm="x"\nDate: Mon\n\n{"message":"no"}\n',
  '{"errorMessages":["You are not authenticated."]}', 'HTTP/2 403 \nx-seraph-loginreason: AUTHENTICATED_FAILED\n',
  'HTTP/1.1 100 Continue\n\nHTTP/1.1 401 X\n\nbody', 'X-Seraph-Trusted-App-Error: BAD\n\n', ':status: 401\ncontent-type: text/plain\n\nno', ''];

function genCurl() {
  const parts = [pick(['curl', 'curl', '$ curl', 'curl.exe', '% curl'])];
  const n = 1 + int(7);
  for (let k = 0; k < n; k++) parts.push(...pick(OPTIONS)().map((w, j) => (j > 0 || rnd() < 0.2 ? quote(w) : w)));
  if (rnd() < 0.8) parts.splice(1 + int(parts.length), 0, quote(pick(URLS)));
  const sep = () => pick([' ', ' ', ' \\\n  ', ' ^\n  ', ' `\n  ', ' \\\r\n  ']);
  let s = parts.join(sep());
  if (rnd() < 0.2) s += pick([' | jq .', ' ; echo', ' # note', ' && echo ok']);
  return `${s}\n${rnd() < 0.7 ? pick(RESPONSES) : ''}`;
}

function genVerbose() {
  const host = pick(['h.example', 'h.example:443', 'h.example:8443', '', '[::1]:80']);
  const out = [];
  if (rnd() < 0.4) out.push(genCurl().split('\n')[0]);
  if (rnd() < 0.7) out.push(`*   Trying 10.0.0.1:${pick(['443', '80', '8080'])}...`, `* Connected to ${pick(['h.example', 'proxy'])} (10.0.0.1) port ${pick(['443', '80', '8443', '3128', '99999', ''])} (#0)`);
  if (rnd() < 0.4) out.push(pick(['* ALPN: curl offers h2', '* SSL connection using TLSv1.3', '* TLSv1.3 (OUT)']));
  const reqs = 1 + int(3);
  for (let k = 0; k < reqs; k++) {
    out.push(`> ${pick(['GET', 'POST', 'CONNECT', 'connect'])} ${pick(['/x', '/a?b=c', 'x', '*', 'https://abs.example/p', 'h.example:443'])} HTTP/${pick(['1.1', '2'])}`);
    if (host && rnd() < 0.8) out.push(`> ${pick(['Host', 'host', ':authority'])}: ${host}`);
    if (rnd() < 0.3) out.push(`> :scheme: ${pick(['HTTP', 'https', ''])}`);
    if (rnd() < 0.5) out.push('> Authorization: JWT a.b.c');
    out.push(pick(['>', '> ', '']));
    if (rnd() < 0.2) out.push('} [25 bytes data]');
    const statuses = 1 + int(2);
    for (let j = 0; j < statuses; j++) {
      out.push(`< HTTP/${pick(['1.1', '2'])} ${pick(['100', '200', '302', '401', '403', '500'])}${pick(['', ' OK', ' Unauthorized'])}`);
      if (rnd() < 0.6) out.push(`< ${pick(['Date: Mon', 'www-authenticate: JWT', 'Location: /y', 'x-a: b', 'bad'])}`);
      out.push(pick(['<', '< ', '']));
    }
    if (rnd() < 0.6) out.push(pick(['{"message":"no"}', 'line one', 'oauth_problem=token_rejected* Connection #0 to host h left intact', '{ [5 bytes data]']));
    if (rnd() < 0.3) out.push(pick(['* Connection #0 to host h left intact', '* Closing connection 0', '*']));
  }
  return out.join(pick(['\n', '\r\n']));
}

function genHar() {
  const num = () => pick(JSON_NUMBERS);
  const str = (v) => JSON.stringify(v);
  const pairs = () => `[${Array.from({ length: int(4) }, () => (rnd() < 0.9 ? `{"name":${str(pick(['Host', 'authorization', '__proto__', 'X-A', 'x-a', '1', ':authority', '']))},"value":${rnd() < 0.9 ? str(pick(['v', '', 'JWT a.b.c'])) : num()}}` : num())).join(',')}]`;
  const entry = () => {
    const fields = [];
    if (rnd() < 0.9) {
      const r = [];
      if (rnd() < 0.95) r.push(`"method":${rnd() < 0.95 ? str(pick(['GET', 'POST', 'PUT'])) : num()}`);
      if (rnd() < 0.95) r.push(`"url":${str(pick(['https://h.example/a?b=c', 'https://h/favicon.ico', 'https://h/configuration']))}`);
      if (rnd() < 0.8) r.push(`"headers":${rnd() < 0.9 ? pairs() : num()}`);
      if (rnd() < 0.5) r.push(`"postData":{${rnd() < 0.5 ? `"text":${str(pick(['a=1', '', '{"x":1}']))}` : `"params":[{"name":"a b","value":"c&d"},{"name":"é"},{"value":"x"},{"name":"!'()*","value":"~"}]`}}`);
      fields.push(rnd() < 0.95 ? `"request":{${r.join(',')}}` : `"request":${num()}`);
    }
    if (rnd() < 0.9) {
      const r = [`"status":${num()}`];
      if (rnd() < 0.8) r.push(`"headers":${pairs()}`);
      if (rnd() < 0.8) {
        const b64 = rnd() < 0.4;
        const text = b64 ? pick(['Zm9yYmlkZGVu', 'QQ==', 'QR==', 'QUI=', 'QUJ=', '', 'Q Q\\n==', '/w==', '77u/QQ==', '8J+Y', '%%%', 'QQ']) : pick(['{}', '', 'nope', '\\ufeffbom']);
        r.push(`"content":{"text":${rnd() < 0.95 ? `"${text}"` : num()}${b64 ? ',"encoding":"base64"' : ''}}`);
      }
      fields.push(`"response":{${r.join(',')}}`);
    }
    return `{${fields.join(',')}}`;
  };
  const entries = Array.from({ length: 1 + int(4) }, entry).join(pick([',', ' ,\n ']));
  const r = rnd();
  if (r < 0.15) return entry();
  if (r < 0.2) return `{"log":${pick(['{}', '[]', 'null', '{"entries":{}}'])}}`;
  return `${pick(['', ' ', '\n', '\uFEFF'])}{"log":{"version":"1.2","entries":[${entries}]}}${rnd() < 0.8 ? '' : pick(['\n', ' x', ','])}`;
}

function genRaw() {
  const out = [];
  const n = 1 + int(3);
  for (let k = 0; k < n; k++) {
    if (rnd() < 0.85) {
      out.push(rnd() < 0.8 ? `${pick(['GET', 'POST', 'get', 'M@'])} ${pick(['/x', '/a?b=c', 'x', '*', 'http://abs:8080/p', '?q'])} HTTP/${pick(['1.1', '1.0', '2'])}`
        : `:method: ${pick(['DELETE', 'GET'])}`);
      if (rnd() < 0.8) out.push(`${pick(['Host', 'host', ':authority'])}: ${pick(['h.example', 'h.example:80', 'h:443', '', '[::1]:80', 'h:+80'])}`);
      if (rnd() < 0.3) out.push(`:scheme: ${pick(['HTTP', 'https', ''])}`, `:path: ${pick(['/p', ''])}`);
      if (rnd() < 0.5) out.push('X-Long: first', pick(['  second', '\tthird', ' ']));
      out.push('');
      if (rnd() < 0.5) out.push(pick(['a=1&b=2', '{"fields":{}}', '', '   ']));
    }
    if (rnd() < 0.8) {
      out.push(`HTTP/${pick(['1.1', '2', '1.x', ''])} ${pick(['100', '200', '302', '401', '403', '4011', '40', 'abc'])}${pick(['', ' OK', '\tX'])}`);
      if (rnd() < 0.6) out.push(pick(['WWW-Authenticate: OAuth realm="x"', 'Date: Mon', 'x-a: b']));
      out.push('');
      if (rnd() < 0.6) out.push(pick(['nope', 'oauth_problem=timestamp_refused', '{"a":1}', '']));
    }
  }
  return out.join(pick(['\n', '\r\n', '\n\n']));
}

function mutate(t) {
  let s = t;
  const n = 1 + int(3);
  for (let k = 0; k < n; k++) s = pick(MUTATIONS)(s);
  return s;
}

function picks(text) {
  const out = [undefined, { entry: int(4) }, { url: pick(['h', '/', 'x', 'favicon', '"', '\u0000\u{1F600}\u0301', '\uD800']) }];
  if (text.length > 2) {
    const a = int(text.length);
    out.push({ url: text.slice(a, a + 1 + int(12)) });
  }
  if (rnd() < 0.1) out.push(pick([{ entry: 1.5 }, { entry: -1 }, { entry: 1e12 }, { entry: -0 }, { entry: 2 ** 32 }, { entry: 0, url: 'zzz' }]));
  return out;
}

function outcome(api, text, options) {
  try {
    return `ok ${JSON.stringify(api.parseExchange(text, options))}`;
  } catch (e) {
    const extra = Object.keys(e).filter((k) => k !== 'code').sort();
    return `err ${e.constructor.name} ${e.name} ${e.code} ${extra.join(',')} ${e.message}`;
  }
}

const diffs = [];
const golden = new Map();
let runs = 0;
let errors = 0;
const kinds = new Map();
function check(text, where) {
  for (const options of picks(text)) {
    runs++;
    const a = outcome(old, text, options);
    const b = outcome(fresh, text, options);
    if (a.startsWith('err')) errors++;
    if (goldenArg && where !== 'fixed' && where !== 'large' && text.length <= 800) {
      const key = `${where} ${options === undefined ? '' : Object.keys(options).join()} ${a.replace(/[0-9]+/g, 'N').slice(0, 40)}`;
      if (!golden.has(key)) golden.set(key, { text, options, outcome: a });
    }
    if (a !== b) {
      diffs.push({ where, text: text.length > 20000 ? `${text.slice(0, 200)}… (${text.length} chars)` : text, options, wasm: a.slice(0, 2000), js: b.slice(0, 2000) });
    }
  }
  kinds.set(where, (kinds.get(where) ?? 0) + 1);
}

for (const t of base) check(t, 'fixed');
const cases = Number(casesArg);
for (let k = 0; k < cases; k++) {
  const r = rnd();
  if (r < 0.25) check(mutate(pick(base)), 'mutated');
  else if (r < 0.4) check(pasteLike(), 'paste-like');
  else if (r < 0.45) check(randomString(200), 'random');
  else if (r < 0.5) check(mutate(pasteLike()), 'mutated-paste-like');
  else if (r < 0.62) check(rnd() < 0.7 ? genHar() : mutate(genHar()), 'har');
  else if (r < 0.76) check(rnd() < 0.8 ? genCurl() : mutate(genCurl()), 'curl');
  else if (r < 0.88) check(rnd() < 0.8 ? genVerbose() : mutate(genVerbose()), 'curl -v');
  else check(rnd() < 0.8 ? genRaw() : mutate(genRaw()), 'raw');
}
// Large pastes: many header lines in each form, a long $'...' body, the 8 MiB limit.
const big = [
  `> GET /x HTTP/1.1\n> Host: h.example\n${'> X-H: v\n'.repeat(50000)}>\n< HTTP/1.1 401 Unauthorized\n<\n${'body line\n'.repeat(50000)}`,
  `GET /x HTTP/1.1\nHost: h.example\n${'X-H: v\n'.repeat(50000)}\nHTTP/1.1 401 Unauthorized\n\n${'body\r\n'.repeat(50000)}`,
  `HTTP/1.1 401 X\nX-A: a\n${' b\n'.repeat(50000)}`,
  `curl https://h.example/ ${" -H 'X: y' \\\n".repeat(20000)}`,
  `curl https://h.example/ --data-raw $'${'a\\x41\\u00e9é'.repeat(100000)}'`,
  `{"log":{"entries":[${Array(5000).fill('{"request":{"method":"GET","url":"https://h/","headers":[]},"response":{"status":200}}').join(',')}]}}`,
  'a'.repeat(8 * 1024 * 1024),
  'a'.repeat(8 * 1024 * 1024 + 1),
  `${'é'.repeat(4 * 1024 * 1024 - 1)}ab`,
  `${'é'.repeat(4 * 1024 * 1024)}`,
  `${'é'.repeat(4 * 1024 * 1024)}a`,
  `\uFEFF${'a'.repeat(8 * 1024 * 1024 - 3)}`,
  `\uFEFF${'a'.repeat(8 * 1024 * 1024 - 2)}`,
];
for (const t of big) check(t, 'large');

if (goldenArg) writeFileSync(goldenArg, `${JSON.stringify([...golden.values()], null, 1)}\n`);
writeFileSync(outArg, `${JSON.stringify(diffs, null, 1)}\n`);
console.log(`pastes: ${[...kinds].map(([k, v]) => `${k} ${v}`).join(', ')}; runs (paste x pick): ${runs}, of which errors: ${errors}; differences: ${diffs.length} (written to ${outArg})`);
process.exitCode = diffs.length === 0 ? 0 : 1;
