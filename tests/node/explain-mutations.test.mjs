// The mutation run of explain: random requests x the mistakes a client makes x with and without
// the credentials at hand. The refusal each mistake causes is made here, independently of this
// package: the server's qsh and the client's token with atlassian-jwt (the qsh of the request as
// sent, as a product computes it) and node:crypto (HMAC JWTs), the OAuth base strings with an
// RFC 5849 builder written below and node:crypto RSA-SHA1. explain must name the injected
// mistake; the hit rate by mistake is printed, and a floor keeps it from falling.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac, generateKeyPairSync, sign as rsaSign } from 'node:crypto';
import * as aj from 'atlassian-jwt';
import * as api from '../../pkg/index.mjs';
import { mulberry32, qshRefusal } from './helpers.mjs';

const SEED = Number(process.env.EXPLAIN_MUTATION_SEED ?? 20261206);
const ROUNDS = 12;
const FLOOR = Number(process.env.EXPLAIN_MUTATION_FLOOR ?? 0.95);

const rand = mulberry32(SEED);
const pick = (a) => a[Math.floor(rand() * a.length)];
const word = () => pick(['ABC', 'summary', 'status', 'DEV', 'page', 'x1', 'team', 'v2']);

const NOW = 1_768_208_400;
const DATE = 'Mon, 12 Jan 2026 09:00:00 GMT';
const SITE = 'https://acme.atlassian.net';
const APP_KEY = 'com.example.app';
const CLIENT_KEY = 'jira:6d2a1f0e-client';
const SECRET = 'shh-an-installation-shared-secret';

