// atlassian-sign/atlassian-jwt for browsers and bundlers, over the web entry.
import * as api from './web.js';
import { factory } from '../src/atlassian-jwt/index.js';

const m = factory(api);
export const {
  AsymmetricAlgorithm, SymmetricAlgorithm, fromExpressRequest, fromMethodAndUrl, fromMethodAndPathAndBody, version,
  decodeAsymmetric, getKeyId, getAlgorithm, decodeSymmetric, encodeSymmetric, encodeAsymmetric,
  createCanonicalRequest, createQueryStringHash,
} = m;
export default m;
