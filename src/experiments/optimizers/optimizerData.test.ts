import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OptimizerName } from '../../core/training/optimizerSettings';
import { optimizerSettings } from '../../core/training/optimizerSettings';
import type { OptimizerRun } from './optimizerSweep';
import type { GeometrySummary, OptimizerSweepRecord } from './optimizerTable';
import { fileCommand, firstCleanStep, liveSentences, parseOptimizerFile, summarizeOptimizerCurves, sweepStory, type OptimizerFile } from './optimizerData';

const geometry = (probeMin: number, extra: Partial<GeometrySummary> = {}): GeometrySummary => ({
  chance: 1 / 256,
  heldOutSubjects: 51,
  probeHeldOut: [probeMin, Math.min(1, probeMin + 0.02)],
  probeMin,
  probeMean: probeMin + 0.01,
  superpositionR2: 0.9,
  superpositionTrainR2: 0.95,
  baselineR2: 0.6,
  controlR2: 0,
  interpolates: false,
  gatingSelectivity: 0.4,
  selectivityThreshold: 0.5,
  selectiveUnits: 100,
  sharedUnits: 50,
  knockoutDiagonal: 0.2,
  knockoutOffDiagonal: 0.9,
  zeroShot: [0.4, 0.3],
  zeroShotMean: 0.35,
  transferValidation: [1, 1],
  transferValidationMean: 1,
  ...extra,
});

function record(optimizer: OptimizerName, r: number, seed: number, probeMin: number, extra: Partial<GeometrySummary> = {}, stepsTo100: number | null = 60): OptimizerSweepRecord {
  const g = geometry(probeMin, extra);
  const fix = (xs: number[]) => Array.from({ length: r }, (_, i) => xs[i % xs.length]);
  return {
    n: 256,
    r,
    d: 32,
    m: 256,
    seed,
    optimizer,
    settings: optimizerSettings(optimizer),
    steps: 1000,
    stepsTo100,
    divergedAt: null,
    loss: 0.01,
    accuracyByRelation: fix([1]),
    probes: [{ step: 0, heldOut: fix([0]) }],
    geometry: { ...g, probeHeldOut: fix(g.probeHeldOut), zeroShot: fix(g.zeroShot), transferValidation: fix(g.transferValidation) },
    seconds: 1,
  };
}

const fileOf = (records: OptimizerSweepRecord[]) => ({
  format: 'factual-recall-optimizers',
  version: 1,
  backend: 'wasm',
  complete: true,
  settings: { ns: [256], rs: [...new Set(records.map((x) => x.r))], seeds: [1, 2], optimizers: ['adam', 'sgd', 'gd', 'sign'], d: 32, m: 256, steps: 1000, probeEvery: 100 },
  records,
});

const SWEEP = [
  ...[1, 2].flatMap((seed) => [
    record('adam', 2, seed, 0.6 + seed * 0.05),
    record('sgd', 2, seed, 0.92 + seed * 0.02, { zeroShotMean: 0.5, knockoutDiagonal: 0.15 }),
    record('gd', 2, seed, 0.85 + seed * 0.05),
    record('sign', 2, seed, 0.5),
    record('adam', 8, seed, 0.05, { interpolates: true }, null),
    record('sgd', 8, seed, 0.1, { interpolates: true }),
    record('gd', 8, seed, 0.08, { interpolates: true, knockoutDiagonal: 0.01, zeroShotMean: 0.02 }, null),
    record('sign', 8, seed, 0.02, { interpolates: true }, null),
  ]),
];

