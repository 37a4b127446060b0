// The calculator page: every value is computed here by the WebAssembly build of atlassian-sign.
// Nothing typed is sent anywhere: there is no fetch here, and the Content-Security-Policy allows
// no connection but the page's own files (none at all in the single-file build). Nothing is
// stored unless the person ticks "Remember" (see the storage part at the end).

const $ = (id) => document.getElementById(id);

/** The loaded package (pkg/web.js), or null until it is ready. */
let lib = null;

// ================================================================ small helpers

/** Per error code: what to change, in the words of this page. Shown under the library's message. */
const FIXES = {
  ERR_INVALID_URL: 'Use an absolute URL (https://host/path?query), or a path that starts with "/" together with a base URL.',
  ERR_INVALID_METHOD: 'Use an HTTP method such as GET, POST or PUT.',
  ERR_INVALID_KEY: 'Paste the whole key, from -----BEGIN to -----END-----, or a JWK; and check the key type.',
  ERR_UNSUPPORTED_ALGORITHM: 'Use a shared secret for HS256/384/512 and an RSA key for RS256 and the other RSA algorithms.',
  ERR_JWT_MALFORMED: 'Paste the whole token: three base64url parts separated by dots (a JWT or Bearer prefix, or a URL with ?jwt=, is fine).',
  ERR_JWT_ALG_NOT_ALLOWED: 'Use a key of the kind the token was signed with: a shared secret for HS*, an RSA public key for RS* and PS*.',
  ERR_JWT_SIGNATURE_INVALID: 'Use the key that signed the token: for Connect, the sharedSecret of the installation whose clientKey is the iss claim.',
  ERR_JWT_EXPIRED: 'Make a new token (Connect tokens last minutes), or set "Check times at" to a moment within its lifetime.',
  ERR_JWT_NOT_YET_VALID: "Check the signer's clock, allow some leeway, or set \"Check times at\" later.",
  ERR_JWT_CLAIM_MISSING: 'Sign the token with the claim named above.',
  ERR_JWT_CLAIM_INVALID: 'Sign the token with the claim value named above.',
  ERR_QSH_MISSING: 'Sign the token with a qsh claim: the hash of the request it is sent with.',
  ERR_QSH_MISMATCH: 'Sign the exact method, path (without the base URL\'s path) and query you send; "Explain the difference" shows which part differs.',
  ERR_QSH_CONTEXT_NOT_ALLOWED: 'A context token (qsh "context-qsh") cannot call a REST API: sign a token for this request.',
  ERR_SIGNING_FAILED: 'Check the private key: it must be an RSA private key of 2048 bits or more.',
  ERR_OAUTH_RESPONSE: 'Paste the whole answer. An oauth_problem answer is a refusal: take it to "Explain a refusal" below.',
  ERR_NOT_INITIALIZED: 'Reload the page.',
};

/** Per Seraph code of a trusted-apps refusal: what to change. */
const SERAPH_FIXES = {
  BAD_SIGNATURE: 'The URL signed differs from the URL the server rebuilt (scheme, host, port, path or query), or another key signed: "Explain a refusal" finds which.',
  OLD_CERT: 'The clocks of the two servers differ by more than 10 minutes, or the headers are old: sync the clocks (NTP) and sign again.',
  BAD_MAGIC: 'The key does not match the one the server holds for this application id: recreate the link, or use the right key.',
  BAD_PROTOCOL_VERSION: 'Send version 2 or 3, as the server supports.',
  APP_ID_NOT_FOUND: 'Send the X-Seraph-Trusted-App-ID header, with the id of an application the server trusts.',
  MISSING_CERT: 'Send the X-Seraph-Trusted-App-Cert header.',
  MISSING_SIGNATURE: 'Send the X-Seraph-Trusted-App-Signature header.',
};

function fail(code, message) {
  const e = new Error(message);
  e.code = code;
  return e;
}

/** Fills an error box: the code, the library's message, and what to change. */
function errorNodes(error, fix) {
  const code = document.createElement('strong');
  code.className = 'code';
  code.textContent = error.code ?? error.name ?? 'Error';
  const message = document.createElement('span');
  message.className = 'message';
  message.textContent = ` ${error.message}`;
  const nodes = [code, message];
  const what = fix ?? (error.seraphCode && SERAPH_FIXES[error.seraphCode]) ?? FIXES[error.code];
  if (what) {
    const f = document.createElement('span');
    f.className = 'fix';
    f.textContent = what;
    nodes.push(f);
  }
  return nodes;
}

function showError(id, error, fix) {
  const el = $(id);
  if (!error) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  el.replaceChildren(...errorNodes(error, fix));
  el.hidden = false;
}

function setValue(id, text, placeholder = '') {
  const el = $(id);
  el.textContent = text || placeholder;
  el.classList.toggle('empty', !text);
  el.dataset.value = text ?? '';
  const copy = document.querySelector(`button.copy[data-copy="${id}"]`);
  if (copy) copy.disabled = !text;
}

/** A verdict box: kind is 'ok', 'bad', 'warn' or 'none'; content is text or nodes. */
function setVerdict(id, kind, ...content) {
  const el = $(id);
  el.dataset.kind = kind;
  el.replaceChildren(...content);
}

const trimmed = (id) => $(id).value.trim();

