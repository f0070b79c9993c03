/**
 * `fixtures`: the measurement files the figure gallery (`?gallery=1`, src/ui/gallery/) and the figure
 * snapshot tests (tests/browser/snapshots.test.ts) draw from, so that every figure can be drawn without
 * training:
 *   playground.json        the default playground (DEFAULT_SETTINGS) trained for --steps updates with the
 *                          page's own Trainer options: the loss/accuracy history (downsampled), one
 *                          projection sample per relation, the probe, superposition, gating and knock-out
 *                          reports, measured as the training worker measures them (measureAll, measureKnockout);
 *   transfer.json          zero-shot transfer (zeroShotTransfer) of that trained model, as the transfer chapter
 *                          tests the playground's model;
 *   optimizer-curves.json  a small side-by-side comparison of the four optimisers (compareOptimizers),
 *                          the optimiser chapter's live curves;
 *   capacity-learned.json, capacity-frozen.json, multihop.json, optimizers.json, assoc-sweep.json, assoc-capacity.json
 *                          copies of the chapters' precomputed sweeps (src/experiments/…), so that the
 *                          gallery's drawings change only when a figure does, not when a sweep is rerun.
 * (assoc-curve.json, the associative-memory chapter's loss curve, is a CLI run's file:
 *   npm run cli -- assoc train --model linear --steps 4500 --every 20 --out src/ui/gallery/fixtures/assoc-curve.json)
 * Seeded and deterministic for a backend (wasm by default; --backend cpu for the plain-JS kernels).
 * Prints one JSON line naming the files and their sizes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendName } from '../core/training/backends';
import { makeFacts } from '../core/model/facts';
import { disposeModel, initialWeights, modelFromArrays, type ModelConfig } from '../core/model/model';
import { PARAMS } from '../core/model/params';
import { measureAll, measureKnockout } from '../core/measure/measure';
import { evaluateAccuracy } from '../core/measure/evaluate';
import { zeroShotTransfer } from '../experiments/transfer/transfer';
import { train, Trainer, type StepStats } from '../core/training/train';
import { OPTIMIZERS } from '../core/training/optimizerSettings';
import { compareOptimizers, type OptimizerComparisonSettings } from '../experiments/optimizers/optimizerSweep';
import { DEFAULT_SETTINGS } from '../ui/urlState';
import { trainingOptionsOf } from '../worker/protocol';
import {
  FIXTURE_FORMAT,
  FIXTURE_VERSION,
  HISTORY_POINTS,
  gatingToJson,
  projectionToJson,
  roundDeep,
  roundSig,
  roundTo,
  strideIndices,
  type OptimizerCurvesFixture,
  type PlaygroundFixture,
  type TransferFixture,
} from '../ui/gallery/fixtureFormat';
import { parseFlags, requireFlags, UsageError } from './args';
import { BACKEND_FLAG, printJson } from './common';
import { checkWritable, progressReporter, startBackend, writeFileAtomically } from './nodeIo';

/** Subjects in each projection sample: as on the page (the training worker's PROJECTION_SAMPLE). */
const PROJECTION_SAMPLE = 32;

/** The optimiser curves' comparison: small, so that the four optimisers train in seconds. */
const CURVES: OptimizerComparisonSettings = { n: 64, r: 2, d: 16, m: 64, steps: 300, seed: 1, optimizers: [...OPTIMIZERS], probeEvery: 20, curveEvery: 10 };

/** The chapters' precomputed sweeps the gallery draws, by fixture name. */
const PRECOMPUTED: Record<string, string> = {
  'capacity-learned.json': '../experiments/capacity/capacity-learned.json',
  'capacity-frozen.json': '../experiments/capacity/capacity-frozen.json',
  'multihop.json': '../experiments/multihop/multihop-default.json',
  'optimizers.json': '../experiments/optimizers/optimizers-n256.json',
  'assoc-sweep.json': '../experiments/assoc/assoc-sweep.json',
  'assoc-capacity.json': '../experiments/assoc/assoc-capacity.json',
};

function writeJson(folder: string, name: string, value: unknown): { file: string; bytes: number } {
  const path = join(folder, name);
  const text = JSON.stringify(value) + '\n';
  writeFileAtomically(path, text);
  return { file: path, bytes: Buffer.byteLength(text) };
}

