// explain(): a corpus of realistic failures, each made by mis-signing on purpose in one of the
// ways the specs list (a few with two mistakes at once). The mistakes are made here with other
// code (npm atlassian-jwt, oauth-sign's base string, hand-built strings), not with explain's
// own variant generator, and the server side is computed by the correct rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as aj from 'atlassian-jwt';
import oauthSign from 'oauth-sign';
import * as api from '../../pkg/index.mjs';
import { qshRefusal } from './helpers.mjs';

const sha = (s) => createHash('sha256').update(s).digest('hex');
const enc = oauthSign.rfc3986;

// --- qsh -------------------------------------------------------------------------------
const site = 'https://acme.atlassian.net';
const qshCases = [
  { name: 'Confluence /wiki not stripped (baseUrl forgotten)', cause: 'BASE_PATH_NOT_STRIPPED',
    method: 'GET', url: `${site}/wiki/rest/api/content?spaceKey=DEV&expand=body.storage`, baseUrl: `${site}/wiki`,
    client: (c) => aj.createQueryStringHash(aj.fromMethodAndUrl(c.method, c.url), false, site) },
  { name: 'Zephyr /connect not stripped', cause: 'BASE_PATH_NOT_STRIPPED',
    method: 'GET', url: 'https://prod-api.zephyr4jiracloud.com/connect/public/rest/api/1.0/cycles/search?projectId=10000&versionId=-1',
    baseUrl: 'https://prod-api.zephyr4jiracloud.com/connect',
    client: (c) => sha('GET&/connect/public/rest/api/1.0/cycles/search&projectId=10000&versionId=-1') },
  { name: 'Jira DC context path /jira kept', cause: 'BASE_PATH_NOT_STRIPPED',
    method: 'GET', url: 'https://dc.example.com/jira/rest/api/2/issue/ABC-1', baseUrl: 'https://dc.example.com/jira',
    client: () => sha('GET&/jira/rest/api/2/issue/ABC-1&') },
  { name: 'query parameters left out', cause: 'QUERY_NOT_HASHED',
    method: 'GET', url: `${site}/rest/api/3/search?jql=project%20%3D%20TEST&maxResults=50`, baseUrl: site,
    client: () => sha('GET&/rest/api/3/search&') },
  { name: '+ hashed as %2B', cause: 'PLUS_NOT_SPACE',
    method: 'GET', url: `${site}/rest/api/2/search?jql=project+%3D+TEST`, baseUrl: site,
    client: () => sha('GET&/rest/api/2/search&jql=project%2B%3D%2BTEST') },
  { name: 'values encoded twice', cause: 'DOUBLE_ENCODED',
    method: 'GET', url: `${site}/rest/api/2/search?jql=summary%20~%20%22x%22`, baseUrl: site,
    client: () => sha('GET&/rest/api/2/search&jql=summary%2520~%2520%2522x%2522') },
  { name: 'atlassian-jwt name order (é before z)', cause: 'PARAMETER_ORDER',
    method: 'GET', url: `${site}/rest/x?z=1&%C3%A9=2`, baseUrl: site,
    client: (c) => aj.createQueryStringHash(aj.fromMethodAndUrl(c.method, c.url), false, site) },
  { name: 'atlassian-jwt name order (a[b] vs a.b)', cause: 'PARAMETER_ORDER',
    method: 'GET', url: `${site}/rest/x?a.b=1&a%5Bb%5D=2`, baseUrl: site,
    client: (c) => aj.createQueryStringHash(aj.fromMethodAndUrl(c.method, c.url), false, site) },
  { name: 'repeated parameter not merged', cause: 'REPEATED_NOT_MERGED',
    method: 'GET', url: `${site}/rest/api/3/search?fields=summary&fields=status`, baseUrl: site,
    client: () => sha('GET&/rest/api/3/search&fields=status&fields=summary') },
  { name: 'repeated values in sent order', cause: 'REPEATED_UNSORTED',
    method: 'GET', url: `${site}/rest/api/3/search?fields=summary&fields=status`, baseUrl: site,
    client: () => sha('GET&/rest/api/3/search&fields=summary,status') },
  { name: 'signed GET, sent POST', cause: 'WRONG_METHOD',
    method: 'POST', url: `${site}/rest/api/2/issue`, baseUrl: site,
    client: () => sha('GET&/rest/api/2/issue&') },
  { name: 'signed PUT, sent DELETE', cause: 'WRONG_METHOD',
    method: 'DELETE', url: `${site}/rest/api/2/issue/ABC-1`, baseUrl: site,
    client: () => sha('PUT&/rest/api/2/issue/ABC-1&') },
  { name: 'encoded path decoded by the client', cause: 'PATH_DECODED',
    method: 'GET', url: `${site}/wiki/rest/api/space/My%20Space`, baseUrl: `${site}/wiki`,
    client: () => sha('GET&/rest/api/space/My Space&') },
  { name: 'router-local path (Express req.path under a mount)', cause: 'PATH_CUT',
    method: 'GET', url: 'https://app.example.com/addon/panels/issue?issueKey=ABC-1', baseUrl: 'https://app.example.com',
    client: () => sha('GET&/issue&issueKey=ABC-1'), side: 'server-view' },
  { name: '/rest/api/latest left out of the hash', cause: 'PATH_CUT',
    method: 'GET', url: `${site}/rest/api/latest/issue/ABC-1`, baseUrl: site,
    client: () => sha('GET&/issue/ABC-1&') },
  { name: 'trailing slash kept', cause: 'TRAILING_SLASH',
    method: 'GET', url: `${site}/rest/api/2/project/`, baseUrl: site,
    client: () => sha('GET&/rest/api/2/project/&') },
  { name: '& in the path not encoded', cause: 'PATH_AMPERSAND',
    method: 'GET', url: `${site}/rest/x/a&b`, baseUrl: site,
    client: () => sha('GET&/rest/x/a&b&') },
  { name: 'jwt parameter hashed', cause: 'JWT_PARAM_HASHED',
    method: 'GET', url: `${site}/rest/x?a=1&jwt=abc`, baseUrl: site,
    client: () => sha('GET&/rest/x&a=1&jwt=abc') },
  { name: 'form body hashed with a query present', cause: 'BODY_HASHED',
    method: 'POST', url: `${site}/rest/x?q=1`, baseUrl: site, body: 'a=2',
    client: () => sha('POST&/rest/x&a=2') },
  { name: 'form body left out of a POST', cause: 'BODY_NOT_HASHED',
    method: 'POST', url: `${site}/rest/x`, baseUrl: site, body: 'a=2&b=3',
    client: () => sha('POST&/rest/x&') },
  { name: 'proxy re-encoded the path (server side)', cause: 'PATH_REENCODED',
    method: 'GET', url: `${site}/rest/api/2/issue/ABC%2D1`, baseUrl: site, serverView: () => sha('GET&/rest/api/2/issue/ABC-1&') },
  { name: 'two mistakes: /wiki kept and query left out', cause: 'BASE_PATH_NOT_STRIPPED', also: 'QUERY_NOT_HASHED',
    method: 'GET', url: `${site}/wiki/rest/api/content?limit=5`, baseUrl: `${site}/wiki`,
    client: () => sha('GET&/wiki/rest/api/content&') },
  { name: 'two mistakes: POST signed as GET with + as %2B', cause: 'WRONG_METHOD', also: 'PLUS_NOT_SPACE',
    method: 'POST', url: `${site}/rest/api/2/search?jql=a+b`, baseUrl: site,
    client: () => sha('GET&/rest/api/2/search&jql=a%2Bb') },
];

