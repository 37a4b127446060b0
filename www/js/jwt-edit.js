// Section "Edit and sign a JWT", as jwt.io does it but computed here: a pasted token is decoded
// into its header and claims; edited header and claims are signed again, as they are, by the
// package's jwsSign (HS256/384/512 with a secret, RS*/PS* with an RSA private key); the signature is
// checked by the package's jwsVerify with a secret or public key; the token is shown in its three
// coloured parts. The page does no cryptography of its own.

import { $, errorNodes, partSpan, setValue, setValueNodes, setVerdict, showError } from './dom.js';
import { readJwtKey } from './jwt.js';
import { lib } from './pkg.js';
import { fail } from './util.js';

const HMAC_ALGS = ['HS256', 'HS384', 'HS512'];
const ALGS = [...HMAC_ALGS, 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];

/** Where the last edit was: 'token' (decode it into the header and claims) or 'claims' (sign them). */
let source = 'claims';
/** Until the person edits this section, a missing key is a hint, not an error. */
let touched = false;

/** What an edited field makes the section do; the keys keep the current source. */
const SOURCES = {
  'jwtedit-token': 'token',
  'jwtedit-header': 'claims',
  'jwtedit-payload': 'claims',
  'jwtedit-alg': 'claims',
};

/** base64url without padding of a text's UTF-8 bytes (RFC 7515 §2): an encoding, not cryptography. */
function base64url(text) {
  let bin = '';
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const kindOf = (v) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`);

/** A JSON object from a text area, or an error that names the field and where the JSON breaks. */
function jsonObject(id, what, example) {
  const text = $(id).value;
  if (!text.trim()) throw fail('ERR_INVALID_INPUT', `the ${what} is empty: enter a JSON object such as ${example}`);
  let value;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw fail('ERR_INVALID_INPUT', `the ${what} is not valid JSON (${e.message}); names and strings need double quotes, and no comma may end a list`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw fail('ERR_INVALID_INPUT', `the ${what} must be a JSON object {…}, not ${kindOf(value)}; for example ${example}`);
  }
  return value;
}

/** The signing key as jwsSign takes it: a secret's text, PEM text, or a JWK object. */
function signingKey(alg) {
  const text = $('jwtedit-key').value;
  const t = text.trim();
  const hmac = HMAC_ALGS.includes(alg);
  if (t.startsWith('{')) {
    let jwk;
    try {
      jwk = JSON.parse(t);
    } catch (e) {
      // A secret may start with "{"; an RSA key in braces can only be a JWK.
      if (hmac) return text.replace(/\r?\n$/, '');
      throw fail('ERR_INVALID_KEY', `the key looks like a JWK but is not valid JSON (${e.message}); paste the whole {"kty":"RSA",…} object, or a PEM private key`);
    }
    if (jwk && typeof jwk === 'object' && typeof jwk.kty === 'string') return jwk;
  }
  if (hmac) return text.replace(/\r?\n$/, ''); // a pasted line end is not part of the secret
  if (!t) throw fail('ERR_INVALID_KEY', `${alg} signs with an RSA private key of 2048 bits or more: paste it (PKCS#8 or PKCS#1 PEM, or a JWK with "d"), or make one under OAuth 1.0a, "Key pair"`);
  return t;
}

/** The key to check the signature with: the verification field, or else the signing key (its public half for RSA). */
function verificationKey(header) {
  const text = $('jwtedit-verify-key').value;
  if (text.trim()) return readJwtKey(text, 'auto', header);
  if (!$('jwtedit-key').value.trim()) return null;
  const alg = ALGS.includes(header.alg) ? header.alg : $('jwtedit-alg').value;
  const key = signingKey(alg);
  if (HMAC_ALGS.includes(alg)) {
    const bytes = typeof key === 'string' ? new TextEncoder().encode(key).length : null;
    return { key, algorithms: HMAC_ALGS, info: bytes === null ? 'the signing key (a JWK)' : `the signing secret (${bytes} ${bytes === 1 ? 'byte' : 'bytes'})` };
  }
  const pub = lib.exportPublicKey(key);
  return { key: pub.publicKey, algorithms: ALGS.slice(3), info: `the public half of the signing key (RSA ${pub.bits} bits)` };
}

function verify(token, header) {
  let key;
  try {
    key = verificationKey(header);
  } catch (e) {
    setVerdict('jwtedit-verdict', 'bad', ...errorNodes(e));
    return 'key-error';
  }
  if (!key) {
    setVerdict('jwtedit-verdict', 'none', 'Enter a secret or public key to check the signature.');
    return 'no-key';
  }
  const alg = header.alg;
  if (!key.algorithms.includes(alg)) {
    setVerdict('jwtedit-verdict', 'bad', ...errorNodes(fail('ERR_JWT_ALG_NOT_ALLOWED',
      `the token says alg ${JSON.stringify(alg)}, which ${key.info} cannot check (it accepts ${key.algorithms.join(', ')})`)));
    return 'invalid';
  }
  const [h, p, s] = token.split('.');
  try {
    if (lib.jwsVerify(`${h}.${p}`, s, key.key, alg)) {
      setVerdict('jwtedit-verdict', 'ok', `Signature verified: a valid ${alg} signature, checked with ${key.info}.`);
      return 'verified';
    }
    setVerdict('jwtedit-verdict', 'bad', ...errorNodes(fail('ERR_JWT_SIGNATURE_INVALID',
      `the ${alg} signature does not match ${key.info}: another key signed this header and payload, or they were changed after signing`)));
  } catch (e) {
    setVerdict('jwtedit-verdict', 'bad', ...errorNodes(e));
  }
  return 'invalid';
}

/** The token in three coloured parts (header, payload, signature), each with its own class. */
function showToken(token) {
  const [h, p, s] = token.split('.');
  const part = partSpan;
  const dot = () => part('jwt-dot', '.', 'separator');
  setValueNodes('jwtedit-coloured', token, [
    part('jwt-header', h, 'the header, base64url'), dot(),
    part('jwt-payload', p, 'the payload (claims), base64url'), dot(),
    part('jwt-signature', s, 'the signature, base64url'),
  ]);
}

function clear(placeholder, verdict) {
  setValue('jwtedit-coloured', '', placeholder);
  setVerdict('jwtedit-verdict', 'none', verdict ?? placeholder);
}

/** A pasted token: its header and claims into the text areas, its signature checked. */
function decodeToken() {
  const raw = $('jwtedit-token').value;
  if (!raw.trim()) {
    showError('jwtedit-error', null);
    clear('Paste a token, or edit the header and claims.');
    return 'empty';
  }
  const { token } = lib.tokenFromText(raw);
  const decoded = lib.decodeJwt(token);
  $('jwtedit-header').value = JSON.stringify(decoded.header, null, 2);
  $('jwtedit-payload').value = JSON.stringify(decoded.payload, null, 2);
  if (ALGS.includes(decoded.header.alg)) $('jwtedit-alg').value = decoded.header.alg;
  showError('jwtedit-error', null);
  showToken(token);
  return `decoded-${verify(token, decoded.header)}`;
}

/** The header and claims signed with the key: the token written into the token field. */
function signClaims(edited) {
  const header = jsonObject('jwtedit-header', 'header', '{"alg": "HS256", "typ": "JWT"}');
  const claims = jsonObject('jwtedit-payload', 'claims', '{"sub": "1234567890", "iat": 1516239022}');
  const select = $('jwtedit-alg');
  if (edited?.id === 'jwtedit-alg') {
    // The algorithm chosen is written into the header, as jwt.io does.
    header.alg = select.value;
    $('jwtedit-header').value = JSON.stringify(header, null, 2);
  } else if ('alg' in header) {
    if (!ALGS.includes(header.alg)) {
      throw fail('ERR_UNSUPPORTED_ALGORITHM', `the header's alg ${JSON.stringify(header.alg)} is not one this page signs with (${ALGS.join(', ')}); choose one under Algorithm`);
    }
    select.value = header.alg;
  }
  const alg = select.value;
  if (!touched && !$('jwtedit-key').value.trim()) {
    showError('jwtedit-error', null);
    clear(HMAC_ALGS.includes(alg) ? 'Enter the secret to sign.' : 'Enter the RSA private key to sign.', 'Nothing signed yet.');
    return 'unsigned';
  }
  // The header and claims exactly as edited (members in their order, no typ added), signed by the
  // package's jwsSign: the token jwt.io would make from the same text.
  const input = `${base64url(JSON.stringify('alg' in header ? header : { alg, ...header }))}.${base64url(JSON.stringify(claims))}`;
  const token = `${input}.${lib.jwsSign(input, signingKey(alg), alg)}`;
  $('jwtedit-token').value = token;
  showError('jwtedit-error', null);
  showToken(token);
  return `signed-${verify(token, lib.decodeJwt(token).header)}`;
}

/** Renders the section after an edit of `el` (none: the page's first render). */
export function renderJwtEdit(el) {
  if (!lib) return;
  if (el) {
    touched = true;
    source = SOURCES[el.id] ?? source;
  } else if (!touched && $('jwtedit-token').value.trim()) {
    source = 'token'; // a token restored from storage: decode it
  }
  const $form = $('jwtedit-form');
  try {
    $form.dataset.state = source === 'token' ? decodeToken() : signClaims(el);
  } catch (e) {
    showError('jwtedit-error', e);
    clear('Fix the error above.', 'Nothing to check.');
    $form.dataset.state = 'error';
  }
}

export function wireJwtEdit() {
  $('jwtedit-sign').addEventListener('click', () => {
    source = 'claims';
    touched = true;
    renderJwtEdit();
  });
}
