// The paste parser behind explain (parseExchange): raw HTTP, responses alone, HAR files, the
// corpus pastes, bad and large input. Ported from the Rust parser's tests
// (crates/explain/tests/explain_exchange.rs) when the parser moved to JavaScript; headers are the
// returned objects (the first value of each name). curl is in parse-exchange-curl.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  BAD_HARS, BODIES_ONLY, GARBAGE, HAR_BLOCKED, HAR_ENTRY_B64, HAR_OK, RAW_ABSOLUTE, RAW_HTTP2_PSEUDO, RAW_NO_HOST, RAW_PORT_80,
  RAW_SEVERAL, RAW_WITH_BODY, RESPONSE_HEADERS_ONLY, RESPONSE_WITH_STATUS, har,
} from './parse-exchange-pastes.mjs';
import { header, parse, refused } from './parse-exchange-helpers.mjs';

const dir = new URL('../explain-corpus/', import.meta.url);
const read = (path) => readFileSync(new URL(path, dir), 'utf8');

test('the corpus pastes give the corpus entries', () => {
  const index = JSON.parse(read('pastes/index.json'));
  const corpus = JSON.parse(read('corpus.json'));
  assert.equal(index.entries.length, 6);
  for (const paste of index.entries) {
    const text = read(paste.file);
    const entry = corpus.entries.find((e) => e.id === paste.entry);
    assert.ok(entry, `${paste.entry} in corpus.json`);
    const wantReq = entry.input.request;
    const wantRes = entry.input.response;
    // The default (the last 401/403) and the index index.json gives agree.
    const picks = paste.harEntry === undefined ? [undefined] : [undefined, { entry: paste.harEntry }];
    for (const pick of picks) {
      const ex = parse(text, pick);
      assert.ok(ex.request, `${paste.file}: request`);
      assert.equal(ex.request.method, wantReq.method, paste.file);
      assert.equal(ex.request.url, wantReq.url, paste.file);
      assert.deepEqual(Object.entries(ex.request.headers), Object.entries(wantReq.headers), paste.file);
      // curl -v does not print the body it sends; the other forms carry it.
      if (paste.form !== 'curl -v' || wantReq.body == null) assert.equal(ex.request.body, wantReq.body ?? null, `${paste.file}: request body`);
      assert.ok(ex.response, `${paste.file}: response`);
      assert.equal(ex.response.status, wantRes.status ?? null, paste.file);
      assert.equal(header(ex.response.headers, 'Date'), wantRes.headers?.Date ?? null);
      if (paste.responseBody) {
        // A browser records the app's HTTP answer, not the log line the corpus entry carries.
        const harEntry = JSON.parse(text).log.entries[paste.harEntry];
        assert.equal(ex.response.body, harEntry.response.content.text, paste.file);
      } else {
        assert.deepEqual(Object.entries(ex.response.headers), Object.entries(wantRes.headers), paste.file);
        assert.equal(ex.response.body, wantRes.body ?? null, paste.file);
      }
    }
  }
});

test('corpus HAR entries can be picked by URL', () => {
  const text = read('pastes/cdac-14200-a.har');
  const favicon = parse(text, { url: 'favicon' });
  assert.equal(favicon.request.url, 'https://app.example.com/favicon.ico');
  assert.equal(favicon.response.status, 200);
  // An empty content text is no body.
  assert.equal(parse(text, { entry: 0 }).response.body, null);
  const conf = parse(text, { url: '/configuration' }).request;
  assert.equal(conf.method, 'POST');
  assert.ok(conf.body.startsWith('projectKey=DEMO&notify=true&jwt=eyJ'));
});

test('raw HTTP: a request with a body, and its response', () => {
  const ex = parse(RAW_WITH_BODY);
  assert.equal(ex.request.url, 'https://jira.example.com/rest/api/2/issue');
  assert.equal(ex.request.body, '{"fields":{}}');
  assert.equal(header(ex.request.headers, 'x-long'), 'first second', 'folded lines are joined');
  assert.equal(ex.response.status, 400);
  assert.equal(ex.response.body, '{"errors":{"project":"project is required"}}');
});

