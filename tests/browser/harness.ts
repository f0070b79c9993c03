/**
 * Browser-test harness: builds the site once with Vite, serves it from a plain static server on
 * 127.0.0.1 (recording every request), and drives Debian's Chromium through playwright-core.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { build } from 'vite';
import { MIME } from '../../src/bench/server';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const BASE_ARGS = [
  '--headless',
  '--no-sandbox',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
];


export async function buildSite(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'explorable-site-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true, sourcemap: false } });
  return outDir;
}

export interface SiteServer {
  url: string;
  /** Paths requested, in order. */
  requests: string[];
  close(): Promise<void>;
}

/** A plain static file server, optionally under a sub-path (e.g. '/demo/'). */
export async function serveSite(root: string, base = '/'): Promise<SiteServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    requests.push(path);
    if (!path.startsWith(base)) {
      res.writeHead(404).end('not found');
      return;
    }
    let file = normalize(join(root, path.slice(base.length)));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
    res.end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}${base}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export async function launch(options: { webgpu?: boolean } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...BASE_ARGS, ...(options.webgpu ? ['--enable-unsafe-webgpu'] : [])],
  });
}

export interface PageLog {
  consoleErrors: string[];
  failedRequests: string[];
  foreignRequests: string[];
}

/**
 * Opens a page that records console errors, failed requests, other-origin requests and long tasks.
 * `options` go to the new context (e.g. `colorScheme: 'dark'`, `reducedMotion: 'reduce'`).
 */
export async function openPage(
  browser: Browser,
  url: string,
  viewport = { width: 1200, height: 900 },
  options: BrowserContextOptions = {},
): Promise<{ page: Page; log: PageLog }> {
  const context = await browser.newContext({ ...options, viewport });
  const page = await context.newPage();
  const origin = new URL(url).origin;
  const log: PageLog = { consoleErrors: [], failedRequests: [], foreignRequests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') log.consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => log.consoleErrors.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => log.failedRequests.push(`${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => {
    if (r.status() >= 400) log.failedRequests.push(`${r.url()} (HTTP ${r.status()})`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith('data:') && !u.startsWith('blob:') && new URL(u).origin !== origin) log.foreignRequests.push(u);
  });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
    w.__longTasks = [];
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    } catch {
      /* longtask timing unsupported */
    }
  });
  await page.goto(url);
  return { page, log };
}

export async function statusOf(page: Page): Promise<{ status: string; step: number; backend: string; simdKernels: boolean; accuracyMin: number; lastLoss: number }> {
  return page.$eval('[data-testid="status"]', (el) => ({
    status: el.getAttribute('data-status') ?? '',
    step: Number(el.getAttribute('data-step')),
    backend: el.getAttribute('data-backend') ?? '',
    simdKernels: el.getAttribute('data-simd-kernels') === 'yes',
    accuracyMin: Number(el.getAttribute('data-accuracy-min') || 'NaN'),
    lastLoss: Number(el.getAttribute('data-last-loss') || 'NaN'),
  }));
}

export async function marksOf(page: Page, testId: string): Promise<number> {
  const el = await page.$(`[data-testid="${testId}"]`);
  if (!el) return 0;
  return Number((await el.getAttribute('data-marks')) ?? 0);
}

/**
 * The page must never freeze: training and measuring run in workers, so no main-thread task since
 * `since` (performance.now()) comes near a second. The longest task is printed as a figure: on an idle
 * machine it stays under 200 ms, but a loaded 2-core machine stretches tasks to 300–400 ms, so the
 * pass/fail bound is a freeze, not jank.
 */
export async function longestTaskSince(page: Page, since: number, label: string): Promise<number> {
  const tasks = await page.evaluate((t0) => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks.filter((t) => t.start >= t0), since);
  const longest = Math.max(0, ...tasks.map((t) => t.duration));
  console.log(`${label}: longest main-thread task ${Math.round(longest)} ms (${tasks.length} over 50 ms)`);
  return longest;
}

/** The bound `longestTaskSince` is held to (see there). */
export const FREEZE_MS = 1000;
