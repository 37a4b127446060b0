'use strict';
// atlassian-sign/middleware (Node only, CommonJS), over the package's own instance. The Node
// ESM entry (middleware.mjs) re-exports this one: scripts/build.mjs writes it.
const { middlewareApi } = require('../src/middleware.js');

module.exports = middlewareApi(require('./index.cjs'));