async function playgroundFixture(steps: number, backend: string, command: string): Promise<{ playground: PlaygroundFixture; transfer: TransferFixture }> {
  const settings = DEFAULT_SETTINGS;
  const config: ModelConfig = { n: settings.n, r: settings.r, d: settings.d, m: settings.m, heads: 1, seqLen: 2 };
  const facts = makeFacts(settings.n, settings.r, settings.seed);
  const model = modelFromArrays(config, initialWeights(config, settings.seed, { frozenSubjects: settings.freezeSubjects }));
  const trainer = new Trainer(model, facts, trainingOptionsOf(settings));
  const read: StepStats[] = [];
  const progress = progressReporter();
  try {
    await train(trainer, {
      maxSteps: steps,
      onProgress: (stats) => {
        read.push(...stats);
        progress.update(`fixtures: playground step ${trainer.stepsDone}/${steps}`);
      },
    });
    progress.done();
    const projections = [];
    let all = null;
    for (let relation = 0; relation < settings.r; relation++) {
      all = await measureAll(model, facts, { relation, sampleSize: PROJECTION_SAMPLE, seed: settings.seed });
      projections.push(projectionToJson(all.projection));
    }
    const knockout = await measureKnockout(model, facts, all!.gating);
    const keep = strideIndices(read.length, HISTORY_POINTS);
    const own = await evaluateAccuracy(model, facts);
    const { newFacts, maps: _maps, lambda: _lambda, ...zero } = await zeroShotTransfer(model, facts, { seed: settings.seed });
    const transfer: TransferFixture = {
      format: FIXTURE_FORMAT,
      version: FIXTURE_VERSION,
      command,
      backend,
      config,
      modelStep: trainer.stepsDone,
      own: roundDeep(own.accuracyByRelation, 4),
      chance: 1 / config.n,
      zero: roundDeep({ ...zero, newFactsSeed: newFacts.seed }, 4),
    };
    const playground: PlaygroundFixture = {
      format: FIXTURE_FORMAT,
      version: FIXTURE_VERSION,
      command,
      backend,
      settings,
      step: trainer.stepsDone,
      history: {
        steps: keep.map((i) => read[i].step),
        loss: keep.map((i) => roundSig(read[i].loss, 4)),
        accuracy: keep.map((i) => read[i].accuracyByRelation.map((a) => roundTo(a, 4))),
      },
      projections,
      // The ridges span decades: significant digits, not decimals.
      probe: { ...roundDeep(all!.probe, 4), lambda: all!.probe.lambda.map((x) => roundSig(x, 3)) },
      superposition: { ...roundDeep(all!.superposition, 4), ...(all!.superposition.lambda !== undefined ? { lambda: roundSig(all!.superposition.lambda, 3) } : {}) },
      gating: gatingToJson(all!.gating),
      knockout: roundDeep(knockout, 4),
    };
    return { playground, transfer };
  } finally {
    trainer.dispose();
    disposeModel(model);
  }
}

async function optimizerCurvesFixture(backend: string, command: string): Promise<OptimizerCurvesFixture> {
  const progress = progressReporter();
  const comparison = await compareOptimizers(CURVES, {
    onProgress: (p) => progress.update(`fixtures: optimizer curves ${(100 * p.fraction).toFixed(0)}%`),
  });
  progress.done();
  const c = CURVES;
  return {
    format: FIXTURE_FORMAT,
    version: FIXTURE_VERSION,
    command,
    backend,
    steps: c.steps,
    label: `fixture (CLI, ${backend}, N = ${c.n}, R = ${c.r}, d = ${c.d}, m = ${c.m}, ${c.steps} steps each, seed ${c.seed})`,
    // Seconds vary from run to run: left out, so that rerunning the command changes nothing.
    runs: comparison.runs.map((run) => roundDeep({ ...run, seconds: 0 }, 4)),
  };
}

export async function fixturesCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('fixtures', argv, {
    out: { kind: 'string' },
    steps: { kind: 'number', param: PARAMS.steps },
    backend: BACKEND_FLAG,
  });
  requireFlags('fixtures', flags, ['out']);
  const out = flags.out as string;
  checkWritable('fixtures', join(out, 'playground.json'), '--out');
  const steps = (flags.steps as number) ?? 300;
  if (steps < 10) throw new UsageError(`fixtures: --steps must be at least 10; got ${steps}`);
  const backend = ((flags.backend as string) ?? 'wasm') as BackendName;
  const command = `npm run cli -- fixtures --out ${out}${flags.steps !== undefined ? ` --steps ${steps}` : ''}${flags.backend !== undefined ? ` --backend ${backend}` : ''}`;

  await startBackend(backend);
  const { playground, transfer } = await playgroundFixture(steps, backend, command);
  const files = [
    writeJson(out, 'playground.json', playground),
    writeJson(out, 'transfer.json', transfer),
    writeJson(out, 'optimizer-curves.json', await optimizerCurvesFixture(backend, command)),
    ...Object.entries(PRECOMPUTED).map(([name, source]) => writeJson(out, name, JSON.parse(readFileSync(new URL(source, import.meta.url), 'utf8')))),
  ];
  printJson({ backend, steps, files, bytes: files.reduce((a, f) => a + f.bytes, 0) });
  return 0;
}