test(`explain names the cause of ${qshCases.length} qsh failures`, () => {
  const misses = [];
  for (const c of qshCases) {
    const correct = api.createQsh(c.method, c.url, { baseUrl: c.baseUrl, body: c.body });
    // The server computes the correct hash of what it received; the client signed its mistake.
    const [expected, actual] = c.serverView ? [c.serverView(), correct] : [correct, c.client(c)];
    assert.notEqual(expected, actual, c.name);
    const e = api.explain({ message: qshRefusal(expected, actual), method: c.method, url: c.url, baseUrl: c.baseUrl, body: c.body });
    assert.equal(e.scheme, 'qsh');
    if (e.cause !== c.cause || (c.also && !e.causes.includes(c.also))) misses.push(`${c.name}: got ${e.causes.join('+')}`);
    assert.ok(e.fix.length > 20 && e.summary.length > 20, c.name);
  }
  console.log(`qsh hit rate: ${qshCases.length - misses.length}/${qshCases.length}`);
  assert.deepEqual(misses, []);
});

test('explain reads the token and reports what it tried when nothing matches', () => {
  const url = `${site}/rest/api/2/project?expand=lead`;
  const token = api.encodeJwt({ iss: 'app', qsh: sha('GET&/rest/api/2/projects&') }, 's');
  const e = api.explain({ message: qshRefusal(api.createQsh('GET', url, { baseUrl: site }), 'ignored'.padEnd(64, '0')), token, method: 'GET', url, baseUrl: site });
  assert.equal(e.cause, 'UNKNOWN');
  assert.ok(e.tried.includes('query-dropped') && e.tried.some((t) => t.startsWith('methods')), e.tried.join());
  const reused = api.explain({ message: `Expecting claim 'qsh' to have value '${api.createQsh('GET', url, { baseUrl: site })}'`, method: 'GET', url, baseUrl: site });
  assert.equal(reused.cause, 'TOKEN_FOR_ANOTHER_REQUEST');
  assert.throws(() => api.explain({ message: 'nothing here', url }), { code: 'ERR_INVALID_INPUT' });
  const diff = api.explain({ message: qshRefusal(api.createQsh('GET', `${site}/wiki/x`, { baseUrl: `${site}/wiki` }), sha('GET&/wiki/x&')), method: 'GET', url: `${site}/wiki/x`, baseUrl: `${site}/wiki` });
  assert.deepEqual(diff.diff, [{ part: 'path', client: '/wiki/x', server: '/x' }]);
});

