// No input traps the wasm instance: every export gets random and malformed inputs, every
// failure is a thrown Error with a `code`, and the module still computes a vector afterwards.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as api from '../../pkg/index.mjs';
import { vector } from './helpers.mjs';

const CALLS_PER_EXPORT = Number(process.env.NEVER_TRAP_CALLS || 1200);
const seed = Number(process.env.NEVER_TRAP_SEED || Date.now() % 1e9);
let state = seed;
const rand = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = (a) => a[Math.floor(rand() * a.length)];
const key = vector('oauth-cases.json').test_key;

const SENTINEL = new Error('getter threw');
// A stretch from the middle of each private key: the part no message may ever contain.
const secretSlice = key.private_pkcs8_pem.slice(300, 330);
const secretSlice1 = key.private_pkcs1_pem.slice(300, 330);
const big = 'a'.repeat(1 << 20);
const strings = [
  '', ' ', 'GET', 'get', 'POST', 'G E T', '&', '\u0000', '\uD800', 'a\uDC00b', '\uFFFF', '日本語', '😀',
  '/', '?', '#', '%', '%zz', '%C3%A9', '%c3', '+', 'https://', 'https://x', 'http://[::1', 'https://x:99999/',
  'https://user:pw@host:8443/a/b?c=d&c=e#f', '/rest/api/2/search?jql=a%20=%20b', '?a=1&a=2&jwt=x',
  '-----BEGIN PRIVATE KEY-----', '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----',
  key.private_pkcs8_pem, key.public_spki_pem, key.private_pkcs1_pem.slice(0, 400),
  'eyJhbGciOiJIUzI1NiJ9.eyJhIjoxfQ.x', 'a.b.c', 'a.b', '..', 'JWT a.b.c', 'Bearer ',
  'eyJhbGciOiJub25lIn0.e30.', 'HS256', 'RS256', 'none', 'context-qsh', 'jira', 'zephyr', 'wire', 'decoded',
  '{"kty":"RSA","n":"AQAB","e":"AQAB"}', '{"kty":"oct","k":"c2VjcmV0"}', '{', big, big.slice(0, 70000) + '.x.y',
];
const numbers = [0, -0, 1, -1, 2047, 1.5, NaN, Infinity, -Infinity, 1e308, 2 ** 53, 1e12, -1e12];
function throwingGetter() {
  return new Proxy({}, { get() { throw SENTINEL; }, ownKeys() { throw SENTINEL; } });
}
function cyclic() { const o = { a: 1 }; o.self = o; return o; }
function randomString() {
  const n = Math.floor(rand() * 40);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(rand() * (rand() < 0.8 ? 128 : 0x10000)));
  return s;
}
function value(depth = 0) {
  const r = rand();
  if (r < 0.35) return pick(strings);
  if (r < 0.45) return randomString();
  if (r < 0.55) return pick(numbers);
  if (r < 0.6) return pick([undefined, null, true, false]);
  if (r < 0.63) return pick([10n, Symbol('s'), () => 1, new Date(NaN), new Uint8Array(3), throwingGetter(), cyclic()]);
  if (r < 0.7 || depth > 2) return [value(depth + 1), value(depth + 1)];
  const o = {};
  const props = ['method', 'url', 'baseUrl', 'body', 'pathForm', 'algorithm', 'algorithms', 'kid', 'header', 'issuer',
    'audience', 'subject', 'leeway', 'now', 'requiredClaims', 'qsh', 'allowContextQsh', 'product', 'appKey', 'accessKey',
    'secret', 'clientKey', 'accountId', 'expiresIn', 'kty', 'n', 'e', 'd', 'k', '__proto__', 'constructor'];
  for (let i = Math.floor(rand() * 6); i > 0; i--) o[pick(props)] = value(depth + 1);
  return o;
}

// Key generation with a valid size is slow: give it only invalid sizes here (valid ones are
// exercised in rsa-keys and jwt-interop).
const exportsUnderTest = Object.entries(api).filter(([n, f]) => typeof f === 'function' && !['init', 'initSync', 'default'].includes(n));

test(`every export survives ${CALLS_PER_EXPORT} random and malformed calls (seed ${seed})`, async () => {
  assert.ok(exportsUnderTest.length >= 9, exportsUnderTest.map(([n]) => n).join());
  const tally = {};
  for (const [name, fn] of exportsUnderTest) {
    let threw = 0;
    for (let i = 0; i < CALLS_PER_EXPORT; i++) {
      const args = [value(), value(), value()];
      if (name.startsWith('generateKeyPair') && [2048, 3072, 4096, undefined, null].includes(args[0])) args[0] = 1;
      try {
        const out = fn(...args);
        // Async exports: a rejection is checked like a throw.
        if (out instanceof Promise) await out;
      } catch (e) {
        threw++;
        if (e === SENTINEL) continue; // a getter of the caller's own object threw: passed through
        if (e instanceof WebAssembly.RuntimeError) assert.fail(`${name} trapped (${e.message}) on call ${i}, seed ${seed}`);
        assert.ok(e instanceof Error, `${name} threw a non-Error: ${String(e)}`);
        assert.equal(typeof e.code, 'string', `${name} threw without a code: ${e.name}: ${e.message} (seed ${seed}, call ${i})`);
        assert.ok(e.message.length > 10, `${name}: message too short: ${e.message}`);
        assert.ok(!e.message.includes(secretSlice) && !e.message.includes(secretSlice1), `${name}: private key material in a message`);
      }
    }
    tally[name] = threw;
  }
  console.log('calls that threw, per export:', tally);
  // The module still works.
  assert.equal(api.createQsh('GET', '/rest/api/2/project'), '376b86be226be6ed221f7a5c1ff9bafdf495036773264e22822dbff68e8aeafa');
  const t = api.encodeJwt({ a: 1 }, key.private_pkcs8_pem);
  assert.deepEqual(api.verifyJwt(t, key.public_spki_pem, { algorithms: ['RS256'] }), { a: 1 });
});
