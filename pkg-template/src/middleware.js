// atlassian-sign/middleware (Node only): verification of what Atlassian products send to a
// Connect app, as a middleware for Express-style apps and plain node:http servers, and a
// fetching, caching resolver of the public keys of signed install callbacks.
// No dependency beyond the package itself; the network I/O (one GET per install key id) goes
// through an injectable `fetch`. Bundled by scripts/build.mjs into pkg/middleware.cjs over the
// package's own instance (index.cjs): middlewareApi(api) makes the two exports; only they call
// `api` (installKeyUrl, verifyConnectRequest).
import { codedError, readHeaders, typeError } from './common.js';

const DEFAULT_BODY_LIMIT = 1024 * 1024;
const DEFAULT_LIFECYCLE_PATHS = Object.freeze(['/installed', '/uninstalled']);
const PEM_PUBLIC_KEY = /^-----BEGIN (RSA )?PUBLIC KEY-----\r?\n[A-Za-z0-9+/=\r\n]+-----END \1PUBLIC KEY-----$/;
const MAX_PEM_LENGTH = 16 * 1024;

/**
 * A resolver `(kid) => Promise<PEM>` for the `installKey` option: GET
 * https://connect-install-keys.atlassian.com/<kid> through `fetch`, keep the key by `kid`
 * (Atlassian rotates keys under a new kid), share one fetch between concurrent callers of the
 * same kid, and never keep a failure.
 */
function installKeyResolver(api, options) {
  if (options !== undefined && (options === null || typeof options !== 'object')) {
    throw typeError('createInstallKeyResolver takes an options object: { fetch?, maxEntries?, timeout? }');
  }
  const { fetch: fetchImpl = globalThis.fetch, maxEntries = 100, timeout = 10000 } = options ?? {};
  if (typeof fetchImpl !== 'function') {
    throw typeError('options.fetch must be a fetch function (globalThis.fetch is missing: Node 18 or later has it)');
  }
  if (!Number.isInteger(maxEntries) || maxEntries < 0) {
    throw typeError(`options.maxEntries must be a whole number >= 0, not ${String(maxEntries)}`);
  }
  if (typeof timeout !== 'number' || !(timeout >= 0)) {
    throw typeError(`options.timeout must be milliseconds >= 0 (0: none), not ${String(timeout)}`);
  }
  const cache = new Map(); // kid -> PEM, oldest first
  const pending = new Map(); // kid -> Promise<PEM>

  async function load(kid, url) {
    const what = `the install key for kid ${JSON.stringify(kid)}`;
    const init = {};
    if (timeout > 0 && typeof AbortSignal !== 'undefined' && typeof AbortSignal.timeout === 'function') {
      init.signal = AbortSignal.timeout(timeout);
    }
    let res;
    try {
      res = await fetchImpl(url, init);
    } catch (e) {
      throw codedError('ERR_INVALID_KEY', `could not fetch ${what}: GET ${url} failed: ${e && e.message ? e.message : String(e)}`, { url, cause: e });
    }
    if (!res || typeof res.status !== 'number' || typeof res.text !== 'function') {
      throw codedError('ERR_INVALID_KEY', `could not fetch ${what}: fetch(${url}) did not return a Response`, { url });
    }
    if (res.status < 200 || res.status > 299) {
      if (res.body && typeof res.body.cancel === 'function') res.body.cancel().catch(() => {});
      const hint = res.status === 404 ? ' (Atlassian publishes no key under this kid: the token was not signed by Atlassian, or the kid was altered)' : '';
      throw codedError('ERR_INVALID_KEY', `could not fetch ${what}: GET ${url} answered HTTP ${res.status}${hint}`, { url, httpStatus: res.status });
    }
    let text;
    try {
      text = String(await res.text()).trim();
    } catch (e) {
      throw codedError('ERR_INVALID_KEY', `could not fetch ${what}: reading the body of GET ${url} (HTTP ${res.status}) failed: ${e && e.message ? e.message : String(e)}`, { url, httpStatus: res.status, cause: e });
    }
    if (text.length > MAX_PEM_LENGTH || !PEM_PUBLIC_KEY.test(text)) {
      throw codedError('ERR_INVALID_KEY',
        `could not fetch ${what}: GET ${url} answered HTTP ${res.status} with a body that is not a PEM public key ` +
        `(it starts with ${JSON.stringify(text.slice(0, 40))})`, { url, httpStatus: res.status });
    }
    return text + '\n';
  }

  return async function resolveInstallKey(kid) {
    if (typeof kid !== 'string') throw typeError('kid must be a string');
    const url = api.installKeyUrl(kid); // refuses kids that would change the URL's path
    const hit = cache.get(kid);
    if (hit !== undefined) {
      cache.delete(kid); // most recently used last
      cache.set(kid, hit);
      return hit;
    }
    let p = pending.get(kid);
    if (!p) {
      p = load(kid, url).then((pem) => {
        if (maxEntries > 0) {
          cache.set(kid, pem);
          while (cache.size > maxEntries) cache.delete(cache.keys().next().value);
        }
        return pem;
      }).finally(() => pending.delete(kid));
      pending.set(kid, p);
    }
    return p;
  };
}

