#!/usr/bin/env node
// Builds pkg/: the publishable npm package `atlassian-sign`.
//   cargo (wasm32, release) -> wasm-bindgen (nodejs + web targets) -> wasm-opt -Oz
//   -> pkg-template/ copied in -> esbuild bundles pkg-template/src (ES modules) into the CJS,
//   ESM and browser entry points.
// --if-needed skips the build when pkg/ is newer than every input.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { writeDeclarations } from './declarations.mjs';
import { patchGlue } from './glue-patches.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const finalPkg = join(root, 'pkg');
// Built aside and renamed into place at the end, so a concurrent build or a test run never
// sees a half-written pkg/.
const pkg = join(root, `.pkg-building-${process.pid}`);
const say = (m) => process.stderr.write(`[build] ${m}\n`);

function newest(path) {
  if (!existsSync(path)) return 0;
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return Math.max(s.mtimeMs, ...readdirSync(path).map((f) => newest(join(path, f))));
}

if (process.argv.includes('--if-needed')) {
  const inputs = ['src', 'crates', 'pkg-template', 'Cargo.toml', 'Cargo.lock', 'scripts/build.mjs', 'scripts/glue-patches.mjs', '.cargo',
    'scripts/declarations.mjs', 'scripts/build-atlassian-jwt.mjs', 'README.md', 'LICENSE'];
  const built = existsSync(join(finalPkg, 'package.json')) ? statSync(join(finalPkg, 'package.json')).mtimeMs : 0;
  if (built && inputs.every((i) => newest(join(root, i)) < built)) {
    say('pkg/ is up to date');
    // The single-file page also depends on www/, which the package does not.
    execFileSync(process.execPath, [join(root, 'scripts/build-single.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    process.exit(0);
  }
}


const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
const bin = (name) => join(root, 'node_modules', '.bin', name);

say('cargo build (wasm32-unknown-unknown, release)');
// Source paths in panic locations are written relative (crates/..., ./src/...): the same bytes
// on every machine, no home directory in the package, and a few KB less. Cargo appends these
// to the rustflags of .cargo/config.toml.
const cargoHome = process.env.CARGO_HOME || join(homedir(), '.cargo');
const remap = [`--remap-path-prefix=${join(cargoHome, 'registry', 'src')}=crates`, `--remap-path-prefix=${root}=.`];
run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'atlassian-sign-wasm', '--lib',
  '--config', `target.wasm32-unknown-unknown.rustflags=${JSON.stringify(remap)}`]);
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
// A private copy of cargo's output, so a concurrent cargo build cannot change it under us.
const wasmIn = join(pkg, 'atlassian_sign.wasm');
// The bindings crate (crates/wasm) is the cdylib; the module keeps the package's name.
cpSync(join(root, 'target/wasm32-unknown-unknown/release/atlassian_sign_wasm.wasm'), wasmIn);
// Features rustc enables by default for wasm32-unknown-unknown, and SIMD (.cargo/config.toml
// turns on simd128: sha2's wasm SIMD backend); wasm-opt must allow them.
const features = ['--enable-simd', '--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-multivalue'];
for (const target of ['nodejs', 'web']) {
  const out = join(pkg, target === 'nodejs' ? 'node' : 'web');
  say(`wasm-bindgen --target ${target}`);
  run('wasm-bindgen', ['--target', target, '--out-dir', out, '--out-name', 'atlassian_sign', wasmIn]);
  // wasm-bindgen's own .d.ts types every JsValue as `any`; the package ships hand-written types.
  for (const f of ['atlassian_sign.d.ts', 'atlassian_sign_bg.wasm.d.ts']) rmSync(join(out, f), { force: true });
  if (target === 'nodejs') writeFileSync(join(out, 'package.json'), '{ "type": "commonjs" }\n');
}
// One .wasm for both entries: wasm-bindgen emits the same module for both targets, so the
// Node glue loads the web copy instead of the package shipping it twice.
const [nodeWasm, webWasm] = ['node', 'web'].map((t) => join(pkg, t, 'atlassian_sign_bg.wasm'));
if (!readFileSync(nodeWasm).equals(readFileSync(webWasm))) throw new Error('the nodejs and web targets produced different .wasm files');
rmSync(nodeWasm);
run(bin('wasm-opt'), ['-Oz', '--strip-debug', '--strip-producers', ...features, webWasm, '-o', webWasm]);
// wasm-bindgen's glue, patched in one documented place (scripts/glue-patches.mjs).
patchGlue(pkg);
rmSync(wasmIn);
// pkg-template/ minus the JavaScript sources, which esbuild bundles into the entry points.
cpSync(join(root, 'pkg-template'), pkg, {
  recursive: true,
  filter: (src) => !/[\\/]pkg-template[\\/](src|entries)([\\/]|$)/.test(src),
});
// The npm page: the repository's README and licence (npm adds them to the tarball only when
// they are in the package directory, whatever `files` says).
for (const f of ['README.md', 'LICENSE']) cpSync(join(root, f), join(pkg, f));

// The JavaScript: ES modules in pkg-template/src/, one entry per output in
// pkg-template/entries/. The package's own outputs (the wasm-bindgen glue, index.cjs, web.js)
// stay external, so each entry point shares one WebAssembly instance.
const esbuild = createRequire(import.meta.url)('esbuild');
const entry = (name) => join(root, 'pkg-template', 'entries', name);
const common = {
  bundle: true, logLevel: 'warning', target: 'es2020', charset: 'utf8', legalComments: 'none',
  external: ['./node/atlassian_sign.js', './web/atlassian_sign.js', './index.cjs', './web.js', 'node:crypto'],
};
esbuild.buildSync({ ...common, entryPoints: [entry('node.cjs')], outfile: join(pkg, 'index.cjs'), format: 'cjs', platform: 'node',
  banner: { js: "'use strict';\n// Built by scripts/build.mjs from pkg-template/; do not edit." } });
// The browser entries are minified (a page downloads them; names kept for stack traces and
// error classes): web.js 26.9 -> 20.7 KB gzipped (the paste parser moved into it from the wasm).
const browser = { minify: true, keepNames: true };
esbuild.buildSync({ ...common, ...browser, entryPoints: [entry('web.js')], outfile: join(pkg, 'web.js'), format: 'esm', platform: 'browser',
  banner: { js: '// Built by scripts/build.mjs from pkg-template/; do not edit.' } });
esbuild.buildSync({ ...common, entryPoints: [entry('atlassian-jwt.node.cjs')], outfile: join(pkg, 'atlassian-jwt.cjs'), format: 'cjs', platform: 'node',
  banner: { js: "'use strict';\n// Built by scripts/build.mjs from pkg-template/; do not edit." } });
esbuild.buildSync({ ...common, ...browser, entryPoints: [entry('atlassian-jwt.web.js')], outfile: join(pkg, 'atlassian-jwt.web.js'), format: 'esm', platform: 'browser',
  banner: { js: '// Built by scripts/build.mjs from pkg-template/; do not edit.' } });
// atlassian-sign/middleware: Node only, over index.cjs.
esbuild.buildSync({ ...common, entryPoints: [entry('middleware.node.cjs')], outfile: join(pkg, 'middleware.cjs'), format: 'cjs', platform: 'node',
  banner: { js: "'use strict';\n// Built by scripts/build.mjs from pkg-template/; do not edit." } });

// Node ESM entries re-export the CommonJS instance by name (one instance for require and import).
const header = '// Built by scripts/build.mjs; do not edit.\n';
const requireHere = createRequire(import.meta.url);
const reexport = (cjs, out) => {
  const names = Object.keys(requireHere(join(pkg, cjs))).filter((n) => n !== 'default').sort();
  writeFileSync(join(pkg, out), header + `import api from './${cjs}';\n` +
    names.map((n) => `export const ${n} = api.${n};\n`).join('') + 'export default api;\n');
  return names;
};
const names = reexport('index.cjs', 'index.mjs');
const jwtNames = reexport('atlassian-jwt.cjs', 'atlassian-jwt.mjs');
reexport('middleware.cjs', 'middleware.mjs');
// Declarations per module system (.d.cts for require, .d.mts for Node import), from the one
// set of sources; web.d.ts gives `atlassian-sign/web` types where exports maps are ignored.
writeDeclarations(pkg);
writeFileSync(join(pkg, 'web.d.ts'), "// Built by scripts/build.mjs; do not edit.\nexport * from './index.js';\n");
// The browser entries must export the same names as the Node ones.
const webNames = async (file) => Object.keys(await import(join(pkg, file))).filter((n) => n !== 'default').sort();
for (const [file, want] of [['web.js', names], ['atlassian-jwt.web.js', jwtNames]]) {
  const got = await webNames(file);
  if (got.join() !== want.join()) throw new Error(`${file} exports ${got} but the Node entry exports ${want}`);
}
writeFileSync(join(pkg, 'exports.json'), JSON.stringify({ node: names, web: names }, null, 2) + '\n');

const sizes = {};
for (const f of readdirSync(join(pkg, 'web')).filter((f) => f.endsWith('.wasm'))) {
  const bytes = readFileSync(join(pkg, 'web', f));
  sizes[f] = { bytes: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
}
const wasmBytes = sizes['atlassian_sign_bg.wasm'];
writeFileSync(join(pkg, 'sizes.json'), JSON.stringify(sizes, null, 2) + '\n');
rmSync(finalPkg, { recursive: true, force: true });
renameSync(pkg, finalPkg);
// The calculator as one self-contained HTML file (dist/atlassian-sign.html).
run(process.execPath, [join(root, 'scripts/build-single.mjs')]);
// The atlassian-jwt drop-in as a package of its own (dist/atlassian-jwt/).
run(process.execPath, [join(root, 'scripts/build-atlassian-jwt.mjs')]);
say(`done: ${names.length} exports; wasm ${wasmBytes.bytes} B, ${wasmBytes.gzip} B gzipped (one module for Node and browsers)`);
