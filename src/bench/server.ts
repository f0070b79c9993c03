/**
 * The bench's static server for the built site: gzip (level 9) when the browser accepts it and
 * a one-hour cache lifetime, as a static host serves files, and a log of every response — path,
 * bytes sent, the request's Sec-Fetch-Dest and Referer — from which size.ts reads what a reader
 * downloads and whether the page or a worker asked for it.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Content types by file extension, for this server and the browser tests' (tests/browser/harness.ts). */
export const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
};

export interface ServedFile {
  /** Milliseconds since the server started. */
  at: number;
  path: string;
  /** Bytes of the body as sent (gzipped when it was). */
  bytes: number;
  /** Bytes of the file on disk. */
  rawBytes: number;
  gzipped: boolean;
  dest: string;
  referer: string;
}

export interface BenchServer {
  url: string;
  log: ServedFile[];
  /** The log's clock: milliseconds since the server started. */
  now(): number;
  close(): Promise<void>;
}

export async function serveDist(root: string): Promise<BenchServer> {
  const log: ServedFile[] = [];
  const gzCache = new Map<string, Buffer>();
  const began = performance.now();
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    let file = normalize(join(root, path));
    if (!file.startsWith(root)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404).end('not found');
    const raw = readFileSync(file);
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    let body: Buffer = raw;
    if (gzip) {
      if (!gzCache.has(file)) gzCache.set(file, gzipSync(raw, { level: 9 }));
      body = gzCache.get(file)!;
    }
    res.writeHead(200, {
      'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'max-age=3600',
      'Content-Length': body.length,
      ...(gzip ? { 'Content-Encoding': 'gzip', Vary: 'Accept-Encoding' } : {}),
    });
    res.end(body);
    log.push({
      at: performance.now() - began,
      path,
      bytes: body.length,
      rawBytes: raw.length,
      gzipped: gzip,
      dest: String(req.headers['sec-fetch-dest'] ?? ''),
      referer: String(req.headers.referer ?? ''),
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    log,
    now: () => performance.now() - began,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
