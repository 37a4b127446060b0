// OAuth 1.0a through the JS API: every published vector and every method of the 28 reference
// cases through signOAuth (WebCrypto) and signOAuthSync (pure Rust), byte for byte; WebCrypto and
// Rust give the same RSA signatures (with crypto hidden too); a differential run against npm
// oauth-sign on generated requests; verifyOAuth, the flow builders, the parsers and the errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import * as api from '../../pkg/index.mjs';
import { require, vector, mulberry32 } from './helpers.mjs';

const oauthSign = require('oauth-sign');
const V = vector('oauth-cases.json');
const KEY = V.test_key;
const PRIVATE_JWK = createPrivateKey(KEY.private_pkcs8_pem).export({ format: 'jwk' });

/** RFC 3986 percent-encoding (section 3.6), written independently of the package. */
const enc = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

const signers = {
  sync: async (req, creds) => api.signOAuthSync(req, creds),
  async: (req, creds) => api.signOAuth(req, creds),
};

/** Credentials from a list of protocol parameters, as a published vector lists them. */
function credentialsFrom(oauthParams, extra) {
  const p = Object.fromEntries(oauthParams);
  return {
    consumerKey: p.oauth_consumer_key,
    token: p.oauth_token,
    nonce: p.oauth_nonce,
    timestamp: p.oauth_timestamp,
    callback: p.oauth_callback,
    verifier: p.oauth_verifier,
    signatureMethod: p.oauth_signature_method,
    includeVersion: 'oauth_version' in p,
    ...extra,
  };
}

const requestOf = (r) => ({
  method: r.method,
  url: r.url,
  ...(r.content_type != null && { contentType: r.content_type }),
  ...(r.body != null && { body: r.body }),
});

test('every published vector, through both signers', async () => {
  let handled = 0;
  for (const v of V.published_vectors) {
    if (v.method && v.url) {
      handled++;
      const req = requestOf(v);
      assert.equal(api.oauthBaseString(req, v.oauth_params), v.signature_base_string, v.name);
      const rsa = v.signature_method.startsWith('RSA');
      const creds = credentialsFrom(v.oauth_params, rsa
        ? { privateKey: v.private_key_pkcs8_pem }
        : { consumerSecret: v.consumer_secret, tokenSecret: v.token_secret });
      for (const [name, sign] of Object.entries(signers)) {
        const signed = await sign(req, creds);
        assert.equal(signed.baseString, v.signature_base_string, `${v.name} ${name}`);
        assert.equal(signed.signature, v.recomputed_signature, `${v.name} ${name}`);
        if (v.reproduces) assert.equal(signed.signature, v.published_signature, `${v.name} ${name}`);
        assert.equal(signed.params.oauth_signature, signed.signature);
        assert.ok(signed.authorization.endsWith(`oauth_signature="${enc(v.recomputed_signature)}"`), signed.authorization);
      }
      const signed = api.signOAuthSync(req, creds);
      const verified = api.verifyOAuth({ ...req, authorization: signed.authorization }, {
        ...(rsa ? { publicKey: v.certificate_pem } : { consumerSecret: v.consumer_secret, tokenSecret: v.token_secret }),
        now: Number(creds.timestamp),
      });
      assert.equal(verified.ok, true, `${v.name}: ${JSON.stringify(verified)}`);
    } else if (v.signature_base_string) {
      handled++;
      const sig = api.oauthSignature(v.signature_base_string, {
        signatureMethod: v.signature_method, consumerSecret: v.consumer_secret, tokenSecret: v.token_secret,
      });
      assert.equal(sig, v.published_signature, v.name);
    } else if (v.signature_method === 'PLAINTEXT') {
      handled++;
      for (const c of v.cases) {
        const creds = { signatureMethod: 'PLAINTEXT', consumerSecret: c.consumer_secret, tokenSecret: c.token_secret };
        assert.equal(api.oauthSignature('ignored', creds), c.signature);
        const signed = api.signOAuthSync({ url: 'https://photos.example.net/' }, { ...creds, consumerKey: 'k' });
        assert.equal(signed.signature, c.signature);
        assert.ok(signed.authorization.includes(`oauth_signature="${c.header_value}"`), signed.authorization);
      }
    } else if (v.name.includes('encoding')) {
      handled++;
      for (const [input, expected] of v.pairs) {
        // The value is encoded once when normalised and once more with the whole string.
        const base = api.oauthBaseString({ url: 'http://e.example/' }, { a: input });
        assert.equal(base, `GET&http%3A%2F%2Fe.example%2F&a%3D${expected.replaceAll('%', '%25')}`, JSON.stringify(input));
      }
    } else if (v.name.includes('normalization')) {
      handled++;
      for (const [query, normalized] of v.pairs) {
        const base = api.oauthBaseString({ url: `http://e.example/?${query}` }, []);
        assert.equal(base, `GET&http%3A%2F%2Fe.example%2F&${enc(normalized)}`, query);
      }
    }
  }
  assert.equal(handled, V.published_vectors.length, 'every published vector is checked');
});

