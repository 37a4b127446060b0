// The CLI, run for real: through `node pkg/bin/atlassian-sign.cjs` and through `npx` from a
// packed tarball installed into a temporary project.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { root, vector, require } from './helpers.mjs';

const api = require('../../pkg/index.cjs');
const bin = join(root, 'pkg/bin/atlassian-sign.cjs');
const key = vector('oauth-cases.json').test_key;
const tmp = mkdtempSync(join(tmpdir(), 'atlassian-sign-cli-'));
const keyFile = join(tmp, 'key.pem');
writeFileSync(keyFile, key.private_pkcs8_pem);
const run = (args, opts = {}) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH, ...opts.env }, input: opts.input });

test('qsh, canonical, --json, --help, exit codes', () => {
  const url = 'https://acme.atlassian.net/wiki/rest/api/space?limit=5&type=global';
  const canonical = 'GET&/rest/api/space&limit=5&type=global';
  let r = run(['qsh', 'GET', url, '--base-url', 'https://acme.atlassian.net/wiki']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), createHash('sha256').update(canonical).digest('hex'));
  r = run(['canonical', 'get', url, '--base-url', 'https://acme.atlassian.net/wiki', '--json']);
  assert.deepEqual(JSON.parse(r.stdout), { canonicalRequest: canonical, qsh: createHash('sha256').update(canonical).digest('hex') });
  for (const cmd of [[], ['qsh'], ['canonical'], ['connect-token'], ['jwt'], ['jwt', 'verify'], ['oauth'], ['oauth', 'sign'], ['keygen'], ['explain']]) {
    r = run([...cmd, '--help']);
    assert.equal(r.status, 0, `${cmd.join(' ')} --help: ${r.stderr}`);
    assert.match(r.stdout, /atlassian-sign/);
  }
  r = run(['qsh', 'GET']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /expected <METHOD> <URL>/);
  r = run(['qsh', 'GET', 'not a url']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /ERR_INVALID_URL/);
  r = run(['frobnicate']);
  assert.equal(r.status, 2);
});

test('connect-token: secret from env, file or flag, never printed', () => {
  const secretFile = join(tmp, 'secret');
  writeFileSync(secretFile, 'top-secret-value\n');
  for (const [args, env] of [[['--secret-file', secretFile], {}], [[], { ATLASSIAN_SHARED_SECRET: 'top-secret-value' }], [['--secret', 'top-secret-value'], {}]]) {
    const r = run(['connect-token', '--product', 'jira', '--url', '/rest/api/2/myself', '--base-url', 'https://acme.atlassian.net', '--app-key', 'com.acme', ...args], { env });
    assert.equal(r.status, 0, r.stderr);
    assert.ok(!r.stdout.includes('top-secret-value'));
    const token = r.stdout.match(/Authorization: JWT (\S+)/)[1];
    api.verifyJwt(token, 'top-secret-value', { algorithms: ['HS256'], issuer: 'com.acme', qsh: { method: 'GET', url: 'https://acme.atlassian.net/rest/api/2/myself' } });
    assert.match(r.stdout, /curl -X GET -H 'Authorization: JWT .+' 'https:\/\/acme.atlassian.net\/rest\/api\/2\/myself'/);
  }
  const z = run(['connect-token', '--product', 'zephyr', '--url', '/public/rest/api/1.0/cycles/search?projectId=1', '--access-key', 'AK', '--account-id', 'acc', '--secret', 's', '--json']);
  const t = JSON.parse(z.stdout);
  assert.equal(t.headers.zapiAccessKey, 'AK');
  assert.equal(t.canonicalRequest, 'GET&/public/rest/api/1.0/cycles/search&projectId=1');
  const missing = run(['connect-token', '--url', '/x', '--app-key', 'k']);
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /ATLASSIAN_SHARED_SECRET/);
});

