/**
 * Timed runs in headless Chromium: the built site on the bench's static server, training in the page's
 * own worker exactly as a reader sees it (live figures and measurements included), plus the page's
 * figures: download size and cold start (size.ts), and the longest main-thread task while training.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildSite, CHROMIUM, launch, openPage, statusOf } from '../../tests/browser/harness';
import { serveDist, type BenchServer } from './server';
import { startFigures, type StartFigures } from './size';
import { BROWSER_MAX_LOGIT_CELLS } from '../ui/urlState';
import type { BenchConfig } from './configs';
import type { RunFigures } from './node';

export type PageBackend = 'wasm' | 'webgl' | 'webgpu' | 'cpu';

export interface PageFigures {
  start: StartFigures;
  /** Longest main-thread busy stretch (ms) over a training run of S on wasm (see longestTaskWhileTraining). */
  longestTaskMs: number;
  chromium: string;
  webgpuAdapter: string | null;
}

export interface BrowserBench {
  site: BenchServer;
  browser: Browser;
  dist: string;
  close(): Promise<void>;
}

/** Debian's chromium, installed with apt-get if missing and we are root; null (and why) if impossible. */
export function ensureChromium(): { ok: boolean; why?: string } {
  if (existsSync(CHROMIUM)) return { ok: true };
  if (process.getuid?.() !== 0) return { ok: false, why: `${CHROMIUM} is missing and the bench is not running as root` };
  process.stderr.write('bench: installing chromium with apt-get…\n');
  const apt = spawnSync('bash', ['-c', 'apt-get install -y --no-install-recommends chromium || (apt-get update && apt-get install -y --no-install-recommends chromium)'], { stdio: ['ignore', 'ignore', 'inherit'] });
  return apt.status === 0 && existsSync(CHROMIUM) ? { ok: true } : { ok: false, why: 'apt-get install chromium failed' };
}

/** Serves `dist` (a built site, e.g. npm run build's dist/), or a fresh build of the site when absent. */
export async function openBrowserBench(dist?: string): Promise<BrowserBench> {
  const built = dist ? null : await buildSite();
  const root = resolve(dist ?? built!);
  if (!existsSync(`${root}/index.html`)) throw new Error(`no built site in ${root} (run npm run build)`);
  const site = await serveDist(root);
  // WebGPU is enabled so that its (software) adapter can be measured too; wasm stays the page's choice.
  const browser = await launch({ webgpu: true });
  return {
    site,
    browser,
    dist: root,
    close: async () => {
      await browser.close();
      await site.close();
      if (built) rmSync(built, { recursive: true, force: true });
    },
  };
}

/** The page's warm-up before its rate is timed (Node's: one step), and how long it is timed: 8 s, or
 * on a slow backend until PAGE_MIN_STEPS steps or the config's seconds. */
const PAGE_WARMUP_MS = 2000;
const PAGE_TIMED_MS = 8000;
const PAGE_MIN_STEPS = 20;

function settingsQuery(config: BenchConfig, backend: PageBackend): string {
  const { n, r, d, m } = config.model;
  // opt=adam: the page's default optimiser is SGD; Node and the anchors train Adam.
  return `?n=${n}&r=${r}&d=${d}&m=${m}&opt=adam&lr=${config.lr}&seed=${config.seed}&backend=${backend}&softwaregpu=1&autoplay=1`;
}

