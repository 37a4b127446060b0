// Section "JWT": decode a token, check its times, verify its signature with a key, and compare
// its qsh with a request.

import { $, errorNodes, row, setValue, setVerdict, showError, td, trimmed } from './dom.js';
import { fillExplain } from './explain.js';
import { lib } from './pkg.js';
import { fail, parseSeconds, relative, utc } from './util.js';

const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];
const RSA_ALGS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

/**
 * The key to verify with, the algorithms it pins, and what it was read as. `type` is the
 * Key type field: 'secret', 'pem', 'jwk', or 'auto', where the package's keyKind() decides
 * between a secret and an RSA key (PEM, or JWK text, which is JSON).
 */
export function readJwtKey(text, type, header) {
  const t = text.trim();
  let kind = type;
  if (kind === 'auto') kind = lib.keyKind(text) === 'secret' ? 'secret' : t.startsWith('{') ? 'jwk' : 'pem';
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

export function renderJwt() {
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
  const { token } = lib.tokenFromText(raw);
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

export function renderJwtKey() {
  if (!lib) return;
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

export function renderJwtQsh() {
  if (!lib) return;
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

export function wireJwt() {
  // A URL with ?jwt= pasted as the token is also the request to check the qsh against.
  $('jwt-token').addEventListener('input', () => {
    if (!lib) return;
    const { url } = lib.tokenFromText($('jwt-token').value);
    if (url && !trimmed('jwt-qsh-url')) $('jwt-qsh-url').value = url; // renderJwt, run next, uses it
  });
  $('jwt-qsh-explain').addEventListener('click', explainJwtQsh);
}
