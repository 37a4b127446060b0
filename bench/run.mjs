#!/usr/bin/env node
// Benchmarks of the atlassian-sign package (pkg/) against the libraries apps use today.
//
//   node bench/run.mjs                 full run (about 1 minute)
//   node bench/run.mjs --quick         smoke run (a few seconds)
//   node bench/run.mjs --rounds 9 --window-ms 300
//   node bench/run.mjs --pkg /tmp/pkg-before      a saved earlier build (results-pkg-before.json)
//   node bench/run.mjs --pkg DIR --out FILE       results written to FILE
//
// Method: everything runs in ONE process. After a warm-up round, every round runs every case
// for a fixed time window, in an order rotated by one each round (so no case always runs
// first or right after a GC-heavy neighbour); a case's result is the median ops/s over the
// rounds. Sync calls are timed in batches of about 1 ms; async calls (jose) are awaited one
// after another in the loop. Also measured: gzipped .wasm sizes and the Node instantiation
// time of the package (median over fresh child processes), and qsh time by query size.
//
// Adding a comparison: add an entry to COMPARISONS (or a factory that returns one). Each
// entry lists cases; a case is { lib, label, make } where make() does the setup once and
// returns the function to time (async: true if it returns a promise). `requires` names
// packages the entry needs; the entry is skipped, with a note, when one is missing.
// Results are printed and written to bench/results.json (or a name that follows --pkg, or --out).

import { chromiumLoadTimes } from './browser-load.mjs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const DEFAULT_PKG = path.join(ROOT, 'pkg');
const OPTS = parseArgs(process.argv.slice(2));
// The build under test: pkg/ or a saved copy of an earlier one (--pkg).
const PKG = OPTS.pkg;
const PKG_ENTRY = path.join(PKG, 'index.cjs');
// The main module (Node and browsers load the same file) and any other .wasm the package ships.
const MAIN_WASM = path.join(PKG, 'web', 'atlassian_sign_bg.wasm');
const wasmFiles = () => fs.readdirSync(path.join(PKG, 'web')).filter((f) => f.endsWith('.wasm')).map((f) => path.join(PKG, 'web', f));
const RESULTS_FILE = OPTS.out;
const require = createRequire(path.join(ROOT, 'package.json'));

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const o = { quick: false, rounds: null, windowMs: null, children: null, pkg: null, out: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const text = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (!v) fail(`${a.split('=')[0]} needs a value`);
      return v;
    };
    const value = () => {
      const v = text();
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) fail(`${a.split('=')[0]} needs a positive number`);
      return n;
    };
    if (a === '--quick') o.quick = true;
    else if (a.startsWith('--rounds')) o.rounds = Math.floor(value());
    else if (a.startsWith('--window-ms')) o.windowMs = value();
    else if (a.startsWith('--children')) o.children = Math.floor(value());
    else if (a === '--pkg' || a.startsWith('--pkg=')) o.pkg = path.resolve(text());
    else if (a === '--out' || a.startsWith('--out=')) o.out = path.resolve(text());
    else if (a === '-h' || a === '--help') {
      console.log('usage: node bench/run.mjs [--quick] [--rounds N] [--window-ms N] [--children N] [--pkg DIR] [--out FILE]\n' +
        '  --pkg DIR   benchmark the package built in DIR (default: pkg/), e.g. a saved copy of an earlier build\n' +
        '  --out FILE  write the results there (default: bench/results.json, or bench/results-<basename of DIR>.json with --pkg)');
      process.exit(0);
    } else fail(`unknown option ${a} (try --help)`);
  }
  o.pkg ??= DEFAULT_PKG;
  if (!fs.existsSync(path.join(o.pkg, 'index.cjs')) && o.pkg !== DEFAULT_PKG) fail(`--pkg ${o.pkg}: no index.cjs there (not a built package)`);
  // Results of another build do not overwrite those of pkg/.
  o.out ??= o.pkg === DEFAULT_PKG ? path.join(HERE, 'results.json')
    : path.join(HERE, `results-${path.basename(o.pkg).replace(/[^A-Za-z0-9._-]/g, '_')}.json`);
  o.rounds ??= o.quick ? 3 : 21;
  o.windowMs ??= o.quick ? 40 : 100;
  o.children ??= o.quick ? 3 : 9;
  o.warmupMs = Math.max(o.windowMs, o.quick ? 50 : 300);
  return o;
}

function fail(msg) {
  console.error(`bench: ${msg}`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Loading (pkg/ is rebuilt from time to time and is briefly missing: retry)

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withRetry(what, fn, { tries = 45, delayMs = 2000 } = {}) {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries) throw new Error(`${what}: ${e.message}`);
      if (i === 1) console.error(`bench: ${what} failed (${e.code || e.message}); pkg/ may be rebuilding, retrying...`);
      await sleep(delayMs);
    }
  }
}

function loadOurs() {
  for (const k of Object.keys(require.cache)) if (k.startsWith(PKG + path.sep)) delete require.cache[k];
  const wasmBytes = fs.readFileSync(MAIN_WASM);
  const mod = require(PKG_ENTRY);
  if (typeof mod.createQsh !== 'function') throw new Error(`${PKG_ENTRY} has no createQsh`);
  return { mod, wasmSha: sha256(wasmBytes) };
}

