// The package (ESM entry) against Atlassian's vectors and the peer-output table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as api from '../../pkg/index.mjs';
import { connectVectors, vector } from './helpers.mjs';

const sha256 = (s) => createHash('sha256').update(s, 'utf8').digest('hex');

test('78 Atlassian interoperability vectors: canonical request, qsh, token', () => {
  const { secret, tests } = connectVectors();
  assert.equal(tests.length, 78);
  for (const t of tests) {
    assert.equal(api.createCanonicalRequest('GET', t.signedUrl), t.expected, t.name);
    assert.equal(api.createQsh('GET', t.signedUrl), sha256(t.expected), t.name);
    const token = new URL(t.signedUrl).searchParams.get('jwt');
    const payload = api.verifyJwt(token, secret, { algorithms: ['HS256'], now: 1392204500 });
    assert.equal(payload.qsh, sha256(t.canonicalUrl), t.name);
    if (t.expected === t.canonicalUrl) {
      api.verifyJwt(token, secret, { algorithms: ['HS256'], now: 1392204500, qsh: { method: 'GET', url: t.signedUrl } });
    }
  }
});

test('peer-output table: server rules (encoded-name sort, segment-aware strip, one trailing slash)', () => {
  const cases = vector('qsh-peer-outputs.json').vectors.filter((c) => c.kind === 'url');
  assert.ok(cases.length >= 44);
  for (const c of cases) {
    const server = c.java_port_server_view;
    let want = server.canonical;
    if (!c.baseUrl && server.context_path) want = c.node_atlassian_jwt_2_0_3.canonical; // no base URL: nothing to strip
    if (c.id === 'base-prefix-no-boundary') want = 'GET&/wikipedia/page&';
    const got = api.createCanonicalRequest(c.method, c.url, c.baseUrl ? { baseUrl: c.baseUrl } : undefined);
    assert.equal(got, want, c.id);
    assert.equal(api.createQsh(c.method, c.url, { baseUrl: c.baseUrl }), sha256(want), c.id);
  }
});

test('form bodies count for POST and PUT without a query, like checkBodyForParams', () => {
  const byId = Object.fromEntries(vector('qsh-peer-outputs.json').vectors.map((c) => [c.id, c]));
  const c = byId['body-form-params'];
  assert.equal(api.createCanonicalRequest(c.method, c.url, { body: c.body }), c.node_atlassian_jwt_2_0_3.canonical);
  assert.equal(api.createCanonicalRequest('POST', '/rest/x', { body: 'b=2&a=y&a=x' }), 'POST&/rest/x&a=x,y&b=2');
  assert.equal(api.createCanonicalRequest('GET', '/x', { body: { b: '2' } }), 'GET&/x&');
  assert.equal(api.createCanonicalRequest('PUT', '/x?q=1', { body: { b: '2' } }), 'PUT&/x&q=1');
  assert.equal(api.createCanonicalRequest('PUT', '/x', { body: { n: 5, t: true } }), 'PUT&/x&n=5&t=true');
});

test('decoded path form, as a product signs requests to an app', () => {
  assert.equal(api.createCanonicalRequest('GET', '/a%20b/c%26d/', { pathForm: 'decoded' }), 'GET&/a b/c%26d&');
  assert.equal(api.createCanonicalRequest('GET', '/a%20b/c%26d/'), 'GET&/a%20b/c%26d&');
  assert.throws(() => api.createQsh('GET', '/', { pathForm: 'raw' }), { code: 'ERR_INVALID_INPUT' });
});

test('connectToken per product', () => {
  const now = 1700000000;
  const jira = api.connectToken({ product: 'jira', method: 'get', url: '/rest/api/3/search?jql=project = TEST', baseUrl: 'https://acme.atlassian.net', appKey: 'com.acme.app', secret: 's3cret', clientKey: 'client-1', now });
  assert.equal(jira.canonicalRequest, 'GET&/rest/api/3/search&jql=project%20%3D%20TEST');
  assert.deepEqual(jira.claims, { iss: 'com.acme.app', aud: ['client-1'], qsh: sha256(jira.canonicalRequest), iat: now, exp: now + 180 });
  assert.equal(jira.authorization, `JWT ${jira.token}`);
  assert.deepEqual(jira.headers, { Authorization: jira.authorization });
  assert.equal(jira.url, 'https://acme.atlassian.net/rest/api/3/search?jql=project = TEST');
  const conf = api.connectToken({ product: 'confluence', url: 'https://acme.atlassian.net/wiki/rest/api/content?expand=body.storage', appKey: 'k', secret: 's', now });
  assert.equal(conf.canonicalRequest, 'GET&/rest/api/content&expand=body.storage');
  const bb = api.connectToken({ product: 'bitbucket', url: 'https://api.bitbucket.org/2.0/repositories/acme', appKey: 'k', clientKey: 'ck', secret: 's', now, expiresIn: 60 });
  assert.deepEqual([bb.claims.iss, bb.claims.sub, bb.claims.exp], ['k', 'ck', now + 60]);
  const z = api.connectToken({ product: 'zephyr', url: '/public/rest/api/1.0/cycles/search?projectId=10000&versionId=-1', accessKey: 'AK', accountId: '5b10a2844c20165700ede21g', secret: 'SK', now });
  assert.equal(z.canonicalRequest, 'GET&/public/rest/api/1.0/cycles/search&projectId=10000&versionId=-1');
  assert.equal(z.url, 'https://prod-api.zephyr4jiracloud.com/connect/public/rest/api/1.0/cycles/search?projectId=10000&versionId=-1');
  assert.equal(z.headers.zapiAccessKey, 'AK');
  assert.deepEqual([z.claims.iss, z.claims.sub], ['AK', '5b10a2844c20165700ede21g']);
  assert.throws(() => api.connectToken({ product: 'zephyr', url: '/x', accessKey: 'AK', secret: 'SK' }), { code: 'ERR_INVALID_INPUT', message: /accountId/ });
  assert.throws(() => api.connectToken({ product: 'trello', url: '/x', secret: 's' }), { code: 'ERR_INVALID_INPUT', message: /jira, confluence/ });
});
