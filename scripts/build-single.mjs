#!/usr/bin/env node
// Builds the calculator page as ONE self-contained HTML file: dist/atlassian-sign.html.
// The WebAssembly module is inlined as base64 and handed to init() as bytes; the package's
// browser modules (pkg/web.js and wasm-bindgen's pkg/web/atlassian_sign.js), www/app.js and
// www/style.css are inlined. It works opened from disk (file://) and offline, and its
// Content-Security-Policy allows no connection at all: the one inline script and the one
// inline style are allowed by their SHA-256 hashes, computed here.
//
//   node scripts/build-single.mjs [--out FILE]        (after `node scripts/build.mjs`)
//
// Deterministic (the same inputs give the same bytes), written only when the bytes change, and
// atomically (a temporary file renamed into place). Takes well under a second.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT = path.join(ROOT, 'dist', 'atlassian-sign.html');

const say = (m) => process.stderr.write(`[build-single] ${m}\n`);

/**
 * Turns an ES module's text into a script expression that evaluates to its namespace object,
 * for the few statement forms wasm-bindgen and scripts/build.mjs write. `imports` maps each
 * specifier to the name of a variable holding that module's namespace. Anything else is an
 * error, so a change in the generated code fails this build instead of the page.
 */
export function moduleAsExpression(source, imports, label) {
  const exported = []; // [exported name, local expression]
  // esbuild writes its export list over several lines: one line each, for the matcher below.
  const flat = source.replace(/^export\s*\{[^}]*\};?/gm, (m) => m.replace(/\s+/g, ' '));
  const lines = flat.split('\n').map((line) => {
    let m;
    if ((m = /^import\s+\*\s+as\s+(\w+)\s+from\s+(['"])(.+?)\2;?\s*$/.exec(line))) {
      return `const ${m[1]} = ${namespace(m[3])};`;
    }
    if ((m = /^import\s+(?:(\w+)\s*,?\s*)?(?:\{([^}]*)\})?\s*from\s+(['"])(.+?)\3;?\s*$/.exec(line))) {
      const ns = namespace(m[4]);
      const out = [];
      if (m[1]) out.push(`const ${m[1]} = ${ns}.default;`);
      if (m[2]?.trim()) {
        const names = m[2].split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
          const [from, as] = s.split(/\s+as\s+/);
          return as ? `${from}: ${as}` : from;
        });
        out.push(`const { ${names.join(', ')} } = ${ns};`);
      }
      return out.join(' ');
    }
    if ((m = /^export\s+((?:async\s+)?function\*?|class|const|let|var)\s+([\w$]+)/.exec(line))) {
      exported.push([m[2], m[2]]);
      return line.replace(/^export\s+/, '');
    }
    if ((m = /^export\s*\{([^}]*)\};?\s*$/.exec(line))) {
      for (const s of m[1].split(',').map((x) => x.trim()).filter(Boolean)) {
        const [local, as] = s.split(/\s+as\s+/);
        exported.push([as ?? local, local]);
      }
      return '';
    }
    if ((m = /^export\s+default\s+([\w$]+);?\s*$/.exec(line))) {
      exported.push(['default', m[1]]);
      return '';
    }
    if (/^\s*(import|export)\b(?!\s*\(|\.meta)/.test(line)) {
      throw new Error(`${label}: cannot inline the module statement: ${line.trim().slice(0, 100)}`);
    }
    return line;
  });
  if (exported.length === 0) throw new Error(`${label}: no exports found`);
  const members = exported.map(([name, local]) => `${JSON.stringify(name)}: ${local}`).join(', ');
  return `(() => {\n${lines.join('\n')}\nreturn Object.freeze({ ${members} });\n})()`;

  function namespace(specifier) {
    const ns = imports[specifier];
    if (!ns) throw new Error(`${label}: imports ${specifier}, which this build does not inline`);
    return ns;
  }
}

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

/** The single file's HTML, from the project's www/ and pkg/. */
export function buildSingle(root = ROOT) {
  const read = (p) => readFileSync(path.join(root, p), 'utf8');
  const wasmPath = path.join(root, 'pkg/web/atlassian_sign_bg.wasm');
  if (!existsSync(wasmPath)) throw new Error('pkg/web/ is not built: run `node scripts/build.mjs` first');
  const wasm = readFileSync(wasmPath);
  const html = read('www/index.html');
  const css = read('www/style.css');
  const app = read('www/app.js');
  const glue = read('pkg/web/atlassian_sign.js');
  const web = read('pkg/web.js');
  let version = '';
  try {
    version = JSON.parse(read('pkg/package.json')).version ?? '';
  } catch {
    // no version in the comment, then
  }

  const glueExpr = moduleAsExpression(glue, {}, 'pkg/web/atlassian_sign.js');
  const webExpr = moduleAsExpression(web, { './web/atlassian_sign.js': '__glue' }, 'pkg/web.js');
  const LOADER = "main(() => import('/pkg/web.js'));";
  if (/^\s*(import|export)\b(?!\s*\(|\.meta)/m.test(app)) throw new Error('www/app.js must have no import or export statements');
  const appInlined = replaceOnce(app, LOADER,
    'main(async () => { await __web.init(__wasmBytes()); return __web; });', 'loader line in www/app.js');

  const script = [
    '// atlassian-sign calculator, single-file build (scripts/build-single.mjs): the WebAssembly',
    '// module is below as base64, the package modules and www/app.js follow it.',
    `const __wasmBase64 = "${wasm.toString('base64')}";`,
    'function __wasmBytes() {',
    '  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(__wasmBase64);',
    '  const bin = atob(__wasmBase64);',
    '  const bytes = new Uint8Array(bin.length);',
    '  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);',
    '  return bytes;',
    '}',
    `const __glue = ${glueExpr};`,
    `const __web = ${webExpr};`,
    appInlined,
  ].join('\n');
  assertInlineSafe(script, 'script', 'the inlined JavaScript');
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
