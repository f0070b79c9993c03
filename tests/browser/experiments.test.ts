/**
 * The experiment chapters (capacity §5, zero-shot transfer §4, multi-hop §6) in headless Chromium:
 * precomputed figures on load, live jobs in the experiment worker with progress and cancel, and the
 * worker's tensor count across identical jobs. Live jobs are kept tiny (seconds each on 2 cores).
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { FREEZE_MS, longestTaskSince, marksOf, openPage } from './harness';
import { expectCleanLog, experimentProgress, QUIET, waitForExperiment } from './chapterChecks';
import { useSite } from './fixture';

const fixture = useSite();

// The page merges the per-arm capacity files; each construction point appears in both, drawn once.
const capacityPoints = ['learned', 'frozen'].flatMap((arm) => (JSON.parse(readFileSync(`src/experiments/capacity/capacity-${arm}.json`, 'utf8')) as { points: { arm: string; n: number }[] }).points);
const capacityData = { points: [...new Set(capacityPoints.map((p) => `${p.arm}:${p.n}`))] };
const multihopData = JSON.parse(readFileSync('src/experiments/multihop/multihop-default.json', 'utf8')) as { points: unknown[] };


/** The tiny capacity grid: N = 8 and 16, R = 2, m = 16, 150 steps per trial, both arms. */
async function chooseTinyCapacity(page: Page): Promise<void> {
  for (const n of [8, 16, 32, 64, 128]) await page.setChecked(`[data-testid="capacity-ns"] input[value="${n}"]`, n <= 16);
  await page.selectOption('[data-testid="capacity-r"]', '2');
  await page.selectOption('[data-testid="capacity-m"]', '16');
  await page.selectOption('[data-testid="capacity-steps"]', '150');
}

async function runToEnd(page: Page, run: string, progress: string): Promise<number> {
  const started = Date.now();
  await page.click(`[data-testid="${run}"]`);
  await waitForExperiment(page, progress, ['done'], 90_000);
  return (Date.now() - started) / 1000;
}

