/** The CLI as a user runs it: a real child process, its exit status, its stdout JSON, its stderr line. */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneErrorLine, usageCases } from './cliTestKit';


const dir = mkdtempSync(join(tmpdir(), 'cli-test-'));
const malformed = join(dir, 'malformed.json');
writeFileSync(malformed, '{"format": "factual-recall-weights", "version": 1, ');
const wrongShape = join(dir, 'wrong-shape.json');
writeFileSync(wrongShape, JSON.stringify({ format: 'factual-recall-weights', version: 1, config: { n: 4, r: 1, d: 2, m: 2, heads: 1, seqLen: 2 }, facts: { n: 4, r: 1, seed: 0 }, tensors: { subjectEmbedding: { shape: [3, 2], data: [0, 0, 0, 0, 0, 0] } } }));

describe('cli', () => {
  it('train → weights file → eval gives the same accuracies; construct reports d*', async () => {
    const weights = join(dir, 'w.json');
    const trained = await cli(['train', '--n', '64', '--r', '2', '--d', '16', '--m', '64', '--seed', '1', '--steps', '500', '--weights', weights]);
    expect(trained.code, trained.stderr).toBe(0);
    const result = JSON.parse(trained.stdout.trim());
    expect(result.backend).toBe('wasm');
    expect(result.stepsTo100).toBeLessThanOrEqual(500);
    expect(result.accuracyByRelation).toEqual([1, 1]);
    expect(result.config).toMatchObject({ n: 64, r: 2, d: 16, m: 64 });
    expect(typeof result.stepsPerSecond).toBe('number');
    expect(trained.stderr).toMatch(/step \d+/); // progress was shown
    const evaluated = await cli(['eval', '--weights', weights]);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    const ev = JSON.parse(evaluated.stdout.trim());
    expect(ev.accuracyByRelation).toEqual(result.accuracyByRelation);
    expect(ev.loss).toBe(result.loss);

    const built = await cli(['construct', '--n', '1000', '--r', '3', '--sample', '500']);
    expect(built.code, built.stderr).toBe(0);
    const c = JSON.parse(built.stdout.trim());
    expect(c).toMatchObject({ d: 4 * 10 + 3, m: 60, factsEvaluated: 500, accuracyByRelation: [1, 1, 1] });
  });

  it('measure on the construction: probes exact, R² 1, selectivity 1, a diagonal knock-out matrix', async () => {
    const weights = join(dir, 'construction.json');
    const built = await cli(['construct', '--n', '128', '--r', '3', '--weights', weights]);
    expect(built.code, built.stderr).toBe(0);
    const run = await cli(['measure', '--weights', weights]);
    expect(run.code, run.stderr).toBe(0);
    const m = JSON.parse(run.stdout.trim());
    expect(m.probeHeldOutAccuracy).toEqual([1, 1, 1]);
    expect(m.superpositionR2).toBeGreaterThan(0.999);
    expect(m.gatingSelectivity).toBe(1);
    expect(m.probeLambda).toHaveLength(3);
    // The relation-symmetric baseline is a reference (about 1/R here); the control of unrelated bijections explains nothing.
    expect(Math.abs(m.superpositionBaselineR2 - 1 / 3)).toBeLessThan(0.1);
    expect(m.superpositionControlR2).toBeLessThan(0.05);
    expect(m.superpositionFeaturesPerSubject).toBeCloseTo((3 * m.config.d) / (128 - m.heldOutSubjects), 3);
    expect(m.superpositionInterpolates).toBe(m.superpositionFeaturesPerSubject >= 0.8);
    expect(m.knockoutThreshold).toBe(0.5);
    expect(m.knockoutSelectiveUnits).toEqual([14, 14, 14]);
    expect([m.knockoutSharedUnits, m.knockoutDeadUnits]).toEqual([0, 0]);
    expect(m.knockoutDiagonalMean).toBeLessThan(0.05);
    expect(m.knockoutOffDiagonalMean).toBe(1);
    m.knockoutAccuracy.forEach((row: number[], k: number) => row.forEach((a, r) => (r === k ? expect(a).toBeLessThan(0.05) : expect(a).toBe(1))));
  });

  const target = join(dir, 'never.json');
  it.concurrent.each(usageCases('train', { DIR: dir, MALFORMED: malformed, WRONG_SHAPE: wrongShape, TARGET: target }))('rejects %j with a message naming %s, writing nothing', async (args, name) => {
    const withOutput = args[0] === 'train' && !args.includes('--weights') ? [...args, '--weights', target] : args;
    const run = await cli(withOutput);
    expect(run.code).not.toBe(0);
    expectOneErrorLine(run, name);
    expect(existsSync(target)).toBe(false);
  });

  // The optimiser flags of every command that trains: bad values exit 2 with one line naming the flag.
  it.concurrent.each(usageCases('optimiserFlags', { DIR: dir, MALFORMED: malformed }))('optimiser flags: rejects %j with exit 2 and one line naming %s', async (args, name) => {
    const withOutput = args[0] === 'train' ? [...args, '--weights', target] : args;
    const run = await cli(withOutput);
    expect(run.code).toBe(2);
    expectOneErrorLine(run, name);
    expect(existsSync(target)).toBe(false);
  });

  it('names the accepted range', async () => {
    const run = await cli(['train', '--n', '0']);
    expect(run.stderr).toContain('from 2 to 8192');
    expect(readFileSync(malformed, 'utf8')).toContain('factual-recall-weights'); // inputs untouched
  });
});
