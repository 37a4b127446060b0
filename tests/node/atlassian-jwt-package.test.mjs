// The drop-in as a package of its own (scripts/build-atlassian-jwt.mjs): built from pkg/ into a
// temp dir, packed, and installed into temp projects under the name `atlassian-jwt`:
// - as a `file:` dependency: `require` and `import` give the outputs of npm atlassian-jwt@2.0.3
//   (the devDependency) on the same calls;
// - through npm `overrides` under atlassian-connect-express (the README recipe): ACE's own
//   authenticate() middleware, on a real Express server on 127.0.0.1, accepts a request signed
//   as the product signs it and refuses tampered ones. ACE comes from the registry (npm's cache
//   makes later runs fast); the test is skipped only when the registry cannot be reached.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as api from '../../pkg/index.mjs';
import { root, vector } from './helpers.mjs';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'atlassian-jwt-pkg-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const built = join(work, 'atlassian-jwt');
execFileSync(process.execPath, [join(root, 'scripts/build-atlassian-jwt.mjs'), '--from', join(root, 'pkg'), '--out', built], { stdio: 'ignore' });
mkdirSync(join(work, 'vendor'));
const [packed] = JSON.parse(execFileSync('npm', ['pack', built, '--pack-destination', join(work, 'vendor'), '--json'], { cwd: work, encoding: 'utf8' }));
const tarball = join(work, 'vendor', packed.filename);
const upstreamRequire = createRequire(join(root, 'package.json'));
const upstream = upstreamRequire('atlassian-jwt');

/** A project in the temp dir with the tarball at vendor/atlassian-jwt.tgz, as the README recipe has it. */
function project(name, manifest) {
  const dir = join(work, name);
  mkdirSync(join(dir, 'vendor'), { recursive: true });
  copyFileSync(tarball, join(dir, 'vendor', 'atlassian-jwt.tgz'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, ...manifest }, null, 2));
  return dir;
}

test('the package is named atlassian-jwt, holds the Node entries, their types and the .wasm, and attw finds no problem', async () => {
  const manifest = JSON.parse(readFileSync(join(built, 'package.json'), 'utf8'));
  assert.equal(manifest.name, 'atlassian-jwt');
  assert.match(manifest.version, /^2\.0\.3\+atlassian-sign\.\d+\.\d+\.\d+/);
  assert.equal(manifest.license, 'Apache-2.0');
  const files = packed.files.map((f) => f.path).sort();
  assert.deepEqual(files, ['LICENSE', 'README.md', 'atlassian-jwt.cjs', 'atlassian-jwt.d.cts', 'atlassian-jwt.d.mts', 'atlassian-jwt.d.ts',
    'atlassian-jwt.mjs', 'index.cjs', 'node/atlassian_sign.js', 'node/package.json', 'package.json', 'web/atlassian_sign_bg.wasm']);
  // The same bytes as the subpath atlassian-sign/atlassian-jwt.
  for (const f of ['atlassian-jwt.cjs', 'index.cjs', 'web/atlassian_sign_bg.wasm']) {
    assert.ok(readFileSync(join(built, f)).equals(readFileSync(join(root, 'pkg', f))), `${f} differs from pkg/${f}`);
  }
  const attw = await run(join(root, 'node_modules/.bin/attw'), [tarball, '--format', 'ascii'], { encoding: 'utf8' })
    .catch((e) => assert.fail(`attw found problems:\n${e.stdout}${e.stderr}`));
  assert.match(attw.stdout, /No problems found/);
});

