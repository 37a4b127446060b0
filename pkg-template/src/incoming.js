// What Atlassian sends: Connect requests and install callbacks, Forge invocation tokens, ASAP.
// Key resolvers (functions, Promises) are awaited here; the core verifies synchronously.
import { call, callJson, codedError, json, list, now, object, readBody, readHeaders, str, typeError } from './common.js';
import { createForgeJwks } from './forge_jwks.js';
import { rsaKeyValue, rsaKeyValueAsync, secretText } from './key_forms.js';

/** Calls `v(arg)` when it is a function (awaiting a Promise), else returns `v`. */
async function resolve(v, arg, what) {
  if (typeof v !== 'function') return v;
  const out = await v(arg);
  if (out == null) throw codedError('ERR_INVALID_KEY', `the ${what} resolver returned nothing for ${JSON.stringify(arg)}`);
  return out;
}

/**
 * A public key for a verifier whose checks run in the core: PEM text or a JWK object. A
 * CryptoKey is exported (a public key is public: WebCrypto exports it whatever `extractable`
 * was asked for when it was generated); an imported one marked non-extractable is refused.
 */
async function heldPublicKey(v, what, name) {
  const k = await rsaKeyValueAsync(v, what);
  if (k?.webcrypto) {
    throw codedError('ERR_INVALID_KEY', `${what} is a non-extractable ${k.webcrypto.type} CryptoKey, which ${name} cannot `
      + 'read: import the public key with extractable true (it is public), or pass its PEM or JWK; '
      + 'verifyJwtAsync checks a token with a non-extractable key through WebCrypto');
  }
  return k;
}

function requestJson(r) {
  object(r, 'request must be an object: { method, url, headers, body }');
  return json({ method: r.method, url: r.url, headers: readHeaders(r.headers), body: readBody(r.body, 'request.body') }, 'request');
}

export function incomingApi(raw) {
  /** The URL of Atlassian's public key for a signed install callback's kid. */
  function installKeyUrl(kid) {
    return call(raw.__installKeyUrl, str(kid, 'kid'));
  }

  /** Verifies a request an Atlassian product sent to the app: `{ claims, clientKey, kind, context, token }`. */
  async function verifyConnectRequest(request, options) {
    const o = object(options, 'options must be an object: { baseUrl, sharedSecret | installKey, lifecycle? }');
    const lifecycle = o.lifecycle === true;
    if (o.lifecycle != null && typeof o.lifecycle !== 'boolean') throw typeError('lifecycle must be a boolean');
    object(request, 'request must be an object: { method, url, headers, body }');
    // A lifecycle body is JSON: an object is sent as its JSON text.
    const req = lifecycle && request.body !== null && typeof request.body === 'object'
      && !(request.body instanceof Uint8Array)
      ? { ...request, body: json(request.body, 'request.body') } : request;
    const reqJson = requestJson(req);
    // Only a resolver needs the token's kid or iss first (one more crossing).
    const resolver = lifecycle ? o.installKey : o.sharedSecret;
    const peek = typeof resolver === 'function' ? callJson(raw.__incomingPeek, reqJson, lifecycle) : {};
    let key;
    if (lifecycle) {
      if (o.installKey == null) {
        throw typeError('options.installKey must be a PEM string or a function (kid) => PEM | Promise<PEM>');
      }
      key = await heldPublicKey(await resolve(o.installKey, peek.kid, 'installKey'), 'options.installKey', 'verifyConnectRequest');
    } else {
      if (o.sharedSecret == null) {
        throw typeError('options.sharedSecret must be a string or a function (clientKey) => secret | Promise<secret>');
      }
      key = secretText(await resolve(o.sharedSecret, peek.iss, 'sharedSecret'), 'options.sharedSecret');
    }
    return callJson(raw.__verifyConnectRequest, reqJson, json({
      baseUrl: o.baseUrl, lifecycle, allowContextQsh: o.allowContextQsh, leeway: o.leeway, now: now(o), key,
    }, 'options'));
  }

  /** Verifies a Forge invocation token against a JWKS: `{ claims, app, context, principal }`.
   * With a JWKS source (`createForgeJwks()`, or any (kid) => JWKS | Promise<JWKS>) it returns a
   * Promise. */
  function verifyForgeInvocationToken(token, options) {
    const o = object(options, 'options must be an object: { jwks, appId, leeway?, now? }');
    if (typeof o.jwks === 'function') return verifyForgeWithSource(token, o);
    let jwks = o.jwks;
    if (jwks == null) throw typeError('options.jwks is required: the JSON of the Forge jwks.json');
    if (typeof jwks !== 'string') {
      if (typeof jwks !== 'object') throw typeError('options.jwks is required: the JSON of the Forge jwks.json');
      jwks = json(jwks, 'jwks');
    }
    return callJson(raw.__verifyForgeInvocationToken, str(token, 'token'), jwks,
      json({ appId: o.appId, leeway: o.leeway, now: now(o) }, 'options'));
  }

  async function verifyForgeWithSource(token, o) {
    str(token, 'token');
    const kid = callJson(raw.__decodeJwt, token).header.kid;
    const jwks = await o.jwks(typeof kid === 'string' ? kid : undefined);
    if (jwks == null) throw codedError('ERR_JWKS_INVALID', 'options.jwks returned nothing; it must give the JWKS (object or JSON text)');
    return verifyForgeInvocationToken(token, { ...o, jwks });
  }

  /** Signs an ASAP token. */
  function signAsap(options) {
    const o = object(options, 'signAsap takes { issuer, kid, audience, privateKey, ... }');
    return call(raw.__signAsap, json({ ...o, privateKey: rsaKeyValue(o.privateKey, 'privateKey'), claims: o.claims == null ? undefined : JSON.parse(json(o.claims, 'claims')), now: now(o) }, 'options'));
  }

  /** Verifies an ASAP token with a public key (PEM / JWK) or a resolver (kid) => PEM | Promise<PEM>. */
  async function verifyAsap(token, key, options) {
    str(token, 'token');
    const o = options == null ? {} : object(options, 'options must be an object');
    const resolved = typeof key === 'function' ? await resolve(key, call(raw.__asapKid, token), 'key') : key;
    if (resolved instanceof Uint8Array && !/^\s*-----BEGIN /.test(new TextDecoder().decode(resolved.subarray(0, 64)))) {
      throw codedError('ERR_INVALID_KEY', 'ASAP tokens are verified with an RSA public key (PEM or JWK), never a shared secret');
    }
    const k = await heldPublicKey(resolved, 'key', 'verifyAsap');
    list(o, 'audience');
    list(o, 'issuers');
    const [text, jwk] = typeof k === 'string' ? [k, undefined] : [undefined, json(k, 'key')];
    return callJson(raw.__verifyAsap, token, text, jwk, json({ ...o, now: now(o) }, 'options'));
  }

  /** A token pasted as a person has it (the token, an `Authorization: JWT ...` line, or a URL
   * with `?jwt=`): `{ token, url }`, `url` set when it came from a URL. */
  function tokenFromText(text) {
    return callJson(raw.__tokenFromText, str(text, 'text'));
  }

  return {
    tokenFromText, installKeyUrl, verifyConnectRequest, verifyForgeInvocationToken, createForgeJwks, signAsap, verifyAsap,
  };
}
