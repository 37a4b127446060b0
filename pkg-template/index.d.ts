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
  | 'ERR_NOT_INITIALIZED';

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
 * A key: an HMAC secret (a string, used as its UTF-8 bytes, or bytes), an RSA key as PEM
 * (PKCS#8, PKCS#1, SPKI, certificate) or base64 DER text, or a JWK. RSA keys are parsed once
 * and cached by their text.
 */
export type Key = string | Uint8Array | JsonWebKey;

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

/** Signs a JWT. */
export function encodeJwt(claims: JwtClaims, key: Key, options?: EncodeJwtOptions): string;

export interface DecodedJwt {
  header: JwtClaims;
  payload: JwtClaims;
  /** The signature, base64url. */
  signature: string;
}

/** Decodes a JWT (`JWT ` and `Bearer ` prefixes allowed) without verifying it. */
export function decodeJwt(token: string): DecodedJwt;

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

/** Verifies a JWT's signature and claims; returns its payload. */
export function verifyJwt(token: string, key: Key, options: VerifyJwtOptions): JwtClaims;

export type Product = 'jira' | 'confluence' | 'bitbucket' | 'zephyr';

export interface ConnectTokenInput {
  /** Default 'jira'. */
  product?: Product;
  /** Default 'GET'. */
  method?: string;
  /** Absolute URL, or a path relative to baseUrl. */
  url: string;
  /** The product's base URL (`https://your.atlassian.net`, `.../wiki` for Confluence). Zephyr defaults to its API URL. */
  baseUrl?: string;
  /** The app key from the descriptor: `iss` for Jira, Confluence and Bitbucket. */
  appKey?: string;
  /** Zephyr's access key: `iss` for Zephyr. */
  accessKey?: string;
  /** The shared secret from the installed callback, or the Zephyr secret key. */
  secret: string;
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

/** Generates an RSA key pair (2048, 3072 or 4096 bits; default 2048). */
export function generateKeyPair(bits?: 2048 | 3072 | 4096): KeyPair;

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
export function exportPublicKey(key: string | JsonWebKey): PublicKeyExport;

/** Every error code the WebAssembly core throws. */
export function errorCodes(): ErrorCode[];

/** Loads the WebAssembly module (browsers); a no-op in Node. Idempotent. */
export function init(moduleOrPath?: string | URL | Request | Response | BufferSource | WebAssembly.Module): Promise<void>;
/** Loads the WebAssembly module synchronously from its bytes (browsers); a no-op in Node. */
export function initSync(moduleOrBytes?: BufferSource | WebAssembly.Module): void;