test('all 28 cases, every method, through signOAuth and signOAuthSync: base string, signature, header', async () => {
  assert.equal(V.cases.length, 28);
  let checked = 0;
  for (const c of V.cases) {
    const req = requestOf(c.request);
    const cr = c.credentials;
    for (const [method, want] of Object.entries(c.by_method)) {
      const creds = {
        consumerKey: cr.consumer_key,
        consumerSecret: cr.consumer_secret,
        token: cr.token ?? undefined,
        tokenSecret: cr.token_secret,
        nonce: cr.nonce,
        timestamp: Number(cr.timestamp),
        callback: cr.callback ?? undefined,
        verifier: cr.verifier ?? undefined,
        signatureMethod: method,
        includeVersion: want.oauth_params.some(([n]) => n === 'oauth_version'),
        privateKey: KEY.private_pkcs8_pem,
      };
      for (const [name, sign] of Object.entries(signers)) {
        const signed = await sign(req, creds);
        const at = `${c.id} ${method} ${name}`;
        assert.equal(signed.baseString, want.signature_base_string, at);
        assert.equal(signed.signature, want.signature, at);
        assert.equal(signed.authorization, want.authorization_header, at);
        assert.deepEqual(Object.entries(signed.params), [...want.oauth_params, ['oauth_signature', want.signature]], at);
        assert.equal(signed.headers.Authorization, signed.authorization);
        assert.equal(signed.url, c.request.url);
        checked++;
      }
      assert.equal(api.oauthBaseString(req, want.oauth_params), want.signature_base_string);
      const rsa = method.startsWith('RSA');
      const verified = api.verifyOAuth({ ...req, authorization: want.authorization_header }, {
        ...(rsa ? { publicKey: KEY.public_spki_pem } : { consumerSecret: cr.consumer_secret, tokenSecret: cr.token_secret }),
        signatureMethods: [method],
        now: Number(cr.timestamp) + 299,
      });
      assert.equal(verified.ok, true, `${c.id} ${method}: ${JSON.stringify(verified)}`);
    }
  }
  console.log(`checked ${checked} (case, method, signer) combinations`);
  assert.ok(checked >= 110);
});

test('RSA signatures: WebCrypto, the Rust fallback and every key form give the same bytes', async (t) => {
  const subtle = globalThis.crypto.subtle;
  const original = { importKey: subtle.importKey, sign: subtle.sign };
  const calls = { importKey: 0, sign: 0 };
  subtle.importKey = function (...a) { calls.importKey++; return original.importKey.apply(this, a); };
  subtle.sign = function (...a) { calls.sign++; return original.sign.apply(this, a); };
  const cryptoDescriptor = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
  t.after(() => {
    Object.assign(subtle, original);
    delete subtle.importKey;
    delete subtle.sign;
    Object.defineProperty(globalThis, 'crypto', cryptoDescriptor);
  });

  // A key no other test uses, so its first use imports it.
  const fresh = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const freshPem = fresh.privateKey.export({ type: 'pkcs1', format: 'pem' });
  const req = { method: 'POST', url: 'https://jira.example.com/rest/api/2/issue?x=1', body: { a: 'b c' } };
  const creds = { consumerKey: 'ck', token: 'tk', nonce: 'n', timestamp: 1700000000, privateKey: freshPem };
  const expected = api.signOAuthSync(req, creds).signature;
  for (let i = 0; i < 5; i++) assert.equal((await api.signOAuth(req, creds)).signature, expected);
  assert.deepEqual(calls, { importKey: 1, sign: 5 }, 'imported once, signed by WebCrypto five times');

  for (const method of ['RSA-SHA1', 'RSA-SHA256']) {
    for (const privateKey of [KEY.private_pkcs8_pem, KEY.private_pkcs1_pem, PRIVATE_JWK, JSON.stringify(PRIVATE_JWK)]) {
      for (const url of ['https://a.example/x', 'https://a.example/é?q=%E6%97%A5&r=a+b', 'http://A.example:8080/']) {
        const c = { consumerKey: 'ck', nonce: 'n', timestamp: 1, signatureMethod: method, privateKey };
        const sync = api.signOAuthSync({ url }, c);
        const fast = await api.signOAuth({ url }, c);
        assert.equal(fast.signature, sync.signature, `${method} ${url}`);
        assert.equal(fast.authorization, sync.authorization);
      }
    }
  }
  // The published RSA-SHA1 and RSA-SHA256 signatures, through WebCrypto.
  const t01 = V.cases[0];
  for (const method of ['RSA-SHA1', 'RSA-SHA256']) {
    const want = t01.by_method[method];
    const s = await api.signOAuth({ url: t01.request.url }, credentialsFrom(want.oauth_params, { privateKey: PRIVATE_JWK }));
    assert.equal(s.signature, want.signature);
  }

  // importKey refusing the key: signOAuth signs in Rust, same bytes.
  const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
  subtle.importKey = () => Promise.reject(new Error('refused'));
  const c2 = { ...creds, privateKey: other };
  assert.equal((await api.signOAuth(req, c2)).signature, api.signOAuthSync(req, c2).signature);

  // crypto without subtle (a browser page outside a secure context): the fallback inside
  // signOAuth. getRandomValues stays: generated nonces need it.
  const signsBefore = calls.sign;
  const realCrypto = globalThis.crypto;
  Object.defineProperty(globalThis, 'crypto', {
    value: { getRandomValues: (a) => realCrypto.getRandomValues(a) }, configurable: true, writable: true,
  });
  assert.equal(globalThis.crypto.subtle, undefined);
  for (const c of [creds, { ...creds, privateKey: KEY.private_pkcs8_pem, signatureMethod: 'RSA-SHA256' }, { ...creds, nonce: undefined }]) {
    const fast = await api.signOAuth(req, { ...c, nonce: 'n' });
    assert.equal(fast.signature, api.signOAuthSync(req, { ...c, nonce: 'n' }).signature);
  }
  const want = t01.by_method['RSA-SHA1'];
  const s = await api.signOAuth({ url: t01.request.url }, credentialsFrom(want.oauth_params, { privateKey: KEY.private_pkcs1_pem }));
  assert.equal(s.signature, want.signature);
  assert.equal(calls.sign, signsBefore, 'WebCrypto was not used while crypto.subtle was hidden');

  // No globalThis.crypto at all: no subtle and no random source. A request that needs no
  // randomness (HMAC or RSA with a fixed nonce: the Rust RSA is constant-time, not blinded, so
  // it needs no random numbers) still signs; generated nonces fail with a code.
  Object.defineProperty(globalThis, 'crypto', { value: undefined, configurable: true, writable: true });
  const hmac = { consumerKey: 'ck', consumerSecret: 'cs', signatureMethod: 'HMAC-SHA1', nonce: 'n', timestamp: 1 };
  assert.equal((await api.signOAuth(req, hmac)).signature, api.signOAuthSync(req, hmac).signature);
  assert.equal((await api.signOAuth(req, creds)).signature, expected);
  await assert.rejects(api.signOAuth(req, { ...creds, nonce: undefined }), { code: 'ERR_SIGNING_FAILED', message: /random/ });
  await assert.rejects(api.signOAuth(req, { ...hmac, nonce: undefined }), { code: 'ERR_SIGNING_FAILED', message: /random/ });
  assert.equal(calls.sign, signsBefore);
  Object.defineProperty(globalThis, 'crypto', cryptoDescriptor);
  assert.equal((await api.signOAuth(req, creds)).signature, expected, 'the module still signs');
});