test('jwt decode / verify / encode, stdin, exit 1 on a failed verification', () => {
  let r = run(['jwt', 'encode', '--claims', '{"iss":"app","exp":4102444800}', '--secret', 's']);
  const token = r.stdout.trim();
  r = run(['jwt', 'decode', '-'], { input: `JWT ${token}\n` });
  assert.equal(r.status, 0);
  assert.match(r.stdout, /iss: "app"/);
  assert.match(r.stdout, /2100-01-01T00:00:00.000Z/);
  r = run(['jwt', 'verify', token, '--alg', 'HS256', '--secret', 's', '--issuer', 'app', '--json']);
  assert.equal(r.status, 0);
  assert.deepEqual(JSON.parse(r.stdout).payload, { iss: 'app', exp: 4102444800 });
  r = run(['jwt', 'verify', token, '--alg', 'HS256', '--secret', 'wrong']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERR_JWT_SIGNATURE_INVALID/);
  r = run(['jwt', 'verify', token, '--alg', 'RS256', '--key-file', keyFile]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /ERR_JWT_ALG_NOT_ALLOWED/);
  r = run(['jwt', 'verify', token, '--secret', 's']);
  assert.equal(r.status, 2);
  const rs = run(['jwt', 'encode', '--claims', '-', '--key-file', keyFile, '--kid', 'k1'], { input: '{"a":1}' }).stdout.trim();
  assert.deepEqual(api.verifyJwt(rs, key.public_spki_pem, { algorithms: ['RS256'] }), { a: 1 });
});

