/**
 * Follow one fact (issue 16), in headless Chromium: on the hand-built construction the followed fact's
 * right attribute has the largest logit and the MLP units that fire are its relation's (construct.ts
 * gives relation r the units r·2k … r·2k + 2k − 1, k = ⌈log₂ N⌉, one of each ± pair firing per bit); a
 * click on a projection row follows that subject; on a training run the trace follows each step.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { codeLength } from '../../src/core/model/construct';
import { makeFacts } from '../../src/core/model/facts';
import { countWord } from '../../src/ui/format';
import { openPage } from './harness';
import { useSite } from './fixture';

const fixture = useSite();
const FIGURE = '[data-testid="figure-fact"]';

interface Shown {
  subject: number;
  relation: number;
  target: number;
  top: number;
  active: number[];
  step: number;
}

async function shown(page: Page): Promise<Shown> {
  return page.$eval(FIGURE, (f) => ({
    subject: Number(f.getAttribute('data-subject')),
    relation: Number(f.getAttribute('data-relation')),
    target: Number(f.getAttribute('data-target')),
    top: Number(f.getAttribute('data-top')),
    active: (f.getAttribute('data-active') ?? '').split(',').filter(Boolean).map(Number),
    step: Number(f.getAttribute('data-step')),
  }));
}

/** Waits until the figure shows the trace of (subject, relation). */
async function showsFact(page: Page, subject: number, relation: number): Promise<void> {
  await page.waitForFunction(
    ([sel, s, r]) => {
      const f = document.querySelector(sel as string);
      return f?.getAttribute('data-subject') === String(s) && f.getAttribute('data-relation') === String(r);
    },
    [FIGURE, subject, relation] as const,
    { timeout: 60_000 },
  );
}

describe('follow one fact', () => {
  it('on the construction: the right attribute has the largest logit, with its relation’s gating units active', async () => {
    const [n, r, seed] = [16, 3, 3];
    const k = codeLength(n);
    const facts = makeFacts(n, r, seed);
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=${n}&r=${r}&seed=${seed}&construction=1&backend=wasm`);
    await page.waitForSelector(`${FIGURE}[data-step]`, { timeout: 60_000 });
    for (const [subject, relation] of [
      [5, 2],
      [11, 0],
      [0, 1],
    ]) {
      await page.fill(`${FIGURE} input.fact-subject`, String(subject));
      await page.selectOption(`${FIGURE} select`, String(relation));
      await showsFact(page, subject, relation);
      const fact = await shown(page);
      const target = facts.permutations[relation][subject];
      expect(fact.target).toBe(target);
      expect(fact.top, `top logit of (${subject}, ${relation})`).toBe(target);
      // One unit of each ± pair fires: k units, all of the fact's relation.
      expect(fact.active).toHaveLength(k);
      for (const j of fact.active) {
        expect(j).toBeGreaterThanOrEqual(relation * 2 * k);
        expect(j).toBeLessThan((relation + 1) * 2 * k);
      }
      // What the reader sees says the same: the first logit is marked right, the units' relation column is the fact's.
      expect(await page.textContent(`${FIGURE} .fact-logits li:first-child`)).toMatch(new RegExp(`attribute ${target} .*✓ right`));
      const unitRelations = await page.$$eval(`${FIGURE} [data-testid="fact-units"] tbody tr td:first-of-type`, (cells) => cells.map((c) => c.textContent?.trim()));
      expect(unitRelations.length).toBeGreaterThan(0);
      expect(unitRelations.every((t) => t === String(relation))).toBe(true);
      const summary = await page.textContent(`${FIGURE} figcaption`);
      expect(summary).toContain(`the right answer is attribute ${target}.`);
      expect(summary).toMatch(/is the largest/);
      expect(summary).toContain(`By the measured gating, ${countWord(k)} of them are units of relation ${relation}.`);
      expect(summary).toContain("The probes read every relation's answer");
    }

    // A click on the projection's first row follows that subject for the projection's relation (0).
    const firstRow = Number(await page.textContent('[data-testid="figure-projection"] g.axis-y .tick text'));
    const canvas = (await page.$('[data-testid="figure-projection"] canvas'))!;
    await canvas.click({ position: { x: 3, y: 3 } });
    await showsFact(page, firstRow, 0);
    expect((await shown(page)).top).toBe(facts.permutations[0][firstRow]);
    expect(await page.inputValue(`${FIGURE} input.fact-subject`)).toBe(String(firstRow));
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('while training: the trace follows the run step by step', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=32&r=2&d=8&m=32&opt=adam&backend=wasm`);
    await page.waitForSelector(`${FIGURE}[data-step="0"]`, { timeout: 60_000 });
    for (const step of [1, 2]) {
      await page.click('[data-testid="step"]');
      await page.waitForSelector(`${FIGURE}[data-step="${step}"]`, { timeout: 60_000 });
    }
    const fact = await shown(page);
    expect(fact.subject).toBe(0);
    expect(fact.target).toBe(makeFacts(32, 2, 5).permutations[0][0]);
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);
});