/** POSIX shell single-quoting. */
function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A curl line for a method, headers, an optional body and a URL. */
function curl(method, headers, url, body) {
  const parts = ['curl'];
  if (method === 'HEAD') parts.push('--head');
  else if (method !== 'GET' || body !== undefined) parts.push('-X', method);
  for (const [name, value] of Object.entries(headers)) parts.push('-H', shellQuote(`${name}: ${value}`));
  if (body !== undefined) parts.push('--data-raw', shellQuote(body));
  parts.push(shellQuote(url));
  return parts.join(' ');
}

/** Seconds since 1970 from "1392204500", "1392204500.5" or a date; null when empty. */
function parseSeconds(text, what) {
  const t = text.trim();
  if (!t) return null;
  if (/^\d+(\.\d+)?$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) {
    throw fail('ERR_INVALID_INPUT', `${what} "${t}" is neither seconds since 1970 nor a date such as 2024-05-01T12:00:00Z`);
  }
  return ms / 1000;
}

/** Milliseconds since 1970, as the trusted-apps protocol counts; null when empty. */
function parseMillis(text, what) {
  const t = text.trim();
  if (!t) return null;
  if (/^\d+$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  if (Number.isNaN(ms)) throw fail('ERR_INVALID_INPUT', `${what} "${t}" is neither milliseconds since 1970 nor a date such as 2024-05-01T12:00:00Z`);
  return ms;
}

/** `2014-02-12 11:30:42 UTC` */
function utc(seconds) {
  const ms = seconds * 1000;
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'out of range';
  return new Date(ms).toISOString().replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

/** `in 2 min 22 s`, `12.1 years ago` */
function relative(delta) {
  const d = Math.abs(Math.round(delta));
  let span;
  if (d < 60) span = `${d} s`;
  else if (d < 3600) span = `${Math.floor(d / 60)} min ${d % 60} s`;
  else if (d < 2 * 86400) span = `${Math.floor(d / 3600)} h ${Math.floor((d % 3600) / 60)} min`;
  else if (d < 90 * 86400) span = `${Math.floor(d / 86400)} days`;
  else span = `${(d / (365.25 * 86400)).toFixed(1)} years`;
  if (d === 0) return 'now';
  return delta > 0 ? `in ${span}` : `${span} ago`;
}

/** [prefix, middle, suffix] of a and of b around their first and last differing characters. */
function splitDiff(a, b) {
  let p = 0;
  while (p < a.length && p < b.length && a[p] === b[p]) p++;
  let s = 0;
  while (s < a.length - p && s < b.length - p && a[a.length - 1 - s] === b[b.length - 1 - s]) s++;
  return [
    [a.slice(0, p), a.slice(p, a.length - s), a.slice(a.length - s)],
    [b.slice(0, p), b.slice(p, b.length - s), b.slice(b.length - s)],
  ];
}

/** Nodes for text with its differing middle in a <mark> (an empty mark where the other side has more). */
function markedNodes([before, middle, after]) {
  const mark = document.createElement('mark');
  mark.textContent = middle;
  if (!middle) {
    mark.className = 'gap';
    mark.title = 'missing here';
  }
  return [document.createTextNode(before), mark, document.createTextNode(after)];
}

function td(content, className) {
  const cell = document.createElement('td');
  if (className) cell.className = className;
  if (typeof content === 'string') cell.textContent = content;
  else cell.append(...content);
  return cell;
}

function row(...cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

function randomHex(bytes) {
  return [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
}

const bodyMethod = (m) => m === 'POST' || m === 'PUT';

// ================================================================ Connect

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

function clearConnect(placeholder) {
  for (const id of CONNECT_OUTPUTS) setValue(id, '', placeholder);
}

function renderConnect() {
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

function applyProduct() {
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

// ================================================================ qsh only

function renderQsh() {
  if (!lib) return;
  const $form = $('qsh-form');
  const method = trimmed('qsh-method');
  const url = trimmed('qsh-url');
  if (!url) {
    showError('qsh-error', null);
    setValue('qsh-canonical', '', 'Enter a URL.');
    setValue('qsh-value', '');
    $form.dataset.state = 'empty';
    return;
  }
  const options = { pathForm: $('qsh-path-form').value };
  const baseUrl = trimmed('qsh-base');
  if (baseUrl) options.baseUrl = baseUrl;
  const body = trimmed('qsh-body');
  if (body) options.body = body;
  try {
    const canonical = lib.createCanonicalRequest(method, url, options);
    showError('qsh-error', null);
    setValue('qsh-canonical', canonical);
    setValue('qsh-value', lib.hashCanonicalRequest(canonical));
    $form.dataset.state = 'ok';
  } catch (e) {
    showError('qsh-error', e);
    setValue('qsh-canonical', '');
    setValue('qsh-value', '');
    $form.dataset.state = 'error';
  }
}

// ================================================================ JWT

/** The token out of what was pasted: a bare token, `JWT x`, `Bearer x`, `Authorization: ...`, or a URL with ?jwt=. */
function tokenFromInput(text) {
  let t = text.trim().replace(/^authorization:\s*/i, '').replace(/^(jwt|bearer)\s+/i, '');
  const fromUrl = /[?&]jwt=([^&#\s]+)/.exec(t);
  if (fromUrl) {
    try {
      t = decodeURIComponent(fromUrl[1]);
    } catch {
      t = fromUrl[1];
    }
  }
  return { token: t, url: fromUrl ? text.trim() : null };
}

const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];
const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

/** The key to verify with, the algorithms it pins, and what it was read as. */
function readJwtKey(text, type, header) {
  const t = text.trim();
  const kind = type !== 'auto' ? type : t.startsWith('{') ? 'jwk' : /^-----BEGIN /.test(t) ? 'pem' : 'secret';
  if (kind === 'secret') {
    const secret = text.replace(/\r?\n$/, ''); // a pasted line end is not part of the secret
    return { key: secret, algorithms: HMAC_ALGS, info: `a shared secret of ${new TextEncoder().encode(secret).length} bytes` };
  }
  if (kind === 'pem') {
    const e = lib.exportPublicKey(t);
    return { key: t, algorithms: RSA_ALGS, info: `${e.format}, RSA ${e.bits} bits` };
  }
  let json;
  try {
    json = JSON.parse(t);
  } catch (e) {
    throw fail('ERR_INVALID_KEY', `the key is not valid JSON (${e.message}); paste a JWK {"kty":...} or a JWKS {"keys":[...]}`);
  }
  let jwk = json;
  let info = 'a JWK';
  if (json && Array.isArray(json.keys)) {
    const kid = header?.kid;
    if (kid !== undefined) {
      jwk = json.keys.find((k) => k && k.kid === kid);
      if (!jwk) {
        const kids = json.keys.map((k) => JSON.stringify(k?.kid ?? null)).join(', ');
        throw fail('ERR_INVALID_KEY', `the JWKS has no key with the token's kid ${JSON.stringify(kid)} (its kids: ${kids || 'none'})`);
      }
      info = `the key with kid ${JSON.stringify(kid)} from a JWKS of ${json.keys.length}`;
    } else if (json.keys.length === 1) {
      jwk = json.keys[0];
      info = 'the only key of a JWKS';
    } else {
      throw fail('ERR_INVALID_KEY', `the token has no kid, and the JWKS has ${json.keys.length} keys: paste the one that signed it`);
    }
  }
  if (!jwk || typeof jwk !== 'object' || (jwk.kty !== 'RSA' && jwk.kty !== 'oct')) {
    throw fail('ERR_INVALID_KEY', 'a JWK needs "kty": "RSA" (with n and e) or "oct" (with k)');
  }
  let algorithms = jwk.kty === 'oct' ? HMAC_ALGS : RSA_ALGS;
  if (typeof jwk.alg === 'string' && algorithms.includes(jwk.alg)) algorithms = [jwk.alg];
  return { key: jwk, algorithms, info: `${info} (${jwk.kty}${jwk.alg ? `, ${jwk.alg} only` : ''})` };
}

/** The time claims, and how to say where each stands: `expires in 2 min 22 s`, `expired 12.1 years ago`. */
const TIME_CLAIMS = [
  ['iat', (d) => `issued ${relative(d)}`],
  ['nbf', (d) => `${d > 0 ? 'starts' : 'started'} ${relative(d)}`],
  ['exp', (d) => `${d > 0 ? 'expires' : 'expired'} ${relative(d)}`],
];

function clearJwt(placeholder) {
  for (const id of ['jwt-header', 'jwt-claims']) setValue(id, '', placeholder);
  $('jwt-times').tBodies[0].replaceChildren();
  setVerdict('jwt-expiry', 'none', placeholder || 'Paste a token.');
}

/** The last decoded token, for the qsh check and the explain button. */
let jwtDecoded = null;

function renderJwt() {
  if (!lib) return;
  const $form = $('jwt-form');
  const raw = $('jwt-token').value;
  jwtDecoded = null;
  if (!raw.trim()) {
    showError('jwt-error', null);
    clearJwt('Paste a token.');
    $form.dataset.state = 'empty';
    renderJwtKey();
    renderJwtQsh();
    return;
  }
  const { token } = tokenFromInput(raw);
  let decoded, now, leeway;
  try {
    decoded = lib.decodeJwt(token);
    const at = parseSeconds($('jwt-now').value, 'Check times at');
    now = at ?? Date.now() / 1000;
    leeway = Number($('jwt-leeway').value || 0);
    if (!Number.isFinite(leeway) || leeway < 0) throw fail('ERR_INVALID_INPUT', `leeway "${$('jwt-leeway').value}" is not a number of seconds`);
  } catch (e) {
    showError('jwt-error', e);
    clearJwt('');
    $form.dataset.state = 'error';
    renderJwtKey();
    renderJwtQsh();
    return;
  }
  jwtDecoded = { token, ...decoded, now, leeway, fixedNow: $('jwt-now').value.trim() !== '' };
  showError('jwt-error', null);
  setValue('jwt-header', JSON.stringify(decoded.header, null, 2));
  setValue('jwt-claims', JSON.stringify(decoded.payload, null, 2));

  const p = decoded.payload;
  const rows = [];
  for (const [name, say] of TIME_CLAIMS) {
    if (!(name in p)) continue;
    const v = p[name];
    const ok = typeof v === 'number' && Number.isFinite(v);
    rows.push(row(td(name), td(String(v)), td(ok ? utc(v) : 'not a number', 'text'), td(ok ? say(v - now) : '', 'text')));
  }
  $('jwt-times').tBodies[0].replaceChildren(...rows);

  const checked = ` (checked at ${utc(now)}${leeway ? `, leeway ${leeway} s` : ''})`;
  const num = (v) => typeof v === 'number' && Number.isFinite(v);
  if (num(p.nbf) && p.nbf > now + leeway) {
    setVerdict('jwt-expiry', 'bad', `Not valid yet: valid from ${utc(p.nbf)}, ${relative(p.nbf - now)}${checked}.`);
  } else if (num(p.iat) && p.iat > now + leeway) {
    setVerdict('jwt-expiry', 'bad', `Not valid yet: issued ${relative(p.iat - now)}, at ${utc(p.iat)}; the signer's clock is ahead${checked}.`);
  } else if (!('exp' in p)) {
    setVerdict('jwt-expiry', 'warn', `No exp claim: the token never expires. Atlassian products require one.`);
  } else if (!num(p.exp)) {
    setVerdict('jwt-expiry', 'bad', 'exp is not a number of seconds.');
  } else if (p.exp + leeway <= now) {
    setVerdict('jwt-expiry', 'bad', `Expired at ${utc(p.exp)}, ${relative(p.exp - now)}${checked}.`);
  } else {
    setVerdict('jwt-expiry', 'ok', `Valid until ${utc(p.exp)}, ${relative(p.exp - now)}${checked}.`);
  }
  $form.dataset.state = 'ok';
  renderJwtKey();
  renderJwtQsh();
}

function renderJwtKey() {
  const $form = $('jwt-key-form');
  const text = $('jwt-key').value;
  showError('jwt-key-error', null);
  if (!text.trim()) {
    $('jwt-key-info').textContent = 'Enter a key.';
    setVerdict('jwt-signature', 'none', 'Enter a key to check the signature.');
    setVerdict('jwt-verdict', 'none', jwtDecoded ? 'Enter a key.' : 'Enter a token and a key.');
    $form.dataset.state = 'empty';
    return;
  }
  let key;
  try {
    key = readJwtKey(text, $('jwt-key-type').value, jwtDecoded?.header);
  } catch (e) {
    showError('jwt-key-error', e);
    $('jwt-key-info').textContent = 'Not read.';
    setVerdict('jwt-signature', 'none', 'No key to check with.');
    setVerdict('jwt-verdict', 'none', 'No key to check with.');
    $form.dataset.state = 'error';
    return;
  }
  $('jwt-key-info').textContent = `${key.info}; accepts ${key.algorithms.join(', ')}`;
  if (!jwtDecoded) {
    setVerdict('jwt-signature', 'none', 'Paste a token.');
    setVerdict('jwt-verdict', 'none', 'Paste a token.');
    $form.dataset.state = 'no-token';
    return;
  }

  // The signature alone, with the algorithm pinned by the key's kind.
  const alg = jwtDecoded.header.alg;
  const [h, p, s] = jwtDecoded.token.split('.');
  if (!key.algorithms.includes(alg)) {
    setVerdict('jwt-signature', 'bad', ...errorNodes(fail('ERR_JWT_ALG_NOT_ALLOWED', `the token says alg ${JSON.stringify(alg)}, which ${key.info} cannot check (it accepts ${key.algorithms.join(', ')})`)));
  } else {
    try {
      const valid = lib.jwsVerify(`${h}.${p}`, s, key.key, alg);
      if (valid) setVerdict('jwt-signature', 'ok', `Valid ${alg} signature: this key signed the token.`);
      else setVerdict('jwt-signature', 'bad', ...errorNodes(fail('ERR_JWT_SIGNATURE_INVALID', `the ${alg} signature does not match: this key did not sign this header and payload`)));
    } catch (e) {
      setVerdict('jwt-signature', 'bad', ...errorNodes(e));
    }
  }

  // Everything a server checks: signature, times and (when a request is given) the qsh.
  const options = { algorithms: key.algorithms, leeway: jwtDecoded.leeway, now: jwtDecoded.now };
  const qshUrl = trimmed('jwt-qsh-url');
  if (qshUrl) {
    options.qsh = { method: $('jwt-qsh-method').value, url: qshUrl };
    const base = trimmed('jwt-qsh-base');
    if (base) options.qsh.baseUrl = base;
  }
  try {
    lib.verifyJwt(jwtDecoded.token, key.key, options);
    const checks = ['signature', jwtDecoded.fixedNow ? `times at ${utc(jwtDecoded.now)}` : 'times', ...(qshUrl ? ['qsh'] : [])];
    setVerdict('jwt-verdict', 'ok', `Verified: ${checks.join(', ')}${qshUrl ? '' : ' (enter the request below to check the qsh too)'}.`);
    $form.dataset.state = 'ok';
  } catch (e) {
    setVerdict('jwt-verdict', 'bad', ...errorNodes(e));
    $form.dataset.state = 'bad';
  }
}

function renderJwtQsh() {
  const $form = $('jwt-qsh-form');
  const url = trimmed('jwt-qsh-url');
  $('jwt-qsh-explain').hidden = true;
  showError('jwt-qsh-error', null);
  if (!url) {
    setValue('jwt-qsh-canonical', '', 'Enter the request URL.');
    setValue('jwt-qsh-computed', '');
    setVerdict('jwt-qsh-status', 'none', 'Enter the request URL.');
    $form.dataset.state = 'empty';
    return;
  }
  const method = $('jwt-qsh-method').value;
  const options = {};
  const base = trimmed('jwt-qsh-base');
  if (base) options.baseUrl = base;
  let canonical;
  try {
    canonical = lib.createCanonicalRequest(method, url, options);
  } catch (e) {
    showError('jwt-qsh-error', e);
    setValue('jwt-qsh-canonical', '');
    setValue('jwt-qsh-computed', '');
    setVerdict('jwt-qsh-status', 'none', 'Fix the request.');
    $form.dataset.state = 'error';
    return;
  }
  const computed = lib.hashCanonicalRequest(canonical);
  setValue('jwt-qsh-canonical', canonical);
  setValue('jwt-qsh-computed', computed);
  const claim = jwtDecoded?.payload?.qsh;
  if (!jwtDecoded) {
    setVerdict('jwt-qsh-status', 'none', 'Paste a token to compare.');
    $form.dataset.state = 'no-token';
  } else if (claim === undefined) {
    setVerdict('jwt-qsh-status', 'warn', 'The token has no qsh claim: Atlassian products refuse it for REST calls.');
    $form.dataset.state = 'missing';
  } else if (claim === 'context-qsh') {
    setVerdict('jwt-qsh-status', 'warn', 'A context token (qsh "context-qsh"): it is not bound to a request, and products refuse it for REST calls.');
    $form.dataset.state = 'context';
  } else if (claim === computed) {
    setVerdict('jwt-qsh-status', 'ok', "Matches the token's qsh.");
    $form.dataset.state = 'match';
  } else {
    setVerdict('jwt-qsh-status', 'bad', `Differs: the token carries ${claim}.`);
    $('jwt-qsh-explain').hidden = false;
    $form.dataset.state = 'mismatch';
  }
}

/** Fills the Explain section with the qsh mismatch found above, and shows its answer. */
function explainJwtQsh() {
  const computed = $('jwt-qsh-computed').dataset.value;
  const claim = jwtDecoded?.payload?.qsh;
  if (!computed || typeof claim !== 'string') return;
  fillExplain({
    message: `Expecting claim 'qsh' to have value '${computed}' but instead it has the value '${claim}'`,
    method: $('jwt-qsh-method').value,
    url: trimmed('jwt-qsh-url'),
    baseUrl: trimmed('jwt-qsh-base'),
    token: jwtDecoded.token,
  });
}

// ================================================================ OAuth 1.0a

const isRsa = (m) => m.startsWith('RSA-');

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
  const el = $('oauth-base-string');
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
  el.replaceChildren(
    part('bs-method', bs.slice(0, i), 'the HTTP method'), sep(),
    part('bs-url', bs.slice(i + 1, j), 'the base URL: scheme, host, port if not the default, path; percent-encoded'), sep(),
    part('bs-params', bs.slice(j + 1), 'the query, form body and oauth_ parameters: sorted, each encoded, then encoded again'),
  );
  el.classList.remove('empty');
  el.dataset.value = bs;
  document.querySelector('button.copy[data-copy="oauth-base-string"]').disabled = false;
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

async function renderOAuth() {
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

// ---------------------------------------------------------------- the three-legged flow

/** The consumer's credentials from the OAuth form, for the flow's own requests. */
function flowCredentials() {
  const c = { consumerKey: trimmed('oauth-consumer-key'), signatureMethod: $('oauth-signature-method').value };
  if (isRsa(c.signatureMethod)) {
    const k = $('oauth-private-key').value.trim();
    if (k) c.privateKey = k;
  } else if ($('oauth-consumer-secret').value) {
    c.consumerSecret = $('oauth-consumer-secret').value;
  }
  const nonce = trimmed('oauth-nonce');
  if (nonce) c.nonce = nonce;
  const ts = trimmed('oauth-timestamp');
  if (/^\d+$/.test(ts)) c.timestamp = ts;
  return c;
}

let flowAccess = null;

function renderFlow() {
  if (!lib) return;
  const base = trimmed('flow-base');
  const c = flowCredentials();
  const ready = base && c.consumerKey && (c.privateKey || c.consumerSecret);
  let requestToken = null;
  let requestSecret;
  flowAccess = null;
  $('flow-use-token').disabled = true;
  showError('flow-error', null);
  showError('flow-request-error', null);
  showError('flow-access-error', null);

  const placeholder = !base ? 'Enter the product base URL.' : 'Enter the consumer key and the key or secret above.';
  if (!ready) {
    setValue('flow-request-curl', '', placeholder);
  } else {
    try {
      const r = lib.oauthRequestToken(base, { ...c, callback: trimmed('oauth-callback') || 'oob' });
      setValue('flow-request-curl', curl(r.method, r.headers, r.url));
    } catch (e) {
      showError('flow-error', e);
      setValue('flow-request-curl', '');
    }
  }

  const answer1 = $('flow-request-response').value.trim();
  if (answer1) {
    try {
      const t = lib.parseOAuthTokenResponse(answer1);
      requestToken = t.token;
      requestSecret = t.tokenSecret;
      const confirmed = t.callbackConfirmed === false ? ' (callback not confirmed)' : '';
      setValue('flow-request-token', `${t.token}${confirmed}`);
      $('flow-request-token').dataset.value = t.token;
    } catch (e) {
      showError('flow-request-error', e);
      setValue('flow-request-token', '');
    }
  } else {
    setValue('flow-request-token', '', 'Paste the answer to step 1.');
  }

  if (requestToken && base) {
    try {
      setValue('flow-authorize-url', lib.oauthAuthorizeUrl(base, requestToken));
    } catch (e) {
      showError('flow-error', e);
      setValue('flow-authorize-url', '');
    }
  } else {
    setValue('flow-authorize-url', '', 'Needs the request token from step 1.');
  }

  const verifier = trimmed('flow-verifier');
  if (!requestToken || !ready) {
    setValue('flow-access-curl', '', requestToken ? placeholder : 'Needs the request token from step 1.');
  } else if (!verifier) {
    setValue('flow-access-curl', '', 'Enter the verification code.');
  } else {
    try {
      const r = lib.oauthAccessToken(base, { ...c, token: requestToken, tokenSecret: requestSecret, verifier });
      setValue('flow-access-curl', curl(r.method, r.headers, r.url));
    } catch (e) {
      showError('flow-access-error', e);
      setValue('flow-access-curl', '');
    }
  }

  const answer2 = $('flow-access-response').value.trim();
  if (answer2) {
    try {
      const t = lib.parseOAuthTokenResponse(answer2);
      flowAccess = t;
      const expires = t.expiresIn !== undefined ? ` (expires in ${relative(t.expiresIn).replace(/^in /, '')})` : '';
      setValue('flow-access-token', `${t.token}${expires}`);
      $('flow-access-token').dataset.value = t.token;
      $('flow-use-token').disabled = false;
    } catch (e) {
      showError('flow-access-error', e);
      setValue('flow-access-token', '');
    }
  } else {
    setValue('flow-access-token', '', 'Paste the answer to step 3.');
  }
}

function useFlowToken() {
  if (!flowAccess) return;
  $('oauth-token').value = flowAccess.token;
  if (flowAccess.tokenSecret) $('oauth-token-secret').value = flowAccess.tokenSecret;
  changed($('oauth-token'));
  $('oauth-token').focus();
}

// ---------------------------------------------------------------- key pair

/** A key as PEM: base64 DER text (as some tools print it) is wrapped, PKCS#8 first, then PKCS#1. */
function publicKeyOf(text) {
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

async function generateKeys() {
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

function useGeneratedKey() {
  if (!generatedPrivateKey) return;
  if (!isRsa($('oauth-signature-method').value)) $('oauth-signature-method').value = 'RSA-SHA1';
  $('oauth-private-key').value = generatedPrivateKey;
  changed($('oauth-private-key'));
  $('oauth-private-key').focus();
}

// ================================================================ Explain

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
  if (token) input.token = tokenFromInput(token).token;
  return input;
}

function renderExplain() {
  if (!lib) return;
  const $form = $('explain-form');
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
    showError('explain-error', err, err.code === 'ERR_INVALID_INPUT'
      ? 'Paste the answer as the server gave it (the qsh error text, the oauth_problem body or WWW-Authenticate header, or the X-Seraph-Trusted-App-Error value), and the request.'
      : undefined);
    $('explain-result').hidden = true;
    $form.dataset.state = 'error';
    return;
  }
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
    const el = $(id);
    if (!text) {
      setValue(id, '', 'Not known from what was pasted.');
      continue;
    }
    const [mine] = other ? splitDiff(text, other) : [[text, '', '']];
    el.replaceChildren(...(other && other !== text ? markedNodes(mine) : [document.createTextNode(text)]));
    el.classList.remove('empty');
    el.dataset.value = text;
    document.querySelector(`button.copy[data-copy="${id}"]`).disabled = false;
  }
  $('explain-tried').textContent = e.tried.length ? `Variants tried: ${e.tried.join('; ')}.` : '';
  $('explain-result').hidden = false;
  $('explain-result').dataset.scheme = e.scheme;
  $form.dataset.state = 'ok';
}

const EXPLAIN_FIELDS = ['explain-message', 'explain-url', 'explain-base', 'explain-body', 'explain-token', 'explain-authorization', 'explain-base-string', 'explain-signed-url'];

function fillExplain(values) {
  for (const id of EXPLAIN_FIELDS) $(id).value = '';
  $('explain-scheme').value = '';
  $('explain-method').value = values.method ?? 'GET';
  const ids = { message: 'explain-message', url: 'explain-url', baseUrl: 'explain-base', body: 'explain-body', token: 'explain-token', authorization: 'explain-authorization', baseString: 'explain-base-string', signedUrl: 'explain-signed-url' };
  for (const [name, id] of Object.entries(ids)) if (values[name]) $(id).value = values[name];
  changed($('explain-message'));
  $('explain').scrollIntoView({ block: 'start' });
  $('explain-message').focus({ preventScroll: true });
}

function explainExample(kind) {
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

// ================================================================ Trusted apps

function renderTrusted() {
  if (!lib) return;
  const $form = $('ta-form');
  const appId = trimmed('ta-app-id');
  const username = trimmed('ta-username');
  const url = trimmed('ta-url');
  const privateKey = $('ta-private-key').value.trim();
  const outputs = ['ta-signature', 'ta-headers', 'ta-curl'];
  showError('ta-error', null);
  if (!appId || !username || !url) {
    for (const id of outputs) setValue(id, '', 'Enter the application id, the user name and the URL.');
    $form.dataset.state = 'empty';
    return;
  }
  if (!privateKey) {
    for (const id of outputs) setValue(id, '', 'Enter the private key to sign.');
    $form.dataset.state = 'unsigned';
    return;
  }
  try {
    const options = { version: Number($('ta-version').value), appId, privateKey, username, url };
    const ts = parseMillis($('ta-timestamp').value, 'timestamp');
    if (ts !== null) options.timestamp = ts;
    const r = lib.signTrustedApps(options);
    setValue('ta-signature', r.headers['X-Seraph-Trusted-App-Signature']);
    setValue('ta-headers', Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`).join('\n'));
    setValue('ta-curl', curl('GET', r.headers, url));
    $('ta-headers').dataset.timestamp = String(r.timestamp);
    $form.dataset.state = 'ok';
  } catch (e) {
    showError('ta-error', e);
    for (const id of outputs) setValue(id, '');
    $form.dataset.state = 'error';
  }
}

function parseHeaderLines(text) {
  const headers = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue;
    const m = /^\s*([^:\s][^:]*?)\s*:\s*(.*?)\s*$/.exec(line);
    if (!m) throw fail('ERR_INVALID_INPUT', `"${line.slice(0, 60)}" is not a "Name: value" header line`);
    headers[m[1]] = m[2];
  }
  return headers;
}

function renderTrustedVerify() {
  if (!lib) return;
  const $form = $('tav-form');
  const text = $('tav-headers').value;
  const url = trimmed('tav-url');
  const key = $('tav-key').value.trim();
  showError('tav-error', null);
  if (!text.trim() || !url || !key) {
    setVerdict('tav-result', 'none', 'Paste the headers, the URL and the key.');
    $form.dataset.state = 'empty';
    return;
  }
  let options;
  try {
    options = { headers: parseHeaderLines(text), url };
    if (key.includes('-----BEGIN')) options.publicKey = key;
    else options.certificate = key;
    const now = parseMillis($('tav-now').value, 'Check at');
    if (now !== null) options.now = now;
    if ($('tav-allow-v2').checked) options.allowV2 = true;
  } catch (e) {
    showError('tav-error', e);
    setVerdict('tav-result', 'none', 'Fix the input.');
    $form.dataset.state = 'error';
    return;
  }
  try {
    const r = lib.verifyTrustedApps(options);
    setVerdict('tav-result', 'ok', `Accepted: application ${r.appId}, user ${r.username}, version ${r.version}, signed at ${utc(r.timestamp / 1000)}.`);
    $form.dataset.state = 'ok';
  } catch (e) {
    const code = document.createElement('strong');
    code.className = 'code';
    code.textContent = e.seraphCode ?? '';
    setVerdict('tav-result', 'bad', ...(e.seraphCode ? [code, document.createTextNode(' ')] : []), ...errorNodes(e));
    $form.dataset.state = 'bad';
  }
}

function useSignedHeaders() {
  const headers = $('ta-headers').dataset.value;
  if (!headers) return;
  $('tav-headers').value = headers;
  $('tav-url').value = trimmed('ta-url');
  try {
    $('tav-key').value = publicKeyOf($('ta-private-key').value).publicKey;
  } catch {
    // leave the key for the person to paste
  }
  if (trimmed('ta-timestamp')) $('tav-now').value = $('ta-headers').dataset.timestamp;
  changed($('tav-headers'));
}

// ================================================================ storage (only when asked)

const STORE_KEY = 'atlassian-sign:inputs';

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // blocked by the browser's settings
  }
}

const storedFields = () => [...document.querySelectorAll('main input[id], main select[id], main textarea[id]')]
  .filter((el) => el.type !== 'checkbox' && el.type !== 'button');

function storageStatus(text) {
  $('storage-status').textContent = text;
}

function describeStorage() {
  if (!$('remember').checked) storageStatus('Nothing is stored.');
  else if ($('remember-secrets').checked) storageStatus('Your inputs, keys and secrets included, are kept in this browser\'s local storage, readable by anyone using this browser profile. Untick or use "Forget" to erase them.');
  else storageStatus('Your inputs are kept in this browser\'s local storage, without keys, secrets and tokens.');
}

function save() {
  const store = storage();
  if (!store) return;
  if (!$('remember').checked) return;
  const secrets = $('remember-secrets').checked;
  const values = {};
  for (const el of storedFields()) {
    if (el.hasAttribute('data-secret') && !secrets) continue;
    values[el.id] = el.value;
  }
  try {
    store.setItem(STORE_KEY, JSON.stringify({ version: 1, secrets, values }));
  } catch (e) {
    storageStatus(`Could not store the inputs: ${e.message}`);
  }
}

function forget() {
  storage()?.removeItem(STORE_KEY);
  $('remember').checked = false;
  $('remember-secrets').checked = false;
  $('remember-secrets').disabled = true;
  describeStorage();
}

function restore() {
  let saved = null;
  try {
    saved = JSON.parse(storage()?.getItem(STORE_KEY) ?? 'null');
  } catch {
    saved = null;
  }
  if (!saved || typeof saved.values !== 'object') return;
  for (const [id, value] of Object.entries(saved.values)) {
    const el = $(id);
    if (!el || !storedFields().includes(el) || typeof value !== 'string') continue;
    if (el.hasAttribute('data-secret') && !saved.secrets) continue;
    el.value = value;
  }
  $('remember').checked = true;
  $('remember-secrets').disabled = false;
  $('remember-secrets').checked = Boolean(saved.secrets);
}

function wireStorage() {
  $('remember').addEventListener('change', () => {
    const on = $('remember').checked;
    $('remember-secrets').disabled = !on;
    if (!on) {
      $('remember-secrets').checked = false;
      storage()?.removeItem(STORE_KEY);
    }
    save();
    describeStorage();
  });
  $('remember-secrets').addEventListener('change', () => {
    save(); // rewrites the stored copy with or without the secrets
    describeStorage();
  });
  $('forget').addEventListener('click', forget);
  // Every edit is saved by changed(), which the page's input and change listeners call.
}

// ================================================================ wiring

const RENDERERS = {
  'connect-form': renderConnect,
  'qsh-form': renderQsh,
  'jwt-form': renderJwt,
  'jwt-key-form': renderJwtKey,
  'jwt-qsh-form': () => { renderJwtQsh(); renderJwtKey(); },
  'oauth-form': renderOAuth,
  'flow-form': renderFlow,
  'explain-form': renderExplain,
  'ta-form': renderTrusted,
  'tav-form': renderTrustedVerify,
};

/** Runs the renderer of the part of the page an element belongs to. */
function changed(el) {
  if (el.closest('ol.steps')) return renderFlow();
  const form = el.closest('form');
  RENDERERS[form?.id]?.();
  save();
}

function renderAll() {
  applyProduct();
  renderConnect();
  renderQsh();
  renderJwt();
  renderOAuth();
  renderExplain();
  renderTrusted();
  renderTrustedVerify();
}

function wire() {
  for (const form of document.querySelectorAll('main form')) {
    form.addEventListener('submit', (e) => e.preventDefault()); // Enter must not navigate
  }
  const main = document.querySelector('main');
  main.addEventListener('input', (e) => changed(e.target));
  main.addEventListener('change', (e) => {
    if (e.target.id === 'connect-product') applyProduct();
    changed(e.target);
  });

  // A URL with ?jwt= pasted as the token is also the request to check the qsh against.
  $('jwt-token').addEventListener('input', () => {
    const { url } = tokenFromInput($('jwt-token').value);
    if (url && !trimmed('jwt-qsh-url')) $('jwt-qsh-url').value = url; // renderJwt, run next, uses it
  });
  $('jwt-qsh-explain').addEventListener('click', explainJwtQsh);
  $('flow-use-token').addEventListener('click', useFlowToken);
  $('keygen').addEventListener('click', generateKeys);
  $('keygen-use').addEventListener('click', useGeneratedKey);
  $('tav-use-signed').addEventListener('click', useSignedHeaders);
  for (const b of document.querySelectorAll('[data-example]')) {
    b.addEventListener('click', () => { if (lib) explainExample(b.dataset.example); });
  }

  for (const b of document.querySelectorAll('button.toggle')) {
    b.addEventListener('click', () => {
      const field = $(b.dataset.toggle);
      const show = field.type === 'password';
      field.type = show ? 'text' : 'password';
      b.textContent = show ? 'Hide' : 'Show';
      b.setAttribute('aria-pressed', String(show));
    });
  }

  document.addEventListener('click', async (e) => {
    const button = e.target.closest('button.copy');
    if (!button) return;
    const text = $(button.dataset.copy).dataset.value;
    if (!text) return;
    const label = button.textContent;
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = 'Copied';
    } catch {
      // No clipboard permission (or not a secure context): select the text for Ctrl+C instead.
      const range = document.createRange();
      range.selectNodeContents($(button.dataset.copy));
      getSelection().removeAllRanges();
      getSelection().addRange(range);
      button.textContent = 'Selected';
    }
    setTimeout(() => { button.textContent = label; }, 1200);
  });
  wireStorage();
}

function setStatus(text, kind) {
  const el = $('status');
  el.textContent = text;
  el.dataset.kind = kind ?? '';
  el.hidden = !text;
}

async function main(load) {
  wire();
  restore();
  describeStorage();
  applyProduct();
  clearConnect('Enter a URL.');
  setValue('qsh-canonical', '', 'Enter a URL.');
  setValue('qsh-value', '');
  setValue('keygen-public', '', 'Choose a size and press "Generate a key pair".');
  setValue('keygen-private', '', 'Made with the public key; never leaves this page.');
  try {
    const mod = await load();
    await mod.init();
    lib = mod;
  } catch (e) {
    setStatus(`Could not load the WebAssembly build (${e.message}). Build it with \`npm run build\`, then reload.`, 'error');
    document.documentElement.dataset.ready = 'error';
    return;
  }
  setStatus('', '');
  renderAll();
  document.documentElement.dataset.ready = 'true';
}

// scripts/build-single.mjs replaces this line to load the inlined module instead.
main(() => import('/pkg/web.js'));
