// JWTs as atlassian-jwt encodes and decodes them: its header bytes ({"typ","alg"}), its
// lenient base64, its algorithm checks, messages and order of checks. The core signs and
// checks a given signing input (api.jwsSign / api.jwsVerify); only those calls need the
// package API, so only sign, verifySignature and the four exports made by jwtApi(api) take it.
import { argTypeError, KEY_TYPES } from './errors.js';
import { base64urlDecode, base64urlEncode, base64urlUnescape, nodeBase64Decode, utf8, utf8Text } from './base64.js';

// TypeScript enums compile to plain objects; the lookups below (SymmetricAlgorithm[alg])
// therefore also see Object.prototype members, exactly as atlassian-jwt's do.
export const AsymmetricAlgorithm = { RS256: 'RS256' };
export const SymmetricAlgorithm = { HS256: 'HS256', HS384: 'HS384', HS512: 'HS512' };
var signingMethods = { HS256: 'sha256', HS384: 'sha384', HS512: 'sha512', RS256: 'RSA-SHA256' };

var HMAC_ALGORITHM = { sha256: 'HS256', sha384: 'HS384', sha512: 'HS512' };

// What crypto.createHmac accepts as a key.
function hmacKey(key) {
  if (typeof key === 'string') return utf8(key);
  if (key instanceof ArrayBuffer) return new Uint8Array(key);
  if (ArrayBuffer.isView(key)) return new Uint8Array(key.buffer, key.byteOffset, key.byteLength);
  if (key && typeof key === 'object' && key.type === 'secret' && typeof key.export === 'function') {
    return new Uint8Array(key.export()); // a Node KeyObject
  }
  throw argTypeError('The "key" argument', KEY_TYPES, key);
}

// What crypto.createSign().sign() and createVerify().verify() accept, as PEM text for the core.
function rsaKeyText(key, nested) {
  if (typeof key === 'string') return key;
  if (key instanceof ArrayBuffer) key = new Uint8Array(key);
  if (ArrayBuffer.isView(key)) return utf8Text(new Uint8Array(key.buffer, key.byteOffset, key.byteLength));
  if (key && typeof key === 'object') {
    if (typeof key.export === 'function' && (key.type === 'private' || key.type === 'public')) {
      return String(key.export({ format: 'pem', type: key.type === 'private' ? 'pkcs8' : 'spki' }));
    }
    // Node's { key, passphrase, format, ... } form; encrypted keys are not supported here.
    if (!nested) return rsaKeyText(key.key, true);
  }
  throw argTypeError(nested ? 'The "key.key" property' : 'The "key" argument', KEY_TYPES, key);
}

function rsaVerifySha256(api, key, input, signatureSeg) {
  var sig = nodeBase64Decode(base64urlUnescape(signatureSeg));
  return api.jwsVerify(input, sig, rsaKeyText(key), 'RS256');
}

function getAlgorithmFromString(raw) {
  switch (raw) {
    case 'HS256': return SymmetricAlgorithm.HS256;
    case 'HS384': return SymmetricAlgorithm.HS384;
    case 'HS512': return SymmetricAlgorithm.HS512;
    case 'RS256': return AsymmetricAlgorithm.RS256;
    default: return undefined;
  }
}

function validateSupportedAlgorithm(key, algorithm) {
  if (!key) throw new Error('Require key');
  var signingAlgorithm = algorithm || 'HS256';
  var alg = getAlgorithmFromString(signingAlgorithm);
  if (!alg) throw new Error('Algorithm "' + algorithm + '" is not supported');
  return [signingAlgorithm, signingMethods[alg]];
}

function validateAlgorithm(table, kind, algorithm, expected) {
  if (algorithm !== expected) throw new Error('Algorithm from the header "' + algorithm + '" does not match');
  if (!table[expected] || !table[algorithm]) {
    throw new Error('Algorithm from the header "' + algorithm + '" is not ' + kind);
  }
}

function sign(api, input, key, method) {
  if (method !== 'RSA-SHA256') return api.jwsSign(input, hmacKey(key), HMAC_ALGORITHM[method]);
  return api.jwsSign(input, rsaKeyText(key), 'RS256');
}

