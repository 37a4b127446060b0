// atlassian-sign/middleware in real node:http servers on 127.0.0.1: a plain handler-style server
// and an Express-style app (emulated: no express installed) mounted under /connect. Requests are
// real fetch calls signed by this toolkit, by npm atlassian-jwt, and RS256 install callbacks
// whose public key comes through createInstallKeyResolver with a fake fetch.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import * as aj from 'atlassian-jwt';
import * as api from '../../pkg/index.mjs';
import { connectMiddleware, createInstallKeyResolver } from '../../pkg/middleware.mjs';
import { require, vector } from './helpers.mjs';

const key = vector('oauth-cases.json').test_key;
const SECRET = 'shared-secret-of-acme-0123456789';
const clientKey = 'acme-client-key';
const KID = 'install-kid-1';
const secrets = { [clientKey]: SECRET };
const now = () => Math.floor(Date.now() / 1000);
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

/** A fake connect-install-keys server: the PEM for KID, 404 for every other kid. */
function fakeKeyServer({ delay = 0 } = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push(url);
    assert.equal(typeof init, 'object');
    if (delay) await sleep(delay);
    if (url === api.installKeyUrl(KID)) {
      return new Response(key.public_spki_pem, { status: 200, headers: { 'content-type': 'application/x-pem-file' } });
    }
    return new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 });
  };
  return { fetch, calls, count: (kid) => calls.filter((u) => u === api.installKeyUrl(kid)).length };
}

/** HS256 product-to-app token; the qsh over the decoded path, as Jira and Confluence sign. */
function hsToken(method, url, baseUrl, { secret = SECRET, iss = clientKey, exp, qsh, body, sub = 'account-1' } = {}) {
  return api.encodeJwt({
    iss, sub, iat: now(), exp: exp ?? now() + 180,
    qsh: qsh ?? api.createQsh(method, url, { baseUrl, pathForm: 'decoded', body }),
  }, secret);
}

/** RS256 signed install/uninstall callback token. */
function installToken(baseUrl, { path = '/installed', iss = clientKey, aud = baseUrl, kid = KID, alg = 'RS256', signKey = key.private_pkcs8_pem, exp } = {}) {
  const qsh = api.createQsh('POST', baseUrl + path, { baseUrl });
  return api.encodeJwt({ iss, aud, qsh, iat: now(), exp: exp ?? now() + 60 }, signKey, { kid, algorithm: alg });
}

const noneToken = (header, payload) => `${b64(header)}.${b64(payload)}.`;
const installBody = (ck = clientKey) => JSON.stringify({ key: 'my-app', clientKey: ck, sharedSecret: SECRET, baseUrl: 'https://acme.atlassian.net', eventType: 'installed' });

async function send(origin, path, { method = 'GET', token, headers = {}, body } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `JWT ${token}`;
  const res = await fetch(origin + path, { method, headers: h, body });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, json, text };
}

async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

function close(server) {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
}

const echo = (req) => JSON.stringify({ atlassian: req.atlassian, body: req.body ?? null, url: req.url, local: req.local ?? null });

// --- servers --------------------------------------------------------------------------------

// 1. Plain node:http, handler style; the app lives at the root of its baseUrl.
const plainBase = 'https://app.example.com';
const plainKeys = fakeKeyServer();
let plain;

// 2. Express-style app (a tiny router that keeps originalUrl and makes req.url router-local),
//    baseUrl https://app.example.com/connect, routes mounted under /connect and /connect/jira.
const expressBase = 'https://app.example.com/connect';
const expressKeys = fakeKeyServer();
let express;

function miniExpress() {
  const layers = [];
  const app = (req, res) => {
    req.originalUrl = req.url;
    res.status = (code) => { res.statusCode = code; return res; };
    res.json = (v) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify(v)); };
    let i = 0;
    const next = (err) => {
      if (err) { res.statusCode = 500; res.end(String(err)); return undefined; }
      const layer = layers[i++];
      if (!layer) { res.statusCode = 404; res.end('no route'); return undefined; }
      const path = req.originalUrl.split('?')[0];
      if (!(path === layer.mount || path.startsWith(layer.mount + '/'))) return next();
      // Like Express: req.url and req.path become relative to the mount point.
      req.url = req.originalUrl.slice(layer.mount.length) || '/';
      if (!req.url.startsWith('/')) req.url = '/' + req.url;
      req.baseUrl = layer.mount;
      req.path = req.url.split('?')[0];
      return layer.fn(req, res, next);
    };
    next();
  };
  app.use = (mount, ...fns) => { for (const fn of fns) layers.push({ mount, fn }); return app; };
  return app;
}

