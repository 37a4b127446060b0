// A plain static file server for the built apps and the import-map page (what a user's web server
// does: files with their content type, 404 otherwise). 127.0.0.1 only, GET and HEAD only, nothing
// outside the folder it serves.
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css',
};

/** Serves `root` on a free port; resolves with { url, stop }. */
export async function serveFolder(root) {
  const server = http.createServer((req, res) => {
    const { pathname } = new URL(req.url, 'http://x');
    const file = path.join(root, decodeURIComponent(pathname).replace(/\/$/, '/index.html'));
    const stat = file.startsWith(root + path.sep) && ['GET', 'HEAD'].includes(req.method) ? statSync(file, { throwIfNoEntry: false }) : null;
    if (!stat?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`${pathname} not found\n`);
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream', 'Content-Length': stat.size });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stop = () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); });
  return { url: `http://127.0.0.1:${server.address().port}/`, stop };
}
