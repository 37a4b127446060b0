// wasm-bindgen's glue is patched in one place (scripts/glue-patches.mjs); the build fails when a
// patch no longer applies, and this test fails when the built glue lacks a patch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PATCH_MARKERS } from '../../scripts/glue-patches.mjs';

const glue = (t) => readFileSync(new URL(`../../pkg/${t}/atlassian_sign.js`, import.meta.url), 'utf8');

test('the built glue carries every patch', () => {
  for (const [target, markers] of Object.entries(PATCH_MARKERS)) {
    const text = glue(target);
    for (const m of markers) assert.ok(text.includes(m), `pkg/${target}/atlassian_sign.js lacks the patch ${JSON.stringify(m)}`);
  }
});
