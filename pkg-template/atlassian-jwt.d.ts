// Types of atlassian-sign/atlassian-jwt: the declarations of npm atlassian-jwt@2.0.3
// (dist/lib/jwt.d.ts), so code typed against atlassian-jwt type-checks unchanged. The one
// change: atlassian-jwt imports `Request` from 'express' for fromExpressRequest; this package
// does not depend on Express, so that parameter is the structural subset it reads (an
// Express `Request` is assignable to it).

export declare enum AsymmetricAlgorithm {
    RS256 = "RS256"
}
export declare enum SymmetricAlgorithm {
    HS256 = "HS256",
    HS384 = "HS384",
    HS512 = "HS512"
}
type Algorithm = AsymmetricAlgorithm | SymmetricAlgorithm;
type JwtHeader = {
    kid: string;
};
/** The parts of an Express (or Express-like) request that fromExpressRequest reads. */
interface ExpressRequest {
    method: string;
    /** The full request target (Express `req.originalUrl`); its pathname is hashed. */
    originalUrl?: string;
    /** Used when there is no originalUrl (mock requests). */
    path?: string;
    /** Express `req.query`. */
    query?: any;
    /** Express `req.body`. */
    body?: any;
}
export declare function fromExpressRequest(eReq: ExpressRequest): Request;
export declare function fromMethodAndUrl(method: string, rawUrl: string): Request;
export declare function fromMethodAndPathAndBody(method: 'put' | 'post' | 'delete', rawUrl: string, body: Params): Request;
export type Params = {
    [param: string]: any;
};
/**
 * Fields from an incoming HTTP Request object that are used to generate a signed JWT.
 */
export type Request = {
    /**
     * The HTTP method of this request. GET, PUT, POST, DELETE etc
     */
    method: string;
    /**
     * The pathname of this request, should give the same result as calling
     * {@link https://nodejs.org/api/url.html#url_url_pathname uri.pathname}.
     */
    pathname?: string;
    /**
     * The query parameters on this request. Should match the same structure as
     * the {@link https://expressjs.com/en/api.html#req.query req.query} from Express.js.
     */
    query?: Params;
    /**
     * The body parameters on this request. Should match the same structure as
     * the {@link https://expressjs.com/en/api.html#req.body req.body} from Express.js.
     */
    body?: Params;
};
export declare const version = "2.0.3";
/**
 * Decodes JWT string to object.
 * The encoding algorithm must be RS256.
 *
 * @param token JWT to decode
 * @param key Key used to decode
 * @param signedAlgorithm should match the header.alg
 * @param noVerify optional, set to true to skip the result verification
 *
 * @return Decoded JWT object
 *
 * @api public
 */
export declare const decodeAsymmetric: (token: string, key: string, signedAlgorithm: Algorithm, noVerify?: boolean) => any;
export declare function getKeyId(token: string): any;
export declare function getAlgorithm(token: string): any;
/**
 * Decodes JWT string to object.
 * The encoding algorithm must be symmetric (HS256, HS384, or HS512).
 *
 * @param token JWT to decode
 * @param key Key used to decode
 * @param signedAlgorithm should match the header.alg
 * @param noVerify optional, set to true to skip the result verification
 *
 * @return Decoded JWT object
 *
 * @api public
 */
export declare const decodeSymmetric: (token: string, key: string, signedAlgorithm: Algorithm, noVerify?: boolean) => any;
/**
 * Encodes JWT object to string.
 * The encoding algorithm must be symmetric (HS256, HS384, or HS512).
 *
 * @param payload Payload object to encode
 * @param key Key used to encode
 * @param algorithm Optional, must be HS256, HS384, or HS512; default is HS256
 *
 * @return Encoded JWT string
 *
 * @api public
 */
export declare const encodeSymmetric: (payload: object, key: string, algorithm?: SymmetricAlgorithm) => string;
/**
 * Encodes JWT object to string.
 * The encoding algorithm must be RS256
 *
 * @param payload  Payload object to encode
 * @param key Key used to encode
 * @param algorithm supports only RS256
 * @returns
 */
export declare const encodeAsymmetric: (payload: object, key: string, algorithm: AsymmetricAlgorithm, header?: JwtHeader) => string;
export declare function createCanonicalRequest(req: Request, checkBodyForParams?: boolean, baseUrl?: string): string;
export declare function createQueryStringHash(req: Request, checkBodyForParams?: boolean, baseUrl?: string): string;
export {};
