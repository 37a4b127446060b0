// Section "OAuth 1.0a": sign a request (RSA-SHA1, HMAC-SHA1/256, PLAINTEXT), with its base string
// and parameters shown as the signer normalised them.

import { $, partSpan, row, setValue, setValueNodes, showError, td, trimmed } from './dom.js';
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
  const part = partSpan;
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
  for (const id of ['oauth-signature', 'oauth-authorization', 'oauth-curl', 'oauth-request']) setValue(id, '', placeholder);
}

const FORM = 'application/x-www-form-urlencoded';
const PLACES = { query: 'query string', body: 'form body' };

/** RFC 5849 §3.6 percent-encoding: every byte but the unreserved characters, in capital hex. */
const pct = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Why the protocol parameters cannot go where asked (RFC 5849 §3.5.2), or null. */
function placementProblem(request, placement) {
  if (placement !== 'body') return null;
  if (request.method === 'GET' || request.method === 'HEAD') {
    return fail('ERR_OAUTH_INVALID_REQUEST', `a ${request.method} request has no body, so the OAuth parameters cannot go in a form body (RFC 5849 §3.5.2); send them in the Authorization header or the query string, or choose POST or PUT`);
  }
  if (request.body !== undefined && request.contentType !== FORM) {
    return fail('ERR_OAUTH_INVALID_REQUEST', `the body is sent as ${request.contentType}, and the OAuth parameters can go in a body only when it is a form (${FORM}, RFC 5849 §3.5.2); send them in the Authorization header or the query string, or send the body as a form`);
  }
  return null;
}

/**
 * The request to send, with the signed protocol parameters where `placement` says (RFC 5849
 * §3.5): the Authorization header as signed, or appended to the query (§3.5.3) or to the form
 * body (§3.5.2) as name=value pairs, each percent-encoded (§3.6). The server collects them from
 * any of the three, so the base string, and the signature, are the same.
 */
function placeParams(r, request, placement) {
  let headers = { ...r.headers };
  let { url, body } = r;
  if (body === undefined && request.body !== undefined) {
    body = request.body; // a JSON body: sent, not signed
    headers['Content-Type'] = request.contentType;
  }
  if (placement === 'header') return { method: r.method, url, headers, body };
  headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name !== 'Authorization'));
  const pairs = Object.entries(r.params).map(([name, value]) => `${pct(name)}=${pct(value)}`).join('&');
  if (placement === 'query') {
    const base = url.replace(/#.*$/s, ''); // a fragment is never sent
    url = `${base}${!base.includes('?') ? '?' : /[?&]$/.test(base) ? '' : '&'}${pairs}`;
  } else {
    body = body ? `${body}&${pairs}` : pairs;
    headers['Content-Type'] = FORM;
  }
  return { method: r.method, url, headers, body };
}

/** The request as HTTP/1.1 text: request line, Host, the headers, and the body. */
function httpText({ method, url, headers, body }) {
  const m = /^[a-z][a-z\d+.-]*:\/\/([^/?#]*)([^#]*)/i.exec(url);
  if (!m) return '';
  const target = m[2].startsWith('/') ? m[2] : `/${m[2]}`;
  const lines = [`${method} ${target} HTTP/1.1`, `Host: ${m[1].replace(/^.*@/, '')}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
  return `${lines.join('\n')}\n${body === undefined ? '' : `\n${body}`}`;
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
  const placement = $('oauth-placement').value;
  const problem = placementProblem(request, placement);
  if (problem) {
    showError('oauth-error', problem);
    clearOAuth('');
    $form.dataset.state = 'error';
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
  const sent = placeParams(r, request, placement);
  setValue('oauth-authorization', placement === 'header' ? r.authorization : '', `Not sent: the parameters go in the ${PLACES[placement]}.`);
  setValue('oauth-curl', curl(sent.method, sent.headers, sent.url, sent.body));
  setValue('oauth-request', httpText(sent));
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
