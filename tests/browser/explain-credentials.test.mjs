// The Explain section's credentials fields in Debian's Chromium, on exchanges built here with
// node:crypto (not with this package): a trusted-apps v2 signature sent under a v3 version
// header is named VERSION_MISMATCH once the caller's public key is pasted; the clientKey turns a
// wrong iss into "iss is the clientKey"; the consumer key turns a request without credentials
// into a missing OAuth header; and no secret typed into a field shows in the page's text, its
// markup, its address or its storage.
//   cd /work/main && node --test tests/browser/explain-credentials.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { NO_CHROMIUM, assertSameOrigin, openPage, resultValue, servePage, waitState } from './helpers.mjs';

let baseUrl;
let browser;
let api;
servePage((s) => ({ baseUrl, browser, api } = s));

const opts = { skip: NO_CHROMIUM, timeout: 90_000 };

// Every credentials field of the page, by the name explain() takes it.
const FIELDS = {
  sharedSecret: 'explain-secret', appKey: 'explain-app-key', clientKey: 'explain-client-key', accessKey: 'explain-access-key',
  accountId: 'explain-account-id', consumerKey: 'explain-consumer-key', consumerSecret: 'explain-consumer-secret',
  token: 'explain-oauth-token', tokenSecret: 'explain-token-secret', applicationId: 'explain-application-id',
  username: 'explain-username', privateKey: 'explain-oauth-key', publicKey: 'explain-public-key',
};
const GROUPS = {
  'explain-creds-connect': ['sharedSecret', 'appKey', 'clientKey', 'accessKey', 'accountId'],
  'explain-creds-oauth': ['consumerKey', 'consumerSecret', 'token', 'tokenSecret'],
  'explain-creds-trusted': ['applicationId', 'username'],
  'explain-creds-keys': ['privateKey', 'publicKey'],
};

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' });
const b64url = (v) => Buffer.from(v).toString('base64url');
const crlf = (lines) => `${lines.join('\r\n')}\r\n`;

/** Raw HTTP: a trusted-apps request whose signature is v2's (timestamp, URL) under "Version: 3". */
function trustedAppsV2UnderV3() {
  const ts = Date.UTC(2026, 11, 6, 10, 0, 0);
  const user = 'jdoe';
  const url = 'https://jira.example.com/rest/api/2/issue/ABC-1?expand=names';
  const cert = Buffer.from(`${ts}\n${user}\n-1159983122`).toString('base64');
  const signature = sign('sha1', Buffer.from(`${ts}\n${url}`), privateKey).toString('base64');
  return crlf([
    'GET /rest/api/2/issue/ABC-1?expand=names HTTP/1.1',
    'Host: jira.example.com',
    'Accept: application/json',
    'X-Seraph-Trusted-App-Id: confluence:4521',
    `X-Seraph-Trusted-App-Cert: ${cert}`,
    `X-Seraph-Trusted-App-Signature: ${signature}`,
    'X-Seraph-Trusted-App-Version: 3',
    '',
    'HTTP/1.1 401 Unauthorized',
    `Date: ${new Date(ts + 2000).toUTCString()}`,
    `X-Seraph-Trusted-App-Error: BAD_SIGNATURE;\tBad signature for URL: {0};\t["${url}"]`,
    'Content-Length: 0',
    '',
  ]);
}

/** Raw HTTP: a v3 trusted-apps request signed for https://localhost:8443, rebuilt by the server as jira.example.com. */
function trustedAppsMoved() {
  const ts = Date.UTC(2026, 11, 6, 10, 0, 0);
  const path = '/rest/api/2/myself';
  const signature = sign('sha1', Buffer.from(`${ts}\nhttps://localhost:8443${path}\njdoe`), privateKey).toString('base64');
  return crlf([
    `GET ${path} HTTP/1.1`,
    'Host: localhost:8443',
    'X-Seraph-Trusted-App-Id: confluence:4521',
    `X-Seraph-Trusted-App-Cert: ${Buffer.from(`${ts}\njdoe\n-1159983122`).toString('base64')}`,
    `X-Seraph-Trusted-App-Signature: ${signature}`,
    'X-Seraph-Trusted-App-Version: 3',
    '',
    'HTTP/1.1 401 Unauthorized',
    `Date: ${new Date(ts + 1000).toUTCString()}`,
    `X-Seraph-Trusted-App-Error: BAD_SIGNATURE;\tBad signature for URL: {0};\t["https://jira.example.com${path}"]`,
    '',
  ]);
}

