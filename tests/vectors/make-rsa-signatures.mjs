// Makes tests/vectors/rsa-signatures.json with node:crypto (OpenSSL).
import crypto from 'node:crypto';
import fs from 'node:fs';
const msg = Buffer.from('GET&https%3A%2F%2Fjira.example.com%2Frest%2Fapi%2F2%2Fmyself&oauth_consumer_key%3Dck');
const cases = JSON.parse(fs.readFileSync('tests/vectors/oauth-cases.json', 'utf8'));
// OpenSSL rounds odd sizes down, so the 2049-bit key is put together from two primes here.
function odd2049() {
  const b64 = (x) => { let h = x.toString(16); if (h.length % 2) h = '0' + h; return Buffer.from(h, 'hex').toString('base64url'); };
  const pow = (b, e, m) => { let r = 1n; b %= m; for (; e > 0n; e >>= 1n, b = b * b % m) if (e & 1n) r = r * b % m; return r; };
  const inv = (a, m) => { let [r0, r1, s0, s1] = [a % m, m, 1n, 0n]; while (r1) { const q = r0 / r1; [r0, r1] = [r1, r0 - q * r1]; [s0, s1] = [s1, s0 - q * s1]; } return ((s0 % m) + m) % m; };
  const e = 65537n;
  for (;;) {
    const p = crypto.generatePrimeSync(1025, { bigint: true });
    const q = crypto.generatePrimeSync(1024, { bigint: true });
    const n = p * q;
    if (n.toString(2).length !== 2049 || (p - 1n) % e === 0n || (q - 1n) % e === 0n) continue;
    const d = inv(e, (p - 1n) * (q - 1n));
    const jwk = { kty: 'RSA', n: b64(n), e: b64(e), d: b64(d), p: b64(p), q: b64(q), dp: b64(d % (p - 1n)), dq: b64(d % (q - 1n)), qi: b64(pow(q, p - 2n, p)) };
    return crypto.createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' });
  }
}
const keys = [
  { name: 'oauth-cases test_key (2048)', pem: cases.test_key.private_pkcs8_pem },
  { name: 'generated 3072', pem: crypto.generateKeyPairSync('rsa', { modulusLength: 3072 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) },
  { name: 'generated 2049 (PSS emLen = k - 1)', pem: odd2049() },
  { name: 'generated 1024, e = 3', pem: crypto.generateKeyPairSync('rsa', { modulusLength: 1024, publicExponent: 3 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) },
];
const out = { message_hex: msg.toString('hex'), keys: [] };
for (const k of keys) {
  const key = crypto.createPrivateKey(k.pem);
  const entry = { name: k.name, private_pem: k.pem, public_spki_pem: crypto.createPublicKey(key).export({ type: 'spki', format: 'pem' }), bits: key.asymmetricKeyDetails.modulusLength, pkcs1v15: {}, pss: {} };
  for (const h of ['sha1', 'sha256', 'sha384', 'sha512']) entry.pkcs1v15[h] = crypto.sign(h, msg, key).toString('hex');
  for (const h of ['sha256', 'sha384', 'sha512']) {
    if (entry.bits < 1040 && h === 'sha512') continue;
    entry.pss[h] = crypto.sign(h, msg, { key, padding: crypto.constants.RSA_PKCS1_PSS_PADDING, saltLength: crypto.constants.RSA_PSS_SALTLEN_DIGEST }).toString('hex');
  }
  // raw private op of 0x02 (no padding), for raw_private.
  const two = Buffer.alloc(Math.ceil(entry.bits / 8)); two[two.length - 1] = 2;
  entry.raw_private_of_2 = crypto.privateEncrypt({ key, padding: crypto.constants.RSA_NO_PADDING }, two).toString('hex');
  out.keys.push(entry);
}
fs.writeFileSync('tests/vectors/rsa-signatures.json', JSON.stringify(out, null, 1) + '\n');
console.log(out.keys.map((k) => `${k.name}: ${k.bits}`).join('\n'));
