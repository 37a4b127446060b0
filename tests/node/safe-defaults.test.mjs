// Safe defaults (the security review's findings): every verifier refuses an empty HMAC secret,
// RS*/PS* refuse RSA keys under 2048 bits while OAuth 1.0a keeps them with a warning, time
// claims outside 1970..3000 and an iat in the future are refused without wrapped numbers, and
// HMAC OAuth signing needs a consumer secret. Peers are the independent side where one applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, sign as nodeSign, verify as nodeVerify } from 'node:crypto';
import * as aj from '../../pkg/atlassian-jwt.mjs';
import * as api from '../../pkg/index.mjs';

const now = 1700000000;
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const hsToken = (payload, secret) => {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
};
const rsaPair = (bits) => generateKeyPairSync('rsa', {
  modulusLength: bits,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});
const small = rsaPair(1024);
const code = (c) => (e) => e.code === c || assert.fail(`${e.code}: ${e.message}`);

test('every verifier refuses an empty HMAC secret', async () => {
  // A token that an app with `secret ?? ''` would accept: HMAC under the empty key.
  const forged = hsToken({ iss: 'anyone', iat: now, exp: now + 60, qsh: 'context-qsh' }, '');
  const empties = ['', new Uint8Array(0), Buffer.alloc(0), { kty: 'oct', k: '' }];
  for (const secret of empties) {
    assert.throws(() => api.verifyJwt(forged, secret, { algorithms: ['HS256'], now }), code('ERR_INVALID_KEY'));
    const [h, p, s] = forged.split('.');
    assert.throws(() => api.jwsVerify(`${h}.${p}`, s, secret, 'HS256'), code('ERR_INVALID_KEY'));
    assert.throws(() => api.encodeJwt({ a: 1 }, secret), code('ERR_INVALID_KEY'));
    assert.throws(() => api.jwsSign('a.b', secret, 'HS256'), code('ERR_INVALID_KEY'));
  }
  // The atlassian-jwt drop-in refuses with upstream's own message (jwt-simple's "Require key").
  assert.throws(() => aj.decodeSymmetric(forged, '', aj.SymmetricAlgorithm.HS256), /Require key/);
  await assert.rejects(api.verifyConnectRequest(
    { method: 'GET', url: 'https://app.example.com/page', headers: { authorization: `JWT ${forged}` } },
    { baseUrl: 'https://app.example.com', sharedSecret: '', now }), code('ERR_INVALID_KEY'));
  await assert.rejects(api.verifyConnectRequest(
    { method: 'GET', url: 'https://app.example.com/page', headers: { authorization: `JWT ${forged}` } },
    { baseUrl: 'https://app.example.com', sharedSecret: async () => '', now }), code('ERR_INVALID_KEY'));
  // OAuth 1.0a HMAC and PLAINTEXT: an empty consumer secret neither signs nor verifies.
  const url = 'https://jira.example.com/rest/api/2/myself';
  for (const signatureMethod of ['HMAC-SHA1', 'HMAC-SHA256', 'PLAINTEXT']) {
    const creds = { consumerKey: 'ck', consumerSecret: '', tokenSecret: 'ts', signatureMethod, timestamp: now, nonce: 'n' };
    assert.throws(() => api.signOAuthSync({ url }, creds), code('ERR_INVALID_KEY'));
    await assert.rejects(api.signOAuth({ url }, creds), code('ERR_INVALID_KEY'));
    assert.throws(() => api.signOAuthSync({ url }, { ...creds, consumerSecret: undefined }), code('ERR_INVALID_KEY'));
    const good = api.signOAuthSync({ url }, { ...creds, consumerSecret: 'cs' });
    assert.throws(() => api.verifyOAuth({ url, authorization: good.authorization }, { consumerSecret: '', tokenSecret: 'ts', now, signatureMethods: [signatureMethod] }),
      code('ERR_INVALID_KEY'));
  }
  // The module still works after all of that.
  assert.equal(api.verifyJwt(hsToken({ a: 1 }, 's'), 's', { algorithms: ['HS256'], now }).a, 1);
});

