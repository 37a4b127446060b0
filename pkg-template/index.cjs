'use strict';
// Node entry (CommonJS). The WebAssembly module is compiled synchronously on first require,
// so no init() is needed in Node; init() exists so isomorphic code can await it everywhere.
// Node 18 has WebCrypto only as require('node:crypto').webcrypto; the wasm core draws its
// randomness (nonces, RSA blinding) from globalThis.crypto.getRandomValues.
if (typeof globalThis.crypto === 'undefined') {
  Object.defineProperty(globalThis, 'crypto', { value: require('node:crypto').webcrypto, configurable: true, writable: true });
}
const wasm = require('./node/atlassian_sign.js');

module.exports = {
  ...wasm,
  init: async function init() {},
  initSync: function initSync() {},
};
delete module.exports.__wbg_set_wasm;
