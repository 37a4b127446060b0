// Types of atlassian-sign/middleware (Node only): the Connect request middleware for
// Express-style apps and plain node:http servers, and the install key resolver.
import type { ErrorCode } from './index.js';
import type { HeaderBag, Resolver, VerifiedConnectRequest } from './incoming.js';

/** The codes of the errors the middleware answers with (or hands to `onError`). */
export type MiddlewareErrorCode = ErrorCode | 'ERR_BODY_TOO_LARGE' | 'ERR_BODY_READ' | 'ERR_INTERNAL';

/** What `onError` receives. */
export interface ConnectMiddlewareError extends Error {
  /** A package code, or (status 500) whatever your own `sharedSecret`/`installKey` lookup threw. */
  code: MiddlewareErrorCode | (string & {});
  /** The status the middleware answers with by default: 401 (verification failed), 413 (body over the limit), 400 (body unreadable), 500 (anything else). */
  status: 400 | 401 | 413 | 500;
  /** Install key errors: the URL fetched. */
  url?: string;
  /** Install key errors: the HTTP status of the key server. */
  httpStatus?: number;
  /** ERR_QSH_MISMATCH only. */
  expected?: string;
  actual?: string;
  canonicalRequest?: string;
}

/** The part of a fetch Response the resolver reads. */
export interface InstallKeyResponse {
  status: number;
  text(): Promise<string>;
}

/** The part of fetch the resolver calls: `fetch(url, { signal })`. */
export type InstallKeyFetch = (url: string, init: { signal?: AbortSignal }) => Promise<InstallKeyResponse>;

export interface InstallKeyResolverOptions {
  /** Default `globalThis.fetch`. */
  fetch?: InstallKeyFetch;
  /** Keys kept (least recently used dropped first). Default 100; 0 keeps none. */
  maxEntries?: number;
  /** Milliseconds before a fetch is aborted (default 10000; 0: never). */
  timeout?: number;
}

/**
 * `(kid) => Promise<PEM>`: fetches `installKeyUrl(kid)`, checks the status and that the body is a
 * PEM public key, keeps it by kid, and shares one fetch between concurrent calls for a kid.
 * Failures (never kept) reject with code ERR_INVALID_KEY naming the URL and the HTTP status.
 */
export type InstallKeyResolver = (kid: string) => Promise<string>;

export function createInstallKeyResolver(options?: InstallKeyResolverOptions): InstallKeyResolver;

/** What the middleware reads from a request: node:http's IncomingMessage and Express's Request both fit. */
export interface ConnectRequestLike {
  method?: string;
  /** node:http: the path and query; under an Express router: router-local (not used when originalUrl is set). */
  url?: string;
  /** Express: the full path and query as received. */
  originalUrl?: string;
  headers: HeaderBag;
  /** Left by a body parser, or set by the middleware when it reads the body itself (parsed JSON for lifecycle and JSON requests, the raw text otherwise). */
  body?: unknown;
  /** A raw body kept by a body parser's `verify` hook (string or Buffer); preferred over `body` when present. */
  rawBody?: unknown;
  /** Set by the middleware once the request is verified. */
  atlassian?: VerifiedConnectRequest;
}

/** A request after the middleware let it through. */
export type VerifiedRequest<Req extends ConnectRequestLike = ConnectRequestLike> = Req & { atlassian: VerifiedConnectRequest };

/** What the middleware writes on failure: node:http's ServerResponse and Express's Response both fit. */
export interface ConnectResponseLike {
  statusCode: number;
  readonly headersSent: boolean;
  setHeader(name: string, value: string): unknown;
  end(chunk: string): unknown;
}

/** Express's `next`, or your handler: `() => handler(req, res)` (awaited). */
export type ConnectNext = () => unknown;

export interface ConnectMiddlewareOptions<Req extends ConnectRequestLike = ConnectRequestLike, Res extends ConnectResponseLike = ConnectResponseLike> {
  /** The baseUrl of the app descriptor: install callbacks' audience; its path is removed before hashing. */
  baseUrl: string;
  /** The installation's shared secret, or a lookup by clientKey (nothing found: null, undefined or ''). */
  sharedSecret: string | ((clientKey: string, req: Req) => string | null | undefined | Promise<string | null | undefined>);
  /** Atlassian's public key for install callbacks: PEM, or a resolver by kid. Default: `createInstallKeyResolver()`, one per middleware. */
  installKey?: string | Resolver<string>;
  /** Paths (relative to the baseUrl path) verified as RS256 lifecycle callbacks. Default `['/installed', '/uninstalled']`. */
  lifecyclePaths?: ReadonlyArray<string>;
  /** Accept context tokens (`qsh: "context-qsh"`): everywhere, or where the function says. Default false. */
  allowContextQsh?: boolean | ((req: Req) => boolean | Promise<boolean>);
  /** Seconds of clock skew tolerated (default 3). */
  leeway?: number;
  /** Called instead of the default answer (401 JSON `{ code, message }` with `WWW-Authenticate: JWT realm="..."`). */
  onError?: (error: ConnectMiddlewareError, req: Req, res: Res, next: ConnectNext) => unknown;
  /** The realm of the WWW-Authenticate challenge (default: baseUrl). */
  realm?: string;
  /** Largest body read, in bytes (default 1 MiB; more is answered 413). */
  bodyLimit?: number;
}

/**
 * Verifies each incoming Connect request (HS256 with the shared secret; RS256 with Atlassian's
 * install key on the lifecycle paths), sets `req.atlassian` and calls `next()`.
 * Express: `app.use(connectMiddleware(options))`. node:http: `await mw(req, res, () => handler(req, res))`.
 */
export function connectMiddleware<Req extends ConnectRequestLike = ConnectRequestLike, Res extends ConnectResponseLike = ConnectResponseLike>(
  options: ConnectMiddlewareOptions<Req, Res>,
): (req: Req, res: Res, next: ConnectNext) => Promise<void>;

declare const middleware: {
  createInstallKeyResolver: typeof createInstallKeyResolver;
  connectMiddleware: typeof connectMiddleware;
};
export default middleware;