// ---------------------------------------------------------------------------------------------
// The same calls through both modules. battery.cjs runs in the temp project (on the installed
// package, by require and by import) and here (on npm atlassian-jwt@2.0.3).
// ---------------------------------------------------------------------------------------------
const rsa = vector('oauth-cases.json').test_key;
const fixtures = {
  privateKey: rsa.private_pkcs1_pem,
  publicKey: rsa.public_spki_pem,
  payload: { iss: 'jira:15489595', iat: 1700000000, exp: 1700000180, sub: '557058:f1', qsh: 'context-qsh', context: { user: { accountId: 'a' } } },
};
const battery = `'use strict';
module.exports = function battery(jwt, { privateKey, publicKey, payload }) {
  const out = {};
  const attempt = (name, f) => {
    try {
      out[name] = f();
    } catch (e) {
      out[name] = { threw: e.message };
    }
  };
  out.exports = Object.keys(jwt).filter((k) => k !== 'default').sort();
  out.enums = [jwt.SymmetricAlgorithm, jwt.AsymmetricAlgorithm];
  out.version = jwt.version;
  for (const alg of ['HS256', 'HS384', 'HS512']) attempt('encodeSymmetric ' + alg, () => jwt.encodeSymmetric(payload, 'shared-secret', alg));
  attempt('encodeSymmetric default', () => jwt.encodeSymmetric(payload, 'shared-secret'));
  attempt('encodeSymmetric unknown alg', () => jwt.encodeSymmetric(payload, 'shared-secret', 'HS999'));
  attempt('encodeAsymmetric', () => jwt.encodeAsymmetric(payload, privateKey, jwt.AsymmetricAlgorithm.RS256));
  attempt('encodeAsymmetric kid', () => jwt.encodeAsymmetric(payload, privateKey, 'RS256', { kid: 'key-1' }));
  const hs = jwt.encodeSymmetric(payload, 'shared-secret', 'HS256');
  const rs = jwt.encodeAsymmetric(payload, privateKey, 'RS256', { kid: 'key-1' });
  attempt('decodeSymmetric', () => jwt.decodeSymmetric(hs, 'shared-secret', 'HS256'));
  attempt('decodeSymmetric noVerify', () => jwt.decodeSymmetric(hs, '', 'HS256', true));
  attempt('decodeSymmetric wrong secret', () => jwt.decodeSymmetric(hs, 'other-secret', 'HS256'));
  attempt('decodeSymmetric tampered', () => jwt.decodeSymmetric(hs.slice(0, -3) + (hs.endsWith('AAA') ? 'BBB' : 'AAA'), 'shared-secret', 'HS256'));
  attempt('decodeSymmetric not a token', () => jwt.decodeSymmetric('not-a-token', 'shared-secret', 'HS256'));
  attempt('decodeAsymmetric', () => jwt.decodeAsymmetric(rs, publicKey, 'RS256'));
  attempt('getKeyId', () => jwt.getKeyId(rs));
  attempt('getAlgorithm', () => [jwt.getAlgorithm(rs), jwt.getAlgorithm(hs)]);
  const canonical = (name, req, checkBody, base) => {
    attempt('createCanonicalRequest ' + name, () => jwt.createCanonicalRequest(req, checkBody, base));
    attempt('createQueryStringHash ' + name, () => jwt.createQueryStringHash(req, checkBody, base));
  };
  canonical('url', jwt.fromMethodAndUrl('GET', '/rest/api/2/project?b=2&a=1&a=0&expand=x,y'), false, '');
  canonical('url no query', jwt.fromMethodAndUrl('delete', '/rest/api/2/issue/ABC-1'), false, '');
  canonical('confluence base', jwt.fromMethodAndUrl('GET', '/wiki/rest/api/content?spaceKey=DEV&expand=body.storage'), false,
    'https://acme.atlassian.net/wiki');
  canonical('escapes', jwt.fromMethodAndUrl('GET', '/p/a%20b?q=%C3%A9t%C3%A9&s=a+b&t=%2A~'), false, '');
  canonical('jwt param dropped', jwt.fromMethodAndUrl('GET', '/x?jwt=abc&b=1'), false, '');
  const express = { method: 'POST', originalUrl: '/addon/hook?x=1', path: '/hook', query: { x: '1' }, body: { b: '2', a: ['3', '1'] } };
  canonical('express query', jwt.fromExpressRequest(express), true, 'https://app.example/addon');
  const expressNoQuery = { method: 'POST', originalUrl: '/addon/hook', path: '/hook', query: {}, body: { b: '2', a: ['3', '1'] } };
  canonical('express body', jwt.fromExpressRequest(expressNoQuery), true, 'https://app.example/addon');
  canonical('express body unchecked', jwt.fromExpressRequest(expressNoQuery), false, 'https://app.example/addon');
  canonical('path and body', jwt.fromMethodAndPathAndBody('post', '/rest/x', { z: '1', y: ['b', 'a'] }), true, '');
  return out;
};
`;

test('installed as a file: dependency named atlassian-jwt: require and import give the outputs of atlassian-jwt 2.0.3', async () => {
  const dir = project('dependency-app', { dependencies: { 'atlassian-jwt': 'file:vendor/atlassian-jwt.tgz' } });
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline'], { cwd: dir, stdio: 'ignore' });
  writeFileSync(join(dir, 'battery.cjs'), battery);
  writeFileSync(join(dir, 'fixtures.json'), JSON.stringify(fixtures));
  writeFileSync(join(dir, 'by-require.cjs'), `const jwt = require('atlassian-jwt');
console.log(JSON.stringify({ at: require.resolve('atlassian-jwt'), out: require('./battery.cjs')(jwt, require('./fixtures.json')) }));
`);
  writeFileSync(join(dir, 'by-import.mjs'), `import jwt, * as named from 'atlassian-jwt';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = require('./battery.cjs')(jwt, require('./fixtures.json'));
const same = Object.keys(jwt).every((k) => named[k] === jwt[k]);
console.log(JSON.stringify({ at: import.meta.resolve('atlassian-jwt'), out, same }));
`);
  const want = new Function('module', `${battery}; return module.exports;`)({})(upstream, fixtures);
  assert.equal(want.exports.length, 14);
  assert.match(want['decodeSymmetric wrong secret'].threw, /Signature verification failed/);
  const byRequire = JSON.parse(execFileSync(process.execPath, ['by-require.cjs'], { cwd: dir, encoding: 'utf8' }));
  assert.equal(byRequire.at, join(realpathSync(dir), 'node_modules/atlassian-jwt/atlassian-jwt.cjs'));
  assert.deepEqual(byRequire.out, want);
  const byImport = JSON.parse(execFileSync(process.execPath, ['by-import.mjs'], { cwd: dir, encoding: 'utf8' }));
  assert.match(byImport.at, /\/node_modules\/atlassian-jwt\/atlassian-jwt\.mjs$/);
  assert.equal(byImport.same, true);
  assert.deepEqual(byImport.out, want);
});

