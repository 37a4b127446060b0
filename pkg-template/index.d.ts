export * from './incoming.js';
export * from './explain.js';

// Types of the atlassian-sign package. Every function throws an AtlassianSignError (an Error
// with a stable `code`) on bad input or failed verification; wrong argument types throw a
// TypeError with code 'ERR_INVALID_INPUT'.

/** Every error code the package uses. */
export type ErrorCode =
  | 'ERR_INVALID_INPUT'
  | 'ERR_INVALID_URL'
  | 'ERR_INVALID_METHOD'
  | 'ERR_INVALID_KEY'
  | 'ERR_UNSUPPORTED_ALGORITHM'
  | 'ERR_JWT_MALFORMED'
  | 'ERR_JWT_ALG_NOT_ALLOWED'
  | 'ERR_JWT_SIGNATURE_INVALID'
  | 'ERR_JWT_EXPIRED'
  | 'ERR_JWT_NOT_YET_VALID'
  | 'ERR_JWT_CLAIM_MISSING'
  | 'ERR_JWT_CLAIM_INVALID'
  | 'ERR_QSH_MISSING'
  | 'ERR_QSH_MISMATCH'
  | 'ERR_QSH_CONTEXT_NOT_ALLOWED'
  | 'ERR_SIGNING_FAILED'
  | 'ERR_OAUTH_INVALID_REQUEST'
  | 'ERR_OAUTH_RESPONSE'
  | 'ERR_TRUSTED_APPS_REJECTED'
  | 'ERR_JWKS_TIMEOUT'
  | 'ERR_JWKS_FETCH'
  | 'ERR_JWKS_INVALID'
  | 'ERR_NOT_INITIALIZED'
  | 'ERR_WASM_LOAD';

/** The shape of every error thrown by this package. */
export interface AtlassianSignError extends Error {
  name: 'AtlassianSignError' | 'TypeError' | 'Error';
  code: ErrorCode;
  /** ERR_QSH_MISMATCH only: the hash of the request. */
  expected?: string;
  /** ERR_QSH_MISMATCH only: the hash in the token. */
  actual?: string;
  /** ERR_QSH_MISMATCH only: the canonical request that was hashed. */
  canonicalRequest?: string;
  /** ERR_TRUSTED_APPS_REJECTED only: the Seraph code (BAD_SIGNATURE, OLD_CERT, BAD_MAGIC, ...). */
  seraphCode?: string;
  /** ERR_JWKS_*: the URL fetched; ERR_JWKS_FETCH for a status: the status. */
  url?: string;
  httpStatus?: number;
  /** A key in a form that cannot be used: the form received, such as 'a public KeyObject (ec)'. */
  received?: string;
}

/** Form parameters: `a=1&b=2`, or an object whose values are strings (or arrays of them). */
export type FormParams = string | Record<string, string | number | boolean | ReadonlyArray<string | number | boolean>>;

export interface QshOptions {
  /** The product's (or app's) base URL; its path (`/wiki`, `/connect`, a context path) is removed. */
  baseUrl?: string;
  /** Form body parameters, used for POST and PUT when the URL has no query parameters. */
  body?: FormParams;
  /** `'wire'` (default): the path as sent; `'decoded'`: percent-decoded, as a product signs requests to an app. */
  pathForm?: 'wire' | 'decoded';
}

/** `METHOD&URI&QUERY`, the string the qsh hashes. */
export function createCanonicalRequest(method: string, url: string, options?: QshOptions): string;
/** The Connect query string hash: lowercase hex SHA-256 of the canonical request. */
export function createQsh(method: string, url: string, options?: QshOptions): string;

export type JwtAlgorithm = 'HS256' | 'HS384' | 'HS512' | 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512';

/** An RSA JSON Web Key, or an `oct` key holding an HMAC secret. */
export interface JsonWebKey {
  kty: 'RSA' | 'oct';
  n?: string;
  e?: string;
  d?: string;
  p?: string;
  q?: string;
  dp?: string;
  dq?: string;
  qi?: string;
  k?: string;
  kid?: string;
  alg?: string;
  use?: string;
  [member: string]: unknown;
}

/**
 * A node:crypto `KeyObject` (`createPrivateKey`, `createPublicKey`, `createSecretKey`), described
 * by shape so that these types need no @types/node: RSA keys and secrets are accepted.
 */
