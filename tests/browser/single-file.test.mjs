// The single-file build (scripts/build-single.mjs): one HTML file with everything inlined,
// opened from disk (file://) in an offline context, must work and make no request at all.
//   cd /work/main && node --test tests/browser/single-file.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSingle } from '../../scripts/build-single.mjs';
import { NO_CHROMIUM, ROOT, launch, nodeApi, openPage, vectors, waitForPkg, waitState, resultValue } from './helpers.mjs';

const oauth = vectors('oauth-cases.json');
let dir;
let file;
let browser;

before(async () => {
  await waitForPkg();
  dir = mkdtempSync(path.join(os.tmpdir(), 'atlassian-sign-single-'));
  file = path.join(dir, 'atlassian-sign.html');
  if (!NO_CHROMIUM) browser = await launch();
});

after(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const build = () => execFileSync(process.execPath, [path.join(ROOT, 'scripts/build-single.mjs'), '--out', file], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('build-single: one file, strict CSP with the hashes of its inline script and style, idempotent', () => {
  build();
  const first = readFileSync(file);
  const mtime = statSync(file).mtimeMs;
  build();
  assert.ok(readFileSync(file).equals(first), 'the same inputs give the same bytes');
  assert.equal(statSync(file).mtimeMs, mtime, 'an up-to-date file is not rewritten');

  const html = first.toString('utf8');
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
  const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
  assert.equal(scripts.length, 1, 'one script');
  assert.equal(scripts[0][1], ' type="module"', 'inline, no src');
  assert.equal(styles.length, 1, 'one style');
  const hash = (t) => `'sha256-${createHash('sha256').update(t).digest('base64')}'`;
  assert.equal(csp, ["default-src 'none'", `script-src ${hash(scripts[0][2])} 'wasm-unsafe-eval'`, `style-src ${hash(styles[0][1])}`,
    'img-src data:', "connect-src 'none'", "base-uri 'none'", "form-action 'none'"].join('; '));
  assert.doesNotMatch(html, /\b(src|href)="(?!data:|#)/, 'no reference to another file');
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'/);
  assert.match(html, /<!-- Single-file build of atlassian-sign \d+\.\d+\.\d+ \(scripts\/build-single\.mjs\)/);
  const wasm = readFileSync(path.join(ROOT, 'pkg/web/atlassian_sign_bg.wasm')).toString('base64');
  assert.ok(html.includes(`const __wasmBase64 = "${wasm}";`), 'the wasm is inlined as base64');
  assert.match(html, /forbids every connection/);
});

test('build-single: the bundle depends on the files alone; what it cannot bundle or place fails the build', () => {
  // A copy of the inputs elsewhere builds the same bytes: no absolute path or time in the output.
  const root = mkdtempSync(path.join(os.tmpdir(), 'atlassian-sign-single-root-'));
  try {
    cpSync(path.join(ROOT, 'www'), path.join(root, 'www'), { recursive: true });
    for (const f of ['pkg/web.js', 'pkg/web', 'pkg/package.json']) cpSync(path.join(ROOT, f), path.join(root, f), { recursive: true });
    assert.equal(buildSingle(root), buildSingle(ROOT));

    // A module the page imports but that is not there: esbuild's error, naming the importer.
    const main = path.join(root, 'www/js/main.js');
    const mainText = readFileSync(main, 'utf8');
    writeFileSync(main, `import './nope.js';\n${mainText}`);
    assert.throws(() => buildSingle(root), /^Error: esbuild: www\/js\/main\.js:1: Could not resolve "\.\/nope\.js"/);
    writeFileSync(main, mainText);

    // A page whose script tag moved: the build says which piece of www/index.html it expected.
    const index = path.join(root, 'www/index.html');
    writeFileSync(index, readFileSync(index, 'utf8').replace('<script type="module" src="app.js"></script>', ''));
    assert.throws(() => buildSingle(root), /expected exactly one app\.js script tag in www\/index\.html/);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the single file opened from disk, offline: works, and makes no request at all', { skip: NO_CHROMIUM, timeout: 30_000 }, async () => {
  build();
  const api = nodeApi();
  const url = pathToFileURL(file).href;
  const { context, page, requests, problems, cspViolations } = await openPage(browser, url, { offline: true });
  try {
    // Connect: a qsh vector.
    const v = vectors('qsh-peer-outputs.json').vectors.find((x) => x.id === 'jql');
    await page.fill('#qsh-url', v.url);
    await waitState(page, 'qsh-form', 'ok');
    assert.equal(await resultValue(page, 'qsh-value'), v.java_port_server_view.qsh);

    // OAuth RSA-SHA1: the exact vector signature (WebCrypto in a file:// page, or the Rust fallback).
    const c = oauth.cases.find((x) => x.id === 'T01_jql_pct20');
    await page.fill('#oauth-url', c.request.url);
    await page.fill('#oauth-consumer-key', c.credentials.consumer_key);
    await page.fill('#oauth-token', c.credentials.token);
    await page.fill('#oauth-nonce', c.credentials.nonce);
    await page.fill('#oauth-timestamp', c.credentials.timestamp);
    await page.fill('#oauth-private-key', oauth.test_key.private_pkcs8_pem);
    await waitState(page, 'oauth-form', 'ok');
    assert.equal(await resultValue(page, 'oauth-base-string'), c.by_method['RSA-SHA1'].signature_base_string);
    assert.equal(await resultValue(page, 'oauth-signature'), c.by_method['RSA-SHA1'].signature);

    // JWT: a signed-URL vector, verified at a fixed time.
    const signed = vectors('connect-jwt-signed-urls.json');
    await page.fill('#jwt-token', signed.tests[0].signedUrl);
    await page.fill('#jwt-now', '1392204500');
    await page.fill('#jwt-key', signed.secret);
    await waitState(page, 'jwt-key-form', 'ok');
    assert.equal(await resultValue(page, 'jwt-qsh-canonical'), signed.tests[0].canonicalUrl);

    // Key pair and trusted apps work too.
    await page.click('#keygen');
    await page.waitForFunction(() => document.getElementById('keygen-public').dataset.value);
    assert.equal(api.exportPublicKey(await resultValue(page, 'keygen-private')).publicKey, await resultValue(page, 'keygen-public'));

    assert.deepEqual(requests, [url], 'the only request is the file itself');
    assert.deepEqual(problems, []);
    assert.deepEqual(await cspViolations(), []);

    // And the policy refuses a connection even when a script tries one.
    const attempt = await page.evaluate(() => fetch('https://example.com/collect', { method: 'POST', body: 'x' }).then(() => 'sent', (e) => `refused: ${e.name}`));
    assert.equal(attempt, 'refused: TypeError');
    assert.deepEqual(await cspViolations(), ['connect-src https://example.com/collect']);
    assert.deepEqual(requests, [url], 'still no request');
  } finally {
    await context.close();
  }
});
