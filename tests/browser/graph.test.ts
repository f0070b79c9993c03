/**
 * The chapter "Graphs" in headless Chromium: before a run it draws the graph itself; the cycle of 15
 * with the transformer (seed 1, ~700 steps in the experiment worker) trains, the scrubber and the
 * jump buttons move the figures, and at the first step of 100% top-5 recovery the drawn nodes go
 * round their centre in cycle order (a ring, read from the SVG's node positions) with the cosine matrix
 * following the adjacency; the associative control then sits beside it with no ring; a size choice
 * redraws the graph; a further run cancels.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { openPage } from './harness';
import { expectCleanLog, experimentProgress, QUIET, waitForExperiment } from './chapterChecks';
import { useSite } from './fixture';

const fixture = useSite();


/** The drawn nodes' positions on screen, by node index. */
const nodesOf = (page: Page) =>
  page.$$eval('[data-testid="figure-graph-pca"] g.node', (els) =>
    els.map((el) => ({ i: Number(el.getAttribute('data-node')), x: Number(el.getAttribute('data-x')), y: Number(el.getAttribute('data-y')) })),
  );

/** Whether the nodes' angular order around their centre is 0, 1, …, n−1 up to rotation and direction. */
function isRing(nodes: { i: number; x: number; y: number }[]): boolean {
  const n = nodes.length;
  const cx = nodes.reduce((s, p) => s + p.x, 0) / n;
  const cy = nodes.reduce((s, p) => s + p.y, 0) / n;
  const order = [...nodes].sort((a, b) => Math.atan2(a.y - cy, a.x - cx) - Math.atan2(b.y - cy, b.x - cx)).map((p) => p.i);
  const steps = order.map((v, k) => (order[(k + 1) % n] - v + n) % n);
  return steps.every((s) => s === 1) || steps.every((s) => s === n - 1);
}

