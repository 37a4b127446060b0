// JWTs made here verify with jose and atlassian-jwt, and theirs verify here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import * as jose from 'jose';
import * as aj from 'atlassian-jwt';
import * as api from '../../pkg/index.mjs';
import { vector } from './helpers.mjs';

const key = vector('oauth-cases.json').test_key;
const secret = 'shared-secret-from-installed-callback';
const enc = new TextEncoder();
const now = Math.floor(Date.now() / 1000);

test('HS256/384/512 from encodeJwt verify with jose and atlassian-jwt', async () => {
  const claims = { iss: 'com.acme.app', iat: now, exp: now + 180, qsh: api.createQsh('GET', '/rest/api/2/project'), nested: { a: [1, 'é', null] } };
  for (const algorithm of ['HS256', 'HS384', 'HS512']) {
    const token = api.encodeJwt(claims, secret, { algorithm, kid: 'k1' });
    const { payload, protectedHeader } = await jose.jwtVerify(token, enc.encode(secret), { algorithms: [algorithm] });
    assert.deepEqual(payload, claims);
    assert.deepEqual(protectedHeader, { alg: algorithm, typ: 'JWT', kid: 'k1' });
    assert.deepEqual(aj.decodeSymmetric(token, secret, aj.SymmetricAlgorithm[algorithm]), claims);
  }
  // atlassian-jwt's own encoder gives the same signature bytes for the same header and claims order.
  const ours = api.encodeJwt({ iss: 'a', qsh: 'b' }, secret, { header: { typ: 'JWT' } });
  assert.equal(api.verifyJwt(aj.encodeSymmetric({ iss: 'a', qsh: 'b' }, secret), secret, { algorithms: ['HS256'] }).iss, 'a');
  assert.deepEqual(aj.decodeSymmetric(ours, secret, aj.SymmetricAlgorithm.HS256), { iss: 'a', qsh: 'b' });
});

test('tokens from jose and atlassian-jwt verify with verifyJwt, qsh included', async () => {
  const url = 'https://acme.atlassian.net/wiki/rest/api/content?spaceKey=DEV&expand=body.storage';
  const qsh = aj.createQueryStringHash(aj.fromMethodAndUrl('GET', url), false, 'https://acme.atlassian.net/wiki');
  const claims = { iss: 'com.acme.app', iat: now, exp: now + 60, qsh };
  const fromJose = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(enc.encode(secret));
  const fromAj = aj.encodeSymmetric(claims, secret);
  for (const token of [fromJose, fromAj]) {
    const payload = api.verifyJwt(token, secret, {
      algorithms: ['HS256'], issuer: 'com.acme.app',
      qsh: { method: 'GET', url, baseUrl: 'https://acme.atlassian.net/wiki' },
    });
    assert.deepEqual(payload, claims);
    assert.throws(() => api.verifyJwt(token, secret, { algorithms: ['HS256'], qsh: { method: 'POST', url, baseUrl: 'https://acme.atlassian.net/wiki' } }),
      (e) => e.code === 'ERR_QSH_MISMATCH' && e.actual === qsh && e.canonicalRequest.startsWith('POST&/rest/api/content&'));
    assert.throws(() => api.verifyJwt(token, secret + 'x', { algorithms: ['HS256'] }), { code: 'ERR_JWT_SIGNATURE_INVALID' });
    assert.throws(() => api.verifyJwt(token, secret, { algorithms: ['HS256'], issuer: 'client-key' }), { code: 'ERR_JWT_CLAIM_INVALID', message: /iss is "com.acme.app"/ });
  }
});

test('RS256 both ways with jose and atlassian-jwt, every key form', async () => {
  const claims = { iss: 'client', aud: 'https://app.example.com', iat: now, exp: now + 60, qsh: api.createQsh('POST', '/installed') };
  const ours = api.encodeJwt(claims, key.private_pkcs8_pem, { kid: 'install-key-1' });
  assert.equal(api.encodeJwt(claims, key.private_pkcs1_pem, { kid: 'install-key-1' }), ours, 'deterministic across key forms');
  const pub = await jose.importSPKI(key.public_spki_pem, 'RS256');
  const { payload, protectedHeader } = await jose.jwtVerify(ours, pub, { algorithms: ['RS256'], audience: 'https://app.example.com' });
  assert.deepEqual(payload, claims);
  assert.equal(protectedHeader.kid, 'install-key-1');
  // atlassian-jwt hands `aud` back as an array.
  const fromAj = aj.decodeAsymmetric(ours, key.public_spki_pem, aj.AsymmetricAlgorithm.RS256);
  assert.deepEqual({ ...fromAj, aud: [].concat(fromAj.aud) }, { ...claims, aud: [claims.aud] });

  const priv = await jose.importPKCS8(key.private_pkcs8_pem, 'RS256');
  const fromJose = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'k' }).sign(priv);
  const signedByAj = aj.encodeAsymmetric(claims, key.private_pkcs8_pem, aj.AsymmetricAlgorithm.RS256, { kid: 'k' });
  const jwk = await jose.exportJWK(pub);
  for (const token of [fromJose, signedByAj]) {
    for (const k of [key.public_spki_pem, key.public_pkcs1_pem, key.private_pkcs8_pem, jwk]) {
      assert.deepEqual(api.verifyJwt(token, k, { algorithms: ['RS256'], audience: ['x', 'https://app.example.com'], qsh: { method: 'POST', url: 'https://app.example.com/installed' } }), claims);
    }
  }
  // jose PS256 verifies here, and ours there.
  const psPriv = await jose.importPKCS8(key.private_pkcs8_pem, 'PS256');
  const psPub = await jose.importSPKI(key.public_spki_pem, 'PS256');
  const ps = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'PS256' }).sign(psPriv);
  assert.deepEqual(api.verifyJwt(ps, key.public_spki_pem, { algorithms: ['PS256'] }), claims);
  const ours2 = api.encodeJwt(claims, key.private_pkcs1_pem, { algorithm: 'PS256' });
  assert.deepEqual((await jose.jwtVerify(ours2, psPub, { algorithms: ['PS256'] })).payload, claims);
});

