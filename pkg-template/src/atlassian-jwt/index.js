// atlassian-sign/atlassian-jwt: a drop-in for npm `atlassian-jwt@2.0.3` (same exports, same
// signatures, same outputs, same throws), in Node and in browsers (no Node builtins).
//
// The canonical request is computed by this package's core (createCanonicalRequest), so where
// atlassian-jwt disagrees with what Atlassian's servers hash, the server wins; the README's
// "Where peers differ" table lists those cases. Everything else (the request objects, the
// token bytes, the lenient decoding, the error messages) reproduces atlassian-jwt and the
// Node built-ins it calls (url.parse, querystring, Buffer, crypto), so a program written
// against atlassian-jwt runs unchanged.
//
// The modules, at the seams of what atlassian-jwt calls:
//   errors.js     the TypeErrors as Node words them
//   base64.js     UTF-8 and base64/base64url as Buffer reads and writes them
//   url.js        Node's legacy url.parse() and querystring.parse()
//   lodash.js     isEmpty and keysIn
//   jwt.js        encode/decode over api.jwsSign / api.jwsVerify
//   canonical.js  the request objects, createCanonicalRequest and createQueryStringHash
//
// Build rule: `api` is only called inside the functions factory(api) returns (in the browser
// the WebAssembly module loads later, via init()).
import { AsymmetricAlgorithm, SymmetricAlgorithm, getAlgorithm, getKeyId, jwtApi } from './jwt.js';
import { canonicalApi, fromExpressRequest, fromMethodAndPathAndBody, fromMethodAndUrl } from './canonical.js';

const version = '2.0.3';

/** atlassian-jwt's export object over the package API (index.cjs, or web.js in browsers). */
export function factory(api) {
  const jwt = jwtApi(api);
  const canonical = canonicalApi(api);
  return {
    AsymmetricAlgorithm: AsymmetricAlgorithm,
    SymmetricAlgorithm: SymmetricAlgorithm,
    fromExpressRequest: fromExpressRequest,
    fromMethodAndUrl: fromMethodAndUrl,
    fromMethodAndPathAndBody: fromMethodAndPathAndBody,
    version: version,
    decodeAsymmetric: jwt.decodeAsymmetric,
    getKeyId: getKeyId,
    getAlgorithm: getAlgorithm,
    decodeSymmetric: jwt.decodeSymmetric,
    encodeSymmetric: jwt.encodeSymmetric,
    encodeAsymmetric: jwt.encodeAsymmetric,
    createCanonicalRequest: canonical.createCanonicalRequest,
    createQueryStringHash: canonical.createQueryStringHash,
  };
}
