/** The `fixtures` command as a user runs it: the gallery's files, readable by the gallery, small; bad flags refused. */
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, expectOneErrorLine } from './cliTestKit';
import { checkFixture, gatingFromJson, projectionFromJson, type OptimizerCurvesFixture, type PlaygroundFixture, type TransferFixture } from '../ui/gallery/fixtureFormat';
import { mergeCapacityFiles, parseCapacityFile } from '../experiments/capacity/data';
import { parseMultihopFile } from '../experiments/multihop/data';
import { parseOptimizerFile } from '../experiments/optimizers/optimizerData';

const dir = mkdtempSync(join(tmpdir(), 'cli-fixtures-test-'));
const FILES = ['playground.json', 'transfer.json', 'optimizer-curves.json', 'capacity-learned.json', 'capacity-frozen.json', 'multihop.json', 'optimizers.json', 'assoc-sweep.json', 'assoc-capacity.json'];

describe('cli: fixtures', () => {
  it('writes every fixture the gallery reads, in its format, a few hundred KB at most', async () => {
    const run = await cli(['fixtures', '--out', dir, '--steps', '30']);
    expect(run.code, run.stderr).toBe(0);
    const printed = JSON.parse(run.stdout.trim());
    expect(printed.files.map((f: { file: string }) => f.file)).toEqual(FILES.map((f) => join(dir, f)));
    const bytes = FILES.reduce((a, f) => a + statSync(join(dir, f)).size, 0);
    expect(printed.bytes).toBe(bytes);
    expect(bytes).toBeLessThan(300_000);
    const read = (f: string) => JSON.parse(readFileSync(join(dir, f), 'utf8'));

    const playground = read('playground.json') as PlaygroundFixture;
    checkFixture('playground.json', playground);
    const { n, r, m } = playground.settings;
    expect(playground.step).toBe(30);
    expect(playground.history.steps).toHaveLength(30);
    expect(playground.history.accuracy[0]).toHaveLength(r);
    expect(playground.projections.map((p) => p.relation)).toEqual([...Array(r).keys()]);
    const projection = projectionFromJson(playground.projections[0]);
    expect(projection.scores).toHaveLength(32 * n);
    expect(gatingFromJson(playground.gating).active).toHaveLength(m * r);
    expect(playground.probe.heldOutAccuracy).toHaveLength(r);
    expect(playground.knockout.accuracy).toHaveLength(r);

    const transfer = read('transfer.json') as TransferFixture;
    checkFixture('transfer.json', transfer);
    expect(transfer.modelStep).toBe(30);
    expect(transfer.config).toMatchObject({ n, r, m });
    expect(transfer.zero.accuracyByRelation).toHaveLength(r);
    expect(transfer.zero.heldOutSubjects + transfer.zero.fittedSubjects).toBe(n);

    const curves = read('optimizer-curves.json') as OptimizerCurvesFixture;
    checkFixture('optimizer-curves.json', curves);
    expect(curves.runs.map((x) => x.optimizer)).toEqual(['adam', 'sgd', 'gd', 'sign']);
    expect(curves.runs.every((x) => x.curve.length > 0 && x.probes.length > 0 && x.seconds === 0)).toBe(true);

    expect(mergeCapacityFiles([parseCapacityFile(read('capacity-learned.json')), parseCapacityFile(read('capacity-frozen.json'))]).ok).toBe(true);
    expect(parseMultihopFile(read('multihop.json')).ok).toBe(true);
    expect(parseOptimizerFile(read('optimizers.json')).ok).toBe(true);
  });

  it('refuses a missing --out and a folder that does not exist', async () => {
    expectOneErrorLine(await cli(['fixtures']), '--out');
    expectOneErrorLine(await cli(['fixtures', '--out', join(dir, 'nowhere')]), '--out');
  });
});
