// Section "qsh only": the canonical request and query string hash of a request.

import { $, setValue, showError, trimmed } from './dom.js';
import { lib } from './pkg.js';

export function renderQsh() {
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
