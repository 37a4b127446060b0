'use strict';
// atlassian-sign/atlassian-jwt for Node (CommonJS), over the package's own instance.
const { factory } = require('../src/atlassian-jwt/index.js');

module.exports = factory(require('./index.cjs'));