export interface KeyObjectLike {
  readonly type: 'secret' | 'public' | 'private';
  readonly asymmetricKeyType?: string;
  export(...options: never[]): unknown;
}

/**
 * A key: an HMAC secret (a string, used as its UTF-8 bytes, or bytes: Buffer, Uint8Array,
 * ArrayBuffer), an RSA key as PEM (PKCS#8, PKCS#1, SPKI, certificate; text, or bytes read from
 * a file) or base64 DER text, a JWK, a node:crypto KeyObject, or a WebCrypto CryptoKey
 * (RSASSA-PKCS1-v1_5, RSA-PSS or HMAC). Bytes holding PEM text are the RSA key, unless an HMAC
 * algorithm is pinned (then bytes are always the secret). An extractable CryptoKey is exported;
 * one that is not can be used only by the asynchronous calls ({@link encodeJwtAsync},
 * {@link verifyJwtAsync}, signOAuth), which sign and verify through WebCrypto; the synchronous
 * ones throw `ERR_INVALID_KEY` naming the call to use. A key in a form that cannot be used
 * throws `ERR_INVALID_KEY` (a key object) or a TypeError `ERR_INVALID_INPUT` (another type),
 * with a message naming the form received (also in `received`) and the forms accepted. RSA keys
 * are parsed once and cached by their text.
 */
export type Key = string | Uint8Array | ArrayBuffer | JsonWebKey | KeyObjectLike | CryptoKey;

/** An RSA key where only RSA is meant: PEM (text or bytes), base64 DER text, a JWK, a KeyObject or a CryptoKey. */
export type RsaKeyInput = string | Uint8Array | JsonWebKey | KeyObjectLike | CryptoKey;

/** JSON values allowed in claims and headers. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JwtClaims = { [claim: string]: JsonValue };

export interface EncodeJwtOptions {
  /** Defaults to HS256 for a secret and RS256 for an RSA key. */
  algorithm?: JwtAlgorithm;
  /** The `kid` header. */
  kid?: string;
  /** Extra header members (`alg` is always the algorithm used). */
  header?: JwtClaims;
}

/** Signs a JWT. A CryptoKey that cannot be exported needs {@link encodeJwtAsync}. */
export function encodeJwt(claims: JwtClaims, key: Key, options?: EncodeJwtOptions): string;
/**
 * Signs a JWT with any {@link Key}; a CryptoKey that cannot be exported signs through WebCrypto
 * (its algorithm is the token's: RSASSA-PKCS1-v1_5 + SHA-256 is RS256; `options.algorithm`, if
 * given, must agree).
 */
export function encodeJwtAsync(claims: JwtClaims, key: Key, options?: EncodeJwtOptions): Promise<string>;

/**
 * The registered claims (RFC 7519) and Connect's `qsh` and `context`, typed as jose's JWTPayload
 * types them; other claims are JSON values. Check a claim before use: after `if (payload.iss)`,
 * `payload.iss` is a string.
 */
export interface JwtPayload {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  /** Seconds since the epoch. */
  exp?: number;
  nbf?: number;
  iat?: number;
  jti?: string;
  /** Connect: the query string hash, or `'context-qsh'`. */
  qsh?: string;
  /** Connect: the user and product context of a context token. */
  context?: { [key: string]: JsonValue };
  [claim: string]: JsonValue | undefined;
}

export interface DecodedJwt<T extends JwtPayload = JwtPayload> {
  header: JwtClaims;
  payload: T;
  /** The signature, base64url. */
  signature: string;
}

/**
 * Decodes a JWT without verifying it. A well-formed token after `JWT ` or `Bearer ` is read; a
 * token given with its scheme that does not decode throws ERR_JWT_MALFORMED saying to drop it.
 */
export function decodeJwt<T extends JwtPayload = JwtPayload>(token: string): DecodedJwt<T>;

export interface QshRequest extends QshOptions {
  method: string;
  /** Absolute URL, or path and query. */
  url: string;
  /** Also accept a context token (`qsh: "context-qsh"`). */
  allowContextQsh?: boolean;
}

