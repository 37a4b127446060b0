// Section "Key pair" (under OAuth 1.0a): generate an RSA key pair, and read a private key's
// public half (also for trusted apps).

import { $, changed, setValue, showError } from './dom.js';
import { lib } from './pkg.js';
import { isRsa } from './util.js';

/** A key as PEM: base64 DER text (as some tools print it) is wrapped, PKCS#8 first, then PKCS#1. */
export function publicKeyOf(text) {
  const t = text.trim();
  if (t.startsWith('-----BEGIN') || t.startsWith('{') || !/^[A-Za-z0-9+/=\s]{100,}$/.test(t)) return lib.exportPublicKey(t);
  const body = t.replace(/\s+/g, '').match(/.{1,64}/g).join('\n');
  try {
    return lib.exportPublicKey(`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n`);
  } catch {
    return lib.exportPublicKey(`-----BEGIN RSA PRIVATE KEY-----\n${body}\n-----END RSA PRIVATE KEY-----\n`);
  }
}

let generatedPrivateKey = null;

export async function generateKeys() {
  const button = $('keygen');
  const bits = Number($('keygen-bits').value);
  button.disabled = true;
  button.textContent = 'Generating…';
  showError('keygen-error', null);
  try {
    // The platform's generator (WebCrypto): native speed, and it does not block the page.
    const { privateKey, publicKey } = await lib.generateKeyPairAsync(bits);
    generatedPrivateKey = privateKey;
    setValue('keygen-public', publicKey);
    setValue('keygen-private', privateKey);
    $('keygen-use').disabled = false;
  } catch (e) {
    showError('keygen-error', e);
  } finally {
    button.disabled = false;
    button.textContent = 'Generate a key pair';
  }
}

export function useGeneratedKey() {
  if (!generatedPrivateKey) return;
  if (!isRsa($('oauth-signature-method').value)) $('oauth-signature-method').value = 'RSA-SHA1';
  $('oauth-private-key').value = generatedPrivateKey;
  changed($('oauth-private-key'));
  $('oauth-private-key').focus();
}