const b64u = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
function hs256(claims, secret) {
  const input = `${b64u({ alg: 'HS256', typ: 'JWT' })}.${b64u(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
const qshOf = (method, url) => aj.createQueryStringHash(aj.fromMethodAndUrl(method, url), false, SITE);
const sha256 = (text) => createHash('sha256').update(text).digest('hex');

function randomRequest() {
  const path = pick(['/rest/api/3/issue/ABC-1', '/rest/api/2/search', '/rest/agile/1.0/board/7/sprint', '/rest/api/3/project']);
  const n = 1 + Math.floor(rand() * 3);
  const q = [];
  for (let i = 0; i < n; i++) q.push(`${pick(['jql', 'fields', 'maxResults', 'expand', 'startAt'])}${i}=${encodeURIComponent(`${word()} ${word()}`).replace(/%20/g, '%20')}`);
  return { method: pick(['GET', 'GET', 'POST', 'PUT']), url: `${SITE}${path}?${q.join('&')}` };
}

// Connect, app -> product: each mistake makes the token the client sends; the product answers.
const CONNECT = {
  JWT_AUTH_SCHEME_BEARER: (r) => ({ auth: `Bearer ${hs256(claims(r), SECRET)}`, body: 'Client must be authenticated to access this resource.' }),
  JWT_AUTH_SCHEME_TOKEN_EQ: (r) => ({ auth: `JWT token=${hs256(claims(r), SECRET)}`, body: 'Client must be authenticated to access this resource.' }),
  JWT_WRONG_SECRET: (r) => ({ auth: `JWT ${hs256(claims(r), 'a-stale-secret-from-an-old-install')}`, body: 'Unauthorized' }),
  JWT_ISS_CLIENTKEY: (r) => ({ auth: `JWT ${hs256({ ...claims(r), iss: CLIENT_KEY }, SECRET)}`, body: 'Unauthorized' }),
  JWT_EXPIRED: (r) => ({ auth: `JWT ${hs256({ ...claims(r), iat: NOW - 900, exp: NOW - 720 }, SECRET)}`, body: 'Unauthorized' }),
  JWT_IAT_MILLISECONDS: (r) => ({ auth: `JWT ${hs256({ ...claims(r), iat: NOW * 1000, exp: (NOW + 180) * 1000 }, SECRET)}`, body: 'Unauthorized' }),
  QUERY_NOT_HASHED: (r) => {
    const token = hs256({ ...claims(r), qsh: qshOf(r.method, r.url.split('?')[0]) }, SECRET);
    return { auth: `JWT ${token}`, body: qshRefusal(qshOf(r.method, r.url), qshOf(r.method, r.url.split('?')[0])) };
  },
  JWT_QUERY_PARAM_IGNORED: (r) => ({ auth: '', url: `${r.url}&jwt=${hs256(claims(r), SECRET)}`, body: 'Client must be authenticated to access this resource.' }),
  JWT_CLOCK_SKEW: (r) => ({ auth: `JWT ${hs256({ ...claims(r), iat: NOW + 600, exp: NOW + 780 }, SECRET)}`, body: 'Unauthorized' }),
  // Spaces hashed as + (Python's urlencode): the canonical request written here, then hashed.
  PLUS_FOR_SPACE: (r) => {
    const clientQsh = sha256(aj.createCanonicalRequest(aj.fromMethodAndUrl(r.method, r.url), false, SITE).replace(/%20/g, '+'));
    return { auth: `JWT ${hs256({ ...claims(r), qsh: clientQsh }, SECRET)}`, body: qshRefusal(qshOf(r.method, r.url), clientQsh) };
  },
  // The token made for the path without its last segment.
  PATH_CUT: (r) => {
    const [path, query] = r.url.split('?');
    const cut = `${path.slice(0, path.lastIndexOf('/'))}?${query}`;
    return { auth: `JWT ${hs256({ ...claims(r), qsh: qshOf(r.method, cut) }, SECRET)}`, body: qshRefusal(qshOf(r.method, r.url), qshOf(r.method, cut)) };
  },
  // The product (Tomcat without URIEncoding="UTF-8") reads the query as ISO-8859-1.
  QUERY_CHARSET: (r) => {
    const url = `${r.url}&summary=${encodeURIComponent(`${word()} café`)}`;
    const [path, query] = url.split('?');
    const misread = query.split('&').map((kv) => {
      const [n, v] = kv.split('=').map((x) => Buffer.from(decodeURIComponent(x), 'utf8').toString('latin1'));
      return `${encodeURIComponent(n)}=${encodeURIComponent(v)}`;
    }).join('&');
    return { url, auth: `JWT ${hs256({ ...claims({ ...r, url }), qsh: qshOf(r.method, url) }, SECRET)}`,
      body: qshRefusal(qshOf(r.method, `${path}?${misread}`), qshOf(r.method, url)) };
  },
  WRONG_METHOD: (r) => {
    const other = r.method === 'GET' ? 'POST' : 'GET';
    return { auth: `JWT ${hs256({ ...claims(r), qsh: qshOf(other, r.url) }, SECRET)}`, body: qshRefusal(qshOf(r.method, r.url), qshOf(other, r.url)) };
  },
};
function claims(r) {
  return { iss: APP_KEY, iat: NOW - 5, exp: NOW + 175, qsh: qshOf(r.method, r.url) };
}
// Which mistakes need the credentials to be seen.
const NEEDS_CREDENTIALS = new Set(['JWT_WRONG_SECRET', 'JWT_ISS_CLIENTKEY']);

// OAuth 1.0a: the client signs a wrong base string with its key; the server echoes its own.
const pct = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
function baseString(method, baseUri, pairs, enc = pct) {
  const norm = pairs.map(([n, v]) => [enc(n), enc(v)])
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`).join('&');
  return `${method}&${pct(baseUri)}&${pct(norm)}`;
}
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const OAUTH = {
  PROXY_SCHEME: (s) => ({ ...s, uri: s.uri.replace('https://', 'http://') }),
  DEFAULT_PORT: (s) => ({ ...s, uri: s.uri.replace('.com/', '.com:443/') }),
  METHOD_CHANGED: (s) => ({ ...s, method: s.method === 'GET' ? 'POST' : 'GET' }),
  PARAM_NOT_SIGNED: (s) => ({ ...s, pairs: s.pairs.filter(([n]) => n.startsWith('oauth_')) }),
  PLUS_FOR_SPACE: (s) => ({ ...s, enc: (x) => pct(x).replace(/%20/g, '+') }),
  DOUBLE_ENCODED: (s) => ({ ...s, pairs: s.pairs.map(([n, v]) => (n.startsWith('oauth_') ? [n, v] : [n, pct(v)])) }),
  // The server sees another port than the client signed (a proxy dropped it).
  PROXY_PORT: (s) => ({ ...s, uri: s.uri.replace('jira.example.com/', 'jira.example.com:8443/') }),
  // One encoding layer missing: names and values joined raw, then the whole string encoded.
  NOT_ENCODED: (s) => ({ ...s, enc: (x) => x }),
  // The server (Tomcat without URIEncoding="UTF-8") reads the query as ISO-8859-1; the client
  // signed UTF-8. Applied to the server's view below.
  QUERY_CHARSET: (s) => s,
  // Two mistakes at once: both must be named.
  'METHOD_CHANGED+PROXY_SCHEME': (s) => ({ ...s, method: s.method === 'GET' ? 'POST' : 'GET', uri: s.uri.replace('https://', 'http://') }),
};

