// ASAP interop both ways with PyPI atlassian-jwt-auth (tests/python/asap_interop.py, one Python
// process for this file, JSON lines over stdin/stdout): tokens from signAsap verify in its
// JWTAuthVerifier, and tokens from its JWTAuthSigner verify with verifyAsap.
// Needs tests/.venv (python3 -m venv tests/.venv && tests/.venv/bin/pip install -r tests/requirements.txt).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import * as api from '../../pkg/index.mjs';
import { root, vector } from './helpers.mjs';

const python = `${root}tests/.venv/bin/python`;
const skip = existsSync(python) ? false
  : 'tests/.venv/bin/python is missing: run python3 -m venv tests/.venv && tests/.venv/bin/pip install -r tests/requirements.txt';
const key = vector('oauth-cases.json').test_key;
const der = Buffer.from(key.private_pkcs8_pem.replace(/-----[^-]+-----|\s/g, ''), 'base64').toString('base64');
const dataUri = (kid) => `data:application/pkcs8;kid=${encodeURIComponent(kid)};base64,${der}`;
const now = () => Math.floor(Date.now() / 1000);
const ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

let peer;

/** The Python peer: call(op, args) resolves with its answer ({ ok, ... }). */
function startPeer() {
  const child = spawn(python, ['-u', `${root}tests/python/asap_interop.py`], { stdio: ['pipe', 'pipe', 'pipe'] });
  const waiting = new Map();
  let stderr = '';
  let id = 0;
  child.stderr.on('data', (d) => { stderr += d; });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const msg = JSON.parse(line);
    waiting.get(msg.id)?.resolve(msg);
    waiting.delete(msg.id);
  });
  const exited = new Promise((resolve) => child.on('exit', (code) => {
    for (const w of waiting.values()) w.reject(new Error(`the Python peer exited (${code}): ${stderr}`));
    waiting.clear();
    resolve(code);
  }));
  return {
    call(op, args) {
      return new Promise((resolve, reject) => {
        const n = ++id;
        waiting.set(n, { resolve, reject });
        child.stdin.write(JSON.stringify({ id: n, op, ...args }) + '\n');
      });
    },
    async close() {
      child.stdin.end();
      assert.equal(await exited, 0, stderr);
    },
  };
}

async function pySign(args) {
  const r = await peer.call('sign', args);
  assert.ok(r.ok, `${r.error}: ${r.message}`);
  return r.token;
}
const pyVerify = (token, audience, extra = {}) =>
  peer.call('verify', { token, audience, public_keys: { 'billing/key-1': key.public_spki_pem, 'billing/key+1': key.public_spki_pem }, ...extra });

before(() => { if (!skip) peer = startPeer(); });
after(async () => { if (peer) await peer.close(); });

test('signAsap tokens verify in atlassian-jwt-auth (RS256/384/512, PS256/384/512)', { skip }, async () => {
  for (const algorithm of ALGS) {
    const token = api.signAsap({ issuer: 'billing', kid: 'billing/key-1', audience: 'jira-service', privateKey: key.private_pkcs8_pem, algorithm, claims: { scope: 'read' } });
    const r = await pyVerify(token, 'jira-service');
    assert.ok(r.ok, `${algorithm}: ${r.error}: ${r.message}`);
    assert.deepEqual(r.kids, ['billing/key-1']);
    const { payload } = api.decodeJwt(token);
    assert.equal(r.claims.iss, 'billing');
    assert.equal(r.claims.sub, 'billing');
    assert.equal(r.claims.jti, payload.jti);
    assert.equal(r.claims.scope, 'read');
    assert.equal(r.claims.exp - r.claims.iat, 60);
  }
  // data: URI key (kid with an escaped "+"), an audience list, an hour-long token, PKCS#1 key.
  const t = api.signAsap({ issuer: 'billing', audience: ['a', 'jira-service'], privateKey: dataUri('billing/key+1'), expiresIn: 3600 });
  const r = await pyVerify(t, 'jira-service');
  assert.ok(r.ok, `${r.error}: ${r.message}`);
  assert.deepEqual(r.kids, ['billing/key+1']);
  assert.deepEqual(r.claims.aud, ['a', 'jira-service']);
  const p1 = api.signAsap({ issuer: 'billing', kid: 'billing/key-1', audience: 'x', privateKey: key.private_pkcs1_pem, algorithm: 'PS256' });
  assert.ok((await pyVerify(p1, 'x')).ok);
});

test('atlassian-jwt-auth refuses what it should: audience, signature, expiry, subject, replayed jti', { skip }, async () => {
  const sign = (o = {}) => api.signAsap({ issuer: 'billing', kid: 'billing/key-1', audience: 'jira-service', privateKey: key.private_pkcs8_pem, ...o });
  const wrongAud = await pyVerify(sign(), 'confluence-service');
  assert.equal(wrongAud.ok, false);
  assert.equal(wrongAud.error, 'InvalidAudienceError');
  const [h, p, s] = sign().split('.');
  const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url')), scope: 'admin' })).toString('base64url');
  assert.equal((await pyVerify(`${h}.${forged}.${s}`, 'jira-service')).error, 'InvalidSignatureError');
  assert.equal((await pyVerify(sign({ now: now() - 7200 }), 'jira-service')).error, 'ExpiredSignatureError');
  // sub defaults to iss; another subject passes only when the verifier allows it.
  const other = sign({ subject: 'account-42' });
  assert.equal((await pyVerify(other, 'jira-service')).error, 'SubjectDoesNotMatchIssuerException');
  const allowed = await pyVerify(other, 'jira-service', { subject_should_match_issuer: false });
  assert.ok(allowed.ok, allowed.message);
  assert.equal(allowed.claims.sub, 'account-42');
  // Each signAsap token has its own jti: two pass a jti-checking verifier, a replay does not.
  const [a, b] = [sign(), sign()];
  assert.ok((await pyVerify(a, 'jira-service', { check_jti_uniqueness: true })).ok);
  assert.ok((await pyVerify(b, 'jira-service', { check_jti_uniqueness: true })).ok);
  assert.equal((await pyVerify(a, 'jira-service', { check_jti_uniqueness: true })).error, 'JtiUniquenessException');
});