/** Like body-parser 1.x: sets req.body = {} always, parses only its own content type. */
function bodyParser(type, parse) {
  return async (req, res, next) => {
    req.body = req.body ?? {};
    if (!(req.headers['content-type'] ?? '').startsWith(type)) return next();
    const chunks = [];
    for await (const c of req) chunks.push(c);
    req.body = parse(Buffer.concat(chunks).toString('utf8'));
    req._body = true;
    return next();
  };
}
const jsonParser = bodyParser('application/json', JSON.parse);
const formParser = bodyParser('application/x-www-form-urlencoded', (s) => Object.fromEntries(new URLSearchParams(s)));

before(async () => {
  const mw = connectMiddleware({
    baseUrl: plainBase,
    sharedSecret: async (ck) => secrets[ck],
    installKey: createInstallKeyResolver({ fetch: plainKeys.fetch }),
    allowContextQsh: (req) => req.url.startsWith('/api/'),
  });
  plain = await listen(async (req, res) => {
    await mw(req, res, () => {
      res.setHeader('content-type', 'application/json');
      res.end(echo(req));
    });
  });

  const connect = connectMiddleware({
    baseUrl: expressBase,
    sharedSecret: (ck) => secrets[ck],
    installKey: createInstallKeyResolver({ fetch: expressKeys.fetch }),
  });
  const handler = async (req, res) => {
    // What a verifier that hashed the router-local req.url (Express req.path) would say.
    req.local = await api.verifyConnectRequest({ method: req.method, url: req.url, headers: req.headers, body: req.body },
      { baseUrl: expressBase, sharedSecret: SECRET, lifecycle: req.atlassian.kind === 'lifecycle', installKey: key.public_spki_pem })
      .then(() => 'ok', (e) => e.code);
    res.status(200).json(JSON.parse(echo(req)));
  };
  const app = miniExpress()
    .use('/connect/jira/parsed', formParser, connect, handler)
    .use('/connect/jira', jsonParser, connect, handler)
    .use('/connect', jsonParser, connect, handler);
  express = await listen(app);
});

after(async () => {
  await Promise.all([close(plain.server), close(express.server)]);
});

function assert401(r, code, re) {
  assert.equal(r.status, 401, r.text);
  assert.equal(r.json.code, code, r.json.message);
  if (re) assert.match(r.json.message, re);
  assert.deepEqual(Object.keys(r.json).sort(), ['code', 'message']);
  assert.match(r.headers.get('www-authenticate'), /^JWT realm="https:\/\/app\.example\.com/);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.ok(!r.text.includes(SECRET), 'the shared secret leaked');
}

// --- plain node:http ------------------------------------------------------------------------

test('plain node:http: toolkit-signed product-to-app requests (query token, header, context tokens)', async () => {
  const path = '/issue%20panel?issueKey=TEST-1&lic=none&cp=%2Fwiki';
  const t = hsToken('GET', plainBase + path, plainBase);
  const q = await send(plain.origin, `${path}&jwt=${t}`);
  assert.equal(q.status, 200, q.text);
  assert.equal(q.json.atlassian.clientKey, clientKey);
  assert.equal(q.json.atlassian.kind, 'request');
  assert.equal(q.json.atlassian.context, false);
  assert.equal(q.json.atlassian.claims.sub, 'account-1');
  const h = await send(plain.origin, path, { token: t });
  assert.equal(h.status, 200, h.text);
  assert.equal(h.json.body, null, 'a GET without a body leaves req.body alone');

  const ctx = api.encodeJwt({ iss: clientKey, iat: now(), exp: now() + 60, qsh: 'context-qsh' }, SECRET);
  const allowed = await send(plain.origin, '/api/data?x=1', { token: ctx });
  assert.equal(allowed.status, 200, allowed.text);
  assert.equal(allowed.json.atlassian.context, true);
  assert401(await send(plain.origin, '/panel', { token: ctx }), 'ERR_QSH_CONTEXT_NOT_ALLOWED');
});

test('plain node:http: tokens from npm atlassian-jwt', async () => {
  const qsh = aj.createQueryStringHash(aj.fromMethodAndUrl('GET', '/search?q=a%20b&b=2&a=1'), false, plainBase);
  const t = aj.encodeSymmetric({ iss: clientKey, iat: now(), exp: now() + 60, qsh }, SECRET);
  const r = await send(plain.origin, '/search?q=a%20b&b=2&a=1', { token: t });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.atlassian.claims.qsh, qsh);
  const post = aj.encodeSymmetric({ iss: clientKey, iat: now(), exp: now() + 60, qsh: aj.createQueryStringHash(aj.fromMethodAndUrl('POST', '/hook'), false, plainBase) }, SECRET);
  const p = await send(plain.origin, '/hook', { method: 'POST', token: post, headers: { 'content-type': 'application/json' }, body: '{"event":"jira:issue_updated"}' });
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.json.body, { event: 'jira:issue_updated' }, 'a JSON body is parsed for later handlers');
});

