// Shared by the browser tests: Debian's Chromium through playwright-core, the page served by
// scripts/serve.mjs, the vectors, and the Node build of the package as the peer the page's
// outputs are checked against.
import { after, before } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../scripts/serve.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CHROMIUM = '/usr/bin/chromium';
export const NO_CHROMIUM = existsSync(CHROMIUM) ? false
  : `${CHROMIUM} not found (install Debian's chromium package to run the browser tests)`;
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

const require = createRequire(import.meta.url);

export const vectors = (file) => JSON.parse(readFileSync(path.join(ROOT, 'tests/vectors', file), 'utf8'));

/** The Node build of the package (CommonJS entry), loaded once pkg/ exists. */
export const nodeApi = () => require(path.join(ROOT, 'pkg/index.cjs'));

// pkg/ is rebuilt now and then by others (renamed into place at the end): wait for it rather than fail.
export async function waitForPkg() {
  const files = ['pkg/web.js', 'pkg/web/atlassian_sign_bg.wasm', 'pkg/web/atlassian_sign.js', 'pkg/index.cjs', 'pkg/node']
    .map((f) => path.join(ROOT, f));
  const deadline = Date.now() + 60_000;
  while (!files.every(existsSync)) {
    if (Date.now() > deadline) throw new Error('pkg/ is not built: run `npm run build`');
    await new Promise((r) => setTimeout(r, 500));
  }
}

export async function launch() {
  const { chromium } = require('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Opens `url` in a new context, recording every request, console error, page error, failed
 * request and CSP violation; waits until the page has loaded the wasm build.
 */
export async function openPage(browser, url, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  const requests = [];
  const problems = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`requestfailed: ${r.url()} ${r.failure()?.errorText}`));
  await page.addInitScript(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
    });
  });
  const response = await page.goto(url);
  await page.waitForSelector('html[data-ready]');
  const ready = await page.getAttribute('html', 'data-ready');
  assert.equal(ready, 'true', `the page loaded the wasm build (status: ${await page.textContent('#status')})`);
  const cspViolations = () => page.evaluate(() => window.__cspViolations);
  return { context, page, response, requests, problems, cspViolations };
}

/** No request left the page's origin, the wasm came from /pkg/, and nothing went wrong. */
export async function assertSameOrigin(baseUrl, { requests, problems, cspViolations }) {
  const origin = new URL(baseUrl).origin;
  assert.ok(requests.length >= 4, `the page's own requests were recorded: ${requests.join(', ')}`);
  const outside = requests.filter((u) => !u.startsWith('data:') && new URL(u).origin !== origin);
  assert.deepEqual(outside, [], 'no request leaves the page origin');
  assert.ok(requests.some((u) => u.endsWith('/pkg/web/atlassian_sign_bg.wasm')), 'the wasm came from /pkg/');
  assert.deepEqual(problems, [], 'no console errors, page errors or failed requests');
  assert.deepEqual(await cspViolations(), [], 'no Content-Security-Policy violations');
}

/** Waits until a form's data-state is one of `states`. */
export async function waitState(page, formId, ...states) {
  await page.waitForFunction(([id, want]) => want.includes(document.getElementById(id)?.dataset.state), [formId, states]);
}

/** The text a result holds: data-value (set with it), which the visible text equals when there is one. */
export const resultValue = (page, id) => page.getAttribute(`#${id}`, 'data-value');

/** Stops a server started with startServer, closing kept-alive connections first. */
export async function stopServer(server) {
  if (!server) return;
  server.closeAllConnections?.();
  await new Promise((r) => server.close(r));
}

/**
 * Registers the hooks every page test needs: the package built, the page served on a free port,
 * Chromium launched (unless it is missing), all stopped after. `onReady({ server, baseUrl,
 * browser, api })` receives them (`api` is the Node build, for the expected side).
 */
export function servePage(onReady) {
  let server;
  let browser;
  before(async () => {
    await waitForPkg();
    let url;
    ({ server, url } = await startServer({ port: 0 }));
    if (!NO_CHROMIUM) browser = await launch();
    onReady({ server, baseUrl: url, browser, api: nodeApi() });
  });
  after(async () => {
    await browser?.close();
    await stopServer(server);
  });
}
