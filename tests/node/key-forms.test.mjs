// Keys in the forms people have (issue 18): PEM as text or bytes, a node:crypto KeyObject, a
// WebCrypto CryptoKey (extractable: exported; not extractable: used through WebCrypto), a JWK,
// HMAC secrets as text or bytes. Each form gives the same token as the PEM/secret text, and jose
// (the peer people compare with) reads what we sign and signs what we read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, createSecretKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import * as jose from 'jose';
import * as api from '../../pkg/index.mjs';
import { vector } from './helpers.mjs';

const subtle = webcrypto.subtle;
const pem = vector('oauth-cases.json').test_key;
const privatePem = pem.private_pkcs8_pem;
const publicPem = pem.public_spki_pem;
const now = 1_700_000_000;
const claims = { iss: 'app', sub: 'user', iat: now, exp: now + 60 };
const RS = { algorithms: ['RS256'], now };
const HS = { algorithms: ['HS256'], now };

const der = (text) => Buffer.from(text.replace(/-----[^-]+-----|\s/g, ''), 'base64');
const rsa = (hash = 'SHA-256', name = 'RSASSA-PKCS1-v1_5') => ({ name, hash });
const importPrivate = (extractable, alg = rsa()) => subtle.importKey('pkcs8', der(privatePem), alg, extractable, ['sign']);
const importPublic = (extractable, alg = rsa()) => subtle.importKey('spki', der(publicPem), alg, extractable, ['verify']);
const hmacKey = (secret, extractable) => subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' },
  extractable, ['sign', 'verify']);

test('RSA private keys: PEM text, Buffer, Uint8Array, KeyObject, JWK and extractable CryptoKey sign the same bytes', async () => {
  const want = api.encodeJwt(claims, privatePem);
  const ko = createPrivateKey(privatePem);
  for (const [form, key] of [
    ['Buffer', Buffer.from(privatePem)], ['Uint8Array', new TextEncoder().encode(`\n${privatePem}`)],
    ['KeyObject', ko], ['JWK', ko.export({ format: 'jwk' })],
    ['CryptoKey (Node, synchronous export)', await importPrivate(true)],
  ]) {
    assert.equal(api.encodeJwt(claims, key), want, form);
  }
  assert.equal(await api.encodeJwtAsync(claims, await importPrivate(true)), want);
  // jose verifies what each form signed.
  const { payload } = await jose.jwtVerify(want, createPublicKey(publicPem), { currentDate: new Date(now * 1000) });
  assert.deepEqual(payload, claims);
});

test('RSA public keys in every form verify a token jose signed', async () => {
  const token = await new jose.SignJWT(claims).setProtectedHeader({ alg: 'RS256' }).sign(createPrivateKey(privatePem));
  const ko = createPublicKey(publicPem);
  for (const [form, key] of [
    ['PEM', publicPem], ['Buffer', Buffer.from(publicPem)], ['KeyObject', ko], ['private KeyObject', createPrivateKey(privatePem)],
    ['JWK', ko.export({ format: 'jwk' })], ['CryptoKey', await importPublic(true)],
  ]) {
    assert.deepEqual(api.verifyJwt(token, key, RS), claims, form);
  }
  assert.deepEqual(await api.verifyJwtAsync(token, await importPublic(false), RS), claims, 'non-extractable, through WebCrypto');
  assert.deepEqual(await api.verifyJwtAsync(token, Buffer.from(publicPem), RS), claims, 'the async call takes every other form too');
});