test('plain node:http: each failure answers 401 with its code', async () => {
  const path = '/issue?issueKey=TEST-1';
  const t = hsToken('GET', plainBase + path, plainBase);
  assert401(await send(plain.origin, '/issue?issueKey=TEST-2', { token: t }), 'ERR_QSH_MISMATCH', /GET&\/issue&issueKey=TEST-2/);
  assert401(await send(plain.origin, path, { token: hsToken('GET', path, plainBase, { secret: 'not-the-secret' }) }), 'ERR_JWT_SIGNATURE_INVALID');
  assert401(await send(plain.origin, path, { token: hsToken('GET', path, plainBase, { exp: now() - 600 }) }), 'ERR_JWT_EXPIRED');
  assert401(await send(plain.origin, path), 'ERR_JWT_CLAIM_MISSING', /no token/);
  assert401(await send(plain.origin, path, { headers: { authorization: `Bearer ${t}` } }), 'ERR_JWT_MALFORMED');
  assert401(await send(plain.origin, path, { token: hsToken('GET', path, plainBase, { iss: 'stranger', secret: 'x' }) }), 'ERR_INVALID_KEY', /no shared secret for clientKey "stranger"/);
  for (const alg of ['none', 'NONE', 'nOnE']) {
    const none = noneToken({ alg, typ: 'JWT' }, { iss: clientKey, iat: now(), exp: now() + 60, qsh: api.createQsh('GET', path) });
    assert401(await send(plain.origin, path, { token: none }), 'ERR_JWT_ALG_NOT_ALLOWED');
  }
  // An RS256 token on an HS256 path.
  const rs = api.encodeJwt({ iss: clientKey, iat: now(), exp: now() + 60, qsh: api.createQsh('GET', path) }, key.private_pkcs8_pem);
  assert401(await send(plain.origin, path, { token: rs }), 'ERR_JWT_ALG_NOT_ALLOWED');
});

test('plain node:http: form POST bodies are part of the qsh; the body is read once and kept', async () => {
  const body = 'b=x+y&a=1&a=%C3%A9';
  const t = hsToken('POST', '/form', plainBase, { body });
  const r = await send(plain.origin, '/form', { method: 'POST', token: t, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.body, body, 'the raw form text is left on req.body');
  // atlassian-jwt's checkBodyForParams.
  const ajQsh = aj.createQueryStringHash({ method: 'POST', pathname: '/form', query: {}, body: { a: ['1', 'é'], b: 'x y' } }, true, plainBase);
  const r2 = await send(plain.origin, '/form', { method: 'POST', token: aj.encodeSymmetric({ iss: clientKey, iat: now(), exp: now() + 60, qsh: ajQsh }, SECRET), headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  assert.equal(r2.status, 200, r2.text);
  // The body changed after signing.
  assert401(await send(plain.origin, '/form', { method: 'POST', token: t, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'b=x+y&a=2' }), 'ERR_QSH_MISMATCH');
});

test('plain node:http: bodies over 1 MB are refused with 413 (Content-Length and chunked)', async () => {
  const t = hsToken('POST', '/form', plainBase, { body: 'a=1' });
  const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: `JWT ${t}` };
  const chunked = () => new ReadableStream({
    start(c) { for (let i = 0; i < 20; i++) c.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024))); c.close(); },
  });
  for (const [what, body] of [['content-length', 'a=' + 'x'.repeat(1024 * 1024 + 10)], ['chunked', chunked()]]) {
    let res;
    try {
      res = await fetch(plain.origin + '/form', { method: 'POST', headers, body, duplex: 'half' });
    } catch (e) {
      // The server closes once it answered; a client still uploading may see the reset first.
      assert.match(String(e.cause?.code ?? e.cause ?? e), /EPIPE|ECONNRESET|UND_ERR_SOCKET|closed/i, what);
      continue;
    }
    assert.equal(res.status, 413, what);
    assert.equal((await res.json()).code, 'ERR_BODY_TOO_LARGE', what);
  }
});

