/**
 * Sharing, in headless Chromium: each figure embedded in an iframe of a parent page (only that
 * figure, its height posted to the parent, training held while it is scrolled away or the tab is
 * hidden), the exports (SVG, PNG, CSV, weight file) captured as downloads, a weight file loaded back
 * (same accuracy; training continues from it), bad files refused with the run untouched, presets.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseWeightFile } from '../../src/core/model/weights';
import { EMBEDS, readShareParams, type EmbedName } from '../../src/ui/share';
import { parsePageState } from '../../src/ui/urlState';
import { presetById } from '../../src/ui/presets';
import { openPage, statusOf } from './harness';
import { useSite } from './fixture';

const fixture = useSite({
  prepare: (root) => {
    writeFileSync(join(root, 'parent.html'), PARENT_HTML);
    writeFileSync(join(root, 'element.html'), ELEMENT_HTML);
  },
});

/** A blog post with the figure in an iframe: it sizes the iframe from the height messages and records them. */
const PARENT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A post with an embedded figure</title>
<style>body { margin: 0; font-family: sans-serif } iframe { display: block; width: 720px; height: 150px; border: 0 } .spacer { height: 6000px }</style>
</head><body>
<p>Some text before the figure.</p>
<iframe id="embed" title="How transformers memorize facts"></iframe>
<div class="spacer">Some text after it.</div>
<script>
  window.__heights = [];
  var frame = document.getElementById('embed');
  window.addEventListener('message', function (event) {
    var data = event.data;
    if (event.source !== frame.contentWindow || !data || data.type !== 'factual-recall:height') return;
    window.__heights.push(data);
    frame.style.height = data.height + 'px';
  });
  frame.src = './' + decodeURIComponent(location.hash.slice(1));
</script>
</body></html>
`;

/** The same with the custom element of public/factual-recall-embed.js. */
const ELEMENT_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>A post with the custom element</title>
<script src="./factual-recall-embed.js"></script></head>
<body style="margin: 0"><p>Before.</p>
<factual-recall-figure figure="gating" params="n=32&amp;r=2&amp;d=8&amp;m=32&amp;backend=wasm" height="200"></factual-recall-figure>
<p>After.</p></body></html>
`;

