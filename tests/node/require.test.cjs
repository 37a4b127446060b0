// The CommonJS entry: same module, same results, loaded synchronously.
'use strict';
const { test } = require('node:test');
const assert = require('node:assert/strict');
const api = require('../../pkg');

test('require() loads synchronously and computes a vector', () => {
  assert.equal(typeof api.createQsh, 'function');
  assert.equal(api.createCanonicalRequest('GET', 'https://example.com/test?param=some+spaces+in+this+parameter'), 'GET&/test&param=some%20spaces%20in%20this%20parameter');
  assert.equal(api.createQsh('GET', '/rest/api/2/project'), '376b86be226be6ed221f7a5c1ff9bafdf495036773264e22822dbff68e8aeafa');
});

test('require() and import() share one instance', async () => {
  const esm = await import('../../pkg/index.mjs');
  assert.equal(esm.createQsh, api.createQsh);
  assert.equal(esm.default.createQsh, api.createQsh);
  await esm.init();
});