describe('parseOptimizerFile', () => {
  it('reads the files the CLI wrote (the page bundles them)', () => {
    for (const name of ['n256', 'n512']) {
      const parsed = parseOptimizerFile(JSON.parse(readFileSync(`src/experiments/optimizers/optimizers-${name}.json`, 'utf8')));
      expect(parsed.ok, parsed.ok ? '' : parsed.message).toBe(true);
      if (!parsed.ok) continue;
      const { settings, records } = parsed.data;
      expect(records.length).toBeGreaterThan(0);
      for (const rec of records) {
        expect(settings.ns).toContain(rec.n);
        if (rec.geometry) expect(rec.geometry.probeHeldOut).toHaveLength(rec.r);
      }
    }
  });

  it('reads a well-formed file: NaN written as null comes back as NaN', () => {
    const json = JSON.parse(JSON.stringify(fileOf([record('adam', 1, 1, 0.5, { knockoutOffDiagonal: NaN })])));
    const parsed = parseOptimizerFile(json);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.data.records[0].geometry!.knockoutOffDiagonal).toBeNaN();
  });

  it.each([
    ['not an object', 5, /format/],
    ['another format', { ...fileOf(SWEEP), format: 'factual-recall-capacity' }, /format/],
    ['another version', { ...fileOf(SWEEP), version: 2 }, /version 2/],
    ['no records', { ...fileOf(SWEEP), records: [] }, /no records/],
    ['bad settings', { ...fileOf(SWEEP), settings: { ...fileOf(SWEEP).settings, d: 'x' } }, /settings/],
    ['a bad optimiser', fileOf([{ ...record('adam', 2, 1, 0.5), optimizer: 'rmsprop' as OptimizerName }]), /record 0/],
    ['a short probe list', fileOf([{ ...record('adam', 2, 1, 0.5), geometry: { ...geometry(0.5), probeHeldOut: [0.5] } }]), /record 0/],
    ['a record outside the grid', fileOf([{ ...record('adam', 2, 1, 0.5), seed: 9 }]), /not in the file's grid/],
    ['a run twice', fileOf([record('adam', 2, 1, 0.5), record('adam', 2, 1, 0.5)]), /twice/],
  ])('refuses %s', (_what, json, why) => {
    const parsed = parseOptimizerFile(json);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(why);
  });

  it('prints the command that makes the file', () => {
    const parsed = parseOptimizerFile(fileOf(SWEEP));
    expect(parsed.ok).toBe(true);
    if (parsed.ok)
      expect(fileCommand(parsed.data, 'src/ui/data/x.json')).toBe(
        'npm run cli -- optimizers --n 256 --r 2,8 --seeds 1,2 --optimizers adam,sgd,gd,sign --d 32 --m 256 --steps 1000 --probe-every 100 --out src/ui/data/x.json',
      );
  });
});

