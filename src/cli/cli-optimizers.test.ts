/** The `optimizers` command as a user runs it: one JSON line, the records in --out, and bad values refused. */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneErrorLine, usageCases } from './cliTestKit';

const dir = mkdtempSync(join(tmpdir(), 'cli-optimizers-test-'));

describe('cli: optimizers', () => {
  it('a tiny sweep: one JSON line with a row per run and the table, every record in --out', async () => {
    const out = join(dir, 'optimizers.json');
    const run = await cli(['optimizers', '--n', '32', '--r', '2', '--seeds', '2,1', '--optimizers', 'adam,gd', '--d', '16', '--m', '32', '--steps', '60', '--probe-every', '30', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const o = JSON.parse(lines[0]);
    expect(o.settings).toEqual({ ns: [32], rs: [2], seeds: [1, 2], optimizers: ['adam', 'gd'], d: 16, m: 32, steps: 60, probeEvery: 30 });
    expect(o.backend).toBe('wasm');
    expect(o.runs).toHaveLength(4);
    for (const r of o.runs) {
      expect(['adam', 'gd']).toContain(r.optimizer);
      expect(r.probeHeldOut).toHaveLength(2);
      for (const key of ['superpositionR2', 'knockoutDiagonal', 'knockoutOffDiagonal', 'zeroShot', 'transferValidation']) expect(typeof r[key]).toBe('number');
      expect(r).toHaveProperty('stepsTo100');
    }
    expect(o.table.map((t: { optimizer: string }) => t.optimizer)).toEqual(['adam', 'gd']);
    expect(o.table[0]).toMatchObject({ n: 32, r: 2, seeds: 2 });
    expect(o.table[0].probeMin.count).toBe(2);
    expect(run.stderr).toMatch(/optimizers \[wasm\] N=32 R=2 seed \d/);

    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file).toMatchObject({ format: 'factual-recall-optimizers', version: 1, complete: true, backend: 'wasm' });
    expect(file.records).toHaveLength(4);
    const rec = file.records[0];
    expect(rec).toMatchObject({ n: 32, r: 2, d: 16, m: 32, seed: 1, optimizer: 'adam', steps: 60 });
    expect(rec.settings).toMatchObject({ optimizer: 'adam', lr: 0.01 });
    // Probes at steps 0, 30 and 60.
    expect(rec.probes.map((p: { step: number }) => p.step)).toEqual([0, 30, 60]);
    expect(rec.geometry.probeHeldOut).toHaveLength(2);
  });

  it.concurrent.each(usageCases('optimizers', { DIR: dir }))('rejects %j with one line naming %s', async (args, name) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expectOneErrorLine(run, name);
  });
});