// ---------------------------------------------------------------------------------------------
// atlassian-connect-express with the override (the README recipe). ACE's default store is
// sequelize on sqlite3, a native module whose binaries come from GitHub, which this machine
// cannot reach; ACE's public store.register() takes an adapter instead, so the app registers a
// small in-memory one (ACE's store interface: get/set/del/getAllClientInfos/saveInstallation).
// ---------------------------------------------------------------------------------------------
const ACE = { 'atlassian-connect-express': '11.5.3', express: '4.21.2' };
const CLIENT = { clientKey: 'jira:15489595', sharedSecret: 'ace-shared-secret-0123456789', baseUrl: 'https://acme.atlassian.net' };
const APP_BASE = 'https://app.example/addon';
const aceApp = `'use strict';
const express = require('express');
const ace = require('atlassian-connect-express');

class MemoryStore {
  constructor() { this.rows = new Map(); }
  async get(key, clientKey) { const v = this.rows.get(clientKey + ' ' + key); return v === undefined ? null : structuredClone(v); }
  async set(key, value, clientKey) { this.rows.set(clientKey + ' ' + key, structuredClone(value)); return value; }
  async del(key, clientKey) { this.rows.delete(clientKey + ' ' + key); }
  async getAllClientInfos() { return [...this.rows].filter(([k]) => k.endsWith(' clientInfo')).map(([, v]) => v); }
  async saveInstallation(value, clientKey) { return this.set('clientInfo', value, clientKey); }
  async getClientSettingsForForgeInstallation() { return null; }
  isMemoryStore() { return true; }
}
ace.store.register('test-memory', () => new MemoryStore());

const app = express();
app.set('env', 'production');
app.use(express.json());
app.use(express.urlencoded({ extended: false }));
const quiet = () => {};
const addon = ace(app, {}, { info: quiet, warn: quiet, error: (...a) => console.error('[ace]', ...a) }, async () => {
  await addon.settings.set('clientInfo', ${JSON.stringify(CLIENT)}, ${JSON.stringify(CLIENT.clientKey)});
  app.get('/addon/page', addon.authenticate(), (req, res) => {
    res.json({ clientKey: res.locals.clientKey, userAccountId: res.locals.userAccountId, token: res.locals.token });
  });
  const jwtPackage = require.resolve('atlassian-jwt/package.json', { paths: [require.resolve('atlassian-connect-express')] });
  const server = app.listen(0, '127.0.0.1', () => {
    console.log(JSON.stringify({ port: server.address().port, atlassianJwt: require(jwtPackage).version }));
  });
});
`;

async function installAce(t, dir) {
  try {
    await run('npm', ['install', '--no-audit', '--no-fund', '--omit=optional', '--prefer-offline'], { cwd: dir, timeout: 300_000 });
    return true;
  } catch (error) {
    const reachable = await run('npm', ['ping'], { timeout: 30_000 }).then(() => true, () => false);
    if (!reachable) {
      t.skip(`the npm registry cannot be reached, so atlassian-connect-express was not installed: ${error.message.split('\n')[0]}`);
      return false;
    }
    throw new Error(`npm install of atlassian-connect-express failed with the registry reachable:\n${error.stdout}${error.stderr}`);
  }
}

