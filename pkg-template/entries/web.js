// Browser and bundler entry (ESM), bundled by scripts/build.mjs into pkg/web.js. Call
// `await init()` once before anything else. The `./web/...` path is the output's.
import initWasm, { initSync as initWasmSync } from './web/atlassian_sign.js';
import * as wasm from './web/atlassian_sign.js';
import { createApi } from '../src/facade.js';

let ready = null;
let loaded = false;

function loadError(message, cause) {
  const e = new Error(`atlassian-sign: ${message}. Serve node_modules/atlassian-sign/web/atlassian_sign_bg.wasm with the app, `
    + "or pass its URL to init(url) (with Vite: import wasmUrl from 'atlassian-sign/wasm?url')");
  e.name = 'AtlassianSignError';
  e.code = 'ERR_WASM_LOAD';
  if (cause !== undefined) e.cause = cause;
  return e;
}

/**
 * Where the .wasm is when init() is called without one: beside this module. Bundlers (webpack 5,
 * Vite's and Rollup's builds, Parcel) see the `new URL(literal, import.meta.url)` and emit the
 * file. The dev servers of Vite 6 and 7 pre-bundle the package into node_modules/.vite/deps/ and
 * resolve the literal there, but do not copy the .wasm (Vite 8's pre-bundler rewrites the URL to
 * the package's folder itself): a URL into that folder is replaced by the same path in the
 * package's folder, node_modules/atlassian-sign/, which the dev server serves.
 */
function defaultWasmUrl() {
  const url = new URL('./web/atlassian_sign_bg.wasm', import.meta.url);
  const prebundled = '/node_modules/.vite/deps/';
  if (!url.pathname.includes(prebundled)) return url;
  return new URL(url.pathname.replace(prebundled, '/node_modules/atlassian-sign/'), url);
}

const isLocation = (x) => typeof x === 'string' || x instanceof URL || (typeof Request === 'function' && x instanceof Request);

/** A location as fetch() reads it: relative to the page (or worker). */
function absolute(location) {
  if (typeof Request === 'function' && location instanceof Request) return location.url;
  try {
    return new URL(location, globalThis.location?.href).href;
  } catch {
    return String(location);
  }
}

async function fetchWasm(location) {
  try {
    return await fetch(location);
  } catch (e) {
    throw loadError(`fetching ${absolute(location)} failed (${e.message})`, e);
  }
}

function checkResponse(response, where) {
  if (!response.ok) throw loadError(`GET ${where} answered ${response.status} ${response.statusText}`.trimEnd());
  // A dev server's history fallback answers an unknown path with the app's index.html.
  const type = response.headers.get('Content-Type') || '';
  if (/^text\/html\b/i.test(type)) throw loadError(`GET ${where} answered an HTML page, not the WebAssembly module`);
}

async function load(input) {
  const source = input === undefined ? defaultWasmUrl() : input;
  const where = isLocation(source) ? absolute(source) : null;
  const module = await (where ? fetchWasm(source) : source);
  const from = where ?? (module instanceof Response ? module.url || 'the Response given' : 'the bytes given');
  if (module instanceof Response) checkResponse(module, from);
  try {
    await initWasm({ module_or_path: module });
  } catch (e) {
    if (e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError) {
      throw loadError(`${from} is not this package's WebAssembly module (${e.message})`, e);
    }
    throw e;
  }
}

/**
 * Loads the WebAssembly module; idempotent. Without an argument it fetches the .wasm beside the
 * package (see defaultWasmUrl); pass a URL (string, URL, Request), a Response, the bytes or a
 * WebAssembly.Module to load it from elsewhere. A .wasm that cannot be loaded rejects with
 * ERR_WASM_LOAD, naming the URL and what it answered.
 */
export function init(moduleOrPath) {
  if (!ready) {
    ready = load(moduleOrPath).then(() => { loaded = true; }, (e) => { ready = null; throw e; });
  }
  return ready;
}

/** Loads the WebAssembly module synchronously from its bytes or a WebAssembly.Module. */
export function initSync(moduleOrBytes) {
  if (!loaded) {
    initWasmSync({ module: moduleOrBytes });
    loaded = true;
    ready = Promise.resolve();
  }
}

const api = createApi(wasm);

function guard(name) {
  const f = api[name];
  return function (...args) {
    if (!loaded) {
      const e = new Error(`atlassian-sign: await init() before calling ${name}() (the WebAssembly module is not loaded yet)`);
      e.code = 'ERR_NOT_INITIALIZED';
      throw e;
    }
    return f(...args);
  };
}

export const createCanonicalRequest = guard('createCanonicalRequest');
export const createQsh = guard('createQsh');
export const encodeJwt = guard('encodeJwt');
export const encodeJwtAsync = guard('encodeJwtAsync');
export const decodeJwt = guard('decodeJwt');
export const verifyJwt = guard('verifyJwt');
export const verifyJwtAsync = guard('verifyJwtAsync');
export const connectToken = guard('connectToken');
export const jwsSign = guard('jwsSign');
export const jwsVerify = guard('jwsVerify');
export const hashCanonicalRequest = guard('hashCanonicalRequest');
export const errorCodes = guard('errorCodes');
export const exportPublicKey = guard('exportPublicKey');
export const generateKeyPair = guard('generateKeyPair');
export const generateKeyPairAsync = guard('generateKeyPairAsync');
export const keyKind = guard('keyKind');
export const signOAuthSync = guard('signOAuthSync');
export const signOAuth = guard('signOAuth');
export const oauthSignature = guard('oauthSignature');
export const oauthBaseString = guard('oauthBaseString');
export const parseOAuthHeader = guard('parseOAuthHeader');
export const verifyOAuth = guard('verifyOAuth');
export const oauthRequestToken = guard('oauthRequestToken');
export const oauthAuthorizeUrl = guard('oauthAuthorizeUrl');
export const oauthAccessToken = guard('oauthAccessToken');
export const parseOAuthTokenResponse = guard('parseOAuthTokenResponse');
export const parseOAuthProblem = guard('parseOAuthProblem');
export const tokenFromText = guard('tokenFromText');
export const installKeyUrl = guard('installKeyUrl');
export const verifyConnectRequest = guard('verifyConnectRequest');
export const verifyForgeInvocationToken = guard('verifyForgeInvocationToken');
export const createForgeJwks = api.createForgeJwks;
export const signAsap = guard('signAsap');
export const verifyAsap = guard('verifyAsap');
export const explain = guard('explain');
export const parseExchange = guard('parseExchange');
export const signTrustedApps = guard('signTrustedApps');
export const verifyTrustedApps = guard('verifyTrustedApps');
export const parseAppTrustCertificate = guard('parseAppTrustCertificate');
