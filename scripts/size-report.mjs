#!/usr/bin/env node
// Where the bytes of the wasm module go, by feature.
//
//   node scripts/size-report.mjs                      report on the current tree
//   node scripts/size-report.mjs --top 10             10 largest items per feature (default 5)
//   node scripts/size-report.mjs --json FILE          also write the figures as JSON
//   node scripts/size-report.mjs --against FILE       add a column of differences to an earlier --json
//   node scripts/size-report.mjs --keep DIR           keep the built .wasm files in DIR
//
// Builds the module of the current tree the way scripts/build.mjs does (cargo release for
// wasm32, wasm-bindgen --target web, wasm-opt -Oz) into a temporary folder, twice from the same
// wasm-bindgen output: once exactly as shipped (names stripped), for the raw and gzipped totals,
// and once with wasm-opt -g, which keeps the name section, for twiggy. pkg/ is not touched.
//
// Two views, each adding up to the whole module:
// - twiggy `top`: every item's own bytes, classified by its (demangled) name into a feature.
//   wasm-opt inlines an export's code into the export shim wasm-bindgen generates
//   (`explain externref shim multivalue shim`), so a shim counts for its export's feature; the
//   "in shims" column says how much of a feature's figure that is.
// - twiggy `dominators`: the bytes each top-level dominator (an export, a function shared by
//   several exports, or one called indirectly through the function table) retains, that is, what
//   would go if it went, classified the same way. A helper only one feature uses counts for
//   that feature here, wherever its name puts it in the first view.
// Needs twiggy (`cargo install twiggy --version 0.8.0 --locked`) and the build tools of
// `npm run build` (`bash scripts/setup.sh --build-tools`).

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (m) => process.stderr.write(`[size] ${m}\n`);
function fail(m) {
  process.stderr.write(`size-report: ${m}\n`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Features. A name is classified by the first path in it that belongs to a feature (so
// `core::ptr::drop_in_place<atlassian_sign::json::Value>` is json, `<f64 as core::fmt::Display>`
// is fmt); a name with none of them falls back to the first `alloc::`/`core::`/`std::` path.

const FEATURES = [
  { id: 'rsa', label: 'rsa/bignum (+ key parsing, DER, PEM)' },
  { id: 'sha', label: 'sha/hmac' },
  { id: 'json', label: 'json' },
  { id: 'oauth1', label: 'oauth1' },
  { id: 'explain', label: 'explain' },
  { id: 'jwt', label: 'jwt (+ connect, incoming, asap, forge)' },
  { id: 'qsh', label: 'qsh (+ request, encoding, sort)' },
  { id: 'alloc', label: 'allocator (dlmalloc, alloc::)' },
  { id: 'fmt', label: 'fmt (core::fmt, float formatting)' },
  { id: 'glue', label: 'wasm-bindgen glue/exports' },
  { id: 'data', label: 'data segments (messages, tables)' },
  { id: 'other', label: 'other (core, base64, errors, trusted apps, sections)' },
];

// Path prefixes (after the crate hashes are removed) and their feature. Crates the crate may
// depend on later (RustCrypto) are listed so the report keeps working across that change.
const PATHS = [
  // The crates: atlassian_sign (core), atlassian_sign_base (hot blocks), atlassian_sign_explain,
  // atlassian_sign_wasm (bindings); paths with or without their layer folder.
  [/^atlassian_sign::(primitives::)?(rsa|keys)\b/, 'rsa'],
  [/^(atlassian_sign_hash|sha1|sha2|hmac|digest|block_buffer|crypto_common|generic_array|hybrid_array|subtle|cpufeatures)::/, 'sha'],
  [/^atlassian_sign(_base)?::(primitives::)?json\b/, 'json'],
  [/^atlassian_sign::(protocols::)?oauth1\b/, 'oauth1'],
  [/^atlassian_sign(_explain|::explain)\b/, 'explain'],
  [/^atlassian_sign::(protocols::)?(jwt|connect|incoming|asap|forge)\b/, 'jwt'],
  [/^atlassian_sign(_base)?::(primitives::|protocols::)?(qsh|request|url|encoding|sort)\b/, 'qsh'],
  [/^atlassian_sign(_wasm|::wasm)\b/, 'glue'],
  [/^(rsa|crypto_bigint|crypto_primes|der|pkcs1|pkcs8|spki|pem_rfc7468|base64ct|const_oid|signature|zeroize|num_bigint\w*|num_traits|num_integer|x509_cert)::/, 'rsa'],
  [/^(wasm_bindgen|wasm_bindgen_futures|js_sys|web_sys)::/, 'glue'],
  [/^atlassian_sign(_base)?::/, 'other'], // error, trusted_apps, lib
  [/^(getrandom|base64|rand_core)::/, 'other'],
  [/^dlmalloc::/, 'alloc'],
  [/^(core|alloc)::(fmt|num::flt2dec|num::fmt)\b/, 'fmt'],
];
const WEAK_PATHS = [
  [/^alloc::/, 'alloc'],
  [/^(core|std)::/, 'other'],
];

// Exported functions by name (for their wasm-bindgen shims).
const EXPORTS = [
  [/explain|exchange/i, 'explain'],
  [/oauth/i, 'oauth1'],
  [/tokenfromtext|incomingpeek/i, 'jwt'],
  [/errorcodes|hashcanonical/i, 'qsh'],
  [/trusted|apptrust/i, 'other'],
  [/qsh|canonical/i, 'qsh'],
  [/jwt|jws|asap|forge|connect|install/i, 'jwt'],
  [/key/i, 'rsa'],
];

const exportFeature = (name) => (EXPORTS.find(([re]) => re.test(name)) ?? [null, 'other'])[1];

// Name subsections only exist in the named build; they are left out of every figure.
const isNameSection = (name) => /^"[^"]*names?" subsection$/.test(name);

function classify(name, exportNames) {
  if (/^data segment /.test(name)) return { feature: 'data' };
  const shim = /^(\S+?)((?: externref shim| multivalue shim)+)$/.exec(name);
  if (shim && exportNames.has(shim[1])) return { feature: exportFeature(shim[1].replace(/^_+/, '')), shim: shim[1] };
  const exp = /^export "(.+)"$/.exec(name);
  if (exp) return { feature: exportNames.has(exp[1]) && !/^__(wbindgen|externref)|^wasm_bindgen__/.test(exp[1]) ? exportFeature(exp[1].replace(/^_+/, '')) : 'glue' };
  if (/^(__wbindgen_|__wbg_|__externref_|import )|^code\[\d+\]$|^table\[|^elem\[/.test(name)) return { feature: 'glue' };
  if (/^(__rust_alloc|__rust_dealloc|__rust_realloc|__rdl_|__rg_|malloc$|free$|realloc$)/.test(name)) return { feature: 'alloc' };
  // Paths in the name, in order of appearance, crate hashes removed.
  const paths = name.replace(/\[[0-9a-f]{16}\]/g, '').match(/[A-Za-z_][A-Za-z0-9_]*(?:::[A-Za-z_][A-Za-z0-9_]*)+/g) ?? [];
  for (const p of paths) for (const [re, f] of PATHS) if (re.test(p)) return { feature: f };
  for (const p of paths) for (const [re, f] of WEAK_PATHS) if (re.test(p)) return { feature: f };
  return { feature: 'other' };
}

// ---------------------------------------------------------------------------------------------
// Options

function parseArgs(argv) {
  const o = { top: 5, json: null, against: null, keep: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (!v) fail(`${flag} needs a value`);
      return v;
    };
    if (flag === '--top') {
      o.top = Number(value());
      if (!Number.isInteger(o.top) || o.top < 0) fail('--top needs a whole number');
    } else if (flag === '--json') o.json = path.resolve(value());
    else if (flag === '--against') o.against = path.resolve(value());
    else if (flag === '--keep') o.keep = path.resolve(value());
    else if (flag === '-h' || flag === '--help') {
      console.log('usage: node scripts/size-report.mjs [--top N] [--json FILE] [--against FILE] [--keep DIR]');
      process.exit(0);
    } else fail(`unknown option ${a} (try --help)`);
  }
  return o;
}

// ---------------------------------------------------------------------------------------------
// Build

const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'], ...opts });
const capture = (cmd, args) => execFileSync(cmd, args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });

function findTwiggy() {
  for (const t of ['twiggy', path.join(os.homedir(), '.cargo', 'bin', 'twiggy')]) {
    try {
      capture(t, ['--version']);
      return t;
    } catch {}
  }
  fail('twiggy not found; install it with `cargo install twiggy --version 0.8.0 --locked`');
}

function checkWasmBindgen() {
  const want = /name = "wasm-bindgen"\nversion = "([^"]+)"/.exec(readFileSync(path.join(ROOT, 'Cargo.lock'), 'utf8'))?.[1];
  let have = null;
  try {
    have = capture('wasm-bindgen', ['--version']).trim().split(/\s+/)[1];
  } catch {}
  if (have !== want) fail(`wasm-bindgen ${have ?? 'not found'}, Cargo.lock wants ${want}: run \`bash scripts/setup.sh --build-tools\``);
}

