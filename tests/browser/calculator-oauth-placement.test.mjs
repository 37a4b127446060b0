// The calculator's OAuth 1.0a placement choice (as Postman offers it, RFC 5849 §3.5): the
// protocol parameters in the Authorization header, the query string or a form body. The request
// the page shows is sent, as it is, to an HTTP server on 127.0.0.1, which collects the parameters
// from wherever they arrived and checks the signature with oauth-sign (HMAC-SHA1, RSA-SHA1) and
// node:crypto (RSA-SHA1 with the public key).
//   node --test tests/browser/calculator-oauth-placement.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import { createRequire } from 'node:module';
import { NO_CHROMIUM, assertSameOrigin, openPage, resultValue, servePage, stopServer, vectors, waitState } from './helpers.mjs';

const oauthSign = createRequire(import.meta.url)('oauth-sign');
const FORM = 'application/x-www-form-urlencoded';
const testKey = vectors('oauth-cases.json').test_key;
const credentials = { consumerKey: 'calc-consumer', consumerSecret: 'cs&secret', token: 'tok 1', tokenSecret: 'ts/secret', nonce: 'fixedNonce42', timestamp: '1700000000' };

let baseUrl;
let browser;
servePage((s) => ({ baseUrl, browser } = s));

// ---------------------------------------------------------------- the receiving server

let server;
let serverUrl;

/** What the server received: where the oauth_ parameters were, the base string it computed, and whether the signature is right. */
function check(req, body) {
  const url = new URL(req.url, `http://${req.headers.host}`);
  const params = []; // [name, value, where]
  for (const [k, v] of url.searchParams) params.push([k, v, 'query']);
  if ((req.headers['content-type'] ?? '').startsWith(FORM)) for (const [k, v] of new URLSearchParams(body)) params.push([k, v, 'body']);
  const auth = req.headers.authorization;
  if (auth?.startsWith('OAuth ')) {
    for (const m of auth.slice(6).matchAll(/([\w-]+)="([^"]*)"/g)) if (m[1] !== 'realm') params.push([m[1], decodeURIComponent(m[2]), 'header']);
  }
  const signature = params.find(([k]) => k === 'oauth_signature');
  const method = params.find(([k]) => k === 'oauth_signature_method')?.[1];
  const signed = {};
  for (const [k, v] of params) {
    if (k === 'oauth_signature') continue;
    signed[k] = k in signed ? [].concat(signed[k], v) : v;
  }
  const baseUri = `http://${req.headers.host}${url.pathname}`;
  const baseString = oauthSign.generateBase(req.method, baseUri, signed);
  const expected = method === 'RSA-SHA1'
    ? oauthSign.sign('RSA-SHA1', req.method, baseUri, signed, testKey.private_pkcs8_pem)
    : oauthSign.sign(method, req.method, baseUri, signed, credentials.consumerSecret, credentials.tokenSecret);
  const rsaValid = method === 'RSA-SHA1'
    ? verify('RSA-SHA1', Buffer.from(baseString), createPublicKey(testKey.public_spki_pem), Buffer.from(signature[1], 'base64'))
    : null;
  const where = [...new Set(params.filter(([k]) => k.startsWith('oauth_')).map(([, , w]) => w))];
  return { where, baseString, signature: signature?.[1], expected, rsaValid, authorization: auth ?? null, contentType: req.headers['content-type'] ?? null, body };
}

before(async () => {
  server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(check(req, Buffer.concat(chunks).toString('utf8'))));
    });
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  serverUrl = `http://127.0.0.1:${server.address().port}`;
});
after(() => stopServer(server));

