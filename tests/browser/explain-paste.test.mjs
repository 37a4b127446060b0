// The Explain section's pasted exchange in Debian's Chromium: each paste form (HAR, curl -v, raw
// HTTP) from tests/explain-corpus/pastes/ is pasted with the corpus entry's base URL and the
// credentials the page has fields for, and the page names the same causes as the Node build's
// explain() of the corpus entry itself; no secret shows in the result; a bad paste is a coded error.
//   cd /work/main && node --test tests/browser/explain-paste.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NO_CHROMIUM, ROOT, assertSameOrigin, openPage, servePage, waitState } from './helpers.mjs';

const corpusDir = path.join(ROOT, 'tests/explain-corpus');
const pastes = JSON.parse(readFileSync(path.join(corpusDir, 'pastes/index.json'), 'utf8')).entries;
const corpus = JSON.parse(readFileSync(path.join(corpusDir, 'corpus.json'), 'utf8'));
const corpusEntry = (id) => corpus.entries.find((e) => e.id === id) ?? assert.fail(`corpus entry ${id}`);

let baseUrl;
let browser;
let api;
servePage((s) => ({ baseUrl, browser, api } = s));

const opts = { skip: NO_CHROMIUM, timeout: 60_000 };

/** What must never show in the result: secrets, private keys (and their PEM lines), tokens secrets. */
function secretsOf(credentials = {}) {
  const out = [];
  for (const name of ['sharedSecret', 'consumerSecret', 'tokenSecret', 'privateKey']) {
    const v = credentials[name];
    if (typeof v !== 'string' || !v) continue;
    out.push(v);
    // A PEM's base64 lines, each on its own: a part of the key is as bad as all of it.
    for (const line of v.split('\n')) if (line.length >= 16 && !line.startsWith('-----')) out.push(line);
  }
  return out;
}

