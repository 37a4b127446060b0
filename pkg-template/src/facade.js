// The package's API over the WebAssembly exports: one module per protocol, mirroring the
// bindings in src/wasm/. `platform` is node:crypto in Node (key generation) and absent in
// browsers (WebCrypto is used instead).
import { connectApi } from './connect.js';
import { explainApi } from './explain.js';
import { incomingApi } from './incoming.js';
import { setKeyPlatform } from './key_forms.js';
import { keysApi } from './keys.js';
import { oauthApi } from './oauth1.js';
import { trustedAppsApi } from './trusted_apps.js';

export function createApi(raw, platform) {
  setKeyPlatform(platform);
  return {
    ...connectApi(raw),
    ...keysApi(raw, platform),
    ...oauthApi(raw),
    ...incomingApi(raw),
    ...explainApi(raw),
    ...trustedAppsApi(raw),
  };
}