describe('experiment chapters', () => {
  it('draws the precomputed capacity and multi-hop figures on load, without starting the experiment worker', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${QUIET}`);
    await page.waitForSelector('[data-testid="figure-capacity"] svg g.mark');
    await page.waitForSelector('[data-testid="figure-multihop"] svg g.marks path');
    // Capacity: one mark per point (unreached ones as arrows). Multi-hop: three series per point.
    expect(await marksOf(page, 'figure-capacity')).toBe(capacityData.points.length);
    expect(await page.$$eval('[data-testid="figure-capacity"] g.mark', (els) => els.length)).toBe(capacityData.points.length);
    expect(await marksOf(page, 'figure-multihop')).toBe(3 * multihopData.points.length);
    expect(await page.$$eval('[data-testid="figure-multihop"] g.marks path', (els) => els.length)).toBe(3 * multihopData.points.length);
    expect(await page.textContent('[data-testid="figure-capacity"]')).toMatch(/precomputed \(CLI, \w+, seed \d+/);
    expect(await page.textContent('[data-testid="capacity-findings"]')).toMatch(/fitted slope \d+\.\d per doubling of N/);
    expect(await page.textContent('[data-testid="multihop-findings"]')).toMatch(/Single hop/);
    expect(await page.textContent('[data-testid="figure-capacity"] figcaption')).toMatch(/^Precomputed: learned embeddings/);
    expect(fixture.site.requests.some((p) => p.includes('experimentWorker'))).toBe(false); // created on the first job
    expectCleanLog(log);
    await page.context().close();

    // At 375 px wide, the chapters and their figures fit the screen (wide tables scroll inside themselves).
    const narrow = await openPage(fixture.browser, `${fixture.site.url}?${QUIET}`, { width: 375, height: 800 });
    await narrow.page.waitForSelector('[data-testid="figure-multihop"] svg g.marks path');
    const overflow = await narrow.page.evaluate(() =>
      ['chapter-capacity', 'chapter-transfer', 'chapter-multihop', 'figure-capacity', 'figure-multihop'].map((id) => {
        const el = document.querySelector(`[data-testid="${id}"]`)!;
        const svg = el.querySelector('svg.fig-plot, .fig-plot svg');
        return { id, right: Math.round(el.getBoundingClientRect().right), svgRight: svg ? Math.round(svg.getBoundingClientRect().right) : 0 };
      }),
    );
    for (const o of overflow) {
      expect(o.right, o.id).toBeLessThanOrEqual(375);
      expect(o.svgRight, o.id).toBeLessThanOrEqual(375);
    }
    expectCleanLog(narrow.log);
    await narrow.page.context().close();
  }, 120_000);

  it('capacity: a live sweep shows advancing progress, cancels, and when run to the end adds live points and slopes; tensors stay flat', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${QUIET}`);
    await page.waitForSelector('[data-testid="figure-capacity"] svg g.mark');

    // The default grid takes long enough to watch the bar move, then cancel it.
    await page.click('[data-testid="capacity-run"]');
    await page.waitForSelector('[data-testid="capacity-progress"] [role="progressbar"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="capacity-progress"] [role="progressbar"]')?.getAttribute('aria-valuenow')) > 0, undefined, { timeout: 60_000, polling: 100 });
    const first = await experimentProgress(page, 'capacity-progress');
    expect(first.text).toMatch(/(learned|frozen) embeddings, N = \d+, d = \d+: step \d+ of 300/);
    await page.waitForFunction(
      (v) => Number(document.querySelector('[data-testid="capacity-progress"] [role="progressbar"]')?.getAttribute('aria-valuenow')) > v,
      first.value,
      { timeout: 60_000, polling: 100 },
    );
    const cancelAt = Date.now();
    await page.click('[data-testid="capacity-cancel"]');
    await waitForExperiment(page, 'capacity-progress', ['cancelled'], 10_000);
    const cancelSeconds = (Date.now() - cancelAt) / 1000;
    const cancelled = await experimentProgress(page, 'capacity-progress');
    expect(cancelled.text).toMatch(/^Cancelled/);
    await page.waitForTimeout(1500);
    expect(await experimentProgress(page, 'capacity-progress')).toEqual(cancelled); // no further progress
    expect(cancelSeconds).toBeLessThan(3);

    // The tiny grid, to the end: live points beside the precomputed ones, and a fitted slope.
    await chooseTinyCapacity(page);
    const t0 = await page.evaluate(() => performance.now());
    const seconds = await runToEnd(page, 'capacity-run', 'capacity-progress');
    // The page stays responsive while the worker trains and the figure adds points.
    expect(await longestTaskSince(page, t0, 'capacity chapter, live sweep')).toBeLessThan(FREEZE_MS);
    const done = await experimentProgress(page, 'capacity-progress');
    expect(done.value).toBe(100);
    // 2 N × (learned, frozen, construction).
    expect(Number(await page.getAttribute('[data-testid="figure-capacity"]', 'data-live-marks'))).toBe(6);
    expect(await marksOf(page, 'figure-capacity')).toBe(capacityData.points.length + 6);
    expect(await page.$$eval('[data-testid="figure-capacity"] g.mark[data-set="live"]', (els) => els.length)).toBe(6);
    const slope = await page.getAttribute('[data-testid="fit-live-construction"]', 'data-slope');
    expect(Number(slope)).toBeCloseTo(3, 6); // d* = 3⌈log₂N⌉ + 2: 3 per doubling
    expect(Number.isFinite(Number((await page.getAttribute('[data-testid="fit-live-learned"]', 'data-slope')) || 'NaN'))).toBe(true);
    expect(await page.textContent('[data-testid="capacity-live-findings"]')).toMatch(/Your live sweep \(N = 8 and 16, R = 2, m = 16/);
    expect(await page.textContent('[data-testid="figure-capacity"] .fig-legend')).toMatch(/hollow, dashed: live \(wasm, seed 1, 150 steps per trial\)/);

    // The same job again: the worker's tensor count is where it was.
    const again = await runToEnd(page, 'capacity-run', 'capacity-progress');
    expect((await experimentProgress(page, 'capacity-progress')).tensors).toBe(done.tensors);
    expect(Number.isFinite(done.tensors)).toBe(true);
    console.log(`capacity: cancel took ${cancelSeconds.toFixed(2)} s; tiny sweep ${seconds.toFixed(1)} s, again ${again.toFixed(1)} s; worker tensors ${done.tensors}`);
    expectCleanLog(log);
    await page.context().close();
  }, 180_000);

  it('multi-hop: a live run at a small size puts chain of thought at 1 wherever single hop is 1', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${QUIET}`);
    await page.waitForSelector('[data-testid="figure-multihop"] svg g.marks path');
    for (const d of [2, 4, 8, 16, 32]) await page.setChecked(`[data-testid="multihop-ds"] input[value="${d}"]`, d === 4 || d === 8);
    await page.selectOption('[data-testid="multihop-n"]', '8');
    await page.selectOption('[data-testid="multihop-r"]', '2');
    await page.selectOption('[data-testid="multihop-m"]', '32');
    await page.selectOption('[data-testid="multihop-steps"]', '300');
    const seconds = await runToEnd(page, 'multihop-run', 'multihop-progress');
    const rows = await page.$$eval('[data-testid="multihop-live-table"] tbody tr', (trs) =>
      trs.map((tr) => ({ d: Number(tr.getAttribute('data-d')), single: Number(tr.getAttribute('data-single')), cot: Number(tr.getAttribute('data-cot')) })),
    );
    expect(rows.map((r) => r.d)).toEqual([4, 8]);
    expect(rows.some((r) => r.single === 1)).toBe(true);
    for (const r of rows) if (r.single === 1) expect(r.cot).toBe(1);
    expect(Number(await page.getAttribute('[data-testid="figure-multihop"]', 'data-live-marks'))).toBe(6);
    expect(await page.textContent('[data-testid="multihop-live-findings"]')).toMatch(/chain of thought answered every 2-hop query too/);
    console.log(`multihop: N = 8, R = 2, d = 4 and 8, 300 steps: ${seconds.toFixed(1)} s`);
    expectCleanLog(log);
    await page.context().close();
  }, 120_000);

  it('transfer: with the construction loaded, zero-shot accuracy on new facts is 100% for every relation', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=32&r=3&construction=1&backend=wasm`);
    await page.waitForFunction(() => (document.querySelector('[data-testid="status"]')?.getAttribute('data-backend') ?? '') !== '', undefined, { timeout: 60_000 });
    const seconds = await runToEnd(page, 'transfer-zero-shot-run', 'transfer-progress');
    const accuracy = await page.getAttribute('[data-testid="transfer-zero-shot"]', 'data-accuracy');
    expect(accuracy).toBe('1,1,1');
    const summary = await page.textContent('[data-testid="transfer-summary"]');
    expect(summary).toMatch(/N = 32, R = 3, d = 23, m = 30, after 0 training steps\) answers 100% of its own facts/);
    expect(summary).toMatch(/answers 100% of the new facts/);
    console.log(`transfer: zero-shot on the construction (N = 32, R = 3): ${seconds.toFixed(1)} s`);
    expectCleanLog(log);
    await page.context().close();
  }, 120_000);
});
