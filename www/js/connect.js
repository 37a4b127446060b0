// Section "Connect": a Connect JWT for a product's REST API (Jira, Confluence, Bitbucket, Zephyr).

import { $, setValue, showError, trimmed } from './dom.js';
import { lib } from './pkg.js';
import { bodyMethod, curl, fail, parseSeconds } from './util.js';

/** Per product: the base URL placeholder, the key's name, and which optional claims it needs. */
const PRODUCTS = {
  jira: {
    base: 'https://your-site.atlassian.net',
    url: '/rest/api/3/myself',
    keyLabel: 'App key',
    keyHint: 'The <code>key</code> from your app descriptor (the <code>iss</code> claim).',
    clientKey: 'optional: becomes <code>aud</code>',
    accountId: 'optional: becomes <code>sub</code> (act as a user)',
    hint: 'iss = app key; sub = accountId and aud = clientKey when given.',
  },
  confluence: {
    base: 'https://your-site.atlassian.net/wiki',
    url: '/rest/api/space',
    keyLabel: 'App key',
    keyHint: 'The <code>key</code> from your app descriptor (the <code>iss</code> claim).',
    clientKey: 'optional: becomes <code>aud</code>',
    accountId: 'optional: becomes <code>sub</code> (act as a user)',
    hint: 'Base URL ends in /wiki, which is not part of the qsh.',
  },
  bitbucket: {
    base: 'https://api.bitbucket.org',
    url: '/2.0/user',
    keyLabel: 'App key',
    keyHint: 'The <code>key</code> from your app descriptor (the <code>iss</code> claim).',
    clientKey: 'required: becomes <code>sub</code>',
    accountId: 'not used by Bitbucket',
    hint: 'iss = app key; sub = clientKey.',
  },
  zephyr: {
    base: 'https://prod-api.zephyr4jiracloud.com/connect (default)',
    url: '/public/rest/api/1.0/cycles/search?projectId=10000&versionId=-1',
    keyLabel: 'Access key',
    keyHint: 'The ZAPI access key: the <code>iss</code> claim and the <code>zapiAccessKey</code> header.',
    clientKey: 'not used by Zephyr',
    accountId: 'required: becomes <code>sub</code>',
    hint: 'Secret = the ZAPI secret key; the base URL defaults to the Zephyr API.',
  },
};
const ZEPHYR_BASE = 'https://prod-api.zephyr4jiracloud.com/connect';

function connectInput() {
  const product = $('connect-product').value;
  const input = { product, method: $('connect-method').value, url: trimmed('connect-url'), secret: $('connect-secret').value };
  const base = trimmed('connect-base');
  if (base) input.baseUrl = base;
  const key = trimmed('connect-key');
  if (key) input[product === 'zephyr' ? 'accessKey' : 'appKey'] = key;
  const clientKey = trimmed('connect-client-key');
  if (clientKey) input.clientKey = clientKey;
  const accountId = trimmed('connect-account-id');
  if (accountId) input.accountId = accountId;
  const expires = trimmed('connect-expires');
  if (expires) {
    const n = Number(expires);
    if (!Number.isInteger(n)) throw fail('ERR_INVALID_INPUT', `expiresIn "${expires}" is not a whole number of seconds (the default is 180)`);
    input.expiresIn = n;
  }
  const now = parseSeconds($('connect-iat').value, 'Issued at');
  if (now !== null) input.now = Math.floor(now);
  const body = $('connect-body').value;
  if (bodyMethod(input.method) && body.trim()) input.body = body.trim();
  return input;
}

const CONNECT_OUTPUTS = ['connect-canonical', 'connect-qsh', 'connect-claims', 'connect-token', 'connect-authorization', 'connect-curl'];

export function clearConnect(placeholder) {
  for (const id of CONNECT_OUTPUTS) setValue(id, '', placeholder);
}

export function renderConnect() {
  if (!lib) return;
  const $form = $('connect-form');
  $('connect-body-field').hidden = !bodyMethod($('connect-method').value);
  let input;
  try {
    input = connectInput();
  } catch (e) {
    showError('connect-error', e);
    clearConnect();
    $form.dataset.state = 'error';
    return;
  }
  if (!input.url) {
    showError('connect-error', null);
    clearConnect('Enter a URL.');
    $form.dataset.state = 'empty';
    return;
  }
  // The canonical request and qsh do not depend on the secret: show them while it is still empty.
  const noSecret = input.secret === '';
  let result;
  try {
    result = lib.connectToken(noSecret ? { ...input, secret: 'placeholder' } : input);
    if ($('connect-path-form').value === 'decoded') {
      // connectToken hashes the path as sent; a product signing its own request to an app hashes
      // it decoded. Same claims otherwise, so re-sign them with the other qsh.
      const options = { baseUrl: input.baseUrl ?? (input.product === 'zephyr' ? ZEPHYR_BASE : undefined), body: input.body, pathForm: 'decoded' };
      const canonicalRequest = lib.createCanonicalRequest(input.method, result.url, options);
      const qsh = lib.hashCanonicalRequest(canonicalRequest);
      const claims = { ...result.claims, qsh };
      const token = lib.encodeJwt(claims, noSecret ? 'placeholder' : input.secret, { algorithm: 'HS256' });
      result = { ...result, canonicalRequest, qsh, claims, token, authorization: `JWT ${token}`, headers: { ...result.headers, Authorization: `JWT ${token}` } };
    }
  } catch (e) {
    showError('connect-error', e);
    clearConnect();
    $form.dataset.state = 'error';
    return;
  }
  showError('connect-error', null);
  setValue('connect-canonical', result.canonicalRequest);
  setValue('connect-qsh', result.qsh);
  setValue('connect-claims', JSON.stringify(result.claims, null, 2));
  if (noSecret) {
    for (const id of ['connect-token', 'connect-authorization', 'connect-curl']) setValue(id, '', 'Enter the shared secret to sign.');
    $form.dataset.state = 'unsigned';
    return;
  }
  setValue('connect-token', result.token);
  setValue('connect-authorization', result.authorization);
  const headers = { ...result.headers };
  if (input.body !== undefined) headers['Content-Type'] = 'application/x-www-form-urlencoded';
  setValue('connect-curl', curl(input.method, headers, result.url, input.body));
  $form.dataset.state = 'ok';
}

export function applyProduct() {
  const p = PRODUCTS[$('connect-product').value] ?? PRODUCTS.jira;
  $('connect-base').placeholder = p.base;
  $('connect-url').placeholder = p.url;
  $('connect-key-label').textContent = p.keyLabel;
  $('connect-key-hint').innerHTML = p.keyHint; // fixed strings above, never input
  $('connect-client-key-hint').innerHTML = p.clientKey;
  $('connect-account-id-hint').innerHTML = p.accountId;
  $('connect-client-key-need').textContent = p.clientKey.startsWith('required') ? '(required)' : '(optional)';
  $('connect-account-id-need').textContent = p.accountId.startsWith('required') ? '(required)' : '(optional)';
  $('connect-product-hint').textContent = p.hint;
}
