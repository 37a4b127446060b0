// What Atlassian sends: signed install callbacks (RS256), product-to-app requests (HS256),
// context tokens, Forge invocation tokens, ASAP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import * as jose from 'jose';
import * as aj from 'atlassian-jwt';
import * as api from '../../pkg/index.mjs';
import { vector } from './helpers.mjs';

const key = vector('oauth-cases.json').test_key;
const now = Math.floor(Date.now() / 1000);
const baseUrl = 'https://app.example.com/connect';
const clientKey = 'a1b2c3d4-client';

function installToken({ iss = clientKey, aud = baseUrl, kid = 'install-kid-1', path = '/installed', method = 'POST', exp = now + 60, alg = 'RS256', signKey = key.private_pkcs8_pem } = {}) {
  const qsh = api.createQsh(method, `${baseUrl}${path}`, { baseUrl });
  return api.encodeJwt({ iss, aud, qsh, iat: now, exp }, signKey, { kid, algorithm: alg });
}
const installRequest = (token, body = { clientKey, sharedSecret: 'shh', baseUrl: 'https://acme.atlassian.net' }) => ({
  method: 'POST', url: `${baseUrl}/installed`, headers: { authorization: `JWT ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
});

test('installKeyUrl names the key to fetch and refuses path tricks', () => {
  assert.equal(api.installKeyUrl('abc-123_x.y'), 'https://connect-install-keys.atlassian.com/abc-123_x.y');
  for (const bad of ['../x', 'a/b', '', 'a?b', '.hidden']) assert.throws(() => api.installKeyUrl(bad), { code: 'ERR_JWT_CLAIM_INVALID' });
});

test('signed install callback: accepted, and each check has its code', async () => {
  const resolverCalls = [];
  const installKey = async (kid) => { resolverCalls.push(kid); return key.public_spki_pem; };
  const ok = await api.verifyConnectRequest(installRequest(installToken()), { baseUrl, lifecycle: true, installKey });
  assert.equal(ok.clientKey, clientKey);
  assert.equal(ok.kind, 'lifecycle');
  assert.equal(ok.claims.iss, clientKey);
  assert.deepEqual(resolverCalls, ['install-kid-1']);
  // aud with a trailing slash, and as an array.
  await api.verifyConnectRequest(installRequest(installToken({ aud: [baseUrl + '/'] })), { baseUrl, lifecycle: true, installKey });
  // atlassian-jwt's encodeAsymmetric makes an acceptable token too.
  const ajToken = aj.encodeAsymmetric({ iss: clientKey, aud: baseUrl, iat: now, exp: now + 60, qsh: api.createQsh('POST', '/installed') },
    key.private_pkcs8_pem, aj.AsymmetricAlgorithm.RS256, { kid: 'k2' });
  await api.verifyConnectRequest(installRequest(ajToken), { baseUrl, lifecycle: true, installKey: key.public_spki_pem });
  // jose too.
  const priv = await jose.importPKCS8(key.private_pkcs8_pem, 'RS256');
  const joseToken = await new jose.SignJWT({ iss: clientKey, aud: baseUrl, qsh: api.createQsh('POST', '/installed') })
    .setProtectedHeader({ alg: 'RS256', kid: 'k3' }).setIssuedAt(now).setExpirationTime(now + 60).sign(priv);
  await api.verifyConnectRequest(installRequest(joseToken), { baseUrl, lifecycle: true, installKey: key.public_spki_pem });

  const reject = async (req, code, re) => assert.rejects(api.verifyConnectRequest(req, { baseUrl, lifecycle: true, installKey }), (e) => {
    assert.equal(e.code, code, e.message);
    if (re) assert.match(e.message, re);
    assert.ok(!e.message.includes('shh'));
    return true;
  });
  await reject(installRequest(installToken({ iss: 'someone-else' })), 'ERR_JWT_CLAIM_INVALID', /clientKey is "a1b2c3d4-client"/);
  await reject(installRequest(installToken({ aud: 'https://evil.example.com' })), 'ERR_JWT_CLAIM_INVALID', /aud is .*evil.*baseUrl is/);
  await reject(installRequest(installToken({ exp: now - 100 })), 'ERR_JWT_EXPIRED');
  await reject(installRequest(installToken({ path: '/uninstalled' })), 'ERR_QSH_MISMATCH');
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  await reject(installRequest(installToken({ signKey: other })), 'ERR_JWT_SIGNATURE_INVALID');
  // Algorithm confusion: HS256 signed with the public key PEM as the secret.
  await reject(installRequest(installToken({ alg: 'HS256', signKey: new TextEncoder().encode(key.public_spki_pem) })), 'ERR_JWT_ALG_NOT_ALLOWED');
  // alg none, any casing.
  for (const alg of ['none', 'NONE', 'None']) {
    const h = Buffer.from(JSON.stringify({ alg, kid: 'install-kid-1' })).toString('base64url');
    const p = Buffer.from(JSON.stringify({ iss: clientKey, aud: baseUrl, iat: now, exp: now + 60, qsh: api.createQsh('POST', '/installed') })).toString('base64url');
    await reject(installRequest(`${h}.${p}.`), 'ERR_JWT_ALG_NOT_ALLOWED');
  }
  await reject({ ...installRequest('x'), headers: { authorization: 'Bearer abc' } }, 'ERR_JWT_MALFORMED', /JWT <token>/);
});

test('product-to-app HS256 requests: secret by clientKey, decoded path, form body, context tokens', async () => {
  const secrets = { [clientKey]: 'shared-secret' };
  const sharedSecret = (ck) => secrets[ck];
  const url = `${baseUrl}/issue%20panel?issueKey=TEST-1&lic=none`;
  // Jira signs requests to apps over the decoded path.
  const qsh = api.createQsh('GET', url, { baseUrl, pathForm: 'decoded' });
  const token = api.encodeJwt({ iss: clientKey, qsh, iat: now, exp: now + 180, sub: 'account-1' }, 'shared-secret');
  const ok = await api.verifyConnectRequest({ method: 'GET', url: `${url}&jwt=${token}` }, { baseUrl, sharedSecret });
  assert.equal(ok.clientKey, clientKey);
  assert.equal(ok.claims.sub, 'account-1');
  // Header form, wire-path qsh, an atlassian-jwt token.
  const ajToken = aj.encodeSymmetric({ iss: clientKey, iat: now, exp: now + 60, qsh: aj.createQueryStringHash(aj.fromMethodAndUrl('POST', '/connect/hook'), false, baseUrl) }, 'shared-secret');
  await api.verifyConnectRequest({ method: 'POST', url: '/connect/hook', headers: { Authorization: `JWT ${ajToken}` } }, { baseUrl, sharedSecret: 'shared-secret' });
  // Form body counted when the query is empty.
  const bodyQsh = api.createQsh('POST', '/connect/form', { baseUrl, body: 'a=1&b=2' });
  const bodyToken = api.encodeJwt({ iss: clientKey, iat: now, exp: now + 60, qsh: bodyQsh }, 'shared-secret');
  await api.verifyConnectRequest({ method: 'POST', url: '/connect/form', body: 'a=1&b=2', headers: { authorization: `JWT ${bodyToken}`, 'content-type': 'application/x-www-form-urlencoded' } }, { baseUrl, sharedSecret });
  // Context tokens only where allowed.
  const ctx = api.encodeJwt({ iss: clientKey, iat: now, exp: now + 60, qsh: 'context-qsh' }, 'shared-secret');
  const req = { method: 'GET', url: '/connect/api/data', headers: { authorization: `JWT ${ctx}` } };
  await assert.rejects(api.verifyConnectRequest(req, { baseUrl, sharedSecret }), { code: 'ERR_QSH_CONTEXT_NOT_ALLOWED' });
  assert.equal((await api.verifyConnectRequest(req, { baseUrl, sharedSecret, allowContextQsh: true })).context, true);
  // HS256 path refuses RS256 tokens; unknown clientKey has a clear message.
  await assert.rejects(api.verifyConnectRequest(installRequest(installToken()), { baseUrl, sharedSecret }), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
  const stranger = api.encodeJwt({ iss: 'unknown-client', iat: now, exp: now + 60, qsh }, 'x');
  await assert.rejects(api.verifyConnectRequest({ method: 'GET', url, headers: { authorization: `JWT ${stranger}` } }, { baseUrl, sharedSecret: (ck) => secrets[ck] ?? '' }),
    { code: 'ERR_INVALID_KEY', message: /no shared secret for clientKey "unknown-client"/ });
  const rs = api.encodeJwt({ iss: clientKey, iat: now, exp: now + 60, qsh }, key.private_pkcs8_pem);
  await assert.rejects(api.verifyConnectRequest({ method: 'GET', url, headers: { authorization: `JWT ${rs}` } }, { baseUrl, sharedSecret }), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
  await assert.rejects(api.verifyConnectRequest({ method: 'GET', url: '/connect/x' }, { baseUrl, sharedSecret }), { code: 'ERR_JWT_CLAIM_MISSING', message: /no token/ });
});

test('Forge invocation tokens against a JWKS', async () => {
  const appId = '8fb1e9f2-1b8e-4d45-9b4c-0a9c3b7f1234';
  const priv = await jose.importPKCS8(key.private_pkcs8_pem, 'RS256');
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = { keys: [
    { ...(await jose.exportJWK(other.publicKey)), kid: 'old', alg: 'RS256' },
    { ...(await jose.exportJWK(createPublicKey(key.public_spki_pem))), kid: 'current', alg: 'RS256' },
  ] };
  const claims = { app: { id: `ari:cloud:ecosystem::app/${appId}`, installationId: 'inst-1', apiBaseUrl: 'https://api.atlassian.com/ex/jira/cloud-1', environment: { type: 'DEVELOPMENT' } },
    context: { cloudId: 'cloud-1', siteUrl: 'https://acme.atlassian.net' }, principal: 'account-1' };
  const fit = async (over = {}) => new jose.SignJWT({ ...claims, ...over.claims }).setProtectedHeader({ alg: 'RS256', kid: over.kid ?? 'current' })
    .setIssuer(over.iss ?? 'forge/invocation-token').setAudience(over.aud ?? `ari:cloud:ecosystem::app/${appId}`)
    .setIssuedAt(now).setNotBefore(now).setExpirationTime(over.exp ?? now + 300).sign(priv);
  const out = api.verifyForgeInvocationToken(`Bearer ${await fit()}`, { jwks, appId });
  assert.equal(out.app.installationId, 'inst-1');
  assert.equal(out.context.siteUrl, 'https://acme.atlassian.net');
  assert.equal(out.principal, 'account-1');
  api.verifyForgeInvocationToken(await fit(), { jwks: JSON.stringify(jwks), appId: `ari:cloud:ecosystem::app/${appId}` });
  assert.throws(() => api.verifyForgeInvocationToken(JSON.stringify(1), { jwks, appId }), { code: 'ERR_JWT_MALFORMED' });
  assert.throws(() => api.verifyForgeInvocationToken('x', { jwks, appId }), { code: 'ERR_JWT_MALFORMED' });
  const t = await fit({ aud: appId });
  assert.throws(() => api.verifyForgeInvocationToken(t, { jwks, appId }), { code: 'ERR_JWT_CLAIM_INVALID', message: /ari:cloud:ecosystem::app/ });
  const [wrongIss, expired, oldKid, goneKid] = await Promise.all([fit({ iss: 'someone' }), fit({ exp: now - 60 }), fit({ kid: 'old' }), fit({ kid: 'gone' })]);
  assert.throws(() => api.verifyForgeInvocationToken(wrongIss, { jwks, appId }), { code: 'ERR_JWT_CLAIM_INVALID' });
  assert.throws(() => api.verifyForgeInvocationToken(expired, { jwks, appId }), { code: 'ERR_JWT_EXPIRED' });
  assert.throws(() => api.verifyForgeInvocationToken(oldKid, { jwks, appId }), { code: 'ERR_JWT_SIGNATURE_INVALID' });
  assert.throws(() => api.verifyForgeInvocationToken(goneKid, { jwks, appId }), { code: 'ERR_INVALID_KEY', message: /old, current/ });
});

test('ASAP sign and verify, data: URI keys, kid rules', async () => {
  const der = Buffer.from(key.private_pkcs8_pem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');
  const dataUri = `data:application/pkcs8;kid=${encodeURIComponent('billing/key-1')};base64,${der}`;
  const token = api.signAsap({ issuer: 'billing', audience: 'jira-service', privateKey: dataUri, expiresIn: 300, claims: { scope: 'read' } });
  const { header, payload } = api.decodeJwt(token);
  assert.equal(header.kid, 'billing/key-1');
  assert.equal(payload.sub, 'billing');
  assert.match(payload.jti, /^[0-9a-f]{32}$/);
  assert.equal(payload.exp - payload.iat, 300);
  assert.equal(payload.scope, 'read');
  const resolved = [];
  const claims = await api.verifyAsap(`Bearer ${token}`, async (kid) => { resolved.push(kid); return key.public_spki_pem; }, { audience: 'jira-service' });
  assert.equal(claims.iss, 'billing');
  assert.deepEqual(resolved, ['billing/key-1']);
  // jose verifies ours.
  const { payload: jp } = await jose.jwtVerify(token, await jose.importSPKI(key.public_spki_pem, 'RS256'), { audience: 'jira-service', issuer: 'billing' });
  assert.equal(jp.jti, payload.jti);
  for (const algorithm of ['RS384', 'RS512', 'PS256', 'PS512']) {
    const t = api.signAsap({ issuer: 'billing', kid: 'billing/k', audience: ['a', 'b'], privateKey: key.private_pkcs1_pem, algorithm });
    assert.equal((await api.verifyAsap(t, key.public_spki_pem, { audience: 'b', issuers: ['billing'] })).iss, 'billing');
  }
  assert.throws(() => api.signAsap({ issuer: 'x', kid: '../etc/passwd', audience: 'a', privateKey: key.private_pkcs8_pem }), { code: 'ERR_JWT_CLAIM_INVALID' });
  assert.throws(() => api.signAsap({ issuer: 'x', kid: 'x/k', audience: 'a', privateKey: key.private_pkcs8_pem, expiresIn: 7200 }), { code: 'ERR_INVALID_INPUT', message: /3600/ });
  assert.throws(() => api.signAsap({ issuer: 'x', kid: 'x/k', audience: 'a', privateKey: key.private_pkcs8_pem, algorithm: 'HS256' }), { code: 'ERR_UNSUPPORTED_ALGORITHM' });
  // A kid that the issuer does not own; an hour-long lifetime exceeded; HMAC refused.
  const priv = await jose.importPKCS8(key.private_pkcs8_pem, 'RS256');
  const mk = (h, c) => new jose.SignJWT({ jti: 'j1', ...c }).setProtectedHeader({ alg: 'RS256', ...h }).sign(priv);
  await assert.rejects(api.verifyAsap(await mk({ kid: 'other/k' }, { iss: 'billing', aud: 'a', iat: now, exp: now + 60 }), key.public_spki_pem, { audience: 'a' }), { code: 'ERR_JWT_CLAIM_INVALID', message: /does not belong/ });
  await assert.rejects(api.verifyAsap(await mk({ kid: 'billing/k' }, { iss: 'billing', aud: 'a', iat: now, exp: now + 4000 }), key.public_spki_pem, { audience: 'a' }), { code: 'ERR_JWT_CLAIM_INVALID', message: /3600/ });
  await assert.rejects(api.verifyAsap(await mk({ kid: 'billing/k' }, { iss: 'billing', aud: 'a', iat: now, exp: now + 60, jti: undefined }), key.public_spki_pem, { audience: 'a' }), { code: 'ERR_JWT_CLAIM_MISSING' });
  await assert.rejects(api.verifyAsap(await mk({ kid: 'billing/./k' }, { iss: 'billing', aud: 'a', iat: now, exp: now + 60 }), key.public_spki_pem, { audience: 'a' }), { code: 'ERR_JWT_CLAIM_INVALID' });
  const hs = api.encodeJwt({ iss: 'billing', aud: 'a', jti: 'x', iat: now, exp: now + 60 }, new TextEncoder().encode(key.public_spki_pem), { algorithm: 'HS256', kid: 'billing/k' });
  await assert.rejects(api.verifyAsap(hs, key.public_spki_pem, { audience: 'a' }), { code: 'ERR_JWT_ALG_NOT_ALLOWED' });
});
