// Trusted applications (legacy Seraph v2/v3).
import { callJson, json, object, readHeaders, str, typeError } from './common.js';
import { rsaKeyValue } from './key_forms.js';

export function trustedAppsApi(raw) {
  /** The X-Seraph-Trusted-App-* headers for a request: `{ headers, timestamp, warnings }`. */
  function signTrustedApps(options) {
    const o = object(options, 'signTrustedApps takes { version, appId, privateKey, username, url, timestamp? }');
    const timestamp = o.timestamp == null ? Date.now() : o.timestamp;
    return callJson(raw.__signTrustedApps, json({ ...o, privateKey: rsaKeyValue(o.privateKey, 'privateKey'), timestamp }, 'options'));
  }

  /** Verifies trusted-apps headers: `{ appId, username, timestamp, version, warnings }`. v2 only with allowV2. */
  function verifyTrustedApps(options) {
    const o = object(options, 'verifyTrustedApps takes { headers, url, publicKey | certificate, now?, windowMs?, allowV2? }');
    if (o.headers === null || typeof o.headers !== 'object') throw typeError('headers must be an object or a Headers');
    const now = o.now == null ? Date.now() : o.now;
    return callJson(raw.__verifyTrustedApps, json({ ...o, publicKey: rsaKeyValue(o.publicKey, 'publicKey'),
      headers: readHeaders(o.headers, 'headers'), now }, 'options'));
  }

  /** Parses `<base>/admin/appTrustCertificate`: `{ appId, publicKey, version, magic }`. */
  function parseAppTrustCertificate(text) {
    return callJson(raw.__parseAppTrustCertificate, str(text, 'text'));
  }

  return { signTrustedApps, verifyTrustedApps, parseAppTrustCertificate };
}
