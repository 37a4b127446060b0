#!/usr/bin/env node
// Builds dist/atlassian-jwt/: the drop-in `atlassian-sign/atlassian-jwt` as a package of its own,
// named `atlassian-jwt`, so that an app which gets atlassian-jwt through another package
// (atlassian-connect-express) can swap it in with npm `overrides`:
//
//   "overrides": { "atlassian-jwt": "file:vendor/atlassian-jwt" }
//
// It is made from the built pkg/ (run by scripts/build.mjs at its end): the drop-in's Node
// entry points, their declarations and every file they load (the core's index.cjs and the
// wasm-bindgen glue with the .wasm), found by following their relative imports. The code is
// the same bytes as in atlassian-sign; only package.json and README.md are written here.
// Like atlassian-jwt, it is for Node: in browsers, atlassian-sign/atlassian-jwt (after
// atlassian-sign's `await init()`) is the drop-in.
//
//   node scripts/build-atlassian-jwt.mjs [--from <built pkg dir>] [--out <dir>]
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? fallback : resolve(process.argv[i + 1]);
};
const from = arg('--from', join(root, 'pkg'));
const out = arg('--out', join(root, 'dist', 'atlassian-jwt'));
const say = (m) => process.stderr.write(`[build-atlassian-jwt] ${m}\n`);

/** The version of atlassian-jwt whose API, outputs and declarations the drop-in reproduces. */
const UPSTREAM_VERSION = '2.0.3';

const sign = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
const entries = ['atlassian-jwt.cjs', 'atlassian-jwt.mjs'];
const declarations = ['atlassian-jwt.d.ts', 'atlassian-jwt.d.cts', 'atlassian-jwt.d.mts'];
for (const f of [...entries, ...declarations]) {
  if (!existsSync(join(from, f))) throw new Error(`${join(from, f)} is missing: run node scripts/build.mjs first`);
}