function verifySignature(api, headerSeg, payloadSeg, signatureSeg, key, algorithm) {
  var signingMethod = validateSupportedAlgorithm(key, algorithm)[1];
  var signingInput = headerSeg + '.' + payloadSeg;
  var verified;
  if (AsymmetricAlgorithm[algorithm]) {
    verified = rsaVerifySha256(api, key, signingInput, signatureSeg);
  } else {
    var expected = sign(api, signingInput, key, signingMethod);
    // atlassian-jwt compares Buffer.from(x, 'ascii') copies: one byte per UTF-16 unit
    // (its low byte), in constant time once the lengths match.
    verified = expected.length === signatureSeg.length;
    if (verified) {
      var diff = 0;
      for (var i = 0; i < expected.length; i++) diff |= (expected.charCodeAt(i) ^ signatureSeg.charCodeAt(i)) & 0xff;
      verified = diff === 0;
    }
  }
  if (!verified) {
    throw new Error('Signature verification failed for input: ' + signingInput + ' with method ' + signingMethod);
  }
}

function getTokenSegments(token) {
  var segments = token.split('.');
  if (segments.length !== 3) throw new Error('Not enough or too many JWT token segments; should be 3');
  return segments;
}

function getHeaderAndPayload(headerSeg, payloadSeg) {
  var header = JSON.parse(base64urlDecode(headerSeg));
  var payload = JSON.parse(base64urlDecode(payloadSeg));
  if (payload.aud && !Array.isArray(payload.aud)) payload.aud = [payload.aud];
  return [header, payload];
}

export function getKeyId(token) {
  var s = getTokenSegments(token);
  var header = getHeaderAndPayload(s[0], s[1])[0];
  return header && header.kid;
}

export function getAlgorithm(token) {
  var s = getTokenSegments(token);
  var header = getHeaderAndPayload(s[0], s[1])[0];
  return header && header.alg;
}

/** The exports that sign or verify, over the package API (called only when they are). */
export function jwtApi(api) {
  function decodeAsymmetric(token, key, signedAlgorithm, noVerify) {
    var s = getTokenSegments(token);
    var hp = getHeaderAndPayload(s[0], s[1]);
    validateAlgorithm(AsymmetricAlgorithm, 'asymmetric', hp[0].alg, signedAlgorithm);
    if (!noVerify) verifySignature(api, s[0], s[1], s[2], key, hp[0].alg);
    return hp[1];
  }

  function decodeSymmetric(token, key, signedAlgorithm, noVerify) {
    var s = getTokenSegments(token);
    var hp = getHeaderAndPayload(s[0], s[1]);
    var payload = hp[1];
    if (payload.aud && !Array.isArray(payload.aud)) payload.aud = [payload.aud];
    validateAlgorithm(SymmetricAlgorithm, 'symmetric', hp[0].alg, signedAlgorithm);
    if (!noVerify) verifySignature(api, s[0], s[1], s[2], key, hp[0].alg);
    return payload;
  }

  function encodeSymmetric(payload, key, algorithm) {
    var v = validateSupportedAlgorithm(key, algorithm);
    if (!SymmetricAlgorithm[v[0]]) throw new Error('Algorithm "' + algorithm + '" is not symmetric');
    var segments = [
      base64urlEncode(JSON.stringify({ typ: 'JWT', alg: v[0] })),
      base64urlEncode(JSON.stringify(payload)),
    ];
    segments.push(sign(api, segments.join('.'), key, v[1]));
    return segments.join('.');
  }

  function encodeAsymmetric(payload, key, algorithm, header) {
    var v = validateSupportedAlgorithm(key, algorithm);
    if (!AsymmetricAlgorithm[v[0]]) throw new Error('Algorithm "' + algorithm + '" is not asymmetric');
    var h = header ? { typ: 'JWT', alg: v[0], kid: header.kid } : { typ: 'JWT', alg: v[0] };
    var segments = [base64urlEncode(JSON.stringify(h)), base64urlEncode(JSON.stringify(payload))];
    segments.push(sign(api, segments.join('.'), key, v[1]));
    return segments.join('.');
  }

  return { decodeAsymmetric, decodeSymmetric, encodeSymmetric, encodeAsymmetric };
}