/** The path of a URL as received (absolute, or path and query), without query or fragment. */
function rawPath(url) {
  let p = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  const cut = p.search(/[?#]/);
  if (cut >= 0) p = p.slice(0, cut);
  return p.startsWith('/') ? p : '/' + p;
}

function trimSlash(p) {
  return p.length > 1 && p.endsWith('/') ? p.slice(0, -1) : p;
}

function isJsonType(contentType) {
  const t = (contentType || '').split(';')[0].trim().toLowerCase();
  return t === 'application/json' || t.endsWith('+json');
}

function isEmptyPlainObject(v) {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && Object.keys(v).length === 0;
}

function isUnreadStream(req) {
  return typeof req.on === 'function' && req.readableEnded !== true && req.readableDidRead !== true && req.destroyed !== true;
}

/** Whether a body parser (or anything else) has already taken the body. */
function parsedBody(req) {
  if (req.rawBody !== undefined && req.rawBody !== null) {
    const raw = req.rawBody;
    return { found: true, value: typeof raw === 'string' ? raw : Buffer.isBuffer(raw) || raw instanceof Uint8Array ? Buffer.from(raw).toString('utf8') : undefined };
  }
  const b = req.body;
  if (b === undefined) return { found: false };
  // Express 4's body parsers set `req.body = {}` even when the content type is not theirs and
  // they leave the stream unread: that `{}` says nothing about the body.
  if (req._body !== true && isEmptyPlainObject(b) && isUnreadStream(req)) return { found: false };
  if (typeof b === 'string') return { found: true, value: b };
  if (Buffer.isBuffer(b) || b instanceof Uint8Array) return { found: true, value: Buffer.from(b).toString('utf8') };
  return { found: true, value: b === null ? undefined : b };
}

function readStream(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      req.removeListener('data', onData);
      req.removeListener('end', onEnd);
      req.removeListener('error', onError);
      req.removeListener('close', onClose);
      if (err) reject(err); else resolve(value);
    };
    const tooLarge = () => codedError('ERR_BODY_TOO_LARGE', `the request body is larger than ${limit} bytes`);
    const onData = (chunk) => {
      size += chunk.length;
      if (size > limit) {
        if (typeof req.pause === 'function') req.pause();
        finish(tooLarge());
        return;
      }
      chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    };
    const onEnd = () => finish(null, Buffer.concat(chunks).toString('utf8'));
    const onError = (e) => finish(codedError('ERR_BODY_READ', `reading the request body failed: ${e && e.message ? e.message : String(e)}`, { cause: e }));
    const onClose = () => finish(codedError('ERR_BODY_READ', 'the client closed the connection before the body was complete'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    if (typeof req.resume === 'function') req.resume();
  });
}

/**
 * The body: what a body parser left on the request, else read from the stream (at most
 * `limit` bytes), stored on `req.body` for the handlers after this one.
 * Returns what verifyConnectRequest gets (the raw text when it was read here).
 *
 * Not a second body reader: common.js's readBody, which verifyConnectRequest applies to what
 * this returns, reads a body *value* (text, URLSearchParams, a plain object) as a form. What is
 * here is Node's side, which readBody has no part of: finding the body on a node:http or
 * Express request (req.rawBody, a body parser's req.body, or the unread stream) and turning
 * bytes into text. Where the two differ, this keeps its behaviour on purpose: a Buffer or
 * Uint8Array (req.rawBody, or req.body from a raw parser) is decoded as UTF-8 here, where
 * readBody would take bytes as no form at all (kind 'other': no parameters for the qsh, no
 * clientKey from a lifecycle body).
 *
 * The headers go through common.js's readHeaders, as verifyConnectRequest reads them: so the
 * middleware and the core see the same Content-Type, and a header value that is not a string
 * (node:http never makes one) counts as absent for both.
 */
async function requestBody(req, lifecycle, limit) {
  const parsed = parsedBody(req);
  if (parsed.found) return parsed.value;
  if (!isUnreadStream(req)) return undefined;
  const headers = readHeaders(req.headers);
  const length = headers['content-length'];
  const chunked = headers['transfer-encoding'];
  if ((length === undefined || Number(length) === 0) && !chunked) return undefined; // no body
  if (length !== undefined && Number(length) > limit) {
    throw codedError('ERR_BODY_TOO_LARGE', `the request body (${Number(length)} bytes) is larger than ${limit} bytes`);
  }
  const text = await readStream(req, limit);
  let value = text;
  if (lifecycle || isJsonType(headers['content-type'])) {
    try { value = JSON.parse(text); } catch { value = text; }
  }
  req.body = value;
  return text;
}

function redact(message, secrets) {
  let m = String(message);
  for (const s of secrets) if (typeof s === 'string' && s.length >= 4) m = m.split(s).join('[redacted]');
  return m;
}

function quoted(s) {
  return '"' + String(s).replace(/[\\"]/g, '\\$&').replace(/[\r\n]/g, ' ') + '"';
}

/**
 * A middleware `(req, res, next)` that verifies the Connect JWT of each request (HS256 with the
 * installation's shared secret; RS256 with Atlassian's install key on the lifecycle paths),
 * sets `req.atlassian` and calls `next()`; on failure it answers 401 `{ code, message }`.
 */
function middleware(api, options) {
  if (options === null || typeof options !== 'object') {
    throw typeError('connectMiddleware takes { baseUrl, sharedSecret, installKey?, lifecyclePaths?, allowContextQsh?, leeway?, onError? }');
  }
  const {
    baseUrl, sharedSecret, installKey, lifecyclePaths = DEFAULT_LIFECYCLE_PATHS, allowContextQsh = false,
    leeway, onError, realm, bodyLimit = DEFAULT_BODY_LIMIT,
  } = options;
  if (typeof baseUrl !== 'string') throw typeError('options.baseUrl is required: the baseUrl of your app descriptor');
  let base;
  try { base = new URL(baseUrl); } catch { throw typeError(`options.baseUrl is not an absolute URL: ${JSON.stringify(baseUrl)}`); }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw typeError(`options.baseUrl must be http(s): ${JSON.stringify(baseUrl)}`);
  if (typeof sharedSecret !== 'string' && typeof sharedSecret !== 'function') {
    throw typeError('options.sharedSecret is required: the shared secret, or a lookup (clientKey, req) => secret | Promise<secret>');
  }
  if (installKey !== undefined && typeof installKey !== 'string' && typeof installKey !== 'function') {
    throw typeError('options.installKey must be a PEM string or a resolver (kid) => PEM | Promise<PEM>');
  }
  if (!Array.isArray(lifecyclePaths) || lifecyclePaths.some((p) => typeof p !== 'string')) {
    throw typeError('options.lifecyclePaths must be an array of paths relative to baseUrl, like ["/installed", "/uninstalled"]');
  }
  if (typeof allowContextQsh !== 'boolean' && typeof allowContextQsh !== 'function') {
    throw typeError('options.allowContextQsh must be a boolean or a function (req) => boolean');
  }
  if (onError !== undefined && typeof onError !== 'function') throw typeError('options.onError must be a function (error, req, res, next)');
  if (leeway !== undefined && (typeof leeway !== 'number' || !(leeway >= 0))) throw typeError('options.leeway must be seconds >= 0');
  if (!Number.isInteger(bodyLimit) || bodyLimit < 0) throw typeError('options.bodyLimit must be a whole number of bytes');

  const basePath = base.pathname.replace(/\/+$/, '');
  const lifecycle = new Set(lifecyclePaths.map((p) => trimSlash(p.startsWith('/') ? p : '/' + p)));
  const keys = installKey ?? installKeyResolver(api);
  const challenge = `JWT realm=${quoted(realm ?? baseUrl)}`;

  const isLifecycle = (url) => {
    let p = rawPath(url);
    if (basePath && (p === basePath || p.startsWith(basePath + '/'))) p = p.slice(basePath.length) || '/';
    return lifecycle.has(trimSlash(p));
  };

  async function fail(err, req, res, next, secrets) {
    const coded = err && typeof err === 'object' && typeof err.code === 'string' && err.code.startsWith('ERR_');
    const status = !coded || err.name === 'TypeError' ? 500 : err.code === 'ERR_BODY_TOO_LARGE' ? 413 : err.code === 'ERR_BODY_READ' ? 400 : 401;
    const error = err instanceof Error ? err : codedError('ERR_INTERNAL', String(err));
    try { error.message = redact(error.message, secrets); } catch { /* frozen */ }
    try { error.status = status; } catch { /* frozen */ }
    if (onError) return onError(error, req, res, next);
    if (res.headersSent) {
      if (typeof res.destroy === 'function') res.destroy();
      return undefined;
    }
    const body = status === 500
      ? { code: 'ERR_INTERNAL', message: 'the request could not be verified because of a server error' }
      : { code: error.code, message: error.message };
    res.statusCode = status;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    if (status === 401) res.setHeader('www-authenticate', challenge);
    if (status === 413) res.setHeader('connection', 'close');
    res.end(JSON.stringify(body));
    return undefined;
  }

  return async function atlassianConnectMiddleware(req, res, next) {
    const secrets = typeof sharedSecret === 'string' ? [sharedSecret] : [];
    let result;
    try {
      // Express sets originalUrl; under a mounted router req.url is router-local and would
      // hash a path that the product never signed.
      const url = req.originalUrl ?? req.url;
      if (typeof url !== 'string') throw typeError('the request has no url');
      const kindLifecycle = isLifecycle(url);
      const body = await requestBody(req, kindLifecycle, bodyLimit);
      const allowContext = typeof allowContextQsh === 'function' ? Boolean(await allowContextQsh(req)) : allowContextQsh;
      const secretOption = typeof sharedSecret === 'function'
        ? async (clientKey) => {
          const s = await sharedSecret(clientKey, req);
          if (s === undefined || s === null) return ''; // "no shared secret for clientKey ..."
          if (typeof s === 'string') secrets.push(s);
          return s;
        }
        : sharedSecret;
      result = await api.verifyConnectRequest(
        { method: req.method || 'GET', url, headers: req.headers, body },
        { baseUrl, lifecycle: kindLifecycle, sharedSecret: secretOption, installKey: keys, allowContextQsh: allowContext, leeway },
      );
    } catch (err) {
      return fail(err, req, res, next, secrets);
    }
    req.atlassian = result;
    // Outside the try: an error in a later handler is not an authentication failure.
    await next();
    return undefined;
  };
}

/** The exports of atlassian-sign/middleware over the package API (pkg/index.cjs). */
export function middlewareApi(api) {
  return {
    createInstallKeyResolver: function createInstallKeyResolver(options) {
      return installKeyResolver(api, options);
    },
    connectMiddleware: function connectMiddleware(options) {
      return middleware(api, options);
    },
  };
}
