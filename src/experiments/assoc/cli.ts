/**
 * `assoc`: paper A's associative-memory task (docs/science.md §7). Three subcommands:
 *   train     one model (the full one by default, or --model linear: the sequential-learning notebook's);
 *             one JSON line with the held-out numbers, the first step ≥ 99%, the plateau at log D, and
 *             with --out the curve (every --every steps) as JSON.
 *   sweep     heads × MLP width at fixed d and dh (param_scaling_sweep.py): best accuracy per cell.
 *   capacity  per model size, the largest S = R stored at ≥ 99% (binary search, fact_recall_sweep.py),
 *             facts against parameters, and the slope of facts = slope × parameters.
 * --out files of sweep and capacity are rewritten after every finished cell or point (complete: false
 * until the end), so an interrupted run keeps what it has.
 */
import { writeFileSync } from 'node:fs';
import { parseFlags, UsageError, type FlagSpec, type ParsedFlags } from '../../cli/args';
import { BACKEND_FLAG, printJson, SEED_FLAG } from '../../cli/common';
import { checkWritable, progressReporter, startBackend, startSweep, writeFileAtomically } from '../../cli/nodeIo';
import type { NumberParam } from '../../core/model/params';
import type { BackendName } from '../../core/training/backends';
import type { CliCommand } from '../registry';
import {
  ASSOC_DEFAULTS, assocPlateau,
  type AssocCapacitySettings, type AssocModelKind, type AssocSweepSettings, type AssocTaskSettings, type AssocTrainOptions,
} from './assoc';
import { ASSOC_CAPACITY_DEFAULTS, ASSOC_SWEEP_DEFAULTS, assocCapacity, assocSweep } from './sweeps';
import { trainAssoc } from './train';

const int = (label: string, min: number, max: number): FlagSpec => ({ kind: 'number', param: { label, integer: true, min, max } });
const real = (label: string, min: number, max: number, exclusiveMin = false): FlagSpec => ({ kind: 'number', param: { label, integer: false, min, max, exclusiveMin } });
const list = (label: string, min: number, max: number, integer = true): FlagSpec => ({ kind: 'list', param: { label, integer, min, max } as NumberParam });

const TASK_FLAGS: Record<string, FlagSpec> = {
  s: int('s (subjects)', 1, 4096),
  r: int('r (relations)', 1, 4096),
  answers: int('answers (D, per relation)', 1, 1024),
  noise: int('noise (noise tokens)', 1, 16384),
  'seq-len': int('seq-len (tokens per sequence)', 3, 512),
  structured: { kind: 'switch' },
  random: { kind: 'switch' },
  seed: SEED_FLAG,
};
const TRAINING_FLAGS: Record<string, FlagSpec> = {
  lr: real('lr (learning rate)', 0, 10, true),
  batch: int('batch (fresh samples per step)', 1, 8192),
  steps: int('steps', 1, 1_000_000),
  'weight-decay': real('weight-decay (decoupled)', 0, 1),
  backend: BACKEND_FLAG,
  out: { kind: 'string' },
};
const SIZE_FLAGS: Record<string, FlagSpec> = {
  d: int('d (embedding size)', 1, 1024),
  heads: int('heads', 1, 256),
  'head-dim': int('head-dim (dh)', 1, 1024),
  width: int('width (MLP)', 1, 65536),
};

/** Floats held per step by the full model's embedded batch, at most. */
const MAX_BATCH_FLOATS = 1 << 24;

function taskFrom(command: string, flags: ParsedFlags, base: AssocTaskSettings): AssocTaskSettings {
  if (flags.structured && flags.random) throw new UsageError(`${command}: --structured and --random exclude each other`);
  const task: AssocTaskSettings = {
    s: (flags.s as number) ?? base.s,
    r: (flags.r as number) ?? base.r,
    answers: (flags.answers as number) ?? base.answers,
    noise: (flags.noise as number) ?? base.noise,
    seqLen: (flags['seq-len'] as number) ?? base.seqLen,
    structured: flags.structured ? true : flags.random ? false : base.structured,
    seed: (flags.seed as number) ?? base.seed,
  };
  return task;
}

