// The Forge JWKS fetched and cached, as jose's createRemoteJWKSet does: one fetch at a time, a
// timeout, a cache lifetime, and a refetch when a token names a kid the cache does not hold,
// throttled so that tokens with made-up kids cannot make the app hammer the CDN.
import { codedError, typeError } from './common.js';

/** Production JWKS of Forge invocation tokens (the core's FORGE_JWKS_URL). */
export const FORGE_JWKS_URL = 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json';

const MAX_JWKS_LENGTH = 1 << 20;

function ms(v, name, fallback) {
  if (v == null) return fallback;
  if (typeof v !== 'number' || !(v >= 0) || !Number.isFinite(v)) throw typeError(`options.${name} must be milliseconds >= 0, not ${String(v)}`);
  return v;
}

const message = (e) => (e?.message ? e.message : String(e));

/**
 * `createForgeJwks({ url?, timeout?, cacheMaxAge?, cooldown?, fetch? })`: a function
 * `(kid) => Promise<jwks>` for verifyForgeInvocationToken's `jwks` option. The JWKS is fetched on
 * first use and again once older than `cacheMaxAge` (default 10 min); a kid it does not hold
 * refetches it, at most once per `cooldown` (default 30 s). A failed fetch throws
 * ERR_JWKS_TIMEOUT (no answer within `timeout`, default 5 s), ERR_JWKS_FETCH (network error or
 * a status other than 2xx) or ERR_JWKS_INVALID (a body that is not a JWKS), with `url`.
 */
export function createForgeJwks(options) {
  if (options != null && typeof options !== 'object') {
    throw typeError('createForgeJwks takes an options object: { url?, timeout?, cacheMaxAge?, cooldown?, fetch? }');
  }
  const o = options ?? {};
  const url = o.url ?? FORGE_JWKS_URL;
  if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw typeError('options.url must be an http(s) URL string');
  const fetchImpl = o.fetch ?? globalThis.fetch;
  if (typeof fetchImpl !== 'function') {
    throw typeError('options.fetch must be a fetch function (globalThis.fetch is missing: Node 18 or later has it)');
  }
  const timeout = ms(o.timeout, 'timeout', 5000);
  const cacheMaxAge = ms(o.cacheMaxAge, 'cacheMaxAge', 600_000);
  const cooldown = ms(o.cooldown, 'cooldown', 30_000);

  let cached = null; // { jwks, at }
  let pending = null;
  let fetches = 0;

  async function load() {
    fetches++;
    const signal = timeout > 0 ? AbortSignal.timeout(timeout) : undefined;
    const fail = (code, text, extra) => codedError(code, `could not fetch the Forge JWKS: GET ${url} ${text}`, { url, ...extra });
    let res, text;
    try {
      res = await fetchImpl(url, { signal, headers: { accept: 'application/json' } });
      if (res.status < 200 || res.status > 299) {
        res.body?.cancel?.().catch(() => {});
        throw fail('ERR_JWKS_FETCH', `answered HTTP ${res.status}; keys are fetched again on the next token`, { httpStatus: res.status });
      }
      text = await res.text();
    } catch (e) {
      if (e?.code === 'ERR_JWKS_FETCH') throw e;
      if (signal?.aborted || e?.name === 'TimeoutError' || e?.name === 'AbortError') {
        throw fail('ERR_JWKS_TIMEOUT', `did not answer within ${timeout} ms (options.timeout)`, { cause: e });
      }
      throw fail('ERR_JWKS_FETCH', `failed: ${message(e)}`, { cause: e });
    }
    let jwks;
    try {
      if (text.length > MAX_JWKS_LENGTH) throw new Error(`the body is ${text.length} characters long`);
      jwks = JSON.parse(text);
    } catch (e) {
      throw fail('ERR_JWKS_INVALID', `answered HTTP ${res.status} with a body that is not JSON (${message(e)})`, { httpStatus: res.status });
    }
    if (jwks === null || typeof jwks !== 'object' || !Array.isArray(jwks.keys)) {
      throw fail('ERR_JWKS_INVALID', `answered HTTP ${res.status} with JSON that has no "keys" array`, { httpStatus: res.status });
    }
    cached = { jwks, at: Date.now() };
    return jwks;
  }

  /** One fetch at a time: callers during a fetch share it. */
  function reload() {
    if (!pending) pending = load().finally(() => { pending = null; });
    return pending;
  }

  const holds = (jwks, kid) => jwks.keys.some((k) => k && k.kid === kid);

  async function forgeJwks(kid) {
    if (kid != null && typeof kid !== 'string') throw typeError('kid must be a string');
    if (pending) return pending;
    if (!cached || Date.now() - cached.at >= cacheMaxAge) return reload();
    if (kid != null && !holds(cached.jwks, kid) && Date.now() - cached.at >= cooldown) return reload();
    return cached.jwks;
  }
  forgeJwks.reload = reload;
  /** How many fetches were started (for logs and tests). */
  Object.defineProperty(forgeJwks, 'fetches', { get: () => fetches });
  Object.defineProperty(forgeJwks, 'url', { value: url });
  return forgeJwks;
}
