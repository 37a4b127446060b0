'use strict';
// Node entry (CommonJS), bundled by scripts/build.mjs into pkg/index.cjs. The WebAssembly
// module is compiled synchronously on first require, so no init() is needed in Node; init()
// exists so isomorphic code can await it everywhere. The `./node/...` path is the output's.
// Node 18 has WebCrypto only as require('node:crypto').webcrypto; the wasm core draws its
// randomness (nonces, PSS salts) from globalThis.crypto.getRandomValues.
const nodeCrypto = require('node:crypto');

if (typeof globalThis.crypto === 'undefined') {
  Object.defineProperty(globalThis, 'crypto', { value: nodeCrypto.webcrypto, configurable: true, writable: true });
}
const wasm = require('./node/atlassian_sign.js');
const { createApi } = require('../src/facade.js');

module.exports = {
  ...createApi(wasm, nodeCrypto),
  init: async function init() {},
  initSync: function initSync() {},
};