// ------------------------------------------------------------------------------------------
// Differential: npm oauth-sign on generated requests
// ------------------------------------------------------------------------------------------

const SEED = Number(process.env.OAUTH_DIFF_SEED || Date.now() % 1e9);
const COUNT = Number(process.env.OAUTH_DIFF_COUNT || 2000);


/**
 * Generates requests from their decoded parts: the test knows the parameters and the base URI
 * before any parser sees the URL. Components are encoded in varied legal ways (raw where a
 * query may carry the character, %XX in either case, '+' or %20 for space).
 */
function generator(seed) {
  const rand = mulberry32(seed);
  const int = (n) => Math.floor(rand() * n);
  const pick = (a) => a[int(a.length)];
  const chance = (p) => rand() < p;
  const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const SPECIAL = [...'-._~ +%&=!*\'();:@$,/?#[]"<>\\^`{|}\t\n\u007f', 'é', 'ß', '日', '本', '😀', '\u00a0', '\u2028', 'Ω'];
  const str = (min, max) => {
    let s = '';
    for (let n = min + int(max - min + 1); n > 0; n--) s += chance(0.6) ? ALNUM[int(ALNUM.length)] : pick(SPECIAL);
    return s;
  };
  const hex = (b, upper) => { const h = b.toString(16).padStart(2, '0'); return upper ? h.toUpperCase() : h; };
  const pct = (ch) => { const upper = chance(0.7); return [...Buffer.from(ch, 'utf8')].map((b) => `%${hex(b, upper)}`).join(''); };
  const QUERY_RAW = new Set("-._~!$'()*,;:@/?");
  const encodeComponent = (s, isValue) => {
    let out = '';
    for (const ch of s) {
      if (/[A-Za-z0-9]/.test(ch) || QUERY_RAW.has(ch) || (isValue && ch === '=')) out += chance(0.85) ? ch : pct(ch);
      else if (ch === ' ') out += chance(0.5) ? '+' : pct(ch);
      else out += pct(ch);
    }
    return out;
  };
  const name = () => { let n; do n = str(1, 8); while (n.startsWith('oauth_')); return n; };
  const params = (max) => {
    const out = [];
    for (let n = int(max + 1); n > 0; n--) out.push([out.length && chance(0.2) ? pick(out)[0] : name(), chance(0.15) ? '' : str(0, 10)]);
    return out;
  };
  const form = (pairs) => {
    const parts = pairs.map(([n, v]) => (v === '' && chance(0.3) ? encodeComponent(n, false) : `${encodeComponent(n, false)}=${encodeComponent(v, true)}`));
    if (chance(0.1)) parts.splice(int(parts.length + 1), 0, '');
    return parts.join('&');
  };
  const PATH_CHARS = `${ALNUM}-._~!$&'()*+,;=:@`;
  const segment = () => {
    let s = '';
    for (let n = int(9); n > 0; n--) s += chance(0.85) ? PATH_CHARS[int(PATH_CHARS.length)] : `%${hex(int(256), chance(0.7))}`;
    return s === '.' || s === '..' ? `${s}x` : s;
  };
  const mixCase = (s) => [...s].map((c) => (chance(0.3) ? c.toUpperCase() : c)).join('');

  return function next() {
    const scheme = pick(['http', 'https']);
    const host = chance(0.1) ? `${int(256)}.${int(256)}.${int(256)}.${int(256)}`
      : Array.from({ length: 1 + int(3) }, () => str(1, 1).replace(/[^a-z0-9]/gi, 'h') + Array.from({ length: int(8) }, () => pick([...'abcxyz019-'])).join('') + 'q').join('.');
    const defaultPort = scheme === 'http' ? 80 : 443;
    const port = chance(0.6) ? null : chance(0.35) ? defaultPort : 1 + int(65535);
    const path = chance(0.1) ? '' : `/${Array.from({ length: 1 + int(4) }, segment).join('/')}`;
    const query = chance(0.75) ? params(6) : [];
    const queryText = query.length ? form(query) : '';
    const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'get', 'post']);
    const upper = method.toUpperCase();
    let body = null;
    if (!['GET', 'HEAD'].includes(upper)) {
      if (chance(0.45)) { const pairs = params(5); body = { kind: 'form', pairs, text: form(pairs) }; }
      else if (chance(0.2)) body = { kind: 'json', pairs: [], text: JSON.stringify({ fields: { summary: str(0, 8) } }) };
    }
    const url = `${mixCase(scheme)}://${chance(0.05) ? 'user:pw@' : ''}${mixCase(host)}${port === null ? '' : `:${port}`}${path}${
      queryText ? `?${queryText}` : chance(0.05) ? '?' : ''}`;
    const baseUri = `${scheme}://${host.toLowerCase()}${port === null || port === defaultPort ? '' : `:${port}`}${path || '/'}`;
    const credentials = {
      consumerKey: str(1, 12),
      consumerSecret: str(1, 12), // an empty consumer secret is refused (safe default)
      token: chance(0.6) ? str(1, 12) : undefined,
      tokenSecret: str(0, 12),
      nonce: str(1, 16),
      timestamp: int(2_000_000_000),
      callback: chance(0.15) ? `https://cb.example/r?x=${str(0, 6)}` : undefined,
      verifier: chance(0.15) ? str(1, 8) : undefined,
      realm: chance(0.2) ? str(0, 8) : undefined,
      includeVersion: chance(0.7),
    };
    const oauthParams = [
      ['oauth_consumer_key', credentials.consumerKey],
      ['oauth_nonce', credentials.nonce],
      ['oauth_signature_method', null],
      ['oauth_timestamp', String(credentials.timestamp)],
      ...(credentials.includeVersion ? [['oauth_version', '1.0']] : []),
      ...(credentials.token ? [['oauth_token', credentials.token]] : []),
      ...(credentials.callback ? [['oauth_callback', credentials.callback]] : []),
      ...(credentials.verifier ? [['oauth_verifier', credentials.verifier]] : []),
    ];
    const request = {
      method,
      url,
      ...(body && { body: body.text, contentType: body.kind === 'form' ? 'application/x-www-form-urlencoded' : 'application/json' }),
    };
    return { request, baseUri, query, body, credentials, oauthParams, method: upper };
  };
}