/** Sends the page's HTTP request text as it is (CRLF line ends, Content-Length added) and returns the server's findings. */
async function send(text) {
  const split = text.indexOf('\n\n');
  const head = text.slice(0, split).split('\n');
  const body = text.slice(split + 2);
  head.push(`Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close');
  const { port } = server.address();
  const raw = await new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(`${head.join('\r\n')}\r\n\r\n${body}`));
    const chunks = [];
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('error', reject);
  });
  assert.match(raw, /^HTTP\/1\.1 200 /, raw);
  return JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4));
}

// ---------------------------------------------------------------- the page

async function fill(page, { signatureMethod, method, url, body }) {
  await page.selectOption('#oauth-signature-method', signatureMethod);
  await page.selectOption('#oauth-method', method);
  await page.fill('#oauth-url', url);
  if (body !== undefined) await page.fill('#oauth-body', body);
  await page.fill('#oauth-consumer-key', credentials.consumerKey);
  await page.fill('#oauth-token', credentials.token);
  await page.fill('#oauth-nonce', credentials.nonce);
  await page.fill('#oauth-timestamp', credentials.timestamp);
  await page.fill('#oauth-callback', 'http://cb.example/x?y=1&z=a b');
  if (signatureMethod === 'RSA-SHA1') {
    await page.fill('#oauth-private-key', testKey.private_pkcs8_pem);
  } else {
    await page.fill('#oauth-consumer-secret', credentials.consumerSecret);
    await page.fill('#oauth-token-secret', credentials.tokenSecret);
  }
}

/** Chooses a placement, waits for the signature, and returns what the page shows. */
async function placed(page, placement) {
  await page.selectOption('#oauth-placement', placement);
  await waitState(page, 'oauth-form', 'ok');
  return {
    baseString: await resultValue(page, 'oauth-base-string'),
    signature: await resultValue(page, 'oauth-signature'),
    authorization: await resultValue(page, 'oauth-authorization'),
    curl: await resultValue(page, 'oauth-curl'),
    request: await resultValue(page, 'oauth-request'),
  };
}

for (const signatureMethod of ['HMAC-SHA1', 'RSA-SHA1']) {
  test(`OAuth placement (${signatureMethod}): header, query and form body carry the same signature, and oauth-sign agrees with each`, { skip: NO_CHROMIUM, timeout: 60_000 }, async () => {
    const session = await openPage(browser, baseUrl);
    const { page } = session;
    try {
      const url = `${serverUrl}/rest/api/2/search?jql=project%20%3D%20DEV&fields=a,b`;
      await fill(page, { signatureMethod, method: 'POST', url, body: 'c2&a3=2+q' });
      const seen = {};
      for (const placement of ['header', 'query', 'body']) {
        const shown = await placed(page, placement);
        const got = await send(shown.request);
        assert.deepEqual(got.where, [placement], `${placement}: the oauth_ parameters arrived in the ${placement} only`);
        assert.equal(got.signature, got.expected, `${placement}: oauth-sign computes the signature the page sent`);
        if (signatureMethod === 'RSA-SHA1') assert.equal(got.rsaValid, true, `${placement}: node:crypto verifies it with the public key`);
        assert.equal(got.baseString, shown.baseString, `${placement}: the server's base string is the page's`);
        assert.equal(got.signature, shown.signature);
        seen[placement] = { shown, got };
      }
      // One signature for the three: only where the parameters travel differs.
      assert.equal(new Set(Object.values(seen).map((s) => s.shown.signature)).size, 1);

      const { header, query, body } = seen;
      assert.match(header.shown.authorization, /^OAuth oauth_consumer_key="calc-consumer", /);
      assert.equal(header.got.authorization, header.shown.authorization);
      assert.equal(header.got.body, 'c2&a3=2+q');
      assert.equal(header.shown.curl, `curl -X POST -H 'Authorization: ${header.shown.authorization}' -H 'Content-Type: ${FORM}' --data-raw 'c2&a3=2+q' '${url}'`);

      assert.equal(query.shown.authorization, '', 'no Authorization header when the parameters are in the query');
      assert.equal(query.got.authorization, null);
      const sentUrl = query.shown.curl.match(/'(http:\/\/[^']+)'$/)[1];
      assert.ok(sentUrl.startsWith(`${url}&oauth_consumer_key=calc-consumer&`), sentUrl);
      assert.match(sentUrl, /&oauth_token=tok%201&oauth_callback=http%3A%2F%2Fcb.example%2Fx%3Fy%3D1%26z%3Da%20b&oauth_signature=[A-Za-z0-9%]+$/);
      assert.equal(query.got.body, 'c2&a3=2+q', 'the form body is sent as it was');
      assert.equal(query.shown.request.split('\n')[0], `POST ${sentUrl.slice(serverUrl.length)} HTTP/1.1`);

      assert.equal(body.shown.authorization, '');
      assert.equal(body.got.contentType, FORM);
      assert.ok(body.got.body.startsWith('c2&a3=2+q&oauth_consumer_key=calc-consumer&'), body.got.body);
      assert.equal(body.shown.curl, `curl -X POST -H 'Content-Type: ${FORM}' --data-raw '${body.got.body}' '${url}'`);
      await assertSameOrigin(baseUrl, session);
    } finally {
      await session.context.close();
    }
  });
}

test('OAuth placement: GET with the query string and no body; a form body refused for GET and for JSON', { skip: NO_CHROMIUM, timeout: 60_000 }, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    await fill(page, { signatureMethod: 'HMAC-SHA1', method: 'GET', url: `${serverUrl}/rest/api/2/myself` });
    const shown = await placed(page, 'query');
    assert.match(shown.curl, new RegExp(`^curl '${serverUrl}/rest/api/2/myself\\?oauth_consumer_key=calc-consumer&`));
    assert.equal(shown.request.split('\n').slice(1).join('\n'), `Host: 127.0.0.1:${new URL(serverUrl).port}\n`, 'no other header, no body');
    const got = await send(shown.request);
    assert.deepEqual(got.where, ['query']);
    assert.equal(got.signature, got.expected);

    await page.selectOption('#oauth-placement', 'body');
    await waitState(page, 'oauth-form', 'error');
    assert.equal(await page.textContent('#oauth-error .code'), 'ERR_OAUTH_INVALID_REQUEST');
    assert.match(await page.textContent('#oauth-error .message'), /a GET request has no body, so the OAuth parameters cannot go in a form body \(RFC 5849 §3\.5\.2\)/);
    assert.equal(await resultValue(page, 'oauth-curl'), '', 'no request to copy');

    await page.selectOption('#oauth-method', 'POST');
    await page.selectOption('#oauth-content-type', 'application/json');
    await page.fill('#oauth-body', '{"a": 1}');
    await waitState(page, 'oauth-form', 'error');
    assert.match(await page.textContent('#oauth-error .message'), /the body is sent as application\/json, and the OAuth parameters can go in a body only when it is a form/);
    // The header placement sends the JSON body unsigned, as before.
    const h = await placed(page, 'header');
    assert.equal(h.request.split('\n\n')[1], '{"a": 1}');
    const gotJson = await send(h.request);
    assert.deepEqual(gotJson.where, ['header']);
    assert.equal(gotJson.signature, gotJson.expected, 'a JSON body is not part of the signature');
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});
