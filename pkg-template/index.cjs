'use strict';
// Node entry (CommonJS). The WebAssembly module is compiled synchronously on first require,
// so no init() is needed in Node; init() exists so isomorphic code can await it everywhere.
const wasm = require('./node/atlassian_sign.js');

module.exports = {
  ...wasm,
  init: async function init() {},
  initSync: function initSync() {},
};
delete module.exports.__wbg_set_wasm;
