// A static file server for a built catalog site, for looking at it locally and for the browser
// tests. It listens on the loopback address only: the site is somebody's detection content,
// and a preview server has no business being reachable from the network.

import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, sep } from 'node:path';

/** The only address the server binds to. */
export const LOOPBACK = '127.0.0.1';
export const DEFAULT_PORT = 8080;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.yml': 'text/yaml; charset=utf-8',
  '.yaml': 'text/yaml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};
const FALLBACK_TYPE = 'application/octet-stream';

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? FALLBACK_TYPE;
}

export interface SiteServer {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  port: number;
  close(): Promise<void>;
}

export type ServeResult = { ok: true; server: SiteServer } | { ok: false; reason: 'not-a-directory' | 'listen-failed'; message: string };

/** Serves the folder `root` on 127.0.0.1 (port 0: any free port). */
export async function serveSite(root: string, options: { port?: number } = {}): Promise<ServeResult> {
  let realRoot: string;
  try {
    realRoot = await realpath(root);
    if (!(await stat(realRoot)).isDirectory()) return { ok: false, reason: 'not-a-directory', message: `${root} is not a directory` };
  } catch {
    return { ok: false, reason: 'not-a-directory', message: `no such directory: ${root}` };
  }
  const server = createServer((request, response) => {
    handle(realRoot, request, response).catch(() => {
      if (!response.headersSent) send(response, 500, 'Internal Server Error');
      else response.destroy();
    });
  });
  const listening = await new Promise<{ ok: true } | { ok: false; message: string }>((resolve) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const message = error.code === 'EADDRINUSE' ? `port ${options.port} is already in use (choose another with --port)` : `cannot listen on ${LOOPBACK}:${options.port ?? 0}: ${error.message}`;
      resolve({ ok: false, message });
    });
    server.listen({ host: LOOPBACK, port: options.port ?? 0 }, () => resolve({ ok: true }));
  });
  if (!listening.ok) return { ok: false, reason: 'listen-failed', message: listening.message };
  const port = (server.address() as AddressInfo).port;
  return { ok: true, server: { url: `http://${LOOPBACK}:${port}/`, port, close: () => closeServer(server) } };
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    // Browsers keep connections alive; without this close() waits for them to time out.
    server.closeAllConnections();
  });
}

export type Resolved =
  | { kind: 'file'; path: string }
  | { kind: 'redirect'; location: string }
  | { kind: 'not-found' }
  | { kind: 'bad-request' };

/**
 * Where a request path leads inside `root` (a real path, without symbolic links). Dot segments
 * were already resolved by the URL parser (`/a/../b`, `/%2e%2e/`); what is left that could step
 * out is an encoded separator or dot segment inside one segment (`..%2f`, `%5c`), a NUL, or a
 * symbolic link in the site pointing elsewhere: each of these is refused. Hidden files
 * (`.git`, `.env`) are never served: a built site has none.
 */
export async function resolveRequest(root: string, rawUrl: string): Promise<Resolved> {
  // Origin-form only (`/path?query`). Joined, not resolved against a base: `//x` is a path
  // here, not another host.
  if (!rawUrl.startsWith('/')) return { kind: 'bad-request' };
  let pathname: string;
  try {
    pathname = new URL(`http://localhost${rawUrl}`).pathname;
  } catch {
    return { kind: 'bad-request' };
  }
  const segments: string[] = [];
  for (const raw of pathname.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return { kind: 'bad-request' };
    }
    if (/[/\\\0]/.test(segment) || segment === '..' || segment === '.') return { kind: 'bad-request' };
    if (segment.startsWith('.')) return { kind: 'not-found' };
    segments.push(segment);
  }

  let target = join(root, ...segments);
  let info = await statOrUndefined(target);
  if (!info) return { kind: 'not-found' };
  if (info.isDirectory()) {
    // Relative links in the directory's index.html resolve against a URL that ends in `/`.
    // Rebuilt from the checked segments: the raw path can start with `//` (`/.//host`), which a
    // browser would read as another host.
    if (!pathname.endsWith('/')) return { kind: 'redirect', location: `/${segments.map(encodeURIComponent).join('/')}/` };
    target = join(target, 'index.html');
    info = await statOrUndefined(target);
    if (!info?.isFile()) return { kind: 'not-found' };
  }
  if (!info.isFile()) return { kind: 'not-found' };
  const real = await realpath(target).catch(() => undefined);
  if (real === undefined || !(real === root || real.startsWith(root.endsWith(sep) ? root : root + sep))) return { kind: 'not-found' };
  return { kind: 'file', path: real };
}

async function statOrUndefined(path: string) {
  try {
    return await stat(path);
  } catch {
    return undefined;
  }
}

/**
 * Host names a request may carry. A web page the user visits can point its own domain at
 * 127.0.0.1 (DNS rebinding) and read this server as same-origin; its requests name that
 * domain, so only loopback names are answered.
 */
function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return true; // HTTP/1.0 clients (curl -0) send none; they are not browsers.
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d*$/, '');
  return name === LOOPBACK || name === 'localhost' || name === '[::1]';
}

async function handle(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Cache-Control', 'no-cache');
  if (!isLoopbackHost(request.headers.host)) return send(response, 403, 'Forbidden: only loopback host names are served');
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    return send(response, 405, 'Method Not Allowed');
  }
  const resolved = await resolveRequest(root, request.url ?? '/');
  switch (resolved.kind) {
    case 'bad-request':
      return send(response, 400, 'Bad Request');
    case 'redirect':
      response.setHeader('Location', resolved.location);
      return send(response, 301, 'Moved Permanently');
    case 'not-found':
      return notFound(root, request, response);
    case 'file':
      return sendFile(resolved.path, 200, request, response);
  }
}

/** The site's own 404.html where it has one, so that a broken link still shows the site's frame. */
async function notFound(root: string, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const page = join(root, '404.html');
  if ((await statOrUndefined(page))?.isFile()) return sendFile(page, 404, request, response);
  response.setHeader('Content-Type', 'text/html; charset=utf-8');
  return send(response, 404, '<!doctype html><title>404 Not Found</title><h1>404 Not Found</h1>');
}

async function sendFile(path: string, status: number, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const info = await stat(path);
  response.writeHead(status, { 'Content-Type': contentType(path), 'Content-Length': info.size });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const stream = createReadStream(path);
    stream.on('error', reject);
    stream.on('end', resolve);
    stream.pipe(response);
  });
}

function send(response: ServerResponse, status: number, body: string): void {
  if (!response.hasHeader('Content-Type')) response.setHeader('Content-Type', 'text/plain; charset=utf-8');
  response.statusCode = status;
  response.setHeader('Content-Length', Buffer.byteLength(body));
  response.end(body);
}