describe('sweepStory: sentences from the numbers', () => {
  const parsed = parseOptimizerFile(fileOf(SWEEP));
  const file = (parsed as { ok: true; data: OptimizerFile }).data;
  const story = sweepStory(file);
  const text = story.sentences.join('\n');

  it('ranks the optimisers per R and names the clean ones', () => {
    expect(story.sentences[0]).toBe(
      'N = 256, R = 2: held-out probe accuracy (lowest relation, mean over 2 seeds, range) — SGD 0.95 (0.94–0.96); GD 0.93 (0.90–0.95); Adam 0.68 (0.65–0.70); sign descent 0.50. Clean (≥ 0.9 on every relation, every seed): SGD and GD.',
    );
  });
  it('says where nothing is clean', () => {
    expect(story.sentences[1]).toMatch(/^N = 256, R = 8: .* No optimiser is clean here: the best, SGD, reaches 0\.10 on its weakest relation\.$/);
  });
  it('the knock-out diagonal against chance, the best transfer, the R² gap, interpolation, the sign test, unreached runs', () => {
    expect(text).toMatch(/Knock-out: zeroing a relation's own selective units leaves it well above chance in every run — at lowest, 0\.15 \(the mean over relations of one SGD run at N = 256, R = 2; chance 0\.004\), while the other relations keep 0\.90 in that row\./);
    expect(text).toMatch(/Zero-shot transfer is at most 0\.50 \(best run: SGD, N = 256, R = 2\), well below the construction’s 1\. In the 5 rows where the fitted maps rebuild held-out subjects' own facts with accuracy ≥ 0\.9 in every run \(N = 256, R = 2 and N = 256, R = 8\), transfer is at most 0\.50: the maps are right, so the MLP decodes/);
    expect(text).toMatch(/The next sentences read only the rows where every run got every fact right \(5 of 8\)\./);
    expect(text).toMatch(/stands at least 0\.05 above its one-shared-map baseline in 4 of 4 rows/);
    expect(text).toMatch(/At N = 256, R = 8, R·d is too close/);
    expect(text).toMatch(/N = 256, R = 2: sign descent 0\.50, Adam 0\.68, GD 0\.93 — nearer Adam/);
    expect(text).toMatch(/N = 256, R = 8: sign descent 0\.02, Adam 0\.05, GD 0\.08 — Adam and gradient descent differ by less than 0\.1, so there is no contrast to test/);
    expect(text).toMatch(/Adam at N = 256, R = 8 \(0 of 2\)/);
  });
  it('a clean transfer and a knock-out at chance are said so', () => {
    const clean = sweepStory({ ...file, records: [record('sgd', 2, 1, 1, { zeroShotMean: 0.95, knockoutDiagonal: 0.004 })], settings: { ...file.settings, rs: [2], seeds: [1] } });
    const t = clean.sentences.join('\n');
    expect(t).toMatch(/near chance in the best run/);
    expect(t).toMatch(/Zero-shot transfer reaches 0\.95/);
    expect(t).toMatch(/the superposition carries over to new facts/);
    const wrong = sweepStory({ ...file, records: [record('sgd', 2, 1, 1, { transferValidationMean: 0.5 })], settings: { ...file.settings, rs: [2], seeds: [1] } });
    expect(wrong.sentences.join('\n')).toMatch(/In every row the maps themselves miss held-out subjects \(their own facts rebuilt at as little as 0\.50\)/);
  });
});

function run(optimizer: OptimizerName, probes: number[][], stepsTo100: number | null, divergedAt: number | null = null): OptimizerRun {
  return {
    optimizer,
    settings: optimizerSettings(optimizer),
    steps: 100,
    stepsTo100,
    divergedAt,
    last: { step: 99, loss: 0.1, accuracyByRelation: [1, 0.5] },
    curve: [],
    probes: probes.map((heldOut, i) => ({ step: i * 50, heldOut })),
    geometry: null,
    seconds: 1,
  };
}

describe('live sentences', () => {
  const runs = [
    run('adam', [[0, 0], [0.5, 0.6], [0.6, 0.7]], 40),
    run('sgd', [[0, 0], [0.92, 0.95], [0.95, 0.97]], 30),
    run('gd', [[0, 0], [0.4, 0.5], [0.8, 0.85]], null),
    run('sign', [[0, 0], [0.3, 0.3], [0.5, 0.55]], null, 80),
  ];
  it('ranks by the last probe, names the clean ones, steps to 100%, the sign test, divergence', () => {
    const t = liveSentences(runs, 1 / 64);
    expect(t[0]).toBe('Held-out probe accuracy on the weakest relation at the last measurement: SGD 0.95 (step 100), GD 0.80 (step 100), Adam 0.60 (step 100), sign descent 0.50 (step 100); chance is 0.02.');
    expect(t[1]).toBe('Clean (≥ 0.9 on every relation) at some point: SGD from step 50.');
    expect(t[2]).toBe('Every fact right: Adam at step 40 and SGD at step 30; not yet: GD and sign descent.');
    expect(t[3]).toBe('The sign test: sign descent ends at 0.50 (Adam 0.60, GD 0.80): nearer Adam.');
    expect(t[4]).toMatch(/^Diverged \(loss NaN or infinite, stopped\): sign descent at step 80\./);
    expect(firstCleanStep(runs[2])).toBeNull();
  });
  it('nothing before the first probe; a text alternative for the figure', () => {
    expect(liveSentences([run('adam', [], null)], 0.1)).toEqual([]);
    expect(summarizeOptimizerCurves(runs)).toMatch(/^Training curves of Adam, SGD, GD and sign descent on the same facts from the same initial weights\. Adam: step 100, training accuracy 0\.75, loss 0\.100, held-out probe \(weakest relation\) 0\.60\./);
  });
});