/** Raw HTTP: an app's call to Jira with an HS256 token (made here) whose iss is the installation's clientKey. */
function connectIssIsClientKey({ clientKey, secret }) {
  const now = 1_765_000_000;
  const qsh = createHash('sha256').update('GET&/rest/api/3/myself&').digest('hex');
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const claims = b64url(JSON.stringify({ iss: clientKey, iat: now - 10, exp: now + 170, qsh }));
  const token = `${head}.${claims}.${createHmac('sha256', secret).update(`${head}.${claims}`).digest('base64url')}`;
  return crlf([
    'GET /rest/api/3/myself HTTP/1.1',
    'Host: acme.atlassian.net',
    `Authorization: JWT ${token}`,
    'Accept: application/json',
    '',
    'HTTP/1.1 401 Unauthorized',
    `Date: ${new Date(now * 1000).toUTCString()}`,
    'Content-Type: application/json',
    '',
    '{"errorMessages":["Authentication failed"]}',
  ]);
}

/** Raw HTTP: a request to Jira that carries no credentials at all, refused with an OAuth challenge. */
const oauthNoHeader = () => crlf([
  'GET /rest/api/2/myself HTTP/1.1',
  'Host: jira.example.com',
  'Accept: application/json',
  '',
  'HTTP/1.1 401 Unauthorized',
  'Date: Sun, 06 Dec 2026 10:00:00 GMT',
  'WWW-Authenticate: OAuth realm="https%3A%2F%2Fjira.example.com"',
  '',
]);

/** Fills the credentials fields from `credentials` (every other one emptied), opening their groups. */
async function fillCredentials(page, credentials) {
  for (const [group, names] of Object.entries(GROUPS)) {
    await page.$eval(`#${group}`, (d) => { d.open = true; });
    for (const name of names) await page.fill(`#${FIELDS[name]}`, credentials[name] ?? '');
  }
}

/** Pastes `text` and waits for the verdict; returns the causes shown. */
async function explainPaste(page, text) {
  await page.fill('#explain-paste', '');
  await waitState(page, 'explain-form', 'empty');
  await page.fill('#explain-paste', text);
  await waitState(page, 'explain-form', 'ok', 'error');
  assert.equal(await page.getAttribute('#explain-form', 'data-state'), 'ok', await page.textContent('#explain-error'));
  assert.equal(await page.getAttribute('#explain-result', 'data-source'), 'exchange');
  return (await page.getAttribute('#explain-result', 'data-causes')).split(' ');
}

/** The verdict as shown: every cause, summary, fix, both sides, what was tried. */
async function shownVerdict(page) {
  const also = await page.textContent('#explain-causes');
  return {
    causes: [await page.textContent('#explain-cause'), ...(also ? also.replace(/^also /, '').split(', ') : [])],
    summary: await page.textContent('#explain-summary'),
    fix: await page.textContent('#explain-fix'),
    client: await resultValue(page, 'explain-client'),
    server: await resultValue(page, 'explain-server'),
    tried: await page.textContent('#explain-tried'),
  };
}

/** Asserts the page shows what the Node build's explain() says for the same input. */
async function assertShows(page, want, label) {
  const shown = await shownVerdict(page);
  assert.deepEqual(shown.causes, want.causes, `${label}: every cause`);
  assert.equal(shown.summary, want.summary, `${label}: summary`);
  assert.equal(shown.fix, want.fix, `${label}: fix`);
  assert.ok(want.summary.trim() && want.fix.trim(), `${label}: a summary and a fix`);
  assert.equal(shown.client, want.client ?? '', `${label}: what the client signed`);
  assert.equal(shown.server, want.server ?? '', `${label}: what the server computed`);
  return shown;
}

