/**
 * The chapter "Which training finds the geometry?" in headless Chromium: the precomputed sweep's
 * tables (from the files the CLI wrote) on load, and a short live run that draws four optimisers'
 * curves side by side in the experiment worker, with progress, cancel and a flat tensor count.
 */
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from './harness';
import { expectCleanLog, experimentProgress, QUIET, waitForExperiment } from './chapterChecks';
import { useSite } from './fixture';

const fixture = useSite();

/** The precomputed files: their N and how many table rows each N has (one per R and optimiser). */
const files = ['n256', 'n512'].map((name) => {
  const json = JSON.parse(readFileSync(`src/experiments/optimizers/optimizers-${name}.json`, 'utf8')) as { settings: { ns: number[] }; records: { n: number; r: number; optimizer: string }[] };
  return { ns: json.settings.ns, rows: (n: number) => new Set(json.records.filter((x) => x.n === n).map((x) => `${x.r}:${x.optimizer}`)).size };
});


/** The curves drawn in a panel: optimiser → number of points. */
const curvesOf = (page: Page, panel: string) =>
  page.$$eval(`[data-testid="optimizer-panel-${panel}"] path.curve`, (paths) =>
    Object.fromEntries(paths.filter((p) => (p.getAttribute('d') ?? '').length > 0).map((p) => [p.getAttribute('data-optimizer'), Number(p.getAttribute('data-points'))])),
  );

describe('chapter: which training finds the geometry', () => {
  it('shows the precomputed tables with their commands and findings, without starting the experiment worker', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${QUIET}`);
    await page.waitForSelector('[data-testid="chapter-optimizers"]');
    for (const file of files) {
      for (const n of file.ns) {
        const table = `[data-testid="optimizer-table-${n}"]`;
        await page.waitForSelector(table);
        expect(await page.$$eval(`${table} tbody tr`, (rows) => rows.length)).toBe(file.rows(n));
        expect(await page.textContent(`[data-testid="optimizer-command-${n}"]`)).toMatch(new RegExp(`^npm run cli -- optimizers --n ${n} --r [\\d,]+ --seeds [\\d,]+ --optimizers [a-z,]+ .*--out src/experiments/optimizers/optimizers-n${n}\\.json$`));
        expect(await page.textContent(table)).toMatch(/precomputed \(CLI, wasm\)/);
      }
      const findings = await page.textContent(`[data-testid="optimizers-findings-${file.ns.join('-')}"]`);
      expect(findings).toMatch(/held-out probe accuracy \(lowest relation/);
      expect(findings).toMatch(/Zero-shot transfer/);
      expect(findings).toMatch(/Knock-out/);
    }
    // Every probe cell is a number between 0 and 1.
    const probes = await page.$$eval('[data-testid^="optimizer-table-"] tbody tr', (rows) => rows.map((r) => Number(r.getAttribute('data-probe-min'))));
    for (const p of probes) expect(p >= 0 && p <= 1).toBe(true);
    expect(fixture.site.requests.some((p) => p.includes('experimentWorker'))).toBe(false);
    expectCleanLog(log);
    await page.context().close();
  }, 120_000);

  it('a short live run draws four curves in every panel, says what they show, cancels, and leaks no tensor', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${QUIET}`);
    await page.waitForSelector('[data-testid="optimizers-form"]');
    await page.selectOption('[data-testid="optimizers-n"]', '64');
    await page.selectOption('[data-testid="optimizers-d"]', '16');
    await page.selectOption('[data-testid="optimizers-m"]', '64');
    await page.selectOption('[data-testid="optimizers-steps"]', '100');
    const started = Date.now();
    await page.click('[data-testid="optimizers-run"]');
    await waitForExperiment(page, 'optimizers-progress', ['done'], 120_000);
    const seconds = (Date.now() - started) / 1000;
    const done = await experimentProgress(page, 'optimizers-progress');
    expect(done.value).toBe(100);
    expect(Number(await page.getAttribute('[data-testid="figure-optimizers"]', 'data-runs'))).toBe(4);
    for (const panel of ['probe', 'accuracy', 'loss']) {
      const curves = await curvesOf(page, panel);
      expect(Object.keys(curves).sort(), panel).toEqual(['adam', 'gd', 'sgd', 'sign']);
      for (const points of Object.values(curves)) expect(points).toBeGreaterThanOrEqual(2);
    }
    const findings = await page.textContent('[data-testid="optimizers-live-findings"]');
    expect(findings).toMatch(/Your run \(N = 64, R = 2, d = 16, m = 64, 100 steps each, seed 1\)/);
    expect(findings).toMatch(/Held-out probe accuracy on the weakest relation at the last measurement: /);
    expect(findings).toMatch(/The sign test: sign descent ends at \d\.\d\d \(Adam \d\.\d\d, GD \d\.\d\d\): (nearer|Adam and gradient descent differ)/);
    expect(await page.textContent('[data-testid="figure-optimizers"] figcaption')).toMatch(/^Training curves of Adam, SGD, GD and sign descent/);

    // A longer run: the bar moves, cancel stops it at once and keeps the curves so far.
    await page.selectOption('[data-testid="optimizers-steps"]', '1000');
    await page.click('[data-testid="optimizers-run"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="optimizers-progress"] [role="progressbar"]')?.getAttribute('aria-valuenow')) > 5, undefined, {
      timeout: 60_000,
      polling: 100,
    });
    expect((await experimentProgress(page, 'optimizers-progress')).text).toMatch(/training side by side, steps of 1,000: Adam \d+, SGD \d+, GD \d+, sign descent \d+/);
    const cancelAt = Date.now();
    await page.click('[data-testid="optimizers-cancel"]');
    await waitForExperiment(page, 'optimizers-progress', ['cancelled'], 10_000);
    expect((Date.now() - cancelAt) / 1000).toBeLessThan(3);
    expect(Object.keys(await curvesOf(page, 'accuracy'))).toHaveLength(4);

    // The short run again: the worker's tensor count is where it was.
    await page.selectOption('[data-testid="optimizers-steps"]', '100');
    await page.click('[data-testid="optimizers-run"]');
    await waitForExperiment(page, 'optimizers-progress', ['done'], 120_000);
    expect(Number.isFinite(done.tensors)).toBe(true);
    expect((await experimentProgress(page, 'optimizers-progress')).tensors).toBe(done.tensors);
    console.log(`optimizers: live N = 64, R = 2, d = 16, 4 × 100 steps: ${seconds.toFixed(1)} s; worker tensors ${done.tensors}`);
    expectCleanLog(log);
    await page.context().close();
  }, 300_000);
});