test('a non-extractable CryptoKey signs and verifies through WebCrypto, with the core\'s rules kept', async () => {
  const priv = await importPrivate(false);
  // PKCS#1 v1.5 is deterministic: WebCrypto's signature is the core's, byte for byte.
  const token = await api.encodeJwtAsync(claims, priv, { kid: 'k1' });
  assert.equal(token, api.encodeJwt(claims, privatePem, { kid: 'k1' }));
  const pub = await importPublic(false);
  assert.deepEqual(await api.verifyJwtAsync(token, pub, RS), claims);
  assert.deepEqual(await jose.jwtVerify(token, pub, { currentDate: new Date(now * 1000) }).then((r) => r.payload), claims);
  // PSS (randomised) and HMAC keys too, checked by jose.
  const pss = await api.encodeJwtAsync(claims, await importPrivate(false, rsa('SHA-384', 'RSA-PSS')));
  assert.equal(api.decodeJwt(pss).header.alg, 'PS384');
  assert.deepEqual((await jose.jwtVerify(pss, createPublicKey(publicPem), { currentDate: new Date(now * 1000) })).payload, claims);
  const hs = await api.encodeJwtAsync(claims, await hmacKey('s3cret', false));
  assert.equal(hs, api.encodeJwt(claims, 's3cret'));
  assert.deepEqual(await api.verifyJwtAsync(hs, await hmacKey('s3cret', false), HS), claims);

  // The rules stay the core's: a changed payload, a wrong key, an expired token, an algorithm not allowed.
  const [h, , s] = token.split('.');
  const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${s}`;
  await assert.rejects(api.verifyJwtAsync(forged, pub, RS), { code: 'ERR_JWT_SIGNATURE_INVALID' });
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'der' });
  const otherKey = await subtle.importKey('spki', other, rsa(), false, ['verify']);
  await assert.rejects(api.verifyJwtAsync(token, otherKey, RS), { code: 'ERR_JWT_SIGNATURE_INVALID' });
  await assert.rejects(api.verifyJwtAsync(token, pub, { ...RS, now: now + 120 }), { code: 'ERR_JWT_EXPIRED' });
  await assert.rejects(api.verifyJwtAsync(token, pub, HS), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
  await assert.rejects(api.verifyJwtAsync(token, await importPublic(false, rsa('SHA-512')), { algorithms: ['RS256', 'RS512'], now }),
    { code: 'ERR_INVALID_KEY', message: /signed with RS256 but the CryptoKey is for RS512/ });
  await assert.rejects(api.verifyJwtAsync('Bearer x.y.z', pub, RS), { code: 'ERR_JWT_MALFORMED', message: /drop "Bearer "/ });
  await assert.rejects(api.encodeJwtAsync(claims, priv, { algorithm: 'RS512' }), { code: 'ERR_INVALID_KEY', message: /CryptoKey is for RS256/ });
  await assert.rejects(api.encodeJwtAsync(claims, await importPublic(false)), { code: 'ERR_INVALID_KEY', message: /usages are \[verify\]; this call needs 'sign'/ });
  // The synchronous calls cannot wait for WebCrypto: they name the call that can.
  assert.throws(() => api.encodeJwt(claims, priv), { code: 'ERR_INVALID_KEY', message: /non-extractable private CryptoKey \(RSASSA-PKCS1-v1_5 SHA-256\).*encodeJwtAsync/ });
  assert.throws(() => api.verifyJwt(token, pub, RS), { code: 'ERR_INVALID_KEY', message: /verifyJwtAsync/ });
});

test('HMAC secrets: a string, a Buffer, a Uint8Array, a secret KeyObject and a CryptoKey are the same key', async () => {
  const secret = 'shared-secret-of-the-install';
  const want = api.encodeJwt(claims, secret);
  assert.equal(want, await new jose.SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(new TextEncoder().encode(secret)));
  for (const [form, key] of [
    ['Buffer', Buffer.from(secret)], ['Uint8Array', new TextEncoder().encode(secret)], ['ArrayBuffer', new TextEncoder().encode(secret).buffer],
    ['KeyObject', createSecretKey(Buffer.from(secret))], ['CryptoKey', await hmacKey(secret, true)],
  ]) {
    assert.equal(api.encodeJwt(claims, key), want, form);
    assert.deepEqual(api.verifyJwt(want, key, HS), claims, form);
  }
  // Bytes with an HMAC algorithm pinned are the secret even when they hold PEM text.
  const confused = api.encodeJwt(claims, Buffer.from(publicPem), { algorithm: 'HS256' });
  assert.equal(confused, api.encodeJwt(claims, new Uint8Array(Buffer.from(publicPem)), { algorithm: 'HS256' }));
  assert.throws(() => api.verifyJwt(confused, Buffer.from(publicPem), RS), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
  // connectToken's secret and verifyConnectRequest's sharedSecret as bytes.
  const t = api.connectToken({ url: '/rest/api/3/myself', baseUrl: 'https://acme.atlassian.net', appKey: 'a', secret: Buffer.from(secret), now });
  assert.equal(t.token, api.connectToken({ url: '/rest/api/3/myself', baseUrl: 'https://acme.atlassian.net', appKey: 'a', secret, now }).token);
});

test('a key in a form that cannot be used names what it got and what is accepted', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cases = [
    [42, 'ERR_INVALID_INPUT', /key is a number; it must be an HMAC secret \(a string, Buffer or Uint8Array\), an RSA key as PEM/],
    [null, 'ERR_INVALID_INPUT', /key is null/],
    [[1, 2], 'ERR_INVALID_INPUT', /key is an array/],
    [{ n: 'x', e: 'AQAB' }, 'ERR_INVALID_KEY', /key is an object with no "kty" member \(members: n, e\), so not a JWK; it must be/],
    [ec.privateKey, 'ERR_INVALID_KEY', /key is a private KeyObject \(ec\); .*only RSA \(RS\*, PS\*\) and HMAC/],
  ];
  for (const [key, code, message] of cases) {
    assert.throws(() => api.encodeJwt(claims, key), { code, message }, String(key));
    assert.throws(() => api.verifyJwt('a.b.c', key, RS), { code, message });
  }
  assert.throws(() => api.verifyJwt('a.b.c', ec.publicKey, RS), (e) => e.code === 'ERR_INVALID_KEY' && e.received === 'a public KeyObject (ec)');
  // RSA-only places: a secret is not an RSA key, and bytes there must be PEM text.
  assert.throws(() => api.signAsap({ issuer: 'i', kid: 'i/k', audience: 'a', privateKey: createSecretKey(Buffer.from('s')) }),
    { code: 'ERR_INVALID_KEY', message: /privateKey is a secret KeyObject; it must be an RSA key .*a secret KeyObject is an HMAC key/ });
  assert.throws(() => api.exportPublicKey(new Uint8Array([1, 2, 3])), { code: 'ERR_INVALID_KEY', message: /key is a Uint8Array.*not PEM text/ });
  // The old lies: a Buffer PEM is not "a shared secret string", a KeyObject not "a JWK with no kty".
  assert.equal(api.exportPublicKey(Buffer.from(privatePem)).publicKey, api.exportPublicKey(privatePem).publicKey);
  assert.equal(api.exportPublicKey(createPrivateKey(privatePem)).publicKey, api.exportPublicKey(privatePem).publicKey);
});

test('every API that takes an RSA key takes the other forms: ASAP, install callbacks, OAuth, trusted apps', async () => {
  const ko = createPrivateKey(privatePem);
  const pub = createPublicKey(publicPem);
  // ASAP: KeyObject to sign; KeyObject, Buffer and CryptoKey to verify; jose reads the token.
  const asap = api.signAsap({ issuer: 'svc', kid: 'svc/k1', audience: 'api', privateKey: ko, now });
  for (const key of [pub, Buffer.from(publicPem), await importPublic(true), (kid) => (kid === 'svc/k1' ? pub : null)]) {
    assert.equal((await api.verifyAsap(asap, key, { audience: 'api', now })).iss, 'svc');
  }
  assert.equal((await jose.jwtVerify(asap, pub, { audience: 'api', currentDate: new Date(now * 1000) })).payload.iss, 'svc');
  await assert.rejects(api.verifyAsap(asap, await importPublic(false), { audience: 'api', now }),
    { code: 'ERR_INVALID_KEY', message: /non-extractable public CryptoKey.*verifyJwtAsync/ });

  // A signed install callback verified with the install key as a KeyObject.
  const baseUrl = 'https://app.example.com';
  const body = JSON.stringify({ clientKey: 'ck', key: 'app' });
  const token = api.encodeJwt({ iss: 'ck', aud: baseUrl, iat: now, exp: now + 60, qsh: api.createQsh('POST', '/installed') },
    ko, { kid: 'install-kid' });
  const req = { method: 'POST', url: '/installed', headers: { authorization: `JWT ${token}` }, body };
  const r = await api.verifyConnectRequest(req, { baseUrl, lifecycle: true, installKey: async () => pub, now });
  assert.equal(r.clientKey, 'ck');

  // OAuth 1.0a: signOAuthSync with a KeyObject, signOAuth with a non-extractable CryptoKey (WebCrypto),
  // the same deterministic RSA-SHA1 signature; verifyOAuth with the public KeyObject.
  const request = { method: 'GET', url: 'https://jira.example.com/rest/api/2/myself' };
  const creds = { consumerKey: 'c', nonce: 'n', timestamp: now };
  const sync = api.signOAuthSync(request, { ...creds, privateKey: ko });
  assert.equal(sync.signature, api.signOAuthSync(request, { ...creds, privateKey: privatePem }).signature);
  const held = await subtle.importKey('pkcs8', der(privatePem), rsa('SHA-1'), false, ['sign']);
  assert.equal((await api.signOAuth(request, { ...creds, privateKey: held })).signature, sync.signature);
  await assert.rejects(api.signOAuth(request, { ...creds, privateKey: await importPrivate(false) }),
    { code: 'ERR_INVALID_KEY', message: /needs RSASSA-PKCS1-v1_5 with SHA-1/ });
  const checked = api.verifyOAuth({ ...request, authorization: sync.authorization }, { publicKey: pub, now });
  assert.equal(checked.ok, true);

  // Trusted apps: sign with a KeyObject, verify with a Buffer PEM.
  const url = 'https://jira.example.com/rest/api/2/myself';
  const ta = api.signTrustedApps({ version: 3, appId: 'app', privateKey: ko, username: 'u', url, timestamp: now * 1000 });
  const v = api.verifyTrustedApps({ headers: ta.headers, url, publicKey: Buffer.from(publicPem), now: now * 1000 });
  assert.equal(v.username, 'u');
});

test('explain takes the credentials\' keys in the same forms', () => {
  // The client signed POST but sent GET: with the key at hand explain can test the causes.
  const url = 'https://jira.example.com/rest/api/2/search?jql=project%20%3D%20OPS';
  const signed = api.signOAuthSync({ method: 'POST', url }, { consumerKey: 'ck', privateKey: privatePem, nonce: 'n', timestamp: now, token: 'tok' });
  const input = {
    request: { method: 'GET', url, headers: { Authorization: signed.authorization } },
    response: { status: 401, headers: {}, body: `oauth_problem=signature_invalid&oauth_signature_base_string=${
      encodeURIComponent(api.oauthBaseString({ method: 'GET', url }, signed.authorization))}` },
    now,
  };
  const want = api.explain({ ...input, credentials: { privateKey: privatePem } });
  assert.ok(want.causes.includes('METHOD_CHANGED'), want.causes.join(', '));
  for (const privateKey of [createPrivateKey(privatePem), Buffer.from(privatePem), createPrivateKey(privatePem).export({ format: 'jwk' })]) {
    assert.deepEqual(api.explain({ ...input, credentials: { privateKey } }), want);
  }
  assert.throws(() => api.explain({ ...input, credentials: { privateKey: createSecretKey(Buffer.from('s')) } }),
    { code: 'ERR_INVALID_KEY', message: /credentials.privateKey is a secret KeyObject/ });
});
