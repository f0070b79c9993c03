/** The `transfer`, `multihop` and `capacity` commands as a user runs them (see cli.test.ts for the others). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneErrorLine, usageCases } from './cliTestKit';


const dir = mkdtempSync(join(tmpdir(), 'cli-chapters-test-'));
const malformed = join(dir, 'malformed.json');
writeFileSync(malformed, '{"format": "factual-recall-weights", "version": 1, ');

describe('cli: transfer and multihop', () => {
  it('transfer of the construction: zero-shot 100%, then both retraining runs', async () => {
    const weights = join(dir, 'construction.json');
    const built = await cli(['construct', '--n', '32', '--r', '2', '--weights', weights]);
    expect(built.code, built.stderr).toBe(0);
    const run = await cli(['transfer', '--weights', weights, '--steps', '200', '--seed', '3']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const t = JSON.parse(lines[0]);
    expect(t.zeroShotAccuracyByRelation).toEqual([1, 1]);
    expect(t.superpositionFitR2).toBeGreaterThan(0.999);
    expect(t.config).toMatchObject({ n: 32, r: 2, seed: 3, steps: 200, lr: 0.01 });
    for (const key of ['embeddingsOnly', 'fromScratch']) {
      expect(t[key].accuracyByRelation).toHaveLength(2);
      expect(t[key].steps).toBeLessThanOrEqual(200);
      expect(t[key]).toHaveProperty('stepsTo100');
    }
    expect(t.embeddingsOnly.trainedParameters).toBe(32 * t.config.d);
  });

  it('multihop on a small config: one JSON line with single-hop, CoT and direct accuracy', async () => {
    const run = await cli(['multihop', '--n', '16', '--r', '2', '--d', '16', '--m', '64', '--steps', '300', '--seed', '1']);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const h = JSON.parse(lines[0]);
    expect(h.config).toMatchObject({ n: 16, r: 2, d: 16, m: 64, hops: 2, steps: 300, seed: 1, lr: 0.01, sample: null });
    expect(h.chainQueries).toBe(64);
    expect(h.singleHopAccuracy).toBe(1);
    expect(h.cotAccuracy).toBe(1);
    for (const key of ['directAccuracy', 'directSingleHopAccuracy']) expect(h[key]).toBeGreaterThanOrEqual(0);
    expect(h.directAccuracyByChain).toHaveLength(4);
    expect(run.stderr).toMatch(/direct step \d+/);
  });

  it('capacity on a small grid: points for every arm and N, fits, and the full report in --out', async () => {
    const out = join(dir, 'capacity.json');
    const run = await cli(['capacity', '--n', '32,16', '--r', '2', '--m', '32', '--steps', '300', '--d-max', '24', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const c = JSON.parse(lines[0]);
    expect(c.settings).toMatchObject({ ns: [16, 32], r: 2, m: 32, steps: 300, dMax: 24, arms: ['learned', 'frozen'] });
    expect(c.points).toHaveLength(6);
    expect(c.points.filter((p: { arm: string }) => p.arm === 'construction').map((p: { dMin: number }) => p.dMin)).toEqual([14, 17]);
    for (const p of c.points) if (p.arm !== 'construction') expect(p.dMin === null || (p.dMin >= 2 && p.dMin <= 24)).toBe(true);
    expect(c.fits.construction).toMatchObject({ slope: 3, intercept: 2 });
    const full = JSON.parse(readFileSync(out, 'utf8'));
    expect(full.format).toBe('factual-recall-capacity');
    expect(full.trials.length).toBe(c.trials);
    expect(full.trials.every((t: { steps: number }) => t.steps <= 300)).toBe(true);
  });

  it.concurrent.each(usageCases('chapters', { DIR: dir, MALFORMED: malformed }))('rejects %j with one line naming %s', async (args, name) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expectOneErrorLine(run, name);
  });

  it('names the accepted range of --hops', async () => {
    const run = await cli(['multihop', '--n', '16', '--r', '2', '--d', '8', '--hops', '3']);
    expect(run.stderr.trim()).toBe('error: multihop: --hops: hops (relations per query) must be an integer from 2 to 2; got "3"');
  });
});
