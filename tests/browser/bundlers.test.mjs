// The package as people install it into a bundled or unbundled web app, with no configuration
// about WebAssembly: pkg/ packed with `npm pack`, installed by npm next to Vite 6, 7 and 8 and
// webpack 5 from the registry (tests/bundlers/apps.mjs), each app (tests/bundlers/) served by the
// real dev server or built by the real tool and served as files, then driven in Debian's Chromium.
// Every app signs a random request from the page's query; the qsh and the token must equal what
// the Node build computes, the qsh what atlassian-jwt computes, and jose must accept the token.
// Each app loads the .wasm both ways: init() finding it by itself, and init(url) with the URL of
// the package's `atlassian-sign/wasm` export as the tool gives it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { jwtVerify } from 'jose';
import { packPackage, prepareApp, runTool, startViteDev } from '../bundlers/apps.mjs';
import { serveFolder } from '../bundlers/static-server.mjs';
import { launch, NO_CHROMIUM, nodeApi, ROOT, waitForPkg } from './helpers.mjs';

const require = createRequire(import.meta.url);
const atlassianJwt = require('atlassian-jwt');
const PACKAGE_WASM = '/node_modules/atlassian-sign/web/atlassian_sign_bg.wasm';

function randomRequest() {
  const project = ['ABC', 'DEV', 'OPS'][randomInt(3)];
  return {
    method: ['GET', 'POST', 'PUT', 'DELETE'][randomInt(4)],
    url: `/rest/api/3/issue/${project}-${randomInt(1, 100_000)}?expand=names&fields=summary,status&jql=project%20%3D%20${project}`,
    iss: `com.example.${randomBytes(3).toString('hex')}`,
    secret: randomBytes(18).toString('base64url'),
    iat: Math.floor(Date.now() / 1000),
  };
}

/** Opens the app with a random request in its query; returns what it shows and what it fetched. */
async function openApp(browser, base, params = {}) {
  const r = randomRequest();
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  const requests = [];
  const wasm = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (q) => problems.push(`requestfailed: ${q.url()} ${q.failure()?.errorText}`));
  page.on('request', (q) => requests.push(q.url()));
  // The .wasm fetches (Vite dev also serves `atlassian-sign/wasm?url` as a script, ending .wasm?import&url).
  page.on('response', (res) => {
    if (res.request().resourceType() === 'fetch' && new URL(res.url()).pathname.endsWith('.wasm')) wasm.push(res);
  });
  const query = new URLSearchParams({ ...params, method: r.method, url: r.url, iss: r.iss, secret: r.secret, iat: String(r.iat) });
  try {
    await page.goto(`${base}?${query}`);
    await page.waitForSelector('html[data-ready]', { timeout: 60_000 });
    const text = async (id) => (await page.$(`#${id}`)) ? page.textContent(`#${id}`) : null;
    const shown = {
      ready: await page.getAttribute('html', 'data-ready'),
      qsh: await text('qsh'), dropinQsh: await text('dropin-qsh'), token: await text('token'), error: await text('error'),
    };
    const fetched = [];
    for (const res of wasm) {
      fetched.push({ url: res.url(), status: res.status(), type: res.headers()['content-type'], body: res.ok() ? await res.body() : null });
    }
    return { r, shown, problems, requests, wasm: fetched };
  } finally {
    await context.close();
  }
}

/** The app signed as the Node build and atlassian-jwt do, with the package's .wasm; returns its URL path. */
async function assertSigned({ r, shown, problems, wasm }, label) {
  assert.equal(shown.ready, 'true', `${label}: the app signed (its error: ${shown.error})`);
  const api = nodeApi();
  const qsh = api.createQsh(r.method, r.url);
  assert.equal(qsh, atlassianJwt.createQueryStringHash(atlassianJwt.fromMethodAndUrl(r.method, r.url)), 'Node build = atlassian-jwt');
  assert.equal(shown.qsh, qsh, `${label}: qsh`);
  if (shown.dropinQsh !== null) assert.equal(shown.dropinQsh, qsh, `${label}: qsh through atlassian-sign/atlassian-jwt`);
  const claims = { iss: r.iss, iat: r.iat, exp: r.iat + 180, qsh };
  assert.equal(shown.token, api.encodeJwt(claims, r.secret), `${label}: token`);
  const { payload } = await jwtVerify(shown.token, new TextEncoder().encode(r.secret), { algorithms: ['HS256'] });
  assert.deepEqual(payload, claims, `${label}: jose verifies the token`);
  assert.deepEqual(problems, [], `${label}: no console errors, page errors or failed requests`);
  assert.equal(wasm.length, 1, `${label}: one .wasm fetched (${wasm.map((w) => `${w.url} ${w.status}`)})`);
  const [w] = wasm;
  assert.equal(w.status, 200, `${label}: ${w.url}`);
  assert.match(w.type, /^application\/wasm/, `${label}: ${w.url} is served as WebAssembly`);
  assert.ok(w.body.equals(readFileSync(path.join(ROOT, 'pkg/web/atlassian_sign_bg.wasm'))), `${label}: ${w.url} is the package's .wasm`);
  return new URL(w.url).pathname;
}

