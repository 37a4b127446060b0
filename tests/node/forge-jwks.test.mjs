// createForgeJwks (issue 18): the Forge JWKS fetched from a real HTTP server on 127.0.0.1 and
// cached, as jose's createRemoteJWKSet does: cache hits, the cache lifetime, a throttled refetch
// for a kid it does not hold, a timeout, and a code for each way the fetch fails. Plugged into
// verifyForgeInvocationToken, with tokens signed by jose.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import * as jose from 'jose';
import * as api from '../../pkg/index.mjs';

const appId = '8fb1e9f2-1b8e-4d45-9b4c-0a9c3b7f1234';
const now = Math.floor(Date.now() / 1000);
const pairs = { a: generateKeyPairSync('rsa', { modulusLength: 2048 }), b: generateKeyPairSync('rsa', { modulusLength: 2048 }) };
const jwk = async (kid) => ({ ...(await jose.exportJWK(pairs[kid].publicKey)), kid, alg: 'RS256' });
const fit = (kid, signer = kid) => new jose.SignJWT({ app: { id: `ari:cloud:ecosystem::app/${appId}` }, principal: 'account-1' })
  .setProtectedHeader({ alg: 'RS256', kid }).setIssuer('forge/invocation-token').setAudience(`ari:cloud:ecosystem::app/${appId}`)
  .setIssuedAt(now).setExpirationTime(now + 300).sign(pairs[signer].privateKey);

// What the server answers: set by each test. `hits` counts the requests it received.
let answer = async (res) => res.end('{}');
let hits = 0;
let server;
let base;
before(async () => {
  server = createServer((req, res) => {
    hits++;
    answer(res, req).catch((e) => res.destroy(e));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => new Promise((resolve) => {
  server.closeAllConnections?.();
  server.close(resolve);
}));

const serve = (keys) => {
  answer = async (res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys }));
  };
};

test('fetched once, served from the cache, fetched again when older than cacheMaxAge', async () => {
  serve([await jwk('a')]);
  hits = 0;
  const jwks = api.createForgeJwks({ url: `${base}/jwks.json`, cacheMaxAge: 300, cooldown: 60_000 });
  const token = await fit('a');
  // Concurrent first calls share one fetch.
  const outs = await Promise.all([1, 2, 3].map(() => api.verifyForgeInvocationToken(`Bearer ${token}`, { jwks, appId })));
  assert.deepEqual(outs.map((o) => o.principal), ['account-1', 'account-1', 'account-1']);
  assert.equal(hits, 1);
  await api.verifyForgeInvocationToken(token, { jwks, appId });
  assert.equal(hits, 1, 'a cache hit');
  assert.equal(jwks.fetches, 1);
  await sleep(320);
  await api.verifyForgeInvocationToken(token, { jwks, appId });
  assert.equal(hits, 2, 'refetched once the cache is older than cacheMaxAge');
});

test('a kid the cache does not hold refetches, at most once per cooldown', async () => {
  serve([await jwk('a')]);
  hits = 0;
  const jwks = api.createForgeJwks({ url: `${base}/jwks.json`, cacheMaxAge: 60_000, cooldown: 250 });
  await api.verifyForgeInvocationToken(await fit('a'), { jwks, appId });
  assert.equal(hits, 1);
  // Keys rotate: b is published. Within the cooldown a token with b is refused without a fetch.
  serve([await jwk('a'), await jwk('b')]);
  const rotated = await fit('b');
  await assert.rejects(api.verifyForgeInvocationToken(rotated, { jwks, appId }), { code: 'ERR_INVALID_KEY', message: /no key with kid "b" \(it has a\)/ });
  assert.equal(hits, 1, 'throttled: no fetch within the cooldown');
  await sleep(270);
  assert.equal((await api.verifyForgeInvocationToken(rotated, { jwks, appId })).principal, 'account-1');
  assert.equal(hits, 2, 'one refetch after the cooldown');
  // Made-up kids cannot make it hammer the server.
  for (let i = 0; i < 5; i++) {
    await assert.rejects(api.verifyForgeInvocationToken(await fit(`made-up-${i}`, 'a'), { jwks, appId }), { code: 'ERR_INVALID_KEY' });
  }
  assert.equal(hits, 2);
  // A token signed by another key under a known kid is refused by the signature check.
  await assert.rejects(api.verifyForgeInvocationToken(await fit('b', 'a'), { jwks, appId }), { code: 'ERR_JWT_SIGNATURE_INVALID' });
  // An empty JWKS: the message says it holds no key.
  serve([]);
  const empty = api.createForgeJwks({ url: `${base}/jwks.json` });
  await assert.rejects(api.verifyForgeInvocationToken(rotated, { jwks: empty, appId }),
    { code: 'ERR_INVALID_KEY', message: /no key with kid "b" \(it holds no key with a kid\)/ });
});

test('each way the fetch fails has its code, and the next call fetches again', async () => {
  const token = await fit('a');
  const url = `${base}/jwks.json`;
  // No answer within the timeout.
  answer = async (res) => {
    await sleep(400);
    res.end('{"keys":[]}');
  };
  const slow = api.createForgeJwks({ url, timeout: 100 });
  const started = Date.now();
  await assert.rejects(api.verifyForgeInvocationToken(token, { jwks: slow, appId }),
    (e) => e.code === 'ERR_JWKS_TIMEOUT' && e.url === url && /did not answer within 100 ms/.test(e.message));
  assert.ok(Date.now() - started < 350, 'the timeout, not the server, ended the wait');
  // An HTTP error status.
  answer = async (res) => {
    res.statusCode = 503;
    res.end('unavailable');
  };
  const jwks = api.createForgeJwks({ url });
  await assert.rejects(api.verifyForgeInvocationToken(token, { jwks, appId }),
    (e) => e.code === 'ERR_JWKS_FETCH' && e.httpStatus === 503 && /answered HTTP 503/.test(e.message));
  // A body that is not a JWKS.
  answer = async (res) => res.end('<html>login</html>');
  await assert.rejects(api.verifyForgeInvocationToken(token, { jwks, appId }), { code: 'ERR_JWKS_INVALID', message: /not JSON/ });
  answer = async (res) => res.end('{"kids":[]}');
  await assert.rejects(api.verifyForgeInvocationToken(token, { jwks, appId }), { code: 'ERR_JWKS_INVALID', message: /no "keys" array/ });
  // Recovered: the failures were not cached.
  serve([await jwk('a')]);
  assert.equal((await api.verifyForgeInvocationToken(token, { jwks, appId })).principal, 'account-1');
  // Nothing listening.
  const closed = createServer();
  await new Promise((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const gone = `http://127.0.0.1:${closed.address().port}/jwks.json`;
  await new Promise((resolve) => closed.close(resolve));
  await assert.rejects(api.createForgeJwks({ url: gone })('a'), (e) => e.code === 'ERR_JWKS_FETCH' && /failed:/.test(e.message));
  // Bad options.
  assert.throws(() => api.createForgeJwks({ url: 'ftp://x' }), { code: 'ERR_INVALID_INPUT' });
  assert.throws(() => api.createForgeJwks({ timeout: -1 }), { code: 'ERR_INVALID_INPUT' });
  assert.equal(api.createForgeJwks().url, 'https://forge.cdn.prod.atlassian-dev.net/.well-known/jwks.json');
});
