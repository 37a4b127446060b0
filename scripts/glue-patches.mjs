// The only place that edits wasm-bindgen's generated glue (pkg/node/atlassian_sign.js and
// pkg/web/atlassian_sign.js), by exact text replacement. wasm-bindgen is pinned (Cargo.lock and
// scripts/setup.sh install exactly that version), and every patch throws when the text it
// replaces is not found, so a wasm-bindgen update that changes the glue fails the build loudly
// instead of shipping unpatched glue; tests/node/glue.test.mjs checks the patched result.
//
// Why each patch exists (measured with bench/ab.cjs, see BENCHMARKS.md):
//  1. The Node glue loads the one .wasm the package ships, from ../web/.
//  2. Strings over 32 UTF-16 units cross into wasm with one TextEncoder.encodeInto (3-5x faster
//     than wasm-bindgen's per-character ASCII loop for URLs, JWTs and JSON).
//  3. Node: strings out of wasm through Buffer#toString (60-70 ns less than TextDecoder), and
//     the longer strings of 2. into wasm through Buffer#write.
// A newer wasm-bindgen that makes one of them unnecessary removes it here.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Markers that only the patched glue contains (for tests/node/glue.test.mjs). */
export const PATCH_MARKERS = {
  node: ["require('path').join(__dirname, '..', 'web', 'atlassian_sign_bg.wasm')", 'if (len > 32) {', 'bufferMemory0().toString(',
    "bufferMemory0().write(arg, at, max, 'utf8')"],
  web: ['if (len > 32) {'],
};

function patch(file, from, to) {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file}: the text to patch was not found (wasm-bindgen output changed?): ${from}`);
  writeFileSync(file, text.replace(from, to));
}

/** Applies every patch to the glue under `pkg` (pkg/node and pkg/web). */
export function patchGlue(pkg) {
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
  // in Node 20; both keep a BOM, and Rust strings are valid UTF-8, so `fatal` never applied),
  // and the longer strings into wasm through Buffer#write (native UTF-8, like encodeInto; it
  // writes whole characters only, and the worst-case buffer always has room for all of them).
  patch(join(pkg, 'node', 'atlassian_sign.js'), `function decodeText(ptr, len) {
    return cachedTextDecoder.decode(getUint8ArrayMemory0().subarray(ptr, ptr + len));
}`, `let cachedBufferMemory0 = null;
function bufferMemory0() {
    if (cachedBufferMemory0 === null || cachedBufferMemory0.byteLength === 0) {
        cachedBufferMemory0 = Buffer.from(wasm.memory.buffer);
    }
    return cachedBufferMemory0;
}
function decodeText(ptr, len) {
    return bufferMemory0().toString('utf8', ptr, ptr + len);
}`);
  patch(join(pkg, 'node', 'atlassian_sign.js'),
    'const { written } = cachedTextEncoder.encodeInto(arg, getUint8ArrayMemory0().subarray(at, at + max));',
    "const written = bufferMemory0().write(arg, at, max, 'utf8');");
}
