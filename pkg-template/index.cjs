'use strict';
// Node entry (CommonJS). The WebAssembly module is compiled synchronously on first require,
// so no init() is needed in Node; init() exists so isomorphic code can await it everywhere.
// Node 18 has WebCrypto only as require('node:crypto').webcrypto; the wasm core draws its
// randomness (nonces, PSS salts, key generation) from globalThis.crypto.getRandomValues.
if (typeof globalThis.crypto === 'undefined') {
  Object.defineProperty(globalThis, 'crypto', { value: require('node:crypto').webcrypto, configurable: true, writable: true });
}
const wasm = require('./node/atlassian_sign.js');

module.exports = {
  ...wasm,
  // The hot calls read their options in JavaScript and cross into wasm once (facade.js).
  ...require('./facade.cjs')(wasm, require('node:crypto')),
  init: async function init() {},
  initSync: function initSync() {},
};
// Internal exports (flat-argument entry points, wasm-bindgen plumbing) are not the API.
for (const name of Object.keys(module.exports)) if (name.startsWith('__')) delete module.exports[name];
