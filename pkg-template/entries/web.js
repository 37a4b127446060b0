// Browser and bundler entry (ESM), bundled by scripts/build.mjs into pkg/web.js. Call
// `await init()` once before anything else. The `./web/...` path is the output's.
import initWasm, { initSync as initWasmSync } from './web/atlassian_sign.js';
import * as wasm from './web/atlassian_sign.js';
import { createApi } from '../src/facade.js';

let ready = null;
let loaded = false;

/** Loads the WebAssembly module; idempotent. Pass a URL, Response or bytes to load it from elsewhere. */
export function init(moduleOrPath) {
  if (!ready) {
    ready = initWasm(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath })
      .then(() => { loaded = true; }, (e) => { ready = null; throw e; });
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
