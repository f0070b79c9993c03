import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, rejectsEachUsage } from '../../cli/cliTestKit';

/** The graph command line as a user runs it: `npm run cli -- graph …`. */
const graphCli = (args: string[]) => cli(['graph', ...args]);

const dir = mkdtempSync(join(tmpdir(), 'graph-cli-test-'));

describe('the graph command line', () => {
  rejectsEachUsage('graph', {}, graphCli);

  it('train prints one JSON line and writes its trajectory', async () => {
    const out = join(dir, 'cycle.json');
    const run = await graphCli(['train', '--graph', 'cycle', '--nodes', '6', '--steps', '30', '--seed', '1', '--backend', 'cpu', '--out', out]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ graph: 'cycle-6', model: 'transformer', seed: 1, steps: 30, d: 32, backend: 'cpu', frames: 31 });
    expect(line.atEnd).toMatchObject({ step: 30, topK: expect.any(Number), geometric: expect.any(Number), ring: expect.any(Boolean) });
    const file = JSON.parse(readFileSync(out, 'utf8'));
    expect(file.format).toBe('factual-recall-graph-train');
    expect(file.frames).toHaveLength(31);
    expect(file.frames[0].pca).toHaveLength(12);
  }, 60_000);

  it('path prints the learned and frozen arms', async () => {
    const run = await graphCli(['path', '--branches', '2', '--length', '2', '--edge-steps', '10', '--path-steps', '5', '--d', '8', '--backend', 'cpu']);
    expect(run.code).toBe(0);
    const line = JSON.parse(run.stdout.trim());
    expect(line.graph).toBe('star-2x2');
    expect(line.learned.predicted).toHaveLength(2);
    expect(line.frozen.heldOutAccuracy).toBeGreaterThanOrEqual(0);
  }, 60_000);
});
