// Keys: generation by the platform (node:crypto in Node, WebCrypto in browsers: native speed,
// and no prime generation in the WebAssembly module), public-key export, and what key text is.
import { callJson, call, json, str, typeError } from './common.js';
import { rsaKeyValue } from './key_forms.js';

function keyBits(bits) {
  if (bits == null) return 2048;
  if (bits === 2048 || bits === 3072 || bits === 4096) return bits;
  throw typeError('bits must be 2048, 3072 or 4096');
}

/** PEM text of DER bytes. */
export function pem(label, der) {
  const bytes = new Uint8Array(der);
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  const b64 = btoa(bin);
  return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
}

const RSA_OPTIONS = (bits) => ({
  modulusLength: bits,
  publicExponent: 0x10001,
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  publicKeyEncoding: { type: 'spki', format: 'pem' },
});

export function keysApi(raw, platform) {
  /** The public half of a key in every form: `{ publicKey, publicKeyPkcs1, jwk, bits, format, private }`. */
  function exportPublicKey(key) {
    // Any text is read as a key here (PEM, base64 DER, JWK JSON): no secret is meant.
    if (typeof key === 'string') return callJson(raw.__exportPublicKey, key, undefined);
    const k = rsaKeyValue(key, 'key', undefined);
    if (typeof k === 'string') return callJson(raw.__exportPublicKey, k, undefined);
    if (k === undefined) throw typeError('key is required: an RSA key (PEM or JWK)');
    return callJson(raw.__exportPublicKey, undefined, json(k, 'key'));
  }

  function keyPairFromPkcs8(privateKey) {
    const pub = exportPublicKey(privateKey);
    return { privateKey, publicKey: pub.publicKey, publicKeyPkcs1: pub.publicKeyPkcs1, jwk: pub.jwk };
  }

  /** Generates an RSA key pair (e = 65537) with node:crypto; in browsers use generateKeyPairAsync. */
  function generateKeyPair(bits) {
    const n = keyBits(bits);
    if (!platform?.generateKeyPairSync) {
      throw invalid('in browsers RSA keys come from WebCrypto, which is asynchronous: use await generateKeyPairAsync(bits)');
    }
    return keyPairFromPkcs8(platform.generateKeyPairSync('rsa', RSA_OPTIONS(n)).privateKey);
  }

  /** Generates an RSA key pair (e = 65537) without blocking: node:crypto in Node, WebCrypto in browsers. */
  async function generateKeyPairAsync(bits) {
    const n = keyBits(bits);
    if (platform?.generateKeyPair) {
      const privateKey = await new Promise((resolve, reject) => platform.generateKeyPair('rsa', RSA_OPTIONS(n),
        (err, _pub, priv) => (err ? reject(err) : resolve(priv))));
      return keyPairFromPkcs8(privateKey);
    }
    const subtle = globalThis.crypto?.subtle;
    if (!subtle) throw invalid('WebCrypto is not available here (crypto.subtle needs a secure context: https or localhost)');
    const pair = await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: n,
      publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    return keyPairFromPkcs8(pem('PRIVATE KEY', await subtle.exportKey('pkcs8', pair.privateKey)));
  }

  /** What key text is taken as: 'rsa' (PEM or JWK text) or 'secret' (any other text). */
  function keyKind(text) {
    return call(raw.__keyKind, str(text, 'text'));
  }

  return { exportPublicKey, generateKeyPair, generateKeyPairAsync, keyKind };
}
