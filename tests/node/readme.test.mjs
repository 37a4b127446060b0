// The README's JavaScript examples run as written (with the package name pointed at pkg/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { root } from './helpers.mjs';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```js\n([\s\S]*?)```/g)].map((m) => m[1]);

test('README examples run and print what their comments say', async () => {
  assert.ok(blocks.length >= 2);
  const req = createRequire(import.meta.url);
  const pkgPath = `${root}pkg/index.cjs`;
  for (const code of blocks) {
    const logs = [];
    const expected = [...code.matchAll(/console\.log\(.*\); \/\/ '(.*)'/g)].map((m) => m[1]);
    globalThis.__readmeLog = (...a) => logs.push(a.join(' '));
    if (code.includes('require(')) {
      const fn = new Function('require', 'console', 'process', code);
      const resolve = (name) => name === 'atlassian-sign' ? pkgPath : name.startsWith('atlassian-sign/') ? `${root}pkg/${name.slice(15)}.cjs` : name;
      fn((name) => req(resolve(name)), { log: globalThis.__readmeLog }, process);
    } else {
      const src = code.replace(/from 'atlassian-sign'/g, `from 'file://${root}pkg/index.mjs'`).replace(/console\.log\(/g, 'globalThis.__readmeLog(');
      await import('data:text/javascript,' + encodeURIComponent(src));
    }
    assert.ok(expected.length > 0, 'each example states what it prints');
    assert.deepEqual(logs, expected);
  }
});
