// The Wycheproof RSA signature-verification suites (tests/vectors/wycheproof/, see its README)
// through the built package's jwsVerify, with the message as bytes (Wycheproof messages are
// not always UTF-8). Same rules as tests/wycheproof.rs:
// - "valid" verifies (true); "invalid" gives false, or the key is refused with a coded error;
// - "acceptable" may go either way only when all its flags are in EITHER_WAY (MissingNull: a
//   PKCS#1 v1.5 DigestInfo without the NULL parameters, a legacy encoding Wycheproof says is
//   not a vulnerability to accept; byte-comparing verifiers refuse it); any other flag fails;
// - groups with parameters no RS*/PS* algorithm has are skipped, counted and printed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as api from '../../pkg/index.mjs';
import { vector } from './helpers.mjs';

const dir = new URL('../vectors/wycheproof/', import.meta.url);
const EITHER_WAY = ['MissingNull'];

const FILES = [
  ['rsa_signature_2048_sha256_test.json', 'pkcs1'],
  ['rsa_signature_2048_sha384_test.json', 'pkcs1'],
  ['rsa_signature_2048_sha512_test.json', 'pkcs1'],
  ['rsa_signature_3072_sha256_test.json', 'pkcs1'],
  ['rsa_signature_3072_sha384_test.json', 'pkcs1'],
  ['rsa_signature_3072_sha512_test.json', 'pkcs1'],
  ['rsa_signature_4096_sha256_test.json', 'pkcs1'],
  ['rsa_signature_4096_sha384_test.json', 'pkcs1'],
  ['rsa_signature_4096_sha512_test.json', 'pkcs1'],
  ['rsa_pss_2048_sha256_mgf1_32_test.json', 'pss'],
  ['rsa_pss_2048_sha384_mgf1_48_test.json', 'pss'],
  ['rsa_pss_3072_sha256_mgf1_32_test.json', 'pss'],
  ['rsa_pss_4096_sha256_mgf1_32_test.json', 'pss'],
  ['rsa_pss_4096_sha384_mgf1_48_test.json', 'pss'],
  ['rsa_pss_4096_sha512_mgf1_64_test.json', 'pss'],
  ['rsa_pss_misc_test.json', 'pss'],
];

const HASHES = { 'SHA-256': [256, 32], 'SHA-384': [384, 48], 'SHA-512': [512, 64] };

/** The JWS algorithm of a group, or { skip: reason }. */
function algorithm(scheme, g) {
  const h = HASHES[g.sha];
  if (!h) return { skip: `message hash ${g.sha} is not SHA-256/384/512` };
  if (scheme === 'pkcs1') return { alg: `RS${h[0]}` };
  if (g.mgf !== 'MGF1' || g.mgfSha !== g.sha) return { skip: `${g.mgf} over ${g.mgfSha}: MGF1 hash is not the message hash` };
  if (g.sLen !== h[1]) return { skip: 'salt length is not the hash length' };
  return { alg: `PS${h[0]}` };
}

/** Which count a passing case adds to, or null when the case failed. */
function passed(tc, outcome) {
  const refused = outcome === 'rejected' || outcome === 'key refused';
  if (tc.result === 'valid') return outcome === 'accepted' ? 'valid' : null;
  if (tc.result === 'invalid') return refused ? 'invalid' : null;
  if (tc.result === 'acceptable' && tc.flags.every((f) => EITHER_WAY.includes(f))) {
    if (outcome === 'accepted') return 'accAccepted';
    if (refused) return 'accRejected';
  }
  return null;
}

const bytes = (hex) => new Uint8Array(Buffer.from(hex, 'hex'));

for (const [name, scheme] of FILES) {
  test(`Wycheproof ${name}`, () => {
    const file = JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
    assert.equal(file.algorithm, scheme === 'pkcs1' ? 'RSASSA-PKCS1-v1_5' : 'RSASSA-PSS');
    const c = { valid: 0, invalid: 0, invalidByKey: 0, accAccepted: 0, accRejected: 0, skipped: new Map() };
    const failures = [];
    let seen = 0;
    for (const g of file.testGroups) {
      seen += g.tests.length;
      const { alg, skip } = algorithm(scheme, g);
      if (skip) {
        c.skipped.set(skip, (c.skipped.get(skip) ?? 0) + g.tests.length);
        continue;
      }
      for (const tc of g.tests) {
        let outcome;
        try {
          outcome = api.jwsVerify(bytes(tc.msg), bytes(tc.sig), g.publicKeyPem, alg) ? 'accepted' : 'rejected';
        } catch (e) {
          // A refused key (ERR_INVALID_KEY) counts as "not verified"; anything uncoded fails.
          outcome = e.code === 'ERR_INVALID_KEY' ? 'key refused' : `error ${e.code}: ${e.message}`;
        }
        const counter = passed(tc, outcome);
        if (counter) {
          c[counter] += 1;
          if (counter === 'invalid' && outcome === 'key refused') c.invalidByKey += 1;
        } else {
          failures.push(`${name} tcId ${tc.tcId} (${alg}): expected ${tc.result}, got ${outcome}; flags ${JSON.stringify(tc.flags)}; comment ${JSON.stringify(tc.comment)}`);
        }
      }
    }
    assert.ok(seen > 0, `${name}: no test cases`);
    assert.equal(seen, file.numberOfTests, `${name}: numberOfTests`);
    const skipped = [...c.skipped.values()].reduce((a, b) => a + b, 0);
    assert.ok(seen > skipped, `${name}: every case was skipped`);
    const line = `${name}: passed valid ${c.valid}, invalid ${c.invalid} (by key refusal ${c.invalidByKey}), acceptable ${c.accAccepted + c.accRejected} (accepted ${c.accAccepted}, rejected ${c.accRejected}); failed ${failures.length}; skipped ${skipped}`;
    console.log(line);
    for (const [reason, n] of c.skipped) console.log(`    skipped ${n}: ${reason}`);
    for (const f of failures) console.log(`FAIL ${f}`);
    assert.deepEqual(failures, [], `${name}: ${failures.length} cases failed`);
  });
}

