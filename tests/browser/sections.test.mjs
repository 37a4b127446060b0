// Every section of the calculator page in Debian's Chromium: filled with vector inputs, read
// back against the vectors' exact outputs (or the Node build's, computed in the same test).
//   cd /work/main && node --test tests/browser/sections.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_CHROMIUM, assertSameOrigin, openPage, resultValue, servePage, vectors, waitState } from './helpers.mjs';

const qshVectors = vectors('qsh-peer-outputs.json').vectors;
const qshVector = (id) => qshVectors.find((v) => v.id === id) ?? assert.fail(`qsh vector ${id}`);
const signedUrls = vectors('connect-jwt-signed-urls.json');
const oauth = vectors('oauth-cases.json');
const oauthCase = (id) => oauth.cases.find((c) => c.id === id) ?? assert.fail(`oauth case ${id}`);
const trusted = vectors('trusted-apps-v3.json');

let baseUrl;
let browser;
let api;
servePage((s) => ({ baseUrl, browser, api } = s));

const opts = { skip: NO_CHROMIUM, timeout: 30_000 };

// ---------------------------------------------------------------- Connect

test('Connect: qsh vectors, a form body for POST, the decoded path form, a reproducible token', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    // A Confluence URL under /wiki with its base URL: the server-view canonical request and qsh.
    const v = qshVector('ctx-path-with-base');
    await page.selectOption('#connect-product', 'confluence');
    await page.fill('#connect-url', v.url);
    await page.fill('#connect-base', v.baseUrl);
    await page.fill('#connect-key', 'com.example.calculator-test');
    await waitState(page, 'connect-form', 'unsigned');
    assert.equal(await resultValue(page, 'connect-canonical'), v.java_port_server_view.canonical);
    assert.equal(await resultValue(page, 'connect-qsh'), v.java_port_server_view.qsh);

    // Zephyr with its default base URL: /connect is not hashed.
    const z = qshVector('zephyr-connect-base');
    await page.selectOption('#connect-product', 'zephyr');
    await page.fill('#connect-base', '');
    await page.fill('#connect-url', z.url);
    await page.fill('#connect-account-id', '5b10a2844c20165700ede21g');
    await waitState(page, 'connect-form', 'unsigned');
    assert.equal(await resultValue(page, 'connect-qsh'), z.java_port_server_view.qsh);

    // POST with a form body and no query: the body's parameters are hashed (the peer vector's canonical form).
    const b = qshVector('body-form-params');
    assert.equal(await page.isHidden('#connect-body'), true, 'no body field for GET');
    await page.selectOption('#connect-product', 'jira');
    await page.fill('#connect-account-id', '');
    await page.selectOption('#connect-method', 'POST');
    assert.equal(await page.isVisible('#connect-body'), true, 'a body field for POST');
    await page.fill('#connect-url', b.url);
    await page.fill('#connect-base', 'https://example.atlassian.net');
    await page.fill('#connect-body', 'b=2&a=y&a=x');
    await page.fill('#connect-secret', 'a-shared-secret');
    await page.fill('#connect-iat', '1700000000');
    await waitState(page, 'connect-form', 'ok');
    assert.equal(await resultValue(page, 'connect-canonical'), b.node_atlassian_jwt_2_0_3.canonical);
    const want = api.connectToken({ product: 'jira', method: 'POST', url: b.url, baseUrl: 'https://example.atlassian.net', appKey: 'com.example.calculator-test', secret: 'a-shared-secret', body: 'b=2&a=y&a=x', now: 1700000000 });
    assert.equal(await resultValue(page, 'connect-token'), want.token, 'the same token as the Node build, byte for byte');
    assert.equal(await resultValue(page, 'connect-curl'),
      `curl -X POST -H 'Authorization: JWT ${want.token}' -H 'Content-Type: application/x-www-form-urlencoded' --data-raw 'b=2&a=y&a=x' https://example.atlassian.net/rest/x`);

    // Decoded path form (as a product signs its requests to an app): the token's qsh follows it.
    const url = '/rest/api/2/issue/ABC%2D1/x%20y';
    await page.selectOption('#connect-method', 'GET');
    await page.fill('#connect-url', url);
    await page.selectOption('#connect-path-form', 'decoded');
    await waitState(page, 'connect-form', 'ok');
    const decoded = api.createCanonicalRequest('GET', `https://example.atlassian.net${url}`, { pathForm: 'decoded' });
    assert.equal(decoded, 'GET&/rest/api/2/issue/ABC-1/x y&');
    assert.equal(await resultValue(page, 'connect-canonical'), decoded);
    const token = await resultValue(page, 'connect-token');
    const claims = api.verifyJwt(token, 'a-shared-secret', { algorithms: ['HS256'], now: 1700000001,
      qsh: { method: 'GET', url: `https://example.atlassian.net${url}`, pathForm: 'decoded' } });
    assert.deepEqual(claims, { iss: 'com.example.calculator-test', qsh: api.hashCanonicalRequest(decoded), iat: 1700000000, exp: 1700000180 });

    // A bad "Issued at" is an inline error with its code and a fix.
    await page.fill('#connect-iat', 'yesterday-ish');
    await waitState(page, 'connect-form', 'error');
    assert.match(await page.textContent('#connect-error .code'), /^ERR_INVALID_INPUT$/);
    assert.match(await page.textContent('#connect-error'), /Issued at "yesterday-ish"/);

    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

// ---------------------------------------------------------------- JWT

test('JWT: decode, human-readable times, verify a vector token with its secret at a fixed now, check its qsh', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    const t = signedUrls.tests.find((x) => x.name === 'Spaces');
    const token = new URL(t.signedUrl).searchParams.get('jwt');
    const { header, payload } = api.decodeJwt(token);
    assert.equal(payload.exp, 1392204642);

    // The whole signed URL is pasted: the token is read from ?jwt= and the URL becomes the qsh request.
    await page.fill('#jwt-token', t.signedUrl);
    await page.fill('#jwt-now', '1392204500');
    await waitState(page, 'jwt-form', 'ok');
    assert.equal(await resultValue(page, 'jwt-header'), JSON.stringify(header, null, 2));
    assert.equal(await resultValue(page, 'jwt-claims'), JSON.stringify(payload, null, 2));
    const rows = await page.$$eval('#jwt-times tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, [
      ['iat', '1392204462', '2014-02-12 11:27:42 UTC', 'issued 38 s ago'],
      ['exp', '1392204642', '2014-02-12 11:30:42 UTC', 'expires in 2 min 22 s'],
    ]);
    assert.equal(await page.textContent('#jwt-expiry'), 'Valid until 2014-02-12 11:30:42 UTC, in 2 min 22 s (checked at 2014-02-12 11:28:20 UTC).');
    assert.equal(await page.getAttribute('#jwt-expiry', 'data-kind'), 'ok');
    assert.equal(await page.inputValue('#jwt-qsh-url'), t.signedUrl, 'the pasted URL is the request to check');

    await page.fill('#jwt-key', signedUrls.secret);
    await waitState(page, 'jwt-key-form', 'ok');
    assert.equal(await page.textContent('#jwt-key-info'), 'a shared secret of 18 bytes; accepts HS256, HS384, HS512');
    assert.equal(await page.textContent('#jwt-signature'), 'Valid HS256 signature: this key signed the token.');
    assert.equal(await page.textContent('#jwt-verdict'), 'Verified: signature, times at 2014-02-12 11:28:20 UTC, qsh.');
    assert.equal(await resultValue(page, 'jwt-qsh-canonical'), t.canonicalUrl);
    assert.equal(await resultValue(page, 'jwt-qsh-computed'), payload.qsh);
    assert.equal(await page.textContent('#jwt-qsh-status'), "Matches the token's qsh.");

    // Later than exp: expired, and the verdict carries the code and a fix.
    await page.fill('#jwt-now', '1392204700');
    await waitState(page, 'jwt-key-form', 'bad');
    assert.equal(await page.textContent('#jwt-expiry'), 'Expired at 2014-02-12 11:30:42 UTC, 58 s ago (checked at 2014-02-12 11:31:40 UTC).');
    assert.equal(await page.textContent('#jwt-verdict .code'), 'ERR_JWT_EXPIRED');
    assert.match(await page.textContent('#jwt-verdict .fix'), /Make a new token/);
    // ... unless the leeway covers it.
    await page.fill('#jwt-leeway', '60');
    await waitState(page, 'jwt-key-form', 'ok');
    await page.fill('#jwt-leeway', '0');
    await page.fill('#jwt-now', '1392204500');

    // Another secret: the signature fails.
    await page.fill('#jwt-key', 'not-the-secret');
    await waitState(page, 'jwt-key-form', 'bad');
    assert.equal(await page.getAttribute('#jwt-signature', 'data-kind'), 'bad');
    assert.equal(await page.textContent('#jwt-verdict .code'), 'ERR_JWT_SIGNATURE_INVALID');

    // Another method: the qsh differs, and "Explain the difference" fills the Explain section.
    await page.fill('#jwt-key', signedUrls.secret);
    await page.selectOption('#jwt-qsh-method', 'POST');
    await waitState(page, 'jwt-qsh-form', 'mismatch');
    await waitState(page, 'jwt-key-form', 'bad');
    assert.equal(await page.textContent('#jwt-verdict .code'), 'ERR_QSH_MISMATCH');
    await page.click('#jwt-qsh-explain');
    await waitState(page, 'explain-form', 'ok');
    assert.equal(await page.textContent('#explain-cause'), 'WRONG_METHOD');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'explain-message');

    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('JWT: RS256 verified with a PEM public key and with a JWKS picked by kid', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    const pub = api.exportPublicKey(oauth.test_key.public_spki_pem);
    const other = api.exportPublicKey(api.generateKeyPair().publicKey);
    const token = api.encodeJwt({ iss: 'jira:1234', qsh: 'context-qsh', iat: 1700000000, exp: 1700000300 }, oauth.test_key.private_pkcs8_pem, { kid: 'k2' });
    await page.fill('#jwt-token', `Bearer ${token}`);
    await page.fill('#jwt-now', '2023-11-14T22:15:00Z');
    await page.fill('#jwt-key', oauth.test_key.public_spki_pem);
    await waitState(page, 'jwt-key-form', 'ok');
    assert.equal(await page.textContent('#jwt-key-info'), `${pub.format}, RSA 2048 bits; accepts RS256, RS384, RS512, PS256, PS384, PS512`);
    assert.equal(await page.textContent('#jwt-signature'), 'Valid RS256 signature: this key signed the token.');
    assert.equal(await page.textContent('#jwt-verdict'), 'Verified: signature, times at 2023-11-14 22:15:00 UTC (enter the request below to check the qsh too).');

    const jwks = { keys: [{ ...other.jwk, kid: 'k1' }, { ...pub.jwk, kid: 'k2', alg: 'RS256' }] };
    await page.fill('#jwt-key', JSON.stringify(jwks, null, 2));
    await waitState(page, 'jwt-key-form', 'ok');
    assert.equal(await page.textContent('#jwt-key-info'), 'the key with kid "k2" from a JWKS of 2 (RSA, RS256 only); accepts RS256');
    assert.equal(await page.getAttribute('#jwt-signature', 'data-kind'), 'ok');

    // The kid pointing at the other key: the signature fails; no such kid: an inline error.
    await page.fill('#jwt-key', JSON.stringify({ keys: [{ ...other.jwk, kid: 'k2' }] }));
    await waitState(page, 'jwt-key-form', 'bad');
    assert.equal(await page.textContent('#jwt-verdict .code'), 'ERR_JWT_SIGNATURE_INVALID');
    await page.fill('#jwt-key', JSON.stringify({ keys: [{ ...pub.jwk, kid: 'k9' }] }));
    await waitState(page, 'jwt-key-form', 'error');
    assert.match(await page.textContent('#jwt-key-error'), /^ERR_INVALID_KEY the JWKS has no key with the token's kid "k2" \(its kids: "k9"\)/);

    // A secret for an RS256 token: the key pins HS*, so the token's alg is refused.
    await page.fill('#jwt-key', 's3cret');
    await waitState(page, 'jwt-key-form', 'bad');
    assert.equal(await page.textContent('#jwt-signature .code'), 'ERR_JWT_ALG_NOT_ALLOWED');

    // A context token has no request-bound qsh.
    await page.fill('#jwt-qsh-url', 'https://x.atlassian.net/rest/api/3/myself');
    await waitState(page, 'jwt-qsh-form', 'context');

    // Not a token at all.
    await page.fill('#jwt-token', 'hello');
    await waitState(page, 'jwt-form', 'error');
    assert.match(await page.textContent('#jwt-error'), /^ERR_JWT_MALFORMED /);
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

// ---------------------------------------------------------------- OAuth 1.0a

async function fillOAuth(page, c, signatureMethod) {
  await page.selectOption('#oauth-signature-method', signatureMethod);
  await page.selectOption('#oauth-method', c.request.method);
  await page.fill('#oauth-url', c.request.url);
  if (c.request.body) {
    await page.selectOption('#oauth-content-type', c.request.content_type);
    await page.fill('#oauth-body', c.request.body);
  }
  await page.fill('#oauth-consumer-key', c.credentials.consumer_key);
  await page.fill('#oauth-token', c.credentials.token ?? '');
  await page.fill('#oauth-nonce', c.credentials.nonce);
  await page.fill('#oauth-timestamp', c.credentials.timestamp);
  if (signatureMethod.startsWith('RSA')) {
    await page.fill('#oauth-private-key', oauth.test_key.private_pkcs8_pem);
  } else {
    await page.fill('#oauth-consumer-secret', c.credentials.consumer_secret);
    await page.fill('#oauth-token-secret', c.credentials.token_secret ?? '');
  }
}

test('OAuth: RSA-SHA1 vector with a form body and query -> exact base string (three parts), signature, header, curl', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    const c = oauthCase('T11_form_body_and_query');
    const want = c.by_method['RSA-SHA1'];
    await fillOAuth(page, c, 'RSA-SHA1');
    await waitState(page, 'oauth-form', 'ok');
    assert.equal(await resultValue(page, 'oauth-base-string'), want.signature_base_string);
    assert.equal(await page.textContent('#oauth-base-string'), want.signature_base_string, 'the visible text is the base string');
    const [method, url, params] = want.signature_base_string.split('&');
    assert.deepEqual(await page.$$eval('#oauth-base-string > span', (s) => s.map((x) => [x.className, x.textContent])), [
      ['bs-method', method], ['bs-sep', '&'], ['bs-url', url], ['bs-sep', '&'], ['bs-params', want.signature_base_string.slice(method.length + url.length + 2)],
    ]);
    assert.equal(params, 'a2%3Dr%2520b%26a3%3D2%2520q%26a3%3Da%26b5%3D%253D%25253D%26c%2540%3D%26c2%3D%26oauth_consumer_key%3Djira-toolkit-test%26oauth_nonce%3DfixedNonce0123456789%26oauth_signature_method%3DRSA-SHA1%26oauth_timestamp%3D1700000000%26oauth_token%3Dnnch734d00sl2jdk%26oauth_version%3D1.0');
    // The three parts are visibly different.
    const backgrounds = await page.$$eval('#oauth-base-string > span:not(.bs-sep)', (s) => s.map((x) => getComputedStyle(x).backgroundColor));
    assert.equal(new Set(backgrounds).size, 3, `three backgrounds: ${backgrounds}`);
    assert.equal(await resultValue(page, 'oauth-signature'), want.signature);
    assert.equal(await resultValue(page, 'oauth-authorization'), want.authorization_header);
    assert.equal(await resultValue(page, 'oauth-curl'),
      `curl -X POST -H '${`Authorization: ${want.authorization_header}`}' -H 'Content-Type: application/x-www-form-urlencoded' --data-raw 'c2&a3=2+q' '${c.request.url}'`);
    const rows = await page.$$eval('#oauth-params tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((x) => x.textContent).join('=')));
    assert.equal(rows.join('&'), decodeURIComponent(params));
    assert.equal(await resultValue(page, 'oauth-public-key'), oauth.test_key.public_spki_pem, 'the public key to paste into the Application Link');

    // HMAC-SHA1 on another vector; secrets replace the private key.
    const h = oauthCase('T01_jql_pct20');
    await page.selectOption('#oauth-method', 'GET');
    await fillOAuth(page, h, 'HMAC-SHA1');
    assert.equal(await page.isHidden('#oauth-private-key'), true);
    await waitState(page, 'oauth-form', 'ok');
    assert.equal(await resultValue(page, 'oauth-base-string'), h.by_method['HMAC-SHA1'].signature_base_string);
    assert.equal(await resultValue(page, 'oauth-signature'), h.by_method['HMAC-SHA1'].signature);
    assert.equal(await resultValue(page, 'oauth-authorization'), h.by_method['HMAC-SHA1'].authorization_header);

    // Without the secret: the base string (it does not depend on it), and no signature yet.
    await page.fill('#oauth-consumer-secret', '');
    await waitState(page, 'oauth-form', 'unsigned');
    assert.equal(await resultValue(page, 'oauth-base-string'), h.by_method['HMAC-SHA1'].signature_base_string);
    assert.equal(await resultValue(page, 'oauth-signature'), '');

    // A key that is not a key: an inline error with its code and a fix.
    await page.selectOption('#oauth-signature-method', 'RSA-SHA1');
    await page.fill('#oauth-private-key', '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n');
    await waitState(page, 'oauth-form', 'error');
    assert.equal(await page.textContent('#oauth-error .code'), 'ERR_INVALID_KEY');
    assert.match(await page.textContent('#oauth-error .fix'), /whole key/);
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('OAuth: the three-legged flow step by step (request-token and access-token vectors), and a new key pair', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    const r = oauthCase('T13_request_token_oob');
    const a = oauthCase('T15_access_token');
    await page.fill('#oauth-consumer-key', r.credentials.consumer_key);
    await page.fill('#oauth-private-key', oauth.test_key.private_pkcs8_pem);
    await page.fill('#oauth-nonce', r.credentials.nonce);
    await page.fill('#oauth-timestamp', r.credentials.timestamp);
    await page.fill('#flow-base', 'https://jira.example.com');
    assert.equal(await resultValue(page, 'flow-request-curl'),
      `curl -X POST -H '${`Authorization: ${r.by_method['RSA-SHA1'].authorization_header}`}' ${r.request.url}`);
    assert.equal(await resultValue(page, 'flow-authorize-url'), '');

    await page.fill('#flow-request-response', `oauth_token=${a.credentials.token}&oauth_token_secret=${a.credentials.token_secret}&oauth_callback_confirmed=true`);
    assert.equal(await resultValue(page, 'flow-request-token'), 'reqTok123');
    assert.equal(await resultValue(page, 'flow-authorize-url'), 'https://jira.example.com/plugins/servlet/oauth/authorize?oauth_token=reqTok123');
    await page.fill('#flow-verifier', a.credentials.verifier);
    assert.equal(await resultValue(page, 'flow-access-curl'),
      `curl -X POST -H '${`Authorization: ${a.by_method['RSA-SHA1'].authorization_header}`}' ${a.request.url}`);

    // A refusal pasted as the answer: inline, with its code.
    await page.fill('#flow-access-response', 'oauth_problem=token_rejected');
    assert.equal(await page.textContent('#flow-access-error .code'), 'ERR_OAUTH_RESPONSE');
    await page.fill('#flow-access-response', 'oauth_token=acc355&oauth_token_secret=s3cr3t&oauth_expires_in=157680000');
    assert.equal(await resultValue(page, 'flow-access-token'), 'acc355');
    await page.click('#flow-use-token');
    assert.equal(await page.inputValue('#oauth-token'), 'acc355');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'oauth-token');

    // Key pair: the public key to paste; the private key signs, and the Node build verifies with the public one.
    await page.click('#keygen');
    await page.waitForFunction(() => document.getElementById('keygen-public').dataset.value);
    const publicKey = await resultValue(page, 'keygen-public');
    const privateKey = await resultValue(page, 'keygen-private');
    assert.match(publicKey, /^-----BEGIN PUBLIC KEY-----\n[\s\S]+\n-----END PUBLIC KEY-----\n$/);
    assert.match(privateKey, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.equal(api.exportPublicKey(privateKey).bits, 2048);
    await page.click('#keygen-use');
    await page.fill('#oauth-url', 'https://jira.example.com/rest/api/2/myself');
    await waitState(page, 'oauth-form', 'ok');
    const authorization = await resultValue(page, 'oauth-authorization');
    const ok = api.verifyOAuth({ method: 'GET', url: 'https://jira.example.com/rest/api/2/myself', headers: { authorization } },
      { publicKey, now: 1700000000 });
    assert.equal(ok.ok, true, JSON.stringify(ok));
    assert.equal(ok.token, 'acc355');
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

// ---------------------------------------------------------------- Explain

test('Explain: a made-up qsh failure -> the cause, summary, fix and the marked diff; the examples; bad input', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    // The client left the query out of its hash.
    const site = 'https://acme.atlassian.net';
    const url = `${site}/rest/api/3/search?jql=project%20%3D%20TEST&maxResults=50`;
    const expected = api.createQsh('GET', url, { baseUrl: site });
    const actual = api.hashCanonicalRequest('GET&/rest/api/3/search&');
    const message = `Expecting claim 'qsh' to have value '${expected}' but instead it has the value '${actual}'`;
    const want = api.explain({ message, method: 'GET', url, baseUrl: site });
    assert.equal(want.cause, 'QUERY_NOT_HASHED');

    await page.fill('#explain-message', message);
    await page.fill('#explain-url', url);
    await page.fill('#explain-base', site);
    await waitState(page, 'explain-form', 'ok');
    assert.equal(await page.textContent('#explain-cause'), 'QUERY_NOT_HASHED');
    assert.equal(await page.textContent('#explain-summary'), want.summary);
    assert.equal(await page.textContent('#explain-fix'), want.fix);
    const diff = await page.$$eval('#explain-diff tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => [c.textContent, c.querySelector('mark')?.textContent ?? null])));
    assert.deepEqual(want.diff, [{ part: 'query', client: '', server: 'jql=project%20%3D%20TEST&maxResults=50' }]);
    // The client's side is empty: an empty mark shows where the query is missing.
    assert.deepEqual(diff, [[['query', null], ['', ''], ['jql=project%20%3D%20TEST&maxResults=50', 'jql=project%20%3D%20TEST&maxResults=50']]]);
    assert.equal(await page.getAttribute('#explain-diff tbody td:nth-child(2) mark', 'title'), 'missing here');
    assert.equal(await resultValue(page, 'explain-client'), want.client);
    assert.equal(await resultValue(page, 'explain-server'), want.server);
    assert.equal(await page.textContent('#explain-server mark'), 'jql=project%20%3D%20TEST&maxResults=50', 'the differing part is marked');

    // A two-part failure: /wiki kept in the path; the marks show just the difference.
    const wiki = `${site}/wiki/rest/api/content?limit=5`;
    await page.fill('#explain-message', `Expecting claim 'qsh' to have value '${api.createQsh('GET', wiki, { baseUrl: `${site}/wiki` })}' but instead it has the value '${api.hashCanonicalRequest('GET&/wiki/rest/api/content&limit=5')}'`);
    await page.fill('#explain-url', wiki);
    await page.fill('#explain-base', `${site}/wiki`);
    await waitState(page, 'explain-form', 'ok');
    assert.equal(await page.textContent('#explain-cause'), 'BASE_PATH_NOT_STRIPPED');
    assert.deepEqual(await page.$$eval('#explain-diff tbody tr td:nth-child(2) mark', (m) => m.map((x) => x.textContent)), ['wiki/']);

    // The example buttons: OAuth behind a TLS proxy, trusted apps made to localhost.
    await page.click('[data-example="oauth"]');
    await waitState(page, 'explain-form', 'ok');
    assert.equal(await page.textContent('#explain-cause'), 'PROXY_SCHEME');
    assert.deepEqual(await page.$$eval('#explain-diff tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent)), ['scheme']);
    await page.click('[data-example="trusted"]');
    await waitState(page, 'explain-form', 'ok');
    assert.equal(await page.getAttribute('#explain-result', 'data-scheme'), 'trusted-apps');
    assert.equal(await page.textContent('#explain-cause'), 'PROXY_SCHEME');
    assert.equal(await page.textContent('#explain-causes'), 'also PROXY_HOST');

    // An answer it cannot read: inline, with the code and what to paste.
    await page.fill('#explain-message', 'nothing here');
    await waitState(page, 'explain-form', 'error');
    assert.equal(await page.textContent('#explain-error .code'), 'ERR_INVALID_INPUT');
    assert.match(await page.textContent('#explain-error .fix'), /Paste the answer as the server gave it/);
    assert.equal(await page.isHidden('#explain-result'), true);
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

// ---------------------------------------------------------------- Trusted apps

test('Trusted apps: the v3 vector signature, then verified; a changed URL is BAD_SIGNATURE; v2', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    await page.fill('#ta-app-id', 'confluence:1234');
    await page.fill('#ta-username', trusted.username);
    await page.fill('#ta-url', trusted.url);
    await page.fill('#ta-timestamp', trusted.timestamp);
    await page.fill('#ta-private-key', trusted.private_key_pkcs8_der_base64); // base64 DER, as published
    await waitState(page, 'ta-form', 'ok');
    assert.equal(await resultValue(page, 'ta-signature'), trusted.expected_v3_signature_base64);
    const certificate = Buffer.from(`${trusted.timestamp}\n${trusted.username}\n-1159983122`).toString('base64');
    assert.equal(await resultValue(page, 'ta-headers'), [
      'X-Seraph-Trusted-App-ID: confluence:1234',
      'X-Seraph-Trusted-App-Version: 3',
      `X-Seraph-Trusted-App-Cert: ${certificate}`,
      `X-Seraph-Trusted-App-Signature: ${trusted.expected_v3_signature_base64}`,
    ].join('\n'));

    await page.click('#tav-use-signed');
    await waitState(page, 'tav-form', 'ok');
    assert.equal(await page.textContent('#tav-result'), 'Accepted: application confluence:1234, user cuscav, version 3, signed at 2014-12-25 09:31:29 UTC.');
    await page.fill('#tav-url', 'https://warwick.ac.uk?external=true');
    await waitState(page, 'tav-form', 'bad');
    assert.match(await page.textContent('#tav-result'), /^BAD_SIGNATURE ERR_TRUSTED_APPS_REJECTED /);
    assert.match(await page.textContent('#tav-result .fix'), /Explain a refusal/);
    await page.fill('#tav-now', String(Number(trusted.timestamp) + 3600_000));
    await page.fill('#tav-url', trusted.url);
    await waitState(page, 'tav-form', 'bad');
    assert.match(await page.textContent('#tav-result'), /^OLD_CERT /);

    // Version 2: another signature (timestamp and URL only), refused unless v2 is accepted
    // (its signature does not cover the user), then verified.
    await page.selectOption('#ta-version', '2');
    await waitState(page, 'ta-form', 'ok');
    const v2 = await resultValue(page, 'ta-signature');
    assert.notEqual(v2, trusted.expected_v3_signature_base64);
    await page.click('#tav-use-signed');
    await waitState(page, 'tav-form', 'bad');
    assert.match(await page.textContent('#tav-result'), /^BAD_PROTOCOL_VERSION /);
    await page.check('#tav-allow-v2');
    await waitState(page, 'tav-form', 'ok');
    assert.match(await page.textContent('#tav-result'), /version 2/);
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

// ---------------------------------------------------------------- privacy, storage, keyboard

test('storage: nothing stored until "Remember"; secrets only when also ticked; "Forget" erases', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  const stored = () => page.evaluate(() => JSON.parse(localStorage.getItem('atlassian-sign:inputs') ?? 'null'));
  try {
    await page.fill('#connect-url', '/rest/api/3/myself');
    await page.fill('#connect-secret', 'top-secret');
    await page.fill('#oauth-private-key', oauth.test_key.private_pkcs8_pem);
    await page.fill('#oauth-token', 'access-token');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'nothing stored by default');
    assert.equal(await page.textContent('#storage-status'), 'Nothing is stored.');
    assert.equal(await page.isDisabled('#remember-secrets'), true);

    await page.check('#remember');
    let s = await stored();
    assert.equal(s.values['connect-url'], '/rest/api/3/myself');
    assert.equal(s.values['connect-secret'], undefined, 'no secret without the second box');
    assert.equal(s.values['oauth-private-key'], undefined, 'no private key without the second box');
    assert.equal(s.values['oauth-token'], undefined, 'no token without the second box');
    const secretFields = await page.$$eval('[data-secret]', (els) => els.map((e) => e.id));
    assert.deepEqual(Object.keys(s.values).filter((id) => secretFields.includes(id)), []);
    assert.match(await page.textContent('#storage-status'), /without keys, secrets and tokens/);

    await page.check('#remember-secrets');
    s = await stored();
    assert.equal(s.values['connect-secret'], 'top-secret');
    assert.equal(s.values['oauth-private-key'], oauth.test_key.private_pkcs8_pem);

    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    assert.equal(await page.inputValue('#connect-url'), '/rest/api/3/myself');
    assert.equal(await page.inputValue('#connect-secret'), 'top-secret');
    assert.equal(await page.isChecked('#remember'), true);
    assert.equal(await page.isChecked('#remember-secrets'), true);
    await waitState(page, 'connect-form', 'error', 'ok');

    await page.uncheck('#remember-secrets');
    s = await stored();
    assert.equal(s.values['connect-secret'], undefined, 'unticking removes the secrets from storage');
    assert.equal(s.values['connect-url'], '/rest/api/3/myself');

    await page.click('#forget');
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.equal(await page.isChecked('#remember'), false);
    await page.fill('#connect-url', '/rest/api/2/other');
    assert.equal(await page.evaluate(() => localStorage.length), 0, 'not stored again after Forget');
    assert.equal(await page.evaluate(() => document.cookie), '');
  } finally {
    await session.context.close();
  }
});

test('keyboard and labels: every field labelled, no positive tabindex, Tab follows the visual order, copy works', opts, async () => {
  const session = await openPage(browser, baseUrl, { viewport: { width: 1280, height: 900 } });
  const { page, context } = session;
  try {
    const unlabelled = await page.$$eval('input, select, textarea', (els) => els.filter((e) => e.labels.length === 0).map((e) => e.id));
    assert.deepEqual(unlabelled, [], 'every field has a label');
    const unnamed = await page.$$eval('button', (els) => els.filter((b) => !(b.getAttribute('aria-label') || b.textContent.trim())).map((b) => b.outerHTML));
    assert.deepEqual(unnamed, [], 'every button has a name');
    assert.deepEqual(await page.$$eval('[tabindex]', (els) => els.filter((e) => e.tabIndex > 0).map((e) => e.id)), []);

    // Within each section, the focusable fields come in reading order: down the page, left to right in a row.
    const disorder = await page.evaluate(() => {
      const out = [];
      for (const section of document.querySelectorAll('main section')) {
        const els = [...section.querySelectorAll('input, select, textarea, button, a[href]')].filter((e) => e.offsetParent !== null && !e.disabled);
        for (let i = 1; i < els.length; i++) {
          const a = els[i - 1].getBoundingClientRect();
          const b = els[i].getBoundingClientRect();
          const sameRow = Math.abs(a.top - b.top) < 4;
          if (sameRow ? b.left < a.left : b.top < a.top - 4) out.push(`${els[i - 1].id || els[i - 1].textContent} -> ${els[i].id || els[i].textContent}`);
        }
      }
      return out;
    });
    assert.deepEqual(disorder, [], 'focus order follows the visual order');

    await page.focus('#connect-product');
    const order = [];
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      order.push(await page.evaluate(() => document.activeElement.id));
    }
    assert.deepEqual(order, ['connect-method', 'connect-url', 'connect-base', 'connect-key']);

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(baseUrl).origin });
    await page.fill('#qsh-url', '/rest/api/2/project');
    await waitState(page, 'qsh-form', 'ok');
    await page.click('button[data-copy="qsh-value"]');
    // The clipboard write is async and the label goes back after 1.2 s: wait for the change
    // (an immediate read failed once when the machine was busy).
    await page.waitForFunction(() => document.querySelector('button[data-copy="qsh-value"]').textContent === 'Copied', null, { timeout: 5000 });
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), '376b86be226be6ed221f7a5c1ff9bafdf495036773264e22822dbff68e8aeafa');
    assert.equal(await page.isDisabled('button[data-copy="connect-token"]'), true, 'nothing to copy yet');
  } finally {
    await session.context.close();
  }
});