test('plain node:http: signed install and uninstall callbacks (RS256), key fetched once per kid', async () => {
  for (const path of ['/installed', '/uninstalled', '/installed']) {
    const r = await send(plain.origin, path, { method: 'POST', token: installToken(plainBase, { path }), headers: { 'content-type': 'application/json' }, body: installBody() });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.atlassian.kind, 'lifecycle');
    assert.equal(r.json.atlassian.clientKey, clientKey);
    assert.equal(r.json.body.sharedSecret, SECRET, 'the parsed JSON body is left for the install handler');
  }
  // Without a content type the lifecycle body is still parsed as JSON.
  const r = await send(plain.origin, '/installed/', { method: 'POST', token: installToken(plainBase, { path: '/installed/' }), body: installBody() });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.body.clientKey, clientKey);
  assert.equal(plainKeys.count(KID), 1, 'one fetch for the kid across all callbacks');
});

test('plain node:http: install callback attacks and mistakes answer 401 with their code', async () => {
  const post = (token, body = installBody()) => send(plain.origin, '/installed', { method: 'POST', token, headers: { 'content-type': 'application/json' }, body });
  // iss must be the clientKey of the body.
  assert401(await post(installToken(plainBase), installBody('other-client')), 'ERR_JWT_CLAIM_INVALID', /clientKey/);
  assert401(await post(installToken(plainBase, { iss: 'other-client' })), 'ERR_JWT_CLAIM_INVALID', /clientKey/);
  assert401(await post(installToken(plainBase, { aud: 'https://evil.example.com' })), 'ERR_JWT_CLAIM_INVALID', /aud/);
  assert401(await post(installToken(plainBase, { exp: now() - 600 })), 'ERR_JWT_EXPIRED');
  // Algorithm confusion: HS256 "signed" with the public key PEM as the secret.
  assert401(await post(installToken(plainBase, { alg: 'HS256', signKey: new TextEncoder().encode(key.public_spki_pem) })), 'ERR_JWT_ALG_NOT_ALLOWED');
  // An HS256 token with the app's shared secret is not an install callback either.
  assert401(await post(installToken(plainBase, { alg: 'HS256', signKey: SECRET })), 'ERR_JWT_ALG_NOT_ALLOWED');
  for (const alg of ['none', 'None']) {
    assert401(await post(noneToken({ alg, kid: KID }, { iss: clientKey, aud: plainBase, iat: now(), exp: now() + 60, qsh: api.createQsh('POST', '/installed') })), 'ERR_JWT_ALG_NOT_ALLOWED');
  }
  // A kid Atlassian does not publish: 404 from the key server; failures are not cached.
  const unknown = plainKeys.count('forged-kid');
  for (let i = 0; i < 2; i++) {
    const r = await post(installToken(plainBase, { kid: 'forged-kid' }));
    assert401(r, 'ERR_INVALID_KEY', /HTTP 404/);
    assert.ok(r.json.message.includes(api.installKeyUrl('forged-kid')), r.json.message);
  }
  assert.equal(plainKeys.count('forged-kid') - unknown, 2, 'a failed fetch is not cached');
  // A kid that would change the key URL's path is refused before any fetch.
  const calls = plainKeys.calls.length;
  assert401(await post(installToken(plainBase, { kid: '../evil' })), 'ERR_JWT_CLAIM_INVALID');
  assert.equal(plainKeys.calls.length, calls);
  assert.equal(plainKeys.count(KID), 1, 'still one fetch for the good kid');
});