test('raw HTTP: targets and schemes', () => {
  assert.equal(parse(RAW_ABSOLUTE).request.url, 'http://jira.internal:8080/rest?a=b');
  assert.equal(parse(RAW_PORT_80).request.url, 'http://jira.example.com:80/a');
  const msg = refused(RAW_NO_HOST);
  assert.match(msg, /Host/);
  assert.doesNotMatch(msg, /SECRET/);
  // A browser's HTTP/2 view: pseudo-headers instead of a request line.
  const h2 = parse(RAW_HTTP2_PSEUDO).request;
  assert.equal(h2.method, 'DELETE');
  assert.equal(h2.url, 'https://acme.atlassian.net/rest/api/3/issue/X-1');
  assert.equal(Object.keys(h2.headers).length, 5);
});

test('raw HTTP: several exchanges', () => {
  const ex = parse(RAW_SEVERAL);
  assert.equal(ex.request.url, 'https://h.example/refused');
  assert.equal(ex.response.body, 'nope');
  assert.equal(parse(RAW_SEVERAL, { entry: 0 }).response.body, 'fine');
  assert.equal(parse(RAW_SEVERAL, { url: 'after' }).response.status, 404);
});

test('pastes that are only a response', () => {
  const res = parse(RESPONSE_WITH_STATUS).response;
  assert.equal(res.status, 401);
  assert.equal(Object.keys(res.headers).length, 1);
  assert.equal(res.body, 'oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2');
  // Headers only.
  const ex = parse(RESPONSE_HEADERS_ONLY);
  assert.equal(ex.request, null);
  assert.equal(ex.response.status, null);
  assert.equal(Object.keys(ex.response.headers).length, 3);
  assert.equal(ex.response.body, null);
  // Only a body: the server's message, an app's log line, a JSON error.
  for (const body of BODIES_ONLY) {
    const only = parse(`\n${body}\r\n\r\n`);
    assert.equal(only.request, null, body);
    assert.deepEqual([only.response.status, Object.keys(only.response.headers).length], [null, 0], body);
    assert.equal(only.response.body, body);
  }
});

test('HAR entries are read', () => {
  const text = har(`${HAR_OK},${HAR_ENTRY_B64},${HAR_BLOCKED}`);
  const ex = parse(text);
  assert.equal(ex.request.method, 'PUT');
  assert.equal(ex.request.url, 'https://h.example/a?b=c');
  assert.deepEqual(Object.entries(ex.request.headers), [[':authority', 'h.example'], ['authorization', 'JWT t']]);
  assert.equal(ex.request.body, 'a%20b=c%26d', 'params are form-encoded');
  assert.equal(ex.response.status, 403);
  assert.equal(ex.response.body, 'forbidden');
  assert.equal(parse(text, { entry: 2 }).response.status, null, 'status 0 is no answer');
  // Without a refusal the last entry is taken.
  assert.equal(parse(har(`${HAR_OK},${HAR_BLOCKED}`)).request.url, 'https://h.example/blocked');
  // One entry copied on its own.
  assert.equal(parse(HAR_ENTRY_B64).request.method, 'PUT');
  // JSON.parse reads 403.0 as 403 (the same JSON number): a refusal. A fraction is no status.
  const float = HAR_ENTRY_B64.replace('"status":403', '"status":403.0');
  assert.equal(parse(har(`${float},${HAR_OK}`)).request.url, 'https://h.example/a?b=c');
  const fraction = HAR_ENTRY_B64.replace('"status":403', '"status":403.5');
  assert.equal(parse(har(`${fraction},${HAR_OK}`)).request.url, 'https://h.example/ok');
});