test('Wycheproof: every JSON file in the folder is run', () => {
  const onDisk = readdirSync(dir).filter((n) => n.endsWith('.json')).sort();
  assert.deepEqual(onDisk, FILES.map(([n]) => n).sort());
});

test('jwsSign/jwsVerify: a Uint8Array signing input is the same as the string with those bytes', () => {
  const key = vector('oauth-cases.json').test_key;
  const text = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJhcHAifQ';
  const ascii = new TextEncoder().encode(text);
  for (const [alg, signKey, verifyKey] of [
    ['HS256', 'shared-secret', 'shared-secret'],
    ['HS512', 'shared-secret', 'shared-secret'],
    ['RS256', key.private_pkcs8_pem, key.public_spki_pem],
    ['RS512', key.private_pkcs8_pem, key.public_spki_pem],
    ['PS256', key.private_pkcs8_pem, key.public_spki_pem],
  ]) {
    const fromText = api.jwsSign(text, signKey, alg);
    const fromBytes = api.jwsSign(ascii, signKey, alg);
    const fromBuffer = api.jwsSign(Buffer.from(text), signKey, alg);
    // HS and RS are deterministic; PS salts are random, so there only the cross checks hold.
    if (!alg.startsWith('PS')) {
      assert.equal(fromBytes, fromText, alg);
      assert.equal(fromBuffer, fromText, alg);
    }
    for (const sig of [fromText, fromBytes, fromBuffer]) {
      assert.equal(api.jwsVerify(text, sig, verifyKey, alg), true, alg);
      assert.equal(api.jwsVerify(ascii, sig, verifyKey, alg), true, alg);
      assert.equal(api.jwsVerify(ascii, Buffer.from(sig, 'base64url'), verifyKey, alg), true, alg);
    }
    // Another message: false, from either form.
    const other = new TextEncoder().encode(`${text}x`);
    assert.equal(api.jwsVerify(other, fromText, verifyKey, alg), false, alg);
    assert.equal(api.jwsVerify(`${text}x`, fromBytes, verifyKey, alg), false, alg);
  }
  // Text is signed as UTF-8: non-ASCII text equals its UTF-8 bytes.
  const utf8 = 'é.😀';
  assert.equal(api.jwsSign(utf8, 's', 'HS256'), api.jwsSign(new TextEncoder().encode(utf8), 's', 'HS256'));
  // Bytes that are not UTF-8 sign and verify.
  const raw = new Uint8Array([0xff, 0xfe, 0x00, 0x80]);
  const rawSig = api.jwsSign(raw, key.private_pkcs8_pem, 'RS256');
  assert.equal(api.jwsVerify(raw, rawSig, key.public_spki_pem, 'RS256'), true);
  assert.equal(api.jwsVerify(new Uint8Array([0xff, 0xfe, 0x00, 0x81]), rawSig, key.public_spki_pem, 'RS256'), false);
});

test('jwsSign/jwsVerify: other signing input types and bad keys throw coded errors', () => {
  const key = vector('oauth-cases.json').test_key;
  for (const bad of [undefined, null, 42, {}, ['a'], new ArrayBuffer(2)]) {
    assert.throws(() => api.jwsSign(bad, 's', 'HS256'), { name: 'TypeError', code: 'ERR_INVALID_INPUT' });
    assert.throws(() => api.jwsVerify(bad, 'AA', 's', 'HS256'), { name: 'TypeError', code: 'ERR_INVALID_INPUT' });
  }
  const sig = api.jwsSign('a.b', key.private_pkcs8_pem, 'RS256');
  const broken = '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\n-----END PUBLIC KEY-----';
  assert.throws(() => api.jwsVerify(new TextEncoder().encode('a.b'), sig, broken, 'RS256'), { code: 'ERR_INVALID_KEY' });
  assert.equal(api.jwsVerify(new TextEncoder().encode('a.c'), sig, key.public_spki_pem, 'RS256'), false);
});