/** oauth-sign takes already-parsed parameters: an object, repeated names as arrays. */
function oauthSignParams(pairs) {
  const o = Object.create(null);
  for (const [n, v] of pairs) {
    if (!(n in o)) o[n] = v;
    else if (Array.isArray(o[n])) o[n].push(v);
    else o[n] = [o[n], v];
  }
  return o;
}

test(`differential against oauth-sign: ${COUNT} generated requests, HMAC-SHA1 and RSA-SHA1 (seed ${SEED})`, async () => {
  console.log(`oauth-sign differential seed ${SEED} (set OAUTH_DIFF_SEED to replay)`);
  const next = generator(SEED);
  const diffs = [];
  const note = (i, g, what, ours, theirs) => diffs.push({ i, what, ours, theirs, request: g.request, credentials: g.credentials });
  let compared = 0;
  const batch = [];
  const flush = async () => {
    const results = await Promise.all(batch.map(({ g, creds }) => api.signOAuth(g.request, creds)));
    batch.forEach(({ g, i, creds, theirsBase, theirsSig }, k) => {
      const ours = results[k];
      if (ours.baseString !== theirsBase) note(i, g, 'RSA-SHA1 base string', ours.baseString, theirsBase);
      if (ours.signature !== theirsSig) note(i, g, 'RSA-SHA1 signature', ours.signature, theirsSig);
      // A sample through the pure-Rust signer too.
      if (i % 40 === 0 && api.signOAuthSync(g.request, creds).signature !== ours.signature) note(i, g, 'RSA-SHA1 sync vs async', '', '');
      compared++;
    });
    batch.length = 0;
  };
  for (let i = 0; i < COUNT; i++) {
    const g = next();
    const params = (method) => oauthSignParams([
      ...g.query, ...(g.body?.kind === 'form' ? g.body.pairs : []),
      ...g.oauthParams.map(([n, v]) => [n, n === 'oauth_signature_method' ? method : v]),
    ]);
    // HMAC-SHA1
    const hmacCreds = { ...g.credentials, signatureMethod: 'HMAC-SHA1' };
    const ours = api.signOAuthSync(g.request, hmacCreds);
    const p = params('HMAC-SHA1');
    const theirsBase = oauthSign.generateBase(g.method, g.baseUri, p);
    const theirsSig = oauthSign.sign('HMAC-SHA1', g.method, g.baseUri, p, g.credentials.consumerSecret, g.credentials.tokenSecret);
    if (ours.baseString !== theirsBase) note(i, g, 'HMAC-SHA1 base string', ours.baseString, theirsBase);
    if (ours.signature !== theirsSig) note(i, g, 'HMAC-SHA1 signature', ours.signature, theirsSig);
    // The header carries exactly the parameters that were signed.
    const header = api.parseOAuthHeader(ours.authorization);
    const { realm, ...sent } = header;
    if (JSON.stringify(sent) !== JSON.stringify(ours.params) || realm !== g.credentials.realm) note(i, g, 'header round trip', header, ours.params);
    compared++;
    // RSA-SHA1, through WebCrypto, in batches.
    const rsaCreds = { ...g.credentials, signatureMethod: 'RSA-SHA1', privateKey: KEY.private_pkcs8_pem };
    const pr = params('RSA-SHA1');
    batch.push({
      g, i, creds: rsaCreds,
      theirsBase: oauthSign.generateBase(g.method, g.baseUri, pr),
      theirsSig: oauthSign.sign('RSA-SHA1', g.method, g.baseUri, pr, KEY.private_pkcs8_pem),
    });
    if (batch.length === 64) await flush();
  }
  await flush();
  console.log(`compared ${compared} signatures with oauth-sign; ${diffs.length} differences`);
  assert.equal(compared, 2 * COUNT);
  assert.deepEqual(diffs.slice(0, 3), [], `seed ${SEED}: ${diffs.length} differences`);
});

// ------------------------------------------------------------------------------------------
// Requests: which bodies are signed
// ------------------------------------------------------------------------------------------