test('bad HAR files', () => {
  const [empty, noEntries, cut, noUrl, noMethod, notObject, bad64, numbers] = BAD_HARS;
  assert.match(refused(empty), /no entries/);
  assert.match(refused(noEntries), /log\.entries/);
  const msg = refused(cut);
  assert.match(msg, /not valid JSON/);
  // The JSON error is JSON.parse's: what and where.
  assert.match(msg, /\(Unterminated string in JSON at position \d+\)/);
  const one = refused(har(HAR_ENTRY_B64), { entry: 1 });
  assert.ok(one.includes('1 entry;') && one.includes('no entry 1'), one);
  assert.match(refused(har(HAR_ENTRY_B64), { url: '/elsewhere' }), /"\/elsewhere"/);
  assert.match(refused(noUrl), /request\.url/);
  assert.match(refused(noMethod), /request\.method/);
  assert.match(refused(notObject), /request object/);
  assert.match(refused(bad64), /base64/);
  const n = refused(numbers);
  assert.ok(n.includes('entry 2') && n.includes('no request'), n);
  // An entry without a response is a partial exchange.
  assert.equal(parse(har('{"request":{"method":"GET","url":"https://h/"}}')).response, null);
});

test('empty, binary and oversized pastes are refused', () => {
  for (const empty of ['', '   \n\t\r\n', '\uFEFF']) assert.match(refused(empty), /empty/);
  assert.match(refused('GET / HTTP/1.1\0'), /NUL/);
  const max = 8 * 1024 * 1024;
  assert.match(refused('a'.repeat(max + 1)), /8 MiB/);
  // Exactly the limit is read; the limit counts UTF-8 bytes.
  assert.equal(parse('a'.repeat(max)).response.body.length, max);
  assert.match(refused('é'.repeat(max / 2) + 'a'), /is 8388609 bytes/);
});

test('garbage gives a body or an error', () => {
  for (const junk of GARBAGE) {
    try {
      const ex = parse(junk);
      assert.ok(ex.request !== null || ex.response !== null, JSON.stringify(junk));
    } catch (e) {
      assert.equal(e.code, 'ERR_INVALID_INPUT', `${JSON.stringify(junk)}: ${e.message}`);
    }
  }
});

test('large pastes are read in linear time', () => {
  // 200 000 header lines in each form: a quadratic step would not finish.
  const n = 200_000;
  const curlV = ['> GET /x HTTP/1.1\n> Host: h.example\n'];
  const raw = ['GET /x HTTP/1.1\nHost: h.example\n'];
  for (let i = 0; i < n; i++) {
    curlV.push(`> X-H${i}: v\n`);
    raw.push(`X-H${i}: v\n`);
  }
  curlV.push('>\n< HTTP/1.1 401 Unauthorized\n<\n', 'body line\n'.repeat(n));
  raw.push('\nHTTP/1.1 401 Unauthorized\n\n', 'body line\n'.repeat(n));
  assert.equal(Object.keys(parse(curlV.join('')).request.headers).length, n + 1);
  assert.equal(Object.keys(parse(raw.join('')).request.headers).length, n + 1);
  const folded = `HTTP/1.1 401 X\nX-A: a\n${' b\n'.repeat(n)}`;
  assert.equal(parse(folded).response.headers['X-A'].length, 1 + 2 * n);
  const cmd = `curl https://h.example/${" -H 'X: y' \\\n".repeat(n)}`;
  assert.equal(parse(cmd).request.headers.X, 'y');
  const entry = '{"request":{"method":"GET","url":"https://h/","headers":[]},"response":{"status":200}}';
  assert.throws(() => parse(har(Array(20_000).fill(entry).join(',')), { url: 'nowhere' }), { code: 'ERR_INVALID_INPUT' });
});

test('options are checked as before', () => {
  assert.throws(() => parse('x', { entry: 1.5 }), { name: 'TypeError', code: 'ERR_INVALID_INPUT', message: 'entry must be a whole number from 0' });
  assert.throws(() => parse('x', { entry: '1' }), { name: 'TypeError', code: 'ERR_INVALID_INPUT' });
  assert.throws(() => parse('x', { url: 1 }), { name: 'TypeError', code: 'ERR_INVALID_INPUT' });
  // entry wins over url; an index past every exchange names the count.
  assert.throws(() => parse(RAW_SEVERAL, { entry: 2 ** 40, url: 'ok' }), { message: /holds 3 exchanges; there is no entry 4294967295/ });
  // The URL text is quoted as the core quoted it.
  assert.throws(() => parse(RAW_SEVERAL, { url: 'a"\n\u0301' }), { message: /containing "a\\"\\n\\u\{301\}"$/ });
});
