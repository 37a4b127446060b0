// Trusted applications: v3 against the published vector, v2 by round trip through an
// independent decoder written here (node:crypto raw RSA + RC4 + SHA1withRSA).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, publicDecrypt, verify } from 'node:crypto';
import * as api from '../../pkg/index.mjs';
import { vector } from './helpers.mjs';

const v = vector('trusted-apps-v3.json');
const keyObj = createPrivateKey({ key: Buffer.from(v.private_key_pkcs8_der_base64, 'base64'), format: 'der', type: 'pkcs8' });
const privatePem = keyObj.export({ type: 'pkcs8', format: 'pem' });
const publicPem = createPublicKey(keyObj).export({ type: 'spki', format: 'pem' });
const MAGIC = '-1159983122';

function rc4(key, data) {
  const s = [...Array(256).keys()];
  for (let i = 0, j = 0; i < 256; i++) { j = (j + s[i] + key[i % key.length]) & 255; [s[i], s[j]] = [s[j], s[i]]; }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 255; j = (j + s[i]) & 255; [s[i], s[j]] = [s[j], s[i]];
    out[n] = data[n] ^ s[(s[i] + s[j]) & 255];
  }
  return out;
}
const unwrap = (b64) => {
  const raw = publicDecrypt({ key: publicPem, padding: constants.RSA_NO_PADDING }, Buffer.from(b64, 'base64'));
  let i = 0; while (i < raw.length && raw[i] === 0) i++;
  return raw.subarray(i);
};

test('v3 signature equals the published vector; headers verify', () => {
  const ts = Number(v.timestamp);
  const { headers } = api.signTrustedApps({ version: 3, appId: 'confluence:1234', privateKey: privatePem, username: v.username, url: v.url, timestamp: ts });
  assert.equal(headers['X-Seraph-Trusted-App-Signature'], v.expected_v3_signature_base64);
  assert.equal(headers['X-Seraph-Trusted-App-Version'], '3');
  assert.equal(Buffer.from(headers['X-Seraph-Trusted-App-Cert'], 'base64').toString(), `${ts}\n${v.username}\n${MAGIC}`);
  const ok = api.verifyTrustedApps({ headers, url: v.url, publicKey: publicPem, now: ts });
  const bits = createPublicKey(publicPem).asymmetricKeyDetails.modulusLength;
  assert.deepEqual({ ...ok, warnings: ok.warnings.length }, { appId: 'confluence:1234', username: v.username, timestamp: ts, version: 3, warnings: bits < 2048 ? 1 : 0 });
  assert.throws(() => api.verifyTrustedApps({ headers, url: v.url + '/other', publicKey: publicPem, now: ts }),
    (e) => e.code === 'ERR_TRUSTED_APPS_REJECTED' && e.seraphCode === 'BAD_SIGNATURE');
});

test('v2 headers decode with an independent raw-RSA/RC4 decoder', () => {
  const ts = 1700000000123;
  const url = 'https://fisheye.example.com/rest-service/reviews-v1?expand=all';
  for (let round = 0; round < 5; round++) {
    const { headers } = api.signTrustedApps({ version: 2, appId: 'fisheye:1', privateKey: privatePem, username: 'alice', url, timestamp: ts });
    const rc4Key = unwrap(headers['X-Seraph-Trusted-App-Key']);
    assert.equal(rc4Key.length, 16);
    assert.equal(unwrap(headers['X-Seraph-Trusted-App-Magic']).toString(), MAGIC);
    const cert = rc4(rc4Key, Buffer.from(headers['X-Seraph-Trusted-App-Cert'], 'base64')).toString();
    assert.equal(cert, `${ts}\nalice\n${MAGIC}`);
    assert.ok(verify('sha1', Buffer.from(`${ts}\n${url}`), publicPem, Buffer.from(headers['X-Seraph-Trusted-App-Signature'], 'base64')));
    assert.equal(api.verifyTrustedApps({ headers: new Headers(headers), url, publicKey: publicPem, now: ts, allowV2: true }).version, 2);
  }
});

test('appTrustCertificate and refusals by Seraph code', () => {
  const der = createPublicKey(keyObj).export({ type: 'spki', format: 'der' }).toString('base64');
  const cert = api.parseAppTrustCertificate(`fisheye:1\n${der}\n2\n${MAGIC}\n`);
  assert.deepEqual([cert.appId, cert.version, cert.magic], ['fisheye:1', '2', MAGIC]);
  assert.equal(cert.publicKey, publicPem);
  const ts = Date.now();
  const { headers } = api.signTrustedApps({ version: 2, appId: 'fisheye:1', privateKey: privatePem, username: 'bob', url: 'https://x/y', timestamp: ts });
  assert.equal(api.verifyTrustedApps({ headers, url: 'https://x/y', certificate: `fisheye:1\n${der}`, allowV2: true }).username, 'bob');
  const other = api.generateKeyPair();
  const reject = (h, seraph, opts = {}) => assert.throws(() => api.verifyTrustedApps({ headers: h, url: 'https://x/y', publicKey: publicPem, allowV2: true, ...opts }), (e) => e.seraphCode === seraph || assert.fail(`${e.seraphCode} ${e.message}`));
  reject({ ...headers, 'X-Seraph-Trusted-App-Magic': api.signTrustedApps({ version: 2, appId: 'a', privateKey: other.privateKey, username: 'bob', url: 'https://x/y' }).headers['X-Seraph-Trusted-App-Magic'] }, 'BAD_MAGIC');
  reject(headers, 'OLD_CERT', { now: ts + 3600_000 });
  reject({ ...headers, 'X-Seraph-Trusted-App-Version': '7' }, 'BAD_PROTOCOL_VERSION');
  reject({ ...headers, 'X-Seraph-Trusted-App-Cert': undefined }, 'MISSING_CERT');
});

test('v2 only with allowV2; a missing version header means v2', () => {
  const ts = 1700000000123;
  const url = 'https://x/y';
  const { headers } = api.signTrustedApps({ version: 2, appId: 'fisheye:1', privateKey: privatePem, username: 'bob', url, timestamp: ts });
  const noVersion = { ...headers };
  delete noVersion['X-Seraph-Trusted-App-Version'];
  for (const h of [headers, noVersion]) {
    assert.throws(() => api.verifyTrustedApps({ headers: h, url, publicKey: publicPem, now: ts }),
      (e) => (e.code === 'ERR_TRUSTED_APPS_REJECTED' && e.seraphCode === 'BAD_PROTOCOL_VERSION' && /allowV2/.test(e.message)) || assert.fail(e.message));
    assert.equal(api.verifyTrustedApps({ headers: h, url, publicKey: publicPem, now: ts, allowV2: true }).version, 2);
  }
  assert.throws(() => api.verifyTrustedApps({ headers, url, publicKey: publicPem, now: ts, allowV2: 'yes' }), { code: 'ERR_INVALID_INPUT' });
});

test('a 1024-bit key still signs and verifies, with a warning', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
  const ts = 1700000000123;
  const signed = api.signTrustedApps({ version: 3, appId: 'a', privateKey, username: 'bob', url: 'https://x/y', timestamp: ts });
  assert.equal(signed.warnings.length, 1);
  assert.match(signed.warnings[0], /1024 bits/);
  const ok = api.verifyTrustedApps({ headers: signed.headers, url: 'https://x/y', publicKey, now: ts });
  assert.equal(ok.username, 'bob');
  assert.match(ok.warnings[0], /1024 bits.*2048/);
});
