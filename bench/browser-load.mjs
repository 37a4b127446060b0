// Module load time in Debian's Chromium: a fresh browser context per run (cold HTTP cache),
// the package's web entry imported from a loopback server, then `await init()` (fetch +
// streaming compile + instantiate) and the first call. Also the compile time of the same
// bytes alone. Median of `n` runs.
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// `pkgDir`: the built package to load (default: the project's pkg/). The server serves
// `<root>/pkg`, so another folder is served through a temporary root whose pkg links to it.
export async function chromiumLoadTimes(n, pkgDir = path.join(ROOT, 'pkg')) {
  if (!existsSync(CHROMIUM)) return { skipped: `${CHROMIUM} not found` };
  const require = createRequire(path.join(ROOT, 'package.json'));
  const { chromium } = require('playwright-core');
  const { startServer } = await import(path.join(ROOT, 'scripts/serve.mjs'));
  let root = ROOT;
  if (path.resolve(pkgDir) !== path.join(ROOT, 'pkg')) {
    root = mkdtempSync(path.join(os.tmpdir(), 'bench-root-'));
    symlinkSync(path.resolve(pkgDir), path.join(root, 'pkg'), 'dir');
  }
  const { server, url } = await startServer({ port: 0, root });
  let browser = null;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const runs = [];
    for (let i = 0; i < n; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${url}pkg/exports.json`);
      runs.push(await page.evaluate(async () => {
        const t0 = performance.now();
        const m = await import('/pkg/web.js');
        const t1 = performance.now();
        await m.init();
        const t2 = performance.now();
        if (m.createQsh('GET', 'https://example.atlassian.net/rest/api/2/myself').length !== 64) throw new Error('bad qsh');
        const t3 = performance.now();
        const bytes = await (await fetch('/pkg/web/atlassian_sign_bg.wasm')).arrayBuffer();
        const t4 = performance.now();
        await WebAssembly.compile(bytes);
        const t5 = performance.now();
        return { importMs: t1 - t0, initMs: t2 - t1, firstCallMs: t3 - t2, compileMs: t5 - t4 };
      }));
      await context.close();
    }
    return {
      runs: n,
      browser: browser.version(),
      importMedianMs: median(runs.map((r) => r.importMs)),
      initMedianMs: median(runs.map((r) => r.initMs)),
      firstCallMedianMs: median(runs.map((r) => r.firstCallMs)),
      compileMedianMs: median(runs.map((r) => r.compileMs)),
    };
  } finally {
    await browser?.close();
    server.close();
    if (root !== ROOT) rmSync(root, { recursive: true, force: true });
  }
}
