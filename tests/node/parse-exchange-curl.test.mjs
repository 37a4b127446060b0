// The paste parser behind explain (parseExchange), for curl: `curl -v` output (with the command
// above it, redirects, proxies, truncated runs) and curl command lines (quoting, options, the
// response that follows). Ported from crates/explain/tests/explain_exchange_curl.rs when the
// parser moved to JavaScript; then random pastes (the Rust proptests) give an exchange or a coded
// error, never another exception.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { header, parse, refused } from './parse-exchange-helpers.mjs';
import * as P from './parse-exchange-pastes.mjs';

test('curl -v over HTTP/2, with the command above', () => {
  const { request: req, response: res } = parse(P.CURL_V_HTTP2);
  assert.equal(req.method, 'GET');
  assert.equal(req.url, 'https://acme.atlassian.net/rest/api/3/myself?expand=groups');
  assert.deepEqual(Object.entries(req.headers), [
    ['Host', 'acme.atlassian.net'], ['user-agent', 'curl/8.5.0'], ['accept', '*/*'], ['Authorization', 'JWT abc.def.ghi'],
  ]);
  assert.equal(req.body, null);
  assert.equal(res.status, 401);
  assert.equal(header(res.headers, 'WWW-Authenticate'), 'JWT realm="acme"');
  // The body runs into curl's last info line when it has no final line break.
  assert.equal(res.body, '{"errorMessages":["You are not authenticated."],\n"errors":{}}');
});

test('curl -v: the scheme rules', () => {
  const bare = P.CURL_V_BARE;
  // No connection lines and no command: http.
  assert.equal(parse(bare).request.url, 'http://jira.example.com/x');
  // Port 443 in view: https.
  assert.equal(parse(`*   Trying 10.0.0.1:443...\n${bare}`).request.url, 'https://jira.example.com/x');
  assert.equal(parse(bare.replaceAll('jira.example.com', 'jira.example.com:443')).request.url, 'https://jira.example.com:443/x');
  // A plain connection on 8080.
  const plain = `* Connected to jira.example.com (10.0.0.1) port 8080 (#0)\n${bare.replaceAll('jira.example.com', 'jira.example.com:8080')}`;
  assert.equal(parse(plain).request.url, 'http://jira.example.com:8080/x');
  // TLS on a non-default port.
  const tls = '* Connected to jira.example.com (10.0.0.1) port 8443 (#0)\n'
    + `* SSL connection using TLSv1.2 / ECDHE-RSA-AES128-GCM-SHA256\n${bare.replaceAll('jira.example.com', 'jira.example.com:8443')}`;
  assert.equal(parse(tls).request.url, 'https://jira.example.com:8443/x');
  // The scheme of the curl command above, when the output shows no TLS.
  assert.equal(parse(`curl -v https://jira.example.com/x\n${bare}`).request.url, 'https://jira.example.com/x');
});

test('curl -v without a Host header uses the connection', () => {
  assert.equal(parse(P.CURL_V_NO_HOST).request.url, 'https://jira.example.com:8443/rest/api/2/myself');
  // Neither a Host header nor a connection line nor a command: the URL cannot be rebuilt.
  const msg = refused(P.CURL_V_LONE);
  assert.match(msg, /Host/);
  assert.doesNotMatch(msg, /SECRET/, 'no part of the request is echoed');
});

test('curl -v takes the body from the command', () => {
  const { request: req, response: res } = parse(P.CURL_V_WITH_BODY);
  assert.equal(req.method, 'POST');
  assert.equal(req.url, 'https://app.example.com/installed');
  assert.equal(req.body, '{"key":"com.example.app"}');
  assert.equal(Object.keys(req.headers).length, 3, 'the headers are the `>` lines');
  assert.equal(res.body, 'Unauthorized: Invalid JWT');
});