async function waitFor(what: string, predicate: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    // An element not rendered yet (the page loads its App after the first paint) counts as false.
    if (await predicate().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

async function frameStatus(frame: Frame): Promise<{ status: string; step: number; accuracyMin: number }> {
  return frame.$eval('[data-testid="status"]', (el) => ({
    status: el.getAttribute('data-status') ?? '',
    step: Number(el.getAttribute('data-step')),
    accuracyMin: Number(el.getAttribute('data-accuracy-min') || 'NaN'),
  }));
}

const seenOf = (frame: Frame) => frame.$eval('[data-testid="embed"]', (el) => el.getAttribute('data-seen'));

/** A run that keeps training (a learning rate far too small to reach 100%), so pausing shows. */
// A run that keeps training through a test: a tiny lr on the cpu backend (on wasm the whole-step module
// reaches the 50,000-step cap of one press of play in seconds at this size).
const SLOW_RUN = 'n=64&r=2&d=8&m=16&lr=0.00001&backend=cpu';

/**
 * Clicks `selector` and returns the file it downloads. Downloads are spaced out: Chromium's limit on
 * several downloads from one tab now and then dropped one that followed another within ~50 ms.
 */
async function download(page: Page, selector: string): Promise<{ name: string; bytes: Buffer }> {
  await page.waitForTimeout(500);
  const waiting = page.waitForEvent('download', { timeout: 60_000 });
  await page.click(selector, { timeout: 30_000 });
  const d = await waiting.catch((e: Error) => {
    throw new Error(`no download after clicking ${selector}: ${e.message}`);
  });
  const path = await d.path();
  return { name: d.suggestedFilename(), bytes: readFileSync(path!) };
}

/**
 * The figures each embed shows as it opens. The optimiser chapter's live curves (figure-optimizers)
 * are drawn only once its run has started; before that it shows its two precomputed tables.
 */
const FIGURES: Record<EmbedName, string[]> = {
  training: ['figure-training'],
  projection: ['figure-projection'],
  gating: ['figure-gating'],
  capacity: ['figure-capacity'],
  multihop: ['figure-multihop'],
  optimizers: ['optimizer-table-256', 'optimizer-table-512'],
  // Its precomputed map and capacity; the live loss curve and map are drawn only once a run has started.
  assoc: ['figure-assoc-map', 'figure-assoc-capacity'],
  // The graph drawn from its Laplacian; the scores and spectrum are drawn only once a run has started.
  graph: ['figure-graph-pca'],
};
const FIGURE_SELECTOR = 'figure[data-testid^="figure-"], figure[data-testid^="optimizer-table-"]';

describe('embed mode', () => {
  for (const embed of EMBEDS) {
    const chapter = embed === 'capacity' || embed === 'multihop' || embed === 'optimizers' || embed === 'assoc' || embed === 'graph';
    it(`?embed=${embed}: only that figure, its height posted to the parent, held while scrolled away`, async () => {
      const query = chapter ? `?embed=${embed}&backend=wasm` : `?embed=${embed}&${SLOW_RUN}&autoplay=1`;
      const { page, log } = await openPage(fixture.browser, `${fixture.site.url}parent.html#${encodeURIComponent(query)}`);
      const frame = await (await page.waitForSelector('iframe#embed')).contentFrame();
      expect(frame).not.toBeNull();
      const f = frame!;
      await f.waitForSelector(`[data-testid="${FIGURES[embed][0]}"]`, { timeout: 60_000 });

      // Only this figure and its controls: no other figure, no page header, chapters, presets or files.
      const present = await f.$$eval(FIGURE_SELECTOR, (els) => els.map((e) => e.getAttribute('data-testid')));
      expect(present).toEqual(FIGURES[embed]);
      expect(await f.$$('h1, .intro, footer.notes, [data-testid="presets"], [data-testid="run-files"]')).toHaveLength(0);
      expect(await f.$$('[data-testid="status"]')).toHaveLength(chapter ? 0 : 1);
      expect(await f.$$('[data-testid="export-svg"]')).toHaveLength(FIGURES[embed].length);

      // The height messages reach the parent, the last one is the content's height, and the parent sized
      // the iframe from it: nothing is cut off and no scroll bar is needed inside. (Checked together and
      // waited for: the content may still change height as training starts, and the parent follows.)
      await waitFor('a height message matching the content, and the iframe sized to it', async () => {
        const last = await page.evaluate(() => (window as unknown as { __heights: { height: number }[] }).__heights.at(-1)?.height ?? -1);
        const content = await f.$eval('[data-testid="embed"]', (el) => Math.ceil(el.getBoundingClientRect().height));
        const inner = await f.evaluate(() => ({ scroll: document.documentElement.scrollHeight, view: window.innerHeight }));
        return last > 0 && Math.abs(last - content) <= 1 && inner.scroll <= inner.view + 1;
      });
      const messages = await page.evaluate(() => (window as unknown as { __heights: { type: string; embed: string; height: number }[] }).__heights);
      expect(messages.every((m) => m.type === 'factual-recall:height' && m.embed === embed && Number.isInteger(m.height))).toBe(true);
      expect(await seenOf(f)).toBe('true');

      if (!chapter) {
        await waitFor('training to run', async () => (await frameStatus(f)).status === 'running' && (await frameStatus(f)).step > 5);
        await page.evaluate(() => window.scrollTo(0, 5000));
        await waitFor('the embed to know it is off screen', async () => (await seenOf(f)) === 'false', 10_000);
        await waitFor('the worker to pause', async () => (await frameStatus(f)).status === 'paused', 10_000);
        const held = (await frameStatus(f)).step;
        await page.waitForTimeout(1500);
        expect((await frameStatus(f)).step).toBe(held);
        await page.evaluate(() => window.scrollTo(0, 0));
        await waitFor('the embed to be seen again', async () => (await seenOf(f)) === 'true', 10_000);
        await waitFor('training to resume', async () => (await frameStatus(f)).step > held + 3, 30_000);
        expect((await frameStatus(f)).status).toBe('running');
      } else {
        // The chapter's live sweep is held at its next chunk of steps while the figure is off screen.
        await f.click(`[data-testid="${embed}-run"]`);
        const progress = () => f.$eval(`[data-testid="${embed}-progress"] [role="progressbar"]`, (el) => Number(el.getAttribute('aria-valuenow')));
        await waitFor('the sweep to make progress', async () => (await f.$(`[data-testid="${embed}-progress"][data-status="running"]`)) !== null && (await progress()) > 0, 90_000);
        await page.evaluate(() => window.scrollTo(0, 5000));
        await waitFor('the embed to know it is off screen', async () => (await seenOf(f)) === 'false', 10_000);
        await page.waitForTimeout(800); // the chunk under way finishes
        const held = await progress();
        await page.waitForTimeout(2000);
        expect(await progress()).toBe(held);
        await page.evaluate(() => window.scrollTo(0, 0));
        await waitFor('the sweep to go on', async () => (await progress()) > held, 90_000);
        await f.click(`[data-testid="${embed}-cancel"]`);
        if (embed === 'optimizers') {
          // The run drew its curves: one more figure, still this chapter's only.
          const after = await f.$$eval(FIGURE_SELECTOR, (els) => els.map((e) => e.getAttribute('data-testid')));
          expect(after).toEqual(['figure-optimizers', ...FIGURES.optimizers]);
        }
      }
      expect(log.consoleErrors).toEqual([]);
      expect(log.foreignRequests).toEqual([]);
      await page.context().close();
    }, 240_000);
  }

  it('pauses while the tab is hidden and resumes only what was playing', async () => {
    const { page } = await openPage(fixture.browser, `${fixture.site.url}?embed=training&${SLOW_RUN}&autoplay=1`);
    const f = page.mainFrame();
    const setHidden = (hidden: boolean) =>
      page.evaluate((h) => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
        document.dispatchEvent(new Event('visibilitychange'));
      }, hidden);
    await waitFor('training to run', async () => (await frameStatus(f)).status === 'running' && (await frameStatus(f)).step > 5);
    await setHidden(true);
    await waitFor('the pause', async () => (await frameStatus(f)).status === 'paused', 10_000);
    const held = (await frameStatus(f)).step;
    await page.waitForTimeout(1000);
    expect((await frameStatus(f)).step).toBe(held);
    await setHidden(false);
    await waitFor('training to resume', async () => (await frameStatus(f)).step > held + 3, 30_000);
    // Paused by the reader, it stays paused when the tab comes back.
    await page.click('[data-testid="pause"]');
    await waitFor('the pause', async () => (await frameStatus(f)).status === 'paused', 10_000);
    await setHidden(true);
    await setHidden(false);
    const stopped = (await frameStatus(f)).step;
    await page.waitForTimeout(1000);
    expect((await frameStatus(f)).step).toBe(stopped);
    await page.context().close();
  }, 120_000);

  it('the <factual-recall-figure> element embeds a figure and sizes its iframe', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}element.html`);
    const frame = (await (await page.waitForSelector('factual-recall-figure iframe')).contentFrame())!;
    await frame.waitForSelector('[data-testid="figure-gating"]', { timeout: 60_000 });
    expect(new URL(frame.url()).search).toBe('?embed=gating&n=32&d=8&m=32&backend=wasm'); // r=2 is the default
    await waitFor('the iframe to take the content height', async () => {
      const outer = await page.$eval('factual-recall-figure iframe', (el) => el.getBoundingClientRect().height);
      const content = await frame.$eval('[data-testid="embed"]', (el) => Math.ceil(el.getBoundingClientRect().height));
      return content > 200 && Math.abs(outer - content) <= 1;
    });
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('an unknown embed value gives a notice naming it and the whole page', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?embed=loss-chart&n=32&r=2&d=8&m=32&backend=wasm`);
    await page.waitForSelector('[data-testid="notices"]');
    expect(await page.textContent('[data-testid="notices"]')).toContain('"loss-chart"');
    expect(await page.$('h1')).not.toBeNull();
    expect(await page.$('[data-testid="embed"]')).toBeNull();
    await page.waitForSelector('[data-testid="figure-training"]');
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 60_000);
});