function checkBatch(command: string, batch: number, seqLen: number, d: number): void {
  if (batch * seqLen * d > MAX_BATCH_FLOATS) {
    throw new UsageError(`${command}: --batch ${batch} × --seq-len ${seqLen} × d ${d} = ${batch * seqLen * d} floats per step exceeds ${MAX_BATCH_FLOATS}; lower --batch`);
  }
}

const round = (x: number) => Math.round(x * 1e4) / 1e4;

async function train(argv: string[]): Promise<number> {
  const flags = parseFlags('assoc train', argv, {
    model: { kind: 'choice', choices: ['full', 'linear'] },
    ...TASK_FLAGS, ...TRAINING_FLAGS, ...SIZE_FLAGS,
    every: int('every (steps between saved curve points)', 1, 1_000_000),
    'stop-at': real('stop-at (held-out accuracy that ends the run)', 0, 1, true),
  });
  const kind = ((flags.model as string) ?? 'full') as AssocModelKind;
  const base = ASSOC_DEFAULTS[kind];
  if (kind === 'linear') {
    for (const name of Object.keys(SIZE_FLAGS)) if (flags[name] !== undefined) throw new UsageError(`assoc train: --${name} is the full model's; the linear model's d is the vocabulary`);
  }
  const task = taskFrom('assoc train', flags, base.task);
  const model = kind === 'linear' ? base.model : {
    kind,
    d: (flags.d as number) ?? base.model.d,
    heads: (flags.heads as number) ?? base.model.heads,
    headDim: (flags['head-dim'] as number) ?? base.model.headDim,
    width: (flags.width as number) ?? base.model.width,
  };
  const options: AssocTrainOptions = {
    task,
    model,
    steps: (flags.steps as number) ?? base.steps,
    lr: (flags.lr as number) ?? base.lr,
    batch: (flags.batch as number) ?? base.batch,
    weightDecay: (flags['weight-decay'] as number) ?? base.weightDecay,
    stopAtAccuracy: (flags['stop-at'] as number) ?? base.stopAtAccuracy,
    every: (flags.every as number) ?? 1,
  };
  const vocab = task.s + task.r + task.noise + 1;
  checkBatch('assoc train', options.batch, task.seqLen, kind === 'linear' ? vocab : model.d!);
  const out = flags.out as string | undefined;
  if (out) checkWritable('assoc train', out, '--out');
  const backend = ((flags.backend as string) ?? 'wasm') as BackendName;
  await startBackend(backend);
  const progress = progressReporter();
  const result = await trainAssoc({
    ...options,
    onProgress: (points) => {
      const p = points[points.length - 1];
      progress.update(`assoc train [${backend}] ${kind} step ${p.step + 1}/${options.steps}  loss ${p.loss.toFixed(3)}  relation-only ${p.relationLoss.toFixed(3)}  subject-only ${p.subjectLoss.toFixed(3)}  accuracy ${p.accuracy.toFixed(3)}`);
    },
  });
  progress.done();
  const plateau = assocPlateau(result.curve, task.answers);
  const { curve, ...summary } = result;
  if (out) writeFileSync(out, JSON.stringify({ format: 'factual-recall-assoc-train', version: 1, backend, settings: options, ...summary, plateau, curve }) + '\n');
  printJson({
    model: kind,
    backend,
    accuracy: round(result.accuracy),
    loss: round(result.loss),
    relationLoss: round(result.relationLoss),
    subjectLoss: round(result.subjectLoss),
    steps: result.steps,
    stepsTo99: result.stepsTo99,
    plateau,
    logD: round(Math.log(task.answers)),
    parameters: result.parameters,
    seconds: Math.round(result.seconds * 10) / 10,
    settings: { ...task, ...(kind === 'full' ? model : { d: vocab }), lr: options.lr, batch: options.batch, steps: options.steps, weightDecay: options.weightDecay ?? 0, ...(options.stopAtAccuracy !== undefined ? { stopAtAccuracy: options.stopAtAccuracy } : {}) },
    ...(out ? { out } : {}),
  });
  return 0;
}

