// Keys in the forms people have them: text, a Buffer or Uint8Array (a PEM read from a file, or
// secret bytes), a JWK object, a node:crypto KeyObject, a WebCrypto CryptoKey. This is the one
// place that turns a form into what the WebAssembly exports take; it only changes the container.
// The one key parser (PEM, DER, JWK) is the core's.
import { codedError, json } from './common.js';

const ACCEPTED = 'an HMAC secret (a string, Buffer or Uint8Array), an RSA key as PEM (a string, Buffer or '
  + 'Uint8Array) or as a JWK object, a KeyObject (node:crypto) or a CryptoKey (WebCrypto)';
const ACCEPTED_RSA = 'an RSA key as PEM (a string, Buffer or Uint8Array), a JWK object, a KeyObject '
  + '(node:crypto) or a CryptoKey (WebCrypto)';

// node:crypto in Node (KeyObject.from turns an extractable CryptoKey into a KeyObject synchronously).
let platform;
/** Called once by the facade with node:crypto (Node) or nothing (browsers). */
export function setKeyPlatform(p) {
  platform = p;
}

const tag = (v) => (v !== null && typeof v === 'object' ? v[Symbol.toStringTag] : undefined);

export function isKeyObject(v) {
  return tag(v) === 'KeyObject' && typeof v.export === 'function' && typeof v.type === 'string';
}

export function isCryptoKey(v) {
  if (typeof CryptoKey !== 'undefined' && v instanceof CryptoKey) return true;
  return tag(v) === 'CryptoKey' && v.algorithm !== null && typeof v.algorithm === 'object';
}

const WEBCRYPTO_ALGS = new Set(['RSASSA-PKCS1-v1_5', 'RSA-PSS', 'HMAC']);

/** A person's words for what a key argument is (never its value: no key material in messages). */
export function describeKey(v) {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined (no key was given)';
  if (typeof v === 'string') return 'a string';
  if (typeof v !== 'object') return `a ${typeof v}`;
  if (Array.isArray(v)) return 'an array';
  if (isKeyObject(v)) return `a ${v.type} KeyObject${v.asymmetricKeyType ? ` (${v.asymmetricKeyType})` : ''}`;
  if (isCryptoKey(v)) {
    const a = v.algorithm;
    const hash = a.hash?.name ? ` ${a.hash.name}` : a.namedCurve ? ` ${a.namedCurve}` : '';
    return `a${v.extractable ? 'n extractable' : ' non-extractable'} ${v.type} CryptoKey (${a.name}${hash})`;
  }
  if (v instanceof Uint8Array) return typeof Buffer !== 'undefined' && Buffer.isBuffer(v) ? 'a Buffer' : 'a Uint8Array';
  if (v instanceof ArrayBuffer) return 'an ArrayBuffer';
  const names = Object.keys(v).slice(0, 6);
  return `an object with no "kty" member (members: ${names.length ? names.join(', ') : 'none'}), so not a JWK`;
}

/**
 * The error for a key in a form this call cannot use: a value of the wrong type (a number, an
 * array, ...) is a TypeError with code ERR_INVALID_INPUT, as for any argument; a key object
 * this call cannot use (an EC KeyObject, an object that is not a JWK, ...) is ERR_INVALID_KEY.
 * Both name the form received (also as `received`) and the forms accepted.
 */
function formError(v, what, accepted = ACCEPTED, hint = '') {
  const received = describeKey(v);
  const message = `${what} is ${received}; it must be ${accepted}${hint}`;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) {
    const e = new TypeError(message);
    e.code = 'ERR_INVALID_INPUT';
    e.received = received;
    return e;
  }
  return codedError('ERR_INVALID_KEY', message, { received });
}

const decoder = new TextDecoder();

/** True when bytes hold PEM text (a key read with fs.readFileSync): a key, not a secret. */
function isPemBytes(b) {
  let i = 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return b.length - i > 11 && decoder.decode(b.subarray(i, i + 11)) === '-----BEGIN ';
}

// A KeyObject is immutable: its export is kept with it (weakly), so a key reused for every
// request is exported once (the PEM export costs about as much as an RS256 verification's tenth).
const exported = new WeakMap();

function fromKeyObject(k, what, rsaOnly) {
  const hit = exported.get(k);
  if (hit && !(rsaOnly && hit[2] !== undefined)) return hit;
  const parts = exportKeyObject(k, what, rsaOnly);
  exported.set(k, parts);
  return parts;
}

function exportKeyObject(k, what, rsaOnly) {
  if (k.type === 'secret') {
    if (rsaOnly) throw formError(k, what, ACCEPTED_RSA, '; a secret KeyObject is an HMAC key');
    return [undefined, undefined, new Uint8Array(k.export())];
  }
  if (k.asymmetricKeyType !== 'rsa') {
    throw formError(k, what, rsaOnly ? ACCEPTED_RSA : ACCEPTED,
      '; only RSA (RS*, PS*) and HMAC (HS*) keys are used here, and RSA-PSS-only keys are not');
  }
  return [k.export({ format: 'pem', type: k.type === 'private' ? 'pkcs8' : 'spki' }), undefined, undefined];
}

