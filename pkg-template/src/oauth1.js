// OAuth 1.0a: signing (RSA through WebCrypto when the platform has it), base strings, header
// parsing, provider-side verification, the Atlassian three-legged flow and response parsing.
import { call, callJson, codedError, json, now, object, readBody, readHeaders, str, typeError } from './common.js';
import { rsaKeyField, rsaKeyValue, rsaKeyValueAsync } from './key_forms.js';
import { requireUsage } from './webcrypto_keys.js';

const REQUEST_SHAPE = 'request must be an object: { method, url, body?, contentType?, signedUrl? }';
const CREDENTIALS_SHAPE = 'credentials must be an object: { consumerKey, privateKey (RSA-SHA1) or '
  + 'consumerSecret (HMAC), token?, tokenSecret?, signatureMethod? }';

/** The request as JSON for the core: headers and body read by the one readers. */
function requestJson(r) {
  object(r, REQUEST_SHAPE);
  return json({
    method: r.method, url: r.url, signedUrl: r.signedUrl, contentType: r.contentType,
    authorization: r.authorization,
    headers: readHeaders(r.headers),
    body: readBody(r.body, 'request.body'),
  }, 'request');
}

/** The credentials as JSON for the core, `now` from the clock unless given. */
function credentialsJson(c, given = undefined) {
  object(c, CREDENTIALS_SHAPE);
  // The key is read only for the RSA methods: an HMAC consumer's unused field is not looked at.
  const rsa = c.signatureMethod == null || (typeof c.signatureMethod === 'string' && c.signatureMethod.startsWith('RSA-'));
  // `given`: the key already read (`{ key, held }`), by signOAuth; `held` when it signs with a
  // WebCrypto key that cannot be exported (the core then prepares without a key).
  const key = rsa ? (given ? given.key : rsaKeyField(c, 'privateKey', 'signOAuth')) : undefined;
  return json({ ...c, privateKey: key, __heldKey: given?.held === true, now: now(c) }, 'credentials');
}

function base64(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin);
}