async function sweep(argv: string[]): Promise<number> {
  const flags = parseFlags('assoc sweep', argv, {
    ...TASK_FLAGS, ...TRAINING_FLAGS,
    d: SIZE_FLAGS.d,
    'head-dim': SIZE_FLAGS['head-dim'],
    heads: list('heads', 1, 256),
    widths: list('widths (MLP)', 1, 65536),
  });
  const base = ASSOC_SWEEP_DEFAULTS;
  const settings: AssocSweepSettings = {
    task: taskFrom('assoc sweep', flags, base.task),
    d: (flags.d as number) ?? base.d,
    headDim: (flags['head-dim'] as number) ?? base.headDim,
    heads: [...new Set((flags.heads as number[]) ?? base.heads)].sort((a, b) => a - b),
    widths: [...new Set((flags.widths as number[]) ?? base.widths)].sort((a, b) => a - b),
    steps: (flags.steps as number) ?? base.steps,
    lr: (flags.lr as number) ?? base.lr,
    batch: (flags.batch as number) ?? base.batch,
  };
  if (flags['weight-decay'] !== undefined) throw new UsageError('assoc sweep: --weight-decay: the sweep trains without weight decay, as the authors did');
  checkBatch('assoc sweep', settings.batch, settings.task.seqLen, settings.d);
  const { out, backend, progress } = await startSweep('assoc sweep', flags);
  const save = (complete: boolean, cells: unknown) => {
    if (out) writeFileAtomically(out, JSON.stringify({ format: 'factual-recall-assoc-sweep', version: 1, backend, complete, settings, cells }, null, 1) + '\n');
  };
  const report = await assocSweep(settings, {
    onProgress: (p) => {
      if (!p.current) return save(false, p.cells);
      const c = p.current;
      progress.update(`assoc sweep [${backend}] H=${c.heads} m=${c.width} step ${c.step}/${c.steps} accuracy ${c.accuracy.toFixed(3)}  (${p.cells.length}/${p.cellsTotal} cells done)`);
    },
  });
  progress.done();
  save(report.complete, report.cells);
  printJson({ backend, settings, cells: report.cells, seconds: Math.round(report.seconds), ...(out ? { out } : {}) });
  return 0;
}

