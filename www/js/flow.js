// Section "OAuth 1.0a", the three-legged flow: request token, authorization URL, access token,
// each signed with the consumer's credentials from the OAuth form.

import { $, changed, setValue, showError, trimmed } from './dom.js';
import { lib } from './pkg.js';
import { curl, isRsa, relative } from './util.js';

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

export function renderFlow() {
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

export function useFlowToken() {
  if (!flowAccess) return;
  $('oauth-token').value = flowAccess.token;
  if (flowAccess.tokenSecret) $('oauth-token-secret').value = flowAccess.tokenSecret;
  changed($('oauth-token'));
  $('oauth-token').focus();
}
