// The calculator page: every value is computed here by the WebAssembly build in /pkg/.
// Nothing typed is sent anywhere or stored (no fetch, no storage APIs); the CSP enforces the first.

const $ = (id) => document.getElementById(id);

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

let lib = null;

function setStatus(text, kind) {
  const el = $('status');
  el.textContent = text;
  el.dataset.kind = kind ?? '';
  el.hidden = !text;
}

function showError(id, error) {
  const el = $(id);
  if (!error) {
    el.hidden = true;
    el.replaceChildren();
    return;
  }
  const code = document.createElement('strong');
  code.className = 'code';
  code.textContent = error.code ?? error.name ?? 'Error';
  const message = document.createElement('span');
  message.textContent = ` ${error.message}`;
  el.replaceChildren(code, message);
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

const trimmed = (id) => $(id).value.trim();

/** POSIX shell single-quoting. */
function shellQuote(s) {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function curlLine(method, result) {
  const parts = ['curl'];
  if (method === 'HEAD') parts.push('--head');
  else if (method !== 'GET') parts.push('-X', method);
  for (const [name, value] of Object.entries(result.headers)) parts.push('-H', shellQuote(`${name}: ${value}`));
  parts.push(shellQuote(result.url));
  return parts.join(' ');
}

// ---------------------------------------------------------------- Connect

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
    if (!Number.isInteger(n)) {
      const e = new Error(`expiresIn "${expires}" is not a whole number of seconds (the default is 180)`);
      e.code = 'ERR_INVALID_INPUT';
      throw e;
    }
    input.expiresIn = n;
  }
  return input;
}

function clearConnect(placeholder) {
  for (const id of ['connect-canonical', 'connect-qsh', 'connect-claims', 'connect-token', 'connect-authorization', 'connect-curl']) {
    setValue(id, '', placeholder);
  }
}

function renderConnect() {
  if (!lib) return;
  const $form = $('connect-form');
  $form.dataset.state = 'busy';
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
  setValue('connect-curl', curlLine(input.method, result));
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

// ---------------------------------------------------------------- qsh only

function renderQsh() {
  if (!lib) return;
  const $form = $('qsh-form');
  const method = trimmed('qsh-method');
  const url = trimmed('qsh-url');
  const baseUrl = trimmed('qsh-base');
  if (!url) {
    showError('qsh-error', null);
    setValue('qsh-canonical', '', 'Enter a URL.');
    setValue('qsh-value', '');
    $form.dataset.state = 'empty';
    return;
  }
  const options = baseUrl ? { baseUrl } : {};
  try {
    const canonical = lib.createCanonicalRequest(method, url, options);
    const qsh = lib.createQsh(method, url, options);
    showError('qsh-error', null);
    setValue('qsh-canonical', canonical);
    setValue('qsh-value', qsh);
    $form.dataset.state = 'ok';
  } catch (e) {
    showError('qsh-error', e);
    setValue('qsh-canonical', '');
    setValue('qsh-value', '');
    $form.dataset.state = 'error';
  }
}

// ---------------------------------------------------------------- wiring

function wire() {
  for (const form of [$('connect-form'), $('qsh-form')]) {
    form.addEventListener('submit', (e) => e.preventDefault()); // Enter must not navigate
  }
  $('connect-form').addEventListener('input', renderConnect);
  $('connect-form').addEventListener('change', renderConnect);
  $('connect-product').addEventListener('change', () => { applyProduct(); renderConnect(); });
  $('qsh-form').addEventListener('input', renderQsh);
  $('qsh-form').addEventListener('change', renderQsh);

  $('connect-secret-toggle').addEventListener('click', (e) => {
    const secret = $('connect-secret');
    const show = secret.type === 'password';
    secret.type = show ? 'text' : 'password';
    e.currentTarget.textContent = show ? 'Hide' : 'Show';
    e.currentTarget.setAttribute('aria-pressed', String(show));
  });

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
}

async function main() {
  wire();
  applyProduct();
  clearConnect('Enter a URL.');
  setValue('qsh-canonical', '', 'Enter a URL.');
  setValue('qsh-value', '');
  try {
    const mod = await import('/pkg/web.js');
    await mod.init();
    lib = mod;
  } catch (e) {
    setStatus(`Could not load the WebAssembly build from /pkg/ (${e.message}). Build it with \`npm run build\`, then reload.`, 'error');
    document.documentElement.dataset.ready = 'error';
    return;
  }
  setStatus('', '');
  document.documentElement.dataset.ready = 'true';
  renderConnect();
  renderQsh();
}

main();
