// explain on refusals rebuilt from public reports (tests/explain-corpus/: the server side of
// every entry comes from oauthlib, atlassian-jwt or node:crypto, never from this package).
// Prints the hit rate by scheme and every miss; fails when an explanation is empty, leaks a
// secret, throws without a code, or when the number of causes found falls below the floor
// (the count this build reached, so a change that loses causes fails; raise it when it grows).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as api from '../../pkg/index.mjs';

const read = (f) => JSON.parse(readFileSync(new URL(`../explain-corpus/${f}`, import.meta.url), 'utf8'));
const corpus = read('corpus.json');
const { codes } = read('codes.json');
const FLOOR = Number(process.env.EXPLAIN_CORPUS_FLOOR ?? 126);

function secretsOf(credentials = {}) {
  return Object.entries(credentials)
    .filter(([k, v]) => typeof v === 'string' && /secret|privateKey/i.test(k) && v.length >= 8)
    .map(([, v]) => (v.includes('-----BEGIN') ? v.split('\n').find((l) => l.length > 40) ?? v : v));
}

test(`explain on ${corpus.entries.length} refusals rebuilt from public reports`, () => {
  const byScheme = {};
  const misses = [];
  let found = 0;
  let total = 0;
  const byProvider = {};
  for (const entry of corpus.entries) {
    const s = (byScheme[entry.scheme] ??= { causes: 0, found: 0, entries: 0, all: 0 });
    const p = (byProvider[entry.source.provider ?? 'atlassian'] ??= { causes: 0, found: 0 });
    s.entries++;
    let e;
    try {
      e = api.explain(entry.input);
    } catch (err) {
      assert.equal(typeof err.code, 'string', `${entry.id}: threw without a code: ${err.message}`);
      e = { causes: [], cause: err.code, summary: err.message, fix: '' };
    }
    if (e.summary !== undefined && e.fix !== undefined && e.causes.length) {
      assert.ok(e.summary.length > 0 && e.fix.length > 0, `${entry.id}: empty summary or fix`);
    }
    const text = JSON.stringify(e);
    for (const secret of secretsOf(entry.input.credentials)) {
      assert.ok(!text.includes(secret), `${entry.id}: a secret appears in the explanation`);
    }
    let all = true;
    for (const cause of entry.expected.causes) {
      total++;
      s.causes++;
      p.causes++;
      const accepted = codes[cause] ?? [];
      if (accepted.some((c) => e.causes.includes(c))) {
        found++;
        s.found++;
        p.found++;
      } else {
        all = false;
        misses.push(`${entry.id} [${entry.scheme}] expected ${cause}, got ${e.causes.join(', ') || e.cause}`);
      }
    }
    if (all) s.all++;
  }
  console.log(`explain corpus: ${found}/${total} causes found (${((100 * found) / total).toFixed(0)} %)`);
  for (const [scheme, s] of Object.entries(byScheme)) {
    console.log(`  ${scheme.padEnd(24)} ${s.found}/${s.causes} causes, ${s.all}/${s.entries} entries fully explained`);
  }
  for (const [provider, p] of Object.entries(byProvider)) {
    console.log(`  reports about ${provider === 'atlassian' ? 'Atlassian products' : 'other OAuth providers'}: ${p.found}/${p.causes} causes`);
  }
  console.log(`misses (${misses.length}):\n  ${misses.join('\n  ')}`);
  assert.ok(found >= FLOOR, `${found} causes found, below the floor of ${FLOOR}`);
});
