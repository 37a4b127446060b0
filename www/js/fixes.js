// The advice errorNodes() (dom.js) shows under an error: per library code, and per Seraph code.

/** Per error code: what to change, in the words of this page. Shown under the library's message. */
export const FIXES = {
  ERR_INVALID_URL: 'Use an absolute URL (https://host/path?query), or a path that starts with "/" together with a base URL.',
  ERR_INVALID_METHOD: 'Use an HTTP method such as GET, POST or PUT.',
  ERR_INVALID_KEY: 'Paste the whole key, from -----BEGIN to -----END-----, or a JWK; and check the key type.',
  ERR_UNSUPPORTED_ALGORITHM: 'Use a shared secret for HS256/384/512 and an RSA key for RS256 and the other RSA algorithms.',
  ERR_JWT_MALFORMED: 'Paste the whole token: three base64url parts separated by dots (a JWT or Bearer prefix, or a URL with ?jwt=, is fine).',
  ERR_JWT_ALG_NOT_ALLOWED: 'Use a key of the kind the token was signed with: a shared secret for HS*, an RSA public key for RS* and PS*.',
  ERR_JWT_SIGNATURE_INVALID: 'Use the key that signed the token: for Connect, the sharedSecret of the installation whose clientKey is the iss claim.',
  ERR_JWT_EXPIRED: 'Make a new token (Connect tokens last minutes), or set "Check times at" to a moment within its lifetime.',
  ERR_JWT_NOT_YET_VALID: "Check the signer's clock, allow some leeway, or set \"Check times at\" later.",
  ERR_JWT_CLAIM_MISSING: 'Sign the token with the claim named above.',
  ERR_JWT_CLAIM_INVALID: 'Sign the token with the claim value named above.',
  ERR_QSH_MISSING: 'Sign the token with a qsh claim: the hash of the request it is sent with.',
  ERR_QSH_MISMATCH: 'Sign the exact method, path (without the base URL\'s path) and query you send; "Explain the difference" shows which part differs.',
  ERR_QSH_CONTEXT_NOT_ALLOWED: 'A context token (qsh "context-qsh") cannot call a REST API: sign a token for this request.',
  ERR_SIGNING_FAILED: 'Check the private key: it must be an RSA private key of 2048 bits or more.',
  ERR_OAUTH_RESPONSE: 'Paste the whole answer. An oauth_problem answer is a refusal: take it to "Explain a refusal" below.',
  ERR_NOT_INITIALIZED: 'Reload the page.',
};

/** Per Seraph code of a trusted-apps refusal: what to change. */
export const SERAPH_FIXES = {
  BAD_SIGNATURE: 'The URL signed differs from the URL the server rebuilt (scheme, host, port, path or query), or another key signed: "Explain a refusal" finds which.',
  OLD_CERT: 'The clocks of the two servers differ by more than 10 minutes, or the headers are old: sync the clocks (NTP) and sign again.',
  BAD_MAGIC: 'The key does not match the one the server holds for this application id: recreate the link, or use the right key.',
  BAD_PROTOCOL_VERSION: 'Send version 2 or 3, as the server supports.',
  APP_ID_NOT_FOUND: 'Send the X-Seraph-Trusted-App-ID header, with the id of an application the server trusts.',
  MISSING_CERT: 'Send the X-Seraph-Trusted-App-Cert header.',
  MISSING_SIGNATURE: 'Send the X-Seraph-Trusted-App-Signature header.',
};