// The features rustc enables for wasm32-unknown-unknown, as in scripts/build.mjs. If they ever
// differ, the "same bytes as pkg/" line below says so.
const WASM_FEATURES = ['--enable-simd', '--enable-bulk-memory', '--enable-sign-ext', '--enable-mutable-globals',
  '--enable-nontrapping-float-to-int', '--enable-reference-types', '--enable-multivalue'];

function build(dir) {
  const wasmOpt = path.join(ROOT, 'node_modules', '.bin', 'wasm-opt');
  if (!existsSync(wasmOpt)) fail('node_modules/.bin/wasm-opt is missing: run `bash scripts/setup.sh --build-tools`');
  say('cargo build (wasm32-unknown-unknown, release)');
  run('cargo', ['build', '--release', '--target', 'wasm32-unknown-unknown', '-p', 'atlassian-sign-wasm', '--lib']);
  const input = path.join(dir, 'atlassian_sign.wasm');
  cpSync(path.join(ROOT, 'target/wasm32-unknown-unknown/release/atlassian_sign_wasm.wasm'), input);
  say('wasm-bindgen --target web');
  run('wasm-bindgen', ['--target', 'web', '--out-dir', path.join(dir, 'web'), '--out-name', 'atlassian_sign', input]);
  const bound = path.join(dir, 'web', 'atlassian_sign_bg.wasm');
  const release = path.join(dir, 'release.wasm');
  const named = path.join(dir, 'named.wasm');
  say('wasm-opt -Oz (as shipped), and again with -g (names kept) for twiggy');
  run(wasmOpt, ['-Oz', '--strip-debug', '--strip-producers', ...WASM_FEATURES, bound, '-o', release]);
  run(wasmOpt, ['-Oz', '-g', '--strip-producers', ...WASM_FEATURES, bound, '-o', named]);
  return { release, named };
}