test('atlassian-jwt-auth JWTAuthSigner tokens verify with verifyAsap', { skip }, async () => {
  for (const algorithm of ALGS) {
    const token = await pySign({ issuer: 'billing', kid: 'billing/key-1', private_key_pem: key.private_pkcs8_pem, algorithm, audience: 'jira-service', additional_claims: { scope: 'write' } });
    assert.equal(api.decodeJwt(token).header.alg, algorithm);
    const kids = [];
    const claims = await api.verifyAsap(token, async (kid) => { kids.push(kid); return key.public_spki_pem; }, { audience: 'jira-service', issuers: 'billing' });
    assert.deepEqual(kids, ['billing/key-1']);
    assert.equal(claims.iss, 'billing');
    assert.equal(claims.sub, 'billing');
    assert.equal(claims.scope, 'write');
    assert.match(String(claims.jti), /^\d+:\d+$/, 'its jti is "<seconds>:<random>"');
    assert.equal(claims.exp - claims.iat, 60);
  }
  // Its data: URI retriever, an audience list, a subject, an hour's lifetime; the Bearer prefix.
  const t = await pySign({ issuer: 'billing', data_uri: dataUri('billing/key+1'), audience: ['jira-service', 'x'], subject: 'account-42', lifetime: 3600, algorithm: 'PS256' });
  assert.equal(api.decodeJwt(t).header.kid, 'billing/key+1');
  const c = await api.verifyAsap(`Bearer ${t}`, key.public_spki_pem, { audience: 'x' });
  assert.equal(c.sub, 'account-42');
  assert.equal(c.exp - c.iat, 3600);
  // A kid equal to the issuer (no "/<key name>"): atlassian-jwt-auth's verifier accepts it
  // (`kid == iss or kid.startswith(iss + "/")`); verifyAsap keeps to the "<iss>/<key name>" rule.
  const bare = await pySign({ issuer: 'billing', kid: 'billing', private_key_pem: key.private_pkcs8_pem, audience: 'a' });
  assert.ok((await peer.call('verify', { token: bare, audience: 'a', public_keys: { billing: key.public_spki_pem } })).ok);
  await assert.rejects(api.verifyAsap(bare, key.public_spki_pem, { audience: 'a' }), { code: 'ERR_JWT_CLAIM_INVALID', message: /<iss>\/<key name>/ });
});

test('verifyAsap refuses atlassian-jwt-auth tokens it should, each with its code', { skip }, async () => {
  const token = await pySign({ issuer: 'billing', kid: 'billing/key-1', private_key_pem: key.private_pkcs8_pem, audience: 'jira-service' });
  await assert.rejects(api.verifyAsap(token, key.public_spki_pem, { audience: 'confluence-service' }), { code: 'ERR_JWT_CLAIM_INVALID', message: /aud/ });
  await assert.rejects(api.verifyAsap(token, key.public_spki_pem, { audience: 'jira-service', issuers: ['payments'] }), { code: 'ERR_JWT_CLAIM_INVALID' });
  const otherKey = api.generateKeyPair(2048).publicKey;
  await assert.rejects(api.verifyAsap(token, otherKey, { audience: 'jira-service' }), { code: 'ERR_JWT_SIGNATURE_INVALID' });
  // A kid the issuer does not own (atlassian-jwt-auth's signer does not check; its verifier does).
  const foreign = await pySign({ issuer: 'billing', kid: 'payments/key-1', private_key_pem: key.private_pkcs8_pem, audience: 'jira-service' });
  await assert.rejects(api.verifyAsap(foreign, key.public_spki_pem, { audience: 'jira-service' }), { code: 'ERR_JWT_CLAIM_INVALID', message: /does not belong/ });
  const py = await peer.call('verify', { token: foreign, audience: 'jira-service', public_keys: { 'payments/key-1': key.public_spki_pem } });
  assert.equal(py.ok, false);
  assert.match(py.message, /does not own/);
  // ES256 is an ASAP algorithm that atlassian-jwt-auth signs but this toolkit does not verify
  // (its keys are RSA only for now): refused with a code rather than mis-verified.
  const ec = await peer.call('ec_key', { curve: 'P-256' });
  const es = await pySign({ issuer: 'billing', kid: 'billing/ec-1', private_key_pem: ec.private_key_pem, algorithm: 'ES256', audience: 'a' });
  await assert.rejects(api.verifyAsap(es, ec.public_key_pem, { audience: 'a' }), { code: 'ERR_INVALID_KEY', message: /RSA/ });
  await assert.rejects(api.verifyAsap(es, key.public_spki_pem, { audience: 'a' }), { code: 'ERR_JWT_ALG_NOT_ALLOWED', message: /ES256/ });
});