test('concurrent install callbacks share one key fetch', async () => {
  const keys = fakeKeyServer({ delay: 100 });
  const mw = connectMiddleware({ baseUrl: plainBase, sharedSecret: SECRET, installKey: createInstallKeyResolver({ fetch: keys.fetch }) });
  const srv = await listen((req, res) => mw(req, res, () => res.end(echo(req))));
  try {
    const rs = await Promise.all(Array.from({ length: 6 }, () => send(srv.origin, '/installed', { method: 'POST', token: installToken(plainBase), headers: { 'content-type': 'application/json' }, body: installBody() })));
    for (const r of rs) assert.equal(r.status, 200, r.text);
    assert.equal(keys.count(KID), 1);
    // Concurrent requests for an unknown kid share one failing fetch, and a later one tries again.
    const bad = await Promise.all(Array.from({ length: 3 }, () => send(srv.origin, '/uninstalled', { method: 'POST', token: installToken(plainBase, { path: '/uninstalled', kid: 'gone' }), body: installBody() })));
    for (const r of bad) assert401(r, 'ERR_INVALID_KEY', /HTTP 404/);
    assert.equal(keys.count('gone'), 1);
    await send(srv.origin, '/uninstalled', { method: 'POST', token: installToken(plainBase, { path: '/uninstalled', kid: 'gone' }), body: installBody() });
    assert.equal(keys.count('gone'), 2);
  } finally {
    await close(srv.server);
  }
});

// --- Express-style app under /connect -------------------------------------------------------

test('Express-style app: originalUrl under mounted routers, not the router-local path', async () => {
  const path = '/connect/jira/issue%20panel?issueKey=TEST-1&xdm_e=https%3A%2F%2Facme.atlassian.net';
  const r = await send(express.origin, path, { token: hsToken('GET', expressBase.replace('/connect', '') + path, expressBase) });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.url, '/issue%20panel?issueKey=TEST-1&xdm_e=https%3A%2F%2Facme.atlassian.net', 'the router saw a router-local url');
  assert.equal(r.json.local, 'ERR_QSH_MISMATCH', 'hashing the router-local path fails: the failure the middleware avoids');
  assert.equal(r.json.atlassian.clientKey, clientKey);
  // atlassian-jwt, wire path.
  const aq = aj.createQueryStringHash(aj.fromMethodAndUrl('GET', '/connect/jira/hook?b=2&a=1'), false, expressBase);
  const a = await send(express.origin, '/connect/jira/hook?b=2&a=1', { token: aj.encodeSymmetric({ iss: clientKey, iat: now(), exp: now() + 60, qsh: aq }, SECRET) });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.local, 'ERR_QSH_MISMATCH');
  // 401s come from the middleware here too.
  assert401(await send(express.origin, '/connect/jira/hook?b=2&a=1', { token: hsToken('GET', '/connect/jira/hook?b=3&a=1', expressBase) }), 'ERR_QSH_MISMATCH');
  assert401(await send(express.origin, '/connect/jira/hook'), 'ERR_JWT_CLAIM_MISSING');
});

test('Express-style app: form POST with and without a body parser', async () => {
  const body = 'comment=hello+world&id=10001';
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  // A form parser ran: req.body is its object, and the qsh is computed from it.
  const parsed = await send(express.origin, '/connect/jira/parsed/form', { method: 'POST', headers, body, token: hsToken('POST', '/connect/jira/parsed/form', expressBase, { body }) });
  assert.equal(parsed.status, 200, parsed.text);
  assert.deepEqual(parsed.json.body, { comment: 'hello world', id: '10001' });
  // Only a JSON parser ran (it set req.body = {} and left the stream unread): the middleware reads it.
  const raw = await send(express.origin, '/connect/jira/form', { method: 'POST', headers, body, token: hsToken('POST', '/connect/jira/form', expressBase, { body }) });
  assert.equal(raw.status, 200, raw.text);
  assert.equal(raw.json.body, body);
  // Signed without the body: still accepted (qsh tried without the body first).
  const noBody = await send(express.origin, '/connect/jira/form', { method: 'POST', headers, body, token: hsToken('POST', '/connect/jira/form', expressBase) });
  assert.equal(noBody.status, 200, noBody.text);
  // Body tampered.
  assert401(await send(express.origin, '/connect/jira/parsed/form', { method: 'POST', headers, body: 'comment=bye&id=10001', token: hsToken('POST', '/connect/jira/parsed/form', expressBase, { body }) }), 'ERR_QSH_MISMATCH');
});

