// Types of explain() and the trusted-applications functions (re-exported by index.d.ts).
import type { FormParams, RsaKeyInput } from './index.js';
import type { HeaderBag } from './incoming.js';

export interface ExplainInput {
  /**
   * What the server answered: `Expecting claim 'qsh' to have value '...' but instead it has the
   * value '...'`, an `oauth_problem=...` body or `WWW-Authenticate: OAuth ...` header, or an
   * `X-Seraph-Trusted-App-Error` header value.
   */
  message: string;
  /** Force the scheme instead of detecting it from the message. */
  scheme?: 'qsh' | 'oauth' | 'trusted-apps';
  /** The request sent (qsh; OAuth when no baseString is given). Default 'GET'. */
  method?: string;
  url?: string;
  /** qsh: the product's base URL. */
  baseUrl?: string;
  /** Form body sent. */
  body?: FormParams;
  /** qsh: the token sent (its qsh claim is the client's hash). */
  token?: string;
  /** OAuth: the Authorization header sent. */
  authorization?: string;
  /** OAuth: the signature base string the client signed. */
  baseString?: string;
  /** Trusted apps: the URL the client signed (default: url). */
  signedUrl?: string;
}

export type ExplainCause =
  | 'BASE_PATH_NOT_STRIPPED' | 'CONTEXT_PATH_STRIPPED' | 'PATH_DECODED' | 'PATH_CUT' | 'TRAILING_SLASH'
  | 'PATH_AMPERSAND' | 'PATH_REENCODED' | 'QUERY_NOT_HASHED' | 'BODY_HASHED' | 'BODY_NOT_HASHED' | 'PLUS_NOT_SPACE'
  | 'DOUBLE_ENCODED' | 'NOT_ENCODED' | 'PARAMETER_ORDER' | 'REPEATED_NOT_MERGED' | 'REPEATED_UNSORTED'
  | 'JWT_PARAM_HASHED' | 'WRONG_METHOD' | 'TOKEN_FOR_ANOTHER_REQUEST' | 'QSH_MATCHES'
  | 'METHOD_CHANGED' | 'PROXY_SCHEME' | 'PROXY_HOST' | 'PROXY_PORT' | 'DEFAULT_PORT' | 'CONTEXT_PATH' | 'PATH_ENCODING'
  | 'PATH_DIFFERS' | 'DIFFERENT_ATTEMPT' | 'PLUS_FOR_SPACE' | 'SUBDELIMS_NOT_ENCODED' | 'ENCODING_DIFFERS'
  | 'PARAM_VALUE_DIFFERS' | 'PARAM_RENAMED' | 'OAUTH_PARAM_MISSING' | 'PARAM_NOT_RECEIVED' | 'PARAM_NOT_SIGNED'
  | 'KEY_MISMATCH' | 'CLOCK_SKEW' | 'SIGNATURE_METHOD_REJECTED' | 'NONCE_USED' | 'CONSUMER_KEY_UNKNOWN'
  | 'TOKEN_INVALID' | 'PARAMETER_ABSENT' | 'PARAMETER_REJECTED' | 'VERSION_REJECTED' | 'PERMISSION_DENIED'
  | 'OTHER_PROBLEM' | 'HOST_HEADER_PORT' | 'QUERY_DIFFERS' | 'VERSION_OR_KEY' | 'VERSION_MISMATCH' | 'APP_UNKNOWN'
  | 'IP_RESTRICTED' | 'URL_RESTRICTED' | 'USER_UNKNOWN' | 'BAD_HEADERS' | 'URL_DIFFERS' | 'SIGNATURE_PLUS_SPACE'
  | 'JWT_AUTH_SCHEME_BEARER' | 'JWT_AUTH_SCHEME_TOKEN_EQ' | 'JWT_QUERY_PARAM_IGNORED' | 'JWT_WRONG_SECRET'
  | 'JWT_ISS_CLIENTKEY' | 'JWT_ISS_WRONG' | 'JWT_SUB_WRONG' | 'JWT_EXPIRED' | 'JWT_CLOCK_SKEW' | 'JWT_IAT_MILLISECONDS'
  | 'TOKEN_MALFORMED' | 'TOKEN_MISSING' | 'FORGE_TOKEN_MISSING' | 'INSTALL_NOT_SIGNED' | 'CONTEXT_QSH_REFUSED'
  | 'URL_QSH_REFUSED' | 'UNKNOWN';

/** A request as sent: the full URL with its query, every header, the body text. */
export interface SentRequest {
  method?: string;
  url: string;
  headers?: HeaderBag;
  body?: string | Uint8Array | Record<string, unknown>;
}

/** A response as received; the body may also be the log line of the app that refused it. */
export interface ReceivedResponse {
  status?: number;
  headers?: HeaderBag;
  body?: string | Uint8Array | Record<string, unknown>;
}

