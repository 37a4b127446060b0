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

/** A key field's text as explain takes it: a JWK parsed, anything else (PEM, certificate) as is. */
function keyValue(text) {
  if (text.startsWith('{')) {
    try {
      const jwk = JSON.parse(text);
      if (jwk && typeof jwk === 'object') return jwk;
    } catch {
      // not JSON after all: passed as text, and explain says what it is not
    }
  }
  return text;
}

/** The private key field: a private key, or a public one pasted there (PEM, certificate or JWK). */
function privateKeyField(text) {
  const key = keyValue(text);
  if (typeof key === 'object') return key.d === undefined ? { publicKey: key } : { privateKey: key };
  return /PUBLIC KEY|CERTIFICATE/.test(key) ? { publicKey: key } : { privateKey: key };
}

/**
 * The credentials fields, by the name explain() takes them, grouped as on the page. Secrets are
 * read as typed (whitespace around a secret is one of the mistakes explain looks for), the other
 * fields trimmed; the keys are read apart.
 */
const CREDENTIALS = {
  sharedSecret: ['explain-secret', true], appKey: ['explain-app-key'], clientKey: ['explain-client-key'],
  accessKey: ['explain-access-key'], accountId: ['explain-account-id'],
  consumerKey: ['explain-consumer-key'], consumerSecret: ['explain-consumer-secret', true],
  token: ['explain-oauth-token'], tokenSecret: ['explain-token-secret', true],
  applicationId: ['explain-application-id'], username: ['explain-username'],
};

/** The credentials filled in, each only when it holds something. */
export function explainCredentials() {
  const credentials = {};
  for (const [name, [id, asTyped]] of Object.entries(CREDENTIALS)) {
    const value = $(id).value;
    if (value.trim()) credentials[name] = asTyped ? value : value.trim();
  }
  const privateKey = trimmed('explain-oauth-key');
  if (privateKey) Object.assign(credentials, privateKeyField(privateKey));
  const publicKey = trimmed('explain-public-key');
  if (publicKey) credentials.publicKey = keyValue(publicKey);
  return credentials;
}

/**
 * What must never show in the page: the secrets and the private key (its PEM lines too). The
 * access token is not one of them: the request sends it in clear, and the base strings hold it.
 */
function secretsOf(credentials) {
  const out = [];
  for (const name of ['sharedSecret', 'consumerSecret', 'tokenSecret']) {
    const v = credentials[name]?.trim();
    if (v && v.length >= 4) out.push(v);
  }
  const key = credentials.privateKey;
  const text = typeof key === 'string' ? key : key ? JSON.stringify(key) : '';
  for (const part of [text, ...text.split(/\n|"/)]) {
    const v = part.trim();
    if (v.length >= 16 && !v.startsWith('-----')) out.push(v);
  }
  return out;
}

/** A text with every secret held cut out: explain never echoes one, and the page makes sure. */
function redact(text, secrets) {
  if (typeof text !== 'string' || !secrets.length) return text;
  let out = text;
  for (const s of secrets) out = out.split(s).join('[secret]');
  return out;
}

/** The counts of filled fields on each credentials group's summary, so a folded group shows it holds something. */
function countCredentials() {
  for (const group of document.querySelectorAll('#explain-credentials details')) {
    const n = [...group.querySelectorAll('input, textarea')].filter((el) => el.value.trim()).length;
    $(`${group.id}-filled`).textContent = n ? `(${n} filled)` : '';
  }
}

/** The pasted exchange as explain's input, with the base URL and the credentials at hand. */
function exchangeInput(paste, credentials) {
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
  if (Object.keys(credentials).length) input.credentials = credentials;
  return input;
}

const PASTE_FIX = 'Paste the whole exchange as your tool shows it: curl -v output (request lines with >, response lines with <), a curl command followed by the response, the raw HTTP request then the response, or a HAR file\'s JSON (with the entry\'s index when it holds several requests).';
const MESSAGE_FIX = 'Paste the answer as the server gave it (the qsh error text, the oauth_problem body or WWW-Authenticate header, or the X-Seraph-Trusted-App-Error value), and the request.';

function failed(err, fix, secrets = []) {
  const shown = { code: err.code, name: err.name, seraphCode: err.seraphCode, message: redact(err.message, secrets) };
  showError('explain-error', shown, err.code === 'ERR_INVALID_INPUT' ? fix : undefined);
  $('explain-result').hidden = true;
  $('explain-form').dataset.state = 'error';
}

export function renderExplain() {
  countCredentials();
  if (!lib) return;
  const $form = $('explain-form');
  const paste = $('explain-paste').value;
  if (paste.trim()) {
    // The whole exchange, pasted: it wins over the flat fields.
    const credentials = explainCredentials();
    const secrets = secretsOf(credentials);
    let e;
    try {
      e = lib.explain(exchangeInput(paste, credentials));
    } catch (err) {
      failed(err, PASTE_FIX, secrets);
      return;
    }
    showExplanation(e, 'exchange', secrets);
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

/** The verdict: every cause, what happened, what to change, the diff side by side, what was tried. */
function showExplanation(found, source, secrets = []) {
  const cut = (t) => redact(t, secrets);
  const e = {
    ...found, summary: cut(found.summary), fix: cut(found.fix), client: cut(found.client), server: cut(found.server),
    diff: found.diff.map((d) => ({ part: d.part, client: cut(d.client), server: cut(d.server) })), tried: found.tried.map(cut),
  };
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
  // What was tried: the way forward when no cause was found, so it is not muted then.
  const unknown = e.cause === 'UNKNOWN';
  const $tried = $('explain-tried');
  $tried.classList.toggle('unknown', unknown);
  if (e.tried.length) $tried.textContent = `${unknown ? 'Tried, and all held' : 'Variants tried'}: ${e.tried.join('; ')}.`;
  else $tried.textContent = unknown ? 'Nothing could be tested from what was given: add the response body and your credentials.' : '';
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
