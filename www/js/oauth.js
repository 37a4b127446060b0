// Section "OAuth 1.0a": sign a request (RSA-SHA1, HMAC-SHA1/256, PLAINTEXT), with its base string
// and parameters shown as the signer normalised them.

import { $, row, setValue, setValueNodes, showError, td, trimmed } from './dom.js';
import { renderFlow } from './flow.js';
import { publicKeyOf } from './keys.js';
import { lib } from './pkg.js';
import { curl, fail, isRsa, randomHex } from './util.js';

/** The request and credentials of the OAuth form; `missing` names what signing still needs. */
function oauthInput() {
  const signatureMethod = $('oauth-signature-method').value;
  const method = $('oauth-method').value;
  const request = { method, url: trimmed('oauth-url') };
  const body = $('oauth-body').value;
  if (method !== 'GET' && method !== 'HEAD' && body.trim()) {
    request.body = body.trim();
    request.contentType = $('oauth-content-type').value;
  }
  const credentials = { consumerKey: trimmed('oauth-consumer-key'), signatureMethod };
  const optional = { token: 'oauth-token', callback: 'oauth-callback', verifier: 'oauth-verifier', nonce: 'oauth-nonce' };
  for (const [name, id] of Object.entries(optional)) {
    const v = trimmed(id);
    if (v) credentials[name] = v;
  }
  const ts = trimmed('oauth-timestamp');
  if (ts) {
    if (!/^\d+$/.test(ts)) throw fail('ERR_INVALID_INPUT', `timestamp "${ts}" is not a whole number of seconds since 1970`);
    credentials.timestamp = ts;
  }
  let missing = null;
  if (isRsa(signatureMethod)) {
    const key = $('oauth-private-key').value.trim();
    if (key) credentials.privateKey = key;
    else missing = 'Enter the private key to sign.';
  } else {
    const cs = $('oauth-consumer-secret').value;
    if (cs) credentials.consumerSecret = cs;
    else missing = 'Enter the consumer secret to sign.';
    const tsecret = $('oauth-token-secret').value;
    if (tsecret) credentials.tokenSecret = tsecret;
  }
  return { request, credentials, missing };
}

/** The protocol parameters a signer would send, for showing the base string before a key is given. */
function oauthParamsPreview(c) {
  const p = {
    oauth_consumer_key: c.consumerKey,
    oauth_nonce: c.nonce ?? randomHex(16),
    oauth_signature_method: c.signatureMethod,
    oauth_timestamp: c.timestamp ?? String(Math.floor(Date.now() / 1000)),
    oauth_version: '1.0',
  };
  if (c.token) p.oauth_token = c.token;
  if (c.callback) p.oauth_callback = c.callback;
  if (c.verifier) p.oauth_verifier = c.verifier;
  return p;
}

/** The base string with its three parts (method & URL & parameters) in their own spans. */
function showBaseString(bs) {
  const i = bs.indexOf('&');
  const j = bs.indexOf('&', i + 1);
  if (i < 0 || j < 0) {
    setValue('oauth-base-string', bs);
    return;
  }
  const part = (cls, text, title) => {
    const s = document.createElement('span');
    s.className = cls;
    s.title = title;
    s.textContent = text;
    return s;
  };
  const sep = () => part('bs-sep', '&', 'separator');
  setValueNodes('oauth-base-string', bs, [
    part('bs-method', bs.slice(0, i), 'the HTTP method'), sep(),
    part('bs-url', bs.slice(i + 1, j), 'the base URL: scheme, host, port if not the default, path; percent-encoded'), sep(),
    part('bs-params', bs.slice(j + 1), 'the query, form body and oauth_ parameters: sorted, each encoded, then encoded again'),
  ]);
  // The parameters as the signer normalised them: name=value pairs, each encoded once.
  const rows = decodeURIComponent(bs.slice(j + 1)).split('&').filter(Boolean).map((pair) => {
    const k = pair.indexOf('=');
    return row(td(k < 0 ? pair : pair.slice(0, k)), td(k < 0 ? '' : pair.slice(k + 1)));
  });
  $('oauth-params').tBodies[0].replaceChildren(...rows);
  $('oauth-params-count').textContent = String(rows.length);
}

function clearOAuth(placeholder, keepBase = false) {
  if (!keepBase) {
    setValue('oauth-base-string', '', placeholder);
    $('oauth-params').tBodies[0].replaceChildren();
    $('oauth-params-count').textContent = '0';
  }
  for (const id of ['oauth-signature', 'oauth-authorization', 'oauth-curl']) setValue(id, '', placeholder);
}

function oauthCurl(r) {
  const headers = { ...r.headers };
  let body = r.body;
  const req = r.request;
  if (body === undefined && req.body !== undefined) {
    body = req.body; // a JSON body: sent, not signed
    headers['Content-Type'] = req.contentType;
  }
  return curl(r.method, headers, r.url, body);
}

let oauthSeq = 0;

export async function renderOAuth() {
  if (!lib) return;
  const seq = ++oauthSeq;
  const $form = $('oauth-form');
  const sm = $('oauth-signature-method').value;
  const method = $('oauth-method').value;
  const hasBody = method !== 'GET' && method !== 'HEAD';
  $('oauth-body-field').hidden = !hasBody;
  $('oauth-private-key-field').hidden = !isRsa(sm);
  $('oauth-public-key-result').hidden = !isRsa(sm);
  $('oauth-consumer-secret-field').hidden = isRsa(sm);
  $('oauth-token-secret-field').hidden = isRsa(sm);
  renderOAuthPublicKey();
  renderFlow();

  let input;
  try {
    input = oauthInput();
  } catch (e) {
    showError('oauth-error', e);
    clearOAuth('');
    $form.dataset.state = 'error';
    return;
  }
  const { request, credentials, missing } = input;
  if (!request.url || !credentials.consumerKey) {
    showError('oauth-error', null);
    clearOAuth(!request.url ? 'Enter a URL.' : 'Enter the consumer key.');
    $form.dataset.state = 'empty';
    return;
  }
  if (missing) {
    // No key yet: the base string does not depend on it.
    try {
      showBaseString(lib.oauthBaseString(request, oauthParamsPreview(credentials)));
      showError('oauth-error', null);
      clearOAuth(missing, true);
      $form.dataset.state = 'unsigned';
    } catch (e) {
      showError('oauth-error', e);
      clearOAuth('');
      $form.dataset.state = 'error';
    }
    return;
  }
  $form.dataset.state = 'busy';
  let r;
  try {
    r = await lib.signOAuth(request, credentials);
  } catch (e) {
    if (seq !== oauthSeq) return;
    showError('oauth-error', e);
    clearOAuth('');
    $form.dataset.state = 'error';
    return;
  }
  if (seq !== oauthSeq) return; // a later keystroke already started another signature
  showError('oauth-error', null);
  showBaseString(r.baseString);
  setValue('oauth-signature', r.signature);
  setValue('oauth-authorization', r.authorization);
  setValue('oauth-curl', oauthCurl({ ...r, request }));
  $form.dataset.state = 'ok';
}

function renderOAuthPublicKey() {
  const key = $('oauth-private-key').value.trim();
  if (!key || !isRsa($('oauth-signature-method').value)) {
    setValue('oauth-public-key', '', 'Enter the private key.');
    return;
  }
  try {
    setValue('oauth-public-key', publicKeyOf(key).publicKey);
  } catch {
    setValue('oauth-public-key', '', 'Not an RSA private key (see the error above).');
  }
}
