// Screenshots of the calculator for docs/ (desktop 1280 and phone 390, light; one dark), with
// every section filled from the vectors and fixed times, so that the pictures only change when
// the page does: a file is rewritten only when its bytes differ. Also checks the layout at
// phone width with everything filled: no horizontal scrolling, no field wider than the screen.
//   cd /work/main && node --test tests/browser/screenshots.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NO_CHROMIUM, ROOT, assertSameOrigin, openPage, servePage, vectors, waitState } from './helpers.mjs';

const DOCS = path.join(ROOT, 'docs');
let baseUrl;
let browser;
servePage((s) => ({ baseUrl, browser } = s));

/** Fills every section with vector inputs and fixed times (no random nonce, no clock). */
async function fillAll(page) {
  const oauth = vectors('oauth-cases.json');
  const signed = vectors('connect-jwt-signed-urls.json');
  const ta = vectors('trusted-apps-v3.json');
  await page.fill('#connect-url', '/rest/api/3/search?jql=project%20%3D%20DEV&maxResults=10');
  await page.fill('#connect-base', 'https://example.atlassian.net');
  await page.fill('#connect-key', 'com.example.my-app');
  await page.fill('#connect-secret', 'a-shared-secret');
  await page.fill('#connect-client-key', 'b2f5a3c0-0c1f-4f7e-9a0e-2d7b6a1c9e11');
  await page.fill('#connect-iat', '1700000000');
  await page.fill('#qsh-url', 'https://example.atlassian.net/wiki/rest/api/content?spaceKey=DEV&expand=body.storage');
  await page.fill('#qsh-base', 'https://example.atlassian.net/wiki');
  await page.fill('#jwt-token', signed.tests.find((t) => t.name === 'Spaces').signedUrl);
  await page.fill('#jwt-now', '1392204500');
  await page.fill('#jwt-key', signed.secret);
  const c = oauth.cases.find((x) => x.id === 'T11_form_body_and_query');
  await page.selectOption('#oauth-method', 'POST');
  await page.fill('#oauth-url', c.request.url);
  await page.fill('#oauth-body', c.request.body);
  await page.fill('#oauth-consumer-key', c.credentials.consumer_key);
  await page.fill('#oauth-token', c.credentials.token);
  await page.fill('#oauth-private-key', oauth.test_key.private_pkcs8_pem);
  await page.fill('#oauth-nonce', c.credentials.nonce);
  await page.fill('#oauth-timestamp', c.credentials.timestamp);
  await page.fill('#flow-base', 'https://jira.example.com');
  await page.fill('#flow-request-response', 'oauth_token=reqTok123&oauth_token_secret=reqSecret456&oauth_callback_confirmed=true');
  await page.fill('#flow-verifier', 'Xy7vErIfIeR');
  await page.fill('#ta-app-id', 'confluence:1234');
  await page.fill('#ta-username', ta.username);
  await page.fill('#ta-url', ta.url);
  await page.fill('#ta-timestamp', ta.timestamp);
  await page.fill('#ta-private-key', ta.private_key_pkcs8_der_base64);
  await page.click('#tav-use-signed');
  await page.click('[data-example="qsh"]');
  await waitState(page, 'oauth-form', 'ok');
  await waitState(page, 'tav-form', 'ok');
  await page.evaluate(() => document.activeElement?.blur());
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** Writes a PNG under docs/ when its bytes differ from what is there; returns its size. */
function save(name, png) {
  assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${name} is a PNG`);
  const file = path.join(DOCS, name);
  mkdirSync(DOCS, { recursive: true });
  if (!existsSync(file) || !readFileSync(file).equals(png)) writeFileSync(file, png);
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** A PNG of the page from the top of `selector`, `height` CSS pixels tall. */
async function shot(page, selector, height) {
  const box = await page.locator(selector).boundingBox();
  const scroll = await page.evaluate(() => window.scrollY);
  const width = page.viewportSize().width;
  return page.screenshot({ fullPage: true, animations: 'disabled', caret: 'hide', clip: { x: 0, y: Math.max(0, box.y + scroll - 8), width, height } });
}

test('screenshots: desktop (1280) light', { skip: NO_CHROMIUM, timeout: 30_000 }, async () => {
  const session = await openPage(browser, baseUrl, { viewport: { width: 1280, height: 1000 }, colorScheme: 'light' });
  const { page } = session;
  try {
    await fillAll(page);
    const top = save('calculator-desktop.png', await page.screenshot({ animations: 'disabled', caret: 'hide' }));
    assert.deepEqual(top, { width: 1280, height: 1000 });
    const oauth = save('calculator-desktop-oauth.png', await shot(page, '#oauth', 1560));
    assert.deepEqual(oauth, { width: 1280, height: 1560 });
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('screenshots: phone (390) light, and the layout with every section filled', { skip: NO_CHROMIUM, timeout: 30_000 }, async () => {
  const session = await openPage(browser, baseUrl, { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'light' });
  const { page } = session;
  try {
    await fillAll(page);
    const overflow = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      wide: [...document.querySelectorAll('main *')].filter((e) => e.offsetParent !== null && e.getBoundingClientRect().right > innerWidth + 0.5 && !e.closest('.table-wrap'))
        .map((e) => e.id || e.className || e.tagName).slice(0, 5),
    }));
    assert.ok(overflow.scrollWidth <= 390, `no horizontal scrolling at 390 px (scrollWidth ${overflow.scrollWidth})`);
    assert.deepEqual(overflow.wide, [], 'nothing wider than the screen');
    const top = save('calculator-phone.png', await page.screenshot({ animations: 'disabled', caret: 'hide' }));
    assert.deepEqual(top, { width: 780, height: 1688 });
    const jwt = save('calculator-phone-jwt.png', await shot(page, '#jwt', 1500));
    assert.deepEqual(jwt, { width: 780, height: 3000 });
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('screenshots: desktop (1280) dark, Explain', { skip: NO_CHROMIUM, timeout: 30_000 }, async () => {
  const session = await openPage(browser, baseUrl, { viewport: { width: 1280, height: 1000 }, colorScheme: 'dark' });
  const { page } = session;
  try {
    await fillAll(page);
    const dark = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(dark, 'rgb(22, 26, 29)', 'the dark scheme is in use');
    const explain = save('calculator-desktop-dark.png', await shot(page, '#explain', 1420));
    assert.deepEqual(explain, { width: 1280, height: 1420 });
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});
