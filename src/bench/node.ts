/**
 * Timed training runs in Node over src/core: the same seed, facts, initial weights and steps.
 * `pinnedNodeRun` runs one in a child Node pinned to core 0 (taskset), as the native anchors are.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BackendName } from '../core/training/backends';
import { makeFacts } from '../core/model/facts';
import { fusedKernelsActive, setFusedKernels } from '../core/training/fusedKernels';
import { createModel, disposeModel } from '../core/model/model';
import { setWholeStep, stepAndRead, Trainer, decodeStats } from '../core/training/train';
import { enableRelaxedSimd } from '../core/training/relaxedSimdNode';
import { startBackend } from '../cli/nodeIo';
import type { BenchConfig } from './configs';
import { coreList, hasTaskset } from './pinning';

export interface RunFigures {
  /** What ran, e.g. "node wasm (single-hop path)". */
  label: string;
  stepsTimed: number;
  stepsPerSecond: number;
  /** Step index whose forward pass first had every fact right, if within the run. */
  stepsTo100: number | null;
  /** Seconds from the start (warm-up included) until that step was read back. */
  secondsTo100: number | null;
  losses: number[];
  /** Cores the run was pinned to (taskset); null where not pinned (the browser's worker). */
  cores: number | null;
  note?: string;
}

export interface NodeRunOptions {
  autodiff: boolean;
  simdKernels: boolean;
  /** The whole-step wasm module (train.ts) where it applies; false: the per-kernel SIMD path. Default true. */
  wholeStep?: boolean;
}

const CHILD = fileURLToPath(new URL('./nodeChild.ts', import.meta.url));
/** Marks the child's result line among whatever else tfjs prints. */
export const RESULT_MARK = 'BENCH_RESULT ';

/** `nodeRun` in a fresh Node process (same loader flags as ours) pinned to core 0. */
export function pinnedNodeRun(config: BenchConfig, backend: BackendName, options: NodeRunOptions): RunFigures {
  const pinned = hasTaskset();
  const node = [process.execPath, ...process.execArgv, CHILD];
  const input = JSON.stringify({ config, backend, options });
  const run = pinned
    ? spawnSync('taskset', ['-c', coreList(1), ...node], { input, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 30 * 60_000 })
    : spawnSync(node[0], node.slice(1), { input, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 30 * 60_000 });
  const line = run.stdout?.split('\n').find((l) => l.startsWith(RESULT_MARK));
  if (run.status !== 0 || !line) throw new Error(`node child failed: ${(run.stderr || String(run.error)).trim().split('\n').slice(-3).join(' | ')}`);
  const figures = JSON.parse(line.slice(RESULT_MARK.length)) as RunFigures;
  return pinned ? { ...figures, label: `${figures.label}, 1 core (taskset -c 0)`, cores: 1 } : { ...figures, label: `${figures.label}, not pinned (no taskset)` };
}

/**
 * Trains `config` for up to config.steps steps (or config.seconds), reading stats every 10 steps.
 * The first step (kernel set-up, wasm compilation) is timed apart from the rest.
 */
export async function nodeRun(config: BenchConfig, backend: BackendName, options: NodeRunOptions): Promise<RunFigures> {
  await startBackend(backend);
  setFusedKernels(options.simdKernels);
  setWholeStep(options.wholeStep ?? true);
  const flavour = backend === 'wasm' ? enableRelaxedSimd() : null;
  const facts = makeFacts(config.model.n, config.model.r, config.seed);
  const model = createModel(config.model, config.seed);
  const trainer = new Trainer(model, facts, { lr: config.lr, autodiff: options.autodiff });
  const kernels =
    trainer.engine === 'whole-step module'
      ? `, whole-step SIMD module${flavour === 'relaxed' ? ', relaxed FMA' : ''}`
      : backend === 'wasm'
        ? fusedKernelsActive(config.model.n, config.model.d, config.model.m)
          ? ', our per-kernel SIMD kernels'
          : ', tfjs kernels'
        : '';
  const label = `node ${backend} (${trainer.path === 'single-hop' ? 'single-hop path' : 'tfjs autodiff'}${kernels})`;
  const r = config.model.r;
  const losses: number[] = [];
  let stepsTo100: number | null = null;
  let secondsTo100: number | null = null;
  const started = performance.now();
  const consume = (steps: number[], values: Float32Array) => {
    for (let i = 0; i < steps.length; i++) {
      const s = decodeStats(steps[i], values.subarray(i * (1 + 2 * r), (i + 1) * (1 + 2 * r)), r);
      losses.push(s.loss);
      if (stepsTo100 === null && s.accuracyByRelation.every((a) => a === 1)) {
        stepsTo100 = s.step;
        secondsTo100 = (performance.now() - started) / 1000;
      }
    }
  };
  try {
    const warm = await stepAndRead(trainer, 1);
    consume(warm.steps, warm.values);
    const timedFrom = performance.now();
    while (trainer.stepsDone < config.steps && (performance.now() - timedFrom) / 1000 < config.seconds) {
      const chunk = await stepAndRead(trainer, Math.min(10, config.steps - trainer.stepsDone));
      consume(chunk.steps, chunk.values);
    }
    const seconds = (performance.now() - timedFrom) / 1000;
    const stepsTimed = trainer.stepsDone - 1;
    return { label, stepsTimed, stepsPerSecond: stepsTimed / seconds, stepsTo100, secondsTo100, losses, cores: null };
  } finally {
    trainer.dispose();
    disposeModel(model);
    setFusedKernels(true);
  }
}
