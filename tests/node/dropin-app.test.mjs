// A small Connect app written against atlassian-jwt (Express style: a router giving
// req.method / originalUrl / path / query / body, over node:http) runs unchanged on
// atlassian-sign/atlassian-jwt: the same real requests get the same responses from both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';
import querystring from 'node:querystring';
import * as api from '../../pkg/index.mjs';
import { root, vector } from './helpers.mjs';

const rsa = vector('oauth-cases.json').test_key;
const NOW = 1_700_000_000;
const APP_BASE = 'https://app.example/addon';
const APP_KEY = 'com.acme.connect-app';

// ---------------------------------------------------------------------------------------------
// A tiny Express: app.get / app.post / app.put, handlers with next(), urlencoded and JSON
// bodies, req.query from the "simple" query parser (node:querystring), res.status().json().
// ---------------------------------------------------------------------------------------------
function miniExpress() {
  const routes = [];
  const app = async (nodeReq, nodeRes) => {
    const originalUrl = nodeReq.url;
    const q = originalUrl.indexOf('?');
    const path = q === -1 ? originalUrl : originalUrl.slice(0, q);
    const chunks = [];
    for await (const c of nodeReq) chunks.push(c);
    const text = Buffer.concat(chunks).toString('utf8');
    const type = nodeReq.headers['content-type'] ?? '';
    const req = {
      method: nodeReq.method,
      originalUrl,
      path,
      headers: nodeReq.headers,
      query: querystring.parse(q === -1 ? '' : originalUrl.slice(q + 1)),
      body: type.startsWith('application/x-www-form-urlencoded') ? querystring.parse(text)
        : type.startsWith('application/json') && text ? JSON.parse(text) : {},
    };
    const res = {
      statusCode: 200,
      status(code) { this.statusCode = code; return this; },
      json(value) {
        nodeRes.writeHead(this.statusCode, { 'content-type': 'application/json' });
        nodeRes.end(JSON.stringify(value));
      },
    };
    const route = routes.find((r) => r.method === req.method && r.path === path);
    if (!route) return res.status(404).json({ error: `no route for ${req.method} ${path}` });
    let i = 0;
    const next = (err) => {
      if (err) return res.status(500).json({ error: String(err.message ?? err) });
      const h = route.handlers[i++];
      try {
        h(req, res, next);
      } catch (e) {
        res.status(500).json({ error: `${e.name}: ${e.message}` });
      }
    };
    next();
  };
  for (const m of ['get', 'post', 'put']) app[m] = (path, ...handlers) => routes.push({ method: m.toUpperCase(), path, handlers });
  return app;
}

