// Section "Explain a refusal": what a server's refusal (qsh mismatch, oauth_problem, Seraph
// error) means for the request that was sent, with the client's and server's views side by side.
// Either the whole exchange, pasted (curl -v, curl command and response, raw HTTP, HAR) with the
// credentials at hand, or the flat form (the server's message and the request's parts).

import { $, changed, markedNodes, row, setValue, setValueNodes, showError, td, trimmed } from './dom.js';
import { lib } from './pkg.js';
import { splitDiff } from './util.js';

function explainInput() {
  const input = { message: $('explain-message').value.trim() };
  const scheme = $('explain-scheme').value;
  if (scheme) input.scheme = scheme;
  input.method = $('explain-method').value;
  const fields = { url: 'explain-url', baseUrl: 'explain-base', body: 'explain-body', authorization: 'explain-authorization', baseString: 'explain-base-string', signedUrl: 'explain-signed-url' };
  for (const [name, id] of Object.entries(fields)) {
    const v = trimmed(id);
    if (v) input[name] = v;
  }
  const token = trimmed('explain-token');
  if (token) input.token = lib.tokenFromText(token).token;
  return input;
}

/** The OAuth key field: a public key (PEM, certificate or public JWK) or else a private one. */
function oauthKey(text) {
  if (text.startsWith('{')) {
    let jwk = null;
    try {
      jwk = JSON.parse(text);
    } catch {
      jwk = null;
    }
    if (jwk && typeof jwk === 'object') return jwk.d === undefined ? { publicKey: jwk } : { privateKey: jwk };
  }
  return /PUBLIC KEY|CERTIFICATE/.test(text) ? { publicKey: text } : { privateKey: text };
}

/** The pasted exchange as explain's input, with the base URL and the credentials at hand. */
function exchangeInput(paste) {
  const options = {};
  const entry = trimmed('explain-har-entry');
  if (entry) {
    const n = Number(entry);
    if (!Number.isInteger(n) || n < 0) {
      const err = new Error(`the HAR entry must be a whole number from 0, not "${entry}"`);
      err.code = 'ERR_INVALID_INPUT';
      throw err;
    }
    options.entry = n;
  }
  const { request, response } = lib.parseExchange(paste, options);
  const input = { request, response };
  const baseUrl = trimmed('explain-base');
  if (baseUrl) input.baseUrl = baseUrl;
  const credentials = {};
  const secret = $('explain-secret').value;
  if (secret) credentials.sharedSecret = secret;
  const appKey = trimmed('explain-app-key');
  if (appKey) credentials.appKey = appKey;
  const key = trimmed('explain-oauth-key');
  if (key) Object.assign(credentials, oauthKey(key));
  if (Object.keys(credentials).length) input.credentials = credentials;
  return input;
}

const PASTE_FIX = 'Paste the whole exchange as your tool shows it: curl -v output (request lines with >, response lines with <), a curl command followed by the response, the raw HTTP request then the response, or a HAR file\'s JSON (with the entry\'s index when it holds several requests).';
const MESSAGE_FIX = 'Paste the answer as the server gave it (the qsh error text, the oauth_problem body or WWW-Authenticate header, or the X-Seraph-Trusted-App-Error value), and the request.';

function failed(err, fix) {
  showError('explain-error', err, err.code === 'ERR_INVALID_INPUT' ? fix : undefined);
  $('explain-result').hidden = true;
  $('explain-form').dataset.state = 'error';
}

export function renderExplain() {
  if (!lib) return;
  const $form = $('explain-form');
  const paste = $('explain-paste').value;
  if (paste.trim()) {
    // The whole exchange, pasted: it wins over the flat fields.
    let e;
    try {
      e = lib.explain(exchangeInput(paste));
    } catch (err) {
      failed(err, PASTE_FIX);
      return;
    }
    showExplanation(e, 'exchange');
    return;
  }
  const input = explainInput();
  if (!input.message) {
    showError('explain-error', null);
    $('explain-result').hidden = true;
    $form.dataset.state = 'empty';
    return;
  }
  let e;
  try {
    e = lib.explain(input);
  } catch (err) {
    failed(err, MESSAGE_FIX);
    return;
  }
  showExplanation(e, 'form');
}