/** Starts the app and resolves to what it printed once listening. */
function start(dir, t) {
  const child = spawn(process.execPath, ['app.cjs'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_ENV: 'production' } });
  t.after(() => child.kill());
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the ACE app did not start in 30 s:\n${stderr}`)), 30_000);
    child.stdout.once('data', (d) => {
      clearTimeout(timer);
      resolve(JSON.parse(String(d).split('\n')[0]));
    });
    child.once('exit', (code) => reject(new Error(`the ACE app exited (${code}):\n${stderr}`)));
  });
}

test('atlassian-connect-express with "overrides": { "atlassian-jwt": "file:..." }: authenticate() accepts a product-signed request, refuses tampered ones', async (t) => {
  const dir = project('ace-app', { dependencies: ACE, overrides: { 'atlassian-jwt': 'file:vendor/atlassian-jwt.tgz' } });
  writeFileSync(join(dir, 'atlassian-connect.json'), JSON.stringify({ key: 'com.example.ace-app', name: 'ACE app', baseUrl: '{{localBaseUrl}}',
    authentication: { type: 'jwt' }, lifecycle: { installed: '/installed' }, modules: {} }));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ production: { localBaseUrl: APP_BASE, store: { adapter: 'test-memory' } } }));
  writeFileSync(join(dir, 'app.cjs'), aceApp);
  if (!(await installAce(t, dir))) return;
  // npm put the drop-in where ACE (and atlassian-oauth2, its other user) requires atlassian-jwt.
  const tree = JSON.parse(execFileSync('npm', ['ls', 'atlassian-jwt', '--all', '--json'], { cwd: dir, encoding: 'utf8' }));
  const versions = [];
  const walk = (deps = {}) => {
    for (const [name, d] of Object.entries(deps)) {
      if (name === 'atlassian-jwt') versions.push(d.version);
      walk(d.dependencies);
    }
  };
  walk(tree.dependencies);
  assert.ok(versions.length >= 1 && versions.every((v) => v === packed.version), `atlassian-jwt versions in the tree: ${versions}`);
  const installed = join(dir, 'node_modules/atlassian-jwt');
  assert.ok(readFileSync(join(installed, 'atlassian-jwt.cjs')).equals(readFileSync(join(built, 'atlassian-jwt.cjs'))));

  const { port, atlassianJwt } = await start(dir, t);
  assert.equal(atlassianJwt, packed.version);
  const now = Math.floor(Date.now() / 1000);
  const sign = (pathAndQuery, { secret = CLIENT.sharedSecret, iss = CLIENT.clientKey } = {}) => api.encodeJwt({
    iss, iat: now, exp: now + 180, sub: '557058:ace-user', qsh: api.createQsh('GET', `${APP_BASE}${pathAndQuery}`, { baseUrl: APP_BASE }),
  }, secret);
  const get = async (pathAndQuery, token) => {
    const res = await fetch(`http://127.0.0.1:${port}/addon${pathAndQuery}`, { headers: { authorization: `JWT ${token}`, accept: 'application/json' } });
    return { status: res.status, body: await res.json(), acpt: res.headers.get('x-acpt') };
  };

  const ok = await get('/page?b=2&a=1', sign('/page?b=2&a=1'));
  assert.equal(ok.status, 200, JSON.stringify(ok.body));
  assert.equal(ok.body.clientKey, CLIENT.clientKey);
  assert.equal(ok.body.userAccountId, '557058:ace-user');
  // ACE's session token, made by the drop-in's encodeSymmetric, verifies with atlassian-jwt 2.0.3.
  const session = upstream.decodeSymmetric(ok.acpt, CLIENT.sharedSecret, 'HS256');
  assert.deepEqual([session.iss, session.sub, session.aud], ['com.example.ace-app', '557058:ace-user', [CLIENT.clientKey]]);

  // Query names sorted by their encoded form (%C3%A9 before z), as the products hash them; npm
  // atlassian-jwt sorts them decoded and would answer 401 here, so ACE runs on the drop-in.
  const accented = '/page?z=1&%C3%A9t%C3%A9=2';
  const upstreamQsh = upstream.createQueryStringHash(upstream.fromMethodAndUrl('GET', `/addon${accented}`), false, APP_BASE);
  assert.notEqual(upstreamQsh, api.createQsh('GET', `${APP_BASE}${accented}`, { baseUrl: APP_BASE }));
  const server = await get(accented, sign(accented));
  assert.equal(server.status, 200, JSON.stringify(server.body));

  const token = sign('/page?b=2&a=1');
  const refusals = [
    ['query changed after signing', await get('/page?b=3&a=1', token), 401, /query hash does not match/],
    ['signature changed', await get('/page?b=2&a=1', `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`), 400,
      /Unable to decodeSymmetric JWT token: Error: Signature verification failed/],
    ['signed with another secret', await get('/page?b=2&a=1', sign('/page?b=2&a=1', { secret: 'another-secret' })), 400,
      /Signature verification failed/],
    ['unknown client', await get('/page?b=2&a=1', sign('/page?b=2&a=1', { iss: 'jira:unknown' })), 401, /Could not find stored client data for jira:unknown/],
  ];
  for (const [what, res, status, message] of refusals) {
    assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
    assert.match(res.body.message, message, what);
  }
});