// --- OAuth --------------------------------------------------------------------------------
const oauthParams = { oauth_consumer_key: 'jira-client', oauth_nonce: 'n0nce1234567890', oauth_signature_method: 'RSA-SHA1', oauth_timestamp: '1700000000', oauth_token: 'tok', oauth_version: '1.0' };
const refusal = (serverBase) => `oauth_problem=signature_invalid&oauth_signature=abc%3D&oauth_signature_base_string=${encodeURIComponent(serverBase)}&oauth_signature_method=RSA-SHA1`;
const oauthCases = [
  { name: 'TLS ends at the proxy: signed https, Tomcat sees http', cause: 'PROXY_SCHEME',
    client: ['GET', 'https://jira.example.com/rest/api/2/myself', {}], server: ['GET', 'http://jira.example.com/rest/api/2/myself', {}] },
  { name: 'proxy sends another port', cause: 'PROXY_PORT',
    client: ['GET', 'https://jira.example.com/rest/api/2/myself', {}], server: ['GET', 'https://jira.example.com:8443/rest/api/2/myself', {}] },
  { name: 'internal host name', cause: 'PROXY_HOST',
    client: ['GET', 'https://jira.example.com/rest/api/2/myself', {}], server: ['GET', 'https://jira-node1.internal/rest/api/2/myself', {}] },
  { name: 'default port left in', cause: 'DEFAULT_PORT',
    client: ['GET', 'https://jira.example.com:443/rest/api/2/myself', {}], server: ['GET', 'https://jira.example.com/rest/api/2/myself', {}] },
  { name: 'context path left out', cause: 'CONTEXT_PATH',
    client: ['GET', 'https://dc.example.com/rest/api/2/myself', {}], server: ['GET', 'https://dc.example.com/jira/rest/api/2/myself', {}] },
  { name: 'PHP urlencode: + for space', cause: 'PLUS_FOR_SPACE',
    client: ['GET', 'https://jira.example.com/rest/api/2/search', { jql: 'project+=+TEST' }], server: ['GET', 'https://jira.example.com/rest/api/2/search', { jql: 'project = TEST' }] },
  { name: 'value encoded twice', cause: 'DOUBLE_ENCODED',
    client: ['GET', 'https://jira.example.com/rest/api/2/search', { jql: 'a%20b' }], server: ['GET', 'https://jira.example.com/rest/api/2/search', { jql: 'a b' }] },
  { name: 'encodeURIComponent left ( ) unencoded', cause: 'SUBDELIMS_NOT_ENCODED', rawClient: true,
    client: ['GET', 'https://jira.example.com/rest/api/2/search', { jql: 'status in (Open)' }], server: ['GET', 'https://jira.example.com/rest/api/2/search', { jql: 'status in (Open)' }] },
  { name: 'query stripped by a cache', cause: 'PARAM_NOT_RECEIVED',
    client: ['GET', 'https://jira.example.com/rest/api/2/search', { maxResults: '5' }], server: ['GET', 'https://jira.example.com/rest/api/2/search', {}] },
  { name: 'form body not signed', cause: 'PARAM_NOT_SIGNED',
    client: ['POST', 'https://jira.example.com/rest/x', {}], server: ['POST', 'https://jira.example.com/rest/x', { a: '1' }] },
  { name: 'fields[0] signed, fields sent', cause: 'PARAM_RENAMED',
    client: ['GET', 'https://jira.example.com/rest/x', { 'fields[0]': 'summary' }], server: ['GET', 'https://jira.example.com/rest/x', { fields: 'summary' }] },
  { name: 'HEAD turned into GET by nginx proxy_cache', cause: 'METHOD_CHANGED',
    client: ['HEAD', 'https://jira.example.com/rest/api/2/myself', {}], server: ['GET', 'https://jira.example.com/rest/api/2/myself', {}] },
  { name: 'same base string: wrong key pasted', cause: 'KEY_MISMATCH',
    client: ['GET', 'https://jira.example.com/rest/api/2/myself', {}], server: ['GET', 'https://jira.example.com/rest/api/2/myself', {}] },
  { name: 'two mistakes: http behind proxy and + for space', cause: 'PROXY_SCHEME', also: 'PLUS_FOR_SPACE',
    client: ['GET', 'https://jira.example.com/rest/api/2/search', { jql: 'a+b' }], server: ['GET', 'http://jira.example.com/rest/api/2/search', { jql: 'a b' }] },
];

