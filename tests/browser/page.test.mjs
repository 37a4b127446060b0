// The calculator page in Debian's Chromium (driven by playwright-core), served by
// scripts/serve.mjs, checked against the qsh vectors and the Node build of the package.
//   cd /work/main && node --test tests/browser/page.test.mjs

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CONTENT_SECURITY_POLICY } from '../../scripts/serve.mjs';
import * as h from './helpers.mjs';

const { NO_CHROMIUM } = h;
const vectors = h.vectors('qsh-peer-outputs.json').vectors;
const vector = (id) => {
  const v = vectors.find((x) => x.id === id);
  assert.ok(v, `vector ${id} is in qsh-peer-outputs.json`);
  return v;
};

let server;
let baseUrl;
let browser;
h.servePage((s) => ({ server, baseUrl, browser } = s));

/** Opens the page, recording every request and every console error / page error / CSP violation. */
const openPage = (options = {}) => h.openPage(browser, baseUrl, options);
const assertSameOrigin = (requests, problems, cspViolations) => h.assertSameOrigin(baseUrl, { requests, problems, cspViolations });

// ---------------------------------------------------------------- server (no browser needed)

test('serve.mjs: types, CSP, no listing, no traversal', async () => {
  const get = (p, init) => fetch(new URL(p, baseUrl), init);
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(page.headers.get('content-security-policy'),
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  assert.equal(CONTENT_SECURITY_POLICY, page.headers.get('content-security-policy'));
  const html = await page.text();
  const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)?.[1];
  assert.equal(meta, CONTENT_SECURITY_POLICY.replace("; frame-ancestors 'none'", ''), 'the <meta> policy matches the header');
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline scripts');
  assert.doesNotMatch(html, /<style|\sstyle=/, 'no inline styles');

  assert.equal((await get('/app.js')).headers.get('content-type'), 'text/javascript; charset=utf-8');
  assert.equal((await get('/js/main.js')).headers.get('content-type'), 'text/javascript; charset=utf-8', "the page's modules");
  assert.equal((await get('/style.css')).headers.get('content-type'), 'text/css; charset=utf-8');
  assert.equal((await get('/pkg/web.js')).headers.get('content-type'), 'text/javascript; charset=utf-8');
  const wasm = await get('/pkg/web/atlassian_sign_bg.wasm');
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer()).slice(0, 4)], [0, 0x61, 0x73, 0x6d]);

  for (const p of ['/pkg/', '/pkg/web/', '/pkg/web', '/nope.html', '/.gitignore', '/app.js/', '/js/', '/js']) {
    assert.equal((await get(p)).status, 404, `${p} is not listed or served`);
  }
  // Raw requests: fetch() would normalise the dot segments away before sending.
  const http = await import('node:http');
  const raw = (p) => new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port: server.address().port, path: p }, (res) => {
      res.resume();
      resolve(res.statusCode);
    }).on('error', reject);
  });
  for (const p of ['/../package.json', '/pkg/../../package.json', '/pkg/..%2f..%2fpackage.json', '/%2e%2e/package.json',
    '/pkg/%2e%2e/scripts/serve.mjs', '/..%5cpackage.json', '/pkg//web.js', '/a%zz']) {
    assert.equal(await raw(p), 404, `${p} is refused`);
  }
  assert.equal((await get('/', { method: 'POST' })).status, 405);
});

// ---------------------------------------------------------------- page

test('qsh block: exact canonical request and qsh of the vectors', { skip: NO_CHROMIUM, timeout: 30_000 }, async () => {
  const { context, page, requests, problems, cspViolations } = await openPage();
  try {
    for (const id of ['javadoc-example', 'ctx-path-with-base']) {
      const v = vector(id);
      const want = v.java_port_server_view;
      await page.fill('#qsh-method', v.method);
      await page.fill('#qsh-url', v.url);
      await page.fill('#qsh-base', v.baseUrl ?? '');
      await page.waitForFunction(() => document.getElementById('qsh-form').dataset.state === 'ok');
      assert.equal(await page.textContent('#qsh-canonical'), want.canonical, `${id}: canonical request`);
      assert.equal(await page.textContent('#qsh-value'), want.qsh, `${id}: qsh`);
      assert.equal(await page.isHidden('#qsh-error'), true);
    }

    // Errors are shown inline with their code.
    await page.fill('#qsh-method', '');
    await page.waitForFunction(() => document.getElementById('qsh-form').dataset.state === 'error');
    assert.match(await page.textContent('#qsh-error'), /^ERR_INVALID_METHOD .*method/);
    assert.equal(await page.textContent('#qsh-value'), '');

    await assertSameOrigin(requests, problems, cspViolations);
  } finally {
    await context.close();
  }
});

