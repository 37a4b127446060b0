#!/usr/bin/env node
// Builds the calculator page as ONE self-contained HTML file: dist/atlassian-sign.html.
// esbuild bundles the page's modules (www/js/main.js and what it imports) with the package's
// browser build (pkg/web.js and wasm-bindgen's glue, pkg/web/atlassian_sign.js) into one
// script, from an entry written below that hands init() the WebAssembly module as bytes,
// inlined as base64. www/style.css is inlined too. It works opened from disk (file://) and
// offline, and its Content-Security-Policy allows no connection at all: the one inline script
// and the one inline style are allowed by their SHA-256 hashes, computed here.
//
//   node scripts/build-single.mjs [--out FILE]        (after `node scripts/build.mjs`)
//
// Deterministic (the same inputs give the same bytes: esbuild's output depends on the files
// alone, paths are relative to the project), written only when the bytes change, and
// atomically (a temporary file renamed into place). Takes well under a second.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT = path.join(ROOT, 'dist', 'atlassian-sign.html');

const require = createRequire(import.meta.url);

const say = (m) => process.stderr.write(`[build-single] ${m}\n`);

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/** Replaces exactly one occurrence of `from` (plain text: `$&` in `to` is not special), or throws naming what was expected. */
function replaceOnce(text, from, to, what) {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + from.length) >= 0) {
    throw new Error(`expected exactly one ${what} (${JSON.stringify(from.slice(0, 80))})`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Text that cannot end or confuse an inline element: checked, never rewritten. */
function assertInlineSafe(text, tag, label) {
  const bad = new RegExp(`</${tag}|<!--`, 'i').exec(text);
  if (bad) throw new Error(`${label} contains ${JSON.stringify(bad[0])}, which would break the inline <${tag}>`);
}

/**
 * The entry of the single file's script: the page's start() with a loader that initialises the
 * bundled package from the inlined bytes. WASM_BASE64 is replaced by esbuild (`define`) with
 * the module's base64 text.
 */
const ENTRY = `import * as web from './pkg/web.js';
import { start } from './www/js/main.js';

function wasmBytes() {
  const __wasmBase64 = WASM_BASE64;
  if (typeof Uint8Array.fromBase64 === 'function') return Uint8Array.fromBase64(__wasmBase64);
  const bin = atob(__wasmBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

start(async () => {
  await web.init(wasmBytes());
  return web;
});
`;

/** The page's script: www/js/ and pkg/web.js bundled by esbuild, the wasm inlined. Any warning fails the build. */
export function bundleScript(root, wasm) {
  const esbuild = require('esbuild');
  let result;
  try {
    result = esbuild.buildSync({
      stdin: { contents: ENTRY, resolveDir: root, sourcefile: 'single-file-entry.js', loader: 'js' },
      absWorkingDir: root, // the path comments esbuild writes are relative to it: the same in every checkout
      bundle: true,
      format: 'esm',
      platform: 'browser',
      charset: 'utf8',
      define: { WASM_BASE64: JSON.stringify(wasm.toString('base64')) },
      banner: { js: '// atlassian-sign calculator, single-file build (scripts/build-single.mjs): www/js/ and the\n// package (pkg/web.js, wasm-bindgen\'s glue) bundled by esbuild; the WebAssembly module as base64.' },
      write: false,
      logLevel: 'silent',
    });
  } catch (e) {
    const first = e.errors?.[0];
    const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
    throw new Error(`esbuild: ${where}${first?.text ?? e.message}`);
  }
  if (result.warnings.length) {
    const w = result.warnings[0];
    throw new Error(`esbuild warns: ${w.location ? `${w.location.file}:${w.location.line}: ` : ''}${w.text}`);
  }
  return result.outputFiles[0].text;
}

/** The single file's HTML, from the project's www/ and pkg/. */
export function buildSingle(root = ROOT) {
  const read = (p) => readFileSync(path.join(root, p), 'utf8');
  const wasmPath = path.join(root, 'pkg/web/atlassian_sign_bg.wasm');
  if (!existsSync(wasmPath)) throw new Error('pkg/web/ is not built: run `node scripts/build.mjs` first');
  const wasm = readFileSync(wasmPath);
  const html = read('www/index.html');
  const css = read('www/style.css');
  let version = '';
  try {
    version = JSON.parse(read('pkg/package.json')).version ?? '';
  } catch {
    // no version in the comment, then
  }

  const script = bundleScript(root, wasm);
  assertInlineSafe(script, 'script', 'the bundled JavaScript');
  assertInlineSafe(css, 'style', 'www/style.css');

  const csp = [
    "default-src 'none'",
    `script-src ${sha256(script)} 'wasm-unsafe-eval'`,
    `style-src ${sha256(css)}`,
    'img-src data:',
    "connect-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');

  let out = html;
  out = out.replace(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, () => `<meta http-equiv="Content-Security-Policy" content="${csp}">`);
  if (!out.includes(csp)) throw new Error('www/index.html has no Content-Security-Policy <meta> to replace');
  const comment = /^ *<!-- The same policy as the server's header.*-->\n/m;
  if (!comment.test(out)) throw new Error("expected the comment on the CSP <meta> in www/index.html (\"<!-- The same policy as the server's header...\")");
  out = out.replace(comment, () =>
    `  <!-- Single-file build${version ? ` of atlassian-sign ${version}` : ''} (scripts/build-single.mjs): no connection at all; the inline script and style are allowed by their hashes. -->\n`);
  out = replaceOnce(out, '  <link rel="modulepreload" href="/pkg/web.js">\n', '', 'modulepreload link in www/index.html');
  out = replaceOnce(out, '<link rel="stylesheet" href="style.css">', `<style>${css}</style>`, 'stylesheet link in www/index.html');
  out = replaceOnce(out, '<script type="module" src="app.js"></script>', `<script type="module">${script}</script>`, 'app.js script tag in www/index.html');
  out = replaceOnce(out, "forbids connections to anywhere but its own files", 'forbids every connection', 'privacy sentence about connections');
  return out;
}

function main() {
  const args = process.argv.slice(2);
  let out = DEFAULT_OUT;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out') out = path.resolve(args[++i] ?? '');
    else if (args[i].startsWith('--out=')) out = path.resolve(args[i].slice(6));
    else if (args[i] === '--help' || args[i] === '-h') {
      console.log('Usage: node scripts/build-single.mjs [--out FILE]\n\nWrites the calculator as one self-contained HTML file (default dist/atlassian-sign.html).');
      return;
    } else {
      console.error(`build-single: unknown argument ${args[i]} (try --help)`);
      process.exitCode = 2;
      return;
    }
  }
  const started = Date.now();
  let html;
  try {
    html = buildSingle();
  } catch (e) {
    console.error(`build-single: ${e.message}`);
    process.exitCode = 1;
    return;
  }
  const bytes = Buffer.from(html, 'utf8');
  if (existsSync(out) && readFileSync(out).equals(bytes)) {
    say(`${path.relative(process.cwd(), out)} is up to date (${bytes.length} B)`);
    return;
  }
  mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, bytes);
    renameSync(tmp, out);
  } finally {
    rmSync(tmp, { force: true });
  }
  say(`wrote ${path.relative(process.cwd(), out)}: ${bytes.length} B in ${Date.now() - started} ms`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
