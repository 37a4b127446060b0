// The facade (pkg-template/facade.js) reads options in JavaScript: cases where it once
// differed from the Rust-side reading it replaced (found in review), pinned here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { root } from './helpers.mjs';

const require = createRequire(import.meta.url);
const api = require(`${root}pkg/index.cjs`);

const code = (fn, want, pattern) => assert.throws(fn, (e) => {
  assert.equal(e.code, want, `${e.name}: ${e.message}`);
  if (pattern) assert.match(e.message, pattern);
  return true;
});

test('encodeJwt refuses claims JSON.stringify writes but strict parsers refuse (lone surrogate)', () => {
  code(() => api.encodeJwt({ s: '\ud800' }, 'secret'), 'ERR_INVALID_INPUT', /claims is not valid JSON/);
  code(() => api.encodeJwt({ a: 1 }, 'secret', { header: { x: '\udc00' } }), 'ERR_INVALID_INPUT', /header is not valid JSON/);
  code(() => api.encodeJwt({ a: 1 }, 'secret', { header: () => {} }), 'ERR_INVALID_INPUT', /header cannot be converted to JSON/);
  code(() => api.encodeJwt({ a: 1 }, 'secret', { header: [1] }), 'ERR_INVALID_INPUT', /header must be an object/);
  // A valid pair of surrogates is fine and round-trips.
  const t = api.encodeJwt({ s: '\ud83d\ude00' }, 'secret');
  assert.equal(api.verifyJwt(t, 'secret', { algorithms: ['HS256'] }).s, '\ud83d\ude00');
});

test('sparse arrays: a hole is a wrong type, as before', () => {
  const tok = api.encodeJwt({ a: 1 }, 's');
  for (const k of ['algorithms', 'issuer', 'audience', 'requiredClaims']) {
    const a = ['HS256']; a[2] = 'HS256';
    code(() => api.verifyJwt(tok, 's', { algorithms: ['HS256'], [k]: a }), 'ERR_INVALID_INPUT', new RegExp(`${k} must be a string or an array of strings`));
  }
  const hole = []; hole[1] = 'a';
  code(() => api.createCanonicalRequest('POST', '/x', { body: { d: hole } }), 'ERR_INVALID_INPUT', /body\.d must be/);
  // Still computes afterwards.
  assert.equal(api.createCanonicalRequest('POST', '/x', { body: { d: ['a', 'b'] } }), 'POST&/x&d=a,b');
});

test('web entry: every call before init() is ERR_NOT_INITIALIZED naming the public function', async () => {
  const web = await import(`${root}pkg/web.js?fresh=${Date.now()}`);
  for (const [name, args] of [['createQsh', ['GET', '/x']], ['decodeJwt', [5]], ['verifyJwt', ['a.b.c', 's']], ['connectToken', [{}]], ['errorCodes', []]]) {
    assert.throws(() => web[name](...args), (e) => e.code === 'ERR_NOT_INITIALIZED' && e.message.includes(`${name}()`), name);
  }
  await web.init(readFileSync(`${root}pkg/web/atlassian_sign_bg.wasm`));
  assert.equal(web.createQsh('GET', '/x'), api.createQsh('GET', '/x'));
});

test('strings of any length cross into wasm as UTF-8 (the glue takes encodeInto past 32 units)', () => {
  // Short and long, ASCII and not, a lone surrogate (U+FFFD, as TextEncoder writes it), and a
  // non-ASCII character right at the 32/33 boundary.
  for (const n of [1, 5, 10, 11, 12, 40]) {
    for (const [ch, enc] of [['a', 'a'], ['é', '%C3%A9'], ['€', '%E2%82%AC'], ['\ud83d\ude00', '%F0%9F%98%80'], ['\ud800', '%EF%BF%BD']]) {
      const value = 'xy'.repeat(n) + ch + 'z'.repeat(n);
      const url = `/p?q=${value}`;
      assert.equal(api.createCanonicalRequest('GET', url), `GET&/p&q=${'xy'.repeat(n)}${enc}${'z'.repeat(n)}`, `${n} ${JSON.stringify(ch)}`);
    }
  }
  const long = 'é'.repeat(5000) + 'a'.repeat(5000);
  assert.equal(api.createCanonicalRequest('GET', `/p?q=${long}`), `GET&/p&q=${'%C3%A9'.repeat(5000)}${'a'.repeat(5000)}`);
  // Claims and tokens past the threshold round-trip byte for byte.
  const claims = { iss: 'app', name: 'Zoë '.repeat(30), emoji: '\ud83d\ude00'.repeat(20) };
  const t = api.encodeJwt(claims, 'secret');
  assert.deepEqual(api.verifyJwt(t, 'secret', { algorithms: ['HS256'] }), claims);
});
