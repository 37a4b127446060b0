// Connect JWTs, qsh and JWS: the hot calls. Options are read here, where reading a property
// is cheap, and each call crosses into WebAssembly once with flat arguments.
import { call, callJson, invalid, json, keyParts, list, now, optBool, optNumber, optString, opts, readBody, str, typeError } from './common.js';

/** A form body for the qsh exports: [form text, undefined] or [undefined, flat pairs]. */
function formBody(v, what) {
  const b = readBody(v, what);
  if (b.kind === 'other') throw typeError(b.error);
  return b.kind === 'text' ? [b.text, undefined] : b.kind === 'pairs' ? [undefined, b.pairs] : [undefined, undefined];
}

function decoded(o) {
  const v = optString(o, 'pathForm');
  if (v === undefined || v === 'wire') return false;
  if (v === 'decoded') return true;
  throw invalid(`pathForm ${JSON.stringify(v)} is not known; use 'wire' (default) or 'decoded'`);
}

function bytesOf(v, what) {
  if (typeof v === 'string') return new TextEncoder().encode(v);
  if (v instanceof Uint8Array) return v;
  throw typeError(`${what} must be a string or a Uint8Array`);
}

export function connectApi(raw) {
  function qsh(method, url, options, canonical) {
    str(method, 'method');
    str(url, 'url');
    const o = opts(options);
    const baseUrl = optString(o, 'baseUrl');
    const [form, pairs] = formBody(o.body, 'body');
    return call(raw.__qsh, method, url, baseUrl, form, pairs, decoded(o), canonical);
  }

  /** `METHOD&URI&QUERY` for a request (options: baseUrl, body, pathForm). */
  function createCanonicalRequest(method, url, options) {
    return qsh(method, url, options, true);
  }

  /** The query string hash of a request (options: baseUrl, body, pathForm). */
  function createQsh(method, url, options) {
    return qsh(method, url, options, false);
  }

  /** Signs a JWT (options: algorithm, kid, header). */
  function encodeJwt(claims, key, options) {
    if (claims === null || typeof claims !== 'object' || Array.isArray(claims)) throw typeError('claims must be an object');
    const claimsJson = json(claims, 'claims');
    if (claimsJson[0] !== '{') throw typeError('claims must be an object');
    const o = opts(options);
    const algorithm = optString(o, 'algorithm');
    let header;
    if (o.header != null) {
      header = json(o.header, 'header');
      if (header[0] !== '{') throw typeError('header must be an object');
    }
    const kid = optString(o, 'kid');
    const escapes = claimsJson.includes('\\u');
    const [text, jwk, bytes] = keyParts(key);
    return call(raw.__encodeJwt, claimsJson, escapes, text, jwk, bytes, algorithm, kid, header);
  }

  /** Decodes a JWT without verifying it: `{ header, payload, signature }`. */
  function decodeJwt(token) {
    return callJson(raw.__decodeJwt, str(token, 'token'));
  }

  /** Verifies a JWT and returns its payload (options: algorithms (required), issuer, audience,
   * subject, leeway, now, requiredClaims, qsh). */
  function verifyJwt(token, key, options) {
    str(token, 'token');
    if (options == null) throw invalid("verifyJwt needs options with algorithms, such as { algorithms: ['HS256'] }");
    const o = opts(options);
    const leeway = optNumber(o, 'leeway') ?? 0;
    if (!(leeway >= 0 && leeway <= 86400)) throw typeError('leeway must be seconds from 0 to 86400');
    const algorithms = list(o, 'algorithms') || [];
    const issuer = list(o, 'issuer');
    const audience = list(o, 'audience');
    const subject = optString(o, 'subject');
    const at = now(o);
    const required = list(o, 'requiredClaims');
    let mode = 0, method, url, baseUrl, form, pairs, pathDecoded = false, allowContext = false;
    const q = o.qsh;
    if (q != null) {
      if (q === 'context-qsh') mode = 1;
      else if (typeof q !== 'object') throw typeError("qsh must be 'context-qsh' or { method, url, baseUrl?, body? }");
      else {
        mode = 2;
        method = optString(q, 'method');
        if (method === undefined) throw typeError('qsh.method is required');
        url = optString(q, 'url');
        if (url === undefined) throw typeError('qsh.url is required');
        baseUrl = optString(q, 'baseUrl');
        [form, pairs] = formBody(q.body, 'body');
        pathDecoded = decoded(q);
        allowContext = optBool(q, 'allowContextQsh');
      }
    }
    const [text, jwk, bytes] = keyParts(key);
    return callJson(raw.__verifyJwt, token, text, jwk, bytes,
      algorithms, issuer, audience, subject, leeway, at, required,
      mode, method, url, baseUrl, form, pairs, pathDecoded, allowContext);
  }

  /** Makes a Connect token for an app's call to Jira, Confluence, Bitbucket or Zephyr. */
  function connectToken(input) {
    if (input === null || typeof input !== 'object') {
      throw typeError('connectToken takes an object: { product, method, url, baseUrl, appKey, secret, ... }');
    }
    const product = optString(input, 'product') ?? 'jira';
    if (input.secret == null) {
      throw invalid('secret is required (the sharedSecret from the installed callback, or the Zephyr secret key)');
    }
    if (typeof input.secret !== 'string') throw typeError('secret must be a string');
    const expiresIn = optNumber(input, 'expiresIn') ?? 180;
    const method = optString(input, 'method') ?? 'GET';
    const url = optString(input, 'url');
    if (url === undefined) throw typeError('url is required');
    const baseUrl = optString(input, 'baseUrl');
    const appKey = optString(input, 'appKey');
    const accessKey = optString(input, 'accessKey');
    const clientKey = optString(input, 'clientKey');
    const accountId = optString(input, 'accountId');
    const at = now(input);
    const [form, pairs] = formBody(input.body, 'body');
    return callJson(raw.__connectToken, product, method, url, baseUrl, appKey, accessKey, input.secret,
      clientKey, accountId, expiresIn, at, form, pairs);
  }

  /** Signs a JWS signing input as it is (text as UTF-8, or bytes): the base64url signature. */
  function jwsSign(signingInput, key, algorithm) {
    const input = bytesOf(signingInput, 'signingInput');
    const [text, jwk, bytes] = keyParts(key);
    return call(raw.__jwsSign, input, text, jwk, bytes, str(algorithm, 'algorithm'));
  }

  /** Checks a JWS signature (bytes, or base64url text) over a signing input; true when it matches. */
  function jwsVerify(signingInput, signature, key, algorithm) {
    const input = bytesOf(signingInput, 'signingInput');
    let sigBytes, sigText;
    if (signature instanceof Uint8Array) sigBytes = signature;
    else sigText = str(signature, 'signature');
    const [text, jwk, bytes] = keyParts(key);
    return call(raw.__jwsVerify, input, sigBytes, sigText, text, jwk, bytes, str(algorithm, 'algorithm'));
  }

  /** The qsh of a canonical request string (lowercase hex SHA-256 of its UTF-8 bytes). */
  function hashCanonicalRequest(canonicalRequest) {
    return call(raw.__hashCanonicalRequest, str(canonicalRequest, 'canonicalRequest'));
  }

  /** Every error code the WebAssembly core throws. */
  function errorCodes() {
    return callJson(raw.__errorCodes);
  }

  return {
    createCanonicalRequest, createQsh, encodeJwt, decodeJwt, verifyJwt, connectToken,
    jwsSign, jwsVerify, hashCanonicalRequest, errorCodes,
  };
}
