// Types of the verifiers for what Atlassian sends (re-exported by index.d.ts).
import type { JsonWebKey, JwtAlgorithm, JwtClaims, FormParams, RsaKeyInput } from './index.js';

/** A header bag: node:http's `req.headers`, a plain object, or a fetch `Headers`. */
export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface IncomingRequest {
  /** Default 'GET'. */
  method?: string;
  /** The URL as received: absolute, or path and query (Express: `req.originalUrl`, not `req.path`). */
  url: string;
  headers?: HeaderBag;
  /** The body: the raw string, or the parsed JSON / form object. */
  body?: string | FormParams | JwtClaims;
}

export type Resolver<T extends string, K = string> = (id: T) => K | Promise<K>;

export interface VerifyConnectRequestOptions {
  /** The app's baseUrl from its descriptor: the audience of install callbacks and the base removed before hashing. */
  baseUrl: string;
  /** True for install/uninstall lifecycle callbacks: RS256 only, `iss` = body clientKey, `aud` = baseUrl. */
  lifecycle?: boolean;
  /** HS256 requests: the installation's shared secret, or a lookup by clientKey (the token's `iss`). */
  sharedSecret?: string | Uint8Array | Resolver<string, string | Uint8Array>;
  /** Lifecycle callbacks: Atlassian's public key (PEM, JWK, KeyObject, extractable CryptoKey), or a lookup by `kid` (see installKeyUrl). */
  installKey?: RsaKeyInput | Resolver<string, RsaKeyInput>;
  /** Accept context tokens (`qsh: "context-qsh"`) on HS256 requests. Default false. */
  allowContextQsh?: boolean;
  /** Seconds of clock skew tolerated (default 3). */
  leeway?: number;
  now?: number | Date;
}

export interface VerifiedConnectRequest {
  claims: JwtClaims;
  clientKey: string;
  kind: 'lifecycle' | 'request';
  /** True when the token was a context token. */
  context: boolean;
  token: string;
}

/** Verifies a request an Atlassian product sent to the app (algorithm pinned by kind). */
export function verifyConnectRequest(request: IncomingRequest, options: VerifyConnectRequestOptions): Promise<VerifiedConnectRequest>;

/** `https://connect-install-keys.atlassian.com/<kid>`: where the public key of a signed install callback is published. */
export function installKeyUrl(kid: string): string;

export interface JsonWebKeySet {
  keys: JsonWebKey[];
}

export interface VerifyForgeOptions {
  /** The JWKS (object or JSON text) from https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json. */
  jwks: JsonWebKeySet | string;
  /** The app id, or its ARI `ari:cloud:ecosystem::app/<id>`. */
  appId: string;
  /** Seconds of clock skew tolerated (default 3). */
  leeway?: number;
  now?: number | Date;
}

export interface ForgeInvocation {
  claims: JwtClaims;
  /** `{ id, installationId, apiBaseUrl, environment, ... }` */
  app: JwtClaims | null;
  /** `{ cloudId, siteUrl, ... }` */
  context: JwtClaims | null;
  principal: string | JwtClaims | null;
}

/** Verifies a Forge invocation token (`Authorization: Bearer <FIT>`; the prefix is allowed). */
export function verifyForgeInvocationToken(token: string, options: VerifyForgeOptions): ForgeInvocation;
/** As above, with the JWKS from a source such as {@link createForgeJwks}, asked with the token's kid: a Promise. */
export function verifyForgeInvocationToken(
  token: string,
  options: Omit<VerifyForgeOptions, 'jwks'> & { jwks: JwksSource },
): Promise<ForgeInvocation>;

/** A JWKS by the kid a token names: what verifyForgeInvocationToken asks when `jwks` is a function. */
export type JwksSource = (kid: string | undefined) => JsonWebKeySet | string | Promise<JsonWebKeySet | string>;

export interface ForgeJwksOptions {
  /** Default: https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json (staging: forge.cdn.stg.atlassian-dev.net). */
  url?: string;
  /** Milliseconds to wait for the answer, body included (default 5000; 0: no limit). Else ERR_JWKS_TIMEOUT. */
  timeout?: number;
  /** Milliseconds the JWKS is kept before it is fetched again (default 600000). */
  cacheMaxAge?: number;
  /** A kid the cache does not hold fetches the JWKS again, at most once per this many milliseconds (default 30000). */
  cooldown?: number;
  /** The fetch to use (default globalThis.fetch). */
  fetch?: (url: string, init: { signal?: AbortSignal; headers: Record<string, string> }) => Promise<Response>;
}

/** A cached Forge JWKS: pass it as `jwks` to verifyForgeInvocationToken. */
export interface ForgeJwks extends JwksSource {
  (kid?: string): Promise<JsonWebKeySet>;
  /** Fetches now (concurrent callers share one fetch). */
  reload(): Promise<JsonWebKeySet>;
  /** How many fetches were started. */
  readonly fetches: number;
  readonly url: string;
}

/**
 * The Forge JWKS fetched and cached, like jose's createRemoteJWKSet: fetched on first use and
 * when older than `cacheMaxAge`; a kid it does not hold refetches it at most once per `cooldown`.
 * A failed fetch rejects with ERR_JWKS_TIMEOUT, ERR_JWKS_FETCH (network, or a status other than
 * 2xx: `httpStatus`) or ERR_JWKS_INVALID (not a JWKS), with `url`; it is not cached.
 */
export function createForgeJwks(options?: ForgeJwksOptions): ForgeJwks;

export type AsapAlgorithm = Extract<JwtAlgorithm, 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512'>;

export interface SignAsapOptions {
  issuer: string;
  /** `<issuer>/<key name>`; taken from a data: URI private key when omitted. */
  kid?: string;
  audience: string | ReadonlyArray<string>;
  /** PEM, `data:application/pkcs8;kid=<url-encoded kid>;base64,<DER>`, a JWK, a KeyObject or an extractable CryptoKey. */
  privateKey: RsaKeyInput;
  /** Defaults to the issuer. */
  subject?: string;
  /** Seconds, 1 to 3600 (default 60). */
  expiresIn?: number;
  /** Default RS256. */
  algorithm?: AsapAlgorithm;
  /** Extra claims. */
  claims?: JwtClaims;
  now?: number | Date;
}

/** Signs an ASAP token (jti, iat, nbf, exp set here). */
export function signAsap(options: SignAsapOptions): string;

export interface VerifyAsapOptions {
  /** This service's audience name(s). */
  audience: string | ReadonlyArray<string>;
  /** Issuers accepted (default: any issuer that owns the kid). */
  issuers?: string | ReadonlyArray<string>;
  /** Seconds of clock skew tolerated (default 3). */
  leeway?: number;
  now?: number | Date;
}

/** Verifies an ASAP token with a public key, or a resolver by `kid`. */
export function verifyAsap(token: string, key: RsaKeyInput | Resolver<string, RsaKeyInput>, options: VerifyAsapOptions): Promise<JwtClaims>;

/**
 * A token pasted as a person has it: the token, an `Authorization: JWT <token>` (or `Bearer`)
 * line, or a URL with `?jwt=`. `url` is set when the token came from a URL.
 */
export function tokenFromText(text: string): { token: string; url: string | null };