test('Explain credentials: each scheme has its group, every field of the contract, folded groups count what they hold', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    for (const [group, names] of Object.entries(GROUPS)) {
      assert.equal(await page.$eval(`#${group}`, (d) => d.tagName), 'DETAILS', group);
      for (const name of names) {
        const inGroup = await page.$eval(`#${FIELDS[name]}`, (el, g) => el.closest('details')?.id === g, group);
        assert.ok(inGroup, `${name} (#${FIELDS[name]}) is in ${group}`);
      }
    }
    const all = Object.values(GROUPS).flat().sort();
    assert.deepEqual(all, Object.keys(FIELDS).sort(), 'every credential of the contract has a field');
    // Secret fields are masked.
    for (const name of ['sharedSecret', 'consumerSecret', 'token', 'tokenSecret']) {
      assert.equal(await page.getAttribute(`#${FIELDS[name]}`, 'type'), 'password', name);
    }
    // A folded group says it holds something.
    await page.$eval('#explain-creds-trusted', (d) => { d.open = true; });
    await page.fill('#explain-username', 'jdoe');
    await page.fill('#explain-application-id', 'confluence:4521');
    await page.$eval('#explain-creds-trusted', (d) => { d.open = false; });
    assert.equal(await page.textContent('#explain-creds-trusted-filled'), '(2 filled)');
    assert.equal(await page.textContent('#explain-creds-oauth-filled'), '');
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('Explain credentials: a v2 trusted-apps signature under a v3 header is VERSION_MISMATCH once the public key is pasted', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    const text = trustedAppsV2UnderV3();
    const exchange = api.parseExchange(text);
    await fillCredentials(page, {});
    await page.fill('#explain-base', '');

    // Without the key: what the headers alone show, not the verified cause.
    const without = api.explain(exchange);
    assert.notDeepEqual(without.causes, ['VERSION_MISMATCH'], 'the key is what decides it');
    assert.deepEqual(await explainPaste(page, text), without.causes);

    // With the caller's public key in the new field.
    await fillCredentials(page, { publicKey: PUBLIC_PEM, username: 'jdoe', applicationId: 'confluence:4521' });
    await waitState(page, 'explain-form', 'ok');
    await page.waitForFunction(() => document.getElementById('explain-result').dataset.causes === 'VERSION_MISMATCH');
    const want = api.explain({ ...exchange, credentials: { publicKey: PUBLIC_PEM, username: 'jdoe', applicationId: 'confluence:4521' } });
    assert.deepEqual(want.causes, ['VERSION_MISMATCH']);
    assert.equal(await page.getAttribute('#explain-result', 'data-scheme'), 'trusted-apps');
    const shown = await assertShows(page, want, 'trusted apps');
    assert.match(shown.summary, /v2/);
    assert.match(shown.tried, /the signature as v2 over https:\/\/jira\.example\.com/);

    // A v3 signature over the URL the client used, refused by a server that rebuilt another one:
    // the verdict's two sides, the differing parts marked.
    const moved = trustedAppsMoved();
    const wantMoved = api.explain({ ...api.parseExchange(moved), credentials: { publicKey: PUBLIC_PEM } });
    assert.deepEqual(wantMoved.causes.slice(0, 1), ['PROXY_HOST']);
    await fillCredentials(page, { publicKey: PUBLIC_PEM });
    assert.deepEqual(await explainPaste(page, moved), wantMoved.causes);
    await assertShows(page, wantMoved, 'URL moved');
    assert.equal(await page.textContent('#explain-client mark'), 'localhost:8443');
    assert.equal(await page.textContent('#explain-server mark'), 'jira.example.com');
    const rows = await page.$$eval('#explain-diff tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.deepEqual(rows, wantMoved.diff.map((d) => [d.part, d.client, d.server]));

    // The same key given as the private key (the public one derived from it): the same verdict.
    await fillCredentials(page, {});
    assert.deepEqual(await explainPaste(page, text), without.causes);
    await fillCredentials(page, { privateKey: PRIVATE_PEM });
    await page.waitForFunction(() => document.getElementById('explain-result').dataset.causes === 'VERSION_MISMATCH');
    const page_ = await page.content();
    for (const line of PRIVATE_PEM.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'))) {
      assert.ok(!page_.includes(line), 'no line of the private key shows in the page');
    }
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('Explain credentials: the clientKey and the consumer key change the verdict; UNKNOWN shows what was tried', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    const clientKey = 'jira:6a1f3c2e-0d4b-4e9b-9a31-2b7c9f1e8d55';
    const text = connectIssIsClientKey({ clientKey, secret: 'installation-secret-9f2c41d8e7' });
    const exchange = { ...api.parseExchange(text), baseUrl: 'https://acme.atlassian.net' };
    await page.fill('#explain-base', 'https://acme.atlassian.net');

    // The app key alone: iss is wrong, nothing more.
    await fillCredentials(page, { appKey: 'com.example.reports' });
    const wrong = api.explain({ ...exchange, credentials: { appKey: 'com.example.reports' } });
    assert.deepEqual(wrong.causes, ['JWT_ISS_WRONG']);
    assert.deepEqual(await explainPaste(page, text), wrong.causes);
    await assertShows(page, wrong, 'app key only');

    // With the clientKey: the iss is recognised as the installation's clientKey.
    await fillCredentials(page, { appKey: 'com.example.reports', clientKey });
    await page.waitForFunction(() => document.getElementById('explain-result').dataset.causes === 'JWT_ISS_CLIENTKEY');
    const right = api.explain({ ...exchange, credentials: { appKey: 'com.example.reports', clientKey } });
    assert.deepEqual(right.causes, ['JWT_ISS_CLIENTKEY']);
    const shown = await assertShows(page, right, 'app key and client key');
    assert.ok(shown.summary.includes(clientKey), 'the summary names the clientKey (an identifier, not a secret)');

    // The clientKey alone: no cause holds, and the page says what was tried.
    await fillCredentials(page, { clientKey });
    await page.waitForFunction(() => document.getElementById('explain-result').dataset.causes === 'UNKNOWN');
    const unknown = api.explain({ ...exchange, credentials: { clientKey } });
    assert.equal(unknown.cause, 'UNKNOWN');
    const tried = (await assertShows(page, unknown, 'client key only')).tried;
    assert.ok(unknown.tried.length > 0);
    for (const t of unknown.tried) assert.ok(tried.includes(t), `"${t}" is shown as tried`);
    assert.equal(await page.$eval('#explain-tried', (el) => el.classList.contains('unknown')), true);

    // OAuth: no Authorization header; the consumer key says the client holds OAuth credentials.
    await fillCredentials(page, {});
    await page.fill('#explain-base', '');
    const oauth = oauthNoHeader();
    const anonymous = api.explain(api.parseExchange(oauth));
    assert.notDeepEqual(anonymous.causes, ['OAUTH_PARAM_MISSING']);
    assert.deepEqual(await explainPaste(page, oauth), anonymous.causes);
    await fillCredentials(page, { consumerKey: 'jira-reports-client' });
    await page.waitForFunction(() => document.getElementById('explain-result').dataset.causes === 'OAUTH_PARAM_MISSING');
    const missing = api.explain({ ...api.parseExchange(oauth), credentials: { consumerKey: 'jira-reports-client' } });
    assert.deepEqual(missing.causes, ['OAUTH_PARAM_MISSING']);
    assert.equal(await page.getAttribute('#explain-result', 'data-scheme'), 'oauth');
    await assertShows(page, missing, 'consumer key');
    assert.equal(await page.textContent('#explain-tried'), '', 'a cause was found: nothing tried to show');
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('Explain credentials: no secret typed shows in the page, its address or its storage, with "Remember" and secrets ticked', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    const secrets = {
      sharedSecret: 'sharedSecret-7c1e9a4b22d0f6', consumerSecret: 'consumerSecret-53ab0e91c7f2',
      token: 'accessToken-0f9d2c7b6e15a3', tokenSecret: 'tokenSecret-b84e1d02a6c9f7', privateKey: PRIVATE_PEM,
    };
    const pemLines = PRIVATE_PEM.split('\n').filter((l) => l.length >= 16 && !l.startsWith('-----'));
    const needles = [...Object.values(secrets).filter((s) => s !== PRIVATE_PEM), ...pemLines];

    const home = page.url();
    await page.check('#remember');
    await page.check('#remember-secrets');
    const everything = {
      ...secrets, appKey: 'com.example.reports', clientKey: 'jira:6a1f3c2e', accessKey: 'amlyYTpzb21lLWFjY2Vzcw',
      accountId: '557058:0a1b2c3d', consumerKey: 'jira-reports-client', applicationId: 'confluence:4521', username: 'jdoe',
      publicKey: PUBLIC_PEM,
    };
    await fillCredentials(page, everything);
    // Each scheme's exchange, with every credential at hand; Enter in a field must not submit the form.
    for (const text of [trustedAppsV2UnderV3(), connectIssIsClientKey({ clientKey: 'jira:6a1f3c2e', secret: secrets.sharedSecret }), oauthNoHeader()]) {
      await explainPaste(page, text);
      await page.press('#explain-token-secret', 'Enter');
      await page.press('#explain-secret', 'Enter');

      const seen = await page.evaluate(() => ({
        text: document.body.textContent,
        html: document.documentElement.outerHTML,
        url: location.href,
        local: JSON.stringify({ ...localStorage }),
        session: JSON.stringify({ ...sessionStorage }),
        title: document.title,
      }));
      assert.equal(seen.url, home, 'the address holds nothing typed (no query, no hash)');
      for (const [where, value] of Object.entries(seen)) {
        for (const needle of needles) assert.ok(!value.includes(needle), `a secret (${needle.slice(0, 12)}…) shows in the ${where}`);
      }
      // Stored: the identifiers (they follow "Remember"), none of the secrets.
      const stored = JSON.parse(await page.evaluate(() => localStorage.getItem('atlassian-sign:inputs'))).values;
      for (const name of ['sharedSecret', 'consumerSecret', 'token', 'tokenSecret', 'privateKey']) {
        assert.equal(stored[FIELDS[name]], undefined, `${name} is never stored`);
      }
      for (const name of ['appKey', 'clientKey', 'consumerKey', 'applicationId', 'username', 'publicKey']) {
        assert.equal(stored[FIELDS[name]], everything[name], `${name} follows "Remember"`);
      }
    }

    // A copy stored before these fields were never stored (the shared secret went with "including
    // keys and secrets"): not restored, and rewritten without it on load.
    await page.evaluate(() => {
      const saved = JSON.parse(localStorage.getItem('atlassian-sign:inputs'));
      saved.values['explain-secret'] = 'sharedSecret-from-an-older-page';
      localStorage.setItem('atlassian-sign:inputs', JSON.stringify(saved));
    });
    // A reload restores the identifiers and leaves every secret field empty.
    await page.reload();
    await page.waitForSelector('html[data-ready="true"]');
    for (const name of ['sharedSecret', 'consumerSecret', 'token', 'tokenSecret', 'privateKey']) {
      assert.equal(await page.inputValue(`#${FIELDS[name]}`), '', `${name} is empty after a reload`);
    }
    assert.equal(await page.inputValue('#explain-client-key'), 'jira:6a1f3c2e');
    const after = await page.evaluate(() => localStorage.getItem('atlassian-sign:inputs'));
    assert.ok(!after.includes('sharedSecret-from-an-older-page'), 'the older copy is rewritten without the secret');
    assert.ok(after.includes('jira:6a1f3c2e'), 'and still holds the identifiers');
    await page.click('#forget');
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});
