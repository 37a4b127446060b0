#!/usr/bin/env node
// Builds pkg/: the publishable npm package `atlassian-sign`.
//   cargo (wasm32, release) -> wasm-bindgen (nodejs + web targets) -> wasm-opt -Oz
//   -> pkg-template/ copied in -> ESM/CJS/web entry points generated from the export list.
// --if-needed skips the build when pkg/ is newer than every input.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

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
  const inputs = ['src', 'crates', 'pkg-template', 'Cargo.toml', 'Cargo.lock', 'scripts/build.mjs', '.cargo'];
  const built = existsSync(join(finalPkg, 'package.json')) ? statSync(join(finalPkg, 'package.json')).mtimeMs : 0;
  if (built && inputs.every((i) => newest(join(root, i)) < built)) {
    say('pkg/ is up to date');
    // The single-file page also depends on www/, which the package does not.
    execFileSync(process.execPath, [join(root, 'scripts/build-single.mjs')], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    process.exit(0);
  }
}

function patch(file, from, to) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file}: the text to patch was not found (wasm-bindgen output changed?): ${from}`);
  writeFileSync(file, text.replace(from, to));
}

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
const bin = (name) => join(root, 'node_modules', '.bin', name);

say('cargo build (wasm32-unknown-unknown, release)');
run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '--lib']);
rmSync(pkg, { recursive: true, force: true });
mkdirSync(pkg);
// A private copy of cargo's output, so a concurrent cargo build cannot change it under us.
const wasmIn = join(pkg, 'atlassian_sign.wasm');
cpSync(join(root, 'target/wasm32-unknown-unknown/release/atlassian_sign.wasm'), wasmIn);
// Features rustc enables by default for wasm32-unknown-unknown; wasm-opt must allow them.
const features = ['--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals',
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
patch(join(pkg, 'node', 'atlassian_sign.js'), 'const wasmPath = `${__dirname}/atlassian_sign_bg.wasm`;',
  "const wasmPath = require('path').join(__dirname, '..', 'web', 'atlassian_sign_bg.wasm');");

// Strings cross into wasm through wasm-bindgen's `passStringToWasm0`, which copies ASCII one
// charCodeAt at a time and calls TextEncoder.encodeInto only after a non-ASCII character. For
// a URL, a JWT or claims JSON (100-1000 characters) encodeInto alone is 3-5x faster in Node 20
// and Chromium (bench/README note in BENCHMARKS.md), so longer strings take it directly. The
// buffer is sized for the worst case (3 bytes per UTF-16 unit) and shrunk to what was written.
for (const t of ['node', 'web']) {
  patch(join(pkg, t, 'atlassian_sign.js'), `    let len = arg.length;
    let ptr = malloc(len, 1) >>> 0;
`, `    let len = arg.length;
    if (len > 32) {
        const max = len * 3;
        const at = malloc(max, 1) >>> 0;
        const { written } = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(at, at + max));
        WASM_VECTOR_LEN = written;
        return realloc(at, max, written, 1) >>> 0;
    }
    let ptr = malloc(len, 1) >>> 0;