test('RS* and PS* refuse RSA keys under 2048 bits, both ways (RFC 7518 3.3, 3.5)', () => {
  for (const alg of ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512']) {
    assert.throws(() => api.encodeJwt({ a: 1 }, small.privateKey, { algorithm: alg }), (e) =>
      (e.code === 'ERR_INVALID_KEY' && /at least 2048 bits.*1024/.test(e.message)) || assert.fail(e.message));
    // A token node:crypto signed with the 1024-bit key is refused before any signature check.
    const input = `${b64({ alg })}.${b64({ a: 1, exp: now + 60 })}`;
    const hash = `sha${alg.slice(2)}`;
    // (PS512 with a 1024-bit key has no room for a 64-byte salt: salt length 0 serves, since
    // the key is refused before any signature check.)
    const pss = alg.startsWith('PS') ? { padding: 6, saltLength: 0 } : {};
    const sig = nodeSign(hash, Buffer.from(input), { key: small.privateKey, ...pss }).toString('base64url');
    assert.throws(() => api.verifyJwt(`${input}.${sig}`, small.publicKey, { algorithms: [alg], now }), code('ERR_INVALID_KEY'));
    assert.throws(() => api.jwsVerify(input, sig, small.publicKey, alg), code('ERR_INVALID_KEY'));
  }
});

test('OAuth 1.0a keeps 1024-bit keys, with a warning, signing and verifying', async () => {
  const url = 'https://jira.example.com/rest/api/2/search?jql=a%20b';
  const creds = { consumerKey: 'ck', privateKey: small.privateKey, token: 't', timestamp: now, nonce: 'n' };
  const signed = api.signOAuthSync({ url }, creds);
  assert.equal(signed.warnings.length, 1);
  assert.match(signed.warnings[0], /1024 bits.*2048/);
  assert.ok(nodeVerify('sha1', Buffer.from(signed.baseString), small.publicKey, Buffer.from(signed.signature, 'base64')));
  const viaAsync = await api.signOAuth({ url }, creds);
  assert.deepEqual(viaAsync.warnings, signed.warnings);
  const ok = api.verifyOAuth({ url, authorization: signed.authorization }, { publicKey: small.publicKey, now });
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.warnings, signed.warnings);
  // A 2048-bit key: no warning.
  const big = rsaPair(2048);
  assert.deepEqual(api.signOAuthSync({ url }, { ...creds, privateKey: big.privateKey }).warnings, []);
});

test('time claims outside 1970..3000, and an iat in the future, are refused without wrapping', () => {
  const secret = 'shared-secret';
  const verify = (claims, opts = {}) => api.verifyJwt(hsToken(claims, secret), secret, { algorithms: ['HS256'], now, ...opts });
  for (const name of ['exp', 'nbf', 'iat']) {
    for (const value of [-1e19, -1, 32503680001, 1e11 - 1]) {
      assert.throws(() => verify({ [name]: value }), (e) => {
        assert.equal(e.code, 'ERR_JWT_CLAIM_INVALID', `${name} ${value}: ${e.message}`);
        assert.doesNotMatch(e.message, /9223372036854775808/);
        assert.match(e.message, /1970 to 3000/);
        return true;
      });
    }
  }
  // The boundaries themselves are in range.
  verify({ nbf: 0 });
  assert.throws(() => verify({ exp: 32503680000 + 1 }), code('ERR_JWT_CLAIM_INVALID'));
  verify({ exp: 32503680000 });
  // iat later than now + leeway: a broken clock or a forged token.
  assert.throws(() => verify({ iat: now + 5 }), (e) =>
    (e.code === 'ERR_JWT_CLAIM_INVALID' && /5 s in the future/.test(e.message)) || assert.fail(e.message));
  verify({ iat: now + 5 }, { leeway: 5 });
  verify({ iat: now });
  // The incoming verifier (Connect requests, leeway 3 s by default) applies the same rule.
  assert.throws(() => verify({ iat: now + 4 }, { leeway: 3 }), code('ERR_JWT_CLAIM_INVALID'));
});