function treeState() {
  try {
    const head = capture('git', ['rev-parse', '--short', 'HEAD']).trim();
    const dirty = capture('git', ['status', '--porcelain', '--', 'src', 'crates', 'Cargo.toml', 'Cargo.lock', '.cargo']).trim();
    return `${head}${dirty ? ' + uncommitted changes' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

// ---------------------------------------------------------------------------------------------
// Analysis

function analyse(named, twiggy) {
  const exportNames = new Set(WebAssembly.Module.exports(new WebAssembly.Module(readFileSync(named))).map((e) => e.name));
  const top = JSON.parse(capture(twiggy, ['top', '-f', 'json', named]));
  const dom = JSON.parse(capture(twiggy, ['dominators', '-f', 'json', named]));
  // What no export reaches (data segments, which nothing in twiggy's graph references, unused
  // types, custom sections), item by item; the last row is twiggy's total.
  const garbage = JSON.parse(capture(twiggy, ['garbage', '-a', '--show-data-segments', '-f', 'json', named]))
    .filter((g) => !g.name.startsWith('Σ'));
  const byFeature = Object.fromEntries(FEATURES.map((f) => [f.id, { bytes: 0, shimBytes: 0, items: [] }]));
  let nameSection = 0;
  let total = 0;
  for (const it of top) {
    total += it.shallow_size;
    if (isNameSection(it.name)) { nameSection += it.shallow_size; continue; }
    const c = classify(it.name, exportNames);
    const f = byFeature[c.feature];
    f.bytes += it.shallow_size;
    if (c.shim) f.shimBytes += it.shallow_size;
    f.items.push({ name: c.shim ? `${c.shim} (export shim)` : it.name, bytes: it.shallow_size });
  }
  // Dominators: the children of the meta root, plus what nothing reaches (twiggy's summary).
  const retained = Object.fromEntries(FEATURES.map((f) => [f.id, { bytes: 0, items: [] }]));
  const add = (feature, name, bytes) => {
    retained[feature].bytes += bytes;
    retained[feature].items.push({ name, bytes });
  };
  // The function table and its element segment hold everything called indirectly (the async
  // exports' futures, the fmt trait methods): their own bytes are glue, what they retain is
  // classified dominator by dominator.
  const visit = (node) => {
    if (isNameSection(node.name)) return;
    if (/^(table|elem)\[\d+\]$/.test(node.name)) {
      add('glue', node.name, node.shallow_size);
      for (const c of node.children ?? []) visit(c);
    } else add(classify(node.name, exportNames).feature, node.name, node.retained_size);
  };
  for (const root of dom.items) for (const c of root.children ?? []) visit(c);
  const unreachable = (dom.summary ?? []).reduce((x, s) => x + s.retained_size, 0);
  const garbageBytes = garbage.reduce((x, g) => x + g.bytes, 0);
  if (garbageBytes !== unreachable) fail(`twiggy garbage lists ${garbageBytes} B, dominators ${unreachable} B unreachable`);
  // Data segments are live (the code addresses them), twiggy just does not track that.
  for (const g of garbage) add(classify(g.name, exportNames).feature, /^data segment /.test(g.name) ? g.name : `${g.name} (unreachable)`, g.bytes);
  for (const g of [...Object.values(byFeature), ...Object.values(retained)]) g.items.sort((a, b) => b.bytes - a.bytes);
  return { total, nameSection, byFeature, retained, itemCount: top.length };
}

// ---------------------------------------------------------------------------------------------
// Report

const n = (x) => x.toLocaleString('en-US');
const pct = (x, of) => `${((100 * x) / of).toFixed(1)}%`;
const signed = (x) => (x > 0 ? `+${n(x)}` : x < 0 ? `−${n(-x)}` : '0');
const short = (s, w) => (s.length > w ? `${s.slice(0, w - 1)}…` : s);
const clean = (s) => s.replace(/\[[0-9a-f]{16}\]/g, '').replace(/::h[0-9a-f]{16}$/, '');

function report(r, opts, before) {
  const out = [];
  const say = (s = '') => out.push(s);
  say(`atlassian-sign wasm size report — tree ${r.tree}, ${r.date}`);
  say(`release build (cargo release, wasm-bindgen --target web, wasm-opt -Oz, names stripped; as scripts/build.mjs):`);
  say(`  ${n(r.release.bytes)} B raw, ${n(r.release.gzip9)} B gzip -9${before ? `   (before: ${n(before.release.bytes)} raw, ${n(before.release.gzip9)} gzip -9; ${signed(r.release.bytes - before.release.bytes)} raw, ${signed(r.release.gzip9 - before.release.gzip9)} gzip -9)` : ''}`);
  say(`  ${r.pkgComparison}`);
  const code = r.named.bytes - r.nameSection;
  say(`named build for twiggy (wasm-opt -Oz -g): ${n(r.named.bytes)} B, of which name section ${n(r.nameSection)} B;`);
  say(`  without it ${n(code)} B (${signed(code - r.release.bytes)} B against the release build: -g keeps local names, which`);
  say(`  slightly changes how locals are laid out). Percentages below are of ${n(code)} B; gzip is not split by feature.`);

  const views = [
    ['by feature, twiggy top (each item\'s own bytes; an export\'s shim counts for the export\'s feature)', r.byFeature, true],
    ['by feature, twiggy dominators (bytes retained by each top-level dominator: an export, a shared or indirectly called function)', r.retained, false],
  ];
  for (const [title, groups, shims] of views) {
    say();
    say(title);
    const key = shims ? 'byFeature' : 'retained';
    say(`  ${'feature'.padEnd(54)} ${'raw B'.padStart(8)} ${'%'.padStart(6)}${shims ? ' in shims'.padStart(10) : ''}${before ? ' before B'.padStart(10) + ' change'.padStart(9) : ''}`);
    for (const f of FEATURES) {
      const g = groups[f.id];
      const b = before?.[key]?.[f.id];
      say(`  ${f.label.padEnd(54)} ${n(g.bytes).padStart(8)} ${pct(g.bytes, code).padStart(6)}${shims ? n(g.shimBytes).padStart(10) : ''}${before ? (b ? n(b.bytes) : '-').padStart(10) + (b ? signed(g.bytes - b.bytes) : '').padStart(9) : ''}`);
      for (const it of g.items.slice(0, opts.top)) say(`      ${n(it.bytes).padStart(7)}  ${short(clean(it.name), 100)}`);
    }
    const sum = Object.values(groups).reduce((a, g) => a + g.bytes, 0);
    say(`  ${'total'.padEnd(54)} ${n(sum).padStart(8)}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const twiggy = findTwiggy();
  checkWasmBindgen();
  const before = opts.against ? JSON.parse(readFileSync(opts.against, 'utf8')) : null;
  const dir = opts.keep ?? mkdtempSync(path.join(os.tmpdir(), 'size-report-'));
  mkdirSync(dir, { recursive: true });
  try {
    const tree = treeState();
    const { release, named } = build(dir);
    const rel = readFileSync(release);
    const sha = createHash('sha256').update(rel).digest('hex');
    const pkgWasm = path.join(ROOT, 'pkg', 'web', 'atlassian_sign_bg.wasm');
    let pkgComparison = 'pkg/ is not built: no comparison with it';
    if (existsSync(pkgWasm)) {
      const p = readFileSync(pkgWasm);
      pkgComparison = createHash('sha256').update(p).digest('hex') === sha
        ? 'same bytes as pkg/web/atlassian_sign_bg.wasm'
        : `differs from pkg/web/atlassian_sign_bg.wasm (${n(p.length)} B): pkg/ was built from another state of the tree (or the wasm-opt flags of scripts/build.mjs changed)`;
    }
    say('twiggy top, twiggy dominators');
    const a = analyse(named, twiggy);
    const result = {
      date: new Date().toISOString(),
      tree,
      release: { bytes: rel.length, gzip9: gzipSync(rel, { level: 9 }).length, sha256: sha.slice(0, 16) },
      named: { bytes: a.total },
      nameSection: a.nameSection,
      pkgComparison,
      byFeature: a.byFeature,
      retained: a.retained,
    };
    console.log(report(result, opts, before));
    if (opts.json) {
      writeFileSync(opts.json, JSON.stringify(result, null, 2) + '\n');
      say(`wrote ${opts.json}`);
    }
    if (opts.keep) say(`kept ${release} and ${named}`);
  } finally {
    if (!opts.keep) rmSync(dir, { recursive: true, force: true });
  }
}

main();