test('bodies: form bodies are signed (string, object, URLSearchParams), JSON never', () => {
  const creds = { consumerKey: 'ck', consumerSecret: 's', signatureMethod: 'HMAC-SHA1', nonce: 'n', timestamp: 1 };
  const url = 'https://h.example/p?q=1';
  const base = (req) => api.signOAuthSync(req, creds).baseString;
  const withForm = base({ method: 'POST', url, body: 'a=1&b=x+y', contentType: 'application/x-www-form-urlencoded' });
  assert.match(withForm, /a%3D1%26b%3Dx%2520y/);
  // No content type: a form string, an object or URLSearchParams is a form body.
  assert.equal(base({ method: 'POST', url, body: 'a=1&b=x+y' }), withForm);
  const fromObject = api.signOAuthSync({ method: 'POST', url, body: { a: 1, b: 'x y' } }, creds);
  assert.equal(fromObject.baseString, withForm);
  assert.equal(fromObject.body, 'a=1&b=x%20y', 'the body to send, RFC 3986 encoded');
  assert.equal(fromObject.headers['Content-Type'], 'application/x-www-form-urlencoded');
  assert.equal(base({ method: 'POST', url, body: new URLSearchParams('a=1&b=x+y') }), withForm);
  // Content type from headers, any case, with parameters.
  assert.equal(base({ method: 'POST', url, body: 'a=1&b=x+y', headers: { 'CONTENT-TYPE': 'application/x-www-form-urlencoded; charset=UTF-8' } }), withForm);
  assert.equal(base({ method: 'POST', url, body: 'a=1&b=x+y', headers: new Headers({ 'content-type': 'application/x-www-form-urlencoded' }) }), withForm);
  // JSON: as text without a content type, or any body with another content type.
  const bare = base({ method: 'POST', url });
  assert.doesNotMatch(bare, /a%3D1/);
  assert.equal(base({ method: 'POST', url, body: '{"a":1}' }), bare);
  assert.equal(base({ method: 'POST', url, body: '[1]' }), bare);
  assert.equal(base({ method: 'POST', url, body: { a: 1 }, contentType: 'application/json' }), bare);
  assert.equal(base({ method: 'POST', url, body: 'a=1', contentType: 'application/json' }), bare);
  assert.equal(base({ method: 'POST', url, body: new Uint8Array([1, 2]), contentType: 'application/octet-stream' }), bare);
  const json = api.signOAuthSync({ method: 'POST', url, body: '{"a":1}' }, creds);
  assert.equal(json.body, undefined);
  assert.equal(json.headers['Content-Type'], undefined);
  // A body of unknown shape without a content type is a TypeError, not silently unsigned.
  assert.throws(() => base({ method: 'POST', url, body: new Uint8Array([1]) }), { name: 'TypeError', code: 'ERR_INVALID_INPUT' });
  // The method defaults to GET and is uppercased; signedUrl is what the base string is made of.
  assert.match(base({ url }), /^GET&/);
  assert.match(base({ method: 'patch', url }), /^PATCH&/);
  const proxied = api.signOAuthSync({ url: 'http://10.0.0.5:8080/jira/rest?x=1', signedUrl: 'https://jira.example.com/jira/rest?x=1' }, creds);
  assert.match(proxied.baseString, /^GET&https%3A%2F%2Fjira\.example\.com%2Fjira%2Frest&/);
  assert.equal(proxied.url, 'http://10.0.0.5:8080/jira/rest?x=1');
});

test('nonce and timestamp: 128 random bits per request, the clock or `now`', () => {
  const creds = { consumerKey: 'ck', consumerSecret: 's', signatureMethod: 'HMAC-SHA1' };
  const nonces = new Set();
  for (let i = 0; i < 200; i++) {
    const { params } = api.signOAuthSync({ url: 'https://h.example/' }, creds);
    assert.match(params.oauth_nonce, /^[0-9a-f]{32}$/);
    nonces.add(params.oauth_nonce);
    assert.ok(Math.abs(Number(params.oauth_timestamp) - Date.now() / 1000) < 5);
  }
  assert.equal(nonces.size, 200);
  assert.equal(api.signOAuthSync({ url: 'https://h.example/' }, { ...creds, now: new Date(1234567890123) }).params.oauth_timestamp, '1234567890');
  assert.equal(api.signOAuthSync({ url: 'https://h.example/' }, { ...creds, now: 42, timestamp: '7' }).params.oauth_timestamp, '7');
  const two = api.signOAuthSync({ url: 'https://h.example/' }, { ...creds, token: '', includeVersion: false, realm: 'R' });
  assert.deepEqual(Object.keys(two.params), ['oauth_consumer_key', 'oauth_nonce', 'oauth_signature_method', 'oauth_timestamp', 'oauth_signature']);
  assert.match(two.authorization, /^OAuth realm="R", oauth_consumer_key="ck", /);
});

// ------------------------------------------------------------------------------------------
// Errors
// ------------------------------------------------------------------------------------------

async function rejectsBoth(req, creds, expected) {
  assert.throws(() => api.signOAuthSync(req, creds), expected);
  await assert.rejects(api.signOAuth(req, creds), expected);
}