function base([method, url, params], raw) {
  const b = oauthSign.generateBase(method, url, { ...params, ...oauthParams });
  // encodeURIComponent-style client: ( ) stay raw inside the once-encoded parameter list.
  return raw ? b.replace(/%2528/g, '%28').replace(/%2529/g, '%29') : b;
}

test(`explain names the cause of ${oauthCases.length} OAuth signature_invalid answers`, () => {
  const misses = [];
  for (const c of oauthCases) {
    const e = api.explain({ message: refusal(base(c.server)), baseString: base(c.client, c.rawClient) });
    assert.equal(e.scheme, 'oauth');
    if (e.cause !== c.cause || (c.also && !e.causes.includes(c.also))) misses.push(`${c.name}: got ${e.causes.join('+')}`);
  }
  console.log(`oauth hit rate: ${oauthCases.length - misses.length}/${oauthCases.length}`);
  assert.deepEqual(misses, []);
  // From a WWW-Authenticate header, and for other problems.
  const header = `OAuth realm="https%3A%2F%2Fjira.example.com", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="1700000300-1700000900"`;
  const skew = api.explain({ message: header, authorization: `OAuth oauth_timestamp="1700000000", oauth_consumer_key="c"` });
  assert.equal(skew.cause, 'CLOCK_SKEW');
  assert.match(skew.summary, /600 s behind/);
  assert.equal(api.explain({ message: 'oauth_problem=signature_method_rejected&oauth_acceptable_signature_methods=RSA-SHA1' }).cause, 'SIGNATURE_METHOD_REJECTED');
  assert.equal(api.explain({ message: 'oauth_problem=consumer_key_unknown' }).cause, 'CONSUMER_KEY_UNKNOWN');
});

