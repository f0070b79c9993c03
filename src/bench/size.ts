/**
 * What a reader waits for (issue 15): the bytes downloaded before the first training step is plotted,
 * and the time from navigation to that first plotted step on a cold load — a fresh browser context
 * with the HTTP cache disabled over CDP — on localhost and under Chromium's network emulation
 * (CDP Network.emulateNetworkConditions). The page is opened with ?autoplay=1 (the default settings,
 * training on load, as a preset link does); "plotted" is the training chart's first mark.
 *
 * Bytes come from the bench server's log (server.ts serves gzip -9, as a static host would): the
 * request's Sec-Fetch-Dest and Referer tell whether the page or a worker asked for a file.
 */
import type { Browser } from 'playwright-core';
import type { BenchServer, ServedFile } from './server';

export interface NetworkProfile {
  name: string;
  /** Bytes per second down and up, and the added round-trip latency in ms (CDP's units). */
  down: number;
  up: number;
  latencyMs: number;
}

/** Chromium's emulation profiles used here (ours, not DevTools' presets, which change by version). */
export const PROFILES: NetworkProfile[] = [
  { name: 'laptop wifi, 10 Mbit/s down, 5 up, 20 ms', down: 10e6 / 8, up: 5e6 / 8, latencyMs: 20 },
  { name: 'slow mobile (Fast-3G-like), 1.6 Mbit/s down, 0.75 up, 150 ms', down: 1.6e6 / 8, up: 0.75e6 / 8, latencyMs: 150 },
];

export interface Download {
  /** gzipped bytes by kind, counting each file once. */
  pageJs: number;
  workerJs: number;
  wasm: number;
  other: number;
  total: number;
  files: { path: string; kind: 'page JS' | 'worker JS' | 'wasm' | 'other'; bytes: number; rawBytes: number }[];
}

export interface ColdLoad {
  profile: string;
  /** ms from navigation to the first plotted step. */
  firstPlotMs: number;
  download: Download;
}

/** Sorts the files served before the first plot into page JS, worker JS, wasm and the rest. */
export function classify(served: ServedFile[], origin: string): Download {
  const refererOf = new Map<string, string>();
  const workerRoots = new Set<string>();
  for (const f of served) {
    if (!refererOf.has(f.path)) refererOf.set(f.path, f.referer.startsWith(origin) ? new URL(f.referer).pathname : '');
    if (f.dest === 'worker' || f.dest === 'sharedworker') workerRoots.add(f.path);
  }
  const fromWorker = (path: string) => {
    for (let p = path, hops = 0; p && hops < 64; p = refererOf.get(p) ?? '', hops++) if (workerRoots.has(p)) return true;
    return false;
  };
  const seen = new Set<string>();
  const out: Download = { pageJs: 0, workerJs: 0, wasm: 0, other: 0, total: 0, files: [] };
  for (const f of served) {
    if (seen.has(f.path)) continue; // a reader's cache would serve the second request
    seen.add(f.path);
    const kind = f.path.endsWith('.wasm') ? 'wasm' : /\.m?js$/.test(f.path) ? (fromWorker(f.path) ? 'worker JS' : 'page JS') : 'other';
    out.files.push({ path: f.path, kind, bytes: f.bytes, rawBytes: f.rawBytes });
    if (kind === 'wasm') out.wasm += f.bytes;
    else if (kind === 'worker JS') out.workerJs += f.bytes;
    else if (kind === 'page JS') out.pageJs += f.bytes;
    else out.other += f.bytes;
    out.total += f.bytes;
  }
  return out;
}

/** One cold load of `query` under `profile` (null: localhost, no emulation). */
export async function coldLoad(browser: Browser, server: BenchServer, profile: NetworkProfile | null, query = '?autoplay=1'): Promise<ColdLoad> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  try {
    const page = await context.newPage();
    await page.addInitScript(() => {
      const w = window as unknown as { __firstPlotMs: number | null };
      w.__firstPlotMs = null;
      const observer = new MutationObserver(() => {
        const chart = document.querySelector('[data-testid="figure-training"]');
        if (w.__firstPlotMs === null && chart && Number(chart.getAttribute('data-marks')) > 0) {
          w.__firstPlotMs = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-marks'] });
    });
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    if (profile) {
      await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: profile.latencyMs, downloadThroughput: profile.down, uploadThroughput: profile.up });
    }
    const from = server.log.length;
    const navigatedAt = server.now();
    await page.goto(server.url + query);
    await page.waitForFunction(() => (window as unknown as { __firstPlotMs: number | null }).__firstPlotMs !== null, undefined, { timeout: 180_000, polling: 100 });
    const firstPlotMs = await page.evaluate(() => (window as unknown as { __firstPlotMs: number }).__firstPlotMs);
    const before = server.log.slice(from).filter((f) => f.at <= navigatedAt + firstPlotMs);
    return { profile: profile?.name ?? 'localhost, no emulation', firstPlotMs, download: classify(before, new URL(server.url).origin) };
  } finally {
    await context.close();
  }
}

export interface StartFigures {
  /** Median of the localhost cold loads, and each of them. */
  localMs: number;
  localRuns: number[];
  download: Download;
  throttled: ColdLoad[];
}

export async function startFigures(browser: Browser, server: BenchServer, localRuns = 3): Promise<StartFigures> {
  const local: ColdLoad[] = [];
  for (let i = 0; i < localRuns; i++) local.push(await coldLoad(browser, server, null));
  const throttled: ColdLoad[] = [];
  for (const p of PROFILES) throttled.push(await coldLoad(browser, server, p));
  const sorted = local.map((l) => l.firstPlotMs).sort((a, b) => a - b);
  return { localMs: sorted[Math.floor(sorted.length / 2)], localRuns: local.map((l) => l.firstPlotMs), download: local[0].download, throttled };
}

const kb = (bytes: number) => (bytes / 1024).toFixed(1);

/** The size and cold-start lines of the report. */
export function startLines(s: StartFigures): string[] {
  const d = s.download;
  return [
    `Download before the first plotted step (gzip -9 as served, each file once, cold load of ?autoplay=1): ${kb(d.total)} KB — page JS ${kb(d.pageJs)} KB, worker JS ${kb(d.workerJs)} KB, wasm ${kb(d.wasm)} KB, HTML/CSS/other ${kb(d.other)} KB (${d.files.length} files).`,
    `Cold start to the first plotted step (fresh context, HTTP cache disabled): localhost ${s.localMs.toFixed(0)} ms (median of ${s.localRuns.map((m) => m.toFixed(0)).join(', ')}); ${s.throttled
      .map((t) => `${t.profile}: ${t.firstPlotMs.toFixed(0)} ms (transfer alone ≥ ${((t.download.total / (PROFILES.find((p) => p.name === t.profile)?.down ?? Infinity)) * 1000).toFixed(0)} ms)`)
      .join('; ')}.`,
  ];
}
