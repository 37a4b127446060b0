// Differential test of the package's RSA against node:crypto (OpenSSL), on 1,000 fresh keys:
//   - 1024 bits: OAuth 1.0a RSA-SHA1 (signOAuthSync; verifyOAuth with publicKey);
//   - 2048, 3072, 4096 bits: JWT RS256/384/512 (PKCS#1 v1.5) and PS256/384/512 (PSS, salt
//     length = hash length, MGF1 with the same hash), through encodeJwt/verifyJwt and
//     jwsSign/jwsVerify.
// Every key is used both ways (the package signs and OpenSSL verifies; OpenSSL signs and the
// package verifies), and a signature with one flipped bit must be refused by both, as must a
// PSS signature whose salt is not the hash length. PKCS#1 v1.5 is deterministic, so for RS*
// and RSA-SHA1 the two signatures must also be byte-identical.
// Key forms vary: PKCS#8, PKCS#1 (BEGIN RSA PRIVATE KEY) and JWK for private keys; SPKI,
// PKCS#1 (BEGIN RSA PUBLIC KEY) and JWK for public keys.
//
// The keys come from crypto.generateKeyPair (OpenSSL, on the libuv threadpool, overlapping
// with the checks on the main thread), so they differ on every run; everything else (which
// size, algorithm and key form each key gets, the claims, signing inputs and requests) comes
// from a seeded PRNG. The seed is printed; RSA_DIFF_SEED=<n> replays a run. A failure prints
// the case number, key size, algorithm, key form and direction, and the key (PKCS#8 PEM), so
// it can be replayed with that key.
//
// Key generation is nearly all the cost (OpenSSL CPU time per key on this 2-core machine: about
// 7 ms at 1024 bits, 130 ms at 2048, 440 ms at 3072, 960 ms at 4096), so the default mix is
// 450 x 1024, 300 x 2048, 200 x 3072 and 50 x 4096: 1,000 keys in about 200 s of CPU. The
// mix 400/300/200/100 took 236 s of CPU and 182 s of wall time with other work on the machine.
// RSA_DIFF_MIX=1024:400,2048:300,3072:200,4096:100 runs another mix (any sizes of these four).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, generateKeyPair, randomInt, sign, verify } from 'node:crypto';
import * as api from '../../pkg/index.mjs';
import { mulberry32 } from './helpers.mjs';

const SEED = process.env.RSA_DIFF_SEED !== undefined && process.env.RSA_DIFF_SEED !== ''
  ? Number(process.env.RSA_DIFF_SEED) >>> 0
  : randomInt(0, 2 ** 31);
/** Keys per size: 1,000 in all unless RSA_DIFF_MIX says otherwise. */
const MIX = (process.env.RSA_DIFF_MIX || '1024:450,2048:300,3072:200,4096:50').split(',').map((part) => {
  const [bits, n] = part.split(':').map(Number);
  if (![1024, 2048, 3072, 4096].includes(bits) || !(n >= 0)) throw new Error(`RSA_DIFF_MIX: ${part}? (bits:count,...)`);
  return [bits, Math.floor(n)];
});
const JWT_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
const HASH = { 256: 'sha256', 384: 'sha384', 512: 'sha512' };
const HASH_LEN = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };
const SIGN_FORMS = ['pkcs8', 'pkcs1', 'jwk'];
const VERIFY_FORMS = ['spki', 'pkcs1-public', 'jwk-public'];

// ---------------------------------------------------------------------------------------------
// Seeded generators. Each key has its own PRNG (from the seed and its case number), so what a
// case signs does not depend on the order in which the threadpool hands the keys back.

