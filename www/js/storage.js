// Storage of the inputs, only when the person ticks "Remember" (keys, secrets and tokens only
// with "including keys and secrets" too): one JSON entry in this browser's local storage. Fields
// marked data-never-store (the credentials Explain tests its hypotheses with) are never stored.

import { $ } from './dom.js';

const STORE_KEY = 'atlassian-sign:inputs';

function storage() {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // blocked by the browser's settings
  }
}

const storedFields = () => [...document.querySelectorAll('main input[id], main select[id], main textarea[id]')]
  .filter((el) => el.type !== 'checkbox' && el.type !== 'button' && !el.hasAttribute('data-never-store'));

function storageStatus(text) {
  $('storage-status').textContent = text;
}

export function describeStorage() {
  if (!$('remember').checked) storageStatus('Nothing is stored.');
  else if ($('remember-secrets').checked) storageStatus('Your inputs, keys and secrets included (except the credentials given to Explain), are kept in this browser\'s local storage, readable by anyone using this browser profile. Untick or use "Forget" to erase them.');
  else storageStatus('Your inputs are kept in this browser\'s local storage, without keys, secrets and tokens.');
}

export function save() {
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

export function restore() {
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
  // A copy written before a field was marked never to be stored: rewritten without it.
  if (Object.keys(saved.values).some((id) => $(id)?.hasAttribute('data-never-store'))) save();
}

export function wireStorage() {
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