test('Connect block: the token verifies with the Node build', { skip: NO_CHROMIUM, timeout: 30_000 }, async () => {
  const sign = h.nodeApi();
  const input = {
    product: 'jira',
    method: 'GET',
    url: '/rest/api/3/search?maxResults=10&jql=project%20%3D%20DEV',
    baseUrl: 'https://example.atlassian.net',
    appKey: 'com.example.calculator-test',
    secret: 'a-shared-secret-for-the-page-test',
    clientKey: 'b2f5a3c0-0c1f-4f7e-9a0e-2d7b6a1c9e11',
    accountId: '557058:f1e2d3c4-b5a6-4789-8abc-def012345678',
    expiresIn: 300,
  };
  const { context, page, requests, problems, cspViolations } = await openPage();
  try {
    assert.ok(await page.isVisible('#privacy-note'), 'the privacy note is visible');
    assert.match(await page.textContent('#privacy-note'), /Nothing leaves this page/);
    const unlabelled = await page.$$eval('input, select', (els) => els.filter((e) => e.labels.length === 0).map((e) => e.id));
    assert.deepEqual(unlabelled, [], 'every input has a label');

    await page.selectOption('#connect-product', input.product);
    await page.selectOption('#connect-method', input.method);
    await page.fill('#connect-url', input.url);
    await page.fill('#connect-base', input.baseUrl);
    await page.fill('#connect-key', input.appKey);
    await page.fill('#connect-client-key', input.clientKey);
    await page.fill('#connect-account-id', input.accountId);
    await page.fill('#connect-expires', String(input.expiresIn));
    // Without the secret: canonical request and qsh, but no token yet.
    await page.waitForFunction(() => document.getElementById('connect-form').dataset.state === 'unsigned');
    assert.equal(await page.getAttribute('#connect-token', 'data-value'), '');
    await page.fill('#connect-secret', input.secret);
    await page.waitForFunction(() => document.getElementById('connect-form').dataset.state === 'ok');

    const expected = sign.connectToken(input);
    const token = await page.textContent('#connect-token');
    assert.equal(await page.textContent('#connect-canonical'), expected.canonicalRequest);
    assert.equal(expected.canonicalRequest, 'GET&/rest/api/3/search&jql=project%20%3D%20DEV&maxResults=10');
    assert.equal(await page.textContent('#connect-qsh'), expected.qsh);
    assert.equal(await page.textContent('#connect-authorization'), `JWT ${token}`);

    const payload = sign.verifyJwt(token, input.secret, {
      algorithms: ['HS256'],
      qsh: { method: input.method, url: input.url, baseUrl: input.baseUrl },
    });
    assert.equal(payload.iss, input.appKey);
    assert.equal(payload.sub, input.accountId);
    assert.deepEqual(payload.aud, [input.clientKey]);
    assert.equal(payload.qsh, expected.qsh);
    assert.equal(payload.exp - payload.iat, input.expiresIn);
    assert.ok(Math.abs(payload.iat - Date.now() / 1000) < 60, 'iat is now');
    assert.throws(() => sign.verifyJwt(token, 'another-secret', { algorithms: ['HS256'] }), { code: 'ERR_JWT_SIGNATURE_INVALID' });
    assert.throws(() => sign.verifyJwt(token, input.secret, {
      algorithms: ['HS256'], qsh: { method: 'POST', url: input.url, baseUrl: input.baseUrl },
    }), { code: 'ERR_QSH_MISMATCH' });

    assert.equal(await page.textContent('#connect-curl'),
      `curl -H 'Authorization: JWT ${token}' 'https://example.atlassian.net/rest/api/3/search?maxResults=10&jql=project%20%3D%20DEV'`);

    // Zephyr: the key becomes the access key, and a missing accountId is an inline error with its code.
    await page.selectOption('#connect-product', 'zephyr');
    await page.fill('#connect-account-id', '');
    await page.waitForFunction(() => document.getElementById('connect-form').dataset.state === 'error');
    assert.equal(await page.textContent('#connect-key-label'), 'Access key');
    assert.match(await page.textContent('#connect-error'), /^ERR_INVALID_INPUT .*accountId/);
    assert.equal(await page.getAttribute('#connect-token', 'data-value'), '');

    await assertSameOrigin(requests, problems, cspViolations);
  } finally {
    await context.close();
  }
});

test('layout: phone width without horizontal scrolling, dark scheme', { skip: NO_CHROMIUM, timeout: 30_000 }, async () => {
  const { context, page, problems } = await openPage({ viewport: { width: 360, height: 740 }, colorScheme: 'dark' });
  try {
    await page.fill('#qsh-url', vector('ctx-path-with-base').url);
    await page.waitForFunction(() => document.getElementById('qsh-form').dataset.state === 'ok');
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `no horizontal overflow at 360 px (scrollWidth ${width})`);
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    const light = await (async () => {
      await page.emulateMedia({ colorScheme: 'light' });
      return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    })();
    assert.notEqual(dark, light, 'the dark scheme has its own colours');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});
