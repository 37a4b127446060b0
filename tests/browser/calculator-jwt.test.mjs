// The calculator's "Edit and sign a JWT" section (as jwt.io) in Debian's Chromium: tokens the page
// re-signs with HS*, RS* and PS* are verified here, in Node, by jose; tokens jose signs are
// decoded and checked by the page; the three coloured parts; the errors for bad JSON and bad keys.
//   node --test tests/browser/calculator-jwt.test.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, jwtVerify } from 'jose';
import { NO_CHROMIUM, assertSameOrigin, openPage, resultValue, servePage, vectors, waitState } from './helpers.mjs';

let baseUrl;
let browser;
servePage((s) => ({ baseUrl, browser } = s));

const opts = { skip: NO_CHROMIUM, timeout: 60_000 };
const testKey = vectors('oauth-cases.json').test_key; // RSA 2048
const secret = 'a-shared-secret-of-the-calculator-test';
const bytes = (s) => new TextEncoder().encode(s);

/** The token the page shows: the coloured result, which the token field also holds. */
async function pageToken(page) {
  const token = await resultValue(page, 'jwtedit-coloured');
  assert.equal(await page.inputValue('#jwtedit-token'), token, 'the token field holds the signed token');
  return token;
}

/** The error box's code and message. */
async function errorOf(page) {
  return { code: await page.textContent('#jwtedit-error .code'), message: await page.textContent('#jwtedit-error .message') };
}

