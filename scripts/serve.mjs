#!/usr/bin/env node
// A zero-dependency static server for the calculator page: www/ at `/` (index.html, style.css,
// the entry app.js and the page's ES modules under js/, served as they are: the page itself
// needs no build), the built package (pkg/) at `/pkg/`, which app.js imports. Loopback only,
// GET and HEAD only, no directory listings, nothing outside the two folders (no `..`, no
// encoded slashes, no dotfiles, no symlinks leading out).
//
//   node scripts/serve.mjs [--port N] [--host ADDRESS]     (the PORT env var works too;
//   HOST is not read from the environment: some shells set it to the machine's name)
//
// Tests import startServer({ port: 0 }) and read the URL it resolves with.

import http from 'node:http';
import fs from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Sent with every HTML response; www/index.html repeats it in a <meta> (minus frame-ancestors, which a <meta> cannot carry). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
};

const BASE_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  // pkg/ is rebuilt in place: always revalidate (the ETag makes that cheap).
  'Cache-Control': 'no-cache',
};

function contentType(file) {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a request path to [folder, relative segments], or null when it is not a path we serve.
 * Segments are checked after percent-decoding, so `%2e%2e`, `%2f` and `%5c` cannot climb out.
 */
function route(rawPath, root) {
  let segments;
  try {
    segments = rawPath.split('/').slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return null; // malformed percent-encoding
  }
  for (const s of segments.slice(0, -1)) if (s === '') return null; // `//` inside the path
  for (const s of segments) {
    if (s.startsWith('.') || /[\\/\0:]/.test(s)) return null; // `..`, dotfiles, smuggled separators
  }
  if (segments[0] === 'pkg') {
    return { dir: path.join(root, 'pkg'), rel: segments.slice(1), mount: 'pkg' };
  }
  return { dir: path.join(root, 'www'), rel: segments, mount: 'www' };
}

async function resolveFile(r) {
  const trailingSlash = r.rel.length > 0 && r.rel[r.rel.length - 1] === '';
  const rel = trailingSlash ? r.rel.slice(0, -1) : r.rel;
  let file = path.join(r.dir, ...rel);
  let stat = await fs.stat(file);
  if (stat.isFile() && trailingSlash) return null; // `/app.js/` would break relative URLs
  if (stat.isDirectory()) {
    // `/` serves www/index.html; no other folder has an index and none is listed.
    if (r.mount !== 'www' || rel.length !== 0) return null;
    file = path.join(file, 'index.html');
    stat = await fs.stat(file);
  }
  if (!stat.isFile()) return null;
  // A symlink must not lead out of its folder.
  const [realDir, realFile] = await Promise.all([fs.realpath(r.dir), fs.realpath(file)]);
  if (!realFile.startsWith(realDir + path.sep)) return null;
  return { file: realFile, stat };
}

function send(res, status, body, headers = {}) {
  const text = typeof body === 'string' ? body : '';
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(res.req.method === 'HEAD' ? undefined : text);
}

async function handle(req, res, root) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return send(res, 405, 'Method not allowed\n', { Allow: 'GET, HEAD' });
  }
  const target = req.url ?? '/';
  if (!target.startsWith('/')) return send(res, 400, 'Bad request\n');
  const rawPath = target.split(/[?#]/, 1)[0];
  if (rawPath === '/pkg') return send(res, 301, '', { Location: '/pkg/' });

  const r = route(rawPath, root);
  if (!r) return send(res, 404, 'Not found\n');

  let found;
  try {
    found = await resolveFile(r);
  } catch (e) {
    if (e.code !== 'ENOENT' && e.code !== 'ENOTDIR') throw e;
    if (r.mount === 'pkg' && !(await exists(r.dir))) {
      return send(res, 503, 'pkg/ is not built (or is being rebuilt): run `npm run build`, then reload.\n', { 'Retry-After': '5' });
    }
    found = null;
  }
  if (!found) return send(res, 404, 'Not found\n');

  const { file, stat } = found;
  const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
  const type = contentType(file);
  const headers = { ...BASE_HEADERS, 'Content-Type': type, ETag: etag };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
  if (req.headers['if-none-match'] === etag) {
    res.writeHead(304, headers);
    return res.end();
  }
  let body;
  try {
    body = await fs.readFile(file);
  } catch (e) {
    if (e.code === 'ENOENT') return send(res, 404, 'Not found\n'); // removed by a rebuild meanwhile
    throw e;
  }
  headers['Content-Length'] = body.length;
  res.writeHead(200, headers);
  res.end(req.method === 'HEAD' ? undefined : body);
}

async function exists(p) {
  try {
    await fs.access(p);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts the server. `port` 0 picks a free port; `root` is the project folder holding www/ and
 * pkg/ (default: this script's parent); `host` defaults to the loopback address.
 * Resolves with { server, url } once listening.
 */
export function startServer({ port = 8080, root = PROJECT_ROOT, host = '127.0.0.1' } = {}) {
  const absRoot = path.resolve(root);
  const server = http.createServer((req, res) => {
    handle(req, res, absRoot).catch((e) => {
      console.error(`serve: ${req.method} ${req.url}: ${e.message}`);
      if (!res.headersSent) send(res, 500, 'Internal server error\n');
      else res.destroy();
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      const { port: actual } = server.address();
      const shown = host === '127.0.0.1' || host === '::1' || host === 'localhost' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      resolve({ server, url: `http://${shown}:${actual}/` });
    });
  });
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--port' || flag === '-p') opts.port = value();
    else if (flag === '--host') opts.host = value();
    else if (flag === '--root') opts.root = value();
    else if (flag === '--help' || flag === '-h') opts.help = true;
    else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return opts;
}

function parsePort(text, source) {
  if (!/^\d+$/.test(String(text)) || Number(text) > 65535) {
    throw new Error(`${source} must be a port number between 0 and 65535, got "${text}"`);
  }
  return Number(text);
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
    if (opts.help) {
      console.log('Usage: node scripts/serve.mjs [--port N] [--host ADDRESS] [--root DIR]\n\n' +
        'Serves www/ at / and pkg/ at /pkg/ on http://localhost:8080 (the PORT env var also works).');
      return;
    }
    opts.port = opts.port !== undefined ? parsePort(opts.port, '--port')
      : process.env.PORT ? parsePort(process.env.PORT, 'PORT') : 8080;
  } catch (e) {
    console.error(`serve: ${e.message}`);
    process.exitCode = 2;
    return;
  }
  const host = opts.host ?? '127.0.0.1';
  let server, url;
  try {
    ({ server, url } = await startServer({ port: opts.port, host, root: opts.root }));
  } catch (e) {
    const why = e.code === 'EADDRINUSE' ? `port ${opts.port} is in use; pass --port N or set PORT` : e.message;
    console.error(`serve: cannot listen: ${why}`);
    process.exitCode = 1;
    return;
  }
  const root = path.resolve(opts.root ?? PROJECT_ROOT);
  if (!(await exists(path.join(root, 'pkg', 'web.js')))) {
    console.warn('serve: pkg/web.js is missing; run `npm run build` (the page needs it).');
  }
  console.log(`atlassian-sign calculator: ${url}`);
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections?.(); // keep-alive sockets would hold close() open
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

function isMain() {
  if (!process.argv[1]) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMain()) main();