test('Express-style app: install callbacks through a JSON body parser; aud is the baseUrl with its path', async () => {
  for (const path of ['/installed', '/uninstalled']) {
    const r = await send(express.origin, `/connect${path}`, { method: 'POST', token: installToken(expressBase, { path }), headers: { 'content-type': 'application/json' }, body: installBody() });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.atlassian.kind, 'lifecycle');
    assert.equal(r.json.body.clientKey, clientKey);
  }
  assert.equal(expressKeys.count(KID), 1);
  // aud without the /connect path is someone else's app.
  assert401(await send(express.origin, '/connect/installed', { method: 'POST', token: installToken(expressBase, { aud: 'https://app.example.com' }), headers: { 'content-type': 'application/json' }, body: installBody() }), 'ERR_JWT_CLAIM_INVALID', /aud/);
  assert401(await send(express.origin, '/connect/installed', { method: 'POST', token: installToken(expressBase, { kid: 'other-kid' }), headers: { 'content-type': 'application/json' }, body: installBody() }), 'ERR_INVALID_KEY', /HTTP 404/);
  // A product-to-app HS256 token (no kid) is no install callback.
  assert401(await send(express.origin, '/connect/installed', { method: 'POST', token: hsToken('POST', '/connect/installed', expressBase), headers: { 'content-type': 'application/json' }, body: installBody() }), 'ERR_JWT_MALFORMED', /kid/);
});

// --- without a server -------------------------------------------------------------------------

test('onError, allowContextQsh as a function, request objects without a stream', async () => {
  const seen = [];
  const mw = connectMiddleware({
    baseUrl: 'https://app.example.com/', sharedSecret: (ck, req) => (req.headers['x-tenant'] === 'acme' ? secrets[ck] : undefined),
    installKey: key.public_spki_pem, onError: (err, req, res) => { seen.push(err); res.statusCode = 403; },
    allowContextQsh: async (req) => req.url === '/ctx',
  });
  const res = { statusCode: 200, headersSent: false, headers: {}, setHeader(k, v) { this.headers[k] = v; }, end(b) { this.body = b; } };
  let nexts = 0;
  await mw({ method: 'GET', url: '/x', headers: {} }, res, () => { nexts++; });
  assert.equal(nexts, 0);
  assert.equal(seen[0].code, 'ERR_JWT_CLAIM_MISSING');
  assert.equal(seen[0].status, 401);
  assert.equal(res.statusCode, 403);
  const ctx = api.encodeJwt({ iss: clientKey, iat: now(), exp: now() + 60, qsh: 'context-qsh' }, SECRET);
  const req = { method: 'GET', url: '/ctx', headers: { authorization: `JWT ${ctx}`, 'x-tenant': 'acme' } };
  await mw(req, res, () => { nexts++; });
  assert.equal(nexts, 1);
  assert.equal(req.atlassian.context, true);
  await mw({ ...req, headers: { ...req.headers, 'x-tenant': 'other' } }, res, () => { nexts++; });
  assert.equal(seen.at(-1).code, 'ERR_INVALID_KEY');
  // A throwing secret lookup is a server error (500), not an authentication failure.
  const broken = connectMiddleware({ baseUrl: plainBase, sharedSecret: async () => { throw new Error(`db down, password ${SECRET}`); } });
  const res2 = { ...res, headers: {}, setHeader: res.setHeader, end: res.end };
  await broken({ method: 'GET', url: '/ctx', headers: { authorization: `JWT ${ctx}` } }, res2, () => { nexts++; });
  assert.equal(res2.statusCode, 500);
  assert.deepEqual(JSON.parse(res2.body), { code: 'ERR_INTERNAL', message: 'the request could not be verified because of a server error' });
  // Errors in the handler after the middleware are not turned into 401s.
  await assert.rejects(mw(req, res, () => { throw new Error('handler bug'); }), /handler bug/);
  // Bad options are refused up front.
  assert.throws(() => connectMiddleware({ sharedSecret: 's' }), { code: 'ERR_INVALID_INPUT' });
  assert.throws(() => connectMiddleware({ baseUrl: 'app.example.com', sharedSecret: 's' }), { code: 'ERR_INVALID_INPUT' });
  assert.throws(() => connectMiddleware({ baseUrl: plainBase }), { code: 'ERR_INVALID_INPUT', message: /sharedSecret/ });
});

