// Connect JWTs, qsh and JWS: the hot calls. Options are read here, where reading a property
// is cheap, and each call crosses into WebAssembly once with flat arguments.
import { call, callJson, codedError, fromCore, invalid, json, list, now, optBool, optNumber, optString, opts, readBody, str, typeError } from './common.js';
import { keyParts, keyPartsAsync, secretText } from './key_forms.js';
import { b64urlDecode, b64urlEncode, jwsAlgorithmOf, requireUsage, webcryptoParams } from './webcrypto_keys.js';

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

/**
 * A token that came with its scheme (`Bearer x.y.z`) and does not decode: the error says to
 * drop the scheme. (A well-formed token after `JWT ` or `Bearer ` is read as a convenience.)
 */
function schemeHint(token, e) {
  const m = /^\s*((?:authorization:\s*)?[A-Za-z][\w-]*)\s+\S/i.exec(token);
  if (!m || e?.code !== 'ERR_JWT_MALFORMED') return e;
  e.message = `the token starts with "${m[1]} ": pass the token alone, without the Authorization scheme `
    + `(drop "${m[1]} "); ${e.message}`;
  return e;
}

/** Calls the core with a token; a malformed token given with its scheme says to drop it. */
function withToken(token, f) {
  try {
    return f();
  } catch (e) {
    throw schemeHint(token, e);
  }
}

/** An HMAC algorithm pinned by the caller: bytes given with it are the secret, whatever they hold. */
const isHmac = (alg) => typeof alg === 'string' && alg.startsWith('HS');

const ABSOLUTE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//;

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

  /** The claims and options of encodeJwt as the core takes them. */
  function jwtInput(claims, options) {
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
    return { claimsJson, escapes, algorithm, kid, header };
  }

  function encodeWith(i, [text, jwk, bytes]) {
    return call(raw.__encodeJwt, i.claimsJson, i.escapes, text, jwk, bytes, i.algorithm, i.kid, i.header);
  }

  /** Signs a JWT (options: algorithm, kid, header). */
  function encodeJwt(claims, key, options) {
    const i = jwtInput(claims, options);
    return encodeWith(i, keyParts(key, 'key', 'encodeJwtAsync', isHmac(i.algorithm)));
  }

  /** As encodeJwt, also with a CryptoKey: exported when extractable, else signed by WebCrypto. */
  async function encodeJwtAsync(claims, key, options) {
    const i = jwtInput(claims, options);
    const parts = await keyPartsAsync(key, 'key', isHmac(i.algorithm));
    if (Array.isArray(parts)) return encodeWith(i, parts);
    const ck = parts.webcrypto;
    const alg = jwsAlgorithmOf(ck);
    if (i.algorithm !== undefined && i.algorithm !== alg) {
      throw codedError('ERR_INVALID_KEY', `algorithm is ${i.algorithm} but the CryptoKey is for ${alg}; import the key for ${i.algorithm} or leave algorithm out`);
    }
    requireUsage(ck, 'sign');
    const input = call(raw.__jwtSigningInput, i.claimsJson, i.escapes, alg, i.kid, i.header);
    const signature = await globalThis.crypto.subtle.sign(webcryptoParams(ck), ck, new TextEncoder().encode(input));
    return `${input}.${b64urlEncode(signature)}`;
  }

  /** Decodes a JWT without verifying it: `{ header, payload, signature }`. */
  function decodeJwt(token) {
    str(token, 'token');
    return withToken(token, () => callJson(raw.__decodeJwt, token));
  }

  /** The options of verifyJwt as the core takes them, after the token. */
  function verifyInput(token, options) {
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
    return [algorithms, issuer, audience, subject, leeway, at, required,
      mode, method, url, baseUrl, form, pairs, pathDecoded, allowContext];
  }

  function verifyWith(token, [text, jwk, bytes], args, webcryptoAlg, webcryptoOk = false) {
    return withToken(token, () => callJson(raw.__verifyJwt, token, text, jwk, bytes, ...args, webcryptoAlg, webcryptoOk));
  }

  /** Verifies a JWT and returns its payload (options: algorithms (required), issuer, audience,
   * subject, leeway, now, requiredClaims, qsh). */
  function verifyJwt(token, key, options) {
    const args = verifyInput(token, options);
    return verifyWith(token, keyParts(key, 'key', 'verifyJwtAsync', args[0].length > 0 && args[0].every(isHmac)), args);
  }

  /** As verifyJwt, also with a CryptoKey: exported when extractable, else checked by WebCrypto. */
  async function verifyJwtAsync(token, key, options) {
    const args = verifyInput(token, options);
    const parts = await keyPartsAsync(key, 'key', args[0].length > 0 && args[0].every(isHmac));
    if (Array.isArray(parts)) return verifyWith(token, parts, args);
    const ck = parts.webcrypto;
    const alg = jwsAlgorithmOf(ck);
    requireUsage(ck, 'verify');
    // The signature is checked here; the core keeps every other rule (algorithms allowed,
    // crit, claims, qsh) and decides what a malformed token is.
    const bare = token.trim().replace(/^(?:JWT|Bearer) /, '').trim();
    const dot = bare.lastIndexOf('.');
    const signature = dot > 0 ? b64urlDecode(bare.slice(dot + 1)) : null;
    let ok = false;
    if (signature) {
      try {
        ok = await globalThis.crypto.subtle.verify(webcryptoParams(ck), ck, signature, new TextEncoder().encode(bare.slice(0, dot)));
      } catch (e) {
        throw fromCore(e);
      }
    }
    return verifyWith(token, [], args, alg, ok);
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
    const secret = secretText(input.secret, 'secret');
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
    const t = callJson(raw.__connectToken, product, method, url, baseUrl, appKey, accessKey, secret,
      clientKey, accountId, expiresIn, at, form, pairs);
    // A token's url is the absolute URL to call: a path with no base URL has none.
    if (!ABSOLUTE.test(t.url)) {
      throw codedError('ERR_INVALID_URL', `url ${JSON.stringify(url.slice(0, 200))} is a path and no baseUrl was given, `
        + 'so there is no absolute URL to call: pass baseUrl (the product\'s base URL from the installed callback, '
        + 'such as https://your-site.atlassian.net) or an absolute url');
    }
    return t;
  }

  /** Signs a JWS signing input as it is (text as UTF-8, or bytes): the base64url signature. */
  function jwsSign(signingInput, key, algorithm) {
    const input = bytesOf(signingInput, 'signingInput');
    const [text, jwk, bytes] = keyParts(key, 'key', undefined, isHmac(algorithm));
    return call(raw.__jwsSign, input, text, jwk, bytes, str(algorithm, 'algorithm'));
  }

  /** Checks a JWS signature (bytes, or base64url text) over a signing input; true when it matches. */
  function jwsVerify(signingInput, signature, key, algorithm) {
    const input = bytesOf(signingInput, 'signingInput');
    let sigBytes, sigText;
    if (signature instanceof Uint8Array) sigBytes = signature;
    else sigText = str(signature, 'signature');
    const [text, jwk, bytes] = keyParts(key, 'key', undefined, isHmac(algorithm));
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
    createCanonicalRequest, createQsh, encodeJwt, encodeJwtAsync, decodeJwt, verifyJwt, verifyJwtAsync, connectToken,
    jwsSign, jwsVerify, hashCanonicalRequest, errorCodes,
  };
}
