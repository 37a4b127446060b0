// The hot calls, with their options read in JavaScript: each makes one call into the
// WebAssembly module with flat arguments (src/wasm/fast.rs) instead of the module reading
// the options object back property by property. Same checks, messages and codes as the rest.
// scripts/build.mjs turns this file (one `function facade(raw)`) into facade.cjs and inlines
// it into web.js.
function facade(raw, platform) {
  function typeError(message) {
    const e = new TypeError(message);
    e.code = 'ERR_INVALID_INPUT';
    return e;
  }
  function invalid(message) {
    const e = new Error(message);
    e.name = 'AtlassianSignError';
    e.code = 'ERR_INVALID_INPUT';
    return e;
  }
  function str(v, what) {
    if (typeof v !== 'string') throw typeError(`${what} must be a string`);
    return v;
  }
  function opts(o) {
    if (o == null) return EMPTY;
    if (typeof o !== 'object') throw typeError('options must be an object');
    return o;
  }
  const EMPTY = Object.freeze({});
  function optString(o, k) {
    const v = o[k];
    if (v == null) return undefined;
    if (typeof v !== 'string') throw typeError(`${k} must be a string`);
    return v;
  }
  function optNumber(o, k) {
    const v = o[k];
    if (v == null) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v)) throw typeError(`${k} must be a finite number`);
    return v;
  }
  function optBool(o, k) {
    const v = o[k];
    if (v == null) return false;
    if (typeof v !== 'boolean') throw typeError(`${k} must be a boolean`);
    return v;
  }
  function list(o, k) {
    const v = o[k];
    if (v == null) return undefined;
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) {
      // By index: a hole is undefined, and refused, as before the facade.
      for (let i = 0; i < v.length; i++) {
        if (typeof v[i] !== 'string') throw typeError(`${k} must be a string or an array of strings`);
      }
      return v;
    }
    throw typeError(`${k} must be a string or an array of strings`);
  }
  function now(o) {
    const v = o.now;
    if (v == null) return Math.floor(Date.now() / 1000);
    if (v instanceof Date) {
      const ms = v.getTime();
      if (Number.isFinite(ms)) return Math.floor(ms / 1000);
      throw typeError('now is an invalid Date');
    }
    if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e13) return Math.floor(v);
    throw typeError('now must be seconds since the epoch (a number) or a Date');
  }
  // A form body: [form text, undefined] or [undefined, flat name/value pairs].
  function body(v, what) {
    if (v == null) return [undefined, undefined];
    if (typeof v === 'string') return [v, undefined];
    if (typeof v !== 'object' || Array.isArray(v)) {
      throw typeError(`${what} must be a form string (a=1&b=2) or an object of strings`);
    }
    const flat = [];
    for (const [name, value] of Object.entries(v)) {
      const push = (x) => {
        if (typeof x === 'string') flat.push(name, x);
        else if (typeof x === 'number' || typeof x === 'boolean') flat.push(name, String(x));
        else throw typeError(`${what}.${name} must be a string, number, boolean or an array of them`);
      };
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) push(value[i]);
      else push(value);
    }
    return [undefined, flat];
  }
  function decoded(o) {
    const v = optString(o, 'pathForm');
    if (v === undefined || v === 'wire') return false;
    if (v === 'decoded') return true;
    throw invalid(`pathForm ${JSON.stringify(v)} is not known; use 'wire' (default) or 'decoded'`);
  }
  function json(v, what) {
    let text;
    try {
      text = JSON.stringify(v);
    } catch {
      throw typeError(`${what} cannot be converted to JSON (BigInt or a cycle?)`);
    }
    if (typeof text !== 'string') throw typeError(`${what} cannot be converted to JSON`);
    return text;
  }
  function qsh(method, url, options, canonical) {
    str(method, 'method');
    str(url, 'url');
    const o = opts(options);
    const baseUrl = optString(o, 'baseUrl');
    const [form, pairs] = body(o.body, 'body');
    return raw.__qsh(method, url, baseUrl, form, pairs, decoded(o), canonical);
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
    return typeof key === 'string'
      ? raw.__encodeJwt(claimsJson, escapes, key, undefined, algorithm, kid, header)
      : raw.__encodeJwt(claimsJson, escapes, undefined, key, algorithm, kid, header);
  }

  /** Decodes a JWT without verifying it: `{ header, payload, signature }`. */
  function decodeJwt(token) {
    return JSON.parse(raw.__decodeJwt(str(token, 'token')));
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
        [form, pairs] = body(q.body, 'body');
        pathDecoded = decoded(q);
        allowContext = optBool(q, 'allowContextQsh');
      }
    }
    const keyText = typeof key === 'string' ? key : undefined;
    return JSON.parse(raw.__verifyJwt(token, keyText, keyText === undefined ? key : undefined,
      algorithms, issuer, audience, subject, leeway, at, required,
      mode, method, url, baseUrl, form, pairs, pathDecoded, allowContext));
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
    const [form, pairs] = body(input.body, 'body');
    return JSON.parse(raw.__connectToken(product, method, url, baseUrl, appKey, accessKey, input.secret,
      clientKey, accountId, expiresIn, at, form, pairs));
  }

  // Key generation belongs to the platform (node:crypto in Node, WebCrypto in browsers): native
  // speed, and no prime generation in the WebAssembly module.
  function keyBits(bits) {
    if (bits == null) return 2048;
    if (bits === 2048 || bits === 3072 || bits === 4096) return bits;
    throw typeError('bits must be 2048, 3072 or 4096');
  }
  function keyPairFromPkcs8(privateKey) {
    const pub = raw.exportPublicKey(privateKey);
    return { privateKey, publicKey: pub.publicKey, publicKeyPkcs1: pub.publicKeyPkcs1, jwk: pub.jwk };
  }
  function pem(label, der) {
    const b64 = btoa(String.fromCharCode(...new Uint8Array(der)));
    return `-----BEGIN ${label}-----\n${b64.replace(/.{1,64}/g, '$&\n')}-----END ${label}-----\n`;
  }
  const RSA_OPTIONS = (bits) => ({ modulusLength: bits, publicExponent: 0x10001,
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });

  /** Generates an RSA key pair (e = 65537) with node:crypto; in browsers use generateKeyPairAsync. */
  function generateKeyPair(bits) {
    const n = keyBits(bits);
    if (!platform || !platform.generateKeyPairSync) {
      throw invalid('in browsers RSA keys come from WebCrypto, which is asynchronous: use await generateKeyPairAsync(bits)');
    }
    return keyPairFromPkcs8(platform.generateKeyPairSync('rsa', RSA_OPTIONS(n)).privateKey);
  }

  /** Generates an RSA key pair (e = 65537) without blocking: node:crypto in Node, WebCrypto in browsers. */
  async function generateKeyPairAsync(bits) {
    const n = keyBits(bits);
    if (platform && platform.generateKeyPair) {
      const privateKey = await new Promise((resolve, reject) => platform.generateKeyPair('rsa', RSA_OPTIONS(n),
        (err, _pub, priv) => (err ? reject(err) : resolve(priv))));
      return keyPairFromPkcs8(privateKey);
    }
    const subtle = globalThis.crypto && globalThis.crypto.subtle;
    if (!subtle) {
      throw invalid('WebCrypto is not available here (crypto.subtle needs a secure context: https or localhost)');
    }
    const pair = await subtle.generateKey({ name: 'RSASSA-PKCS1-v1_5', modulusLength: n,
      publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' }, true, ['sign', 'verify']);
    return keyPairFromPkcs8(pem('PRIVATE KEY', await subtle.exportKey('pkcs8', pair.privateKey)));
  }

  return { createCanonicalRequest, createQsh, encodeJwt, decodeJwt, verifyJwt, connectToken, generateKeyPair, generateKeyPairAsync };
}