// Linux: the share of CPU time the hypervisor gave to others (steal); null elsewhere.
function cpuTimes() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    return { total: f.reduce((x, y) => x + y, 0), steal: f[7] ?? 0 };
  } catch {
    return null;
  }
}

// A path inside the project relative to it, any other (a saved build in /tmp) as is.
const shownPath = (p) => (p.startsWith(ROOT + path.sep) ? path.relative(ROOT, p) : p);

const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest('hex').slice(0, 16);

function tryRequire(name) {
  try {
    return require(name);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Inputs

const SECRET = 'b0c1b9d8-3f5e-4a8e-9f77-6a1f0b7c2d4e-shared-secret-from-installed-callback';
const SECRET_BYTES = new TextEncoder().encode(SECRET);
const APP_KEY = 'com.example.my-connect-app';
const JIRA = 'https://your-domain.atlassian.net';
const WIKI = 'https://your-domain.atlassian.net/wiki';

// Realistic calls an app makes; each qsh case cycles through all of them.
const REQUESTS = [
  { product: 'jira', method: 'GET', baseUrl: JIRA,
    url: `${JIRA}/rest/api/3/search?jql=project = "PROJ" AND status in ("In Progress", "To Do") ORDER BY created DESC&startAt=0&maxResults=50&fields=summary,status,assignee` },
  { product: 'jira', method: 'GET', baseUrl: JIRA,
    url: `${JIRA}/rest/api/3/issue/PROJ-1234?expand=renderedFields,names,changelog&fields=summary&fields=description&fields=comment` },
  { product: 'jira', method: 'POST', baseUrl: JIRA, url: `${JIRA}/rest/api/3/issue` },
  { product: 'confluence', method: 'GET', baseUrl: WIKI,
    url: `${WIKI}/rest/api/content/98765432?expand=body.storage,version,space,ancestors&status=current` },
  { product: 'confluence', method: 'GET', baseUrl: WIKI,
    url: `${WIKI}/rest/api/content/search?cql=space%20%3D%20%22DEV%22%20and%20type%20%3D%20page&limit=25&expand=space&expand=version` },
  { product: 'jira', method: 'GET', baseUrl: JIRA,
    url: `${JIRA}/rest/api/2/user/search?query=jane%40example.com&accountId=5b10ac8d82e05b22cc7d4ef5&startAt=0&maxResults=10` },
];

// A query of about `bytes` bytes: params of up to about 200 B, alternately percent-encoded
// JQL and plain field lists. At most ~500 params even at 100 KB, because atlassian-jwt
// (url.parse -> querystring, maxKeys 1000) silently drops every param past the 1000th.
function queryOfSize(bytes) {
  const pieces = ['status%20%3D%20%22Done%22%20AND%20', 'summary,status,assignee,'];
  const parts = [];
  let len = -1;
  for (let i = 0; len < bytes; i++) {
    const name = `p${i}=`;
    const want = Math.min(200, bytes - len - 1) - name.length;
    let v = '';
    while (v.length < want) v += pieces[i % 2];
    v = v.slice(0, Math.max(1, want)).replace(/%[0-9A-F]?$/, '');
    parts.push(name + v);
    len += name.length + v.length + 1;
  }
  return parts.join('&');
}

const now = () => Math.floor(Date.now() / 1000);
const connectClaims = (qsh) => ({ iss: APP_KEY, iat: now(), exp: now() + 180, qsh });
const FIXED_CLAIMS = {
  iss: APP_KEY,
  iat: 1767225600,
  exp: 1767225600 + 180,
  qsh: '57af8ebbb331accdbe5d423a9f933a6dbbb30a0f0fd827f98fce53a7d645b928',
  sub: '5b10ac8d82e05b22cc7d4ef5',
};
const b64url = (s) => Buffer.from(s).toString('base64url');

// A round-robin over a list, for cases that cycle through inputs.
function cycle(list) {
  let i = 0;
  return () => list[i++ % list.length];
}

// ---------------------------------------------------------------------------------------------
// The table of comparisons. `ours` names the case whose speed is compared with each peer;
// `target` is shown next to the ratio against that peer (not asserted).

function buildComparisons(L) {
  const { ours: a, aj, jose, oauthSign, forge, jsrsasign } = L;
  // OAuth: a Jira REST call signed with a 2048-bit key, fixed nonce and timestamp, so every
  // signer signs the same base string.
  const { privateKey: RSA_PEM, publicKey: RSA_PUB } = crypto.generateKeyPairSync('rsa', {
    modulusLength: 2048, privateKeyEncoding: { type: 'pkcs8', format: 'pem' }, publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  const OAUTH_REQ = { method: 'GET', url: `${JIRA}/rest/api/2/search?jql=project%20%3D%20TEST&maxResults=50` };
  const oauthCred = (m) => ({ consumerKey: 'jira-client', privateKey: RSA_PEM, consumerSecret: 'cs', token: 'tok', tokenSecret: 'ts',
    signatureMethod: m, nonce: 'n0nce', timestamp: 1700000000 });
  const oauthBase = () => a.signOAuthSync(OAUTH_REQ, oauthCred('RSA-SHA1')).baseString;
  // Base64 signatures of a base string by the pure-JS peers (the same bytes as node:crypto's).
  const forgeSign = (base) => {
    const md = forge.md.sha1.create();
    md.update(base, 'utf8');
    return Buffer.from(forge.pki.privateKeyFromPem(RSA_PEM).sign(md), 'binary').toString('base64');
  };
  const jsrsasignSign = (base) => {
    const sig = new jsrsasign.KJUR.crypto.Signature({ alg: 'SHA1withRSA' });
    sig.init(RSA_PEM);
    sig.updateString(base);
    return Buffer.from(sig.sign(), 'hex').toString('base64');
  };
  const oauthParams = () => Object.fromEntries(Object.entries(a.signOAuthSync(OAUTH_REQ, oauthCred('HMAC-SHA1')).params)
    .filter(([k]) => k !== 'oauth_signature'));
  const qshOurs = (reqs) => () => {
    const next = cycle(reqs);
    return () => {
      const r = next();
      return a.createQsh(r.method, r.url, { baseUrl: r.baseUrl });
    };
  };
  const qshPeer = (reqs) => () => {
    const next = cycle(reqs);
    return () => {
      const r = next();
      return aj.createQueryStringHash(aj.fromMethodAndUrl(r.method, r.url), false, r.baseUrl);
    };
  };
  const sameQsh = (reqs) => () => {
    for (const r of reqs) {
      const x = a.createQsh(r.method, r.url, { baseUrl: r.baseUrl });
      const y = aj.createQueryStringHash(aj.fromMethodAndUrl(r.method, r.url), false, r.baseUrl);
      if (x !== y) throw new Error(`qsh differs for ${r.method} ${r.url.slice(0, 80)}: ${x} vs ${y}`);
    }
  };

  const qshBySize = (bytes) => {
    const reqs = [{ method: 'GET', baseUrl: JIRA, url: `${JIRA}/rest/api/3/search?${queryOfSize(bytes)}` }];
    const qbytes = reqs[0].url.length - reqs[0].url.indexOf('?') - 1;
    return {
      id: `qsh-size-${bytes}`,
      kind: 'scaling',
      title: `createQsh, query of ${fmtBytes(qbytes)}`,
      queryBytes: qbytes,
      requires: ['atlassian-jwt'],
      check: sameQsh(reqs),
      ours: 'createQsh',
      target: { peer: 'atlassian-jwt' },
      cases: [
        { lib: 'atlassian-sign', label: 'createQsh', make: qshOurs(reqs) },
        { lib: 'atlassian-jwt', label: 'fromMethodAndUrl + createQueryStringHash', make: qshPeer(reqs) },
      ],
    };
  };

  const hs256Token = () => aj.encodeSymmetric(connectClaims(FIXED_CLAIMS.qsh), SECRET);
  const CONF = 'https://acme.atlassian.net/wiki';
  const explainCase = () => a.explain({
    message: `Expecting claim 'qsh' to have value '${a.createQsh('GET', `${CONF}/rest/api/content?spaceKey=DEV`, { baseUrl: CONF })}' but instead it has the value '${a.createQsh('GET', `${CONF}/rest/api/content?spaceKey=DEV`)}'`,
    method: 'GET', url: `${CONF}/rest/api/content?spaceKey=DEV`, baseUrl: CONF,
  });

  // An OAuth refusal whose base string the client did not keep: explain verifies the received
  // signature over the server base string's variants with the consumer's key until one holds.
  // The client signed HEAD but a proxy made it GET: found after the scheme, port and path
  // variants, each an RSA-2048 verification.
  const oauthExplainInput = (() => {
    const pctRfc = (x) => encodeURIComponent(x).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const url = 'https://jira.example.com/rest/api/2/search?jql=project%20%3D%20OPS';
    const creds = { consumerKey: 'ck', privateKey: RSA_PEM, token: 'tk', nonce: 'n', timestamp: 1700000000 };
    const signed = a.signOAuthSync({ method: 'HEAD', url }, creds);
    const server = a.signOAuthSync({ method: 'GET', url }, creds).baseString;
    return {
      request: { method: 'GET', url, headers: { Authorization: signed.authorization } },
      response: { status: 401, body: `oauth_problem=signature_invalid&oauth_signature_base_string=${pctRfc(server)}` },
      credentials: { privateKey: RSA_PEM },
    };
  })();
  const oauthExplainCase = () => a.explain(oauthExplainInput);

  return [
    {
      id: 'qsh',
      title: `qsh of ${REQUESTS.length} Jira/Confluence requests (cycled)`,
      requires: ['atlassian-jwt'],
      check: sameQsh(REQUESTS),
      ours: 'createQsh',
      target: { peer: 'atlassian-jwt', min: 3 },
      cases: [
        { lib: 'atlassian-sign', label: 'createQsh', make: qshOurs(REQUESTS) },
        { lib: 'atlassian-jwt', label: 'fromMethodAndUrl + createQueryStringHash', make: qshPeer(REQUESTS) },
      ],
    },
    {
      id: 'connect-token',
      title: 'Connect token per outgoing call (qsh + claims + HS256)',
      requires: ['atlassian-jwt'],
      check() {
        for (const r of REQUESTS) {
          const t = a.connectToken({ ...r, appKey: APP_KEY, secret: SECRET });
          const p = aj.decodeSymmetric(t.token, SECRET, 'HS256');
          const q = aj.createQueryStringHash(aj.fromMethodAndUrl(r.method, r.url), false, r.baseUrl);
          if (p.qsh !== q || p.iss !== APP_KEY) throw new Error(`connectToken claims differ for ${r.url}`);
        }
      },
      ours: 'connectToken',
      target: { peer: 'atlassian-jwt' },
      cases: [
        { lib: 'atlassian-sign', label: 'connectToken(...).token',
          make: () => {
            const next = cycle(REQUESTS.map((r) => ({ ...r, appKey: APP_KEY, secret: SECRET })));
            return () => a.connectToken(next()).token;
          } },
        { lib: 'atlassian-jwt', label: 'fromMethodAndUrl + createQueryStringHash + encodeSymmetric',
          make: () => {
            const next = cycle(REQUESTS);
            return () => {
              const r = next();
              const qsh = aj.createQueryStringHash(aj.fromMethodAndUrl(r.method, r.url), false, r.baseUrl);
              return aj.encodeSymmetric(connectClaims(qsh), SECRET);
            };
          } },
      ],
    },
    {
      id: 'hs256-encode',
      title: 'HS256 encode (5 Connect claims)',
      requires: ['atlassian-jwt', 'jose'],
      check() {
        const t = a.encodeJwt(FIXED_CLAIMS, SECRET, { algorithm: 'HS256' });
        const p = aj.decodeSymmetric(t, SECRET, 'HS256');
        if (JSON.stringify(p) !== JSON.stringify(FIXED_CLAIMS)) throw new Error('encodeJwt payload differs');
      },
      ours: 'encodeJwt',
      target: { peer: 'atlassian-jwt', min: 2 },
      cases: [
        { lib: 'atlassian-sign', label: 'encodeJwt',
          make: () => () => a.encodeJwt(FIXED_CLAIMS, SECRET, { algorithm: 'HS256' }) },
        { lib: 'atlassian-jwt', label: 'encodeSymmetric',
          make: () => () => aj.encodeSymmetric(FIXED_CLAIMS, SECRET) },
        { lib: 'jose', label: 'SignJWT().sign (async, awaited)', async: true,
          make: () => () => new jose.SignJWT(FIXED_CLAIMS).setProtectedHeader({ alg: 'HS256' }).sign(SECRET_BYTES) },
        { lib: 'node:crypto', label: 'hand-rolled base64url + createHmac (floor)',
          make: () => {
            const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
            return () => {
              const input = `${head}.${b64url(JSON.stringify(FIXED_CLAIMS))}`;
              return `${input}.${crypto.createHmac('sha256', SECRET).update(input).digest('base64url')}`;
            };
          } },
      ],
    },
    {
      id: 'hs256-verify',
      title: 'HS256 verify (signature; ours and jose also check exp/nbf, atlassian-jwt does not)',
      requires: ['atlassian-jwt', 'jose'],
      check() {
        const t = hs256Token();
        const p = a.verifyJwt(t, SECRET, { algorithms: ['HS256'] });
        if (p.qsh !== FIXED_CLAIMS.qsh) throw new Error('verifyJwt payload differs');
        let bad = false;
        try { a.verifyJwt(t.slice(0, -2) + 'AA', SECRET, { algorithms: ['HS256'] }); } catch { bad = true; }
        if (!bad) throw new Error('verifyJwt accepted a bad signature');
      },
      ours: 'verifyJwt',
      target: { peer: 'atlassian-jwt', min: 2 },
      cases: [
        { lib: 'atlassian-sign', label: 'verifyJwt',
          make: () => { const t = hs256Token(); return () => a.verifyJwt(t, SECRET, { algorithms: ['HS256'] }); } },
        { lib: 'atlassian-jwt', label: 'decodeSymmetric',
          make: () => { const t = hs256Token(); return () => aj.decodeSymmetric(t, SECRET, 'HS256'); } },
        { lib: 'jose', label: 'jwtVerify (async, awaited)', async: true,
          make: () => { const t = hs256Token(); return () => jose.jwtVerify(t, SECRET_BYTES, { algorithms: ['HS256'] }); } },
      ],
    },
    {
      id: 'oauth-rsa-sha1',
      title: 'OAuth 1.0a RSA-SHA1 signature of a Jira REST call (2048-bit key)',
      requires: ['oauth-sign'],
      check() {
        const sync = a.signOAuthSync(OAUTH_REQ, oauthCred('RSA-SHA1'));
        const native = crypto.sign('sha1', Buffer.from(sync.baseString), RSA_PEM).toString('base64');
        if (sync.signature !== native) throw new Error('signOAuthSync signature differs from node:crypto');
      },
      ours: 'signOAuth',
      target: { peer: 'node:crypto', min: 0.6 },
      // A second pairing with its own target: the pure-Rust signer against node:crypto.
      also: [{ lib: 'atlassian-sign (sync)', ours: 'signOAuthSync', peer: 'node:crypto', min: 0.1 }],
      cases: [
        { lib: 'atlassian-sign', label: 'signOAuth (WebCrypto, awaited)', async: true,
          make: () => () => a.signOAuth(OAUTH_REQ, oauthCred('RSA-SHA1')) },
        { lib: 'atlassian-sign (sync)', label: 'signOAuthSync (pure Rust, constant-time)',
          make: () => () => a.signOAuthSync(OAUTH_REQ, oauthCred('RSA-SHA1')) },
        { lib: 'node:crypto', label: 'crypto.sign(sha1), KeyObject parsed once',
          make: () => { const b = Buffer.from(oauthBase()); const k = crypto.createPrivateKey(RSA_PEM); return () => crypto.sign('sha1', b, k); } },
        { lib: 'oauth-sign', label: 'rsasign (base string + node:crypto)',
          make: () => { const p = oauthParams(); const u = OAUTH_REQ.url.split('?')[0];
            const q = { jql: 'project = TEST', maxResults: '50', ...p, oauth_signature_method: 'RSA-SHA1' };
            return () => oauthSign.rsasign('GET', u, q, RSA_PEM); } },
      ],
    },
    {
      // The pure-JS RSA signers browser apps use today, against the pure-Rust one. Each call
      // parses the PEM key and hashes the base string, as signOAuthSync does (it also builds the
      // base string). node:crypto is in the comparison above, with its own ratio line.
      id: 'oauth-rsa-sha1-pure',
      title: 'OAuth 1.0a RSA-SHA1 signature, pure implementations (2048-bit key, PEM parsed per call)',
      requires: ['node-forge', 'jsrsasign'],
      check() {
        // PKCS#1 v1.5 is deterministic: all four must give the same bytes.
        const sync = a.signOAuthSync(OAUTH_REQ, oauthCred('RSA-SHA1'));
        const sigs = {
          'node:crypto': crypto.sign('sha1', Buffer.from(sync.baseString), RSA_PEM).toString('base64'),
          'node-forge': forgeSign(sync.baseString),
          jsrsasign: jsrsasignSign(sync.baseString),
        };
        for (const [lib, sig] of Object.entries(sigs)) {
          if (sync.signature !== sig) throw new Error(`signOAuthSync signature differs from ${lib}`);
        }
      },
      ours: 'signOAuthSync',
      target: { peer: 'node-forge', min: 3 },
      cases: [
        { lib: 'atlassian-sign', label: 'signOAuthSync (pure Rust)',
          make: () => () => a.signOAuthSync(OAUTH_REQ, oauthCred('RSA-SHA1')) },
        { lib: 'node-forge', label: 'privateKeyFromPem(pem).sign(sha1 md)',
          make: () => { const b = oauthBase(); return () => forgeSign(b); } },
        { lib: 'jsrsasign', label: "KJUR.crypto.Signature({alg:'SHA1withRSA'})",
          make: () => { const b = oauthBase(); return () => jsrsasignSign(b); } },
      ],
    },
    {
      id: 'oauth-hmac-sha1',
      title: 'OAuth 1.0a HMAC-SHA1 signature of a Jira REST call',
      requires: ['oauth-sign'],
      check() {},
      ours: 'signOAuthSync',
      target: { peer: 'oauth-sign' },
      cases: [
        { lib: 'atlassian-sign', label: 'signOAuthSync (HMAC-SHA1)', make: () => () => a.signOAuthSync(OAUTH_REQ, oauthCred('HMAC-SHA1')) },
        { lib: 'oauth-sign', label: 'hmacsign',
          make: () => { const p = oauthParams(); const u = OAUTH_REQ.url.split('?')[0];
            const q = { jql: 'project = TEST', maxResults: '50', ...p };
            return () => oauthSign.hmacsign('GET', u, q, 'cs', 'ts'); } },
      ],
    },
    {
      id: 'rs256-verify',
      title: 'RS256 verify (2048-bit key)',
      requires: ['jose'],
      check() {},
      ours: 'verifyJwt',
      target: { peer: 'jose' },
      cases: [
        { lib: 'atlassian-sign', label: 'verifyJwt RS256',
          make: () => { const t = a.encodeJwt({ iss: 'x', qsh: 'y' }, RSA_PEM); return () => a.verifyJwt(t, RSA_PUB, { algorithms: ['RS256'] }); } },
        { lib: 'jose', label: 'jwtVerify RS256 (async, awaited)', async: true,
          make: () => { const t = a.encodeJwt({ iss: 'x', qsh: 'y' }, RSA_PEM); const k = crypto.createPublicKey(RSA_PUB);
            return () => jose.jwtVerify(t, k, { algorithms: ['RS256'] }); } },
      ],
    },
    {
      id: 'explain-qsh',
      title: 'explain() on a typical qsh mismatch (Confluence /wiki not stripped)',
      requires: [],
      check() { if (explainCase().cause !== 'BASE_PATH_NOT_STRIPPED') throw new Error('explain gave another cause'); },
      ours: 'explain',
      cases: [{ lib: 'atlassian-sign', label: 'explain', make: () => explainCase }],
    },
    {
      id: 'explain-oauth',
      title: 'explain() on an OAuth signature_invalid with the consumer key (RSA-2048 variants verified until one holds; target under 50 ms)',
      requires: [],
      check() { if (!oauthExplainCase().causes.includes('METHOD_CHANGED')) throw new Error(`explain gave ${oauthExplainCase().causes}`); },
      ours: 'explain',
      cases: [{ lib: 'atlassian-sign', label: 'explain (whole exchange, key given)', make: () => oauthExplainCase }],
    },
    ...[100, 1024, 10 * 1024, 100 * 1024].map(qshBySize),
  ];
}

// ---------------------------------------------------------------------------------------------
// Timing

let SINK = 0; // results feed this so no call can be optimised away
const consume = (r) => { SINK = (SINK + (typeof r === 'string' ? r.length : 1)) | 0; };

// Picks a batch size that takes about 1 ms, so the clock is read rarely.
async function calibrate(c) {
  let n = 1;
  for (;;) {
    const t0 = performance.now();
    if (c.async) for (let i = 0; i < n; i++) consume(await c.fn());
    else for (let i = 0; i < n; i++) consume(c.fn());
    const dt = performance.now() - t0;
    if (dt >= 1 || n >= 1 << 20) return Math.max(1, Math.round(n / Math.max(dt, 1e-3)));
    n *= dt < 0.1 ? 10 : 2;
  }
}

// Runs a case for windowMs; returns ops/s.
async function runWindow(c, windowMs) {
  const batch = c.batch;
  const fn = c.fn;
  let ops = 0;
  const t0 = performance.now();
  const end = t0 + windowMs;
  let t = t0;
  if (c.async) {
    do {
      for (let i = 0; i < batch; i++) consume(await fn());
      ops += batch;
      t = performance.now();
    } while (t < end);
  } else {
    do {
      for (let i = 0; i < batch; i++) consume(fn());
      ops += batch;
      t = performance.now();
    } while (t < end);
  }
  return (ops * 1000) / (t - t0);
}

const median = (xs) => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function runAll(comparisons, opts) {
  const cases = comparisons.flatMap((cmp) => cmp.cases.map((c) => Object.assign(c, { cmp, rounds: [] })));
  for (const c of cases) {
    c.fn = c.make();
    c.batch = await calibrate(c);
  }
  const total = cases.length * (opts.warmupMs + opts.rounds * opts.windowMs);
  console.error(`bench: ${cases.length} cases, warm-up + ${opts.rounds} rounds x ${opts.windowMs} ms (about ${Math.ceil(total / 1000)} s)`);
  for (const c of cases) await runWindow(c, opts.warmupMs); // warm-up, not recorded
  for (let r = 0; r < opts.rounds; r++) {
    const order = cases.map((_, i) => cases[(i + r) % cases.length]);
    for (const c of order) c.rounds.push(await runWindow(c, opts.windowMs));
    process.stderr.write(`  round ${r + 1}/${opts.rounds}\r`);
  }
  process.stderr.write('\n');
  for (const c of cases) {
    c.opsPerSec = median(c.rounds);
    c.spread = (Math.max(...c.rounds) - Math.min(...c.rounds)) / c.opsPerSec;
  }
}

// ---------------------------------------------------------------------------------------------
// Size and instantiation

function wasmSizes() {
  const out = {};
  for (const file of wasmFiles()) {
    const buf = fs.readFileSync(file);
    out[path.basename(file, '.wasm')] = { file: shownPath(file), bytes: buf.length, gzip9: zlib.gzipSync(buf, { level: 9 }).length, sha256: sha256(buf) };
  }
  return out;
}

// Each measurement is a fresh `node` child: ms from the start of require() to loaded.
const CHILD_SCRIPTS = {
  'atlassian-sign': `const p=require('perf_hooks').performance;const t=p.now();const m=require(${JSON.stringify(PKG_ENTRY)});const d=p.now()-t;if(typeof m.createQsh!=='function')process.exit(3);const w=require('fs').readFileSync(${JSON.stringify(MAIN_WASM)});const c=p.now();new WebAssembly.Module(w);console.log(JSON.stringify({ms:d,compileMs:p.now()-c}))`,
  'atlassian-jwt': `const p=require('perf_hooks').performance;const t=p.now();require('atlassian-jwt');console.log(JSON.stringify({ms:p.now()-t}))`,
  jose: `const p=require('perf_hooks').performance;const t=p.now();import('jose').then(()=>console.log(JSON.stringify({ms:p.now()-t})))`,
};

async function measureLoadTimes(n) {
  const out = {};
  for (const [lib, script] of Object.entries(CHILD_SCRIPTS)) {
    const runs = [];
    for (let i = 0; i < n; i++) {
      const r = await withRetry(`loading ${lib} in a child process`, () => {
        const p = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60000 });
        if (p.status !== 0) throw new Error((p.stderr || '').trim().split('\n').pop() || `exit ${p.status}`);
        return JSON.parse(p.stdout.trim().split('\n').pop());
      }, { tries: 20 });
      runs.push(r);
    }
    out[lib] = { runs: n, medianMs: median(runs.map((r) => r.ms)) };
    if (runs[0].compileMs !== undefined) out[lib].compileMedianMs = median(runs.map((r) => r.compileMs));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Report

function fmtBytes(n) {
  return n >= 1024 ? `${(n / 1024).toFixed(n >= 10240 ? 0 : 1)} KB` : `${n} B`;
}
const fmtOps = (x) => Math.round(x).toLocaleString('en-US');
const fmtUs = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

function ratios(cmp) {
  const ours = cmp.cases.find((c) => c.lib === 'atlassian-sign');
  const also = (cmp.also || []).map((x) => {
    const mine = cmp.cases.find((c) => c.lib === x.lib);
    const peer = cmp.cases.find((c) => c.lib === x.peer);
    const perRound = mine.rounds.map((v, i) => v / peer.rounds[i]);
    const ratio = median(perRound);
    return {
      ours: x.ours, peer: x.peer, ratio, target: x.min, met: ratio >= x.min,
      ratioOfMedians: mine.opsPerSec / peer.opsPerSec,
      perRoundMin: Math.min(...perRound), perRoundMax: Math.max(...perRound),
    };
  });
  return cmp.cases
    .filter((c) => c !== ours)
    .map((peer) => {
      // Paired: ours/peer within each round (the two run back to back), then the median.
      // Steadier than a ratio of medians when the machine slows down for a few seconds.
      const perRound = ours.rounds.map((x, i) => x / peer.rounds[i]);
      const ratio = median(perRound);
      const t = cmp.target && cmp.target.peer === peer.lib ? cmp.target.min : undefined;
      return {
        ours: cmp.ours, peer: peer.lib, ratio, target: t, met: t === undefined ? undefined : ratio >= t,
        ratioOfMedians: ours.opsPerSec / peer.opsPerSec,
        perRoundMin: Math.min(...perRound), perRoundMax: Math.max(...perRound),
      };
    })
    .concat(also);
}

function report(comparisons, meta) {
  const lines = [];
  const say = (s = '') => lines.push(s);
  say(`atlassian-sign benchmark — ${meta.date}`);
  say(`CPU: ${meta.cpu} (${meta.cpus} logical)   Node ${meta.node}   ${meta.platform}`);
  say(`method: one process; warm-up, then ${meta.options.rounds} interleaved rounds x ${meta.options.windowMs} ms per case (order rotated each round); median ops/s; ±% = half the min-max range over rounds`);
  say(`ratio ours/peer = median over rounds of the ratio within the round (cases of one comparison run back to back)`);
  if (meta.machine.stealPct !== null || meta.machine.loadavg) say(`machine during the run: load average ${meta.machine.loadavg}${meta.machine.stealPct !== null ? `, CPU steal ${meta.machine.stealPct.toFixed(1)}%` : ''}`);
  say(`jose is async: its calls are awaited one after another in the loop (no concurrency).`);
  say(`package: ${shownPath(meta.pkg)}/`);
  say(`wasm build: ${meta.wasm.atlassian_sign_bg.sha256}${meta.options.quick ? '   (--quick: smoke run, numbers are rough)' : ''}`);

  const W = Math.max(40, ...comparisons.flatMap((c) => (c.skipped ? [] : c.cases.map((x) => x.lib.length + x.label.length + 2))));
  for (const cmp of comparisons.filter((c) => c.kind !== 'scaling')) {
    say();
    say(cmp.title);
    if (cmp.skipped) { say(`  skipped: ${cmp.skipped}`); continue; }
    for (const c of cmp.cases) {
      say(`  ${pad(`${c.lib}: ${c.label}`, W)} ${lpad(fmtOps(c.opsPerSec), 11)} ops/s  ±${lpad((c.spread * 50).toFixed(0), 2)}%`);
    }
    for (const r of cmp.ratios) {
      const tgt = r.target === undefined ? '' : `   (target ≥${r.target}x: ${r.met ? 'met' : 'NOT met'})`;
      say(`  → ${r.ours} ${r.ratio.toFixed(2)}x ${r.peer}   (rounds ${r.perRoundMin.toFixed(2)}-${r.perRoundMax.toFixed(2)})${tgt}`);
    }
  }

  const scaling = comparisons.filter((c) => c.kind === 'scaling' && !c.skipped);
  if (scaling.length) {
    say();
    say('createQsh by query size (µs per call, µs per KB of query; flat µs/KB = linear)');
    say('  (params of ~200 B: atlassian-jwt drops every param past the 1000th, so bigger counts would not compare)');
    say(`  ${pad('query', 9)} ${lpad('ours µs', 10)} ${lpad('µs/KB', 8)}   ${lpad('atlassian-jwt µs', 17)} ${lpad('µs/KB', 8)}   ratio`);
    for (const cmp of scaling) {
      const [o, p] = cmp.cases;
      const kb = cmp.queryBytes / 1024;
      const ou = 1e6 / o.opsPerSec;
      const pu = 1e6 / p.opsPerSec;
      say(`  ${pad(fmtBytes(cmp.queryBytes), 9)} ${lpad(fmtUs(ou), 10)} ${lpad(fmtUs(ou / kb), 8)}   ${lpad(fmtUs(pu), 17)} ${lpad(fmtUs(pu / kb), 8)}   ${cmp.ratios[0].ratio.toFixed(2)}x`);
    }
  }

  say();
  say('package size and load');
  const FW = Math.max(36, ...Object.values(meta.wasm).map((s) => s.file.length));
  for (const [name, s] of Object.entries(meta.wasm)) {
    say(`  ${pad(s.file, FW)} ${lpad(fmtBytes(s.bytes), 9)} raw  ${lpad(fmtBytes(s.gzip9), 9)} gzip -9`);
  }
  const all = Object.values(meta.wasm).reduce((a, s) => ({ bytes: a.bytes + s.bytes, gzip9: a.gzip9 + s.gzip9 }), { bytes: 0, gzip9: 0 });
  say(`  ${pad('all wasm in the package', FW)} ${lpad(fmtBytes(all.bytes), 9)} raw  ${lpad(fmtBytes(all.gzip9), 9)} gzip -9 (target: 100 KB)`);
  const bl = meta.browserLoad;
  if (bl?.skipped) say(`  Chromium load: skipped (${bl.skipped})`);
  else if (bl) say(`  Chromium ${bl.browser}, fresh context: import web.js ${bl.importMedianMs.toFixed(1)} ms + await init() (fetch, compile, instantiate) ${bl.initMedianMs.toFixed(1)} ms + first call ${bl.firstCallMedianMs.toFixed(1)} ms; WebAssembly.compile of the bytes alone ${bl.compileMedianMs.toFixed(1)} ms (median of ${bl.runs})`);
  const lt = meta.loadTimes;
  if (lt) {
    const o = lt['atlassian-sign'];
    say(`  require('${shownPath(PKG_ENTRY)}') in a fresh node: ${o.medianMs.toFixed(1)} ms median of ${o.runs} (new WebAssembly.Module alone: ${o.compileMedianMs.toFixed(1)} ms; V8 compiles functions lazily, on first call)`);
    for (const lib of ['atlassian-jwt', 'jose']) {
      if (lt[lib]) say(`  for comparison, loading ${lib}: ${lt[lib].medianMs.toFixed(1)} ms median`);
    }
  }
  if (meta.warnings.length) {
    say();
    for (const w of meta.warnings) say(`warning: ${w}`);
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const opts = OPTS;
  const warnings = [];
  const { mod: ours, wasmSha } = await withRetry('loading pkg/index.cjs', loadOurs);
  const wasm = await withRetry('reading pkg/*/atlassian_sign_bg.wasm', wasmSizes);
  if (wasm.atlassian_sign_bg.sha256 !== wasmSha) warnings.push('pkg/ was rebuilt between loading and measuring sizes');

  const libs = { ours, aj: tryRequire('atlassian-jwt'), jose: await import('jose').catch(() => null), oauthSign: tryRequire('oauth-sign'),
    forge: tryRequire('node-forge'), jsrsasign: tryRequire('jsrsasign') };
  const present = { 'atlassian-jwt': !!libs.aj, jose: !!libs.jose, 'oauth-sign': !!libs.oauthSign,
    'node-forge': !!libs.forge, jsrsasign: !!libs.jsrsasign };
  const all = buildComparisons(libs);
  for (const cmp of all) {
    const missing = (cmp.requires || []).filter((r) => !present[r]);
    if (missing.length) cmp.skipped = `needs ${missing.join(', ')} (npm install in ${ROOT})`;
    else if (cmp.check) {
      try { cmp.check(); } catch (e) { fail(`${cmp.id}: the libraries disagree, not timing them: ${e.message}`); }
    }
  }
  const active = all.filter((c) => !c.skipped);
  const cpu0 = cpuTimes();
  await runAll(active, opts);
  const cpu1 = cpuTimes();
  const loadavg = os.loadavg().map((x) => x.toFixed(2)).join(' ');
  for (const cmp of active) cmp.ratios = ratios(cmp);

  const loadTimes = await measureLoadTimes(opts.children);
  const browserLoad = await chromiumLoadTimes(opts.children, PKG).catch((e) => ({ skipped: `Chromium run failed: ${e.message}` }));
  const after = await withRetry('reading pkg/ wasm', wasmSizes);
  if (after.atlassian_sign_bg.sha256 !== wasmSha) warnings.push('pkg/ was rebuilt during the run: load times are of a newer build than the speeds');

  const meta = {
    date: new Date().toISOString(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cpus: os.cpus().length,
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    machine: {
      loadavg,
      stealPct: cpu0 && cpu1 && cpu1.total > cpu0.total ? (100 * (cpu1.steal - cpu0.steal)) / (cpu1.total - cpu0.total) : null,
    },
    options: { quick: opts.quick, rounds: opts.rounds, windowMs: opts.windowMs, warmupMs: opts.warmupMs, children: opts.children },
    pkg: PKG,
    wasm,
    loadTimes,
    browserLoad,
    warnings,
  };
  console.log(report(all, meta));

  const json = {
    ...meta,
    comparisons: all.map((cmp) => ({
      id: cmp.id,
      kind: cmp.kind ?? 'comparison',
      title: cmp.title,
      ...(cmp.queryBytes !== undefined && { queryBytes: cmp.queryBytes }),
      ...(cmp.skipped
        ? { skipped: cmp.skipped }
        : {
            cases: cmp.cases.map((c) => ({
              lib: c.lib,
              label: c.label,
              async: !!c.async,
              opsPerSec: Math.round(c.opsPerSec),
              usPerCall: 1e6 / c.opsPerSec,
              spread: Number(c.spread.toFixed(3)),
              roundsOpsPerSec: c.rounds.map(Math.round),
            })),
            ratios: cmp.ratios.map((r) => ({
              ...r,
              ratio: Number(r.ratio.toFixed(3)),
              ratioOfMedians: Number(r.ratioOfMedians.toFixed(3)),
              perRoundMin: Number(r.perRoundMin.toFixed(3)),
              perRoundMax: Number(r.perRoundMax.toFixed(3)),
            })),
          }),
    })),
    sink: SINK,
  };
  fs.writeFileSync(RESULTS_FILE, JSON.stringify(json, null, 2) + '\n');
  console.error(`bench: wrote ${RESULTS_FILE.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), RESULTS_FILE) : RESULTS_FILE}`);
}

main().catch((e) => {
  console.error(`bench: ${e.stack || e}`);
  process.exit(1);
});
