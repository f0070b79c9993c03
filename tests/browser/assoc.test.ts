/**
 * The chapter "Associative memories" in headless Chromium: the precomputed heads × width map and facts
 * per parameter drawn from the CLI's files and labelled precomputed; a live sequential-learning run
 * (the notebook's linear model, in the experiment worker) until the chapter names the hallucination
 * plateau's step range; and a live sweep that cancels.
 */
import { describe, expect, it } from 'vitest';
import { openPage } from './harness';
import { expectCleanLog, experimentProgress, QUIET, waitForExperiment } from './chapterChecks';
import { useSite } from './fixture';

const fixture = useSite();

const LOG8 = Math.log(8);

describe('chapter: associative memories', () => {
  it('draws the precomputed map and capacity, labelled precomputed with their commands', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${QUIET}`);
    await page.waitForSelector('[data-testid="chapter-assoc"]', { timeout: 60_000 });
    await page.$eval('[data-testid="chapter-assoc"]', (el) => el.scrollIntoView());
    const map = await page.waitForSelector('[data-testid="figure-assoc-map"]', { timeout: 30_000 });
    expect(Number(await map.getAttribute('data-cells'))).toBeGreaterThan(0);
    expect(await map.textContent()).toMatch(/precomputed \(CLI, \w+/);
    expect(await page.textContent('[data-testid="assoc-sweep-command"]')).toMatch(/^npm run cli -- assoc sweep --heads [\d,]+ --widths [\d,]+ .*--out src\/experiments\/assoc\/assoc-sweep\.json$/);
    expect(await page.textContent('[data-testid="assoc-map-findings"]')).toMatch(/\d+ of \d+ models reach 99% accuracy on the [\d,]+ facts\./);
    const cap = await page.waitForSelector('[data-testid="figure-assoc-capacity"]');
    expect(Number(await cap.getAttribute('data-marks'))).toBeGreaterThan(0);
    expect(await cap.textContent()).toMatch(/precomputed \(CLI, \w+/);
    expect(await cap.textContent()).toMatch(/A’s reference, 0\.15 × parameters/);
    expect(await page.$$('[data-testid="figure-assoc-capacity"] g.ref')).toHaveLength((await cap.getAttribute('data-fit-slope')) ? 2 : 1);
    expect(await page.textContent('[data-testid="assoc-capacity-command"]')).toMatch(/^npm run cli -- assoc capacity --ds [\d,]+ .*--out src\/experiments\/assoc\/assoc-capacity\.json$/);
    expect(await page.textContent('[data-testid="assoc-capacity-findings"]')).toMatch(/Facts per parameter: median \d\.\d\d .* A’s reference 0\.15\./);
    expect(fixture.site.requests.some((p) => p.includes('experimentWorker'))).toBe(false);
    expectCleanLog(log);
    await page.context().close();
  }, 120_000);

  it('a live run names the hallucination plateau’s step range; a live sweep cancels', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${QUIET}`);
    await page.waitForSelector('[data-testid="assoc-form"]', { timeout: 60_000 });
    await page.$eval('[data-testid="chapter-assoc"]', (el) => el.scrollIntoView());
    const started = Date.now();
    await page.click('[data-testid="assoc-run"]');
    // Until the plateau has lasted 1,000 steps (from about step 1,900 in the notebook's run).
    const handle = await page.waitForFunction(
      () => {
        const el = document.querySelector('[data-testid="assoc-plateau"]');
        const status = document.querySelector('[data-testid="assoc-progress"]')?.getAttribute('data-status');
        if (status === 'error' || status === 'done') return { status };
        const from = Number(el?.getAttribute('data-from') || NaN);
        const to = Number(el?.getAttribute('data-to') || NaN);
        return to - from >= 1000 ? { from, to, text: el?.textContent ?? '' } : false;
      },
      undefined,
      { timeout: 120_000, polling: 250 },
    );
    const plateau = (await handle.jsonValue()) as { from?: number; to?: number; text?: string; status?: string };
    const seconds = (Date.now() - started) / 1000;
    expect(plateau.status, (await experimentProgress(page, 'assoc-progress')).text).toBeUndefined();
    expect(plateau.from!).toBeGreaterThan(500);
    expect(plateau.to! - plateau.from!).toBeGreaterThanOrEqual(1000);
    const numbers = (s: string) => s.replace(/,/g, '');
    expect(numbers(plateau.text!)).toMatch(new RegExp(`^From step ${plateau.from} (to ${plateau.to}|\\(and still at step \\d+\\)) the loss sits at log 8 = ${LOG8.toFixed(2)} while the relation-only loss is below 0\\.1`));
    // The loss on the plateau: within 0.1 of log 8, read off the figure's curve points via the stage band.
    const band = await page.$eval('[data-testid="figure-assoc-loss"] g.stage[data-stage="plateau"]', (g) => ({ from: Number(g.getAttribute('data-from')), to: Number(g.getAttribute('data-to')) }));
    expect(band.from).toBe(plateau.from);
    expect(await page.textContent('[data-testid="figure-assoc-loss"]')).toMatch(/log D = log 8 = 2\.08/);
    expect(await page.textContent('[data-testid="assoc-stages"]')).toMatch(/From step 0 to [\d,]+ the loss sits at log 32 = 3\.47/);
    expect((await experimentProgress(page, 'assoc-progress')).text).toMatch(/^step [\d,]+ of 5,000 · loss 2\.\d+, relation-only/);
    console.log(`assoc: plateau from step ${plateau.from} to ${plateau.to} named after ${seconds.toFixed(1)} s`);

    // Cancel the run; then a live sweep starts, moves, and cancels at once, keeping what it has.
    await page.click('[data-testid="assoc-cancel"]');
    await waitForExperiment(page, 'assoc-progress', ['cancelled'], 10_000);
    await page.click('[data-testid="assoc-sweep-run"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="assoc-sweep-progress"] [role="progressbar"]')?.getAttribute('aria-valuenow')) > 0, undefined, {
      timeout: 60_000,
      polling: 100,
    });
    expect((await experimentProgress(page, 'assoc-sweep-progress')).text).toMatch(/^\d+ heads?, MLP width \d+: step [\d,]+ of 500/);
    const cancelAt = Date.now();
    await page.click('[data-testid="assoc-sweep-cancel"]');
    await waitForExperiment(page, 'assoc-sweep-progress', ['cancelled'], 10_000);
    expect((Date.now() - cancelAt) / 1000).toBeLessThan(3);
    expect(await page.isEnabled('[data-testid="assoc-sweep-run"]')).toBe(true);
    expectCleanLog(log);
    await page.context().close();
  }, 300_000);
});
