// The JWT attack list (RFC 8725): every forged or malformed token is refused with a code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import * as api from '../../pkg/index.mjs';
import { vector } from './helpers.mjs';

const key = vector('oauth-cases.json').test_key;
const secret = 'shared-secret';
const b64 = (o) => Buffer.from(typeof o === 'string' ? o : JSON.stringify(o)).toString('base64url');
const sign = (h, p) => `${h}.${p}.${createHmac('sha256', secret).update(`${h}.${p}`).digest('base64url')}`;
const hs = (header, payloadText) => sign(b64(header), b64(payloadText));
const opts = { algorithms: ['HS256'], now: 1700000000 };
const refuse = (token, code, o = opts) => assert.throws(() => api.verifyJwt(token, secret, o), (e) => (e.code === code) || assert.fail(`${e.code}: ${e.message}`));

test('alg none in any casing, and algorithm confusion', () => {
  for (const alg of ['none', 'None', 'NONE', 'nOnE', '']) refuse(`${b64({ alg })}.${b64({ a: 1 })}.`, 'ERR_JWT_ALG_NOT_ALLOWED');
  refuse(hs({ alg: 'hs256' }, { a: 1 }), 'ERR_JWT_ALG_NOT_ALLOWED');
  const confused = api.encodeJwt({ a: 1 }, new TextEncoder().encode(key.public_spki_pem), { algorithm: 'HS256' });
  assert.throws(() => api.verifyJwt(confused, key.public_spki_pem, { algorithms: ['RS256'] }), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
  assert.throws(() => api.verifyJwt(confused, key.public_spki_pem, { algorithms: ['RS256', 'HS256'] }), { code: 'ERR_INVALID_KEY' });
  refuse(`${b64({ typ: 'JWT' })}.${b64({ a: 1 })}.x`, 'ERR_JWT_MALFORMED');
});

test('unknown crit, duplicate members, base64url variants, nesting, size', () => {
  refuse(hs({ alg: 'HS256', crit: ['exp'], exp: 1 }, { a: 1 }), 'ERR_JWT_MALFORMED');
  // Duplicate members: parsers disagree on which wins.
  refuse(sign(b64('{"alg":"HS256"}'), b64('{"iss":"app","iss":"evil"}')), 'ERR_JWT_MALFORMED');
  refuse(sign(b64('{"alg":"HS256","alg":"none"}'), b64('{"a":1}')), 'ERR_JWT_MALFORMED');
  // Padding, + and /, whitespace in a part.
  const good = hs({ alg: 'HS256' }, { a: 1 });
  const [h, p, s] = good.split('.');
  api.verifyJwt(good, secret, opts);
  refuse(`${h}=.${p}.${s}`, 'ERR_JWT_MALFORMED');
  refuse(`${h}.${p}.${s}=`, 'ERR_JWT_MALFORMED');
  refuse(`${h}.${p}.${Buffer.from(s, 'base64url').toString('base64')}`.replace(/=+$/, '') + (s.includes('-') || s.includes('_') ? '' : '+'), 'ERR_JWT_MALFORMED');
  refuse(`${h}. ${p}.${s}`, 'ERR_JWT_MALFORMED');
  refuse(`${h}.${p}.${s}.x`, 'ERR_JWT_MALFORMED');
  // Deeply nested JSON and oversize tokens.
  refuse(hs({ alg: 'HS256' }, `{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`), 'ERR_JWT_MALFORMED');
  refuse(hs({ alg: 'HS256' }, { a: 'x'.repeat(1 << 20) }), 'ERR_JWT_MALFORMED');
  refuse(hs({ alg: 'HS256' }, '[1,2]'), 'ERR_JWT_MALFORMED');
  refuse(hs({ alg: 'HS256' }, 'null'), 'ERR_JWT_MALFORMED');
});

test('exp / nbf / iat edge values', () => {
  const t = (c) => api.encodeJwt(c, secret);
  refuse(t({ exp: 1700000000 }), 'ERR_JWT_EXPIRED');
  api.verifyJwt(t({ exp: 1700000001 }), secret, opts);
  refuse(t({ exp: '1800000000' }), 'ERR_JWT_CLAIM_INVALID');
  refuse(t({ exp: 1e300 }), 'ERR_JWT_CLAIM_INVALID');
  // Before 1970: outside the sane range, so refused as invalid (not merely expired).
  refuse(t({ exp: -1 }), 'ERR_JWT_CLAIM_INVALID');
  refuse(t({ exp: 1700000000123 }), 'ERR_JWT_CLAIM_INVALID');
  refuse(t({ exp: null }), 'ERR_JWT_CLAIM_INVALID');
  refuse(t({ nbf: 1700000001 }), 'ERR_JWT_NOT_YET_VALID');
  api.verifyJwt(t({ nbf: 1700000001 }), secret, { ...opts, leeway: 1 });
  refuse(t({ iat: true }), 'ERR_JWT_CLAIM_INVALID');
  api.verifyJwt(t({ exp: 1700000000.5 }), secret, { ...opts, leeway: 1 });
});