describe('export and import', () => {
  let weightFile: Buffer;
  let exported: { accuracyMin: number; accuracyText: string; loss: number };

  it('exports every figure as SVG and PNG, the metrics as CSV and the weights as a weight file', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=32&r=2&d=8&m=32&seed=5&backend=wasm`);
    for (let i = 1; i <= 5; i++) {
      await page.click('[data-testid="step"]');
      await waitFor(`step ${i}`, async () => (await statusOf(page)).step >= i);
    }
    await page.waitForSelector('[data-testid="figure-gating"]');
    await page.waitForTimeout(500);

    // Every embed's figure that the page draws without a run of its own (not the optimiser chapter's curves).
    for (const embed of EMBEDS.filter((e) => FIGURES[e][0] === `figure-${e}`)) {
      const figure = `[data-testid="figure-${embed}"]`;
      const svg = await download(page, `${figure} [data-testid="export-svg"]`);
      expect(svg.name).toBe(`factual-recall-${embed}.svg`);
      const text = svg.bytes.toString('utf8');
      const parsed = await page.evaluate((t) => {
        const doc = new DOMParser().parseFromString(t, 'image/svg+xml');
        return { error: doc.querySelector('parsererror')?.textContent ?? null, root: doc.documentElement.localName, ns: doc.documentElement.namespaceURI, images: doc.querySelectorAll('image').length, texts: doc.querySelectorAll('text').length };
      }, text);
      expect(parsed.error).toBeNull();
      expect(parsed.root).toBe('svg');
      expect(parsed.ns).toBe('http://www.w3.org/2000/svg');
      expect(parsed.texts).toBeGreaterThan(3);
      // The heat maps are canvases: they come along as images.
      if (embed === 'projection' || embed === 'gating') expect(parsed.images).toBeGreaterThan(0);
      expect(text).not.toContain('var(--');

      const png = await download(page, `${figure} [data-testid="export-png"]`);
      expect(png.name).toBe(`factual-recall-${embed}.png`);
      expect(png.bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
      expect(png.bytes.readUInt32BE(16)).toBeGreaterThan(100); // IHDR width
      expect(png.bytes.readUInt32BE(20)).toBeGreaterThan(100); // IHDR height
      expect(png.bytes.length).toBeGreaterThan(2000);
    }

    const csv = await download(page, '[data-testid="export-csv"]');
    expect(csv.name).toMatch(/\.csv$/);
    const rows = csv.bytes.toString('utf8').trimEnd().split('\n');
    expect(rows[0]).toBe('step,loss,accuracy_r0,accuracy_r1');
    expect(rows.length - 1).toBe((await statusOf(page)).step);
    expect(rows.slice(1).map((r) => Number(r.split(',')[0]))).toEqual([0, 1, 2, 3, 4]);
    for (const r of rows.slice(1)) expect(r.split(',').slice(1).every((v) => Number.isFinite(Number(v)))).toBe(true);

    const weights = await download(page, '[data-testid="export-weights"]');
    expect(weights.name).toBe('factual-recall-n32-r2-d8-m32-step5-weights.json');
    const file = parseWeightFile(JSON.parse(weights.bytes.toString('utf8')));
    expect(file.config).toEqual({ n: 32, r: 2, d: 8, m: 32, heads: 1, seqLen: 2 });
    expect(file.facts).toEqual({ n: 32, r: 2, seed: 5 });
    expect(file.meta).toMatchObject({ madeBy: 'explorable', steps: 5, optimizer: 'sgd', lr: 0.1, momentum: 0.9, embedLrMult: 30, weightDecay: 0, freezeSubjects: false, uniformAttention: false });
    weightFile = weights.bytes;

    // The accuracy of exactly these weights is what the next step measures (before its update).
    await page.click('[data-testid="step"]');
    await waitFor('step 6', async () => (await statusOf(page)).step >= 6);
    const s = await statusOf(page);
    exported = { accuracyMin: s.accuracyMin, accuracyText: (await page.textContent('[data-testid="accuracy"]')) ?? '', loss: s.lastLoss };
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 240_000);

  it('loads the weight file back: same settings and accuracy, and play trains it on', async () => {
    expect(weightFile).toBeDefined();
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?n=16&r=1&d=4&m=8&backend=wasm`);
    await waitFor('the first run', async () => (await statusOf(page)).backend === 'wasm');
    await page.setInputFiles('[data-testid="import-weights"]', { name: 'w.json', mimeType: 'application/json', buffer: weightFile });
    await page.waitForSelector('[data-testid="file-notice"][data-kind="ok"]', { timeout: 60_000 });
    await waitFor('the loaded model at step 5', async () => (await statusOf(page)).step === 5 && Number.isFinite((await statusOf(page)).accuracyMin));
    const s = await statusOf(page);
    expect(s.accuracyMin).toBe(exported.accuracyMin);
    expect(await page.textContent('[data-testid="accuracy"]')).toBe(exported.accuracyText);
    expect(Math.abs(s.lastLoss - exported.loss)).toBeLessThanOrEqual(1e-4 * Math.max(1, exported.loss));
    for (const [key, value] of Object.entries({ n: '32', r: '2', d: '8', m: '32', seed: '5' })) {
      expect(await page.inputValue(`[data-testid="field-${key}"]`)).toBe(value);
    }
    expect(new URL(page.url()).search).toMatch(/^\?n=32&d=8&m=32(&|$)/); // r=2 and seed=5 are the defaults
    await page.click('[data-testid="play"]');
    await waitFor('training on from step 5', async () => (await statusOf(page)).step > 20, 60_000);
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('refuses bad files with a notice, and the current run goes on unchanged', async () => {
    expect(weightFile).toBeDefined();
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?${SLOW_RUN}&autoplay=1`);
    await waitFor('training to run', async () => (await statusOf(page)).status === 'running' && (await statusOf(page)).step > 5);
    const url = page.url();
    const good = JSON.parse(weightFile.toString('utf8'));
    const wrongShape = structuredClone(good);
    wrongShape.tensors.subjectEmbedding.shape = [31, 8];
    const withNull = structuredClone(good);
    withNull.tensors['mlp.out'].data[3] = null;
    const bad: [string, string, RegExp][] = [
      ['not-json.json', 'hello, this is not JSON', /not valid JSON/],
      ['wrong-format.json', JSON.stringify({ format: 'something-else', version: 1 }), /"format" must be "factual-recall-weights"/],
      ['wrong-shape.json', JSON.stringify(wrongShape), /must have shape \[32,8\]/],
      ['nan.json', weightFile.toString('utf8').replace(/"data":\[[^,\]]+/, '"data":[NaN'), /not valid JSON/],
      ['null.json', JSON.stringify(withNull), /non-number at index 3/],
      ['empty.json', '', /empty/],
    ];
    for (const [i, [name, text, reason]] of bad.entries()) {
      const before = (await statusOf(page)).step;
      if (i % 2 === 0) {
        await page.setInputFiles('[data-testid="import-weights"]', { name, mimeType: 'application/json', buffer: Buffer.from(text) });
      } else {
        // Dropped on the page instead of chosen.
        await page.evaluate(
          ([n, t]) => {
            const data = new DataTransfer();
            data.items.add(new File([t], n, { type: 'application/json' }));
            for (const type of ['dragenter', 'dragover', 'drop']) document.body.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
          },
          [name, text],
        );
      }
      const notice = await page.waitForSelector('[data-testid="file-notice"][data-kind="error"]', { timeout: 30_000 });
      const message = (await notice.textContent()) ?? '';
      expect(message).toContain(name);
      expect(message).toMatch(reason);
      expect(message).toContain('The current run is unchanged');
      await waitFor(`the run to go on after ${name}`, async () => (await statusOf(page)).step > before + 3, 30_000).catch(async (e) => {
        throw new Error(`${(e as Error).message}; status ${JSON.stringify(await statusOf(page))}, from step ${before}`);
      });
      expect((await statusOf(page)).status).toBe('running');
      await page.click('[data-testid="file-notice"] button');
      expect(await page.$('[data-testid="file-notice"]')).toBeNull();
    }
    expect(page.url()).toBe(url);
    expect(await page.inputValue('[data-testid="field-n"]')).toBe('64');
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();
  }, 240_000);
});

describe('teaching presets', () => {
  it('a preset link sets the documented settings, says what it shows, and stays in the URL', async () => {
    for (const id of ['tiny', 'frozen', 'construction'] as const) {
      const preset = presetById(id)!;
      const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?preset=${id}&backend=wasm`);
      await page.waitForSelector('[data-testid="preset-explanation"]');
      expect(await page.textContent('[data-testid="preset-explanation"]')).toContain(preset.explanation);
      const s = preset.settings;
      if (s.construction) expect(await page.isDisabled('[data-testid="load-construction"]')).toBe(true);
      for (const [key, value] of Object.entries({ n: s.n, r: s.r, d: s.d, m: s.m, lr: s.lr, seed: s.seed })) {
        expect(await page.inputValue(`[data-testid="field-${key}"]`)).toBe(String(value));
      }
      expect(await page.isChecked('#field-freeze')).toBe(s.freezeSubjects);
      const search = new URL(page.url()).searchParams;
      expect(search.get('preset')).toBe(id);
      expect(search.get('autoplay')).toBe(preset.autoplay ? '1' : null);
      // The address bar reproduces the run, with or without the preset key.
      expect(parsePageState(readShareParams(`?${search}`).search).state.settings).toEqual(s);
      search.delete('preset');
      expect(parsePageState(`?${search}`).state.settings).toEqual(s);
      if (preset.autoplay) await waitFor('the preset to train', async () => (await statusOf(page)).step > 0);
      else {
        // The construction: nothing trains; one step shows every fact right at step 0.
        await page.waitForSelector('[data-testid="figure-gating"]', { timeout: 60_000 });
        expect((await statusOf(page)).step).toBe(0);
        await page.click('[data-testid="step"]');
        await waitFor('one step', async () => (await statusOf(page)).step === 1, 60_000);
        expect((await statusOf(page)).accuracyMin).toBe(1);
      }
      expect(log.consoleErrors).toEqual([]);
      await page.context().close();
    }
  }, 120_000);

  it('the menu applies a preset, and leaving its settings drops it from the URL', async () => {
    const { page } = await openPage(fixture.browser, `${fixture.site.url}?n=32&r=2&d=8&m=32&backend=wasm`);
    await page.selectOption('[data-testid="preset-menu"]', 'logd');
    await waitFor('the preset in the URL', async () => new URL(page.url()).searchParams.get('preset') === 'logd');
    expect(await page.inputValue('[data-testid="field-d"]')).toBe('40');
    await page.fill('[data-testid="field-d"]', '41');
    await page.press('[data-testid="field-d"]', 'Enter');
    await waitFor('the preset to leave the URL', async () => !new URL(page.url()).searchParams.has('preset'));
    expect(await page.$('[data-testid="preset-explanation"]')).toBeNull();
    await page.context().close();
  }, 120_000);
});

// Keep the list of embed values in one place: the test above runs one case per value.
const _exhaustive: Record<EmbedName, true> = { training: true, projection: true, gating: true, capacity: true, multihop: true, optimizers: true, assoc: true, graph: true };
void _exhaustive;