/** WCAG contrast ratio of two computed `rgb(...)` colours. */
function contrast(a, b) {
  const lum = (rgb) => {
    const [r, g, bl] = rgb.match(/[\d.]+/g).slice(0, 3).map((x) => {
      const c = Number(x) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** The coloured parts: [class, text] of each span, and each part's colour against the result's background. */
async function parts(page) {
  return page.$$eval('#jwtedit-coloured > span', (spans) => spans.map((s) => ({
    cls: s.className, text: s.textContent, color: getComputedStyle(s).color,
    background: getComputedStyle(s.parentElement).backgroundColor,
  })));
}

test('JWT editor: HS256 and HS384 re-signed from edited claims verify with jose; the three parts are coloured', opts, async () => {
  const session = await openPage(browser, baseUrl, { colorScheme: 'light' });
  const { page } = session;
  try {
    // The page opens with jwt.io's example, unsigned until a secret is given.
    assert.equal(await page.getAttribute('#jwtedit-form', 'data-state'), 'unsigned');
    assert.equal(await page.isHidden('#jwtedit-error'), true, 'no error before the person types');
    await page.fill('#jwtedit-key', secret);
    await waitState(page, 'jwtedit-form', 'signed-verified');
    let token = await pageToken(page);
    let { payload, protectedHeader } = await jwtVerify(token, bytes(secret), { algorithms: ['HS256'], currentDate: new Date(1516239022e3) });
    assert.deepEqual(protectedHeader, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(payload, { sub: '1234567890', name: 'John Doe', iat: 1516239022 });

    // Edited claims: signed again as they are typed.
    const claims = { iss: 'com.example.calc', sub: 'user-1', aud: ['a', 'b'], admin: true, n: 1.5, nested: { x: [1, null, 'é'] }, iat: 1700000000, exp: 4102444800 };
    await page.fill('#jwtedit-payload', JSON.stringify(claims, null, 2));
    await waitState(page, 'jwtedit-form', 'signed-verified');
    token = await pageToken(page);
    ({ payload } = await jwtVerify(token, bytes(secret), { algorithms: ['HS256'] }));
    assert.deepEqual(payload, claims);
    assert.match(await page.textContent('#jwtedit-verdict'), /^Signature verified: a valid HS256 signature, checked with the signing secret \(38 bytes\)\.$/);

    // Three coloured parts (header, payload, signature) with dots between, together the token.
    const p = await parts(page);
    assert.deepEqual(p.map((x) => [x.cls, x.text]), [
      ['jwt-header', token.split('.')[0]], ['jwt-dot', '.'], ['jwt-payload', token.split('.')[1]], ['jwt-dot', '.'], ['jwt-signature', token.split('.')[2]],
    ]);
    const colours = p.filter((x) => x.cls !== 'jwt-dot');
    assert.equal(new Set(colours.map((x) => x.color)).size, 3, `three colours: ${colours.map((x) => x.color)}`);
    for (const x of colours) assert.ok(contrast(x.color, x.background) >= 4.5, `${x.cls} readable in the light theme: ${x.color} on ${x.background}`);

    // Another algorithm: written into the header, and the token is signed with it.
    await page.selectOption('#jwtedit-alg', 'HS384');
    await waitState(page, 'jwtedit-form', 'signed-verified');
    assert.equal(JSON.parse(await page.inputValue('#jwtedit-header')).alg, 'HS384');
    token = await pageToken(page);
    ({ payload, protectedHeader } = await jwtVerify(token, bytes(secret), { algorithms: ['HS384'] }));
    assert.deepEqual(protectedHeader, { alg: 'HS384', typ: 'JWT' });
    assert.deepEqual(payload, claims);

    // Extra header members are kept; an alg typed in the header moves the algorithm choice.
    await page.fill('#jwtedit-header', '{"typ": "JWT", "kid": "key-7", "alg": "HS512"}');
    await waitState(page, 'jwtedit-form', 'signed-verified');
    assert.equal(await page.inputValue('#jwtedit-alg'), 'HS512');
    token = await pageToken(page);
    ({ protectedHeader } = await jwtVerify(token, bytes(secret), { algorithms: ['HS512'] }));
    assert.deepEqual(protectedHeader, { alg: 'HS512', typ: 'JWT', kid: 'key-7' });
    assert.equal(Buffer.from(token.split('.')[0], 'base64url').toString(), '{"typ":"JWT","kid":"key-7","alg":"HS512"}', 'the header as typed, in its order');

    // Another secret in the verification field: the signature does not match it.
    await page.fill('#jwtedit-verify-key', 'not-the-secret');
    await waitState(page, 'jwtedit-form', 'signed-invalid');
    assert.equal(await page.textContent('#jwtedit-verdict .code'), 'ERR_JWT_SIGNATURE_INVALID');
    await page.fill('#jwtedit-verify-key', secret);
    await waitState(page, 'jwtedit-form', 'signed-verified');
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('JWT editor: RS256, RS512 and PS256 with an RSA private key verify with jose and the public key', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    const publicKey = createPublicKey(createPrivateKey(testKey.private_pkcs8_pem));
    await page.fill('#jwtedit-payload', '{"iss": "rs-test", "iat": 1700000000}');
    await page.selectOption('#jwtedit-alg', 'RS256');
    await page.fill('#jwtedit-key', testKey.private_pkcs8_pem);
    await waitState(page, 'jwtedit-form', 'signed-verified');
    assert.match(await page.textContent('#jwtedit-verdict'), /RS256 signature, checked with the public half of the signing key \(RSA 2048 bits\)/);
    for (const alg of ['RS256', 'RS512', 'PS256']) {
      if (alg !== 'RS256') {
        await page.selectOption('#jwtedit-alg', alg);
        await page.waitForFunction((a) => document.getElementById('jwtedit-coloured').dataset.value.startsWith(
          btoa(JSON.stringify({ alg: a, typ: 'JWT' })).replace(/=+$/, '')), alg);
        await waitState(page, 'jwtedit-form', 'signed-verified');
      }
      const token = await pageToken(page);
      const { payload, protectedHeader } = await jwtVerify(token, publicKey, { algorithms: [alg] });
      assert.deepEqual(protectedHeader, { alg, typ: 'JWT' }, alg);
      assert.deepEqual(payload, { iss: 'rs-test', iat: 1700000000 }, alg);
    }

    // The public key in the verification field (PEM, then JWK); another key's public half fails.
    await page.fill('#jwtedit-verify-key', testKey.public_spki_pem);
    await waitState(page, 'jwtedit-form', 'signed-verified');
    await page.fill('#jwtedit-verify-key', JSON.stringify(publicKey.export({ format: 'jwk' })));
    await waitState(page, 'jwtedit-form', 'signed-verified');
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' });
    await page.fill('#jwtedit-verify-key', other);
    await waitState(page, 'jwtedit-form', 'signed-invalid');
    assert.equal(await page.textContent('#jwtedit-verdict .code'), 'ERR_JWT_SIGNATURE_INVALID');
    // A secret cannot check an RSA signature: the algorithm is pinned by the key.
    await page.fill('#jwtedit-verify-key', 'a secret');
    await waitState(page, 'jwtedit-form', 'signed-invalid');
    assert.equal(await page.textContent('#jwtedit-verdict .code'), 'ERR_JWT_ALG_NOT_ALLOWED');

    // A JWK private key signs too.
    await page.fill('#jwtedit-verify-key', '');
    await page.selectOption('#jwtedit-alg', 'RS256');
    await page.fill('#jwtedit-key', JSON.stringify(createPrivateKey(testKey.private_pkcs8_pem).export({ format: 'jwk' })));
    await waitState(page, 'jwtedit-form', 'signed-verified');
    await jwtVerify(await pageToken(page), publicKey, { algorithms: ['RS256'] });
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('JWT editor: a token signed by jose is decoded into the header and claims and checked; tampering is caught', opts, async () => {
  const session = await openPage(browser, baseUrl, { colorScheme: 'dark' });
  const { page } = session;
  try {
    const claims = { sub: 'from-jose', scope: 'read write', iat: 1700000000 };
    const token = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512', kid: 'k1' }).sign(bytes(secret));
    await page.fill('#jwtedit-token', `Bearer ${token}`);
    await waitState(page, 'jwtedit-form', 'decoded-no-key');
    assert.deepEqual(JSON.parse(await page.inputValue('#jwtedit-header')), decodeProtectedHeader(token));
    assert.deepEqual(JSON.parse(await page.inputValue('#jwtedit-payload')), claims);
    assert.equal(await page.inputValue('#jwtedit-alg'), 'HS512');
    assert.equal(await resultValue(page, 'jwtedit-coloured'), token, 'the token without its scheme, not re-signed');
    await page.fill('#jwtedit-verify-key', secret);
    await waitState(page, 'jwtedit-form', 'decoded-verified');
    assert.equal(await resultValue(page, 'jwtedit-coloured'), token, 'checking does not re-sign');

    // Readable in the dark theme too.
    const p = (await parts(page)).filter((x) => x.cls !== 'jwt-dot');
    assert.equal(p.length, 3);
    for (const x of p) assert.ok(contrast(x.color, x.background) >= 4.5, `${x.cls} readable in the dark theme: ${x.color} on ${x.background}`);

    // A changed payload under the old signature.
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: 'admin' })).toString('base64url')}.${s}`;
    await page.fill('#jwtedit-token', forged);
    await waitState(page, 'jwtedit-form', 'decoded-invalid');
    assert.equal(await page.textContent('#jwtedit-verdict .code'), 'ERR_JWT_SIGNATURE_INVALID');
    assert.equal(JSON.parse(await page.inputValue('#jwtedit-payload')).sub, 'admin');

    // A signing key typed while a pasted token is shown checks it; the button signs it again.
    await page.fill('#jwtedit-verify-key', '');
    await page.fill('#jwtedit-key', secret);
    await waitState(page, 'jwtedit-form', 'decoded-invalid');
    assert.equal(await resultValue(page, 'jwtedit-coloured'), forged);
    await page.click('#jwtedit-sign');
    await waitState(page, 'jwtedit-form', 'signed-verified');
    const { payload, protectedHeader } = await jwtVerify(await pageToken(page), bytes(secret), { algorithms: ['HS512'] });
    assert.deepEqual(payload, { ...claims, sub: 'admin' });
    assert.deepEqual(protectedHeader, { alg: 'HS512', kid: 'k1' });

    // Not a token: the package's error.
    await page.fill('#jwtedit-token', 'not.a-token');
    await waitState(page, 'jwtedit-form', 'error');
    assert.equal((await errorOf(page)).code, 'ERR_JWT_MALFORMED');
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});

test('JWT editor: bad JSON, an unsupported alg, an empty secret, a short or public RSA key are errors with codes', opts, async () => {
  const session = await openPage(browser, baseUrl);
  const { page } = session;
  try {
    await page.fill('#jwtedit-key', secret);
    await waitState(page, 'jwtedit-form', 'signed-verified');
    const good = await pageToken(page);

    await page.fill('#jwtedit-payload', '{"sub": "x",}');
    await waitState(page, 'jwtedit-form', 'error');
    let e = await errorOf(page);
    assert.equal(e.code, 'ERR_INVALID_INPUT');
    assert.match(e.message, /^ the claims is not valid JSON \(.+\); names and strings need double quotes/);
    assert.equal(await resultValue(page, 'jwtedit-coloured'), '', 'no token for bad claims');
    assert.equal(await page.inputValue('#jwtedit-token'), good, 'the last good token stays in the field');

    await page.fill('#jwtedit-payload', '[1, 2]');
    await waitState(page, 'jwtedit-form', 'error');
    assert.match((await errorOf(page)).message, /the claims must be a JSON object \{…\}, not an array/);
    await page.fill('#jwtedit-payload', '{"sub": "x"}');
    await page.fill('#jwtedit-header', '{"alg": "HS256", "typ": "JWT"');
    await waitState(page, 'jwtedit-form', 'error');
    assert.match((await errorOf(page)).message, /the header is not valid JSON/);
    await page.fill('#jwtedit-header', '{"alg": "none"}');
    await waitState(page, 'jwtedit-form', 'error');
    e = await errorOf(page);
    assert.equal(e.code, 'ERR_UNSUPPORTED_ALGORITHM');
    assert.match(e.message, /alg "none" is not one this page signs with/);

    // An empty HMAC secret is refused (anyone could sign with it).
    await page.fill('#jwtedit-header', '{"alg": "HS256"}');
    await waitState(page, 'jwtedit-form', 'signed-verified');
    await page.fill('#jwtedit-key', '');
    await waitState(page, 'jwtedit-form', 'error');
    e = await errorOf(page);
    assert.equal(e.code, 'ERR_INVALID_KEY');
    assert.match(e.message, /HMAC secret is empty/);

    // RS256: no key, a 1024-bit key, a public key, a secret, a broken JWK.
    await page.selectOption('#jwtedit-alg', 'RS256');
    await waitState(page, 'jwtedit-form', 'error');
    assert.match((await errorOf(page)).message, /RS256 signs with an RSA private key of 2048 bits or more/);
    const short = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    const cases = [
      [short, /RS256 needs an RSA key of at least 2048 bits .* but this key has 1024/],
      [testKey.public_spki_pem, /signing needs the RSA private key, but an SPKI public key/],
      ['a secret', /RS256 needs an RSA key \(PEM text, a JWK, a KeyObject or a CryptoKey\), but a shared secret/],
      ['{"kty": "RSA", "n": ', /the key looks like a JWK but is not valid JSON/],
    ];
    for (const [key, message] of cases) {
      await page.fill('#jwtedit-key', key);
      await page.waitForFunction((m) => new RegExp(m).test(document.querySelector('#jwtedit-error .message')?.textContent ?? ''), message.source);
      e = await errorOf(page);
      assert.equal(e.code, 'ERR_INVALID_KEY', e.message);
      assert.equal(await page.getAttribute('#jwtedit-form', 'data-state'), 'error');
    }
    await page.fill('#jwtedit-key', testKey.private_pkcs1_pem);
    await waitState(page, 'jwtedit-form', 'signed-verified');
    assert.equal(await page.isHidden('#jwtedit-error'), true, 'the error is gone once the key is good');
    await assertSameOrigin(baseUrl, session);
  } finally {
    await session.context.close();
  }
});