describe('bundlers and plain pages, no configuration', { skip: NO_CHROMIUM }, () => {
  let browser;
  let tarball;
  before(async () => {
    await waitForPkg();
    tarball = packPackage();
    browser = await launch();
  });
  after(async () => { await browser?.close(); });

  for (const [app, major] of [['vite6', 6], ['vite7', 7], ['vite8', 8]]) {
    test(`Vite ${major}: the dev server (package pre-bundled) and the build`, { timeout: 300_000 }, async () => {
      const dir = prepareApp(app, tarball);
      const dev = await startViteDev(dir);
      try {
        assert.match(dev.output(), new RegExp(`VITE v${major}\\.`));
        for (const init of ['default', 'url']) {
          const run = await openApp(browser, dev.url, { init });
          const wasmPath = await assertSigned(run, `vite ${major} dev, init ${init}`);
          assert.ok(run.requests.some((u) => new URL(u).pathname.startsWith('/node_modules/.vite/deps/atlassian-sign')),
            `Vite pre-bundled the package: ${run.requests.join(' ')}`);
          assert.equal(wasmPath, PACKAGE_WASM);
        }
      } finally {
        await dev.stop();
      }
      const log = runTool(dir, 'node_modules/vite/bin/vite.js', ['build', '--logLevel', 'warn']);
      assert.doesNotMatch(log, /doesn't exist at build time/, log);
      const site = await serveFolder(path.join(dir, 'dist'));
      try {
        for (const init of ['default', 'url']) {
          const wasmPath = await assertSigned(await openApp(browser, site.url, { init }), `vite ${major} build, init ${init}`);
          assert.match(wasmPath, /^\/assets\/atlassian_sign_bg-[\w-]+\.wasm$/);
        }
      } finally {
        await site.stop();
      }
    });
  }

  test('webpack 5: built with entry, output and mode only', { timeout: 300_000 }, async () => {
    const dir = prepareApp('webpack5', tarball);
    const log = runTool(dir, 'build.cjs');
    assert.match(log, /\.wasm/, 'webpack emitted the .wasm');
    const site = await serveFolder(dir);
    try {
      for (const init of ['default', 'url']) {
        const wasmPath = await assertSigned(await openApp(browser, site.url, { init }), `webpack, init ${init}`);
        assert.match(wasmPath, /^\/dist\/[0-9a-f]+\.wasm$/);
      }
    } finally {
      await site.stop();
    }
  });

  test('a module script with an import map, no build; a .wasm that cannot be loaded is ERR_WASM_LOAD', { timeout: 120_000 }, async () => {
    const dir = prepareApp('importmap', tarball);
    const site = await serveFolder(dir);
    try {
      for (const init of ['default', 'url']) {
        const wasmPath = await assertSigned(await openApp(browser, site.url, { init }), `import map, init ${init}`);
        assert.equal(wasmPath, PACKAGE_WASM);
      }
      for (const [wasm, why] of [
        ['./missing.wasm', /GET http:\/\/127\.0\.0\.1:\d+\/missing\.wasm answered 404/],
        ['./index.html', /GET http:\/\/127\.0\.0\.1:\d+\/index\.html answered an HTML page, not the WebAssembly module/],
        ['./main.js', /http:\/\/127\.0\.0\.1:\d+\/main\.js is not this package's WebAssembly module \(.*magic word/],
      ]) {
        const { shown } = await openApp(browser, site.url, { wasm });
        assert.equal(shown.ready, 'error', `init('${wasm}') fails`);
        assert.match(shown.error, /^ERR_WASM_LOAD: atlassian-sign: /);
        assert.match(shown.error, why);
        assert.match(shown.error, /pass its URL to init\(url\)/, 'the message says what to do');
      }
    } finally {
      await site.stop();
    }
  });
});