export interface VerifyJwtOptions {
  /** The algorithms you accept (required: the token never chooses). */
  algorithms: JwtAlgorithm | ReadonlyArray<JwtAlgorithm>;
  issuer?: string | ReadonlyArray<string>;
  audience?: string | ReadonlyArray<string>;
  subject?: string;
  /** Seconds of clock skew tolerated for exp and nbf (default 0). */
  leeway?: number;
  /** The time to check against: seconds since the epoch, or a Date (default: now). */
  now?: number | Date;
  requiredClaims?: string | ReadonlyArray<string>;
  /** Check the qsh claim against a request, or require a context token (`'context-qsh'`). */
  qsh?: QshRequest | 'context-qsh';
}

/** Verifies a JWT's signature and claims; returns its payload. A CryptoKey that cannot be exported needs {@link verifyJwtAsync}. */
export function verifyJwt<T extends JwtPayload = JwtPayload>(token: string, key: Key, options: VerifyJwtOptions): T;
/** As {@link verifyJwt}, with any {@link Key}; a CryptoKey that cannot be exported checks the signature through WebCrypto. */
export function verifyJwtAsync<T extends JwtPayload = JwtPayload>(token: string, key: Key, options: VerifyJwtOptions): Promise<T>;

export type Product = 'jira' | 'confluence' | 'bitbucket' | 'zephyr';

export interface ConnectTokenInput {
  /** Default 'jira'. */
  product?: Product;
  /** Default 'GET'. */
  method?: string;
  /** Absolute URL, or a path relative to baseUrl (a path with no baseUrl throws ERR_INVALID_URL, except for Zephyr, whose base URL is known). */
  url: string;
  /** The product's base URL (`https://your.atlassian.net`, `.../wiki` for Confluence). Zephyr defaults to its API URL. */
  baseUrl?: string;
  /** The app key from the descriptor: `iss` for Jira, Confluence and Bitbucket. */
  appKey?: string;
  /** Zephyr's access key: `iss` for Zephyr. */
  accessKey?: string;
  /** The shared secret from the installed callback, or the Zephyr secret key (text, or its UTF-8 bytes). */
  secret: string | Uint8Array;
  /** The installation's clientKey: `sub` for Bitbucket, `aud` for Jira and Confluence when given. */
  clientKey?: string;
  /** The Atlassian accountId: `sub` for Zephyr (required) and optionally Jira and Confluence. */
  accountId?: string;
  /** Token lifetime in seconds (default 180). */
  expiresIn?: number;
  /** Issue time: seconds since the epoch or a Date (default: now). */
  now?: number | Date;
  /** Form body of a POST or PUT without query parameters. */
  body?: FormParams;
}

export interface ConnectToken {
  token: string;
  /** `JWT <token>` */
  authorization: string;
  /** Every header to send: Authorization, and zapiAccessKey for Zephyr. */
  headers: Record<string, string>;
  qsh: string;
  canonicalRequest: string;
  claims: JwtClaims;
  /** The absolute URL to call. */
  url: string;
}

/** A Connect JWT for an app's call to a product, with the right claims per product. */
export function connectToken(input: ConnectTokenInput): ConnectToken;

export interface KeyPair {
  /** PKCS#8 PEM (BEGIN PRIVATE KEY). */
  privateKey: string;
  /** SPKI PEM (BEGIN PUBLIC KEY): what Jira's Application Link takes. */
  publicKey: string;
  /** PKCS#1 PEM (BEGIN RSA PUBLIC KEY). */
  publicKeyPkcs1: string;
  jwk: JsonWebKey;
}

/**
 * Generates an RSA key pair (2048, 3072 or 4096 bits, default 2048; e = 65537) with node:crypto.
 * Node only: in browsers it throws `ERR_INVALID_INPUT`; use {@link generateKeyPairAsync}.
 */
export function generateKeyPair(bits?: 2048 | 3072 | 4096): KeyPair;

/** Generates an RSA key pair without blocking: node:crypto in Node, WebCrypto in browsers. */
export function generateKeyPairAsync(bits?: 2048 | 3072 | 4096): Promise<KeyPair>;

/**
 * What key text is taken as wherever a key may be a secret or an RSA key: `'rsa'` for PEM
 * (`-----BEGIN ...`) or JWK JSON text, `'secret'` for any other text (its UTF-8 bytes).
 */
export function keyKind(text: string): 'rsa' | 'secret';