test('curl -v: redirects, interim responses and proxies', () => {
  const text = P.CURL_V_REDIRECTS;
  // The CONNECT is dropped; the default is the 401.
  const ex = parse(text);
  assert.equal(ex.request.url, 'https://jira.example.com/new');
  assert.equal(ex.response.status, 401);
  assert.equal(ex.response.body, 'oauth_problem=token_rejected');
  // The first exchange: the 100 Continue is replaced by the final answer.
  const first = parse(text, { entry: 0 });
  assert.equal(first.request.method, 'POST');
  assert.equal(first.response.status, 302);
  assert.equal(header(first.response.headers, 'location'), '/new');
  assert.equal(parse(text, { url: '/old' }).request.method, 'POST');
  const msg = refused(text, { entry: 2 });
  assert.ok(msg.includes('2 exchanges') && msg.includes('no entry 2'), msg);
  assert.match(refused(text, { url: '/nowhere' }), /\/nowhere/);
});

test('truncated curl -v gives what it shows', () => {
  // Cut after the request headers: a request without a response.
  const ex = parse(P.CURL_V_CUT);
  assert.equal(ex.response, null);
  assert.equal(ex.request.url, 'https://jira.example.com/rest/api/2/issue/X-1');
  assert.equal(Object.keys(ex.request.headers).length, 2);
  // Cut inside the response headers.
  const res = parse(P.CURL_V_CUT2).response;
  assert.equal(res.status, 401);
  assert.equal(res.body, null);
  // Only the response lines.
  const only = parse(P.CURL_V_ONLY_RESPONSE);
  assert.equal(only.request, null);
  assert.equal(only.response.status, 403);
  // Nothing was sent.
  assert.match(refused(P.CURL_V_FAILED), /no request/);
});

test('a curl command followed by a raw response', () => {
  const { request: req, response: res } = parse(P.CURL_THEN_RAW_RESPONSE);
  assert.equal(req.method, 'POST');
  assert.equal(req.url, 'https://acme.atlassian.net/rest/api/2/issue?notify=false');
  assert.deepEqual(Object.entries(req.headers), [['Authorization', 'JWT eyJ.a.b'], ['Content-Type', 'application/json']]);
  // bash's way to put a ' inside '...': close, \', reopen.
  assert.equal(req.body, '{"fields":{"summary":"it\'s"}}');
  assert.equal(res.status, 401);
  assert.equal(Object.keys(res.headers).length, 2);
  assert.equal(res.body, '{"errorMessages":["You do not have the permission to see the specified issue."]}');
});

test('a curl command as browsers copy it', () => {
  // Chrome's "Copy as cURL (bash)": $'...' quoting, --data-raw, --compressed.
  const ex = parse(P.CURL_AS_BROWSERS_COPY);
  assert.equal(ex.request.method, 'POST');
  assert.equal(ex.request.url, 'https://app.example.com/configuration');
  assert.equal(ex.request.body, "projectKey=DEMO&note=a'b\ncd\u00e9&jwt=eyJ.x.y");
  assert.equal(Object.keys(ex.request.headers).length, 2, 'no header added when content-type is given');
  assert.equal(ex.response, null);
});

