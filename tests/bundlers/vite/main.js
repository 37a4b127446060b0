// A Vite app with no Vite configuration, the package installed from its packed tarball (see
// tests/browser/bundlers.test.mjs, which serves it with Vite 7 and 8, dev server and build).
// It signs the request given in the page's query; ?init=url loads the .wasm from the URL Vite
// gives `atlassian-sign/wasm?url`, otherwise init() finds it by itself.
import { createQsh, encodeJwt, init } from 'atlassian-sign';
import { createQueryStringHash, fromMethodAndUrl } from 'atlassian-sign/atlassian-jwt';
import wasmUrl from 'atlassian-sign/wasm?url';

const q = new URLSearchParams(location.search);
const show = (id, text) => { document.getElementById(id).textContent = text; };

init(q.get('init') === 'url' ? wasmUrl : undefined).then(() => {
  const method = q.get('method');
  const url = q.get('url');
  const iat = Number(q.get('iat'));
  const qsh = createQsh(method, url);
  show('qsh', qsh);
  show('dropin-qsh', createQueryStringHash(fromMethodAndUrl(method, url)));
  show('token', encodeJwt({ iss: q.get('iss'), iat, exp: iat + 180, qsh }, q.get('secret')));
  document.documentElement.dataset.ready = 'true';
}).catch((e) => {
  show('error', `${e.code}: ${e.message}`);
  document.documentElement.dataset.ready = 'error';
});