test('errors have codes and say what to do; no key material in messages', async () => {
  const req = { url: 'https://jira.example.com/rest/api/2/myself' };
  const base = { consumerKey: 'ck' };
  const pkcs8 = createPrivateKey(KEY.private_pkcs8_pem);
  const encryptedPkcs8 = pkcs8.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' });
  const encryptedPkcs1 = pkcs8.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' });
  assert.match(encryptedPkcs1, /Proc-Type: 4,ENCRYPTED/);
  for (const privateKey of [encryptedPkcs8, encryptedPkcs1]) {
    await rejectsBoth(req, { ...base, privateKey }, { code: 'ERR_INVALID_KEY', message: /encrypted.*openssl pkcs8 -topk8 -nocrypt/s });
  }
  const cert = V.published_vectors.find((v) => v.certificate_pem).certificate_pem;
  for (const [privateKey, what] of [[KEY.public_spki_pem, /SPKI public key/], [KEY.public_pkcs1_pem, /PKCS#1 public key/], [cert, /certificate/]]) {
    await rejectsBoth(req, { ...base, privateKey }, { code: 'ERR_INVALID_KEY', message: what });
    await rejectsBoth(req, { ...base, privateKey }, { code: 'ERR_INVALID_KEY', message: /openssl pkey -in private\.pem -pubout/ });
  }
  await rejectsBoth(req, { ...base, privateKey: 'not a key' }, { code: 'ERR_INVALID_KEY', message: /openssl genpkey/ });
  await rejectsBoth(req, base, { code: 'ERR_INVALID_KEY', message: /privateKey.*HMAC-SHA1/s });
  await rejectsBoth(req, { ...base, privateKey: KEY.private_pkcs8_pem.slice(0, 600) }, { code: 'ERR_INVALID_KEY' });
  await rejectsBoth(req, { ...base, signatureMethod: 'RSA-MD5' }, { code: 'ERR_UNSUPPORTED_ALGORITHM' });
  await rejectsBoth(req, { privateKey: KEY.private_pkcs8_pem }, { code: 'ERR_OAUTH_INVALID_REQUEST', message: /consumer key/ });
  await rejectsBoth({ url: `${req.url}?oauth_token=x` }, { ...base, privateKey: KEY.private_pkcs8_pem, token: 't' },
    { code: 'ERR_OAUTH_INVALID_REQUEST', message: /oauth_token appears twice/ });
  await rejectsBoth({ url: '/rest/api/2/myself' }, { ...base, privateKey: KEY.private_pkcs8_pem }, { code: 'ERR_INVALID_URL' });
  await rejectsBoth({ url: req.url, method: 'G E T' }, { ...base, privateKey: KEY.private_pkcs8_pem }, { code: 'ERR_INVALID_METHOD' });
  const keyed = { ...base, privateKey: KEY.private_pkcs8_pem };
  for (const [r, c] of [[null, keyed], ['https://x', keyed], [{}, keyed], [{ url: 1 }, keyed], [req, null], [req, 'ck'],
    [req, { ...keyed, consumerKey: 1 }], [req, { ...keyed, timestamp: -1 }], [req, { ...keyed, timestamp: '1e9' }], [req, { ...keyed, includeVersion: 'yes' }],
    [req, { ...base, privateKey: 42 }], [req, { ...keyed, now: 'yesterday' }], [req, { ...keyed, token: {} }]]) {
    await rejectsBoth(r, c, { name: 'TypeError', code: 'ERR_INVALID_INPUT' });
  }
  // A secret never appears in a message.
  const hmac = { consumerKey: 'ck', consumerSecret: 'S3CR3T-consumer', tokenSecret: 'S3CR3T-token', signatureMethod: 'HMAC-SHA1' };
  for (const bad of [{ url: 'ftp:/x' }, { url: 'https://x/?oauth_nonce=1' }]) {
    try { api.signOAuthSync(bad, hmac); assert.fail('no error'); } catch (e) {
      assert.ok(typeof e.code === 'string' && !e.message.includes('S3CR3T'), e.message);
    }
  }
  // After all that, the module still signs.
  assert.equal(api.signOAuthSync({ url: V.cases[0].request.url }, credentialsFrom(V.cases[0].by_method['RSA-SHA1'].oauth_params, { privateKey: KEY.private_pkcs8_pem })).signature,
    V.cases[0].by_method['RSA-SHA1'].signature);
});

// ------------------------------------------------------------------------------------------
// Verification (provider side)
// ------------------------------------------------------------------------------------------

test('verifyOAuth: ok, and each problem net.oauth names', () => {
  const now = 1700000000;
  const url = 'https://jira.example.com/rest/api/2/search?jql=a%20b';
  const rsa = { consumerKey: 'ck', token: 'tk', privateKey: KEY.private_pkcs8_pem, timestamp: now, nonce: 'nonce-1' };
  const signed = api.signOAuthSync({ url }, rsa);
  const opts = { publicKey: KEY.public_spki_pem, now };
  const ok = api.verifyOAuth({ url, headers: { authorization: signed.authorization } }, opts);
  assert.deepEqual({ ...ok, params: undefined }, {
    ok: true, status: 200, consumerKey: 'ck', token: 'tk', signatureMethod: 'RSA-SHA1', baseString: signed.baseString, params: undefined,
    warnings: [],
  });
  assert.deepEqual(ok.params, signed.params);
  // Every public key form verifies.
  for (const publicKey of [KEY.public_pkcs1_pem, api.exportPublicKey(KEY.public_spki_pem).jwk, KEY.private_pkcs1_pem]) {
    assert.equal(api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, publicKey }).ok, true);
  }
  // A fetch Headers object.
  assert.equal(api.verifyOAuth({ url, headers: new Headers({ Authorization: signed.authorization }) }, opts).ok, true);

  const bad = api.verifyOAuth({ url: `${url}x`, authorization: signed.authorization }, { ...opts, realm: 'https://jira.example.com' });
  assert.equal(bad.ok, false);
  assert.equal(bad.problem, 'signature_invalid');
  assert.equal(bad.status, 401);
  assert.equal(bad.signature, signed.signature);
  assert.notEqual(bad.baseString, signed.baseString);
  assert.match(bad.advice, /base string/);
  // The body and header a provider answers with read back to the same base string.
  assert.equal(api.parseOAuthProblem(bad.body).baseString, bad.baseString);
  assert.equal(api.parseOAuthProblem(`WWW-Authenticate: ${bad.wwwAuthenticate}`).baseString, bad.baseString);
  assert.equal(api.parseOAuthProblem(bad.wwwAuthenticate).params.realm, 'https://jira.example.com');

  const late = api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, now: now + 301 });
  assert.deepEqual([late.problem, late.status, late.timestamp, late.acceptableTimestamps], ['timestamp_refused', 400, now, [now + 1, now + 601]]);
  assert.equal(api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, now: new Date((now + 301) * 1000), windowSeconds: 400 }).ok, true);

  const seen = [];
  const nonceSeen = (nonce, timestamp, consumerKey) => { const k = `${nonce}|${timestamp}|${consumerKey}`; const was = seen.includes(k); seen.push(k); return was; };
  assert.equal(api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, nonceSeen }).ok, true);
  assert.deepEqual(seen, [`nonce-1|${now}|ck`]);
  const replay = api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, nonceSeen });
  assert.deepEqual([replay.problem, replay.status, replay.nonce], ['nonce_used', 401, 'nonce-1']);
  // Forged requests do not reach the nonce store.
  api.verifyOAuth({ url: `${url}x`, authorization: signed.authorization }, { ...opts, nonceSeen });
  assert.equal(seen.length, 2);
  const boom = new Error('store down');
  assert.throws(() => api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, nonceSeen: () => { throw boom; } }), (e) => e === boom);
  assert.throws(() => api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, nonceSeen: async () => false }),
    { name: 'TypeError', code: 'ERR_INVALID_INPUT', message: /synchronously/ });
  assert.throws(() => api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, nonceSeen: 'no' }), { code: 'ERR_INVALID_INPUT' });

  const hmac = api.signOAuthSync({ url }, { consumerKey: 'ck', consumerSecret: 'cs', signatureMethod: 'HMAC-SHA1', timestamp: now });
  const rejected = api.verifyOAuth({ url, authorization: hmac.authorization }, opts);
  assert.deepEqual([rejected.problem, rejected.signatureMethod, rejected.acceptableSignatureMethods], ['signature_method_rejected', 'HMAC-SHA1', ['RSA-SHA1', 'RSA-SHA256']]);
  assert.equal(api.verifyOAuth({ url, authorization: hmac.authorization }, { consumerSecret: 'cs', now }).ok, true);
  assert.equal(api.verifyOAuth({ url, authorization: hmac.authorization }, { consumerSecret: 'other', now }).problem, 'signature_invalid');
  assert.equal(api.verifyOAuth({ url, authorization: hmac.authorization }, { publicKey: KEY.public_spki_pem, signatureMethods: ['RSA-SHA1'], now }).problem, 'signature_method_rejected');

  const absent = api.verifyOAuth({ url, authorization: 'OAuth oauth_consumer_key="ck"' }, opts);
  assert.deepEqual([absent.problem, absent.parametersAbsent], ['parameter_absent', ['oauth_signature_method', 'oauth_signature', 'oauth_timestamp', 'oauth_nonce']]);
  assert.equal(api.verifyOAuth({ url }, opts).problem, 'parameter_absent');
  const version = api.verifyOAuth({ url, authorization: signed.authorization.replace('oauth_version="1.0"', 'oauth_version="2.0"') }, opts);
  assert.deepEqual([version.problem, version.version], ['version_rejected', '2.0']);
  const twice = api.verifyOAuth({ url: `${url}&oauth_nonce=x`, authorization: signed.authorization }, opts);
  assert.deepEqual([twice.problem, twice.parameter], ['parameter_rejected', 'oauth_nonce']);
  assert.equal(api.verifyOAuth({ url, authorization: 'OAuth a="' }, opts).problem, 'parameter_rejected');

  // Protocol parameters in a form body, as RFC 5849 section 3.5.2 allows.
  const inBody = new URLSearchParams({ x: '1', ...hmac.params }).toString();
  assert.equal(api.verifyOAuth({ method: 'POST', url: 'https://jira.example.com/rest/api/2/search?jql=a%20b', body: inBody, contentType: 'application/x-www-form-urlencoded' },
    { consumerSecret: 'cs', now }).problem, 'signature_invalid', 'x=1 was not signed');

  // The caller's own mistakes throw.
  assert.throws(() => api.verifyOAuth({ url, authorization: signed.authorization }, { now }), { code: 'ERR_INVALID_INPUT' });
  assert.throws(() => api.verifyOAuth({ url, authorization: hmac.authorization }, { publicKey: KEY.public_spki_pem, signatureMethods: ['HMAC-SHA1'], now }), { code: 'ERR_INVALID_KEY' });
  assert.throws(() => api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, windowSeconds: -1 }), { code: 'ERR_INVALID_INPUT' });
  assert.throws(() => api.verifyOAuth({ url, authorization: signed.authorization }, { ...opts, signatureMethods: ['MD5'] }), { code: 'ERR_UNSUPPORTED_ALGORITHM' });
  assert.throws(() => api.verifyOAuth({ url, authorization: signed.authorization }, null), { code: 'ERR_INVALID_INPUT' });
  assert.throws(() => api.verifyOAuth({ url, authorization: signed.authorization }, { publicKey: 'junk', now }), { code: 'ERR_INVALID_KEY' });
});