/** The whole exchange. Credentials are used in memory to test hypotheses and never echoed. */
export interface ExplainExchange {
  request?: SentRequest;
  response?: ReceivedResponse;
  /** The product's base URL (app -> product) or the app's (product -> app). */
  baseUrl?: string;
  credentials?: {
    sharedSecret?: string; appKey?: string; clientKey?: string; accessKey?: string; accountId?: string;
    consumerKey?: string; privateKey?: RsaKeyInput; publicKey?: RsaKeyInput;
    consumerSecret?: string; token?: string; tokenSecret?: string;
    /** Trusted applications: the caller's application id and the user it acts as. */
    applicationId?: string; username?: string;
  };
  /** The refusing side's clock (seconds or a Date); by default the response's Date header. */
  now?: number | Date;
  /** What the client computed, if the person has it. */
  canonicalRequest?: string;
  baseString?: string;
  signedUrl?: string;
}

export interface Explanation {
  scheme: 'qsh' | 'connect' | 'oauth' | 'trusted-apps';
  /** The main cause. */
  cause: ExplainCause;
  /** Every cause found (several when more than one mistake was made). */
  causes: ExplainCause[];
  /** What happened, in one sentence. */
  summary: string;
  /** What to change, in one sentence. */
  fix: string;
  /** What the client signed (canonical request, base string or URL), when known. */
  client: string | null;
  /** What the server computed, when known. */
  server: string | null;
  /** The parts that differ. */
  diff: Array<{ part: string; client: string; server: string }>;
  /** The hypotheses tested (qsh variants, base-string variants, checks): useful when the cause is UNKNOWN. */
  tried: string[];
  /**
   * True when a computation confirmed the cause: the received signature verifies with the
   * credentials given over the variant named (OAuth, trusted apps), or a qsh variant hashes to
   * the hash in the token or the server's message. False for causes read from a message or
   * inferred.
   */
  verified: boolean;
}

/**
 * Why a server refused a request, and what to change: from the whole exchange (request,
 * response, the credentials at hand), or from the flat form (the server's message and the
 * request).
 */
export function explain(input: ExplainExchange | ExplainInput): Explanation;

/**
 * A pasted exchange as explain's input: `curl -v` output, a `curl ...` command followed by the
 * response, raw HTTP request and response text, or a HAR file. `entry` (an index) or `url` (text
 * the URL contains) picks one of several; by default the last one answered 401 or 403.
 */
export function parseExchange(
  text: string,
  options?: { entry?: number; url?: string },
): { request: (SentRequest & { headers: Record<string, string>; body: string | null; method: string }) | null; response: (ReceivedResponse & { headers: Record<string, string>; status: number | null; body: string | null }) | null };

export interface SignTrustedAppsOptions {
  /** 3 (default) or 2. */
  version?: 2 | 3;
  /** The caller's trusted application id. */
  appId: string;
  /** The caller's RSA private key (PEM, JWK, KeyObject or extractable CryptoKey). */
  privateKey: RsaKeyInput;
  /** The user to act as. */
  username: string;
  /** The full URL with its query, as the server rebuilds it. */
  url: string;
  /** Milliseconds since the epoch (default: now). */
  timestamp?: number;
}

export interface TrustedAppsHeaders {
  headers: Record<string, string>;
  timestamp: number;
  /** What the caller should know (an RSA key under 2048 bits). */
  warnings: string[];
}

/** The X-Seraph-Trusted-App-* headers for a request. */
export function signTrustedApps(options: SignTrustedAppsOptions): TrustedAppsHeaders;

export interface VerifyTrustedAppsOptions {
  headers: HeaderBag;
  /** The URL the server rebuilt (scheme, host, port, path and query). */
  url: string;
  /** The caller's public key (PEM, JWK, KeyObject or extractable CryptoKey), or... */
  publicKey?: RsaKeyInput;
  /** ...the text of the caller's <base>/admin/appTrustCertificate. */
  certificate?: string;
  /** Milliseconds since the epoch (default: now). */
  now?: number;
  /** How old a certificate may be, in ms (default 600000). */
  windowMs?: number;
  /** Accept protocol version 2 (and requests without a version header), refused by default:
   * v2's signature does not cover the username. */
  allowV2?: boolean;
}

/** Verifies trusted-apps headers; throws ERR_TRUSTED_APPS_REJECTED with `seraphCode` (BAD_SIGNATURE, OLD_CERT, BAD_MAGIC, ...). */
export function verifyTrustedApps(options: VerifyTrustedAppsOptions): { appId: string; username: string; timestamp: number; version: 2 | 3; warnings: string[] };

/** Parses <base>/admin/appTrustCertificate. */
export function parseAppTrustCertificate(text: string): { appId: string; publicKey: string; version: string | null; magic: string | null };