// --- trusted apps --------------------------------------------------------------------------
const taCases = [
  { name: 'link made to localhost, server behind https proxy', cause: 'PROXY_SCHEME', signed: 'http://localhost:8060/rest-service/reviews-v1', server: 'https://crucible.example.com/rest-service/reviews-v1' },
  { name: 'Host header without the non-default port', cause: 'HOST_HEADER_PORT', signed: 'https://fisheye.example.com:8443/rest-service/x', server: 'https://fisheye.example.com/rest-service/x' },
  { name: 'context path missing', cause: 'CONTEXT_PATH', signed: 'https://fe.example.com/rest-service/x', server: 'https://fe.example.com/fisheye/rest-service/x' },
  { name: 'query not signed', cause: 'QUERY_DIFFERS', signed: 'https://fe.example.com/rest-service/x', server: 'https://fe.example.com/rest-service/x?expand=all' },
  { name: 'internal host', cause: 'PROXY_HOST', signed: 'https://fe.internal/rest-service/x', server: 'https://fe.example.com/rest-service/x' },
  { name: 'same URL: v2/v3 or key', cause: 'VERSION_OR_KEY', signed: 'https://fe.example.com/x', server: 'https://fe.example.com/x' },
];

test(`explain names the cause of ${taCases.length} trusted-apps BAD_SIGNATURE answers`, () => {
  const misses = [];
  for (const c of taCases) {
    const header = `BAD_SIGNATURE;\tBad signature for URL: {0};\t["${c.server}"]`;
    const e = api.explain({ message: header, signedUrl: c.signed });
    assert.equal(e.scheme, 'trusted-apps');
    if (e.cause !== c.cause) misses.push(`${c.name}: got ${e.causes.join('+')}`);
  }
  console.log(`trusted-apps hit rate: ${taCases.length - misses.length}/${taCases.length}`);
  assert.deepEqual(misses, []);
  assert.equal(api.explain({ message: 'X-Seraph-Trusted-App-Error: OLD_CERT;\tCertificate too old;\t[]' }).cause, 'CLOCK_SKEW');
});

// --- OAuth: the access token the person holds ---------------------------------------------
test('token_rejected: the access token held is compared with the one sent, and never shown', () => {
  const exchange = (sent) => ({
    request: { method: 'GET', url: 'https://jira.example.com/rest/api/2/myself',
      headers: { Authorization: `OAuth oauth_consumer_key="ck", oauth_token="${sent}", oauth_signature_method="RSA-SHA1", oauth_signature="c2ln", oauth_timestamp="1768208400", oauth_nonce="n", oauth_version="1.0"` } },
    response: { status: 401, headers: { 'WWW-Authenticate': 'OAuth realm="https%3A%2F%2Fjira.example.com", oauth_problem="token_rejected"' } },
  });
  const stale = api.explain({ ...exchange('tok-from-storage'), credentials: { consumerKey: 'ck', token: 'tok-fresh-9f3a' } });
  assert.equal(stale.cause, 'TOKEN_INVALID');
  assert.match(stale.summary, /another oauth_token than the access token you gave/);
  assert.ok(!JSON.stringify(stale).includes('tok-fresh-9f3a'), 'the held token is never shown');
  const revoked = api.explain({ ...exchange('tok-fresh-9f3a'), credentials: { consumerKey: 'ck', token: 'tok-fresh-9f3a' } });
  assert.match(revoked.summary, /no longer knows it/);
  assert.match(revoked.fix, /OAuth dance again/);
  const without = api.explain(exchange('tok-fresh-9f3a'));
  assert.equal(without.cause, 'TOKEN_INVALID');
  assert.doesNotMatch(without.summary, /access token you gave/);
  // The CLI takes the access token as --access-token (--token is the flat form's JWT).
  const x = exchange('tok-from-storage');
  const raw = [`GET /rest/api/2/myself HTTP/1.1`, 'Host: jira.example.com', `Authorization: ${x.request.headers.Authorization}`, '',
    'HTTP/1.1 401 Unauthorized', `WWW-Authenticate: ${x.response.headers['WWW-Authenticate']}`, '', ''].join('\r\n');
  const dir = mkdtempSync(join(tmpdir(), 'explain-token-'));
  try {
    writeFileSync(join(dir, 'x.txt'), raw);
    const out = execFileSync(process.execPath, [fileURLToPath(new URL('../../pkg/bin/atlassian-sign.cjs', import.meta.url)),
      'explain', '--exchange', join(dir, 'x.txt'), '--consumer-key', 'ck', '--access-token', 'tok-fresh-9f3a', '--json'], { encoding: 'utf8' });
    assert.match(JSON.parse(out).summary, /another oauth_token than the access token you gave/);
    assert.ok(!out.includes('tok-fresh-9f3a'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
