// The calculator page: every value is computed here by the WebAssembly build of atlassian-sign.
// Nothing typed is sent anywhere: there is no fetch here, and the Content-Security-Policy allows
// no connection but the page's own files (none at all in the single-file build). Nothing is
// stored unless the person ticks "Remember" (storage.js).
//
// This module starts the page and routes every edit to the renderer of its section. It is
// started by www/app.js when served (npm start), and by scripts/build-single.mjs's entry in
// the single file, each with its own way to load the package.

import { applyProduct, clearConnect, renderConnect } from './connect.js';
import { $, onChanged, setValue } from './dom.js';
import { explainExample, renderExplain } from './explain.js';
import { renderFlow, useFlowToken } from './flow.js';
import { renderJwt, renderJwtKey, renderJwtQsh, wireJwt } from './jwt.js';
import { renderJwtEdit, wireJwtEdit } from './jwt-edit.js';
import { generateKeys, useGeneratedKey } from './keys.js';
import { renderOAuth } from './oauth.js';
import { lib, setLib } from './pkg.js';
import { renderQsh } from './qsh.js';
import { describeStorage, restore, save, wireStorage } from './storage.js';
import { renderTrusted, renderTrustedVerify, useSignedHeaders } from './trusted-apps.js';

/** Per form: what renders its results. */
const RENDERERS = {
  'connect-form': renderConnect,
  'qsh-form': renderQsh,
  'jwt-form': renderJwt,
  'jwt-key-form': renderJwtKey,
  'jwt-qsh-form': () => { renderJwtQsh(); renderJwtKey(); },
  'jwtedit-form': renderJwtEdit,
  'oauth-form': renderOAuth,
  'flow-form': renderFlow,
  'explain-form': renderExplain,
  'ta-form': renderTrusted,
  'tav-form': renderTrustedVerify,
};

/** Runs the renderer of the part of the page an element belongs to (given the element), then stores the inputs if asked. */
function changed(el) {
  if (el.closest('ol.steps')) return renderFlow();
  const form = el.closest('form');
  RENDERERS[form?.id]?.(el);
  save();
}

function renderAll() {
  applyProduct();
  renderConnect();
  renderQsh();
  renderJwt();
  renderJwtEdit();
  renderOAuth();
  renderExplain();
  renderTrusted();
  renderTrustedVerify();
}

/** "Show"/"Hide" on secret fields. */
function wireToggles() {
  for (const b of document.querySelectorAll('button.toggle')) {
    b.addEventListener('click', () => {
      const field = $(b.dataset.toggle);
      const show = field.type === 'password';
      field.type = show ? 'text' : 'password';
      b.textContent = show ? 'Hide' : 'Show';
      b.setAttribute('aria-pressed', String(show));
    });
  }
}

/** "Copy" on results: the clipboard, or the text selected where the page may not write it. */
function wireCopy() {
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

function wire() {
  onChanged(changed);
  for (const form of document.querySelectorAll('main form')) {
    form.addEventListener('submit', (e) => e.preventDefault()); // Enter must not navigate
  }
  const main = document.querySelector('main');
  main.addEventListener('input', (e) => changed(e.target));
  main.addEventListener('change', (e) => {
    if (e.target.id === 'connect-product') applyProduct();
    changed(e.target);
  });

  wireJwt();
  wireJwtEdit();
  $('flow-use-token').addEventListener('click', useFlowToken);
  $('keygen').addEventListener('click', generateKeys);
  $('keygen-use').addEventListener('click', useGeneratedKey);
  $('tav-use-signed').addEventListener('click', useSignedHeaders);
  for (const b of document.querySelectorAll('[data-example]')) {
    b.addEventListener('click', () => { if (lib) explainExample(b.dataset.example); });
  }
  wireToggles();
  wireCopy();
  wireStorage();
}

function setStatus(text, kind) {
  const el = $('status');
  el.textContent = text;
  el.dataset.kind = kind ?? '';
  el.hidden = !text;
}

/**
 * Wires the page, restores stored inputs, then loads the package: `load` resolves with its
 * module (pkg/web.js), whose init() this calls. Sets <html data-ready> to "true" or "error".
 */
export async function start(load) {
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
    setLib(mod);
  } catch (e) {
    setStatus(`Could not load the WebAssembly build (${e.message}). Build it with \`npm run build\`, then reload.`, 'error');
    document.documentElement.dataset.ready = 'error';
    return;
  }
  setStatus('', '');
  renderAll();
  document.documentElement.dataset.ready = 'true';
}
