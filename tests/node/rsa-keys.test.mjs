// Key pairs come from the platform (node:crypto here, WebCrypto in browsers): the package's
// own parser reads them, the numbers are consistent, and signatures cross both ways.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import * as api from '../../pkg/index.mjs';

const big = (b64url) => BigInt('0x' + (Buffer.from(b64url, 'base64url').toString('hex') || '0'));

test('generateKeyPair: OpenSSL reads the PKCS#8 and SPKI, p·q = n, CRT values consistent', () => {
  const kp = api.generateKeyPair(2048);
  const priv = createPrivateKey(kp.privateKey);
  assert.equal(priv.asymmetricKeyDetails.modulusLength, 2048);
  assert.equal(priv.asymmetricKeyDetails.publicExponent, 65537n);
  const jwk = priv.export({ format: 'jwk' });
  const [n, e, d, p, q, dp, dq, qi] = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'].map((k) => big(jwk[k]));
  assert.equal(p * q, n);
  assert.equal(d % (p - 1n), dp);
  assert.equal(d % (q - 1n), dq);
  assert.equal((qi * q) % p, 1n);
  assert.equal((e * dp) % (p - 1n), 1n);
  assert.equal((e * dq) % (q - 1n), 1n);
  // The public forms are the same key.
  const pub = createPublicKey(kp.publicKey);
  assert.equal(pub.export({ format: 'jwk' }).n, jwk.n);
  assert.equal(createPublicKey(kp.publicKeyPkcs1).export({ format: 'jwk' }).n, jwk.n);
  assert.equal(kp.jwk.n, jwk.n);
  // Signatures cross: OpenSSL with our key, ours checked by OpenSSL.
  const msg = Buffer.from('hello');
  const sig = sign('sha256', msg, priv);
  assert.ok(verify('sha256', msg, kp.publicKey, sig));
  const tok = api.encodeJwt({ a: 1 }, kp.privateKey);
  const [h, b, s] = tok.split('.');
  assert.ok(verify('sha256', Buffer.from(`${h}.${b}`), pub, Buffer.from(s, 'base64url')));
  // And node's PKCS#8 of the same key is byte for byte ours.
  assert.equal(priv.export({ type: 'pkcs8', format: 'pem' }), kp.privateKey);
});

test('generateKeyPairAsync: the same forms, without blocking; sizes other than 2048/3072/4096 refused', async () => {
  for (const bits of [2048, 3072]) {
    const kp = await api.generateKeyPairAsync(bits);
    const priv = createPrivateKey(kp.privateKey);
    assert.equal(priv.asymmetricKeyDetails.modulusLength, bits);
    assert.equal(priv.asymmetricKeyDetails.publicExponent, 65537n);
    assert.equal(createPublicKey(kp.publicKey).export({ format: 'jwk' }).n, kp.jwk.n);
    assert.equal(api.exportPublicKey(kp.privateKey).bits, bits);
    const tok = api.encodeJwt({ a: 1 }, kp.privateKey, { algorithm: 'PS256' });
    assert.deepEqual(api.verifyJwt(tok, kp.publicKeyPkcs1, { algorithms: ['PS256'] }), { a: 1 });
  }
  for (const bad of [1024, 2047, '2048', 0, -1, 8192]) {
    assert.throws(() => api.generateKeyPair(bad), { code: 'ERR_INVALID_INPUT' });
    await assert.rejects(api.generateKeyPairAsync(bad), { code: 'ERR_INVALID_INPUT' });
  }
});
