// A page with no build step: an import map names the package's browser entry. It signs the
// request given in the page's query. ?init=url passes the .wasm's URL as the import map gives
// it, ?wasm=<url> passes that URL (the test's error cases), otherwise init() finds it by itself.
import { createQsh, encodeJwt, init } from 'atlassian-sign';

const q = new URLSearchParams(location.search);
const show = (id, text) => { document.getElementById(id).textContent = text; };
const wasm = q.get('init') === 'url' ? import.meta.resolve('atlassian-sign/wasm') : (q.get('wasm') ?? undefined);

init(wasm).then(() => {
  const iat = Number(q.get('iat'));
  const qsh = createQsh(q.get('method'), q.get('url'));
  show('qsh', qsh);
  show('token', encodeJwt({ iss: q.get('iss'), iat, exp: iat + 180, qsh }, q.get('secret')));
  document.documentElement.dataset.ready = 'true';
}).catch((e) => {
  show('error', `${e.code}: ${e.message}`);
  document.documentElement.dataset.ready = 'error';
});
