// A real OAuth 1.0a provider: oauthlib's ResourceEndpoint (tests/python/provider.py, our code is
// only its request validator) on 127.0.0.1. Requests signed by signOAuth and sent with fetch are
// accepted; each tampering is refused, for the reason it should be.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import * as api from '../../pkg/index.mjs';
import { root, vector } from './helpers.mjs';

const KEY = vector('oauth-cases.json').test_key;
const python = join(root, 'tests/.venv/bin/python');
const skip = existsSync(python) ? false : 'tests/.venv is missing (npm test creates it from tests/requirements.txt)';
if (skip) console.log(`# skipping the oauthlib provider test: ${skip}`);

// What the provider's validator knows (tests/python/provider.py).
const CONSUMER_KEY = 'atlassiansigntestconsumer';
const ACCESS_TOKEN = 'accesstoken0123456789';

let provider;
let base;
let dir;

before(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'oauth-provider-'));
  const keyFile = join(dir, 'public.pem');
  writeFileSync(keyFile, KEY.public_spki_pem);
  provider = spawn(python, ['-u', join(root, 'tests/python/provider.py'), keyFile], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the provider did not start within 15 s')), 15000);
    provider.once('exit', (code) => reject(new Error(`the provider exited (${code}) before listening`)));
    createInterface({ input: provider.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line).port);
    });
  });
  base = `http://127.0.0.1:${port}`;
});

after(() => {
  if (provider && provider.exitCode === null) {
    provider.stdin.end();
    provider.kill('SIGTERM');
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const credentials = (extra) => ({ consumerKey: CONSUMER_KEY, token: ACCESS_TOKEN, privateKey: KEY.private_pkcs8_pem, ...extra });

/**
 * Sends a signed request with fetch: its URL, method, headers and (signed form) body, or the
 * request's own body and content type when the body was not signed (JSON). `change` alters
 * what is sent after signing.
 */
async function send(request, signed, change = {}) {
  const res = await fetch(change.url ?? signed.url, {
    method: signed.method,
    headers: { ...(request.contentType && { 'Content-Type': request.contentType }), ...signed.headers },
    body: change.body ?? signed.body ?? request.body,
  });
  return { status: res.status, json: await res.json() };
}

test('signed requests are accepted by oauthlib', { skip }, async () => {
  const cases = [
    { method: 'GET', url: `${base}/rest/api/2/search?jql=project%20%3D%20TEST%20ORDER%20BY%20created&maxResults=50` },
    { method: 'GET', url: `${base}/rest/api/2/search?jql=project+%3D+TEST&fields=a&fields=b&empty=` },
    { method: 'GET', url: `${base}/` },
    // fetch escapes the space and the non-ASCII path characters; the signature covers the path as sent.
    { method: 'GET', url: `${base}/display/SP/Bob's Page/é%2Bx?q=%E6%97%A5%E6%9C%AC` },
    { method: 'POST', url: `${base}/rest/x?a3=a&c%40=`, body: { a3: '2 q', c2: '', 'ü': 'x+y' } },
    { method: 'PUT', url: `${base}/rest/x`, body: 'z=%C3%A9t%C3%A9&a=2&a=1&m=x+y%2Bz', contentType: 'application/x-www-form-urlencoded' },
    { method: 'POST', url: `${base}/rest/api/2/issue`, body: '{"fields":{"summary":"a b"}}', contentType: 'application/json' },
    { method: 'DELETE', url: `${base}/rest/api/2/issue/TEST-1?deleteSubtasks=true` },
  ];
  for (const request of cases) {
    const signed = await api.signOAuth(request, credentials());
    const res = await send(request, signed);
    assert.equal(res.status, 200, `${request.method} ${request.url}: ${JSON.stringify(res.json)}`);
  }
  // RSA-SHA1 from the pure-Rust signer and from a PKCS#1 key, with a realm, without oauth_version.
  for (const extra of [{ realm: 'https://jira.example.com' }, { includeVersion: false, privateKey: KEY.private_pkcs1_pem }]) {
    const signed = api.signOAuthSync({ url: `${base}/rest/api/2/myself` }, credentials(extra));
    assert.equal((await send({}, signed)).status, 200, JSON.stringify(extra));
  }
});

test('tampered requests are refused, each for its reason', { skip }, async () => {
  const url = `${base}/rest/api/2/search?jql=project%20%3D%20A`;
  const refused = async (what, res, reason) => {
    assert.equal(res.status, 401, `${what}: ${JSON.stringify(res.json)}`);
    assert.equal(res.json.valid, false);
    assert.match(res.json.reason, reason, `${what}: ${JSON.stringify(res.json)}`);
  };
  // Changed query.
  let signed = await api.signOAuth({ url }, credentials());
  await refused('changed query', await send({}, signed, { url: url.replace('%20A', '%20B') }), /invalid signature/);
  signed = await api.signOAuth({ url }, credentials());
  await refused('added query parameter', await send({}, signed, { url: `${url}&x=1` }), /invalid signature/);
  // Changed path.
  signed = await api.signOAuth({ url }, credentials());
  await refused('changed path', await send({}, signed, { url: url.replace('/search', '/searcH') }), /invalid signature/);
  // Changed body.
  signed = await api.signOAuth({ method: 'POST', url, body: { summary: 'a' } }, credentials());
  assert.equal(signed.body, 'summary=a');
  await refused('changed body', await send({}, signed, { body: 'summary=b' }), /invalid signature/);
  // Another key.
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  signed = await api.signOAuth({ url }, credentials({ privateKey: other }));
  await refused('another key', await send({}, signed), /invalid signature/);
  // Expired timestamp (oauthlib allows 300 s).
  signed = await api.signOAuth({ url }, credentials({ timestamp: Math.floor(Date.now() / 1000) - 3600 }));
  await refused('expired timestamp', await send({}, signed), /timestamp/i);
  // And the same requests untampered pass, so each refusal above is the tampering's doing.
  for (const request of [{ url }, { method: 'POST', url, body: { summary: 'a' } }]) {
    signed = await api.signOAuth(request, credentials());
    assert.equal((await send({}, signed)).status, 200);
  }
  // Beyond the five: a replayed nonce, an unknown consumer, HMAC to an RSA-only provider.
  signed = await api.signOAuth({ url }, credentials());
  assert.equal((await send({}, signed)).status, 200);
  await refused('replayed nonce', await send({}, signed), /token or nonce/);
  signed = await api.signOAuth({ url }, credentials({ consumerKey: 'someoneelseconsumer' }));
  await refused('unknown consumer', await send({}, signed), /invalid client/);
  signed = await api.signOAuth({ url }, credentials({ signatureMethod: 'HMAC-SHA1', consumerSecret: 'x' }));
  await refused('HMAC-SHA1', await send({}, signed), /HMAC-SHA1 not in/);
});
