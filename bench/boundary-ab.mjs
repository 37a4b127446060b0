#!/usr/bin/env node
// node bench/boundary-ab.mjs <pkg A> <pkg B>: the option-bag calls of two builds, paired in one
// process (15 rounds of 100 ms each), e.g. property-by-property reading (A) against JSON (B).
// Paired A/B of the boundary: options read property by property in Rust (A, per-property
// Reflect.get, what serde-wasm-bindgen also does) vs one JSON text prepared by the facade (B).
import { createRequire } from 'node:module';
const req = createRequire(import.meta.url);
const [A, B] = [process.argv[2], process.argv[3]].map((d) => req(`${d}/index.cjs`));
const url = 'https://jira.example.com/rest/api/2/search?jql=project%3DABC&maxResults=50&startAt=0';
const creds = { consumerKey: 'consumer-key-1', consumerSecret: 'consumer-secret', token: 'tok', tokenSecret: 'ts', signatureMethod: 'HMAC-SHA1' };
const request = { method: 'GET', url, headers: { accept: 'application/json' } };
const secret = 'a-shared-secret-of-some-length';
const tok = A.connectToken({ product: 'jira', method: 'GET', url: 'https://app.example.com/page?a=1&b=2', baseUrl: 'https://app.example.com', appKey: 'clientKey-1', secret });
const inReq = { method: 'GET', url: 'https://app.example.com/page?a=1&b=2', headers: { authorization: tok.authorization } };
const signed = A.signOAuthSync(request, creds);
const cases = {
  'signOAuthSync HMAC': [(api) => api.signOAuthSync(request, creds), false],
  'signOAuth HMAC': [(api) => api.signOAuth(request, creds), true],
  'verifyOAuth HMAC': [(api) => api.verifyOAuth({ ...request, headers: { authorization: signed.authorization } }, { consumerSecret: 'consumer-secret', tokenSecret: 'ts' }), false],
  'verifyConnectRequest HS256': [(api) => api.verifyConnectRequest(inReq, { baseUrl: 'https://app.example.com', sharedSecret: secret }), true],
};
async function window(f, api, isAsync, ms) {
  const t = performance.now(); let n = 0;
  while (performance.now() - t < ms) { if (isAsync) await f(api); else f(api); n++; }
  return (performance.now() - t) * 1000 / n;
}
for (const [label, [f, isAsync]] of Object.entries(cases)) {
  for (const api of [A, B]) await window(f, api, isAsync, 300);
  const a = [], b = [], r = [];
  for (let round = 0; round < 15; round++) {
    const x = await window(f, A, isAsync, 100), y = await window(f, B, isAsync, 100);
    a.push(x); b.push(y); r.push(x / y);
  }
  const med = (v) => [...v].sort((p, q) => p - q)[Math.floor(v.length / 2)];
  console.log(`${label.padEnd(28)} per-property ${med(a).toFixed(1)} µs   JSON ${med(b).toFixed(1)} µs   JSON is ${med(r).toFixed(2)}x as fast`);
}
