// Differential test of the canonical request and qsh against npm atlassian-jwt@2.0.3.
//
// Every run generates QSH_DIFF_N (at least 12,000) requests from a seeded PRNG. The seed is
// printed; QSH_DIFF_SEED=<n> replays a run. Each request is classified from its INPUT alone:
//   - no class ("agree"): inside atlassian-jwt's correct domain; canonical request and qsh must
//     equal ours byte for byte;
//   - one or more known-disagreement classes (README "Where peers differ"): our output must equal
//     an independent implementation of docs/spec/QSH.md written below (`spec*`), atlassian-jwt must
//     really differ (so the predicate is exact, not a blanket skip), and atlassian-jwt run on the
//     input with its quirk neutralised must give our output back (so nothing else differs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mulberry32 } from './helpers.mjs';
import { createHash, randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import querystring from 'node:querystring';
import * as aj from 'atlassian-jwt';

const require = createRequire(import.meta.url);

// pkg/ disappears for a few seconds while it is rebuilt: wait for it rather than fail.
async function loadPackage() {
  const deadline = Date.now() + 90_000;
  for (;;) {
    try {
      return require('../../pkg/index.cjs');
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

const N = Math.max(12_000, Number(process.env.QSH_DIFF_N) || 0);
const SEED = process.env.QSH_DIFF_SEED !== undefined && process.env.QSH_DIFF_SEED !== ''
  ? Number(process.env.QSH_DIFF_SEED) >>> 0
  : randomInt(0, 2 ** 31);

// ---------------------------------------------------------------------------------------------
// Seeded generator (mulberry32).

const rnd = mulberry32(SEED);
const chance = (p) => rnd() < p;
const pick = (list) => list[Math.floor(rnd() * list.length)];
const upTo = (n) => Math.floor(rnd() * (n + 1));

const METHODS = ['GET', 'get', 'Get', 'POST', 'post', 'Post', 'PUT', 'put', 'pUt', 'DELETE', 'delete', 'PATCH', 'patch', 'HEAD', 'OPTIONS'];
const HOSTS = ['https://acme.atlassian.net', 'http://jira.local:8080', 'https://dc.example.com', 'HTTPS://Confluence.Example.COM', 'https://user:pw@h.example.com:8443', 'http://[::1]:8080', 'https://prod-api.zephyr4jiracloud.com'];
const BASE_PATHS = ['', '', '/', '/wiki', '/wiki/', '/connect', '/connect/', '/jira', '/jira/', '/confluence', '/a/b', '/a/b/'];

// Path segments. PLAIN ones are inside atlassian-jwt's correct domain wherever they appear.
const PLAIN_SEGMENTS = ['rest', 'api', '2', '3', 'latest', 'issue', 'ABC-123', 'search', 'content', 'project', 'space', 'DEV', 'attachment', '10001', 'user', 'properties',
  'x%20y', 'caf%C3%A9', 'caf%c3%a9', 'a%2Fb', 'a%2fb', '%7E', '%7e', 'a+b', 'a;b=1', ';jsessionid=AB12', 'a&b', '&', '~u', '-._', 'a@b', ':x', "!$()*,", 'a=b', 'a%26b',
  '100%', 'a%zz', '%', '.', '..', '%2e', 'wiki', 'connect', 'Wiki', ''];
// QUIRKY ones: raw characters that the client escapes on the wire but url.parse may not (or the reverse).
const QUIRKY_SEGMENTS = ['café', '日本', '😀', 'Ω', 'a"b', '{id}', 'a`b', '<x>', "it's", 'a|b', 'a^b', 'a b', 'a\\b'];
const CONTEXT_TRAPS = ['pedia', '-old', '.bak', 'x', '%20'];

// Query names. PLAIN ones sort the same by decoded and by encoded name (unreserved characters,
// and characters below '-' which encode to %2X in the same relative order).
const PLAIN_NAMES = ['jql', 'a', 'a', 'b', 'b', 'B', 'A', 'Z', 'z', 'fields', 'expand', 'maxResults', 'startAt', 'spaceKey', 'issueKey', 'x', '_', '-', '~', '.', '1', '10', '9', '',
  'jwt', 'jwt', 'JWT', 'Jwt', 'j%77t', 'x y', 'x+y', 'x%20y', 'a.b', 'a-b', 'a_b', 'a~b', '%61', '%41', 'q*', 'a(b)', "a'", 'a!', 'constructor', 'toString'];
const QUIRKY_NAMES = ['é', '%C3%A9', '%c3%a9', 'a[b]', 'a%5Bb%5D', 'a[]', 'a/b', 'a:b', 'a@b', 'a;b', '[x]', '日本', '😀', '｡', '%F0%9F%98%80', '%EF%BD%A1', 'Ω',
  '__proto__', '%5F_proto__', '%zz', 'a%', '%', '%FF', 'é%FF', 'A%5B', 'a=b'];
const TOKEN = 'eyJhbGciOiJIUzI1NiJ9.eyJxc2giOiJ4In0.c2ln';
const PLAIN_VALUES = ['', '', '1', '42', 'a b', 'a+b', 'a%20b', 'a%2Bb', '%2B', '+', 'x,y', 'a,b,c', 'project = "TEST" ORDER BY created DESC', 'TEST-1', 'body.storage,version', 'true',
  '%C3%A9', '%c3%a9', 'caf%C3%A9', '%E2%82%AC', '€', 'é', '日本', '😀', '｡', '\uE000', '~-._', "!*'()", ':/?@[]', '$;=', '%2520', '%253D', '%26', '%3D', 'a=b', '==', '*',
  '\\', '<>"`{}|^', '%23', '%25', TOKEN];
// Malformed escapes, escapes that are not UTF-8, and raw non-ASCII mixed with them.
const QUIRKY_VALUES = ['%zz', '100%', '%', '%2', 'a%', '%FF', '%C3', '%F0%9F%98', '%ED%A0%80', '%C0%80', 'é%FF', '%C3é', 'x%zzy'];

const BODY_KEYS = ['a', 'b', 'c', 'fields', 'name', 'x y', 'jwt', 'JWT', '~', '_', 'constructor'];
const QUIRKY_BODY_KEYS = ['é', 'a[b]', '__proto__', '日本', 'a/b'];
const BODY_VALUES = ['1', 'x y', 'a+b', '%zz', 'é', '', ' ', 'a,b', '😀', '%20', 'Z'];

function genSegments(quirky) {
  const out = [];
  for (let i = upTo(4); i > 0; i--) out.push(quirky && chance(0.3) ? pick(QUIRKY_SEGMENTS) : pick(PLAIN_SEGMENTS));
  return out;
}

function genPath(basePath, quirky) {
  const context = basePath.replace(/\/$/, '');
  let prefix = '';
  if (context && chance(0.75)) prefix = context + (quirky && chance(0.15) ? pick(CONTEXT_TRAPS) : '');
  const segments = genSegments(quirky);
  // Never start with '//' (a protocol-relative URL, not a path).
  if (!prefix && segments[0] === '') segments[0] = 'rest';
  let path = prefix + (segments.length ? '/' + segments.join('/') : '');
  if (chance(0.12)) path += '/';
  if (path === '') path = chance(0.7) ? '/' : '';
  return path;
}

function genValue(quirky) {
  const one = () => (quirky && chance(0.25) ? pick(QUIRKY_VALUES) : pick(PLAIN_VALUES));
  return chance(0.12) ? one() + one() : one();
}

function genParams(quirky, max) {
  const segments = [];
  const names = [];
  for (let i = upTo(max); i > 0; i--) {
    const name = names.length && chance(0.25) ? pick(names) : (quirky && chance(0.3) ? pick(QUIRKY_NAMES) : pick(PLAIN_NAMES));
    names.push(name);
    const value = genValue(quirky);
    segments.push(value === '' && chance(0.35) ? name : `${name}=${value}`);
    if (chance(0.04)) segments.push('');
  }
  if (chance(0.04)) segments.unshift('');
  return segments.join('&');
}

function genBodyObject(quirky) {
  const body = [];
  for (let i = upTo(4); i > 0; i--) {
    const key = quirky && chance(0.25) ? pick(QUIRKY_BODY_KEYS) : pick(BODY_KEYS);
    const r = rnd();
    let value;
    if (r < 0.55) value = pick(BODY_VALUES);
    else if (r < 0.8) value = Array.from({ length: 1 + upTo(2) }, () => pick(BODY_VALUES));
    else if (r < 0.88) value = pick([0, 9, 10, 42]);
    else if (r < 0.94) value = pick([true, false, [10, 9], [true, 'false']]);
    else value = quirky ? [] : 'v';
    body.push([key, value]);
  }
  // Object.fromEntries defines '__proto__' as an own property, as a body parser would.
  return Object.fromEntries(body);
}

function generate() {
  const quirky = chance(0.3);
  const method = pick(METHODS);
  const basePath = pick(BASE_PATHS);
  const host = pick(HOSTS);
  const absolute = chance(0.65);
  const path = genPath(basePath, quirky);
  const isPostPut = ['POST', 'PUT'].includes(method.toUpperCase());
  const wantQuery = !(isPostPut && chance(0.45)) && chance(0.85);
  const query = wantQuery ? genParams(quirky, 5) : '';
  let url = (absolute ? host : '') + path;
  if (query || chance(0.08)) url += '?' + (query || pick(['', '&', '&&']));
  if (chance(0.05)) url += pick(['#frag', '#x?y=1&z', '#/route?a=b']);
  if (!absolute && url === '') url = '/';
  const request = { method, url };
  if (basePath !== '' || chance(0.5)) {
    // Mostly the product's absolute base URL; sometimes an app's relative base path.
    request.baseUrl = (chance(0.9) ? host : '') + basePath;
    if (request.baseUrl === '') delete request.baseUrl;
  }
  const emptyQuery = splitQuery(url).every((s) => s === '');
  if ((isPostPut && emptyQuery && chance(0.8)) || chance(0.04)) {
    request.body = chance(0.5) ? genParams(quirky, 4) : genBodyObject(quirky);
  }
  return request;
}

// ---------------------------------------------------------------------------------------------
// The spec (docs/spec/QSH.md), written independently of both implementations.

const utf8 = new TextEncoder();
const lossy = new TextDecoder('utf-8');
const strict = new TextDecoder('utf-8', { fatal: true });
const MALFORMED = /%(?![0-9A-Fa-f]{2})/;
const UNRESERVED = /[A-Za-z0-9\-._~]/;

function specEncode(s) {
  let out = '';
  for (const byte of utf8.encode(s)) {
    const c = String.fromCharCode(byte);
    out += UNRESERVED.test(c) ? c : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/** Form decoding: '+' is a space, %XX a byte, other characters their UTF-8, invalid UTF-8 U+FFFD. */
function specDecode(s) {
  const bytes = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '+') bytes.push(0x20);
    else if (c === '%' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      bytes.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const cp = s.codePointAt(i);
      if (cp > 0xffff) i++;
      bytes.push(...utf8.encode(String.fromCodePoint(cp)));
    }
  }
  return lossy.decode(new Uint8Array(bytes));
}

/** [name, value] pairs of a raw form string; parameters with a malformed escape are skipped. */
function specFormParams(raw) {
  const out = [];
  for (const segment of raw.split('&')) {
    if (segment === '' || MALFORMED.test(segment)) continue;
    const eq = segment.indexOf('=');
    const [n, v] = eq < 0 ? [segment, ''] : [segment.slice(0, eq), segment.slice(eq + 1)];
    out.push([specDecode(n), specDecode(v)]);
  }
  return out;
}

function specBodyParams(body) {
  if (typeof body === 'string') return specFormParams(body);
  const out = [];
  for (const [k, v] of Object.entries(body)) for (const x of Array.isArray(v) ? v : [v]) out.push([k, String(x)]);
  return out;
}

const bytewise = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const utf16 = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

function specQuery(params) {
  const groups = new Map();
  for (const [n, v] of params) {
    if (n === 'jwt') continue;
    if (!groups.has(n)) groups.set(n, []);
    groups.get(n).push(v);
  }
  return [...groups]
    .map(([n, vs]) => [specEncode(n), vs.sort(utf16).map(specEncode).join(',')])
    .sort((a, b) => bytewise(a[0], b[0]))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
}

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

/** The raw path (backslashes as '/'), raw query and absoluteness of a URL as the caller wrote it. */
function splitUrl(url) {
  let rest = url;
  const absolute = ABSOLUTE.test(url);
  if (absolute) {
    rest = rest.slice(rest.indexOf('//') + 2);
    const end = rest.search(/[/?#]/);
    rest = end < 0 ? '' : rest.slice(end);
  }
  const hash = rest.indexOf('#');
  if (hash >= 0) rest = rest.slice(0, hash);
  const q = rest.indexOf('?');
  const path = (q < 0 ? rest : rest.slice(0, q)).replace(/\\/g, '/');
  return { absolute, path, query: q < 0 ? '' : rest.slice(q + 1) };
}
const splitQuery = (url) => splitUrl(url).query.split('&');
const basePathOf = (baseUrl) => splitUrl(baseUrl).path;

/** What a client (WHATWG URL) puts on the wire: controls, space, " < > ` { } and non-ASCII escaped. */
function wirePath(path) {
  let out = '';
  for (const ch of path) out += /^[\x00-\x20"<>`{}\x7f]$/.test(ch) || ch.codePointAt(0) > 0x7e ? specEncode(ch) : ch;
  return out;
}

function specPath(url, baseUrl) {
  let p = wirePath(splitUrl(url).path);
  const context = baseUrl === undefined ? '' : basePathOf(baseUrl).replace(/\/$/, '');
  if (context && (p === context || p.startsWith(context + '/'))) p = p.slice(context.length);
  if (p.endsWith('/')) p = p.slice(0, -1);
  if (p === '') p = '/';
  p = p.replace(/&/g, '%26');
  return p.startsWith('/') ? p : '/' + p;
}

function specUsesBody(r) {
  return r.body !== undefined && ['POST', 'PUT'].includes(r.method.toUpperCase()) && specFormParams(splitUrl(r.url).query).length === 0;
}

function specCanonical(r) {
  const params = specUsesBody(r) ? specBodyParams(r.body) : specFormParams(splitUrl(r.url).query);
  return `${r.method.toUpperCase()}&${specPath(r.url, r.baseUrl)}&${specQuery(params)}`;
}

// ---------------------------------------------------------------------------------------------
// Classification: predicates on the input only.

/** Each maximal run of %XX escapes must be valid UTF-8 for decodeURIComponent to accept it. */
function hasNonUtf8Escapes(component) {
  for (const run of component.match(/(?:%[0-9A-Fa-f]{2})+/g) ?? []) {
    try {
      strict.decode(new Uint8Array(run.slice(1).split('%').map((h) => parseInt(h, 16))));
    } catch {
      return true;
    }
  }
  return false;
}

/** Would url.parse leave the path different from what the client sends? */
function legacyPathDiffers(url, path) {
  const { absolute } = splitUrl(url);
  const beforeSplit = url.split(/[?#]/)[0];
  // url.parse's fast path (relative, no whitespace, no '#', no '@' before the query) leaves the
  // path raw; otherwise it escapes \t\n\r space " ' < > \ ^ ` { | } and leaves non-ASCII raw.
  const fast = !absolute && !/\s/.test(url) && !url.includes('#') && !beforeSplit.includes('@') && /^\/\/?(?!\/)/.test(url);
  return fast ? /[ "<>`{}]|[^\x00-\x7f]/.test(path) : /['^|]|[^\x00-\x7f]/.test(path);
}

function classify(r) {
  const classes = new Set();
  const { absolute, path, query } = splitUrl(r.url);
  const isPostPut = ['POST', 'PUT'].includes(r.method.toUpperCase());
  const querySegments = query.split('&').filter(Boolean);
  const theirsUsesBody = r.body !== undefined && isPostPut && querySegments.length === 0;
  const oursUsesBody = specUsesBody(r);

  // Raw form segments atlassian-jwt reads (a form-string body goes through querystring.parse).
  const formSegments = [...querySegments];
  if (theirsUsesBody && typeof r.body === 'string') formSegments.push(...r.body.split('&').filter(Boolean));
  const dropped = (rawName) => !MALFORMED.test(rawName) && ['jwt', '__proto__'].includes(specDecode(rawName));
  for (const segment of formSegments) {
    const eq = segment.indexOf('=');
    const [n, v] = eq < 0 ? [segment, ''] : [segment.slice(0, eq), segment.slice(eq + 1)];
    // atlassian-jwt keeps a malformed escape literally (%25); servers skip the parameter. No
    // difference when atlassian-jwt drops the parameter anyway (jwt, __proto__).
    if (MALFORMED.test(segment) && !dropped(n)) classes.add('malformed-escape');
    // querystring falls back to a byte-per-char decoder when decodeURIComponent throws, which
    // truncates raw non-ASCII characters to one byte each.
    if (!MALFORMED.test(segment) && !dropped(n) && [n, v].some((c) => /[^\x00-\x7f]/.test(c) && hasNonUtf8Escapes(c))) classes.add('raw-non-ascii-with-invalid-utf8');
  }
  // Skipping malformed parameters can empty the query, so the servers (and we) read the body
  // where atlassian-jwt reads the query (which it may reduce to nothing: jwt=%zz).
  if (oursUsesBody && !theirsUsesBody && specQuery(specBodyParams(r.body)) !== '') classes.add('malformed-escape');

  const params = oursUsesBody ? specBodyParams(r.body) : specFormParams(query);
  if (params.some(([n]) => n === '__proto__')) classes.add('proto-key');
  if (oursUsesBody && typeof r.body === 'object' && Object.entries(r.body).some(([k, v]) => Array.isArray(v) && v.length === 0 && k !== 'jwt' && k !== '__proto__')) {
    classes.add('empty-array-body-value');
  }
  const names = [...new Set(params.map(([n]) => n))].filter((n) => n !== 'jwt' && n !== '__proto__');
  const byDecoded = [...names].sort(utf16);
  const byEncoded = [...names].sort((a, b) => bytewise(specEncode(a), specEncode(b)));
  if (byDecoded.join('\0') !== byEncoded.join('\0')) classes.add('name-order');

  if (legacyPathDiffers(r.url, path)) classes.add('path-escaping');
  if (r.baseUrl !== undefined) {
    const raw = basePathOf(r.baseUrl); // what jsuri's path() gives
    const context = raw.replace(/\/$/, '');
    const p = absolute && path === '' ? '/' : path; // url.parse's pathname
    const specStrips = context !== '' && (p === context || p.startsWith(context + '/'));
    if (raw !== '' && !raw.endsWith('/') && p.startsWith(raw) && !specStrips) classes.add('base-prefix-no-boundary');
    // atlassian-jwt strips the base path with its trailing '/': a URL equal to the base keeps
    // it, and base + '//x' loses one more '/' than the servers strip.
    if (raw.endsWith('/') && ((context !== '' && p === context) || (p.startsWith(raw + '/') && p.length > raw.length + 1))) classes.add('base-trailing-slash');
  }
  return [...classes].sort();
}

// ---------------------------------------------------------------------------------------------
// The two implementations.

function cloneBody(body) {
  if (body === undefined || typeof body === 'string') return body;
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v]));
}

/** atlassian-jwt as an app calls it: the body (parsed as a body parser would) when the query is empty. */
function theirs(r) {
  let body = r.body;
  if (typeof body === 'string') body = querystring.parse(body);
  const useBody = body !== undefined && splitUrl(r.url).query.split('&').every((s) => s === '');
  const make = () => (useBody ? aj.fromMethodAndPathAndBody(r.method, r.url, cloneBody(body)) : aj.fromMethodAndUrl(r.method, r.url));
  return {
    canonical: aj.createCanonicalRequest(make(), r.body !== undefined, r.baseUrl),
    qsh: aj.createQueryStringHash(make(), r.body !== undefined, r.baseUrl),
  };
}

function ours(api, r) {
  const options = {};
  if (r.baseUrl !== undefined) options.baseUrl = r.baseUrl;
  if (r.body !== undefined) options.body = cloneBody(r.body);
  return { canonical: api.createCanonicalRequest(r.method, r.url, options), qsh: api.createQsh(r.method, r.url, options) };
}

/** The input with atlassian-jwt's query and base-path quirks neutralised (the path is left as is). */
function neutralise(r, classes) {
  const fixForm = (raw) => raw.split('&').filter((s) => !MALFORMED.test(s)).join('&').replace(/[^\x00-\x7f]/gu, (c) => specEncode(c));
  const out = { ...r };
  const { query } = splitUrl(r.url);
  const q = r.url.indexOf('?');
  if (q >= 0 && (r.url.indexOf('#') < 0 || q < r.url.indexOf('#'))) {
    out.url = r.url.slice(0, q + 1) + fixForm(query) + r.url.slice(q + 1 + query.length);
  }
  if (typeof r.body === 'string') out.body = fixForm(r.body);
  else if (r.body !== undefined) out.body = Object.fromEntries(Object.entries(r.body).filter(([, v]) => !(Array.isArray(v) && v.length === 0)));
  if (classes.includes('base-prefix-no-boundary')) delete out.baseUrl;
  if (classes.includes('base-trailing-slash')) out.baseUrl = r.baseUrl.replace(/\/$/, '');
  return out;
}

function parts(canonical) {
  const i = canonical.indexOf('&');
  const j = canonical.indexOf('&', i + 1);
  return { method: canonical.slice(0, i), path: canonical.slice(i + 1, j), query: canonical.slice(j + 1) };
}
const entries = (query) => (query === '' ? [] : query.split('&'));
const entryName = (e) => e.slice(0, e.indexOf('='));
const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

// Class-specific statements of the server rule, on top of the full spec comparison.
const CLASS_CHECKS = {
  'name-order': (r, o) => {
    const names = entries(parts(o).query).map(entryName);
    assert.deepEqual(names, [...names].sort(bytewise), 'entries sorted by encoded name (byte order)');
  },
  'malformed-escape': (r, o) => {
    const skipped = splitQuery(r.url).concat(typeof r.body === 'string' ? r.body.split('&') : []).filter((s) => MALFORMED.test(s));
    for (const s of skipped) {
      const raw = s.split('=')[0];
      if (!MALFORMED.test(raw)) continue;
      assert.ok(!entries(parts(o).query).some((e) => entryName(e) === specEncode(raw)), `parameter ${s} skipped, not kept literally`);
    }
  },
  'raw-non-ascii-with-invalid-utf8': (r, o) => {
    const components = splitQuery(r.url).concat(typeof r.body === 'string' ? r.body.split('&') : [])
      .filter((s) => !MALFORMED.test(s)).flatMap((s) => [s.split('=')[0], s.slice(s.indexOf('=') + 1)])
      .filter((c) => /[^\x00-\x7f]/.test(c) && hasNonUtf8Escapes(c));
    // e.g. 'é%FF' is %C3%A9%EF%BF%BD (the raw character whole, U+FFFD for the bad byte).
    assert.ok(components.some((c) => parts(o).query.includes(specEncode(specDecode(c)))), 'raw characters kept whole beside U+FFFD');
  },
  'proto-key': (r, o) => assert.ok(entries(parts(o).query).some((e) => entryName(e) === '__proto__'), '__proto__ kept'),
  'empty-array-body-value': (r, o) => {
    for (const [k, v] of Object.entries(r.body)) {
      if (Array.isArray(v) && v.length === 0) assert.ok(!entries(parts(o).query).some((e) => entryName(e) === specEncode(k)), `no entry for ${k}: []`);
    }
  },
  'path-escaping': (r, o) => {
    assert.match(parts(o).path, /^[\x21-\x7e]+$/, 'non-ASCII escaped as sent');
    assert.doesNotMatch(parts(o).path, /["<>`{}]/, 'quotes and braces escaped as sent');
    for (const c of ["'", '^', '|']) if (splitUrl(r.url).path.includes(c)) assert.ok(parts(o).path.includes(c), `${c} left raw, as sent`);
  },
  'base-prefix-no-boundary': (r, o) => assert.ok(parts(o).path.startsWith(basePathOf(r.baseUrl).replace(/\/$/, '')), 'base path not stripped off a segment boundary'),
  'base-trailing-slash': (r, o) => {
    const context = basePathOf(r.baseUrl).replace(/\/$/, '');
    const p = splitUrl(r.url).path;
    if (p === context) assert.equal(parts(o).path, '/', 'URL equal to the base URL hashes as /');
    else assert.ok(parts(o).path.startsWith('//'), 'only the base path is stripped, not the next /');
  },
};

// ---------------------------------------------------------------------------------------------

test(`qsh differential against atlassian-jwt@${aj.version}: ${N} generated requests (seed ${SEED}, QSH_DIFF_SEED to replay)`, async () => {
  const api = await loadPackage();
  console.log(`qsh-differential: seed ${SEED} (replay with QSH_DIFF_SEED=${SEED})`);
  const started = Date.now();
  const byCombination = { agree: 0 };
  const byClass = {};
  const failures = [];
  const fail = (i, r, why, extra) => failures.push({ i, why, input: r, ...extra });
  let compared = 0;

  for (let i = 0; i < N; i++) {
    const r = generate();
    let o;
    try {
      o = ours(api, r);
    } catch (error) {
      fail(i, r, `ours threw ${error.code}: ${error.message}`);
      continue;
    }
    const t = theirs(r);
    const spec = specCanonical(r);
    const classes = classify(r);
    compared++;
    const key = classes.length ? classes.join('+') : 'agree';
    byCombination[key] = (byCombination[key] ?? 0) + 1;
    for (const c of classes) byClass[c] = (byClass[c] ?? 0) + 1;

    if (o.qsh !== sha256(o.canonical)) fail(i, r, 'createQsh is not the SHA-256 of createCanonicalRequest', { ours: o });
    if (classes.length === 0) {
      // atlassian-jwt's correct domain: byte-for-byte agreement.
      if (o.canonical !== t.canonical || o.qsh !== t.qsh) fail(i, r, 'differs from atlassian-jwt inside its correct domain', { ours: o.canonical, theirs: t.canonical, spec });
      else if (o.canonical !== spec) fail(i, r, 'ours and atlassian-jwt agree but differ from docs/spec/QSH.md', { ours: o.canonical, spec });
      continue;
    }
    // A known-disagreement class: ours must follow the spec ...
    if (o.canonical !== spec || o.qsh !== sha256(spec)) {
      fail(i, r, `[${key}] ours differs from docs/spec/QSH.md`, { ours: o.canonical, spec, theirs: t.canonical });
      continue;
    }
    // ... atlassian-jwt must really differ (the predicate is exact) ...
    if (t.canonical === o.canonical) fail(i, r, `[${key}] classified as a disagreement but atlassian-jwt agrees (predicate too wide)`, { ours: o.canonical });
    // ... and with its quirks neutralised atlassian-jwt must give our output back.
    const nr = neutralise(r, classes);
    const n = parts(theirs(nr).canonical);
    // (Neutralising the query can move url.parse between its fast and slow paths.)
    const comparePath = !legacyPathDiffers(nr.url, splitUrl(nr.url).path);
    const op = parts(o.canonical);
    const resorted = entries(n.query).sort((a, b) => bytewise(entryName(a), entryName(b))).join('&');
    const withoutProto = entries(op.query).filter((e) => entryName(e) !== '__proto__').join('&');
    if (n.method !== op.method || resorted !== withoutProto || (comparePath && n.path !== op.path)) {
      fail(i, r, `[${key}] differs from atlassian-jwt by more than its documented quirks`, { ours: o.canonical, theirsNeutralised: `${n.method}&${n.path}&${resorted}` });
    }
    for (const c of classes) {
      try {
        CLASS_CHECKS[c](r, o.canonical);
      } catch (error) {
        fail(i, r, `[${c}] ${error.message}`, { ours: o.canonical });
      }
    }
  }

  const ms = Date.now() - started;
  console.log(`qsh-differential: ${compared} requests compared in ${ms} ms; agree ${byCombination.agree} (${((100 * byCombination.agree) / compared).toFixed(1)}%)`);
  console.log('qsh-differential: per class (a request may be in several):', byClass);
  console.log('qsh-differential: per combination:', Object.fromEntries(Object.entries(byCombination).sort((a, b) => b[1] - a[1])));
  if (failures.length) {
    console.log(`qsh-differential: ${failures.length} failures (seed ${SEED}); first ones:`);
    for (const f of failures.slice(0, 10)) console.log(JSON.stringify(f, null, 1));
  }
  assert.equal(failures.length, 0, `${failures.length} failures (seed ${SEED}); first: ${JSON.stringify(failures[0])}`);
  assert.ok(compared >= 10_000, `only ${compared} requests compared`);
  assert.ok(byCombination.agree >= compared * 0.6, `the agree class is not the large majority: ${byCombination.agree} of ${compared}`);
});
