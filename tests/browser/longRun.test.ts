/**
 * Never misleads (issue 16): a 20,000-step run in the page keeps the worker's tensor count and the JS
 * heaps flat. A small model (N = 64, R = 2, d = 16, m = 64, Adam) trains on wasm; pressing play again
 * whenever it pauses by itself after 100%. The worker's live tensors (tf.memory(), in every metrics
 * message) and the V8 heaps of the page and of the training worker, after a forced GC (CDP, memory.ts),
 * are taken after a warm-up and at the end, at rest (paused).
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage, statusOf } from './harness';
import { expectCleanLog } from './chapterChecks';
import { useSite } from './fixture';
import { mb, memoryProbe, type HeapFigure } from './memory';

const fixture = useSite();

const RUN = 'n=64&r=2&d=16&m=64&opt=adam&autoplay=1&backend=wasm';
const WARM_UP = 2_000;
const STEPS = 20_000;
/**
 * What each heap may grow by from the warm-up to step 20,000. The page keeps every step's loss and
 * accuracy for the chart and the CSV (metricHistory.ts), a few tens of bytes a step, and the worker
 * its time-travel record (measurementHistory.ts, capped): neither is a leak, both are bounded here.
 */
const HEAP_GROWTH_BOUND = 5 * 2 ** 20;

const tensorsOf = (page: Page) => page.$eval('[data-testid="status"]', (el) => Number(el.getAttribute('data-tensors')));

/** Trains until `step`, pressing play whenever the run pauses itself; then pauses and waits for rest. */
async function trainTo(page: Page, step: number, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = await statusOf(page);
    if (s.step >= step) break;
    if (s.status === 'done' || s.status === 'paused' || s.status === 'idle') await page.click('[data-testid="play"]');
    if (s.status === 'diverged' || s.status === 'error') throw new Error(`the run stopped: ${JSON.stringify(s)}`);
    if (Date.now() > until) throw new Error(`timed out at step ${s.step} of ${step}`);
    await page.waitForTimeout(500);
  }
  if ((await statusOf(page)).status === 'running') await page.click('[data-testid="pause"]');
  const deadline = Date.now() + 30_000;
  while ((await statusOf(page)).status === 'running' && Date.now() < deadline) await page.waitForTimeout(100);
  await page.waitForTimeout(1000); // the last metrics and measurements land
}

const describeHeaps = (heaps: HeapFigure[]) => heaps.map((h) => `${h.label.split('/').pop()} ${mb(h.used)}`).join(', ');

describe('a long run in the page', () => {
  it(`trains ${STEPS.toLocaleString('en-US')} steps with the tensor count equal and the heaps within ${mb(HEAP_GROWTH_BOUND)}`, async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${RUN}`);
    const probe = await memoryProbe(page);
    await page.waitForSelector('[data-testid="status"][data-backend="wasm"]', { timeout: 60_000 });

    await trainTo(page, WARM_UP, 120_000);
    const warm = { step: (await statusOf(page)).step, tensors: await tensorsOf(page), heaps: await probe.heaps(), at: Date.now() };
    console.log(`after warm-up (step ${warm.step}): ${warm.tensors} tensors; ${describeHeaps(warm.heaps)}`);
    expect(warm.heaps.length).toBeGreaterThanOrEqual(2); // the page and the training worker at least

    await trainTo(page, STEPS, 600_000);
    const end = { step: (await statusOf(page)).step, tensors: await tensorsOf(page), heaps: await probe.heaps() };
    const seconds = (Date.now() - warm.at) / 1000;
    console.log(`at the end (step ${end.step}, ${((end.step - warm.step) / seconds).toFixed(0)} steps/s from the warm-up): ${end.tensors} tensors; ${describeHeaps(end.heaps)}`);

    expect(end.step).toBeGreaterThanOrEqual(STEPS);
    expect(end.tensors).toBe(warm.tensors);
    for (const h of end.heaps) {
      const before = warm.heaps.find((w) => w.label === h.label);
      if (!before) continue; // a worker started in between (none should)
      const growth = h.used - before.used;
      console.log(`${h.label.split('/').pop()}: ${mb(before.used)} -> ${mb(h.used)} (${growth >= 0 ? '+' : ''}${mb(growth)}, ${((100 * growth) / before.used).toFixed(1)}%)`);
      expect(growth).toBeLessThan(HEAP_GROWTH_BOUND);
    }
    await probe.close();
    expectCleanLog(log);
    await page.context().close();
  }, 900_000);
});
