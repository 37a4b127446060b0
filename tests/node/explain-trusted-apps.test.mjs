// explain on a whole trusted-applications exchange, through the package and the CLI. The caller
// side is written here with node:crypto (SHA1withRSA over the v3 or v2 string, the v3
// certificate in clear), independent of the package's own signer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const a = createRequire(import.meta.url)(path.join(root, 'pkg/index.cjs'));
const cli = path.join(root, 'pkg/bin/atlassian-sign.cjs');

const URL_SENT = 'https://fisheye.example.com/rest-service/repositories-v1';
const DATE = 'Mon, 12 Jan 2026 09:00:00 GMT';
const NOW_MS = Date.parse(DATE);
const MAGIC = '-1159983122';
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = publicKey.export({ type: 'spki', format: 'pem' });

/** The v3 headers, signed over `signedText` (the v3 string unless a test says otherwise). */
function headers({ ts = NOW_MS, user = 'alice', url = URL_SENT, v2Signature = false, version = '3' } = {}) {
  const text = v2Signature ? `${ts}\n${url}` : `${ts}\n${url}\n${user}`;
  const h = {
    'X-Seraph-Trusted-App-ID': 'confluence:123',
    'X-Seraph-Trusted-App-Cert': Buffer.from(`${ts}\n${user}\n${MAGIC}`).toString('base64'),
    'X-Seraph-Trusted-App-Signature': crypto.sign('sha1', Buffer.from(text), privateKey).toString('base64'),
  };
  if (version) h['X-Seraph-Trusted-App-Version'] = version;
  return h;
}

function exchange(sent, error) {
  return {
    request: { method: 'GET', url: URL_SENT, headers: sent },
    response: { status: 401, headers: { Date: DATE, 'X-Seraph-Trusted-App-Status': 'ERROR', 'X-Seraph-Trusted-App-Error': error } },
  };
}

const badSignature = (url) => `BAD_SIGNATURE;\tBad signature for URL: {0};\t["${url}"]`;

test('a v2 signature under a v3 header is found with the caller\'s public key', () => {
  const e = a.explain({ ...exchange(headers({ v2Signature: true }), badSignature(URL_SENT)), credentials: { publicKey: publicPem } });
  assert.deepEqual(e.causes, ['VERSION_MISMATCH'], e.summary);
  assert.equal(e.verified, true, 'the v2 string verified with the key');
  assert.equal(a.explain(exchange(headers({ v2Signature: true }), badSignature(URL_SENT))).verified, false, 'no key: inferred');
  // The same exchange with a correct v3 signature: the server must hold another key.
  const k = a.explain({ ...exchange(headers(), badSignature(URL_SENT)), credentials: { publicKey: publicPem } });
  assert.deepEqual(k.causes, ['KEY_MISMATCH'], k.summary);
  assert.ok(!JSON.stringify([e, k]).includes('BEGIN PUBLIC KEY'));
});

test('a URL rebuilt behind a proxy is confirmed; OLD_CERT says by how much the clocks differ', () => {
  const server = 'http://fisheye.example.com:8060/rest-service/repositories-v1';
  const e = a.explain({ ...exchange(headers(), badSignature(server)), credentials: { publicKey: publicPem } });
  assert.equal(e.cause, 'PROXY_SCHEME', e.summary);
  assert.match(e.summary, /verifies with your key/);
  const old = a.explain(exchange(headers({ ts: NOW_MS - 7_200_000 }), 'OLD_CERT;\tCertificate too old'));
  assert.equal(old.cause, 'CLOCK_SKEW');
  assert.match(old.summary, /7200 s behind/);
});

test('the CLI explains a raw trusted-apps exchange with --public-key and never prints the key', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ta-explain-'));
  try {
    const h = headers({ v2Signature: true });
    const raw = [
      'GET /rest-service/repositories-v1 HTTP/1.1',
      'Host: fisheye.example.com',
      ...Object.entries(h).map(([n, v]) => `${n}: ${v}`),
      '',
      'HTTP/1.1 401 Unauthorized',
      `Date: ${DATE}`,
      'X-Seraph-Trusted-App-Status: ERROR',
      `X-Seraph-Trusted-App-Error: ${badSignature(URL_SENT)}`,
      '',
      '',
    ].join('\r\n');
    writeFileSync(path.join(dir, 'exchange.txt'), raw);
    writeFileSync(path.join(dir, 'caller.pem'), publicPem);
    const out = execFileSync(process.execPath, [cli, 'explain', '--exchange', path.join(dir, 'exchange.txt'),
      '--public-key', path.join(dir, 'caller.pem'), '--json'], { encoding: 'utf8' });
    const e = JSON.parse(out);
    assert.deepEqual(e.causes, ['VERSION_MISMATCH'], e.summary);
    assert.ok(!out.includes('BEGIN PUBLIC KEY'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
