// The loaded package (pkg/web.js, or its bundled copy in the single file): null until it is
// ready. Every section reads `lib` through this live binding; main.js sets it once.

/** The package's browser module, or null until init() has finished. */
export let lib = null;

export function setLib(mod) {
  lib = mod;
}
