// atlassian-sign/atlassian-jwt against npm atlassian-jwt@2.0.3: generated inputs (seeded; set
// DROPIN_SEED to replay a run) through every export of both modules, comparing outputs and
// whether (and what) each throws. Outputs may differ only in the documented classes below,
// each decided by a predicate on the input, and there the drop-in must give the server's
// answer: this package's createCanonicalRequest (the core) on the request as sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, createSign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import querystring from 'node:querystring';
import * as aj from 'atlassian-jwt';
import _ from 'lodash';
import * as api from '../../pkg/index.mjs';
import { root, vector } from './helpers.mjs';

const require = createRequire(import.meta.url);
const drop = require('../../pkg/atlassian-jwt.cjs');
const rsa = vector('oauth-cases.json').test_key;

const SEED = Number(process.env.DROPIN_SEED ?? (Date.now() % 2 ** 31));
console.log(`# atlassian-jwt drop-in: seed ${SEED} (replay with DROPIN_SEED=${SEED})`);

function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
// Generators draw from `rnd`; withRandom() swaps its source so that one request can be built
// twice from its own seed (each module gets a fresh copy: the peer sorts arrays in place).
let source = prng(SEED);
const rnd = () => source();
function withRandom(seed, f) {
  const outer = source;
  source = prng(seed);
  try {
    return f();
  } finally {
    source = outer;
  }
}
const chance = (p) => rnd() < p;
const int = (n) => Math.floor(rnd() * n);
const pick = (list) => list[int(list.length)];
const some = (max, f) => Array.from({ length: int(max + 1) }, f);