// ------------------------------------------------------------------------------------------
// The three-legged flow and the parsers
// ------------------------------------------------------------------------------------------

test('flow builders: request token, authorize URL, access token', () => {
  const creds = { consumerKey: 'jira-toolkit-test', privateKey: KEY.private_pkcs8_pem, nonce: 'fixedNonce0123456789', timestamp: 1700000000 };
  // T13 is the request-token step with oauth_callback=oob: the builder reproduces it.
  const t13 = V.cases.find((c) => c.id === 'T13_request_token_oob').by_method['RSA-SHA1'];
  const rt = api.oauthRequestToken('https://jira.example.com/', { ...creds, token: 'ignored', verifier: 'ignored' });
  assert.equal(rt.url, 'https://jira.example.com/plugins/servlet/oauth/request-token');
  assert.equal(rt.method, 'POST');
  assert.equal(rt.baseString, t13.signature_base_string);
  assert.equal(rt.signature, t13.signature);
  assert.equal(rt.params.oauth_callback, 'oob');
  const t14 = V.cases.find((c) => c.id === 'T14_request_token_callback_url');
  assert.equal(api.oauthRequestToken('https://jira.example.com', { ...creds, callback: t14.credentials.callback }).signature, t14.by_method['RSA-SHA1'].signature);

  assert.equal(api.oauthAuthorizeUrl('https://jira.example.com/jira/', 'a b/c+'),
    'https://jira.example.com/jira/plugins/servlet/oauth/authorize?oauth_token=a%20b%2Fc%2B');
  assert.throws(() => api.oauthAuthorizeUrl('https://jira.example.com', ''), { code: 'ERR_INVALID_INPUT' });

  const t15 = V.cases.find((c) => c.id === 'T15_access_token');
  const at = api.oauthAccessToken('https://jira.example.com', { ...creds, token: t15.credentials.token, tokenSecret: 'x', verifier: t15.credentials.verifier, callback: 'dropped' });
  assert.equal(at.url, 'https://jira.example.com/plugins/servlet/oauth/access-token');
  assert.equal(at.baseString, t15.by_method['RSA-SHA1'].signature_base_string);
  assert.equal(at.authorization, t15.by_method['RSA-SHA1'].authorization_header);
  assert.throws(() => api.oauthAccessToken('https://jira.example.com', { ...creds, verifier: 'v' }), { code: 'ERR_INVALID_INPUT', message: /request token/ });
  assert.throws(() => api.oauthAccessToken('https://jira.example.com', { ...creds, token: 't' }), { code: 'ERR_INVALID_INPUT', message: /verifier/ });
  // HMAC consumers sign the access-token step with the request token's secret.
  const h = api.oauthAccessToken('https://h.example', { consumerKey: 'c', consumerSecret: 'cs', signatureMethod: 'HMAC-SHA1', token: 't', tokenSecret: 'ts', verifier: 'v' });
  assert.equal(api.verifyOAuth({ method: 'POST', url: h.url, authorization: h.authorization }, { consumerSecret: 'cs', tokenSecret: 'ts' }).ok, true);
});

