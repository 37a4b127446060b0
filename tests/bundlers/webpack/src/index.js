// A webpack 5 app (build.cjs: entry, output and mode, no loaders or rules), the package
// installed from its packed tarball. It signs the request given in the page's query; ?init=url
// passes the .wasm's URL as webpack emits it for `new URL('atlassian-sign/wasm', import.meta.url)`,
// otherwise init() finds it by itself.
import { createQsh, encodeJwt, init } from 'atlassian-sign';

const q = new URLSearchParams(location.search);
const show = (id, text) => { document.getElementById(id).textContent = text; };

init(q.get('init') === 'url' ? new URL('atlassian-sign/wasm', import.meta.url) : undefined).then(() => {
  const iat = Number(q.get('iat'));
  const qsh = createQsh(q.get('method'), q.get('url'));
  show('qsh', qsh);
  show('token', encodeJwt({ iss: q.get('iss'), iat, exp: iat + 180, qsh }, q.get('secret')));
  document.documentElement.dataset.ready = 'true';
}).catch((e) => {
  show('error', `${e.code}: ${e.message}`);
  document.documentElement.dataset.ready = 'error';
});
