// A WebCrypto key that cannot be exported signs and verifies through WebCrypto itself: the JWS
// algorithm it stands for, the parameters WebCrypto takes, and base64url for its bytes.
import { codedError } from './common.js';

const HASH_BITS = { 'SHA-256': '256', 'SHA-384': '384', 'SHA-512': '512' };
const FAMILY = { 'RSASSA-PKCS1-v1_5': 'RS', 'RSA-PSS': 'PS', HMAC: 'HS' };

/** The JWS algorithm a CryptoKey is for: RSASSA-PKCS1-v1_5 + SHA-256 is RS256, and so on. */
export function jwsAlgorithmOf(key) {
  const family = FAMILY[key.algorithm.name];
  const bits = HASH_BITS[key.algorithm.hash?.name];
  if (!family || !bits) {
    throw codedError('ERR_INVALID_KEY', `the CryptoKey is for ${key.algorithm.name} with ${key.algorithm.hash?.name ?? 'no hash'}; `
      + 'JWS needs RSASSA-PKCS1-v1_5, RSA-PSS or HMAC with SHA-256, SHA-384 or SHA-512');
  }
  return `${family}${bits}`;
}

/** The parameters of crypto.subtle.sign / verify for a CryptoKey (PSS salt = hash length, as JWS). */
export function webcryptoParams(key) {
  const name = key.algorithm.name;
  if (name === 'RSA-PSS') return { name, saltLength: Number(HASH_BITS[key.algorithm.hash.name]) / 8 };
  return { name };
}

/** Refuses a CryptoKey whose usages do not allow the operation, with the usage to add. */
export function requireUsage(key, usage) {
  if (!key.usages.includes(usage)) {
    throw codedError('ERR_INVALID_KEY', `the CryptoKey's usages are [${key.usages.join(', ')}]; `
      + `this call needs '${usage}': import or generate it with that usage`);
  }
}

export function b64urlEncode(buffer) {
  const bytes = new Uint8Array(buffer);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of base64url text, or null when it is not base64url. */
export function b64urlDecode(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    return Uint8Array.from(atob(text.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}