/** The verdict: the cause(s), what happened, what to change, and the diff side by side. */
function showExplanation(e, source) {
  showError('explain-error', null);
  $('explain-cause').textContent = e.cause;
  const others = e.causes.filter((c) => c !== e.cause);
  $('explain-causes').textContent = others.length ? `also ${others.join(', ')}` : '';
  $('explain-summary').textContent = e.summary;
  $('explain-fix').textContent = e.fix;

  const rows = e.diff.map((d) => {
    const [c, s] = splitDiff(d.client ?? '', d.server ?? '');
    return row(td(d.part, 'text'), td(markedNodes(c)), td(markedNodes(s)));
  });
  $('explain-diff').tBodies[0].replaceChildren(...rows);
  $('explain-diff-wrap').hidden = rows.length === 0;

  for (const [id, text, other] of [['explain-client', e.client, e.server], ['explain-server', e.server, e.client]]) {
    if (!text) {
      setValue(id, '', 'Not known from what was pasted.');
      continue;
    }
    const [mine] = other ? splitDiff(text, other) : [[text, '', '']];
    setValueNodes(id, text, other && other !== text ? markedNodes(mine) : [document.createTextNode(text)]);
  }
  $('explain-tried').textContent = e.tried.length ? `Variants tried: ${e.tried.join('; ')}.` : '';
  const $result = $('explain-result');
  $result.hidden = false;
  $result.dataset.scheme = e.scheme;
  $result.dataset.causes = e.causes.join(' ');
  $result.dataset.source = source;
  $('explain-form').dataset.state = 'ok';
}

const EXPLAIN_FIELDS = ['explain-message', 'explain-url', 'explain-base', 'explain-body', 'explain-token', 'explain-authorization', 'explain-base-string', 'explain-signed-url'];

export function fillExplain(values) {
  for (const id of EXPLAIN_FIELDS) $(id).value = '';
  $('explain-paste').value = ''; // the flat form filled here is what must be explained
  $('explain-har-entry').value = '';
  $('explain-scheme').value = '';
  $('explain-method').value = values.method ?? 'GET';
  const ids = { message: 'explain-message', url: 'explain-url', baseUrl: 'explain-base', body: 'explain-body', token: 'explain-token', authorization: 'explain-authorization', baseString: 'explain-base-string', signedUrl: 'explain-signed-url' };
  for (const [name, id] of Object.entries(ids)) if (values[name]) $(id).value = values[name];
  changed($('explain-message'));
  $('explain').scrollIntoView({ block: 'start' });
  $('explain-message').focus({ preventScroll: true });
}

export function explainExample(kind) {
  if (kind === 'qsh') {
    // Confluence: the client hashed the path with /wiki still in it.
    const site = 'https://acme.atlassian.net';
    const url = `${site}/wiki/rest/api/content?spaceKey=DEV&limit=5`;
    const expected = lib.createQsh('GET', url, { baseUrl: `${site}/wiki` });
    const actual = lib.hashCanonicalRequest('GET&/wiki/rest/api/content&limit=5&spaceKey=DEV');
    fillExplain({ message: `Expecting claim 'qsh' to have value '${expected}' but instead it has the value '${actual}'`, url, baseUrl: `${site}/wiki` });
  } else if (kind === 'oauth') {
    // TLS ends at a proxy: the client signed https, Tomcat rebuilt http.
    const params = { oauth_consumer_key: 'jira-client', oauth_nonce: 'c2f1d9e0a7b64e1f', oauth_signature_method: 'RSA-SHA1', oauth_timestamp: '1700000000', oauth_token: 'tok', oauth_version: '1.0' };
    const client = lib.oauthBaseString({ method: 'GET', url: 'https://jira.example.com/rest/api/2/myself' }, params);
    const server = lib.oauthBaseString({ method: 'GET', url: 'http://jira.example.com/rest/api/2/myself' }, params);
    fillExplain({ message: `oauth_problem=signature_invalid&oauth_signature=abc%3D&oauth_signature_base_string=${encodeURIComponent(server)}&oauth_signature_method=RSA-SHA1`, baseString: client, url: 'https://jira.example.com/rest/api/2/myself' });
  } else {
    // The link was made to localhost; the server sits behind an https proxy.
    fillExplain({ message: 'BAD_SIGNATURE;\tBad signature for URL: {0};\t["https://crucible.example.com/rest-service/reviews-v1"]', url: 'http://localhost:8060/rest-service/reviews-v1' });
  }
}