function caseRng(index) {
  const rand = mulberry32((SEED ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
  const int = (n) => Math.floor(rand() * n);
  return { rand, int, pick: (a) => a[int(a.length)], chance: (p) => rand() < p };
}

/** A random code point: ASCII (controls and NUL included), Latin-1, the BMP without surrogates, or astral. */
function codePoint(r, asciiOnly) {
  const k = r.rand();
  if (asciiOnly || k < 0.55) return r.chance(0.05) ? r.int(0x20) : 0x20 + r.int(0x5f);
  if (k < 0.7) return 0x80 + r.int(0x80);
  if (k < 0.9) {
    const c = 0x100 + r.int(0xfffe - 0x100);
    return c >= 0xd800 && c <= 0xdfff ? c - 0x800 : c;
  }
  return 0x10000 + r.int(0x10ffff - 0x10000 + 1);
}

/** A random string of 0..max code points: all ASCII, or mixed UTF-8 (no lone surrogates). */
function randomString(r, max, asciiOnly = r.chance(0.4)) {
  const n = r.int(max + 1);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCodePoint(codePoint(r, asciiOnly));
  return s;
}

/** Claims: names that are no registered claim (verifyJwt checks exp, nbf and iat), values of every JSON type. */
function randomValue(r, depth) {
  const k = r.int(depth > 1 ? 5 : 7);
  switch (k) {
    case 0: return randomString(r, 80);
    case 1: return r.int(2 ** 31) * (r.chance(0.5) ? -1 : 1) * (r.chance(0.3) ? 2 ** 21 : 1);
    case 2: return r.chance(0.5);
    case 3: return null;
    case 4: return randomString(r, 8, true);
    case 5: return Array.from({ length: r.int(5) }, () => randomValue(r, depth + 1));
    default: return randomClaims(r, depth + 1, 5);
  }
}
function randomClaims(r, depth = 0, max = 10) {
  const out = {};
  for (let n = r.int(max + 1); n > 0; n--) out[`c${randomString(r, 12)}`] = randomValue(r, depth);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Independent encoders for the node:crypto side.

const b64url = (s) => Buffer.from(s, 'utf8').toString('base64url');
/** RFC 3986 percent-encoding of UTF-8 (RFC 5849 section 3.6). */
const pct = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** PKCS#1 v1.5 or PSS (salt length = hash length) with node:crypto. */
function nodeSign(hash, pss, data, keyObject) {
  return sign(hash, Buffer.from(data, 'utf8'), pss
    ? { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LEN[hash] }
    : { key: keyObject, padding: constants.RSA_PKCS1_PADDING });
}
function nodeVerify(hash, pss, data, keyObject, signature) {
  return verify(hash, Buffer.from(data, 'utf8'), pss
    ? { key: keyObject, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: HASH_LEN[hash] }
    : { key: keyObject, padding: constants.RSA_PKCS1_PADDING }, signature);
}

/** The same signature with one bit flipped (`at` in [0, 1) picks which). */
function flipBit(at, signature) {
  const out = Buffer.from(signature);
  const bit = Math.floor(at * out.length * 8);
  out[bit >> 3] ^= 1 << (bit & 7);
  return out;
}

/** The key in one of the forms the package reads. */
function keyForm(pair, form) {
  switch (form) {
    case 'pkcs8': return pair.privateKey.export({ type: 'pkcs8', format: 'pem' });
    case 'pkcs1': return pair.privateKey.export({ type: 'pkcs1', format: 'pem' });
    case 'jwk': return pair.privateKey.export({ format: 'jwk' });
    case 'spki': return pair.publicKey.export({ type: 'spki', format: 'pem' });
    case 'pkcs1-public': return pair.publicKey.export({ type: 'pkcs1', format: 'pem' });
    case 'jwk-public': return pair.publicKey.export({ format: 'jwk' });
    default: throw new Error(form);
  }
}

// ---------------------------------------------------------------------------------------------
// OAuth 1.0a requests, with the signature base string built here (RFC 5849 section 3.4.1).

const HOST_WORDS = ['jira', 'confluence', 'bitbucket', 'dc', 'app', 'example', 'acme', 'test'];
const UNRESERVED = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~';

function randomRequest(r) {
  const scheme = r.pick(['http', 'https']);
  const host = `${r.pick(HOST_WORDS)}${r.int(100)}.${r.pick(HOST_WORDS)}.com`;
  const number = r.pick([8080, 8443, 2990, 1 + r.int(65535)]);
  const port = r.chance(0.7) || number === (scheme === 'http' ? 80 : 443) ? '' : `:${number}`;
  // Segments of unreserved characters, or UTF-8 text percent-encoded in upper case: the same
  // text on the wire and in the base string.
  const segment = () => (r.chance(0.8)
    ? Array.from({ length: r.int(12) }, () => r.pick(UNRESERVED)).join('')
    : pct(randomString(r, 6)));
  const path = `/${Array.from({ length: r.int(5) }, segment).join('/')}`;
  const pairs = () => Array.from({ length: r.int(6) }, () => {
    let name;
    do name = randomString(r, 10); while (name === '' || name.startsWith('oauth_'));
    return [name, r.chance(0.1) ? '' : randomString(r, 40)];
  });
  const query = pairs();
  const method = r.pick(['GET', 'POST', 'PUT', 'DELETE']);
  const form = method !== 'GET' && r.chance(0.5) ? pairs() : null;
  const encodePairs = (ps) => ps.map(([n, v]) => `${pct(n)}=${pct(v)}`).join('&');
  const baseUri = `${scheme}://${host}${port}${path}`;
  return {
    request: {
      method,
      url: query.length ? `${baseUri}?${encodePairs(query)}` : baseUri,
      ...(form && { body: encodePairs(form), contentType: 'application/x-www-form-urlencoded' }),
    },
    baseUri,
    params: [...query, ...(form ?? [])],
  };
}

/** METHOD & base URI & normalized parameters, each percent-encoded (RFC 5849 3.4.1). */
function baseString(method, baseUri, pairs) {
  const norm = pairs
    .map(([n, v]) => [pct(n), pct(v)])
    .sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0))
    .map(([n, v]) => `${n}=${v}`)
    .join('&');
  return `${method}&${pct(baseUri)}&${pct(norm)}`;
}

// ---------------------------------------------------------------------------------------------
// One key: the checks, each recorded as a count (by size, algorithm and direction) or a failure.

const counts = new Map();
const forms = new Map();
const failures = [];
const count = (bits, alg, direction, form) => {
  const k = `${bits} ${alg} ${direction}`;
  counts.set(k, (counts.get(k) ?? 0) + 1);
  forms.set(form, (forms.get(form) ?? 0) + 1);
};

function check(ctx, direction, form, fn) {
  ctx.detail = {};
  try {
    const problem = fn();
    if (problem) throw new Error(problem);
    count(ctx.bits, ctx.alg, direction, form);
  } catch (error) {
    failures.push({
      case: ctx.index,
      bits: ctx.bits,
      alg: ctx.alg,
      direction,
      form,
      error: `${error.code ? `${error.code}: ` : ''}${error.message}`,
      ...ctx.detail,
      key: ctx.pair.privateKey.export({ type: 'pkcs8', format: 'pem' }),
    });
  }
}

function checkOAuth(ctx, r) {
  const { pair } = ctx;
  const hash = 'sha1';
  const privForm = r.pick(SIGN_FORMS);
  const pubForm = r.pick(VERIFY_FORMS);
  const consumerKey = randomString(r, 30, true) || 'ck';
  const timestamp = 1_600_000_000 + r.int(200_000_000);
  const flips = [r.rand(), r.rand()]; // drawn first, so a failed check leaves later draws alone

  // The package signs; OpenSSL verifies the signature over the base string it reports.
  const mine = randomRequest(r);
  const creds = {
    consumerKey,
    privateKey: keyForm(pair, privForm),
    nonce: Array.from({ length: 32 }, () => r.int(16).toString(16)).join(''),
    timestamp,
    ...(r.chance(0.5) && { token: randomString(r, 20, true) }),
    includeVersion: r.chance(0.8),
  };
  let signed;
  check(ctx, 'package signs, node:crypto verifies', privForm, () => {
    signed = api.signOAuthSync(mine.request, creds);
    ctx.detail = { baseString: signed.baseString, signature: signed.signature };
    const sig = Buffer.from(signed.signature, 'base64');
    if (!nodeVerify(hash, false, signed.baseString, pair.publicKey, sig)) return 'node:crypto refuses the signature';
    const theirs = nodeSign(hash, false, signed.baseString, pair.privateKey);
    if (!theirs.equals(sig)) return `PKCS#1 v1.5 is deterministic, but node:crypto signs ${theirs.toString('base64')}`;
    // The base string the package reports is the one built here from the same parameters.
    const oauth = Object.entries(signed.params).filter(([n]) => n !== 'oauth_signature');
    const want = baseString(mine.request.method, mine.baseUri, [...mine.params, ...oauth]);
    if (signed.baseString !== want) return `base string differs from the one built here: ${want}`;
    return null;
  });
  if (signed) {
    check(ctx, 'flipped bit refused (package signature)', pubForm, () => {
      const bad = flipBit(flips[0], Buffer.from(signed.signature, 'base64'));
      if (nodeVerify(hash, false, signed.baseString, pair.publicKey, bad)) return 'node:crypto accepts a flipped bit';
      const auth = signed.authorization.replace(/oauth_signature="[^"]*"/, `oauth_signature="${pct(bad.toString('base64'))}"`);
      const res = api.verifyOAuth({ ...mine.request, authorization: auth }, { publicKey: keyForm(pair, pubForm), now: timestamp });
      if (res.ok || res.problem !== 'signature_invalid') return `verifyOAuth answered ${JSON.stringify(res.ok ? 'ok' : res.problem)}`;
      // And the unflipped one is accepted.
      const good = api.verifyOAuth({ ...mine.request, authorization: signed.authorization }, { publicKey: keyForm(pair, pubForm), now: timestamp });
      if (!good.ok) return `verifyOAuth refuses the package's own signature: ${good.problem}`;
      return null;
    });
  }

  // OpenSSL signs a base string built here; verifyOAuth with the public key accepts it.
  const theirs = randomRequest(r);
  const oauth = [
    ['oauth_consumer_key', consumerKey],
    ['oauth_nonce', randomString(r, 20, true) || 'n'],
    ['oauth_signature_method', 'RSA-SHA1'],
    ['oauth_timestamp', String(timestamp)],
    ...(r.chance(0.5) ? [['oauth_token', randomString(r, 20, true)]] : []),
    ...(r.chance(0.8) ? [['oauth_version', '1.0']] : []),
  ];
  const base = baseString(theirs.request.method, theirs.baseUri, [...theirs.params, ...oauth]);
  const sig = nodeSign(hash, false, base, pair.privateKey);
  const header = (s) => `OAuth ${[...oauth, ['oauth_signature', s.toString('base64')]].map(([n, v]) => `${n}="${pct(v)}"`).join(', ')}`;
  const publicKey = keyForm(pair, pubForm);
  check(ctx, 'node:crypto signs, package verifies', pubForm, () => {
    ctx.detail = { baseString: base, signature: sig.toString('base64') };
    const res = api.verifyOAuth({ ...theirs.request, authorization: header(sig) }, { publicKey, now: timestamp });
    if (!res.ok) return `verifyOAuth: ${res.problem}${res.baseString !== undefined && res.baseString !== base ? ` (its base string: ${res.baseString})` : ''}`;
    if (res.baseString !== base) return `verifyOAuth accepted but reports the base string ${res.baseString}`;
    return null;
  });
  check(ctx, 'flipped bit refused (node:crypto signature)', pubForm, () => {
    const bad = flipBit(flips[1], sig);
    if (nodeVerify(hash, false, base, pair.publicKey, bad)) return 'node:crypto accepts a flipped bit';
    const res = api.verifyOAuth({ ...theirs.request, authorization: header(bad) }, { publicKey, now: timestamp });
    if (res.ok || res.problem !== 'signature_invalid') return `verifyOAuth answered ${JSON.stringify(res.ok ? 'ok' : res.problem)}`;
    return null;
  });
}

function checkJwt(ctx, r) {
  const { pair, alg } = ctx;
  const hash = HASH[alg.slice(2)];
  const pss = alg.startsWith('PS');
  const [privForm1, privForm2] = [r.pick(SIGN_FORMS), r.pick(SIGN_FORMS)];
  const [pubForm1, pubForm2] = [r.pick(VERIFY_FORMS), r.pick(VERIFY_FORMS)];
  const flips = [r.rand(), r.rand()]; // drawn first, so a failed check leaves later draws alone

  // encodeJwt -> node:crypto verifies header.payload.
  const claims = randomClaims(r);
  let token;
  check(ctx, 'package signs (encodeJwt), node:crypto verifies', privForm1, () => {
    token = api.encodeJwt(claims, keyForm(pair, privForm1), { algorithm: alg });
    ctx.detail = { token };
    const [h, p, s] = token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    if (header.alg !== alg) return `header alg is ${header.alg}`;
    assert.deepEqual(JSON.parse(Buffer.from(p, 'base64url').toString('utf8')), claims, 'payload');
    const sig = Buffer.from(s, 'base64url');
    if (!nodeVerify(hash, pss, `${h}.${p}`, pair.publicKey, sig)) return 'node:crypto refuses the signature';
    if (!pss && !nodeSign(hash, false, `${h}.${p}`, pair.privateKey).equals(sig)) return 'PKCS#1 v1.5 is deterministic, but node:crypto signs other bytes';
    return null;
  });
  if (token) {
    check(ctx, 'flipped bit refused (encodeJwt signature)', pubForm1, () => {
      const [h, p, s] = token.split('.');
      const bad = flipBit(flips[0], Buffer.from(s, 'base64url'));
      if (nodeVerify(hash, pss, `${h}.${p}`, pair.publicKey, bad)) return 'node:crypto accepts a flipped bit';
      try {
        api.verifyJwt(`${h}.${p}.${bad.toString('base64url')}`, keyForm(pair, pubForm1), { algorithms: [alg] });
        return 'verifyJwt accepts a flipped bit';
      } catch (error) {
        if (error.code !== 'ERR_JWT_SIGNATURE_INVALID') throw error;
      }
      return null;
    });
  }

  // jwsSign on a random signing input -> node:crypto verifies.
  const input1 = randomString(r, 2000);
  check(ctx, 'package signs (jwsSign), node:crypto verifies', privForm2, () => {
    ctx.detail = { signingInput: input1 };
    const sig = Buffer.from(api.jwsSign(input1, keyForm(pair, privForm2), alg), 'base64url');
    ctx.detail.signature = sig.toString('base64url');
    if (!nodeVerify(hash, pss, input1, pair.publicKey, sig)) return 'node:crypto refuses the signature';
    if (!pss && !nodeSign(hash, false, input1, pair.privateKey).equals(sig)) return 'PKCS#1 v1.5 is deterministic, but node:crypto signs other bytes';
    return null;
  });

  // node:crypto signs a token built here -> verifyJwt.
  const claims2 = randomClaims(r);
  const header2 = r.chance(0.5) ? { alg, typ: 'JWT' } : { typ: 'JWT', kid: randomString(r, 10, true), alg };
  const signingInput2 = `${b64url(JSON.stringify(header2))}.${b64url(JSON.stringify(claims2))}`;
  const token2 = `${signingInput2}.${nodeSign(hash, pss, signingInput2, pair.privateKey).toString('base64url')}`;
  check(ctx, 'node:crypto signs, package verifies (verifyJwt)', pubForm1, () => {
    ctx.detail = { token: token2 };
    assert.deepEqual(api.verifyJwt(token2, keyForm(pair, pubForm1), { algorithms: [alg] }), claims2, 'payload');
    return null;
  });

  // node:crypto signs a random signing input -> jwsVerify (signature as base64url or bytes).
  const input2 = randomString(r, 2000);
  const sig2 = nodeSign(hash, pss, input2, pair.privateKey);
  const asBytes = r.chance(0.5);
  check(ctx, 'node:crypto signs, package verifies (jwsVerify)', pubForm2, () => {
    ctx.detail = { signingInput: input2, signature: sig2.toString('base64url') };
    const ok = api.jwsVerify(input2, asBytes ? new Uint8Array(sig2) : sig2.toString('base64url'), keyForm(pair, pubForm2), alg);
    return ok === true ? null : `jwsVerify returned ${ok}`;
  });
  check(ctx, 'flipped bit refused (node:crypto signature)', pubForm2, () => {
    const bad = flipBit(flips[1], sig2);
    ctx.detail = { signingInput: input2, signature: bad.toString('base64url') };
    if (nodeVerify(hash, pss, input2, pair.publicKey, bad)) return 'node:crypto accepts a flipped bit';
    const ok = api.jwsVerify(input2, asBytes ? new Uint8Array(bad) : bad.toString('base64url'), keyForm(pair, pubForm2), alg);
    return ok === false ? null : `jwsVerify returned ${ok}`;
  });

  // PSS with a salt length other than the hash length (RFC 7518 3.5 fixes it): refused by both.
  if (pss) {
    const saltLength = r.pick([0, 20, 32, 48, 64, constants.RSA_PSS_SALTLEN_MAX_SIGN].filter((n) => n !== HASH_LEN[hash]));
    const other = sign(hash, Buffer.from(input2, 'utf8'), { key: pair.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength });
    check(ctx, 'other salt length refused', pubForm2, () => {
      ctx.detail = { signingInput: input2, signature: other.toString('base64url'), saltLength };
      if (nodeVerify(hash, true, input2, pair.publicKey, other)) return 'node:crypto accepts it';
      const ok = api.jwsVerify(input2, other.toString('base64url'), keyForm(pair, pubForm2), alg);
      return ok === false ? null : `jwsVerify returned ${ok}`;
    });
  }
}

// ---------------------------------------------------------------------------------------------

test(`${MIX.reduce((a, [, n]) => a + n, 0)} random RSA keys against node:crypto, both ways`, { timeout: 600_000 }, async (t) => {
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  t.diagnostic(`seed ${SEED} (RSA_DIFF_SEED=${SEED} replays the sizes, algorithms, key forms and messages)`);

  // The plan: sizes shuffled (so the slow 4096-bit keys do not all come last), and within a
  // size the six JWT algorithms in turn from a seeded offset, so each gets its share.
  const top = mulberry32(SEED);
  const sizes = MIX.flatMap(([bits, n]) => Array(n).fill(bits));
  for (let i = sizes.length - 1; i > 0; i--) {
    const j = Math.floor(top() * (i + 1));
    [sizes[i], sizes[j]] = [sizes[j], sizes[i]];
  }
  const turn = { 2048: Math.floor(top() * 6), 3072: Math.floor(top() * 6), 4096: Math.floor(top() * 6) };
  const plan = sizes.map((bits, index) => ({ index, bits, alg: bits === 1024 ? 'RSA-SHA1' : JWT_ALGS[turn[bits]++ % 6] }));

  // Every key is asked for at once: the threadpool makes them in order while this thread checks.
  const keys = plan.map(({ bits }) => new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001 }, (err, publicKey, privateKey) => (err ? reject(err) : resolve({ publicKey, privateKey })));
  }));
  let keygenDone = started;
  for (const k of keys) k.then(() => { keygenDone = Math.max(keygenDone, performance.now()); }, () => {});

  let checkMs = 0;
  for (const item of plan) {
    const pair = await keys[item.index];
    const t0 = performance.now();
    const ctx = { ...item, pair, detail: {} };
    const r = caseRng(item.index);
    if (item.bits === 1024) checkOAuth(ctx, r);
    else checkJwt(ctx, r);
    checkMs += performance.now() - t0;
  }

  const wall = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  // One line per size and algorithm: how many checks passed in each direction.
  const rows = new Map();
  for (const [k, n] of counts) {
    const [bits, alg, ...rest] = k.split(' ');
    const row = `${bits} ${alg}`;
    rows.set(row, [...(rows.get(row) ?? []), `${rest.join(' ')} ${n}`]);
  }
  for (const [row, cells] of [...rows].sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))) {
    t.diagnostic(`${row}: ${cells.sort().join('; ')}`);
  }
  t.diagnostic(`checks by key form: ${[...forms].map(([f, n]) => `${f} ${n}`).join(', ')}`);
  t.diagnostic(`keys: ${MIX.map(([b, n]) => `${n} x ${b}`).join(', ')}; ${wall.toFixed(1)} s wall `
    + `(all keys generated after ${((keygenDone - started) / 1000).toFixed(1)} s; checks ${(checkMs / 1000).toFixed(1)} s on the main thread), `
    + `${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU`);

  for (const f of failures.slice(0, 20)) {
    console.error(`\nRSA differential failure, seed ${SEED}: case ${f.case}, ${f.bits} bits, ${f.alg}, ${f.direction}, key form ${f.form}\n${JSON.stringify(f, null, 2)}`);
  }
  const summary = failures.map((f) => `case ${f.case} ${f.bits} ${f.alg} [${f.direction}] form ${f.form}: ${f.error}`);
  assert.deepEqual(summary, [], `${failures.length} disagreements with node:crypto (seed ${SEED})`);

  // Every check ran: 4 per OAuth key, 6 per RS* key, 7 per PS* key.
  const want = plan.reduce((a, { alg }) => a + (alg === 'RSA-SHA1' ? 4 : alg.startsWith('PS') ? 7 : 6), 0);
  assert.equal([...counts.values()].reduce((a, n) => a + n, 0), want);
});
