/** Timed training runs in Node over src/core: the same seed, facts, initial weights and steps. */
import type { BackendName } from '../core/training/backends';
import { makeFacts } from '../core/model/facts';
import { fusedKernelsActive, setFusedKernels } from '../core/training/fusedKernels';
import { createModel, disposeModel } from '../core/model/model';
import { stepAndRead, Trainer, decodeStats } from '../core/training/train';
import { startBackend } from '../cli/nodeIo';
import type { BenchConfig } from './configs';

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
  note?: string;
}

/**
 * Trains `config` for up to config.steps steps (or config.seconds), reading stats every 10 steps.
 * The first step (kernel set-up, wasm compilation) is timed apart from the rest.
 */
export async function nodeRun(config: BenchConfig, backend: BackendName, options: { autodiff: boolean; simdKernels: boolean }): Promise<RunFigures> {
  await startBackend(backend);
  setFusedKernels(options.simdKernels);
  const facts = makeFacts(config.model.n, config.model.r, config.seed);
  const model = createModel(config.model, config.seed);
  const trainer = new Trainer(model, facts, { lr: config.lr, autodiff: options.autodiff });
  const kernels = backend === 'wasm' ? (fusedKernelsActive(config.model.n, config.model.d, config.model.m) ? ', our SIMD kernels' : ', tfjs kernels') : '';
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
    return { label, stepsTimed, stepsPerSecond: stepsTimed / seconds, stepsTo100, secondsTo100, losses };
  } finally {
    trainer.dispose();
    disposeModel(model);
    setFusedKernels(true);
  }
}