test('oauth sign reproduces a vector; the three-legged flow prints the next step', () => {
  const c = vector('oauth-cases.json').cases.find((x) => x.by_method['RSA-SHA1'] && !x.request.body);
  const m = c.by_method['RSA-SHA1'];
  const r = run(['oauth', 'sign', '--method', c.request.method, '--url', c.request.url, '--consumer-key', c.credentials.consumer_key,
    '--key-file', keyFile, '--token', c.credentials.token, '--nonce', c.credentials.nonce, '--timestamp', c.credentials.timestamp, '--json']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.baseString, m.signature_base_string);
  assert.equal(s.signature, m.signature);
  const text = run(['oauth', 'sign', '--url', c.request.url, '--consumer-key', 'ck', '--key-file', keyFile]).stdout;
  assert.match(text, /^Authorization: OAuth /);
  assert.match(text, /signature base string:\nGET&https%3A%2F%2F/);
  assert.match(text, /curl -X GET -H 'Authorization: OAuth /);
  const rt = run(['oauth', 'request-token', '--base-url', 'https://jira.example.com', '--consumer-key', 'ck', '--key-file', keyFile]);
  assert.equal(rt.status, 0, rt.stderr);
  assert.match(rt.stdout, /curl -X POST .*https:\/\/jira.example.com\/plugins\/servlet\/oauth\/request-token/);
  assert.match(rt.stdout, /oauth_callback="oob"/);
  assert.match(rt.stdout, /next: .*authorize-url/);
  const au = run(['oauth', 'authorize-url', '--base-url', 'https://jira.example.com/', '--token', 'REQ']);
  assert.match(au.stdout, /^https:\/\/jira.example.com\/plugins\/servlet\/oauth\/authorize\?oauth_token=REQ/);
  const at = run(['oauth', 'access-token', '--base-url', 'https://jira.example.com', '--consumer-key', 'ck', '--key-file', keyFile, '--token', 'REQ', '--verifier', 'V1']);
  assert.equal(at.status, 0, at.stderr);
  assert.match(at.stdout, /oauth_verifier="V1"/);
  const noKey = run(['oauth', 'sign', '--url', 'https://x/y', '--consumer-key', 'ck']);
  assert.equal(noKey.status, 2);
});

test('keygen writes a private key (0600) and the SPKI public key; explain reads stdin', () => {
  const prefix = join(tmp, 'applink');
  const r = run(['keygen', '--out', prefix]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(statSync(`${prefix}.pem`).mode & 0o777, 0o600);
  const pub = readFileSync(`${prefix}.pub.pem`, 'utf8');
  assert.match(pub, /^-----BEGIN PUBLIC KEY-----/);
  assert.equal(api.exportPublicKey(readFileSync(`${prefix}.pem`, 'utf8')).publicKey, pub);
  assert.equal(run(['keygen', '--out', prefix]).status, 2, 'refuses to overwrite');
  const site = 'https://acme.atlassian.net';
  const expected = api.createQsh('GET', `${site}/wiki/rest/api/space`, { baseUrl: `${site}/wiki` });
  const actual = createHash('sha256').update('GET&/wiki/rest/api/space&').digest('hex');
  const e = run(['explain', '--message', '-', '--url', `${site}/wiki/rest/api/space`, '--base-url', `${site}/wiki`],
    { input: `Expecting claim 'qsh' to have value '${expected}' but instead it has the value '${actual}'` });
  assert.equal(e.status, 0, e.stderr);
  assert.match(e.stdout, /cause: BASE_PATH_NOT_STRIPPED/);
  assert.match(e.stdout, /you signed: {2}\/wiki\/rest\/api\/space/);
});

test('npx atlassian-sign from a packed tarball', { timeout: 120000 }, () => {
  const packDir = mkdtempSync(join(tmpdir(), 'atlassian-sign-pack-'));
  const out = execFileSync('npm', ['pack', join(root, 'pkg'), '--pack-destination', packDir, '--json'], { encoding: 'utf8' });
  const tarball = join(packDir, JSON.parse(out)[0].filename);
  const files = JSON.parse(out)[0].files.map((f) => f.path);
  for (const f of ['index.cjs', 'index.mjs', 'index.d.ts', 'web.js', 'bin/atlassian-sign.cjs', 'node/atlassian_sign.js', 'web/atlassian_sign_bg.wasm', 'atlassian-jwt.cjs', 'atlassian-jwt.web.js', 'middleware.cjs']) assert.ok(files.includes(f), `${f} is packed`);
  assert.deepEqual(files.filter((f) => f.endsWith('.wasm')), ['web/atlassian_sign_bg.wasm'], 'one .wasm serves Node and browsers');
  const proj = join(packDir, 'app');
  execFileSync('mkdir', ['-p', proj]);
  writeFileSync(join(proj, 'package.json'), '{"name":"app","private":true}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', tarball], { cwd: proj, encoding: 'utf8' });
  const r = spawnSync('npx', ['--no-install', 'atlassian-sign', 'qsh', 'GET', '/rest/api/2/project'], { cwd: proj, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '376b86be226be6ed221f7a5c1ff9bafdf495036773264e22822dbff68e8aeafa');
  // The installed package resolves through its exports map in both module systems.
  const cjs = execFileSync(process.execPath, ['-e', "console.log(require('atlassian-sign').createQsh('GET','/rest/api/2/project'))"], { cwd: proj, encoding: 'utf8' });
  const esm = execFileSync(process.execPath, ['--input-type=module', '-e', "import { createQsh } from 'atlassian-sign'; console.log(createQsh('GET','/rest/api/2/project'))"], { cwd: proj, encoding: 'utf8' });
  assert.equal(cjs, esm);
  rmSync(packDir, { recursive: true, force: true });
});

test('explain reads a pasted exchange (HAR, curl -v, raw HTTP) and never prints a secret', () => {
  const dir = join(root, 'tests', 'explain-corpus');
  const index = JSON.parse(readFileSync(join(dir, 'pastes', 'index.json'), 'utf8'));
  const corpus = JSON.parse(readFileSync(join(dir, 'corpus.json'), 'utf8'));
  const flags = { HAR: '--har', 'curl -v': '--curl', 'raw HTTP': '--exchange' };
  for (const p of index.entries) {
    const entry = corpus.entries.find((e) => e.id === p.entry);
    const args = ['explain', flags[p.form], join(dir, p.file), '--json'];
    if (p.harEntry !== undefined) args.push('--entry', String(p.harEntry));
    const c = entry.input.credentials ?? {};
    if (c.sharedSecret) args.push('--shared-secret', c.sharedSecret);
    if (c.appKey) args.push('--app-key', c.appKey);
    if (entry.input.baseUrl) args.push('--base-url', entry.input.baseUrl);
    const r = run(args);
    assert.equal(r.status, 0, r.stderr);
    const e = JSON.parse(r.stdout);
    assert.ok(e.summary.length > 0 && e.fix.length > 0, p.file);
    if (c.sharedSecret) assert.ok(!r.stdout.includes(c.sharedSecret), `${p.file}: the secret is printed`);
  }
  const bad = run(['explain', '--har', join(dir, 'pastes', 'index.json'), '--entry', 'x']);
  assert.equal(bad.status, 2);
});