function checkCryptoKey(k, what, rsaOnly) {
  const name = k.algorithm.name;
  if (!WEBCRYPTO_ALGS.has(name) || (rsaOnly && name === 'HMAC')) {
    throw formError(k, what, rsaOnly ? ACCEPTED_RSA : ACCEPTED,
      '; a CryptoKey must be RSASSA-PKCS1-v1_5, RSA-PSS or HMAC');
  }
}

function fromCryptoKeySync(k, what, rsaOnly, asyncName) {
  checkCryptoKey(k, what, rsaOnly);
  // Node can export an extractable CryptoKey synchronously; WebCrypto itself only asynchronously.
  if (k.extractable && typeof platform?.KeyObject?.from === 'function') {
    return fromKeyObject(platform.KeyObject.from(k), what, rsaOnly);
  }
  const hint = asyncName
    ? `; WebCrypto works asynchronously: call await ${asyncName}(...) instead, which accepts it`
    : '; WebCrypto works asynchronously: export the key (crypto.subtle.exportKey) and pass the PEM or JWK';
  throw codedError('ERR_INVALID_KEY', `${what} is ${describeKey(k)}, which this synchronous call cannot use${hint}`,
    { received: describeKey(k) });
}

/**
 * A key argument as the exports take it: `[text, jwkJson, bytes]`, one of them set. Text is a
 * secret, PEM, base64 DER or JWK JSON (the core decides which); an object is a JWK; bytes are a
 * secret, unless they hold PEM text and the caller did not pin an HMAC algorithm (`hmac`: then
 * bytes are always the secret, as when testing algorithm confusion). `asyncName` names the call
 * that takes a CryptoKey this one cannot.
 */
export function keyParts(key, what = 'key', asyncName = undefined, hmac = false) {
  if (typeof key === 'string') return [key, undefined, undefined];
  if (key instanceof Uint8Array) {
    return !hmac && isPemBytes(key) ? [decoder.decode(key), undefined, undefined] : [undefined, undefined, key];
  }
  if (key instanceof ArrayBuffer) return keyParts(new Uint8Array(key), what, asyncName, hmac);
  if (isKeyObject(key)) return fromKeyObject(key, what, false);
  if (isCryptoKey(key)) return fromCryptoKeySync(key, what, false, asyncName);
  if (key !== null && typeof key === 'object' && !Array.isArray(key) && typeof key.kty === 'string') {
    return [undefined, json(key, what), undefined];
  }
  throw formError(key, what);
}

/**
 * As keyParts, for calls that may await: an extractable CryptoKey is exported as a JWK, a
 * non-extractable one comes back as `{ webcrypto: key }` for the caller to use through WebCrypto.
 */
export async function keyPartsAsync(key, what = 'key', hmac = false) {
  if (!isCryptoKey(key)) return keyParts(key, what, undefined, hmac);
  checkCryptoKey(key, what, false);
  if (!key.extractable) return { webcrypto: key };
  return [undefined, json(await globalThis.crypto.subtle.exportKey('jwk', key), what), undefined];
}

/**
 * An RSA key field of an options bag, as its JSON carries it: PEM text or a JWK object
 * (undefined when absent). `asyncName` as for keyParts.
 */
export function rsaKeyValue(v, what, asyncName = undefined) {
  if (v == null) return undefined;
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array && isPemBytes(v)) return decoder.decode(v);
  if (isKeyObject(v)) return fromKeyObject(v, what, true)[0];
  if (isCryptoKey(v)) return fromCryptoKeySync(v, what, true, asyncName)[0];
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && typeof v.kty === 'string'
    && !(v instanceof Uint8Array)) return v;
  throw formError(v, what, ACCEPTED_RSA, v instanceof Uint8Array ? ' (these bytes are not PEM text)' : '');
}

/** An RSA key field of an options bag (see rsaKeyValue). */
export function rsaKeyField(o, k, asyncName = undefined) {
  return rsaKeyValue(o[k], k, asyncName);
}

/**
 * As rsaKeyValue, for calls that may await: an extractable CryptoKey is exported as a JWK, a
 * non-extractable one comes back as `{ webcrypto: key }`.
 */
export async function rsaKeyValueAsync(v, what) {
  if (!isCryptoKey(v)) return rsaKeyValue(v, what);
  checkCryptoKey(v, what, true);
  if (!v.extractable) return { webcrypto: v };
  return globalThis.crypto.subtle.exportKey('jwk', v);
}

/** A secret that crosses as text (a Connect shared secret): a string, or UTF-8 bytes. */
export function secretText(v, what) {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(v);
    } catch {
      throw codedError('ERR_INVALID_KEY', `${what} is bytes that are not UTF-8 text; a Connect shared secret is text`);
    }
  }
  if (isKeyObject(v) && v.type === 'secret') return secretText(new Uint8Array(v.export()), what);
  throw formError(v, what, 'a string, a Buffer or Uint8Array of UTF-8 text, or a secret KeyObject');
}
