// Declarations for each module system, generated from the one set of sources in pkg-template/.
//
// The package is `"type": "module"`, so TypeScript reads every `.d.ts` in it as ESM. A CommonJS
// file compiled with `module: node16`/`nodenext` that requires the package would then get ESM
// types for a CommonJS file (TS1479, "Masquerading as ESM" in @arethetypeswrong/cli). Each
// condition of the exports map gets its own file instead:
//   X.d.ts   as written: ESM, for bundlers and browsers (web.js, atlassian-jwt.web.js)
//   X.d.mts  the Node `import` entries (X.mjs); their `export default` is the whole module
//   X.d.cts  the Node `require` entries (X.cjs); `module.exports` has no `default` property
// Relative specifiers follow the file's kind ('./index.js' -> './index.mjs' / './index.cjs'),
// which TypeScript maps to the sibling .d.mts / .d.cts.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const header = (kind) => `// Built by scripts/build.mjs from pkg-template/*.d.ts (${kind}); do not edit.\n`;
const relative = /(from\s+|import\(\s*)(['"])(\.\.?\/[^'"]+?)\.js\2/g;
const withExtension = (text, ext) => text.replace(relative, (_, lead, q, path) => `${lead}${q}${path}.${ext}${q}`);
const exportDefault = /^export default [^;\n]+;[ \t]*\n?/gm;

/** Writes X.d.cts and X.d.mts beside each X.d.ts at the top of `dir`, the package being built. */
export function writeDeclarations(dir) {
  const names = readdirSync(dir).filter((f) => f.endsWith('.d.ts')).map((f) => f.slice(0, -'.d.ts'.length));
  for (const name of names) {
    const source = readFileSync(join(dir, `${name}.d.ts`), 'utf8');
    const defaults = source.match(exportDefault) ?? [];
    if (defaults.length > 1) throw new Error(`${name}.d.ts has ${defaults.length} default exports`);
    // CommonJS: the entry's module.exports is the API object and has no `default`, so a
    // declared default export would promise `require(...).default`.
    writeFileSync(join(dir, `${name}.d.cts`), header('CommonJS') + withExtension(source, 'cjs').replace(exportDefault, ''));
    // Node ESM: scripts/build.mjs writes `export default api` into each .mjs entry. A source
    // that does not declare it gets the module namespace as its default.
    let esm = withExtension(source, 'mjs');
    if (existsSync(join(dir, `${name}.mjs`)) && defaults.length === 0) {
      esm += `\n// The .mjs entry's default export is the module's API object.\nexport * as default from './${name}.mjs';\n`;
    }
    writeFileSync(join(dir, `${name}.d.mts`), header('Node ESM') + esm);
  }
}
