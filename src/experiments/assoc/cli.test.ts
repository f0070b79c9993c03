import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, rejectsEachUsage } from '../../cli/cliTestKit';

const dir = mkdtempSync(join(tmpdir(), 'assoc-cli-test-'));

describe('npm run cli -- assoc', () => {
  rejectsEachUsage('assoc');

  it('train prints one JSON line and writes its curve', async () => {
    const out = join(dir, 'curve.json');
    const run = await cli(['assoc', 'train', '--model', 'linear', '--steps', '20', '--batch', '64', '--every', '5', '--out', out, '--backend', 'cpu']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ model: 'linear', steps: 20, parameters: 41 * 41 + 41 * 32, stepsTo99: null, plateau: null });
    expect(line.loss).toBeCloseTo(Math.log(32), 2);
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.format).toBe('factual-recall-assoc-train');
    expect(file.curve.map((p: { step: number }) => p.step)).toEqual([0, 5, 10, 15, 19]);
  }, 60_000);
});
