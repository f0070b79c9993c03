/**
 * Two runs side by side (issue 11, item 3): `?compare=opt:adam` trains run B — the same facts and
 * initial weights with Adam — in a second training worker beside run A (SGD, the default), every
 * live figure paired, the difference stated in numbers; both play, pause, step and reset together;
 * the link reproduces both; stopping the comparison leaves A as it was.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from './harness';
import { useSite } from './fixture';

const fixture = useSite();

interface RunShown {
  status: string;
  step: number;
  probe: number[];
  optimizer: string;
}

async function runs(page: Page): Promise<{ a: RunShown; b: RunShown | null }> {
  return page.evaluate(() => {
    const read = (id: string) => {
      const el = document.querySelector(`[data-testid="${id}"]`);
      if (!el) return null;
      const probe = el.getAttribute('data-probe-held-out') ?? '';
      return {
        status: el.getAttribute('data-status') ?? '',
        step: Number(el.getAttribute('data-step')),
        probe: probe ? probe.split(',').map(Number) : [],
        optimizer: el.getAttribute('data-optimizer') ?? '',
      };
    };
    return { a: read('status')!, b: read('status-b') };
  });
}

/** The summary's row: A's and B's numbers as its data attributes carry them, and its B − A cell. */
async function summaryRow(page: Page, row: string): Promise<{ a: number; b: number; diff: string }> {
  return page.$eval(`[data-testid="compare-summary"] tr[data-row="${row}"]`, (tr) => ({
    a: Number(tr.getAttribute('data-a') || 'NaN'),
    b: Number(tr.getAttribute('data-b') || 'NaN'),
    diff: tr.querySelectorAll('td')[2]?.textContent ?? '',
  }));
}

async function until(page: Page, what: string, check: () => Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`timed out waiting for ${what}: ${JSON.stringify(await runs(page))}`);
}