function oauthCase(mistake) {
  const host = 'https://jira.example.com';
  const path = pick(['/rest/api/2/issue/OPS-12', '/rest/api/2/search', '/plugins/servlet/applinks']);
  const query = [[`fields${Math.floor(rand() * 9)}`, `${word()} ${word()}`], ['expand', word()]];
  if (mistake === 'QUERY_CHARSET') query.push(['summary', `${word()} café`]);
  const method = pick(['GET', 'POST']);
  const oauth = [['oauth_consumer_key', 'ck'], ['oauth_nonce', 'n0nce'], ['oauth_signature_method', 'RSA-SHA1'], ['oauth_timestamp', String(NOW)], ['oauth_token', 'tok'], ['oauth_version', '1.0']];
  const client = OAUTH[mistake]({ method, uri: `${host}${path}`, pairs: [...query, ...oauth], enc: pct });
  const latin1 = (x) => Buffer.from(x, 'utf8').toString('latin1');
  const serverQuery = mistake === 'QUERY_CHARSET' ? query.map(([n, v]) => [latin1(n), latin1(v)]) : query;
  const server = { method, uri: `${host}${path}`, pairs: [...serverQuery, ...oauth], enc: pct };
  const clientBs = baseString(client.method, client.uri, client.pairs, client.enc);
  const serverBs = baseString(server.method, server.uri, server.pairs);
  const signature = rsaSign('sha1', Buffer.from(clientBs), privateKey).toString('base64');
  const auth = `OAuth ${[...oauth, ['oauth_signature', signature]].map(([n, v]) => `${pct(n)}="${pct(v)}"`).join(', ')}`;
  // The client sends what it signed when the mistake is the server's view (a proxy's port).
  const sentHost = mistake === 'PROXY_PORT' ? 'https://jira.example.com:8443' : host;
  const url = `${sentHost}${path}?${query.map(([n, v]) => `${pct(n)}=${pct(v)}`).join('&')}`;
  return {
    request: { method, url, headers: { Authorization: auth } },
    response: { status: 401, headers: { Date: DATE }, body: `oauth_problem=signature_invalid&oauth_signature=${pct(signature)}&oauth_signature_base_string=${pct(serverBs)}&oauth_signature_method=RSA-SHA1` },
  };
}