test('curl command options', () => {
  // -G moves the data into the query; --data-urlencode encodes as curl does.
  let req = parse(P.CURL_GET_URLENCODE).request;
  assert.equal(req.method, 'GET');
  assert.equal(req.url, 'https://jira.example.com/rest/api/2/search?jql=project%20%3D%20OPS&maxResults=5');
  assert.equal(req.body, null);
  assert.deepEqual(req.headers, {});

  // -d without a content type: curl sends a form.
  req = parse(P.CURL_PUT_FORM).request;
  assert.equal(req.method, 'PUT');
  assert.equal(req.url, 'http://jira.example.com:8080/rest?x=1');
  assert.equal(req.body, 'a=1&b=2');
  assert.deepEqual(Object.entries(req.headers), [['Content-Type', 'application/x-www-form-urlencoded']]);
  assert.doesNotMatch(JSON.stringify(req), /secret/, '-u is not read');

  // --json, --oauth2-bearer, -A, -b, -e; a URL without a path gets `/`.
  req = parse(P.CURL_JSON_AND_HEADERS).request;
  assert.equal(req.method, 'POST');
  assert.equal(req.url, 'https://api.example.com/?x=1');
  assert.equal(req.body, '{"a":1}');
  assert.deepEqual(Object.entries(req.headers), [
    ['Authorization', 'Bearer TKN'], ['User-Agent', 'agent/1'], ['Cookie', 'sid=1'], ['Referer', 'https://ref.example/'],
    ['Content-Type', 'application/json'], ['Accept', 'application/json'],
  ]);

  // -I, a header removal (`Name:`), an empty header (`Name;`), a file body, redirection.
  req = parse(P.CURL_HEAD_REDIRECTED).request;
  assert.equal(req.method, 'HEAD');
  assert.equal(req.url, 'https://h.example/p');
  assert.deepEqual(Object.entries(req.headers), [['X-Empty', '']]);
  req = parse(P.CURL_FILE_BODY).request;
  assert.equal(req.method, 'POST');
  assert.equal(req.body, null, 'a body read from a file is not in the paste');
});

test('a curl command with a prompt, a pipe and a body', () => {
  const ex = parse(P.CURL_PROMPT_PIPE);
  assert.equal(ex.request.url, 'https://jira.example.com/rest/api/2/myself');
  assert.equal(ex.response.status, null);
  assert.deepEqual(ex.response.headers, {});
  assert.equal(ex.response.body, '{\n  "message": "Client must be authenticated to access this resource.",\n  "status-code": 401\n}');
});

test('curl command errors', () => {
  assert.match(refused(P.CURL_NO_URL), /no URL/);
  assert.match(refused(P.CURL_UNCLOSED_SINGLE), /unclosed ' quote/);
  assert.match(refused(P.CURL_UNCLOSED_DOUBLE), /unclosed " quote/);
  assert.match(refused("curl https://h/ --data $'abc"), /unclosed \$' quote/);
});

// The Rust parser's proptests: any text, and text made of paste pieces, with each kind of pick.
const PIECES = [
  '> ', '< ', '* ', '{ [', '\n', '\r\n', '>\n', '<\n', 'GET /x?y HTTP/1.1\n', 'HTTP/1.1 401 Unauthorized\n', 'HTTP/2 100\n',
  'Host: h.example:443\n', ':authority: h\n', ' folded\n', '* Connected to h (1.2.3.4) port 443\n', 'curl ', '$ curl -v ',
  '-H ', '-d ', '-G ', '--data-urlencode ', '-XPOST', "'", '"', "$'\\x", '\\u12', '\\\n', '^\n', '2>&1 ', '| ',
  'https://h.example/p', '{"log":{"entries":[', '{"request":{"method":"GET","url":"u"},"response":{"status":401}}', ']}}',
];

test('random and paste-like text gives an exchange or a coded error', () => {
  let seed = 0x2545f491;
  const rnd = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const int = (n) => Math.floor(rnd() * n);
  const anyString = () => Array.from({ length: int(40) }, () => String.fromCharCode(rnd() < 0.6 ? 32 + int(95) : int(0x10000))).join('');
  for (let k = 0; k < 3000; k++) {
    const text = k % 2 === 0 ? anyString()
      : Array.from({ length: int(24) }, () => (rnd() < 0.85 ? PIECES[int(PIECES.length)] : anyString())).join('');
    for (const pick of [undefined, { entry: int(4) }, { url: k % 2 === 0 ? 'h' : '/' }]) {
      try {
        const ex = parse(text, pick);
        assert.ok(ex.request !== null || ex.response !== null, JSON.stringify(text));
      } catch (e) {
        assert.equal(e.code, 'ERR_INVALID_INPUT', `${JSON.stringify(text)}: ${e.stack}`);
      }
    }
  }
});