`);
}
// Node: strings out of wasm through Buffer#toString (60-70 ns less per string than TextDecoder
// in Node 20; both keep a BOM, and Rust strings are valid UTF-8, so `fatal` never applied).
patch(join(pkg, 'node', 'atlassian_sign.js'), `function decodeText(ptr, len) {
    return cachedTextDecoder.decode(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}`, `let cachedBufferMemory0 = null;
function decodeText(ptr, len) {
    if (cachedBufferMemory0 === null || cachedBufferMemory0.byteLength === 0) {
        cachedBufferMemory0 = Buffer.from(wasm.memory.buffer);
    }
    return cachedBufferMemory0.toString('utf8', ptr, ptr + len);
}`);
rmSync(wasmIn);
cpSync(join(root, 'pkg-template'), pkg, { recursive: true });
const facadeBody = readFileSync(join(root, 'pkg-template', 'facade.js'), 'utf8');
rmSync(join(pkg, 'facade.js'));
writeFileSync(join(pkg, 'facade.cjs'), `'use strict';\n// Generated by scripts/build.mjs from pkg-template/facade.js; do not edit.\n${facadeBody}\nmodule.exports = facade;\n`);

// The export list, read from the built CommonJS entry, drives the ESM and browser entries.
const api = createRequire(import.meta.url)(join(pkg, 'index.cjs'));
const names = Object.keys(api).filter((n) => n !== 'default').sort();
const rawNames = Object.keys(createRequire(import.meta.url)(join(pkg, 'node/atlassian_sign.js')))
  .filter((n) => !n.startsWith('__wbg') && n !== 'initSync');
const facadeNames = Object.keys(new Function(`${facadeBody}\nreturn facade;`)()({}));
const wasmNames = rawNames.filter((n) => !n.startsWith('__') && !facadeNames.includes(n));
if (wasmNames.length < 5) throw new Error(`expected the wasm exports in node/atlassian_sign.js, found ${wasmNames}`);
const header = '// Generated by scripts/build.mjs; do not edit.\n';
writeFileSync(join(pkg, 'index.mjs'), header + "import api from './index.cjs';\n" +
  names.map((n) => `export const ${n} = api.${n};\n`).join('') + 'export default api;\n');
writeFileSync(join(pkg, 'web.js'), header + `import initWasm, { initSync as initWasmSync } from './web/atlassian_sign.js';
import * as wasm from './web/atlassian_sign.js';

let ready = null;
let loaded = false;

/** Loads the WebAssembly module; idempotent. Pass a URL, Response or bytes to load it from elsewhere. */
export function init(moduleOrPath) {
  if (!ready) {
    ready = initWasm(moduleOrPath === undefined ? undefined : { module_or_path: moduleOrPath })
      .then(() => { loaded = true; }, (e) => { ready = null; throw e; });
  }
  return ready;
}

/** Loads the WebAssembly module synchronously from its bytes or a WebAssembly.Module. */
export function initSync(moduleOrBytes) {
  if (!loaded) { initWasmSync({ module: moduleOrBytes }); loaded = true; ready = Promise.resolve(); }
}

function guard(name) {
  return function (...args) {
    if (!loaded) {
      const e = new Error(\`atlassian-sign: await init() before calling \${name}() (the WebAssembly module is not loaded yet)\`);
      e.code = 'ERR_NOT_INITIALIZED';
      throw e;
    }
    return wasm[name](...args);
  };
}
${facadeBody}
const fast = facade(wasm);
function guardFast(name) {
  return function (...args) {
    if (!loaded) guard(name)();
    return fast[name](...args);
  };
}
` + wasmNames.map((n) => `export const ${n} = guard('${n}');\n`).join('')
  + facadeNames.map((n) => `export const ${n} = guardFast('${n}');\n`).join(''));
// Modules written once as a factory over the API (pkg-template/*.factory.js: a file whose text
// is one `function factory(api) { ...; return { ...exports } }`) become a CommonJS module, a
// Node ESM module and a browser ESM module over the matching entry, sharing one instance.
for (const f of readdirSync(join(root, 'pkg-template')).filter((f) => f.endsWith('.factory.js'))) {
  const name = f.slice(0, -'.factory.js'.length);
  const body = readFileSync(join(root, 'pkg-template', f), 'utf8');
  rmSync(join(pkg, f));
  const made = createRequire(import.meta.url)(join(pkg, 'index.cjs'));
  const keys = Object.keys(new Function(`${body}\nreturn factory;`)()(made));
  writeFileSync(join(pkg, `${name}.cjs`), `'use strict';\n${header}${body}\nmodule.exports = factory(require('./index.cjs'));\n`);
  writeFileSync(join(pkg, `${name}.mjs`), `${header}import api from './${name}.cjs';\n` +
    keys.map((k) => `export const ${k} = api.${k};\n`).join('') + 'export default api;\n');
  writeFileSync(join(pkg, `${name}.web.js`), `${header}import * as api from './web.js';\n${body}\nconst m = factory(api);\n` +
    keys.map((k) => `export const ${k} = m.${k};\n`).join('') + 'export default m;\n');
}
writeFileSync(join(pkg, 'exports.json'), JSON.stringify({ node: names, web: ['init', 'initSync', ...wasmNames, ...facadeNames].sort() }, null, 2) + '\n');

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
say(`done: ${names.length} exports; wasm ${wasmBytes.bytes} B, ${wasmBytes.gzip} B gzipped (one module for Node and browsers)`);