test('createInstallKeyResolver: status, PEM check, LRU, errors', async () => {
  const pem = key.public_spki_pem;
  const served = { a: pem, b: pem, c: 'this is not a key', d: pem.replace('PUBLIC KEY', 'PRIVATE KEY') };
  const calls = [];
  const fetch = async (url) => {
    calls.push(url.split('/').pop());
    const kid = url.split('/').pop();
    if (kid === 'down') throw new TypeError('fetch failed');
    if (kid === 'err500') return new Response('oops', { status: 500 });
    return served[kid] ? new Response(served[kid]) : new Response('', { status: 404 });
  };
  const resolve = createInstallKeyResolver({ fetch, maxEntries: 1 });
  assert.match(await resolve('a'), /^-----BEGIN PUBLIC KEY-----\n/);
  await resolve('a');
  await resolve('b'); // evicts a
  await resolve('a');
  assert.deepEqual(calls, ['a', 'b', 'a']);
  await assert.rejects(resolve('c'), { code: 'ERR_INVALID_KEY', message: /not a PEM public key/ });
  await assert.rejects(resolve('d'), { code: 'ERR_INVALID_KEY', message: /not a PEM public key/ });
  await assert.rejects(resolve('down'), (e) => e.code === 'ERR_INVALID_KEY' && e.message.includes('https://connect-install-keys.atlassian.com/down') && /fetch failed/.test(e.message));
  await assert.rejects(resolve('err500'), (e) => e.code === 'ERR_INVALID_KEY' && /HTTP 500/.test(e.message) && e.httpStatus === 500);
  await assert.rejects(resolve('a/b'), { code: 'ERR_JWT_CLAIM_INVALID' });
  assert.ok(!calls.includes('a/b'));
  assert.throws(() => createInstallKeyResolver({ fetch: 'nope' }), { code: 'ERR_INVALID_INPUT' });
  assert.throws(() => createInstallKeyResolver({ maxEntries: -1 }), { code: 'ERR_INVALID_INPUT' });
  // The CommonJS entry is the same instance.
  const cjs = require('../../pkg/middleware.cjs');
  assert.equal(cjs.connectMiddleware, connectMiddleware);
});

test('request objects: headers read as the core reads them (Headers, a Map of any case), bytes bodies read as UTF-8', async () => {
  const { Readable } = await import('node:stream');
  const mw = connectMiddleware({ baseUrl: plainBase, sharedSecret: SECRET });
  const form = 'b=x+y&a=%C3%A9&c=é';
  const token = hsToken('POST', '/form', plainBase, { body: form }); // the qsh covers the body
  const length = String(Buffer.byteLength(form));
  const run = async (req) => {
    const res = { statusCode: 200, headersSent: false, setHeader() {}, end(b) { this.body = b; } };
    let nexts = 0;
    await mw(Object.assign(req, { method: 'POST', url: '/form' }), res, () => { nexts++; });
    return { status: res.statusCode, nexts, body: res.body, req };
  };
  const stream = () => Readable.from([Buffer.from(form)]);
  // The middleware finds Content-Length and Content-Type under any case, as the core finds the token.
  for (const headers of [
    new Headers({ authorization: `JWT ${token}`, 'content-type': 'application/x-www-form-urlencoded', 'content-length': length }),
    new Map([['Authorization', `JWT ${token}`], ['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Length', length]]),
    { Authorization: `JWT ${token}`, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': length },
  ]) {
    const r = await run(Object.assign(stream(), { headers }));
    assert.equal(r.status, 200, `${headers.constructor.name}: ${r.body}`);
    assert.equal(r.nexts, 1);
    assert.equal(r.req.body, form, 'the raw form text is left on req.body');
  }
  // A body parser's bytes (a Buffer req.body, a Uint8Array rawBody) are the form's UTF-8 text.
  const headers = { authorization: `JWT ${token}`, 'content-type': 'application/x-www-form-urlencoded' };
  for (const req of [{ headers, body: Buffer.from(form) }, { headers, body: {}, rawBody: new TextEncoder().encode(form) }]) {
    const r = await run(req);
    assert.equal(r.status, 200, r.body);
    assert.equal(r.nexts, 1);
  }
  // And bytes that are not the signed body still fail on the qsh.
  const r = await run({ headers, body: Buffer.from('b=x+y&a=2') });
  assert.equal(r.status, 401);
  assert.equal(JSON.parse(r.body).code, 'ERR_QSH_MISMATCH');
});
