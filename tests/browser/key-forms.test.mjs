// Keys in the browser build (issue 18): a WebCrypto key that cannot be exported signs and
// verifies through WebCrypto in Chromium (encodeJwtAsync, verifyJwtAsync, signOAuth), with the
// same bytes as the Node build for the deterministic algorithms; the synchronous calls name the
// asynchronous one to use, since the browser has no synchronous export.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NO_CHROMIUM, openPage, servePage, vectors } from './helpers.mjs';

const key = vectors('oauth-cases.json').test_key;
let ctx;
servePage((c) => { ctx = c; });

test('non-extractable CryptoKeys through WebCrypto in Chromium', { skip: NO_CHROMIUM }, async () => {
  const { page, context } = await openPage(ctx.browser, ctx.baseUrl);
  try {
    const out = await page.evaluate(async ({ pkcs8, spki }) => {
      const lib = await import('/pkg/web.js');
      await lib.init();
      const der = (pem) => Uint8Array.from(atob(pem.replace(/-----[^-]+-----|\s/g, '')), (c) => c.charCodeAt(0));
      const alg = (hash) => ({ name: 'RSASSA-PKCS1-v1_5', hash });
      const priv = await crypto.subtle.importKey('pkcs8', der(pkcs8), alg('SHA-256'), false, ['sign']);
      const pub = await crypto.subtle.importKey('spki', der(spki), alg('SHA-256'), false, ['verify']);
      const claims = { iss: 'app', exp: 4102444800 };
      const token = await lib.encodeJwtAsync(claims, priv, { kid: 'k' });
      const payload = await lib.verifyJwtAsync(token, pub, { algorithms: ['RS256'] });
      let tampered;
      try {
        await lib.verifyJwtAsync(token.replace(/\.[^.]+\./, `.${btoa('{"iss":"evil"}').replace(/=+$/, '')}.`), pub, { algorithms: ['RS256'] });
      } catch (e) {
        tampered = e.code;
      }
      let sync;
      try {
        lib.encodeJwt(claims, priv);
      } catch (e) {
        sync = [e.code, e.message];
      }
      const hmac = await crypto.subtle.importKey('raw', new TextEncoder().encode('s'), { name: 'HMAC', hash: 'SHA-256' }, true, ['sign']);
      const sha1 = await crypto.subtle.importKey('pkcs8', der(pkcs8), alg('SHA-1'), false, ['sign']);
      const request = { method: 'GET', url: 'https://jira.example.com/rest/api/2/myself' };
      const creds = { consumerKey: 'c', nonce: 'n', timestamp: 1700000000 };
      const oauth = (await lib.signOAuth(request, { ...creds, privateKey: sha1 })).signature;
      return { token, payload, tampered, sync, hs: await lib.encodeJwtAsync(claims, hmac), oauth };
    }, { pkcs8: key.private_pkcs8_pem, spki: key.public_spki_pem });
    const api = ctx.api;
    assert.equal(out.token, api.encodeJwt({ iss: 'app', exp: 4102444800 }, key.private_pkcs8_pem, { kid: 'k' }), 'the Node build\'s bytes');
    assert.deepEqual(out.payload, { iss: 'app', exp: 4102444800 });
    assert.equal(out.tampered, 'ERR_JWT_SIGNATURE_INVALID');
    assert.equal(out.sync[0], 'ERR_INVALID_KEY');
    assert.match(out.sync[1], /non-extractable private CryptoKey.*await encodeJwtAsync/);
    assert.equal(out.hs, api.encodeJwt({ iss: 'app', exp: 4102444800 }, 's'), 'an extractable HMAC key, exported');
    const request = { method: 'GET', url: 'https://jira.example.com/rest/api/2/myself' };
    assert.equal(out.oauth, api.signOAuthSync(request, { consumerKey: 'c', nonce: 'n', timestamp: 1700000000, privateKey: key.private_pkcs8_pem }).signature);
  } finally {
    await context.close();
  }
});
