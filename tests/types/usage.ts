// Compiled with `tsc --noEmit -p tests/types`: every export and option used with its type.
import {
  connectToken, createCanonicalRequest, createQsh, decodeJwt, encodeJwt, errorCodes, exportPublicKey,
  generateKeyPair, generateKeyPairAsync, init, initSync, keyKind, verifyJwt,
} from 'atlassian-sign';
import type {
  AtlassianSignError, ConnectToken, ConnectTokenInput, DecodedJwt, EncodeJwtOptions, ErrorCode, FormParams,
  JsonWebKey, JwtAlgorithm, JwtClaims, Key, KeyPair, Product, PublicKeyExport, QshOptions, VerifyJwtOptions,
} from 'atlassian-sign';

async function main(): Promise<void> {
  await init();
  initSync();
  const body: FormParams = { a: ['1', 2, true], b: 'x' };
  const opts: QshOptions = { baseUrl: 'https://x.atlassian.net/wiki', body, pathForm: 'decoded' };
  const canonical: string = createCanonicalRequest('GET', '/wiki/rest/api/space', opts);
  const qsh: string = createQsh('POST', '/rest/x', { body: 'a=1' });
  const product: Product = 'zephyr';
  const input: ConnectTokenInput = { product, url: '/public/rest/api/1.0/cycles', accessKey: 'a', accountId: 'b', secret: 'c', expiresIn: 60, now: new Date() };
  const t: ConnectToken = connectToken(input);
  const headers: Record<string, string> = t.headers;
  const alg: JwtAlgorithm = 'HS384';
  const encOpts: EncodeJwtOptions = { algorithm: alg, kid: 'k', header: { cty: 'x' } };
  const claims: JwtClaims = { iss: 'a', aud: ['b'], n: 1, nested: { ok: true, none: null } };
  const token: string = encodeJwt(claims, 'secret', encOpts);
  const decoded: DecodedJwt = decodeJwt(token);
  const sig: string = decoded.signature;
  const v: VerifyJwtOptions = {
    algorithms: ['HS256', 'RS256'], issuer: ['a'], audience: 'b', subject: 's', leeway: 3, now: 1700000000,
    requiredClaims: ['exp'], qsh: { method: 'GET', url: '/x', baseUrl: 'https://x', allowContextQsh: true },
  };
  const payload: JwtClaims = verifyJwt(token, new Uint8Array([1, 2]), v);
  verifyJwt(token, 'secret', { algorithms: 'HS256', qsh: 'context-qsh' });
  const kp: KeyPair = generateKeyPair(2048);
  const kp2: KeyPair = await generateKeyPairAsync(3072);
  const kind: 'rsa' | 'secret' = keyKind(kp2.privateKey);
  const jwk: JsonWebKey = kp.jwk;
  const key: Key = jwk;
  const exported: PublicKeyExport = exportPublicKey(kp.privateKey);
  const bits: number = exported.bits;
  const codes: ErrorCode[] = errorCodes();
  try {
    verifyJwt(token, key, v);
  } catch (e) {
    const err = e as AtlassianSignError;
    const code: ErrorCode = err.code;
    const expected: string | undefined = err.expected;
    void code; void expected;
  }
  void canonical; void qsh; void headers; void sig; void payload; void bits; void codes;
}
void main;

// @ts-expect-error algorithms is required
verifyJwt('t', 's', {});
// @ts-expect-error unknown product
connectToken({ product: 'trello', url: '/x', secret: 's' });
// @ts-expect-error pathForm is 'wire' | 'decoded'
createQsh('GET', '/x', { pathForm: 'raw' });

// OAuth, incoming verification, explain, trusted apps.
import {
  explain, oauthAccessToken, oauthAuthorizeUrl, oauthBaseString, oauthRequestToken, parseOAuthTokenResponse,
  signAsap, signOAuth, signOAuthSync, signTrustedApps, verifyAsap, verifyConnectRequest, verifyForgeInvocationToken,
  verifyOAuth, verifyTrustedApps, installKeyUrl, parseAppTrustCertificate,
} from 'atlassian-sign';
import type {
  Explanation, ExplainCause, OAuthCredentials, OAuthRequest, SignedOAuthRequest, VerifiedConnectRequest,
  VerifyOAuthResult, ForgeInvocation,
} from 'atlassian-sign';

async function more(): Promise<void> {
  const req: OAuthRequest = { method: 'POST', url: 'https://jira.example.com/rest/x', body: { a: '1' }, contentType: 'application/x-www-form-urlencoded', signedUrl: 'http://jira:8080/rest/x' };
  const cred: OAuthCredentials = { consumerKey: 'ck', privateKey: '-----BEGIN PRIVATE KEY-----', token: 't', signatureMethod: 'RSA-SHA1', nonce: 'n', timestamp: 1 };
  const s1: SignedOAuthRequest = await signOAuth(req, cred);
  const s2: SignedOAuthRequest = signOAuthSync(req, { consumerKey: 'ck', consumerSecret: 's', signatureMethod: 'HMAC-SHA1' });
  const bs: string = oauthBaseString(req, { oauth_consumer_key: 'ck' });
  const v: VerifyOAuthResult = verifyOAuth({ ...req, authorization: s1.authorization }, { publicKey: 'pem', nonceSeen: () => false });
  if (!v.ok) { const p: string = v.problem; void p; }
  oauthRequestToken('https://jira.example.com', cred);
  const u: string = oauthAuthorizeUrl('https://jira.example.com', 'req');
  oauthAccessToken('https://jira.example.com', { ...cred, token: 'req', verifier: 'v' });
  const tr = parseOAuthTokenResponse('oauth_token=a&oauth_token_secret=b');
  const verified: VerifiedConnectRequest = await verifyConnectRequest(
    { method: 'POST', url: '/installed', headers: { authorization: 'JWT x' }, body: '{}' },
    { baseUrl: 'https://app.example.com', lifecycle: true, installKey: async (kid) => installKeyUrl(kid) },
  );
  const fit: ForgeInvocation = verifyForgeInvocationToken('t', { jwks: { keys: [] }, appId: 'id' });
  const asap: string = signAsap({ issuer: 'i', audience: ['a'], privateKey: 'data:application/pkcs8;kid=i%2Fk;base64,AA', algorithm: 'PS256' });
  await verifyAsap(asap, (kid) => Promise.resolve(kid), { audience: 'a' });
  const e: Explanation = explain({ message: "Expecting claim 'qsh' ...", url: '/x', baseUrl: 'https://x' });
  const cause: ExplainCause = e.cause;
  const whole: Explanation = explain({
    request: { method: 'GET', url: 'https://x.atlassian.net/rest/api/2/myself', headers: { Authorization: 'JWT x' } },
    response: { status: 401, headers: new Headers({ date: 'Mon, 12 Jan 2026 09:00:00 GMT' }), body: 'Unauthorized' },
    baseUrl: 'https://x.atlassian.net',
    credentials: { sharedSecret: 's', appKey: 'k' },
    now: new Date(),
  });
  void whole;
  const h = signTrustedApps({ version: 2, appId: 'a', privateKey: 'pem', username: 'u', url: 'https://x' });
  const ta = verifyTrustedApps({ headers: h.headers, url: 'https://x', certificate: 'a\nAAAA', allowV2: true });
  const taWarnings: string[] = [...h.warnings, ...ta.warnings];
  void taWarnings;
  parseAppTrustCertificate('a\nAAAA').publicKey.trim();
  void s2; void bs; void u; void tr; void verified; void fit; void cause;
}
void more;