/** The same training as in Node, in the page's worker; null when the page does not offer the size. */
export async function browserRun(bench: BrowserBench, config: BenchConfig, backend: PageBackend): Promise<RunFigures | null> {
  const { n, r } = config.model;
  if (n * r * n > BROWSER_MAX_LOGIT_CELLS) return null;
  const { page } = await openPage(bench.browser, bench.site.url + settingsQuery(config, backend));
  try {
    const started = Date.now();
    // The rate is timed after a warm-up, as in Node: from the first status PAGE_WARMUP_MS after the
    // first step shown, for PAGE_TIMED_MS, so that the page's start-up (the chapters mounting, the
    // first measurements) is not counted as training speed; the cold-start line measures start-up.
    let shown: { step: number; t: number } | null = null;
    let first: { step: number; t: number } | null = null;
    let last: { step: number; t: number } = { step: 0, t: started };
    let stepsTo100: number | null = null;
    let secondsTo100: number | null = null;
    let backendName = '';
    let simdKernels = false;
    while ((Date.now() - (first?.t ?? started)) / 1000 < config.seconds + (first ? 0 : 120)) {
      const s = await statusOf(page);
      const t = Date.now();
      backendName = s.backend;
      simdKernels = s.simdKernels;
      if (s.status === 'error' || s.status === 'diverged') throw new Error(`the page stopped: ${s.status}`);
      if (!shown && s.step >= 1) shown = { step: s.step, t };
      if (!first && shown && t - shown.t >= PAGE_WARMUP_MS) first = { step: s.step, t };
      if (first) last = { step: s.step, t };
      if (stepsTo100 === null && s.accuracyMin === 1) {
        stepsTo100 = s.step; // the page shows the last step read; within one readback of the first
        secondsTo100 = shown ? (t - shown.t) / 1000 : null;
      }
      // A slow backend (software WebGPU/WebGL, cpu) goes on to the config's seconds, for enough steps to time.
      if ((first && t - first.t >= PAGE_TIMED_MS && s.step - first.step >= PAGE_MIN_STEPS) || s.status === 'paused' || s.status === 'done') break;
      await page.waitForTimeout(50);
    }
    const stepsTimed = first ? last.step - first.step : 0;
    const seconds = first ? (last.t - first.t) / 1000 : 0;
    return {
      label: `Chromium worker ${backendName || backend}${backend === 'webgpu' ? ' (SwiftShader, software)' : backend === 'webgl' ? ' (SwiftShader)' : simdKernels ? ' (our SIMD kernels)' : ''}`,
      stepsTimed,
      stepsPerSecond: seconds > 0 ? stepsTimed / seconds : 0,
      stepsTo100,
      secondsTo100,
      losses: [],
      cores: null,
      note: `page with live figures; timed from ${PAGE_WARMUP_MS / 1000} s after the first step shown; time to 100% counted from the first step shown`,
    };
  } finally {
    await page.context().close();
  }
}

/**
 * The longest stretch the main thread was busy while the page trains S, to the millisecond. The Long
 * Tasks API reports only tasks over 50 ms, so a chain of MessageChannel messages — each a task of its
 * own, queued behind whatever else runs — measures every gap between them: the longest gap bounds
 * the longest task (rendering and figure drawing included) from above.
 */
async function longestTaskWhileTraining(page: Page, seconds: number): Promise<number> {
  await page.waitForFunction(() => document.querySelector('[data-testid="status"]')?.getAttribute('data-status') === 'running', undefined, { timeout: 120_000 });
  return page.evaluate(
    (ms) =>
      new Promise<number>((resolve) => {
        const channel = new MessageChannel();
        const end = performance.now() + ms;
        let last = performance.now();
        let longest = 0;
        channel.port1.onmessage = () => {
          const now = performance.now();
          longest = Math.max(longest, now - last);
          last = now;
          if (now < end) channel.port2.postMessage(0);
          else resolve(longest);
        };
        channel.port2.postMessage(0);
      }),
    seconds * 1000,
  );
}

export async function pageFigures(bench: BrowserBench, small: BenchConfig): Promise<PageFigures> {
  const start = await startFigures(bench.browser, bench.site);
  const { page } = await openPage(bench.browser, bench.site.url);
  const webgpuAdapter = await page.evaluate(async () => {
    const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string } } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter();
    return adapter ? `${adapter.info?.vendor ?? ''} ${adapter.info?.architecture ?? ''}`.trim() || 'unknown adapter' : null;
  });
  await page.context().close();
  const training = await openPage(bench.browser, bench.site.url + settingsQuery(small, 'wasm'));
  const longestTaskMs = await longestTaskWhileTraining(training.page, 8);
  await training.page.context().close();
  return { start, longestTaskMs, chromium: bench.browser.version(), webgpuAdapter };
}