export interface PublicKeyExport {
  publicKey: string;
  publicKeyPkcs1: string;
  jwk: JsonWebKey;
  bits: number;
  /** What the key was read as, for example "a PKCS#1 private key (BEGIN RSA PRIVATE KEY)". */
  format: string;
  /** True when the input was a private key. */
  private: boolean;
}

/** The public half of an RSA key in every form. */
export function exportPublicKey(key: RsaKeyInput): PublicKeyExport;

/** Every error code the WebAssembly core throws. */
export function errorCodes(): ErrorCode[];

/** Loads the WebAssembly module (browsers); a no-op in Node. Idempotent. */
export function init(moduleOrPath?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** Loads the WebAssembly module synchronously from its bytes (browsers); a no-op in Node. */
export function initSync(moduleOrBytes?: BufferSource | WebAssembly.Module): void;

// ---------------------------------------------------------------------------------------------
// OAuth 1.0a (RFC 5849): Jira, Confluence and Bitbucket Data Center Application Links
// ---------------------------------------------------------------------------------------------

export type OAuthSignatureMethod = 'RSA-SHA1' | 'HMAC-SHA1' | 'HMAC-SHA256' | 'RSA-SHA256' | 'PLAINTEXT';

/** Request headers: a fetch `Headers`, a `Map`, or a plain object (node:http's `req.headers`); names in any case. */
export type OAuthHeaderBag =
  | { get(name: string): string | null | undefined }
  | Record<string, string | ReadonlyArray<string> | undefined>;

export interface OAuthRequest {
  /** Default 'GET'; uppercased for signing. */
  method?: string;
  /** The full URL the request is sent to (scheme, host, path, query). */
  url: string;
  /**
   * The body. It is signed only when it is form-encoded: `contentType` (or the Content-Type in
   * `headers`) is `application/x-www-form-urlencoded`, or no content type is given and the body
   * is a form string (not JSON text), an object of strings, or URLSearchParams. JSON and any
   * other body are never signed, and may then be of any type.
   */
  body?: FormParams | URLSearchParams | string | object | null;
  /** The body's media type; `; charset=...` allowed. */
  contentType?: string;
  /** Read for Content-Type (when `contentType` is absent) and, by verifyOAuth, Authorization. */
  headers?: OAuthHeaderBag;
  /**
   * The URL the server sees, when a proxy changes scheme, host or port: the base string is
   * computed from it, the request still goes to `url`.
   */
  signedUrl?: string;
}

export interface OAuthCredentials {
  /** `oauth_consumer_key`: the consumer key of the Application Link. */
  consumerKey: string;
  /**
   * RSA methods: the consumer's private key (PKCS#8 or PKCS#1 PEM, base64 DER, JWK, KeyObject,
   * CryptoKey). Parsed once and cached. A CryptoKey that cannot be exported works with signOAuth
   * only (RSASSA-PKCS1-v1_5 with the method's hash: SHA-1 for RSA-SHA1).
   */
  privateKey?: RsaKeyInput;
  /** HMAC and PLAINTEXT: the consumer secret. */
  consumerSecret?: string;
  /** `oauth_token`: the access token (REST calls) or the request token (access-token step). Omit (or '') for two-legged calls. */
  token?: string;
  /** HMAC and PLAINTEXT: the token secret. */
  tokenSecret?: string;
  /** Default 'RSA-SHA1', the only method Atlassian Data Center accepts. */
  signatureMethod?: OAuthSignatureMethod;
  /** `oauth_callback` (request-token step): 'oob' or an absolute URL. */
  callback?: string;
  /** `oauth_verifier` (access-token step). */
  verifier?: string;
  /** `realm` for the Authorization header (never signed). */
  realm?: string;
  /** A fixed `oauth_nonce` (tests); default 128 random bits from the platform CSPRNG as 32 hex characters. */
  nonce?: string;
  /** A fixed `oauth_timestamp` in seconds (tests); default the clock (or `now`). */
  timestamp?: number | string;
  /** The clock for the default timestamp: seconds since the epoch, or a Date. */
  now?: number | Date;
  /** Send `oauth_version="1.0"` (default true). */
  includeVersion?: boolean;
}

/** The protocol parameters sent, by name, in header order, `oauth_signature` last. */
export type OAuthParams = Record<string, string>;

export interface SignedOAuthRequest {
  /** The Authorization header value: `OAuth oauth_consumer_key="...", ..., oauth_signature="..."` (every value percent-encoded). */
  authorization: string;
  /** The signature base string that was signed. */
  baseString: string;
  /** The signature (base64; PLAINTEXT: the key), not percent-encoded. */
  signature: string;
  params: OAuthParams;
  /** The URL to send the request to (the request's `url`). */
  url: string;
  /** The HTTP method, uppercased. */
  method: string;
  /** Headers to send: Authorization, and Content-Type when a form body was signed. */
  headers: { Authorization: string; 'Content-Type'?: string };
  /** When a form body was signed: the body to send (the string given, or the object encoded with RFC 3986). */
  body?: string;
  /** What the caller should know: an RSA key under 2048 bits (accepted for OAuth 1.0a, but weak). */
  warnings: string[];
}

/** Signs a request. RSA uses WebCrypto (`crypto.subtle`) when the platform has it, pure Rust otherwise; the signature is the same. */
export function signOAuth(request: OAuthRequest, credentials: OAuthCredentials): Promise<SignedOAuthRequest>;
/** Signs a request in pure Rust (constant-time RSA; no WebCrypto needed), on every platform. */
export function signOAuthSync(request: OAuthRequest, credentials: OAuthCredentials): SignedOAuthRequest;
/** Signs a signature base string as it is; returns the signature (base64; PLAINTEXT: the key). */
export function oauthSignature(
  baseString: string,
  credentials: Pick<OAuthCredentials, 'signatureMethod' | 'privateKey' | 'consumerSecret' | 'tokenSecret'>,
): string;

/**
 * The signature base string of a request with the given protocol parameters: an object, an
 * array of [name, value] pairs, or an `OAuth ...` header (`realm` and `oauth_signature` are left out).
 */
export function oauthBaseString(
  request: OAuthRequest,
  oauthParams: Record<string, string> | ReadonlyArray<readonly [string, string]> | string,
): string;

/** Parses an `OAuth ...` Authorization or WWW-Authenticate header: decoded values by name, `realm` included. */
export function parseOAuthHeader(header: string): Record<string, string>;

export type OAuthProblem =
  | 'signature_invalid'
  | 'timestamp_refused'
  | 'nonce_used'
  | 'parameter_absent'
  | 'parameter_rejected'
  | 'signature_method_rejected'
  | 'version_rejected';

export interface VerifyOAuthRequest extends OAuthRequest {
  /** The Authorization header value; default: `headers.authorization`. Protocol parameters may also come in the query or form body. */
  authorization?: string;
}

export interface VerifyOAuthOptions {
  /** The consumer's public key (SPKI or PKCS#1 PEM, certificate, JWK) for RSA-SHA1 / RSA-SHA256. */
  publicKey?: RsaKeyInput;
  /** The consumer secret for HMAC-SHA1 / HMAC-SHA256 (and PLAINTEXT when listed). */
  consumerSecret?: string;
  /** The token secret of the request's oauth_token (HMAC, PLAINTEXT). */
  tokenSecret?: string;
  /** The time to check against: seconds since the epoch or a Date (default: now). */
  now?: number | Date;
  /** How far oauth_timestamp may be from now, either way (default 300). */
  windowSeconds?: number;
  /**
   * The replay check, asked only once the signature matched: return true when this nonce was
   * seen before with this timestamp and consumer (and record it). Must answer synchronously;
   * an exception it throws is thrown by verifyOAuth.
   */
  nonceSeen?: (nonce: string, timestamp: string, consumerKey: string) => boolean;
  /** The methods accepted. Default: the RSA methods with publicKey, the HMAC methods with consumerSecret; PLAINTEXT only when listed. */
  signatureMethods?: OAuthSignatureMethod | ReadonlyArray<OAuthSignatureMethod>;
  /** The realm for `wwwAuthenticate`. */
  realm?: string;
}

export interface VerifyOAuthOk {
  ok: true;
  status: 200;
  consumerKey: string;
  token: string | null;
  signatureMethod: OAuthSignatureMethod;
  baseString: string;
  /** Every protocol parameter received (realm left out). */
  params: Record<string, string>;
  /** What the caller should know: an RSA key under 2048 bits (accepted for OAuth 1.0a, but weak). */
  warnings: string[];
}

export interface VerifyOAuthFailure {
  ok: false;
  /** 401 for signature_invalid and nonce_used, 400 otherwise (as net.oauth answers). */
  status: 400 | 401;
  problem: OAuthProblem;
  /** What usually causes this problem and what to change. */
  advice?: string;
  /** The problem report to answer with (form-encoded, as net.oauth sends it). */
  body: string;
  /** The WWW-Authenticate header value to answer with. */
  wwwAuthenticate: string;
  /** signature_invalid: the base string this side computed. */
  baseString?: string;
  /** signature_invalid: the method used; signature_method_rejected: the method received. */
  signatureMethod?: string;
  /** signature_invalid: the signature received. */
  signature?: string;
  /** timestamp_refused: the timestamp received and the acceptable range. */
  timestamp?: number;
  acceptableTimestamps?: [number, number];
  /** nonce_used */
  nonce?: string;
  /** parameter_absent */
  parametersAbsent?: string[];
  /** signature_method_rejected */
  acceptableSignatureMethods?: OAuthSignatureMethod[];
  /** version_rejected */
  version?: string;
  /** parameter_rejected: the parameter and what is wrong with it. */
  parameter?: string;
  reason?: string;
}

export type VerifyOAuthResult = VerifyOAuthOk | VerifyOAuthFailure;

/** Verifies a signed request as net.oauth does (provider side); problems are results, bad options throw. */
export function verifyOAuth(request: VerifyOAuthRequest, options: VerifyOAuthOptions): VerifyOAuthResult;

/** The signed `POST {baseUrl}/plugins/servlet/oauth/request-token` (no token; `callback` defaults to 'oob'). */
export function oauthRequestToken(baseUrl: string, credentials: OAuthCredentials): SignedOAuthRequest;
/** `{baseUrl}/plugins/servlet/oauth/authorize?oauth_token=...`: the page the user approves on. */
export function oauthAuthorizeUrl(baseUrl: string, requestToken: string): string;
/** The signed `POST {baseUrl}/plugins/servlet/oauth/access-token`: `token` is the request token, `verifier` is required. */
export function oauthAccessToken(
  baseUrl: string,
  credentials: OAuthCredentials & { token: string; verifier: string },
): SignedOAuthRequest;

export interface OAuthTokenResponse {
  token: string;
  tokenSecret: string;
  callbackConfirmed?: boolean;
  /** Seconds (access-token step). */
  expiresIn?: number;
  sessionHandle?: string;
  authorizationExpiresIn?: number;
  /** Every other parameter. */
  params: Record<string, string>;
}

/** Reads a token response body (form-encoded, also when served as text/plain); an oauth_problem body throws ERR_OAUTH_RESPONSE. */
export function parseOAuthTokenResponse(body: string): OAuthTokenResponse;

export interface OAuthProblemReport {
  /** `oauth_problem`, such as 'signature_invalid' or 'timestamp_refused' (providers may send others). */
  problem: OAuthProblem | (string & {});
  /** What usually causes it on Atlassian Data Center and what to change. */
  advice: string;
  /** Every parameter, decoded (`realm` included when it came from a header). */
  params: Record<string, string>;
  /** `oauth_signature_base_string`: the server's base string, decoded once, ready to compare with yours. */
  baseString?: string;
  /** `oauth_acceptable_timestamps` as [min, max] seconds. */
  acceptableTimestamps?: [number, number];
}

/** Reads a provider's refusal: the response body, or its WWW-Authenticate header (with or without the name). */
export function parseOAuthProblem(bodyOrHeader: string): OAuthProblemReport;

// ---------------------------------------------------------------------------------------------
// Low-level JWS (for callers that must reproduce another library's token bytes)
// ---------------------------------------------------------------------------------------------

/** Signs `base64url(header).base64url(payload)` (text as UTF-8, or bytes) as it is; returns the base64url signature. */
export function jwsSign(signingInput: string | Uint8Array, key: Key, algorithm: JwtAlgorithm): string;
/** Checks a signature (bytes or base64url) over a signing input (text as UTF-8, or bytes); HMAC compared in constant time. */
export function jwsVerify(signingInput: string | Uint8Array, signature: Uint8Array | string, key: Key, algorithm: JwtAlgorithm): boolean;
/** The qsh of a canonical request string. */
export function hashCanonicalRequest(canonicalRequest: string): string;
