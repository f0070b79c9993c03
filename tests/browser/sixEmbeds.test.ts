/**
 * Never misleads (issue 16): a page embedding six figures trains only those in view, and its memory
 * is measured. A post (served by this test) holds the three playground figures twice, each in a
 * 640 px iframe with autoplay, 160 px apart: at 1200 × 900 the first is in view and the top of the
 * second, the other four below the fold. Those in view train; the others never take a step until
 * scrolled to, and the ones scrolled away pause. Memory after a forced GC: the V8 heaps (the page and
 * its six same-origin iframes share one; each figure has its own training worker) and, for the whole
 * browser, each process's PSS.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from './harness';
import { expectCleanLog } from './chapterChecks';
import { useSite } from './fixture';
import { mb, memoryProbe, processMemory } from './memory';

const FIGURES = ['training', 'projection', 'gating', 'training', 'projection', 'gating'];
/** The playground's default run (N = 256, R = 2, d = 32, m = 256, SGD), as an embed shows it, one seed per figure. */
const RUN = 'autoplay=1&backend=wasm';
const FRAME_HEIGHT = 640;
const GAP = 160;

const POST_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A post with six figures</title>
<style>body { margin: 0; font-family: sans-serif } iframe { display: block; width: 760px; height: ${FRAME_HEIGHT}px; border: 0; margin-bottom: ${GAP}px }</style>
</head><body>
${FIGURES.map((f, i) => `<iframe id="f${i}" title="Figure ${i + 1}: ${f}" src="./?embed=${f}&${RUN}&seed=${i + 1}"></iframe>`).join('\n')}
</body></html>
`;

const fixture = useSite({ prepare: (root) => writeFileSync(join(root, 'six.html'), POST_HTML) });

interface FrameState {
  status: string;
  step: number;
  seen: string;
}

async function frameState(frame: Frame): Promise<FrameState> {
  return frame
    .$eval('[data-testid="embed"]', (el) => {
      const status = el.querySelector('[data-testid="status"]');
      return { status: status?.getAttribute('data-status') ?? '', step: Number(status?.getAttribute('data-step') ?? NaN), seen: el.getAttribute('data-seen') ?? '' };
    })
    .catch(() => ({ status: 'loading', step: 0, seen: '' }));
}

async function frames(page: Page): Promise<Frame[]> {
  return Promise.all(FIGURES.map(async (_, i) => (await (await page.waitForSelector(`#f${i}`)).contentFrame())!));
}

const states = (fs: Frame[]) => Promise.all(fs.map(frameState));

async function waitFor(what: string, predicate: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await predicate().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Which iframes lie (partly) inside the viewport now. */
const inView = (page: Page) =>
  page.evaluate(() => Array.from(document.querySelectorAll('iframe'), (f) => {
    const r = f.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight;
  }));

describe('a page embedding six figures', () => {
  it('trains only the figures in view, and says how much memory the page takes', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}six.html`, { width: 1200, height: 900 });
    const probe = await memoryProbe(page);
    const fs = await frames(page);
    const visible = await inView(page);
    expect(visible).toEqual([true, true, false, false, false, false]);

    // Those in view train; the others are told they are off screen and never step.
    await waitFor('the figures in view to train', async () => (await states(fs)).every((s, i) => !visible[i] || s.step > 20), 180_000);
    await waitFor('every figure to know whether it is seen', async () => (await states(fs)).every((s) => s.seen !== ''), 30_000);
    const top = await states(fs);
    console.log(`at the top: ${top.map((s, i) => `${FIGURES[i]} ${s.status} step ${s.step} seen ${s.seen}`).join('; ')}`);
    top.forEach((s, i) => {
      expect(s.seen).toBe(visible[i] ? 'true' : 'false');
      if (!visible[i]) expect(s.step).toBe(0);
      if (!visible[i]) expect(s.status).not.toBe('running');
    });
    expect(top[0].status).toBe('running'); // still training when scrolled away (the run pauses itself only 300+ steps after 100%)

    // Scrolled to the last two: they start, and the first two pause where they are.
    await page.evaluate(() => document.getElementById('f5')!.scrollIntoView({ block: 'end' }));
    const below = await inView(page);
    expect(below).toEqual([false, false, false, false, true, true]);
    await waitFor('the figures scrolled away to pause', async () => (await states(fs)).every((s, i) => !visible[i] || s.status === 'paused'), 30_000);
    await waitFor('the figures now in view to train', async () => (await states(fs)).every((s, i) => !below[i] || s.step > 20), 180_000);
    const held = await states(fs);
    await page.waitForTimeout(1500);
    const later = await states(fs);
    later.forEach((s, i) => {
      if (!below[i]) expect(s.step).toBe(held[i].step);
      if (!below[i] && !visible[i]) expect(s.step).toBe(0); // the middle two: never seen, never trained
    });
    console.log(`at the bottom: ${later.map((s, i) => `${FIGURES[i]} ${s.status} step ${s.step}`).join('; ')}`);

    // The page's memory with its six figures, four of them trained.
    const heaps = await probe.heaps();
    const processes = await processMemory(fixture.browser);
    const workers = heaps.filter((h) => h.label !== 'page');
    const total = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const pss = total(processes.map((p) => p.pss).filter(Number.isFinite));
    const js = heaps[0].used + heaps[0].backing + total(workers.map((w) => w.used + w.backing));
    console.log(
      `memory, six figures: JS ${mb(js)} in all — the page and its iframes' heap ${mb(heaps[0].used)} (+${mb(heaps[0].backing)} array buffers); ` +
        `${workers.length} workers' heaps ${mb(total(workers.map((w) => w.used)))} (+${mb(total(workers.map((w) => w.backing)))} array buffers, wasm memory included): ` +
        `${workers.map((w) => `${mb(w.used)} + ${mb(w.backing)}`).join(', ')}; ` +
        `the browser's ${processes.length} processes: PSS ${mb(pss)} (${processes.map((p) => `${p.type} ${mb(p.pss)}`).join(', ')})`,
    );
    expect(workers.length).toBe(FIGURES.length); // one training worker a figure, no more
    await probe.close();
    expectCleanLog(log);
    await page.context().close();
  }, 600_000);
});
