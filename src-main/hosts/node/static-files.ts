import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { SECURITY_HEADERS } from '../../core/http-headers';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.geojson': 'application/geo+json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pbf': 'application/x-protobuf',
  '.onnx': 'application/octet-stream',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

// The headers live in the core so the desktop app's standalone Open311 server sends the same ones.
export { CONTENT_SECURITY_POLICY, SECURITY_HEADERS } from '../../core/http-headers';

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

/**
 * Serves the built renderer. Unknown paths without an extension get index.html, so `/wall` and
 * other client routes load the app; nothing outside the renderer folder is ever served.
 */
export function createStaticHandler(
  rendererDir: string | null,
): (req: IncomingMessage, res: ServerResponse) => void {
  const root = rendererDir ? resolve(rendererDir) : null;
  const index = root ? join(root, 'index.html') : null;
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      send(res, 405, 'method not allowed');
      return;
    }
    if (!root || !index || !existsSync(index)) {
      send(res, 503, 'The Watchfloor renderer is not built. Run `npm run build` and restart.');
      return;
    }
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      send(res, 400, 'bad path');
      return;
    }
    const file = normalize(join(root, pathname));
    if (file !== root && !file.startsWith(root + sep)) {
      send(res, 403, 'forbidden');
      return;
    }
    let target = file;
    let stat = existsSync(target) ? statSync(target) : null;
    if (!stat || stat.isDirectory()) {
      if (extname(pathname) !== '' && !stat) {
        send(res, 404, 'not found');
        return;
      }
      target = index;
      stat = statSync(index);
    }
    const hashed = pathname.startsWith('/assets/');
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
      'Content-Length': stat.size,
      'Cache-Control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    // A file can vanish under us (a rebuild replaces out/renderer): end this response, not the hub.
    createReadStream(target)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}