describe('chapter: graphs', () => {
  it('the cycle’s picture at the first 100% top-5 recovery is a ring; the scrubber moves the figures; cancel lands', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${QUIET}`);
    await page.waitForSelector('[data-testid="chapter-graph"]', { timeout: 60_000 });
    await page.$eval('[data-testid="chapter-graph"]', (el) => el.scrollIntoView());
    // Before a run: the graph itself, drawn from its Laplacian (a cycle's is a ring).
    await page.waitForSelector('[data-testid="figure-graph-pca"] g.node');
    expect(await page.getAttribute('[data-testid="figure-graph-pca"]', 'data-graph')).toBe('cycle-15');
    expect(isRing(await nodesOf(page))).toBe(true);

    // The size choice redraws the graph to train: a cycle of 8, then theirs again.
    await page.selectOption('[data-testid="graph-graph"]', 'cycle');
    await page.selectOption('[data-testid="graph-size"]', { label: '8 nodes' });
    await page.waitForSelector('[data-testid="figure-graph-pca"][data-graph="cycle-8"]');
    expect(await nodesOf(page)).toHaveLength(8);
    await page.selectOption('[data-testid="graph-size"]', { label: '15 nodes' });
    await page.selectOption('[data-testid="graph-model"]', 'transformer');
    await page.selectOption('[data-testid="graph-seed"]', '1');
    const started = Date.now();
    await page.click('[data-testid="graph-run"]');
    await waitForExperiment(page, 'graph-progress', ['done'], 180_000);
    console.log(`graph: cycle-15, transformer, seed 1 trained in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const frames = Number(await page.getAttribute('[data-testid="figure-graph-scores"]', 'data-points'));
    expect(frames).toBeGreaterThan(200);
    expect(await page.getAttribute('[data-testid="figure-graph-pca"]', 'data-step')).toBe('700');
    expect(await page.$$('[data-testid="figure-graph-spectrum"] rect.bar')).toHaveLength(15);
    const story = (await page.textContent('[data-testid="graph-story"]')) ?? '';
    expect(story).toMatch(/Every edge is first among its node’s top 5 at step \d+\./);
    expect(story).toMatch(/The shape is clearest (from step \d+ to [\d,]+|at step \d+)/);

    // Jump to the first 100%: the drawn nodes go round in cycle order.
    await page.click('[data-testid="graph-jump-first"]');
    const first = Number(await page.getAttribute('[data-testid="figure-graph-pca"]', 'data-step'));
    expect(story).toContain(`top 5 at step ${first}. There the picture is a ring`);
    expect(first).toBeGreaterThan(10);
    expect(first).toBeLessThan(100);
    expect(await page.getAttribute('[data-testid="figure-graph-pca"]', 'data-ring')).toBe('true');
    const nodes = await nodesOf(page);
    expect(nodes).toHaveLength(15);
    expect(isRing(nodes)).toBe(true);
    expect(await page.getAttribute('[data-testid="figure-graph-scores"]', 'data-view')).toBe(String(first));
    expect(Number(await page.getAttribute('[data-testid="figure-graph-spectrum"]', 'data-step'))).toBe(first);
    // The cosine matrix beside the adjacency, at the same step: edge ends alike, the rest not.
    expect(Number(await page.getAttribute('[data-testid="figure-graph-cosine"]', 'data-step'))).toBe(first);
    const correlation = Number(await page.getAttribute('[data-testid="figure-graph-cosine"]', 'data-correlation'));
    expect(correlation).toBeGreaterThan(0.3);
    console.log(`graph: first 100% at step ${first}: ring; cosine–adjacency correlation ${correlation}`);

    // The scrubber: keyboard steps move all three figures; "clearest" jumps into the shaded phase.
    await page.focus('[data-testid="graph-scrubber"]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(Number(await page.getAttribute('[data-testid="figure-graph-pca"]', 'data-step'))).toBe(first + 2);
    expect(await page.getAttribute('[data-testid="figure-graph-scores"]', 'data-view')).toBe(String(first + 2));
    expect(Number(await page.getAttribute('[data-testid="figure-graph-spectrum"]', 'data-step'))).toBe(first + 2);
    await page.click('[data-testid="graph-jump-clearest"]');
    const clearest = Number(await page.getAttribute('[data-testid="figure-graph-pca"]', 'data-step'));
    const [from, to] = ((await page.getAttribute('[data-testid="figure-graph-scores"]', 'data-phase')) ?? '').split('-').map(Number);
    expect(clearest).toBeGreaterThanOrEqual(from);
    expect(clearest).toBeLessThanOrEqual(to);
    expect(isRing(await nodesOf(page))).toBe(true);

    // The associative control beside it: the same edges recalled, its (frozen, random) picture no ring.
    await page.selectOption('[data-testid="graph-model"]', 'associative');
    await page.click('[data-testid="graph-run"]');
    await waitForExperiment(page, 'graph-progress', ['done'], 120_000);
    await page.waitForSelector('[data-testid="graph-compare"][data-models="transformer,associative"]');
    expect(await page.getAttribute('[data-testid="figure-graph-compare-transformer"]', 'data-ring')).toBe('true');
    expect(await page.getAttribute('[data-testid="figure-graph-compare-associative"]', 'data-ring')).toBe('false');

    // A second run cancels at once and keeps what it has.
    await page.selectOption('[data-testid="graph-graph"]', 'grid');
    await page.selectOption('[data-testid="graph-model"]', 'transformer');
    await page.click('[data-testid="graph-run"]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="graph-progress"] [role="progressbar"]')?.getAttribute('aria-valuenow')) > 0, undefined, {
      timeout: 60_000,
      polling: 50,
    });
    expect((await experimentProgress(page, 'graph-progress')).text).toMatch(/^step \d+ of 500/);
    const cancelAt = Date.now();
    await page.click('[data-testid="graph-cancel"]');
    await waitForExperiment(page, 'graph-progress', ['cancelled'], 10_000);
    expect((Date.now() - cancelAt) / 1000).toBeLessThan(3);
    expect(await page.isEnabled('[data-testid="graph-run"]')).toBe(true);
    expect(await page.getAttribute('[data-testid="figure-graph-pca"]', 'data-graph')).toBe('grid-4x4');
    expectCleanLog(log);
    await page.context().close();
  }, 300_000);
});
