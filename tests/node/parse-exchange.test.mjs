// parseExchange: what people paste (curl -v, raw HTTP, HAR) becomes explain's input, and the
// explanation of the paste names the same causes as the explanation of the corpus entry it was
// made from (tests/explain-corpus/pastes/). Bad pastes give coded errors, never a trap.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as api from '../../pkg/index.mjs';

const dir = new URL('../explain-corpus/', import.meta.url);
const index = JSON.parse(readFileSync(new URL('pastes/index.json', dir), 'utf8'));
const corpus = JSON.parse(readFileSync(new URL('corpus.json', dir), 'utf8'));

test('each paste form explains like its corpus entry', () => {
  const forms = new Set();
  for (const p of index.entries) {
    const entry = corpus.entries.find((e) => e.id === p.entry);
    const text = readFileSync(new URL(p.file, dir), 'utf8');
    const parsed = api.parseExchange(text, p.harEntry === undefined ? undefined : { entry: p.harEntry });
    assert.equal(parsed.request.method, entry.input.request.method, p.file);
    assert.equal(parsed.request.url, entry.input.request.url, p.file);
    const { request, response, ...rest } = entry.input;
    const fromPaste = api.explain({ ...rest, request: parsed.request, response: p.responseBody ? response : parsed.response });
    const fromEntry = api.explain(entry.input);
    assert.deepEqual(fromPaste.causes, fromEntry.causes, `${p.file}: ${fromPaste.summary}`);
    forms.add(p.form);
  }
  assert.deepEqual([...forms].sort(), ['HAR', 'curl -v', 'raw HTTP']);
});

test('bad pastes give coded errors and the module keeps working', () => {
  for (const bad of ['', '\u0000', '{"log":{"entries":[]}}', 'curl "https://unclosed']) {
    assert.throws(() => api.parseExchange(bad), (e) => e.code === 'ERR_INVALID_INPUT' || assert.fail(`${e.code}: ${e.message}`));
  }
  assert.throws(() => api.parseExchange(42), { code: 'ERR_INVALID_INPUT' });
  assert.throws(() => api.parseExchange('x', { entry: -1 }), { code: 'ERR_INVALID_INPUT' });
  // A refusal message alone is a response-only exchange, which explain still answers.
  const only = api.parseExchange('oauth_problem=timestamp_refused&oauth_acceptable_timestamps=1700000000-1700000600');
  assert.equal(only.request, null);
  assert.equal(api.explain(only).cause, 'CLOCK_SKEW');
});