async function capacity(argv: string[]): Promise<number> {
  const flags = parseFlags('assoc capacity', argv, {
    ds: list('ds (embedding sizes)', 1, 1024),
    alpha: real('alpha (H·dh/d)', 0, 64, true),
    beta: real('beta (m/d)', 0, 64, true),
    heads: int('heads', 1, 256),
    answers: TASK_FLAGS.answers,
    noise: TASK_FLAGS.noise,
    'seq-len': TASK_FLAGS['seq-len'],
    lrs: list('lrs (learning rates tried)', 0, 10, false),
    steps: TRAINING_FLAGS.steps,
    batch: TRAINING_FLAGS.batch,
    'min-size': int('min-size (S = R known to fit)', 1, 4096),
    'max-size': int('max-size (S = R known not to fit)', 2, 4096),
    seed: SEED_FLAG,
    backend: BACKEND_FLAG,
    out: { kind: 'string' },
  });
  const base = ASSOC_CAPACITY_DEFAULTS;
  const settings: AssocCapacitySettings = {
    ds: [...new Set((flags.ds as number[]) ?? base.ds)].sort((a, b) => a - b),
    alpha: (flags.alpha as number) ?? base.alpha,
    beta: (flags.beta as number) ?? base.beta,
    heads: (flags.heads as number) ?? base.heads,
    answers: (flags.answers as number) ?? base.answers,
    noise: (flags.noise as number) ?? base.noise,
    seqLen: (flags['seq-len'] as number) ?? base.seqLen,
    lrs: (flags.lrs as number[]) ?? base.lrs,
    steps: (flags.steps as number) ?? base.steps,
    batch: (flags.batch as number) ?? base.batch,
    minSize: (flags['min-size'] as number) ?? base.minSize,
    maxSize: (flags['max-size'] as number) ?? base.maxSize,
    seed: (flags.seed as number) ?? base.seed,
  };
  if (settings.lrs.some((lr) => !(lr > 0))) throw new UsageError('assoc capacity: --lrs: every learning rate must be above 0');
  if (settings.minSize >= settings.maxSize) throw new UsageError(`assoc capacity: --min-size (${settings.minSize}) must be below --max-size (${settings.maxSize})`);
  for (const d of settings.ds) {
    if (Math.floor((d * settings.alpha) / settings.heads) < 1) throw new UsageError(`assoc capacity: --ds: d = ${d} gives a head size ⌊d·alpha/heads⌋ of 0`);
    if (Math.floor(d * settings.beta) < 1) throw new UsageError(`assoc capacity: --ds: d = ${d} gives an MLP width ⌊d·beta⌋ of 0`);
  }
  checkBatch('assoc capacity', settings.batch, settings.seqLen, settings.ds[settings.ds.length - 1]);
  const { out, backend, progress } = await startSweep('assoc capacity', flags);
  const save = (complete: boolean, points: unknown, fit: unknown) => {
    if (out) writeFileAtomically(out, JSON.stringify({ format: 'factual-recall-assoc-capacity', version: 1, backend, complete, settings, points, fit }, null, 1) + '\n');
  };
  const report = await assocCapacity(settings, {
    onProgress: (p) => {
      if (!p.current) return save(false, p.points, null);
      const c = p.current;
      progress.update(`assoc capacity [${backend}] d=${c.d} S=R=${c.size} lr ${c.lr} step ${c.step}/${c.steps} accuracy ${c.accuracy.toFixed(3)}  (${p.points.length}/${p.pointsTotal} sizes done)`);
    },
  });
  progress.done();
  save(report.complete, report.points, report.fit);
  printJson({ backend, settings, points: report.points, fit: report.fit, seconds: Math.round(report.seconds), ...(out ? { out } : {}) });
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = { train, sweep, capacity };

const command: CliCommand = {
  usage: `  assoc train     [--model full|linear --s S --r R --answers D --noise N --seq-len T --structured|--random
                  --lr LR --batch B --steps K --seed S --d D --heads H --head-dim DH --width M --weight-decay W
                  --stop-at ACC --every K --backend wasm|cpu --out FILE]   (linear: the sequential-learning notebook)
  assoc sweep     [--heads 1,2,4,8 --widths 4,16,64 --d 32 --head-dim 8 --s --r --answers --noise --seq-len
                  --steps --lr --batch --seed --backend wasm|cpu --out FILE]
  assoc capacity  [--ds 8,16,32 --alpha 1 --beta 1 --heads 8 --answers 8 --noise N --seq-len 32 --lrs 0.01
                  --steps --batch --min-size --max-size --seed --backend wasm|cpu --out FILE]`,
  async run(argv) {
    const [sub, ...rest] = argv;
    const run = sub !== undefined && Object.hasOwn(SUBCOMMANDS, sub) ? SUBCOMMANDS[sub] : undefined;
    if (!run) throw new UsageError(`assoc: ${sub === undefined ? 'missing subcommand' : `unknown subcommand ${JSON.stringify(sub)}`}; accepted: train, sweep, capacity`);
    return run(rest);
  },
};
export default command;
