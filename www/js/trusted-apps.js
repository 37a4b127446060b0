// Section "Trusted applications": sign a request with the Seraph trusted-apps headers, and check
// headers as a server would.

import { $, changed, errorNodes, setValue, setVerdict, showError, trimmed } from './dom.js';
import { publicKeyOf } from './keys.js';
import { lib } from './pkg.js';
import { curl, fail, parseMillis, utc } from './util.js';

export function renderTrusted() {
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

export function renderTrustedVerify() {
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

export function useSignedHeaders() {
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
