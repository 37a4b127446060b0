// The calculator page's entry when served (npm start, scripts/serve.mjs): the page is
// www/js/*.js, and the package is loaded from /pkg/ (built by `npm run build`).
// scripts/build-single.mjs bundles www/js/main.js with an entry of its own instead, which
// hands init() the inlined WebAssembly bytes.
import { start } from './js/main.js';

start(() => import('/pkg/web.js'));