test('algorithm pinning: HS256 signed with the public PEM is refused on the RS256 path; alg none refused', () => {
  const forged = api.encodeJwt({ iss: 'x' }, enc.encode(key.public_spki_pem), { algorithm: 'HS256' });
  assert.throws(() => api.verifyJwt(forged, key.public_spki_pem, { algorithms: ['RS256'] }), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
  assert.throws(() => api.verifyJwt(forged, key.public_spki_pem, { algorithms: ['HS256'] }), { code: 'ERR_INVALID_KEY' });
  for (const alg of ['none', 'None', 'NONE', 'nOnE']) {
    const h = Buffer.from(JSON.stringify({ alg, typ: 'JWT' })).toString('base64url');
    const p = Buffer.from(JSON.stringify({ iss: 'x' })).toString('base64url');
    assert.throws(() => api.verifyJwt(`${h}.${p}.`, secret, { algorithms: ['HS256'] }), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
  }
  assert.throws(() => api.verifyJwt('a.b.c', secret, {}), { code: 'ERR_INVALID_INPUT', message: /algorithms/ });
});

test('claims: expiry, leeway, context-qsh only when asked for, generated keys', () => {
  const t = (c) => api.encodeJwt(c, secret);
  assert.throws(() => api.verifyJwt(t({ exp: 1000 }), secret, { algorithms: 'HS256', now: 1000 }), { code: 'ERR_JWT_EXPIRED' });
  assert.deepEqual(api.verifyJwt(t({ exp: 1000 }), secret, { algorithms: 'HS256', now: new Date(1002000), leeway: 3 }), { exp: 1000 });
  assert.throws(() => api.verifyJwt(t({ nbf: 1000 }), secret, { algorithms: 'HS256', now: 990 }), { code: 'ERR_JWT_NOT_YET_VALID' });
  assert.throws(() => api.verifyJwt(t({ exp: Date.now() + 60000 }), secret, { algorithms: 'HS256' }), { code: 'ERR_JWT_CLAIM_INVALID', message: /milliseconds/ });
  const ctx = t({ qsh: 'context-qsh', exp: now + 60 });
  assert.equal(api.verifyJwt(ctx, secret, { algorithms: 'HS256', qsh: 'context-qsh' }).qsh, 'context-qsh');
  assert.throws(() => api.verifyJwt(ctx, secret, { algorithms: 'HS256', qsh: { method: 'GET', url: '/x' } }), { code: 'ERR_QSH_CONTEXT_NOT_ALLOWED' });
  api.verifyJwt(ctx, secret, { algorithms: 'HS256', qsh: { method: 'GET', url: '/x', allowContextQsh: true } });
  assert.throws(() => api.verifyJwt(t({ exp: now + 60 }), secret, { algorithms: 'HS256', qsh: { method: 'GET', url: '/x' } }), { code: 'ERR_QSH_MISSING' });
  assert.throws(() => api.verifyJwt(t({}), secret, { algorithms: 'HS256', requiredClaims: ['exp'] }), { code: 'ERR_JWT_CLAIM_MISSING' });
  const kp = api.generateKeyPair();
  const tok = api.encodeJwt({ a: 1 }, kp.privateKey);
  assert.deepEqual(api.verifyJwt(tok, kp.publicKey, { algorithms: 'RS256' }), { a: 1 });
  assert.deepEqual(api.verifyJwt(tok, kp.jwk, { algorithms: 'RS256' }), { a: 1 });
  const exported = api.exportPublicKey(kp.privateKey);
  assert.equal(exported.publicKey, kp.publicKey);
  assert.equal(exported.bits, 2048);
  // node:crypto agrees the pair belongs together.
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' });
  assert.equal(api.exportPublicKey(pem).format, 'a PKCS#1 private key (BEGIN RSA PRIVATE KEY)');
});