export function oauthApi(raw) {
  // WebCrypto keys imported once per key and hash (the 8 most recently used), found by the
  // SHA-256 of the key text; `null` records that the platform refused the key.
  const cryptoKeys = new Map();

  async function cryptoKey(subtle, keyText, hash) {
    // The cache is found by the SHA-256 of the key text, made here by WebCrypto: the text does
    // not cross into the WebAssembly module a second time just to be hashed.
    const digest = new Uint8Array(await subtle.digest('SHA-256', new TextEncoder().encode(keyText)));
    const id = `${hash}:${Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('')}`;
    if (cryptoKeys.has(id)) {
      const k = cryptoKeys.get(id);
      cryptoKeys.delete(id);
      cryptoKeys.set(id, k);
      return k;
    }
    // PKCS#8 PEM goes to WebCrypto as it is; any other form as a JWK of the parsed key.
    let k = null;
    try {
      const alg = { name: 'RSASSA-PKCS1-v1_5', hash };
      const pkcs8 = /-----BEGIN PRIVATE KEY-----([A-Za-z0-9+/=\s]+)-----END PRIVATE KEY-----/.exec(keyText);
      if (pkcs8) {
        const der = Uint8Array.from(atob(pkcs8[1].replace(/\s+/g, '')), (c) => c.charCodeAt(0));
        k = await subtle.importKey('pkcs8', der, alg, false, ['sign']);
      } else {
        // Any other form: its integers as a JWK, from the parsed key (no DER or PEM round trip).
        const { kty, n, e, d, p, q, dp, dq, qi } = JSON.parse(call(raw.__privateJwk, keyText));
        k = await subtle.importKey('jwk', { kty, n, e, d, p, q, dp, dq, qi }, alg, false, ['sign']);
      }
    } catch {
      k = null;
    }
    if (cryptoKeys.size >= 8) cryptoKeys.delete(cryptoKeys.keys().next().value);
    cryptoKeys.set(id, k);
    return k;
  }

  /** RSASSA-PKCS1-v1_5 through WebCrypto; null when it is unavailable or fails. */
  async function webcryptoSignature(baseString, keyText, hash) {
    const subtle = globalThis.crypto?.subtle;
    if (!subtle || typeof keyText !== 'string') return null;
    const key = await cryptoKey(subtle, keyText, hash);
    if (!key) return null;
    try {
      const sig = new Uint8Array(await subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, key, new TextEncoder().encode(baseString)));
      return sig.length ? base64(sig) : null;
    } catch {
      return null;
    }
  }

  /** RSASSA-PKCS1-v1_5 with a CryptoKey that cannot be exported: its hash must be the method's. */
  async function heldKeySignature(baseString, key, hash) {
    if (key.algorithm.name !== 'RSASSA-PKCS1-v1_5' || key.algorithm.hash?.name !== hash) {
      throw codedError('ERR_INVALID_KEY', `privateKey is a CryptoKey for ${key.algorithm.name} with ${key.algorithm.hash?.name}; `
        + `this signature method needs RSASSA-PKCS1-v1_5 with ${hash}: import the key with that algorithm`);
    }
    requireUsage(key, 'sign');
    const sig = await globalThis.crypto.subtle.sign({ name: 'RSASSA-PKCS1-v1_5' }, key, new TextEncoder().encode(baseString));
    return base64(new Uint8Array(sig));
  }

  /** Signs a request in Rust (constant-time RSA): a SignedRequest. */
  function signOAuthSync(request, credentials) {
    return callJson(raw.__signOAuthSync, requestJson(request), credentialsJson(credentials));
  }

  /** Signs a request; RSA goes through WebCrypto when the platform has it (the same bytes:
   * PKCS#1 v1.5 is deterministic), in Rust otherwise. */
  async function signOAuth(request, credentials) {
    // HMAC and PLAINTEXT have nothing for WebCrypto to do: one crossing, as signOAuthSync.
    if (credentials !== null && typeof credentials === 'object' && typeof credentials.signatureMethod === 'string'
      && !credentials.signatureMethod.startsWith('RSA-')) {
      return signOAuthSync(request, credentials);
    }
    const req = requestJson(request);
    object(credentials, CREDENTIALS_SHAPE);
    // A CryptoKey: exported when extractable; one that cannot be exported signs through WebCrypto.
    const key = await rsaKeyValueAsync(credentials.privateKey, 'privateKey');
    const held = key?.webcrypto;
    const creds = credentialsJson(credentials, { key: held ? undefined : key, held: Boolean(held) });
    const preparedText = call(raw.__oauthPrepare, req, creds);
    const prepared = JSON.parse(preparedText);
    let signature = prepared.signature;
    if (signature == null && held) {
      signature = await heldKeySignature(prepared.prepared.baseString, held, prepared.webcrypto);
    } else if (signature == null) {
      const keyText = typeof key === 'string' ? key : json(key, 'privateKey');
      signature = await webcryptoSignature(prepared.prepared.baseString, keyText, prepared.webcrypto)
        ?? call(raw.__oauthSignRsa, preparedText, creds);
    }
    return callJson(raw.__oauthFinish, preparedText, signature);
  }

  /** Signs a signature base string as it is: base64, or for PLAINTEXT the key. */
  function oauthSignature(baseString, credentials) {
    return call(raw.__oauthSignature, str(baseString, 'baseString'), credentialsJson(credentials));
  }

  /** The signature base string of a request with the given protocol parameters. */
  function oauthBaseString(request, oauthParams) {
    const SHAPE = "oauthParams must be an object of strings, an array of [name, value] pairs, or an 'OAuth ...' Authorization header";
    let pairs, header;
    if (typeof oauthParams === 'string') header = oauthParams;
    else if (Array.isArray(oauthParams)) pairs = json(oauthParams, 'oauthParams');
    else if (oauthParams !== null && typeof oauthParams === 'object') pairs = json(Object.entries(oauthParams), 'oauthParams');
    else throw typeError(SHAPE);
    return call(raw.__oauthBaseString, requestJson(request), pairs, header);
  }

  /** Parses an `OAuth ...` header into an object of decoded values, `realm` included. */
  function parseOAuthHeader(header) {
    return callJson(raw.__parseOAuthHeader, str(header, 'header'));
  }

  /** Verifies a signed request as net.oauth does (provider side). */
  function verifyOAuth(request, options) {
    const o = object(options, 'options must be an object: { publicKey | consumerSecret, tokenSecret?, now?, '
      + 'windowSeconds?, nonceSeen?, signatureMethods? }');
    const nonceSeen = o.nonceSeen;
    if (nonceSeen != null && typeof nonceSeen !== 'function') {
      throw typeError('nonceSeen must be a function (nonce, timestamp, consumerKey) => boolean');
    }
    const { result, replay } = callJson(raw.__verifyOAuth, requestJson(request),
      json({ ...o, nonceSeen: undefined, publicKey: rsaKeyValue(o.publicKey, 'publicKey'), now: now(o) }, 'options'));
    if (replay && nonceSeen) {
      // Asked only after the signature matched, so forged requests cannot use up nonces.
      const seen = nonceSeen(replay.nonce, replay.timestamp, replay.consumerKey);
      if (typeof seen !== 'boolean') {
        throw typeError('nonceSeen must return true (seen before) or false synchronously; it returned '
          + 'another value (a Promise? check an async nonce store before verifyOAuth)');
      }
      if (seen) return JSON.parse(call(raw.__oauthNonceUsed, replay.nonce, typeof o.realm === 'string' ? o.realm : undefined));
    }
    return result;
  }

  /** The signed request-token request (POST {baseUrl}/plugins/servlet/oauth/request-token). */
  function oauthRequestToken(baseUrl, credentials) {
    return callJson(raw.__oauthRequestToken, str(baseUrl, 'baseUrl'), credentialsJson(credentials));
  }

  /** The page the user approves the request token on. */
  function oauthAuthorizeUrl(baseUrl, requestToken) {
    return call(raw.__oauthAuthorizeUrl, str(baseUrl, 'baseUrl'), str(requestToken, 'requestToken'));
  }

  /** The signed access-token request (POST {baseUrl}/plugins/servlet/oauth/access-token). */
  function oauthAccessToken(baseUrl, credentials) {
    return callJson(raw.__oauthAccessToken, str(baseUrl, 'baseUrl'), credentialsJson(credentials));
  }

  /** Reads a request-token or access-token response body. */
  function parseOAuthTokenResponse(body) {
    return callJson(raw.__parseOAuthTokenResponse, str(body, 'body'));
  }

  /** Reads a provider's refusal from its body (oauth_problem=...) or WWW-Authenticate header. */
  function parseOAuthProblem(bodyOrHeader) {
    return callJson(raw.__parseOAuthProblem, str(bodyOrHeader, 'bodyOrHeader'));
  }

  return {
    signOAuthSync, signOAuth, oauthSignature, oauthBaseString, parseOAuthHeader, verifyOAuth,
    oauthRequestToken, oauthAuthorizeUrl, oauthAccessToken, parseOAuthTokenResponse, parseOAuthProblem,
  };
}