// The files the entries load: relative require()/import/import()/new URL(..., import.meta.url)
// specifiers, followed from file to file. A file in a subfolder (the wasm-bindgen glue) brings
// its folder whole, and a '<name>.wasm' string in a loaded file brings that module from
// wherever the build put it (the Node glue reads ../web/atlassian_sign_bg.wasm by a path it
// builds at run time).
const specifier = /(?:require\(\s*|\bfrom\s*|\bimport\(\s*|\bimport\s+|new URL\(\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;
const wasmName = /(['"])([\w.-]+\.wasm)\1/g;
const files = new Set();
const folders = new Set();
const queue = [...entries];
while (queue.length > 0) {
  const file = queue.shift();
  if (files.has(file)) continue;
  const path = join(from, file);
  if (!existsSync(path)) throw new Error(`${file} is loaded by the drop-in but is not in ${from}`);
  files.add(file);
  const top = file.split('/')[0];
  if (top !== file && /\.[cm]?js$/.test(file)) folders.add(top); // with its package.json (module type)
  if (!/\.[cm]?js$/.test(file)) continue;
  const text = readFileSync(path, 'utf8');
  for (const [, , name] of text.matchAll(wasmName)) {
    const found = ['.', 'node', 'web'].map((d) => join(d, name)).find((f) => existsSync(join(from, f)));
    if (!found) throw new Error(`${file} names ${name}, which is not in ${from}`);
    queue.push(found.split('\\').join('/'));
  }
  for (const [, , spec] of text.matchAll(specifier)) {
    const target = relative(from, normalize(join(dirname(path), spec))).split('\\').join('/');
    if (target.startsWith('..')) throw new Error(`${file} loads ${spec}, outside the package`);
    queue.push(target);
  }
}
// The declarations describe the drop-in alone: they may not reach into the rest of atlassian-sign.
for (const f of declarations) {
  const imports = [...readFileSync(join(from, f), 'utf8').matchAll(specifier)].map((m) => m[2])
    .filter((spec) => !/^\.\/atlassian-jwt\.[cm]?js$/.test(spec));
  if (imports.length > 0) throw new Error(`${f} imports ${imports.join(', ')}; the atlassian-jwt package ships only its own declarations`);
}

const types = (ext) => `./atlassian-jwt.d.${ext}`;
const conditions = {
  import: { types: types('mts'), default: './atlassian-jwt.mjs' },
  require: { types: types('cts'), default: './atlassian-jwt.cjs' },
};
const manifest = {
  name: 'atlassian-jwt',
  // Build metadata (+...) keeps the upstream version for ranges such as ^2.0.3 and says what
  // the package really is.
  version: `${UPSTREAM_VERSION}+atlassian-sign.${sign.version}`,
  description: `atlassian-jwt@${UPSTREAM_VERSION}'s API (same exports, signatures and tokens) on atlassian-sign ${sign.version}, `
    + "whose canonical request follows Atlassian's servers. Install it in place of atlassian-jwt with npm overrides.",
  license: sign.license,
  repository: sign.repository,
  homepage: sign.homepage.replace(/#readme$/, '#drop-in-for-npm-atlassian-jwt'),
  bugs: sign.bugs,
  keywords: ['atlassian-jwt', 'atlassian', 'jwt', 'qsh', 'connect', 'atlassian-connect-express', 'webassembly'],
  type: 'module',
  sideEffects: false,
  engines: sign.engines,
  main: './atlassian-jwt.cjs',
  types: types('ts'),
  // atlassian-jwt has no exports map, so its dist/ files could be required by path; only the
  // package name is supported here (what atlassian-connect-express and the README use).
  exports: { '.': conditions, './package.json': './package.json' },
  atlassianSign: { version: sign.version, upstream: `atlassian-jwt@${UPSTREAM_VERSION}` },
};

// Written aside and renamed into place, as scripts/build.mjs does for pkg/.
const building = `${out}.building-${process.pid}`;
rmSync(building, { recursive: true, force: true });
mkdirSync(building, { recursive: true });
for (const d of folders) cpSync(join(from, d), join(building, d), { recursive: true });
for (const f of [...files, ...declarations, 'LICENSE']) cpSync(join(from, f), join(building, f));
writeFileSync(join(building, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
writeFileSync(join(building, 'README.md'), readme());
rmSync(out, { recursive: true, force: true });
renameSync(building, out);
const bytes = [...files].reduce((n, f) => n + statSync(join(out, f)).size, 0);
say(`${relative(process.cwd(), out) || '.'}: atlassian-jwt ${manifest.version}; the entries load ${[...files].sort().join(', ')} (${bytes} B)`);

function readme() {
  return `# atlassian-jwt (atlassian-sign drop-in)

The API of [atlassian-jwt](https://www.npmjs.com/package/atlassian-jwt) ${UPSTREAM_VERSION} (same exports,
signatures, tokens and errors) on [atlassian-sign](${sign.homepage}) ${sign.version}, a Rust core compiled to
WebAssembly. Where atlassian-jwt's canonical request (and so its qsh) differs from what Atlassian's
servers compute, this package follows the servers; the cases are listed in atlassian-sign's README
("Where peers differ").

Use it in place of atlassian-jwt everywhere in a project, including inside
atlassian-connect-express, with npm \`overrides\` in the project's package.json:

\`\`\`json
{
  "overrides": { "atlassian-jwt": "file:vendor/atlassian-jwt" }
}
\`\`\`

\`vendor/atlassian-jwt\` is this folder (\`dist/atlassian-jwt\` of an atlassian-sign build) or its
\`npm pack\` tarball. Then \`npm install\`. \`require('atlassian-jwt')\` and \`import jwt from 'atlassian-jwt'\`
both work in Node 18+, with types for both. Like atlassian-jwt, this package is for Node; in
browsers, use \`atlassian-sign/atlassian-jwt\` after atlassian-sign's \`await init()\`.

Licence: ${sign.license}.
`;
}