test('Explain: each paste form names the causes of its corpus entry, with summary, fix and no secret shown', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    const forms = new Set();
    for (const p of pastes) {
      const entry = corpusEntry(p.entry);
      const want = api.explain(entry.input);
      const text = readFileSync(path.join(corpusDir, p.file), 'utf8');
      const credentials = entry.input.credentials ?? {};
      const label = `${p.file} (${p.form})`;

      // Start from an empty section, then paste with the fields the page has.
      await page.fill('#explain-paste', '');
      await waitState(page, 'explain-form', 'empty');
      await page.fill('#explain-har-entry', p.harEntry === undefined ? '' : String(p.harEntry));
      await page.fill('#explain-base', entry.input.baseUrl ?? '');
      await page.fill('#explain-secret', credentials.sharedSecret ?? '');
      await page.fill('#explain-app-key', credentials.appKey ?? '');
      const key = credentials.privateKey ?? credentials.publicKey;
      await page.fill('#explain-oauth-key', typeof key === 'string' ? key : key ? JSON.stringify(key) : '');
      await page.fill('#explain-paste', text);
      await waitState(page, 'explain-form', 'ok', 'error');
      assert.equal(await page.getAttribute('#explain-form', 'data-state'), 'ok',
        `${label}: ${await page.textContent('#explain-error')}`);
      assert.equal(await page.getAttribute('#explain-result', 'data-source'), 'exchange', label);

      // The same causes as the corpus entry's own explanation, shown as the main cause and "also ...".
      assert.deepEqual((await page.getAttribute('#explain-result', 'data-causes')).split(' '), want.causes, label);
      const cause = await page.textContent('#explain-cause');
      assert.equal(cause, want.causes[0], label);
      const also = await page.textContent('#explain-causes');
      const shown = [cause, ...(also ? also.replace(/^also /, '').split(', ') : [])];
      assert.deepEqual(shown, want.causes, label);
      assert.equal(await page.isVisible('#explain-result'), true, label);
      assert.ok((await page.textContent('#explain-summary')).trim().length > 0, `${label}: a summary`);
      assert.ok((await page.textContent('#explain-fix')).trim().length > 0, `${label}: a fix`);

      // The diff, when there is one, puts both sides in a row per part, differing parts marked.
      const rows = await page.$$eval('#explain-diff tbody tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
      const diff = await page.evaluate(() => document.getElementById('explain-diff-wrap').hidden);
      assert.equal(diff, rows.length === 0, label);
      for (const r of rows) assert.equal(r.length, 3, label);

      // No secret in the result or the error box: text, attributes, nothing.
      const rendered = await page.$eval('#explain', (s) => ['explain-result', 'explain-error']
        .map((id) => s.querySelector(`#${id}`).outerHTML).join('\n'));
      for (const secret of secretsOf(credentials)) {
        assert.ok(!rendered.includes(secret), `${label}: a secret (${secret.length} characters) shows in the result`);
      }
      forms.add(p.form);
    }
    assert.deepEqual([...forms].sort(), ['HAR', 'curl -v', 'raw HTTP'], 'every paste form was tried');

    // The secret fields follow "Remember": stored without keys and secrets unless that is ticked too.
    await page.check('#remember');
    const stored = await page.evaluate(() => localStorage.getItem('atlassian-sign:inputs'));
    const values = JSON.parse(stored).values;
    for (const id of ['explain-secret', 'explain-oauth-key', 'explain-paste']) {
      assert.equal(values[id], undefined, `${id} is not stored without "including keys and secrets"`);
    }
    assert.ok('explain-app-key' in values && 'explain-har-entry' in values, 'the other new fields are stored');
    await page.check('#remember-secrets');
    const withSecrets = JSON.parse(await page.evaluate(() => localStorage.getItem('atlassian-sign:inputs'))).values;
    assert.equal(typeof withSecrets['explain-paste'], 'string', 'stored once "including keys and secrets" is ticked');
    await page.click('#forget');
    assert.equal(await page.evaluate(() => localStorage.getItem('atlassian-sign:inputs')), null);
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('Explain: a bad paste is a coded error, the page keeps working, and the flat form still explains', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    await page.fill('#explain-paste', 'curl "https://unclosed');
    await waitState(page, 'explain-form', 'error');
    assert.equal(await page.textContent('#explain-error .code'), 'ERR_INVALID_INPUT');
    assert.match(await page.textContent('#explain-error .message'), /\S/);
    assert.match(await page.textContent('#explain-error .fix'), /Paste the whole exchange/);
    assert.equal(await page.isHidden('#explain-result'), true);

    // A HAR entry index that is not one: the same coded error.
    const p = pastes.find((x) => x.form === 'HAR');
    await page.fill('#explain-paste', readFileSync(path.join(corpusDir, p.file), 'utf8'));
    await page.fill('#explain-har-entry', '99');
    await waitState(page, 'explain-form', 'error');
    assert.equal(await page.textContent('#explain-error .code'), 'ERR_INVALID_INPUT');

    // Then a good paste works again.
    await page.fill('#explain-har-entry', String(p.harEntry));
    await waitState(page, 'explain-form', 'ok');
    assert.equal(await page.isHidden('#explain-error'), true);
    assert.deepEqual((await page.getAttribute('#explain-result', 'data-causes')).split(' '), api.explain(corpusEntry(p.entry).input).causes);

    // The flat form, as before, once the paste is cleared; an example button clears the paste itself.
    await page.fill('#explain-paste', '');
    await waitState(page, 'explain-form', 'empty');
    await page.fill('#explain-paste', 'curl "https://unclosed');
    await waitState(page, 'explain-form', 'error');
    await page.click('[data-example="oauth"]');
    await waitState(page, 'explain-form', 'ok');
    assert.equal(await page.inputValue('#explain-paste'), '');
    assert.equal(await page.getAttribute('#explain-result', 'data-source'), 'form');
    assert.equal(await page.textContent('#explain-cause'), 'PROXY_SCHEME');
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});
