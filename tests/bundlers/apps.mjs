// The bundler apps of tests/browser/bundlers.test.mjs, as a new user would have them: pkg/ packed
// with `npm pack`, each app in its own folder with the bundler installed from the registry and
// the tarball installed by npm, then served or built by the real tools.
//
// The folders live under .cache/bundler-apps/ (ignored by git; a fresh clone recreates them): the
// bundlers are installed once per pinned version, the tarball on every run. Not under a
// node_modules folder: Vite treats every file on such a path as a dependency's, and would not
// handle the app as it handles a user's.
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const CACHE = path.join(ROOT, '.cache/bundler-apps');

/** The apps: their fixture folder and what each installs besides the package (exact versions). */
export const APPS = {
  vite6: { fixture: 'vite', dependencies: { vite: '6.4.6' } },
  vite7: { fixture: 'vite', dependencies: { vite: '7.3.8' } },
  vite8: { fixture: 'vite', dependencies: { vite: '8.4.1' } },
  webpack5: { fixture: 'webpack', dependencies: { webpack: '5.113.0' } },
  importmap: { fixture: 'importmap', dependencies: {} },
};

// `npm test` runs us under npm, whose npm_* variables (the project's prefix among them) would
// point the nested npm at the project instead of the app's folder.
// The tools run as in a user's shell: no npm_* variables of the outer npm, and no colours (CI=true
// turns them on in Vite's logger, and the tests read its output).
const cleanEnv = () => ({
  ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|FORCE_COLOR$)/i.test(k))),
  NO_COLOR: '1',
});

function npm(args, cwd) {
  try {
    return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
      cwd, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (e) {
    throw new Error(`npm ${args.join(' ')} (in ${cwd}) failed:\n${e.stdout}${e.stderr}`);
  }
}

/** Packs pkg/ as `npm publish` would, into the cache folder; returns the tarball's path. */
export function packPackage() {
  mkdirSync(CACHE, { recursive: true });
  const [{ filename }] = JSON.parse(npm(['pack', '--json', '--pack-destination', CACHE], path.join(ROOT, 'pkg')));
  return path.join(CACHE, filename);
}

const installedVersion = (dir, name) => {
  const file = path.join(dir, 'node_modules', name, 'package.json');
  return existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')).version : null;
};

/**
 * Makes the app's folder: its bundler (unless already there at the pinned version), the tarball
 * installed afresh, the fixture's files copied over, no earlier output or Vite cache. Returns it.
 */
export function prepareApp(name, tarball) {
  const { fixture, dependencies } = APPS[name];
  const dir = path.join(CACHE, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'),
    `${JSON.stringify({ name: `bundler-app-${name}`, private: true, type: 'module', dependencies }, null, 2)}\n`);
  if (Object.entries(dependencies).some(([dep, version]) => installedVersion(dir, dep) !== version)) {
    npm(['install', '--no-package-lock'], dir);
  }
  rmSync(path.join(dir, 'node_modules/atlassian-sign'), { recursive: true, force: true });
  npm(['install', '--no-package-lock', '--no-save', tarball], dir);
  for (const out of ['dist', 'node_modules/.vite']) rmSync(path.join(dir, out), { recursive: true, force: true });
  cpSync(path.join(HERE, fixture), dir, { recursive: true });
  return dir;
}

/** Runs a tool's command in the app's folder with Node; throws with its output when it fails. */
export function runTool(dir, script, args = []) {
  try {
    return execFileSync(process.execPath, [script, ...args], { cwd: dir, env: cleanEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    throw new Error(`${script} ${args.join(' ')} failed:\n${e.stdout}${e.stderr}`);
  }
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts the Vite dev server of the app's folder on a 127.0.0.1 port, with --force so that it
 * pre-bundles the freshly installed package. Resolves with { url, stop, output } once it listens.
 */
export async function startViteDev(dir) {
  const port = await freePort();
  const child = spawn(process.execPath, ['node_modules/vite/bin/vite.js', '--host', '127.0.0.1', '--port', String(port),
    '--strictPort', '--force', '--clearScreen', 'false'], { cwd: dir, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const url = `http://127.0.0.1:${port}/`;
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`Vite did not start in 60 s:\n${output}`));
    }, 60_000);
    const read = (chunk) => {
      output += chunk;
      if (output.replace(/\x1b\[[0-9;]*m/g, '').includes(url)) { clearTimeout(timer); resolve(); }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`Vite exited (${code}):\n${output}`)); });
  });
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.removeAllListeners('exit');
    child.on('exit', resolve);
    child.kill('SIGTERM');
  });
  return { url, stop, output: () => output };
}