// ---------------------------------------------------------------------------------------------
// The app. Everything below uses only atlassian-jwt's API, through `jwt`.
// ---------------------------------------------------------------------------------------------
function createConnectApp(jwt) {
  const app = miniExpress();
  const installations = new Map([
    ['jira:11111111-2222', { sharedSecret: 'jira-shared-secret', baseUrl: 'https://acme.atlassian.net' }],
    ['confluence:3333', { sharedSecret: 'confluence-s3cret-é', baseUrl: 'https://acme.atlassian.net/wiki' }],
  ]);
  const installKeys = new Map([['install-key-1', rsa.public_spki_pem]]);

  // Verifies the Connect JWT of an incoming request (query ?jwt= or Authorization: JWT ...).
  const authenticate = (checkBodyForParams, { allowContext = false } = {}) => (req, res, next) => {
    const auth = req.headers.authorization ?? '';
    const token = req.query.jwt || (auth.startsWith('JWT ') ? auth.slice(4) : undefined);
    if (!token) return res.status(401).json({ error: 'Could not find authentication data on request' });
    let unverified;
    try {
      unverified = jwt.decodeSymmetric(token, '', jwt.getAlgorithm(token), true);
    } catch (e) {
      return res.status(401).json({ error: `Invalid JWT: ${e.message}` });
    }
    const installation = installations.get(unverified.iss);
    if (!installation) return res.status(401).json({ error: `Unknown issuer ${unverified.iss}` });
    let payload;
    try {
      payload = jwt.decodeSymmetric(token, installation.sharedSecret, jwt.getAlgorithm(token));
    } catch (e) {
      return res.status(401).json({ error: `Invalid JWT: ${e.message}` });
    }
    if (typeof payload.exp !== 'number' || payload.exp < NOW) return res.status(401).json({ error: 'Authentication request has expired' });
    const expected = jwt.createQueryStringHash(jwt.fromExpressRequest(req), checkBodyForParams, APP_BASE);
    if (payload.qsh !== expected && !(allowContext && payload.qsh === 'context-qsh')) {
      return res.status(401).json({ error: 'Auth failure: Query hash mismatch', expected, canonical: jwt.createCanonicalRequest(jwt.fromExpressRequest(req), checkBodyForParams, APP_BASE) });
    }
    req.context = { clientKey: payload.iss, userAccountId: payload.sub, installation };
    next();
  };

  app.get('/addon/issue-panel', authenticate(false), (req, res) => {
    res.json({ clientKey: req.context.clientKey, user: req.context.userAccountId, issueKey: req.query.issueKey, labels: req.query.label ?? [] });
  });

  app.get('/addon/context', authenticate(false, { allowContext: true }), (req, res) => res.json({ ok: true, user: req.context.userAccountId }));

  app.post('/addon/webhook', authenticate(true), (req, res) => res.json({ received: req.body, from: req.context.clientKey }));

  app.put('/addon/settings', authenticate(true), (req, res) => res.json({ saved: req.body }));

  // The app calls the product back: a signed REST request (the response carries it, so the
  // test can compare the exact token).
  app.get('/addon/search', authenticate(false), (req, res) => {
    const { installation, clientKey } = req.context;
    const path = `/rest/api/2/search?jql=${encodeURIComponent(req.query.jql ?? '')}&maxResults=10&fields=summary,status`;
    const qsh = jwt.createQueryStringHash(jwt.fromMethodAndUrl('GET', installation.baseUrl + path), false, installation.baseUrl);
    const token = jwt.encodeSymmetric({ iss: APP_KEY, iat: NOW, exp: NOW + 180, qsh, aud: [clientKey] }, installation.sharedSecret);
    res.json({ url: installation.baseUrl + path, authorization: `JWT ${token}`, check: jwt.decodeSymmetric(token, installation.sharedSecret, jwt.SymmetricAlgorithm.HS256) });
  });

  // Signed install callbacks (RS256, key by kid).
  app.post('/addon/installed', (req, res) => {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('JWT ') ? auth.slice(4) : '';
    let payload;
    try {
      const kid = jwt.getKeyId(token);
      const key = installKeys.get(kid);
      if (!key) return res.status(401).json({ error: `Unknown key id ${kid}` });
      payload = jwt.decodeAsymmetric(token, key, jwt.AsymmetricAlgorithm.RS256);
    } catch (e) {
      return res.status(401).json({ error: `Invalid install JWT: ${e.message}` });
    }
    if (payload.aud?.[0] !== APP_BASE) return res.status(401).json({ error: 'Wrong audience', aud: payload.aud });
    if (payload.qsh !== jwt.createQueryStringHash(jwt.fromExpressRequest(req), false, APP_BASE)) return res.status(401).json({ error: 'Install qsh mismatch' });
    installations.set(req.body.clientKey, { sharedSecret: req.body.sharedSecret, baseUrl: req.body.baseUrl });
    res.status(200).json({ installed: req.body.clientKey, iss: payload.iss });
  });
  return app;
}

// ---------------------------------------------------------------------------------------------
// The product side (this test): tokens as Jira and Confluence make them, with the core.
// ---------------------------------------------------------------------------------------------
const JIRA = { iss: 'jira:11111111-2222', secret: 'jira-shared-secret' };
const CONFLUENCE = { iss: 'confluence:3333', secret: 'confluence-s3cret-é' };

function productToken(who, method, path, { body, exp = NOW + 180, qsh, alg = 'HS256', sub = '5b10ac8d82e05b22cc7d4ef5' } = {}) {
  const claims = {
    iss: who.iss, sub, iat: NOW - 5, exp,
    qsh: qsh ?? api.createQsh(method, `https://app.example${path}`, { baseUrl: APP_BASE, body }),
  };
  return api.encodeJwt(claims, who.secret, { algorithm: alg });
}

