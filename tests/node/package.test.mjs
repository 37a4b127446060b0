// The package as npm publishes it: `npm pack` of pkg/ into a temp dir, its file list and
// metadata (the npm page), then the tarball installed into a temp project where TypeScript
// (module node16 and node10) compiles a CommonJS file and an ES module against it, and Node
// runs what tsc emitted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './helpers.mjs';

const npm = (args, cwd) => JSON.parse(execFileSync('npm', [...args, '--json'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }));
const work = mkdtempSync(join(tmpdir(), 'atlassian-sign-pack-'));
test.after(() => rmSync(work, { recursive: true, force: true }));

const [packed] = npm(['pack', join(root, 'pkg'), '--pack-destination', work], work);
const tarball = join(work, packed.filename);
const files = new Set(packed.files.map((f) => f.path));
const manifest = JSON.parse(readFileSync(join(root, 'pkg', 'package.json'), 'utf8'));

/** Every file path an exports map names, whatever the nesting of conditions. */
function targets(node) {
  if (typeof node === 'string') return [node.replace(/^\.\//, '')];
  return Object.values(node).flatMap(targets);
}

test('the tarball has the README and the Apache-2.0 licence of the repository', () => {
  assert.ok(files.has('README.md'), `README.md missing from ${[...files].join(', ')}`);
  assert.ok(files.has('LICENSE'), 'LICENSE missing from the tarball');
  const packedFile = (f) => execFileSync('tar', ['-xOzf', tarball, `package/${f}`], { encoding: 'utf8' });
  assert.equal(packedFile('README.md'), readFileSync(join(root, 'README.md'), 'utf8'), 'the packed README.md is not the repository README');
  assert.equal(packedFile('LICENSE'), readFileSync(join(root, 'LICENSE'), 'utf8'));
  assert.match(packedFile('LICENSE'), /Apache License\s+Version 2\.0, January 2004/);
  assert.equal(manifest.license, 'Apache-2.0');
});

test('the tarball holds every file the exports map, main, types and bin name, and no build leftovers', () => {
  const named = [...targets(manifest.exports), manifest.main, manifest.types, manifest.module, ...Object.values(manifest.bin)]
    .map((p) => p.replace(/^\.\//, ''));
  for (const p of named) assert.ok(files.has(p), `${p} is named by package.json but not packed`);
  for (const p of ['web/atlassian_sign_bg.wasm', 'node/atlassian_sign.js', 'web/atlassian_sign.js', 'web.d.ts']) {
    assert.ok(files.has(p), `${p} not packed`);
  }
  // Each .d.ts source has its CommonJS and Node-ESM twin.
  for (const p of [...files].filter((f) => /^[^/]+\.d\.ts$/.test(f) && f !== 'web.d.ts')) {
    for (const twin of [p.replace(/\.d\.ts$/, '.d.cts'), p.replace(/\.d\.ts$/, '.d.mts')]) assert.ok(files.has(twin), `${twin} not packed`);
  }
  const stray = [...files].filter((f) => /\.tgz$|^(exports|sizes)\.json$|^src\/|^entries\/|\.test\./.test(f));
  assert.deepEqual(stray, []);
});

test('package.json has what the npm page shows: repository, homepage, bugs, keywords', () => {
  assert.equal(manifest.repository.type, 'git');
  assert.match(manifest.repository.url, /^git\+https:\/\/github\.com\/atlassian-sign\/atlassian-sign\.git$/);
  assert.equal(manifest.homepage, 'https://github.com/atlassian-sign/atlassian-sign#readme');
  assert.equal(manifest.bugs.url, 'https://github.com/atlassian-sign/atlassian-sign/issues');
  for (const k of ['atlassian', 'jira', 'confluence', 'connect', 'jwt', 'qsh', 'oauth', 'forge', 'atlassian-jwt']) {
    assert.ok(manifest.keywords.includes(k), `keyword ${k} missing`);
  }
  // What npm itself reads from the tarball (npm pack --json reports the packed manifest's name and version).
  assert.equal(packed.name, 'atlassian-sign');
  assert.equal(packed.version, manifest.version);
});

// ---------------------------------------------------------------------------------------------
// TypeScript against the installed tarball.
// ---------------------------------------------------------------------------------------------
const project = join(work, 'ts-project');
mkdirSync(project);
writeFileSync(join(project, 'package.json'), '{ "name": "ts-consumer", "private": true, "type": "commonjs" }\n');
execFileSync('npm', ['install', tarball, '--no-audit', '--no-fund', '--offline', '--no-package-lock'], { cwd: project, stdio: 'ignore' });
const tsc = (config) => {
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify(config, null, 2));
  try {
    return execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', project], { cwd: project, encoding: 'utf8' });
  } catch (e) {
    throw new Error(`tsc failed:\n${e.stdout}${e.stderr}`);
  }
};
const compilerOptions = { strict: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false, outDir: 'out' };
const sha256 = (s) => createHash('sha256').update(s).digest('hex');
const expectedQsh = sha256('GET&/rest/api/2/project&a=1&b=2');

test('module node16: a CommonJS .cts file requires every entry with types and runs', () => {
  writeFileSync(join(project, 'consumer.cts'), `
import sign = require('atlassian-sign');
import { createQsh } from 'atlassian-sign';
import middleware = require('atlassian-sign/middleware');
import jwt = require('atlassian-sign/atlassian-jwt');
import web = require('atlassian-sign/web');

const qsh: string = createQsh('GET', '/rest/api/2/project?b=2&a=1');
const same: string = sign.createCanonicalRequest('GET', '/rest/api/2/project?b=2&a=1');
const req = jwt.fromMethodAndUrl('GET', '/rest/api/2/project?b=2&a=1');
const viaDropIn: string = jwt.createQueryStringHash(req);
const alg: jwt.SymmetricAlgorithm = jwt.SymmetricAlgorithm.HS256;
const token: string = jwt.encodeSymmetric({ iss: 'x', qsh }, 'secret', alg);
const mw: (req: middleware.ConnectRequestLike, res: middleware.ConnectResponseLike, next: () => void) => Promise<void> =
  middleware.connectMiddleware({ baseUrl: 'https://app.example', sharedSecret: () => 'secret' });
// module.exports has no default property, and the types say so.
// @ts-expect-error -- CommonJS entries have no default export
const noDefault = sign.default;
console.log(JSON.stringify({ qsh, same, viaDropIn, token: token.split('.').length, web: web.createQsh === sign.createQsh,
  mw: typeof mw, noDefault: typeof noDefault }));
`);
  tsc({ compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' }, files: ['consumer.cts'] });
  const out = JSON.parse(execFileSync(process.execPath, [join(project, 'out/consumer.cjs')], { encoding: 'utf8' }));
  assert.deepEqual(out, { qsh: expectedQsh, same: 'GET&/rest/api/2/project&a=1&b=2', viaDropIn: expectedQsh, token: 3, web: true,
    mw: 'function', noDefault: 'undefined' });
});

test('module node16: an ES module .mts file imports every entry (named and default) with types and runs', () => {
  writeFileSync(join(project, 'consumer.mts'), `
import sign, { createQsh, type ErrorCode } from 'atlassian-sign';
import jwt, { fromMethodAndUrl, createQueryStringHash } from 'atlassian-sign/atlassian-jwt';
import middleware, { connectMiddleware } from 'atlassian-sign/middleware';
import * as web from 'atlassian-sign/web';

const qsh: string = createQsh('GET', '/rest/api/2/project?b=2&a=1');
const viaDefault: string = sign.createQsh('GET', '/rest/api/2/project?a=1&b=2');
const viaDropIn: string = createQueryStringHash(fromMethodAndUrl('GET', '/rest/api/2/project?b=2&a=1'));
const dropInDefault: string = jwt.createCanonicalRequest(jwt.fromMethodAndUrl('GET', '/rest/api/2/project?b=2&a=1'));
const code: ErrorCode = 'ERR_QSH_MISMATCH';
const same: boolean = middleware.connectMiddleware === connectMiddleware;
const init: () => Promise<void> = web.init;
// Node's import of the browser entry is the Node build: init() resolves, no .wasm is fetched.
await web.init();
const viaWeb: string = web.createQsh('GET', '/rest/api/2/project?b=2&a=1');
console.log(JSON.stringify({ qsh, viaDefault, viaDropIn, dropInDefault, code, same, init: typeof init, viaWeb }));
`);
  tsc({ compilerOptions: { ...compilerOptions, module: 'node16', moduleResolution: 'node16' }, files: ['consumer.mts'] });
  const out = JSON.parse(execFileSync(process.execPath, [join(project, 'out/consumer.mjs')], { encoding: 'utf8' }));
  assert.deepEqual(out, { qsh: expectedQsh, viaDefault: expectedQsh, viaDropIn: expectedQsh,
    dropInDefault: 'GET&/rest/api/2/project&a=1&b=2', code: 'ERR_QSH_MISMATCH', same: true, init: 'function',
    viaWeb: expectedQsh });
});

test('moduleResolution node10 (no exports map): every entry, atlassian-sign/web included, has types', () => {
  writeFileSync(join(project, 'legacy.ts'), `
import { createQsh } from 'atlassian-sign';
import { init, createCanonicalRequest } from 'atlassian-sign/web';
import { connectMiddleware } from 'atlassian-sign/middleware';
import { encodeSymmetric, SymmetricAlgorithm } from 'atlassian-sign/atlassian-jwt';
export const used: [string, () => Promise<void>, typeof createCanonicalRequest, typeof connectMiddleware, string] =
  [createQsh('GET', '/x'), init, createCanonicalRequest, connectMiddleware, encodeSymmetric({}, 's', SymmetricAlgorithm.HS256)];
`);
  tsc({ compilerOptions: { ...compilerOptions, module: 'commonjs', moduleResolution: 'node10', noImplicitAny: true, noEmit: true },
    files: ['legacy.ts'] });
});