test('parsers: token responses, problem reports, OAuth headers', () => {
  assert.deepEqual(api.parseOAuthTokenResponse('oauth_token=ab%2Bc&oauth_token_secret=s%20t&oauth_callback_confirmed=true\n'),
    { token: 'ab+c', tokenSecret: 's t', callbackConfirmed: true, params: {} });
  assert.deepEqual(api.parseOAuthTokenResponse('oauth_token=AT&oauth_token_secret=&oauth_expires_in=157680000&oauth_session_handle=h1&oauth_authorization_expires_in=160720000&x=1'),
    { token: 'AT', tokenSecret: '', expiresIn: 157680000, sessionHandle: 'h1', authorizationExpiresIn: 160720000, params: { x: '1' } });
  assert.throws(() => api.parseOAuthTokenResponse('oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1-2'), { code: 'ERR_OAUTH_RESPONSE', message: /timestamp_refused/ });
  assert.throws(() => api.parseOAuthTokenResponse('<html>'), { code: 'ERR_OAUTH_RESPONSE' });
  assert.throws(() => api.parseOAuthTokenResponse(42), { code: 'ERR_INVALID_INPUT' });

  const p = api.parseOAuthProblem('oauth_problem=timestamp_refused&oauth_acceptable_timestamps=100-700');
  assert.deepEqual({ ...p, advice: typeof p.advice }, {
    problem: 'timestamp_refused', advice: 'string', params: { oauth_problem: 'timestamp_refused', oauth_acceptable_timestamps: '100-700' }, acceptableTimestamps: [100, 700],
  });
  const echoed = 'GET&https%3A%2F%2Fh%2Fx&a%3D1%2520b';
  const fromHeader = api.parseOAuthProblem(`OAuth realm="r", oauth_problem="signature_invalid", oauth_signature_base_string="${enc(echoed)}"`);
  assert.equal(fromHeader.baseString, echoed);
  assert.equal(fromHeader.params.realm, 'r');
  assert.throws(() => api.parseOAuthProblem('Unauthorized'), { code: 'ERR_OAUTH_RESPONSE' });

  assert.deepEqual(api.parseOAuthHeader('OAuth realm="Example", oauth_consumer_key="0685bd9184jfhq22", oauth_signature="wOJIO9A2W5mFwDgiDvZbTSMK%2FPY%3D"'),
    { realm: 'Example', oauth_consumer_key: '0685bd9184jfhq22', oauth_signature: 'wOJIO9A2W5mFwDgiDvZbTSMK/PY=' });
  assert.throws(() => api.parseOAuthHeader('OAuth a="1", a="2"'), { code: 'ERR_OAUTH_INVALID_REQUEST', message: /twice/ });
  assert.throws(() => api.parseOAuthHeader('Bearer x'), { code: 'ERR_OAUTH_INVALID_REQUEST' });
  // oauthBaseString takes the parameters as an object, pairs, or a header.
  const req = { method: 'POST', url: 'https://h.example/a?b=1', body: 'c=2' };
  const fromPairs = api.oauthBaseString(req, [['oauth_consumer_key', 'k'], ['oauth_signature', 'dropped']]);
  assert.equal(fromPairs, 'POST&https%3A%2F%2Fh.example%2Fa&b%3D1%26c%3D2%26oauth_consumer_key%3Dk');
  assert.equal(api.oauthBaseString(req, { oauth_consumer_key: 'k' }), fromPairs);
  assert.equal(api.oauthBaseString(req, 'OAuth realm="x", oauth_consumer_key="k"'), fromPairs);
  assert.throws(() => api.oauthBaseString(req, [['a']]), { code: 'ERR_INVALID_INPUT' });
  assert.throws(() => api.oauthBaseString(req, { a: 1 }), { code: 'ERR_INVALID_INPUT' });
});