// Trusted applications v3: the caller's headers made here with node:crypto (the certificate in
// clear, SHA1withRSA over timestamp, URL and username); the server answers with Seraph's error.
const { privateKey: taKey, publicKey: taPublic } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
function taHeaders(url, { ts = NOW * 1000, v2 = false } = {}) {
  const user = pick(['alice', 'bob', 'svc-build']);
  return {
    'X-Seraph-Trusted-App-ID': 'confluence:42',
    'X-Seraph-Trusted-App-Version': '3',
    'X-Seraph-Trusted-App-Cert': Buffer.from(`${ts}\n${user}\n-1159983122`).toString('base64'),
    'X-Seraph-Trusted-App-Signature': rsaSign('sha1', Buffer.from(v2 ? `${ts}\n${url}` : `${ts}\n${url}\n${user}`), taKey).toString('base64'),
  };
}
const badSig = (url) => `BAD_SIGNATURE;\tBad signature for URL: {0};\t["${url}"]`;
const TRUSTED = {
  VERSION_MISMATCH: (url) => ({ headers: taHeaders(url, { v2: true }), error: badSig(url), publicKey: taPublic }),
  // The server holds another public key for the application id than the caller signs with.
  KEY_MISMATCH: (url) => ({ headers: taHeaders(url), error: badSig(url), publicKey: taPublic }),
  CLOCK_SKEW: (url) => ({ headers: taHeaders(url, { ts: (NOW - 3600) * 1000 }), error: 'OLD_CERT;\tCertificate too old' }),
  PROXY_SCHEME: (url) => ({ headers: taHeaders(url), error: badSig(url.replace('https://', 'http://')), publicKey: taPublic }),
};