function requests() {
  const panel = '/addon/issue-panel?issueKey=TEST-1&xdm_e=https%3A%2F%2Facme.atlassian.net&xdm_c=channel-1&cp=&lic=none&tz=Europe%2FBerlin&loc=en-GB&label=b&label=a';
  const t = productToken(JIRA, 'GET', panel);
  const [h, p, s] = t.split('.');
  const webhookBody = 'issue=TEST-1&event=jira%3Aissue_updated&user=admin&changes=summary&changes=status';
  const settingsBody = 'theme=dark+mode&notify=true&channels=%23ops';
  const install = (overrides = {}) => {
    const claims = { iss: 'jira:99999999', iat: NOW, exp: NOW + 180, aud: [APP_BASE], qsh: api.createQsh('POST', 'https://app.example/addon/installed', { baseUrl: APP_BASE }), ...overrides.claims };
    return api.encodeJwt(claims, rsa.private_pkcs8_pem, { algorithm: 'RS256', kid: overrides.kid ?? 'install-key-1' });
  };
  const installBody = JSON.stringify({ clientKey: 'jira:99999999', sharedSecret: 'new-secret', baseUrl: 'https://new.atlassian.net', key: APP_KEY });
  return [
    { name: 'iframe load, token in the query', status: 200, method: 'GET', path: `${panel}&jwt=${t}` },
    { name: 'the same, token in the header', status: 200, method: 'GET', path: panel, headers: { authorization: `JWT ${t}` } },
    { name: 'HS384 and HS512 tokens', status: 200, method: 'GET', path: panel, headers: { authorization: `JWT ${productToken(JIRA, 'GET', panel, { alg: 'HS512' })}` } },
    { name: 'Confluence, another secret', status: 200, method: 'GET', path: '/addon/issue-panel?issueKey=DOC-7', headers: { authorization: `JWT ${productToken(CONFLUENCE, 'GET', '/addon/issue-panel?issueKey=DOC-7', { alg: 'HS384' })}` } },
    { name: 'tampered payload', status: 401, method: 'GET', path: panel, headers: { authorization: `JWT ${h}.${Buffer.from('{"iss":"jira:11111111-2222","exp":1800000000,"qsh":"x"}').toString('base64url')}.${s}` } },
    { name: 'tampered signature', status: 401, method: 'GET', path: panel, headers: { authorization: `JWT ${h}.${p}.${s.slice(0, -2)}AA` } },
    { name: 'wrong secret', status: 401, method: 'GET', path: panel, headers: { authorization: `JWT ${productToken({ ...JIRA, secret: 'nope' }, 'GET', panel)}` } },
    { name: 'expired', status: 401, method: 'GET', path: panel, headers: { authorization: `JWT ${productToken(JIRA, 'GET', panel, { exp: NOW - 1 })}` } },
    { name: 'token for another URL', status: 401, method: 'GET', path: '/addon/issue-panel?issueKey=TEST-2', headers: { authorization: `JWT ${t}` } },
    { name: 'parameter order and repeats do not matter', status: 200, method: 'GET', path: '/addon/issue-panel?label=z&issueKey=TEST-1&label=a', headers: { authorization: `JWT ${productToken(JIRA, 'GET', '/addon/issue-panel?issueKey=TEST-1&label=a&label=z')}` } },
    { name: 'escaped characters in the query', status: 200, method: 'GET', path: '/addon/issue-panel?issueKey=TEST-1&label=caf%C3%A9+%26+cr%C3%A8me&label=%2A~', headers: { authorization: `JWT ${productToken(JIRA, 'GET', '/addon/issue-panel?issueKey=TEST-1&label=caf%C3%A9+%26+cr%C3%A8me&label=%2A~')}` } },
    { name: 'context token where a request token is needed', status: 401, method: 'GET', path: '/addon/issue-panel?issueKey=TEST-1', headers: { authorization: `JWT ${productToken(JIRA, 'GET', '/', { qsh: 'context-qsh' })}` } },
    { name: 'context token where it is allowed', status: 200, method: 'GET', path: '/addon/context', headers: { authorization: `JWT ${productToken(JIRA, 'GET', '/', { qsh: 'context-qsh' })}` } },
    { name: 'no token', status: 401, method: 'GET', path: '/addon/issue-panel?issueKey=TEST-1' },
    { name: 'not a JWT', status: 401, method: 'GET', path: '/addon/issue-panel', headers: { authorization: 'JWT abc.def' } },
    { name: 'unknown issuer', status: 401, method: 'GET', path: panel, headers: { authorization: `JWT ${productToken({ iss: 'jira:unknown', secret: 'x' }, 'GET', panel)}` } },
    { name: 'form webhook, parameters only in the body', status: 200, method: 'POST', path: '/addon/webhook', body: webhookBody, type: 'application/x-www-form-urlencoded', headers: { authorization: `JWT ${productToken(JIRA, 'POST', '/addon/webhook', { body: webhookBody })}` } },
    { name: 'form webhook, body changed', status: 401, method: 'POST', path: '/addon/webhook', body: webhookBody + '&extra=1', type: 'application/x-www-form-urlencoded', headers: { authorization: `JWT ${productToken(JIRA, 'POST', '/addon/webhook', { body: webhookBody })}` } },
    { name: 'JSON webhook with a query (the body is not hashed)', status: 200, method: 'POST', path: '/addon/webhook?event=update', body: '{"issue":{"key":"TEST-1"}}', type: 'application/json', headers: { authorization: `JWT ${productToken(JIRA, 'POST', '/addon/webhook?event=update')}` } },
    { name: 'form PUT', status: 200, method: 'PUT', path: '/addon/settings', body: settingsBody, type: 'application/x-www-form-urlencoded', headers: { authorization: `JWT ${productToken(CONFLUENCE, 'PUT', '/addon/settings', { body: settingsBody })}` } },
    { name: 'the app signs a call back to Jira', status: 200, method: 'GET', path: '/addon/search?jql=project%20%3D%20TEST%20ORDER%20BY%20created', headers: { authorization: `JWT ${productToken(JIRA, 'GET', '/addon/search?jql=project%20%3D%20TEST%20ORDER%20BY%20created')}` } },
    { name: '... and to Confluence (context path /wiki)', status: 200, method: 'GET', path: '/addon/search?jql=space%3DDOC', headers: { authorization: `JWT ${productToken(CONFLUENCE, 'GET', '/addon/search?jql=space%3DDOC')}` } },
    { name: 'signed install callback (RS256)', status: 200, method: 'POST', path: '/addon/installed', body: installBody, type: 'application/json', headers: { authorization: `JWT ${install()}` } },
    { name: 'install callback, unknown kid', status: 401, method: 'POST', path: '/addon/installed', body: installBody, type: 'application/json', headers: { authorization: `JWT ${install({ kid: 'other' })}` } },
    { name: 'install callback, wrong audience', status: 401, method: 'POST', path: '/addon/installed', body: installBody, type: 'application/json', headers: { authorization: `JWT ${install({ claims: { aud: ['https://evil.example'] } })}` } },
    { name: 'install callback signed with HS256', status: 401, method: 'POST', path: '/addon/installed', body: installBody, type: 'application/json', headers: { authorization: `JWT ${api.encodeJwt({ iss: 'x' }, 'secret', { kid: 'install-key-1' })}` } },
    { name: 'the new installation works', status: 200, method: 'GET', path: '/addon/issue-panel?issueKey=NEW-1', headers: { authorization: `JWT ${productToken({ iss: 'jira:99999999', secret: 'new-secret' }, 'GET', '/addon/issue-panel?issueKey=NEW-1')}` } },
    { name: 'no such route', status: 404, method: 'GET', path: '/addon/nothing' },
  ];
}

async function listen(handler) {
  const server = http.createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}` };
}

test('a Connect app written against atlassian-jwt gives the same responses on atlassian-sign/atlassian-jwt', async () => {
  const requireFromPkg = createRequire(`${root}pkg/package.json`);
  assert.equal(requireFromPkg.resolve('atlassian-sign/atlassian-jwt'), `${root}pkg/atlassian-jwt.cjs`);
  const peer = await import('atlassian-jwt');
  const drop = requireFromPkg('atlassian-sign/atlassian-jwt');
  const apps = await Promise.all([listen(createConnectApp(peer)), listen(createConnectApp(drop))]);
  try {
    for (const r of requests()) {
      const init = { method: r.method, headers: { ...r.headers, ...(r.type ? { 'content-type': r.type } : {}) }, body: r.body };
      const [a, b] = await Promise.all(apps.map(async ({ origin }) => {
        const res = await fetch(origin + r.path, init);
        return { status: res.status, body: await res.text() };
      }));
      assert.deepEqual(b, a, r.name);
      assert.equal(a.status, r.status, `${r.name}: ${a.body}`);
    }
  } finally {
    for (const { server } of apps) server.close();
  }
});
