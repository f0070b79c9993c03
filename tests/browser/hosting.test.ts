/**
 * Static hosting: the built site (what `npm run build` writes to dist/) served by a plain static
 * file server under a sub-path (/demo/), with nothing from any other origin: the page, both workers
 * and the wasm binaries load from under /demo/, a small run trains to 100%, and the chapters'
 * experiment worker runs there too. The download: one copy of tfjs-core for both workers, no Layers
 * API, the GPU backends only when chosen, no source maps.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openPage, statusOf } from './harness';
import { useSite } from './fixture';

const fixture = useSite({ base: '/demo/' });

describe('static hosting under a sub-path', () => {
  it('the built files refer to each other by relative paths only', () => {
    const html = readFileSync(join(fixture.root, 'index.html'), 'utf8');
    const refs = [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(1);
    for (const ref of refs) expect(ref, ref).toMatch(/^(\.\/|data:)/);
    const assets = readdirSync(join(fixture.root, 'assets'));
    expect(assets.filter((f) => f.endsWith('.wasm')).length).toBe(3);
    expect(assets.some((f) => /^trainingWorker-.*\.js$/.test(f))).toBe(true);
    expect(assets.some((f) => /^experimentWorker-.*\.js$/.test(f))).toBe(true);
    // TensorFlow.js stays in the workers: on the page it would read (and choke on) the query string.
    // The page's scripts: every chunk reachable from index.html's entry, not going into a worker.
    const pageScripts = new Set<string>();
    const queue = refs.filter((r) => r.endsWith('.js')).map((r) => r.replace(/^\.\/assets\//, ''));
    while (queue.length > 0) {
      const f = queue.pop()!;
      if (pageScripts.has(f) || /Worker-/.test(f) || !assets.includes(f)) continue;
      pageScripts.add(f);
      for (const m of readFileSync(join(fixture.root, 'assets', f), 'utf8').matchAll(/["'`]\.\/([\w.-]+\.js)["'`]/g)) queue.push(m[1]);
    }
    expect(pageScripts.size).toBeGreaterThan(3);
    for (const f of pageScripts) expect(readFileSync(join(fixture.root, 'assets', f), 'utf8').includes('tfjsflags'), f).toBe(false);
  });

  it('ships one copy of tfjs-core for both workers, without the Layers API, and no source maps', async () => {
    const assets = readdirSync(join(fixture.root, 'assets'));
    const scripts = assets.filter((f) => f.endsWith('.js'));
    const holding = (text: string) => scripts.filter((f) => readFileSync(join(fixture.root, 'assets', f), 'utf8').includes(text));
    // tfjs-core's flag parser ('tfjsflags') lives in exactly one chunk, tfjs-<hash>.js; both workers import it.
    expect(holding('tfjsflags')).toEqual([expect.stringMatching(/^tfjs-[\w-]+\.js$/)]);
    expect(holding('LayersModel')).toEqual([]);
    for (const worker of scripts.filter((f) => /^(training|experiment)Worker-/.test(f))) {
      const scope = readFileSync(join(fixture.root, 'assets', worker), 'utf8').match(worker.startsWith('training') ? /trainingScope-[\w-]+\.js/ : /experimentScope-[\w-]+\.js/);
      expect(scope, worker).not.toBeNull();
      expect(readFileSync(join(fixture.root, 'assets', scope![0]), 'utf8'), worker).toContain(`./${holding('tfjsflags')[0]}`);
    }
    // npm run build makes no maps unless asked (SOURCEMAP=1); the test build here follows the same config.
    expect(assets.filter((f) => f.endsWith('.map'))).toEqual([]);
    const previous = process.env.SOURCEMAP;
    delete process.env.SOURCEMAP;
    try {
      const { default: viteConfig } = await import('../../vite.config');
      expect(viteConfig.build?.sourcemap).toBe(false);
    } finally {
      if (previous !== undefined) process.env.SOURCEMAP = previous;
    }
  });

  it('trains to 100% from /demo/ with every request under /demo/ and none failed or to another origin', async () => {
    const { page, log } = await openPage(fixture.browser, `${fixture.site.url}?autoplay=1&n=32&r=2&d=8&m=32&opt=adam`);
    expect(fixture.site.url).toMatch(/\/demo\/$/);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="status"]')?.getAttribute('data-accuracy-min')) === 1, undefined, { timeout: 120_000 });
    const status = await statusOf(page);
    expect(status.backend).toBe('wasm'); // no GPU here: the wasm binary came from /demo/assets/
    expect(fixture.site.requests.every((p) => p.startsWith('/demo/')), fixture.site.requests.join(' ')).toBe(true);
    expect(fixture.site.requests.some((p) => /^\/demo\/assets\/trainingWorker-[^/]*\.js$/.test(p))).toBe(true);
    expect(fixture.site.requests.some((p) => /^\/demo\/assets\/tfjs-backend-wasm[^/]*\.wasm$/.test(p))).toBe(true);
    expect(fixture.site.requests.some((p) => /^\/demo\/assets\/tfjs-[\w-]+\.js$/.test(p))).toBe(true);
    // On wasm the GPU backends are never fetched.
    expect(fixture.site.requests.filter((p) => /tfjs-web(gpu|gl)-/.test(p))).toEqual([]);

    // The chapters' second worker: a zero-shot transfer on the trained model.
    await page.click('[data-testid="transfer-zero-shot-run"]');
    await page.waitForSelector('[data-testid="transfer-zero-shot"]', { timeout: 120_000 });
    expect(fixture.site.requests.some((p) => /^\/demo\/assets\/experimentWorker-[^/]*\.js$/.test(p))).toBe(true);

    expect(log.failedRequests).toEqual([]);
    expect(log.foreignRequests).toEqual([]);
    expect(log.consoleErrors).toEqual([]);
    await page.context().close();

    // An embed view from the same sub-path.
    const embed = await openPage(fixture.browser, `${fixture.site.url}?embed=gating&autoplay=1&n=32&r=2&d=8&m=32&opt=adam`);
    await embed.page.waitForFunction(() => Number(document.querySelector('[data-testid="status"]')?.getAttribute('data-accuracy-min')) === 1, undefined, { timeout: 120_000 });
    await embed.page.waitForSelector('[data-testid="figure-gating"]', { timeout: 60_000 });
    expect(embed.log.failedRequests).toEqual([]);
    expect(embed.log.foreignRequests).toEqual([]);
    expect(embed.log.consoleErrors).toEqual([]);
    expect(fixture.site.requests.every((p) => p.startsWith('/demo/')), fixture.site.requests.join(' ')).toBe(true);
    await embed.page.context().close();
  }, 240_000);
});