describe('two runs side by side', () => {
  it('compare=opt:adam trains A (SGD) and B (Adam) in two workers, pairs every figure and states the difference', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?compare=opt:adam&autoplay=1&backend=wasm`);
    await until(page, 'both runs training', async () => {
      const { a, b } = await runs(page);
      return a.step > 0 && b !== null && b.step > 0;
    });
    const started = await runs(page);
    expect(started.a.optimizer).toBe('sgd');
    expect(started.b!.optimizer).toBe('adam');
    // Two training workers, one per run.
    expect(page.workers().filter((w) => /trainingWorker-[^/]*\.js$/.test(w.url())).length).toBe(2);

    // Every live figure, paired: A's and B's side by side.
    for (const [pair, figure] of [
      ['training', 'figure-training'],
      ['projection', 'figure-projection'],
      ['gating', 'figure-gating'],
    ]) {
      for (const run of ['a', 'b']) {
        await page.waitForSelector(`[data-testid="paired-figures"] [data-pair="${pair}"] [data-run="${run}"] [data-testid="${figure}"]`, { timeout: 60_000 });
      }
      const [a, b] = await page.$$eval(`[data-pair="${pair}"] > .pair-cell`, (cells) => cells.map((c) => c.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y })));
      expect(b.x, `${pair}: B beside A on a wide screen`).toBeGreaterThan(a.x + 200);
      expect(Math.abs(b.y - a.y)).toBeLessThan(2);
    }
    expect(await page.textContent('[data-pair="projection"] [data-run="a"] .run-label')).toContain('SGD with momentum');
    expect(await page.textContent('[data-pair="projection"] [data-run="b"] .run-label')).toContain('Adam');

    // Past 100% in both, the held-out probes differ: SGD's near 1, Adam's far lower.
    await until(page, 'both runs measured past step 150', async () => {
      const { a, b } = await runs(page);
      const measured = await page.$$eval('[data-testid="status"], [data-testid="status-b"]', (els) => els.map((e) => Number(e.getAttribute('data-probe-step') || 0)));
      return a.probe.length === 2 && b !== null && b.probe.length === 2 && measured.every((s) => s >= 150);
    }, 120_000);
    const probe = await summaryRow(page, 'probe-min');
    expect(probe.a).toBeGreaterThanOrEqual(0.9);
    expect(probe.b).toBeLessThan(probe.a - 0.1);
    expect(probe.diff).toBe(`−${(probe.a - probe.b).toFixed(2)}`);
    const hundred = await summaryRow(page, 'steps-to-100');
    expect(hundred.a).toBeGreaterThan(0);
    expect(hundred.b).toBeGreaterThan(0);
    expect(await page.textContent('[data-testid="compare-verdict"]')).toMatch(/B's held-out probe reads 0\.\d\d against A's (0\.9\d|1\.00): lower by 0\.\d\d/);
    // The bars each figure draws are the numbers of its own run.
    const bars = await page.$$eval('[data-pair="projection"] .pair-cell', (cells) => cells.map((c) => [...c.querySelectorAll('g.values text')].map((t) => Number(t.textContent))));
    expect(Math.min(...bars[0])).toBeGreaterThanOrEqual(0.9);
    expect(Math.min(...bars[1])).toBeLessThan(Math.min(...bars[0]) - 0.1);

    // One link reproduces both.
    expect(await page.evaluate(() => location.search)).toBe('?backend=wasm&autoplay=1&compare=opt:adam');

    // Pause, step and reset act on both.
    const pauseOrWait = async () => {
      if (await page.$('[data-testid="pause"]')) await page.click('[data-testid="pause"]');
      await until(page, 'both paused', async () => {
        const { a, b } = await runs(page);
        return a.status !== 'running' && b!.status !== 'running';
      });
    };
    await pauseOrWait();
    const held = await runs(page);
    await page.waitForTimeout(800);
    const still = await runs(page);
    expect([still.a.step, still.b!.step]).toEqual([held.a.step, held.b!.step]);
    await page.click('[data-testid="reset"]');
    await until(page, 'both reset to step 0', async () => {
      const { a, b } = await runs(page);
      return a.step === 0 && b!.step === 0;
    });
    await page.click('[data-testid="step"]');
    await until(page, 'one step in both', async () => {
      const { a, b } = await runs(page);
      return a.step === 1 && b!.step === 1;
    });
    // The same first step of the same weights on the same facts: the first loss is the same number.
    const first = await summaryRow(page, 'loss');
    expect(first.a).toBe(first.b);

    // Stopping the comparison leaves run A where it was and drops B from the link.
    await page.click('[data-testid="compare-stop"]');
    await page.waitForSelector('[data-testid="paired-figures"]', { state: 'detached' });
    expect(await page.$('[data-testid="status-b"]')).toBeNull();
    expect(await page.evaluate(() => location.search)).toBe('?backend=wasm&autoplay=1');
    await page.waitForTimeout(500);
    expect((await runs(page)).a.step).toBe(1);

    // And the controls start one: B with uniform attention.
    await page.selectOption('[data-testid="compare-key"]', 'ua');
    await page.click('[data-testid="compare-start"]');
    await page.waitForSelector('[data-testid="status-b"]');
    await until(page, 'the new comparison in the link', async () => (await page.evaluate(() => location.search)) === '?backend=wasm&autoplay=1&compare=ua:1');
    expect(await page.textContent('[data-pair="gating"] [data-run="b"] .run-label')).toContain('uniform attention');
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('a bad compare value gives a notice naming it; on a narrow screen the pairs stack', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=64&opt=adam&compare=seed:3,m:16&backend=wasm`, { width: 700, height: 900 });
    await page.waitForSelector('[data-testid="notices"] li');
    expect(await page.textContent('[data-testid="notices"]')).toMatch(/compare: "seed" is not a setting B can change.*Kept m:16/);
    await page.waitForSelector('[data-pair="training"] [data-run="b"] [data-testid="figure-training"]', { timeout: 60_000 });
    expect(await page.evaluate(() => location.search)).toBe('?n=64&opt=adam&backend=wasm&compare=m:16');
    const [a, b] = await page.$$eval('[data-pair="training"] > .pair-cell', (cells) => cells.map((c) => c.getBoundingClientRect()).map((r) => ({ x: r.x, y: r.y, bottom: r.bottom })));
    expect(Math.abs(b.x - a.x)).toBeLessThan(2);
    expect(b.y).toBeGreaterThanOrEqual(a.bottom - 1);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