// More mistakes, each with the refusal it causes made here: OAuth answers other than a base
// string mismatch, a repeated parameter renamed, the server holding another key; Confluence's
// context path hashed; an app's verifier (atlassian-connect-express's message) that hashed a
// router-local path.
const CONFLUENCE = `${SITE}/wiki`;
function oauthRefusal({ sent = [], sign = null, problem, extra = '', key = privateKey, rawSignature = false,
  uri = 'https://jira.example.com/rest/api/2/search', signUri = uri }) {
  const oauth = [['oauth_consumer_key', 'ck'], ['oauth_nonce', `n${Math.floor(rand() * 1e9)}`], ['oauth_signature_method', 'RSA-SHA1'], ['oauth_timestamp', String(NOW)], ['oauth_token', 'tok'], ['oauth_version', '1.0']];
  const serverBs = baseString('GET', uri, [...sent, ...oauth]);
  const signature = rsaSign('sha1', Buffer.from(sign || signUri !== uri ? baseString('GET', signUri, [...(sign ?? sent), ...oauth]) : serverBs), key).toString('base64');
  const header = [...oauth, ['oauth_signature', signature]].map(([n, v]) => `${pct(n)}="${n === 'oauth_signature' && rawSignature ? v : pct(v)}"`).join(', ');
  const echoed = rawSignature ? signature.replace(/\+/g, ' ') : signature;
  return {
    signature,
    request: { method: 'GET', url: `${uri}?${sent.map(([n, v]) => `${pct(n)}=${pct(v)}`).join('&')}`, headers: { Authorization: `OAuth ${header}` } },
    response: { status: 401, headers: { Date: DATE }, body: `oauth_problem=${problem}&oauth_signature=${pct(echoed)}&oauth_signature_base_string=${pct(serverBs)}${extra}` },
  };
}
const { privateKey: otherKey } = generateKeyPairSync('rsa', { modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' } });
const MORE = {
  // Repeated parameters signed as fields[0], fields[1] in the order sent (the values as sent).
  PARAM_RENAMED: () => {
    const values = [word(), pick(['key', 'zz', 'a1'])];
    return {
      ...oauthRefusal({ sent: values.map((v) => ['fields', v]), sign: values.map((v, i) => [`fields[${i}]`, v]), problem: 'signature_invalid' }),
      credentials: { privateKey },
    };
  },
  // The reverse: fields[0], fields[1] sent (an array form), plain repeated fields signed.
  'PARAM_RENAMED (array form on the wire)': () => {
    const values = [word(), pick(['key', 'zz', 'a1'])];
    return {
      ...oauthRefusal({ sent: values.map((v, i) => [`fields[${i}]`, v]), sign: values.map((v) => ['fields', v]), problem: 'signature_invalid' }),
      credentials: { privateKey },
    };
  },
  // The path signed decoded (a space where %20 was sent).
  PATH_DECODED: () => {
    const file = `${word()}%20${word()}.pdf`;
    const uri = `https://jira.example.com/rest/api/2/attachment/content/${file}`;
    return { ...oauthRefusal({ sent: [['redirect', 'false']], uri, signUri: decodeURIComponent(uri), problem: 'signature_invalid' }), credentials: { privateKey } };
  },
  // Only the origin signed (a client that signs the base URL it was configured with).
  'PATH_CUT (origin only)': () => ({
    ...oauthRefusal({ sent: [['jql', word()]], signUri: 'https://jira.example.com', problem: 'signature_invalid' }),
    credentials: { privateKey },
  }),
  // The person's key signs what the server expects: the server holds another public key.
  KEY_MISMATCH: () => ({ ...oauthRefusal({ sent: [['jql', `${word()} ${word()}`]], problem: 'signature_invalid' }), credentials: { privateKey } }),
  // A "+" of the signature sent raw in the header: the server read a space.
  SIGNATURE_PLUS_SPACE: () => {
    let x;
    do x = oauthRefusal({ sent: [['jql', word()]], problem: 'signature_invalid', rawSignature: true, key: otherKey }); while (!x.signature.includes('+'));
    return { request: x.request, response: x.response };
  },
  CLOCK_SKEW: () => ({
    request: { method: 'GET', url: 'https://jira.example.com/rest/api/2/myself', headers: { Authorization: `OAuth oauth_consumer_key="ck", oauth_timestamp="${NOW - 900}", oauth_nonce="n", oauth_signature_method="RSA-SHA1", oauth_signature="c2ln", oauth_version="1.0"` } },
    response: { status: 401, headers: { Date: DATE, 'WWW-Authenticate': `OAuth realm="https%3A%2F%2Fjira.example.com", oauth_problem="timestamp_refused", oauth_acceptable_timestamps="${NOW - 300}-${NOW + 300}"` } },
  }),
  SIGNATURE_METHOD_REJECTED: () => ({
    request: { method: 'GET', url: 'https://jira.example.com/rest/api/2/myself', headers: { Authorization: 'OAuth oauth_consumer_key="ck", oauth_signature_method="HMAC-SHA1", oauth_signature="c2ln", oauth_timestamp="1", oauth_nonce="n", oauth_version="1.0"' } },
    response: { status: 400, headers: { Date: DATE }, body: 'oauth_problem=signature_method_rejected&oauth_acceptable_signature_methods=RSA-SHA1' },
  }),
  // Confluence: the client hashed the path with /wiki; the product strips its context path.
  BASE_PATH_NOT_STRIPPED: () => {
    const url = `${CONFLUENCE}/rest/api/${pick(['content', 'space', 'search'])}?limit=${Math.floor(rand() * 50)}&expand=${word()}`;
    const server = aj.createQueryStringHash(aj.fromMethodAndUrl('GET', url), false, CONFLUENCE);
    const client = aj.createQueryStringHash(aj.fromMethodAndUrl('GET', url), false, SITE);
    return {
      request: { method: 'GET', url, headers: { Authorization: `JWT ${hs256({ iss: APP_KEY, iat: NOW - 5, exp: NOW + 175, qsh: client }, SECRET)}` } },
      response: { status: 401, headers: { Date: DATE }, body: qshRefusal(server, client) },
      baseUrl: CONFLUENCE,
    };
  },
  // An app's verifier (atlassian-connect-express) that hashed its router's local path.
  PATH_CUT: () => {
    const app = 'https://app.example.com';
    const local = `/${pick(['issue-glance', 'config', 'panel'])}`;
    const url = `${app}/jira${local}?lic=none&cv=1.0`;
    const signed = aj.createCanonicalRequest(aj.fromMethodAndUrl('GET', url), false, app);
    const calculated = aj.createCanonicalRequest(aj.fromMethodAndUrl('GET', `${app}${local}?lic=none&cv=1.0`), false, app);
    const token = hs256({ iss: CLIENT_KEY, iat: NOW - 5, exp: NOW + 175, qsh: sha256(signed), context: {} }, SECRET);
    return {
      request: { method: 'GET', url: `${url}&jwt=${token}`, headers: {} },
      response: { status: 401, headers: { Date: DATE }, body: `Auth failure: Query hash mismatch: Received: "${sha256(signed)}" but calculated "${sha256(calculated)}". Canonical query was: "${calculated}` },
      baseUrl: app,
    };
  },
};

test(`explain names the injected mistake (seed ${SEED}, ${ROUNDS} rounds)`, () => {
  const tally = {};
  const misses = [];
  let hits = 0;
  let total = 0;
  const score = (name, withCreds, e) => {
    const key = `${name}${withCreds ? ' (credentials)' : ''}`;
    const t = (tally[key] ??= { hit: 0, n: 0 });
    t.n++;
    total++;
    assert.ok(e.summary.length > 0 && e.fix.length > 0, `${key}: empty summary or fix`);
    assert.ok(!JSON.stringify(e).includes(SECRET), `${key}: the secret appears`);
    assert.equal(typeof e.verified, 'boolean', `${key}: verified is a boolean`);
    if (e.causes.includes(name)) {
      t.hit++;
      hits++;
      if (e.verified) t.verified = (t.verified ?? 0) + 1;
    } else if (misses.length < 40) misses.push(`${key}: got ${e.causes.join(', ')}`);
  };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, make] of Object.entries(CONNECT)) {
      const r = randomRequest();
      const m = make(r);
      for (const withCreds of [false, true]) {
        if (!withCreds && NEEDS_CREDENTIALS.has(name)) continue;
        const e = api.explain({
          request: { method: r.method, url: m.url ?? r.url, headers: m.auth ? { Authorization: m.auth } : {} },
          response: { status: 401, headers: { Date: DATE }, body: m.body },
          baseUrl: SITE,
          credentials: withCreds ? { sharedSecret: SECRET, appKey: APP_KEY, clientKey: CLIENT_KEY } : undefined,
        });
        score(name, withCreds, e);
      }
    }
    for (const name of Object.keys(OAUTH)) {
      const x = oauthCase(name);
      for (const withCreds of [false, true]) {
        const e = api.explain({ ...x, credentials: withCreds ? { privateKey } : undefined });
        // Without the key only the diff of a given base string can name it, and none is given.
        if (!withCreds) {
          assert.ok(e.summary.length > 0 && e.fix.length > 0);
          continue;
        }
        for (const part of name.split('+')) score(part, true, e);
      }
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, make] of Object.entries(TRUSTED)) {
      const url = `https://fisheye.example.com/rest-service/${pick(['repositories-v1', 'reviews-v1/CR-7', 'search-v1'])}`;
      const m = make(url);
      const e = api.explain({
        request: { method: 'GET', url, headers: m.headers },
        response: { status: 401, headers: { Date: DATE, 'X-Seraph-Trusted-App-Status': 'ERROR', 'X-Seraph-Trusted-App-Error': m.error } },
        credentials: m.publicKey ? { publicKey: m.publicKey } : undefined,
      });
      score(`${name}`, Boolean(m.publicKey), e);
    }
    // OAuth credentials at hand, and the client never attached its parameters.
    const r = randomRequest();
    const e = api.explain({
      request: { method: r.method, url: r.url.replace(SITE, 'https://jira.example.com'), headers: {} },
      response: { status: 401, headers: { Date: DATE }, body: '{"errorMessages":["You are not authenticated."]}' },
      credentials: { consumerKey: 'ck', privateKey },
    });
    score('OAUTH_PARAM_MISSING', true, e);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, make] of Object.entries(MORE)) {
      const x = make();
      // A key's first word is the cause; the rest tells two cases of one cause apart.
      score(name.split(' ')[0], Boolean(x.credentials), api.explain(x));
    }
  }
  console.log(`explain mutation run: ${hits}/${total} named (${((100 * hits) / total).toFixed(0)} %)`);
  for (const [k, t] of Object.entries(tally)) console.log(`  ${k.padEnd(40)} ${t.hit}/${t.n}${t.verified ? `  (verified ${t.verified})` : ''}`);
  if (misses.length) console.log(`misses:\n  ${misses.join('\n  ')}`);
  assert.ok(hits / total >= FLOOR, `hit rate ${hits}/${total} under the floor ${FLOOR}`);
});