function outcome(f) {
  try {
    return { ok: true, value: f() };
  } catch (error) {
    return { ok: false, error };
  }
}
const what = (o) => (o.ok ? o.value : `${o.error.name}: ${o.error.message}`);
const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const encodeRfc3986 = (v) => encodeURIComponent(v).replace(/[!'()]/g, escape).replace(/\*/g, '%2A');
const counts = {};
const count = (name, n = 1) => { counts[name] = (counts[name] ?? 0) + n; };

// ---------------------------------------------------------------------------------------------
// The documented differences (README "Where peers differ"), as predicates on the input
// ---------------------------------------------------------------------------------------------

// Base URLs and their path as atlassian-jwt (jsUri) reads it.
const BASES = [
  [undefined, ''], ['', ''], ['https://acme.atlassian.net', ''], ['https://acme.atlassian.net/', '/'],
  ['https://acme.atlassian.net/wiki', '/wiki'], ['https://acme.atlassian.net/wiki/', '/wiki/'], ['/wiki', '/wiki'],
  ['https://jira.acme.com:8443/jira', '/jira'], ['https://jira.acme.com/jira/', '/jira/'],
  ['https://prod-api.zephyr4jiracloud.com/connect', '/connect'], ['https://acme.example/a%20b', '/a%20b'],
];

const isSimplePath = (u) => !/[#@]/.test(u) && /^(\/\/?(?!\/)[^?\s]*)(\?[^\s]*)?$/.test(u.trim());

/** Which documented classes an input falls in. */
function classesOf({ path, pathIsWire, url: rawUrl, names, rawQuery, basePath, arrays, pathAndBodyQuery }) {
  const c = [];
  const named = names.filter((n) => n !== 'jwt' && n !== '__proto__');
  const byDecoded = [...named].sort().join('\n');
  const byEncoded = [...named].sort((a, b) => (encodeRfc3986(a) < encodeRfc3986(b) ? -1 : encodeRfc3986(a) > encodeRfc3986(b) ? 1 : 0)).join('\n');
  if (byDecoded !== byEncoded) c.push('query names sorted');
  if (typeof path === 'string' && basePath) {
    // atlassian-jwt strips the base path as a plain prefix, trailing '/' included.
    const b = basePath.replace(/\/+$/, '');
    if (path.startsWith(b) && (basePath.endsWith('/') || !(path === b || path.startsWith(b + '/')))) c.push('base URL path strip');
  }
  if (rawQuery !== null && /%(?![0-9a-fA-F]{2})/.test(rawQuery)) c.push('malformed escapes in the query');
  if (rawQuery !== null && rawQuery.split('&').some((part) => {
    const eq = part.indexOf('=');
    return [eq === -1 ? part : part.slice(0, eq), eq === -1 ? '' : part.slice(eq + 1)].some((x) => {
      const text = x.replace(/\+/g, ' ');
      if (!/[^\x00-\x7f]/.test(text) || !/%[0-9a-fA-F]{2}/.test(text)) return false;
      try { decodeURIComponent(text); return false; } catch { return true; }
    });
  })) {
    c.push('undecodable escapes beside raw non-ASCII in the query');
  }
  if (names.includes('__proto__')) c.push('a parameter named __proto__');
  if (typeof path === 'string' && (/[\x00-\x20\x7f"<>`{}\\]|[^\x00-\x7f]/.test(path) ||
      (!pathIsWire && /[#?]/.test(path)) || (rawUrl !== undefined && !isSimplePath(rawUrl) && /['^|]/.test(path)))) {
    c.push('raw path characters');
  }
  if (arrays.some((a) => a.length > 1 && (a.includes(undefined) || Object.keys(a).length < a.length))) c.push('undefined in an array value');
  if (pathAndBodyQuery) c.push('fromMethodAndPathAndBody with a query');
  return c;
}

// ---------------------------------------------------------------------------------------------
// Generated requests
// ---------------------------------------------------------------------------------------------

const SEGMENTS = ['rest', 'api', '2', 'issue', 'TEST-1', 'wiki', 'wikipedia', 'jira', 'jiraX', 'connect', 'a%20b', 'x.y',
  'a b', '%2F', '%zz', 'é', 'caf%C3%A9', 'caf%c3%a9', '&', 'a&b', '{x}', '"q"', '|', '^', "'", '`', '~', '*', '+', ';', ':',
  '!', '$', '(', ')', '=', ',', '\\', '😀', '.', '..', '', 'a\tb', '100%'];
const NAMES = ['a', 'b', 'z', 'A', 'Z', '_', '-', '~', 'é', 'a[b]', 'a.b', 'a_b', 'jwt', 'JWT', '__proto__', 'constructor',
  'toString', '%zz', '100%', '%41', '%C3%A9', '+', 'a+b', ' ', '', 'x%20y', '*', '%2A', '%E2%82%AC', '%FF', '%C3',
  'a,b', 'a=b', '😀', '%F0%9F%98%80', 'ü', 'Ä', '0', '1', '10', '9', 'expand', 'jql', 'lic', 'xdm_e'];
const VALUES = [...NAMES, 'project = TEST', 'body.storage', 'context-qsh', 'a%2Cb', 'x'.repeat(40), '%', '%%', '%ED%A0%80'];
const METHODS = ['GET', 'get', 'Post', 'POST', 'PUT', 'put', 'DELETE', 'PATCH', 'HEAD', 'options'];
const ODD_METHODS = ['', 'gét', 'a b', 'ß', 'G&T', undefined, 5];

function genPath() {
  const parts = some(4, () => pick(SEGMENTS) + (chance(0.25) ? pick(SEGMENTS) : ''));
  if (parts.length && !parts[0]) parts[0] = 'x'; // no "//host" (a client never sends one)
  const prefix = chance(0.4) ? pick(['/wiki', '/wikipedia', '/jira', '/connect', '/a%20b', '/a b']) : '';
  let p = prefix + parts.map((s) => '/' + s).join('');
  if (chance(0.15)) p += '/';
  return p || (chance(0.5) ? '/' : '');
}
function genQuery() {
  const pairs = some(5, () => {
    const n = pick(NAMES);
    if (chance(0.1)) return n; // a name alone
    return n + '=' + (chance(0.5) ? pick(VALUES) : pick(VALUES) + pick(VALUES));
  });
  if (chance(0.1)) pairs.splice(int(pairs.length + 1), 0, '');
  if (chance(0.15) && pairs.length) pairs.push(pairs[0].split('=')[0] + '=' + pick(VALUES)); // repeated name
  return pairs.join('&');
}
function genUrl() {
  const path = genPath();
  const query = chance(0.8) ? genQuery() : null;
  let u = path + (query !== null ? '?' + query : '');
  if (chance(0.05)) u += '#frag';
  if (chance(0.15)) u = pick(['https://acme.atlassian.net', 'http://localhost:8080', 'https://jira.acme.com:8443']) + (u.startsWith('/') ? u : '/' + u);
  return u;
}
const method = () => (chance(0.03) ? pick(ODD_METHODS) : pick(METHODS));

/** The wire path and query of a URL, split as every client does. */
function wireParts(u) {
  const noHash = u.split('#')[0];
  const abs = /^https?:\/\/[^/?]*/.exec(noHash);
  const rest = abs ? noHash.slice(abs[0].length) : noHash;
  const q = rest.indexOf('?');
  return { path: q === -1 ? rest : rest.slice(0, q), query: q === -1 ? null : rest.slice(q + 1) };
}

/** The server's canonical request: the core on the URL as sent; the method uppercased as the peer does. */
function serverCanonical(m, u, baseUrl) {
  return m.toUpperCase() + '&' + api.createCanonicalRequest('GET', u, { baseUrl }).slice(4);
}

// Literal parameter objects: strings, arrays, other JSON-ish values (String() applies), inherited
// and own __proto__ members, odd containers.
function genParams() {
  if (chance(0.06)) return pick([undefined, null, '', 'a=1', [], ['x', 'y'], 0, 5, new Map([['a', '1']]), Object.create(null)]);
  const o = chance(0.05) ? Object.create(INHERITED) : {};
  for (let i = int(5); i > 0; i--) {
    const name = pick(NAMES.filter((n) => n !== '__proto__'));
    o[name] = genValue();
  }
  if (chance(0.05)) Object.defineProperty(o, '__proto__', { value: genValue(), enumerable: true, writable: true, configurable: true });
  return o;
}
function genValue() {
  const r = rnd();
  if (r < 0.55) return pick(VALUES);
  if (r < 0.8) {
    const a = some(4, () => (chance(0.06) ? undefined : chance(0.85) ? pick(VALUES) : pick([1, 10, 9, true, null, ['b', 'a']])));
    if (chance(0.03)) a.length += 2; // holes
    return a;
  }
  return pick([0, 1, 10, -1.5, 1e21, true, false, null, undefined, {}, CUSTOM_STRING, ['n', ['e', 's']], new Date(0), SYMBOL, 'lone \uD800']);
}
// Shared, so that a request built twice compares equal (functions compare by reference).
const CUSTOM_STRING = { toString: () => 'ts' };
const INHERITED = { inherited: 'yes' };
const SYMBOL = Symbol('s');
const TO_JSON = { toJSON: () => 'j' };
const FUNCTION = () => 1;
const arraysOf = (params) => (params && typeof params === 'object'
  ? _.keysIn(params).filter((k) => k !== 'jwt' && k !== '__proto__').map((k) => params[k]).filter(Array.isArray) : []);

/** The server's canonical request for a request object: its pathname as the wire path, its
 *  parameters as sent by a client (URLSearchParams). */
function objectCanonical(req, checkBody, baseUrl) {
  const m = req.method.toUpperCase();
  const useBody = checkBody && _.isEmpty(req.query) && (m === 'POST' || m === 'PUT');
  const params = _.extend({}, useBody ? req.body : req.query);
  delete params.jwt;
  const usp = new URLSearchParams();
  for (const k of Object.keys(params)) {
    const v = params[k];
    const values = Array.isArray(v) ? (v.length ? Array.from(v) : ['']) : [v];
    // Converted as atlassian-jwt converts every value (encodeURIComponent: Symbols and lone
    // surrogates throw), the __proto__ one included.
    for (const x of values) usp.append(k, decodeURIComponent(encodeURIComponent(x)));
  }
  const q = usp.toString();
  const p = req.pathname;
  if (p && typeof p !== 'string') return null; // no server rule for a non-string pathname
  const escaped = (p || '').replace(/[\x00-\x20\x7f#?]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
  const rooted = escaped.startsWith('/');
  const canonical = api.createCanonicalRequest('GET', (rooted ? escaped : '/' + escaped) + (q ? '?' + q : ''),
    rooted && baseUrl ? { baseUrl } : undefined);
  return m + '&' + canonical.slice(4);
}

function compareCanonical(kind, a, b, serverRule, classes) {
  count(`${kind} requests`);
  const ca = outcome(() => aj.createCanonicalRequest(...a));
  const cb = outcome(() => drop.createCanonicalRequest(...b));
  const ha = outcome(() => aj.createQueryStringHash(...a));
  const hb = outcome(() => drop.createQueryStringHash(...b));
  const server = outcome(serverRule);
  const context = () => `${kind} ${JSON.stringify(b, (k, v) => (v === undefined ? '<undefined>' : typeof v === 'symbol' ? String(v) : v))}`;
  if (cb.ok) {
    if (server.value !== null) assert.deepEqual(server, { ok: true, value: cb.value }, `the server's canonical request: ${context()}`);
    assert.equal(hb.value, sha256(cb.value), `qsh of the canonical request: ${context()}`);
  }
  if (ca.ok === cb.ok && (ca.ok ? ca.value === cb.value : what(ca) === what(cb))) {
    assert.equal(what(hb), what(ha));
    return;
  }
  // A difference: only in a documented class, and there the server's answer (checked above;
  // a throw only where the server rule cannot be computed either).
  assert.ok(classes.length > 0, `undocumented difference for ${context()}\n  atlassian-jwt: ${what(ca)}\n  drop-in:       ${what(cb)}`);
  assert.ok(cb.ok ? server.value !== null : !server.ok, `${what(cb)} but the server rule gives ${what(server)}: ${context()}`);
  for (const c of classes) count(`difference: ${c}`);
}

// ---------------------------------------------------------------------------------------------
// Requests
// ---------------------------------------------------------------------------------------------

test('createCanonicalRequest and createQueryStringHash over generated URLs (fromMethodAndUrl)', () => {
  for (let i = 0; i < 3500; i++) {
    const m = method();
    const u = genUrl();
    const [base, basePath] = pick(BASES);
    const checkBody = chance(0.5);
    const ra = outcome(() => aj.fromMethodAndUrl(m, u));
    const rb = outcome(() => drop.fromMethodAndUrl(m, u));
    assert.deepEqual(what(rb), what(ra), `fromMethodAndUrl(${JSON.stringify(m)}, ${JSON.stringify(u)})`);
    if (!ra.ok) continue;
    const { path, query } = wireParts(u);
    const names = query === null ? [] : Object.keys(querystring.parse(query));
    const classes = classesOf({ path, pathIsWire: true, url: u, names, rawQuery: query, basePath, arrays: [] });
    compareCanonical('url', [ra.value, checkBody, base], [rb.value, checkBody, base], () => serverCanonical(m, u, base), classes);
    // The peer sorts array values in place; so does the drop-in.
    assert.deepEqual(rb.value, ra.value);
  }
});

// A URL as a client sends it as the request target (what an HTTP server then hands the app).
function requestTarget(u) {
  const rest = u.replace(/^https?:\/\/[^/?#]*/, '');
  const w = new URL('http://app.example' + (rest.startsWith('/') ? rest : '/' + rest));
  return w.pathname + w.search;
}

/** One generated request object of a kind, with what the test knows about it. */
function buildRequest(kind, m) {
  if (kind === 'object') {
    const pathname = chance(0.1) ? pick([undefined, null, '', 'rest/api/2', 'wiki/x', '/x?y', '/a#b', ' /x ', 5, ['/x']]) : genPath();
    const query = chance(0.3) ? pick([{}, undefined]) : genParams();
    const body = genParams();
    return { req: { method: m, pathname, query, body }, info: { path: pathname, pathIsWire: false } };
  }
  const u = requestTarget(genUrl());
  const { path, query } = wireParts(u);
  const parsed = querystring.parse(query ?? '');
  if (kind === 'express') {
    const consistent = !chance(0.2);
    const q = consistent ? parsed : genParams();
    const viaUrl = !chance(0.05);
    const eReq = { method: m, originalUrl: viaUrl ? u : undefined, path: '/mock', query: q, body: genParams() };
    return {
      req: eReq,
      info: {
        path: viaUrl ? path : '/mock', pathIsWire: viaUrl, url: viaUrl ? u : undefined,
        // The query object still says what the URL says: the server hashes the URL as sent.
        wireQuery: viaUrl && consistent ? query ?? '' : null,
      },
    };
  }
  const hasQuery = Object.keys(parsed).length > 0;
  return { url: u, body: genParams(), info: { path, pathIsWire: true, url: u, wireQuery: hasQuery ? query : null, pathAndBodyQuery: hasQuery } };
}

test('createCanonicalRequest and createQueryStringHash over generated request objects (literal, fromExpressRequest, fromMethodAndPathAndBody), bodies included', () => {
  for (let i = 0; i < 3000; i++) {
    const m = chance(0.5) ? pick(['POST', 'post', 'PUT']) : method();
    const [base, basePath] = pick(BASES);
    const checkBody = chance(0.7);
    const kind = pick(['object', 'object', 'express', 'express', 'pathAndBody']);
    const inputSeed = int(2 ** 31);
    const a = withRandom(inputSeed, () => buildRequest(kind, m));
    const b = withRandom(inputSeed, () => buildRequest(kind, m));
    let ra;
    let rb;
    if (kind === 'object') {
      ra = { ok: true, value: a.req };
      rb = { ok: true, value: b.req };
    } else if (kind === 'express') {
      ra = outcome(() => aj.fromExpressRequest(a.req));
      rb = outcome(() => drop.fromExpressRequest(b.req));
    } else {
      ra = outcome(() => aj.fromMethodAndPathAndBody(m, a.url, a.body));
      rb = outcome(() => drop.fromMethodAndPathAndBody(m, b.url, b.body));
    }
    assert.deepEqual(what(rb), what(ra), `from* for ${kind}`);
    if (!ra.ok) continue;
    const req = rb.value;
    const info = b.info;
    const M = typeof req.method === 'string' ? req.method.toUpperCase() : '';
    if (typeof req.method !== 'string') {
      // No method to hash: both must throw alike.
      count(`${kind} requests`);
      assert.equal(what(outcome(() => drop.createCanonicalRequest(rb.value, checkBody, base))), what(outcome(() => aj.createCanonicalRequest(ra.value, checkBody, base))));
      continue;
    }
    const queryEmpty = info.pathAndBodyQuery ? false : _.isEmpty(req.query);
    const bodyUsed = checkBody && queryEmpty && (M === 'POST' || M === 'PUT');
    const server = () => (info.wireQuery != null && !bodyUsed
      ? serverCanonical(m, info.path + (info.wireQuery ? '?' + info.wireQuery : ''), base)
      : objectCanonical({ ...req, pathname: info.pathIsWire ? info.path : req.pathname, query: info.pathAndBodyQuery ? undefined : req.query }, checkBody, base));
    const params = bodyUsed ? req.body : info.pathAndBodyQuery ? undefined : req.query;
    const names = info.wireQuery != null && !bodyUsed
      ? Object.keys(querystring.parse(info.wireQuery))
      : params !== null && params !== undefined && params !== '' ? _.keysIn(params).filter((k) => k !== 'jwt') : [];
    const classes = classesOf({
      path: info.path, pathIsWire: info.pathIsWire, url: info.url, names,
      rawQuery: info.wireQuery != null && !bodyUsed ? info.wireQuery : null,
      basePath, arrays: arraysOf(params), pathAndBodyQuery: info.pathAndBodyQuery,
    });
    compareCanonical(kind, [ra.value, checkBody, base], [rb.value, checkBody, base], server, classes);
    assert.deepEqual(rb.value, ra.value, `the request object afterwards (${kind})`);
  }
});

// ---------------------------------------------------------------------------------------------
// Tokens
// ---------------------------------------------------------------------------------------------

const TEXT = ['', 'a', 'com.acme.app', 'jira:1234-5678', 'é', '😀', '\uD800', '\uDC00x', '\u2028', '\u0000\u001f', '"\\/', 'context-qsh',
  '<script>', 'x'.repeat(200), '\uFEFF'];
function genJson(depth = 0) {
  const r = rnd();
  if (r < 0.35) return pick(TEXT) + (chance(0.3) ? pick(TEXT) : '');
  if (r < 0.55) return pick([0, -0, 1, -1, 0.1, 1.5e-7, 1e21, 2 ** 53 + 2, 1700000000, NaN, Infinity, -Infinity]);
  if (r < 0.62) return pick([true, false, null, undefined]);
  if (r < 0.8 && depth < 3) return some(3, () => genJson(depth + 1));
  if (depth < 3) return genPayload(depth + 1);
  return pick([new Date(0), TO_JSON]);
}
function genPayload(depth = 0) {
  if (depth === 0 && chance(0.05)) return pick(['str', 5, null, undefined, [1, 'a'], true, FUNCTION]);
  const o = {};
  for (let i = int(6); i > 0; i--) o[pick(['iss', 'sub', 'aud', 'exp', 'iat', 'qsh', 'context', 'kid', '2', '10', 'é', '', 'a b'])] = genJson(depth);
  if (depth === 0 && chance(0.1)) o.aud = pick(['app', ['app'], '', 0, null]);
  if (depth === 0 && chance(0.03)) Object.assign(o, JSON.parse('{"__proto__":{"x":1}}'));
  return o;
}
function genSecret() {
  const r = rnd();
  if (r < 0.75) return some(3, () => pick(TEXT)).join('') || 'shared-secret';
  if (r < 0.85) return Buffer.from(pick(TEXT) + 'k');
  return pick(['', 0, 5, null, undefined, {}, new Uint8Array([1, 2, 3]), 'x'.repeat(300)]);
}
const SYMMETRIC = ['HS256', 'HS384', 'HS512'];
const ALGS = [...SYMMETRIC, ...SYMMETRIC, undefined, '', null, 'RS256', 'none', 'hs256', 'toString', 'constructor'];

const b64u = (s) => Buffer.from(s).toString('base64url');
const hmac = (alg, key, input) => createHmac({ HS256: 'sha256', HS384: 'sha384', HS512: 'sha512' }[alg], key).update(input).digest('base64url');

/** A segment written the way some encoder or some tampering leaves it (Node decodes them all leniently). */
function oddSegment(text) {
  const s = b64u(text);
  switch (int(8)) {
    case 0: return s + '=='.slice(0, (4 - (s.length % 4)) % 4); // padded
    case 1: return Buffer.from(text).toString('base64'); // + and /
    case 2: return s.slice(0, int(s.length + 1)) + '!' + s.slice(int(s.length + 1)); // junk character
    case 3: return s.replace(/[A-Za-z]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0x100)); // same low byte
    case 4: return s.slice(0, -1); // cut
    case 5: return s + '=' + b64u('x'); // '=' inside
    case 6: return ' ' + s + '\n';
    default: return s;
  }
}

function genToken(secretPool) {
  const r = rnd();
  if (r < 0.45) {
    // From atlassian-jwt itself, maybe tampered.
    const secret = pick(secretPool);
    const alg = pick(SYMMETRIC);
    const payload = genPayload();
    const token = aj.encodeSymmetric(payload === undefined || payload === FUNCTION ? {} : payload, secret, alg);
    return { token: tamper(token), secret, alg };
  }
  if (r < 0.9) {
    // Hand-made header and payload, signed over exactly these segments.
    const headerText = pick(['{"alg":"HS256","typ":"JWT"}', '{"typ":"JWT","alg":"HS384"}', '{"alg":"HS512"}', '{"typ":"JWT"}',
      '{"alg":"toString"}', '{"alg":"RS256"}', '{"alg":["HS256"]}', '{"alg":null}', 'null', '[]', '5', '"x"', '{bad',
      '{"alg":"HS256","kid":"k1"}', '{"alg":"HS256","kid":{"x":1}}', '{"alg":"none"}', '\uFEFF{"alg":"HS256"}', '{"alg":"HS256"} ']);
    const payloadValue = genPayload();
    const payloadText = chance(0.8) && payloadValue !== undefined && typeof payloadValue !== 'function'
      ? JSON.stringify(payloadValue)
      : pick(['null', '5', '"s"', '[1]', '{"aud":"x"}', '{"aud":""}', 'not json', '{"a":"\\ud800"}', '{"a":1,"a":2}', '{}']);
    const h = chance(0.7) ? b64u(headerText) : oddSegment(headerText);
    const p = chance(0.7) ? b64u(payloadText) : oddSegment(payloadText);
    const secret = pick(secretPool);
    const alg = (() => { try { const a = JSON.parse(headerText).alg; return SYMMETRIC.includes(a) ? a : pick(SYMMETRIC); } catch { return pick(SYMMETRIC); } })();
    return { token: tamper(`${h}.${p}.${hmac(alg, secret, `${h}.${p}`)}`), secret, alg };
  }
  return { token: pick(['', 'a.b', 'a.b.c.d', '..', 'x.y.z', 5, null, undefined, ['a.b.c'], '.e30.']), secret: pick(secretPool), alg: 'HS256' };
}

function tamper(token) {
  if (!chance(0.3)) return token;
  const [h, p, s] = token.split('.');
  switch (int(6)) {
    case 0: return `${h}.${p}.${s.replace(/[A-Za-z0-9]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0x100))}`; // same low byte
    case 1: return `${h}.${p}.${s.replace(/[A-Za-z0-9]$/, (c) => (c === 'A' ? 'B' : 'A'))}`;
    case 2: return `${h}.${p}.${s}=`;
    case 3: return `${h}.${p}.`;
    case 4: return `${h}.${b64u('{"sub":"admin"}')}.${s}`;
    default: return `${h}.${p}.${s.slice(1)}`;
  }
}

const sameOutcome = (a, b, message, keyTrouble = false) => {
  if (keyTrouble && !a.ok && !b.ok) return; // both refuse the key, in their own words
  assert.deepEqual(b.ok ? { value: b.value } : { error: `${b.error.name}: ${b.error.message}` },
    a.ok ? { value: a.value } : { error: `${a.error.name}: ${a.error.message}` }, message);
};

test('encodeSymmetric, decodeSymmetric, getKeyId, getAlgorithm over generated payloads, keys and tokens', () => {
  for (let i = 0; i < 2000; i++) {
    const payload = genPayload();
    const key = genSecret();
    const alg = pick(ALGS);
    count('encodeSymmetric');
    const a = outcome(() => aj.encodeSymmetric(payload, key, alg));
    const b = outcome(() => drop.encodeSymmetric(payload, key, alg));
    sameOutcome(a, b, `encodeSymmetric(${JSON.stringify(payload)}, key, ${alg})`);
  }
  const secrets = ['shared-secret', 'é😀', '\uD800bad', 'x'.repeat(150)];
  for (let i = 0; i < 3000; i++) {
    const { token, secret } = genToken(secrets);
    const key = chance(0.7) ? secret : pick([...secrets, '', undefined, Buffer.from(secret)]);
    const signedAlgorithm = chance(0.8) ? (() => { try { return JSON.parse(Buffer.from(String(token).split('.')[0], 'base64').toString()).alg; } catch { return 'HS256'; } })() : pick(ALGS);
    const noVerify = pick([undefined, false, true, 0, 1]);
    count('decodeSymmetric');
    sameOutcome(outcome(() => aj.decodeSymmetric(token, key, signedAlgorithm, noVerify)),
      outcome(() => drop.decodeSymmetric(token, key, signedAlgorithm, noVerify)), `decodeSymmetric(${JSON.stringify(token)})`);
    if (i % 2 === 0) {
      count('getKeyId');
      sameOutcome(outcome(() => aj.getKeyId(token)), outcome(() => drop.getKeyId(token)), `getKeyId(${JSON.stringify(token)})`);
    } else {
      count('getAlgorithm');
      sameOutcome(outcome(() => aj.getAlgorithm(token)), outcome(() => drop.getAlgorithm(token)), `getAlgorithm(${JSON.stringify(token)})`);
    }
  }
});

test('encodeAsymmetric and decodeAsymmetric (RS256) with the test key', () => {
  const privateKeys = [rsa.private_pkcs8_pem, rsa.private_pkcs1_pem, Buffer.from(rsa.private_pkcs8_pem)];
  const badKeys = [rsa.public_spki_pem, 'not a key', 'shared-secret', {}, { key: 5 }];
  const tokens = [];
  for (let i = 0; i < 120; i++) {
    const payload = genPayload();
    const good = chance(0.85);
    const key = good ? pick(privateKeys) : pick([...badKeys, '', 5]);
    const alg = chance(0.85) ? 'RS256' : pick([undefined, 'HS256', 'RS512', 'none']);
    const header = pick([undefined, { kid: 'k1' }, { kid: 'k1' }, {}, { kid: 5 }, 'x', { kid: 'é', other: 1 }]);
    count('encodeAsymmetric');
    const a = outcome(() => aj.encodeAsymmetric(payload, key, alg, header));
    const b = outcome(() => drop.encodeAsymmetric(payload, key, alg, header));
    sameOutcome(a, b, `encodeAsymmetric(${JSON.stringify(payload)}, key, ${alg}, ${JSON.stringify(header)})`, !good);
    if (a.ok) tokens.push(a.value);
  }
  const publicKeys = [rsa.public_spki_pem, rsa.public_pkcs1_pem, rsa.private_pkcs1_pem, rsa.private_pkcs8_pem, Buffer.from(rsa.public_spki_pem)];
  for (let i = 0; i < 300; i++) {
    let token;
    if (chance(0.5) && tokens.length) {
      token = pick(tokens);
    } else {
      // Hand-made segments signed with node:crypto over exactly those segments.
      const headerText = pick(['{"alg":"RS256","typ":"JWT"}', '{"alg":"RS256","kid":"k"}', '{"alg":"HS256"}', '{"typ":"JWT"}', '{"alg":"toString"}']);
      const payloadValue = genPayload();
      const payloadText = typeof payloadValue === 'function' || payloadValue === undefined ? '{}' : JSON.stringify(payloadValue);
      const h = chance(0.7) ? b64u(headerText) : oddSegment(headerText);
      const p = chance(0.7) ? b64u(payloadText) : oddSegment(payloadText);
      token = `${h}.${p}.${createSign('RSA-SHA256').update(`${h}.${p}`).sign(rsa.private_pkcs8_pem, 'base64url')}`;
    }
    if (chance(0.4)) {
      const [h, p, s] = token.split('.');
      token = pick([
        `${h}.${p}.${s}==`, `${h}.${p}.${s.slice(0, -4)}`, `${h}.${p}.${s}AAAA`, `${h}.${p}.`,
        `${h}.${p}.${s.replace(/[A-Za-z]/, (c) => String.fromCharCode(c.charCodeAt(0) + 0x100))}`,
        `${h}.${p}.${s.slice(0, 20)}!${s.slice(20)}`, `${h}.${p}.${s.replace(/[A-Za-z0-9]/, (c) => (c === 'A' ? 'B' : 'A'))}`,
        `${h}.${b64u('{"sub":"admin"}')}.${s}`,
      ]);
    }
    const good = chance(0.9);
    const key = good ? pick(publicKeys) : pick([...badKeys, '', 5]);
    const signedAlgorithm = chance(0.9) ? 'RS256' : pick(['HS256', undefined, 'toString']);
    const noVerify = pick([undefined, false, false, true]);
    count('decodeAsymmetric');
    sameOutcome(outcome(() => aj.decodeAsymmetric(token, key, signedAlgorithm, noVerify)),
      outcome(() => drop.decodeAsymmetric(token, key, signedAlgorithm, noVerify)), `decodeAsymmetric(${JSON.stringify(token)})`, !good);
  }
});

test('the same exports, enums and version', () => {
  assert.deepEqual(Object.keys(drop).sort(), Object.keys(aj).filter((k) => k !== 'default' && k !== '__esModule').sort());
  for (const k of Object.keys(drop)) assert.equal(typeof drop[k], typeof aj[k], k);
  assert.deepEqual(drop.AsymmetricAlgorithm, { ...aj.AsymmetricAlgorithm });
  assert.deepEqual(drop.SymmetricAlgorithm, { ...aj.SymmetricAlgorithm });
  assert.equal(drop.version, aj.version);
  for (const k of Object.keys(drop)) if (typeof drop[k] === 'function') assert.equal(drop[k].length, aj[k].length, `${k}.length`);
});

test('require() and import() give the same functions, by path and through the exports map', async () => {
  const esm = await import('../../pkg/atlassian-jwt.mjs');
  const byName = createRequire(`${root}pkg/package.json`)('atlassian-sign/atlassian-jwt');
  assert.equal(byName, drop);
  for (const k of Object.keys(drop)) {
    assert.equal(esm[k], drop[k], k);
  }
  assert.equal(esm.default, drop);
});

test('the browser build (atlassian-jwt.web.js over web.js) computes what the Node build does', async () => {
  const web = await import('../../pkg/web.js');
  const dropWeb = await import('../../pkg/atlassian-jwt.web.js');
  assert.throws(() => dropWeb.createQueryStringHash(dropWeb.fromMethodAndUrl('GET', '/x')), { code: 'ERR_NOT_INITIALIZED' });
  await web.init(readFileSync(`${root}pkg/web/atlassian_sign_bg.wasm`));
  for (let i = 0; i < 200; i++) {
    const u = genUrl();
    const base = pick(BASES)[0];
    const args = (m) => [m.fromMethodAndUrl('GET', u), false, base];
    assert.deepEqual(what(outcome(() => dropWeb.createQueryStringHash(...args(dropWeb)))), what(outcome(() => drop.createQueryStringHash(...args(drop)))), u);
  }
  const claims = { iss: 'com.acme.app', qsh: dropWeb.createQueryStringHash(dropWeb.fromMethodAndUrl('GET', '/rest/api/2/issue?x=1')) };
  assert.equal(dropWeb.encodeSymmetric(claims, 's3cret', 'HS512'), aj.encodeSymmetric(claims, 's3cret', 'HS512'));
  const token = dropWeb.encodeAsymmetric(claims, rsa.private_pkcs8_pem, 'RS256', { kid: 'k' });
  assert.equal(token, aj.encodeAsymmetric(claims, rsa.private_pkcs8_pem, 'RS256', { kid: 'k' }));
  assert.deepEqual(dropWeb.decodeAsymmetric(token, rsa.public_spki_pem, 'RS256'), claims);
});

test('at least 10,000 generated inputs, and every documented difference met', () => {
  console.log('# counts', JSON.stringify(counts, null, 1));
  const inputs = Object.entries(counts).filter(([k]) => !k.startsWith('difference')).reduce((n, [, v]) => n + v, 0);
  assert.ok(inputs >= 10000, `${inputs} inputs`);
  for (const c of ['query names sorted', 'base URL path strip', 'malformed escapes in the query', 'a parameter named __proto__',
    'raw path characters', 'undefined in an array value', 'fromMethodAndPathAndBody with a query',
    'undecodable escapes beside raw non-ASCII in the query']) {
    assert.ok(counts[`difference: ${c}`] > 0, `no input met "${c}" with seed ${SEED}`);
  }
});
