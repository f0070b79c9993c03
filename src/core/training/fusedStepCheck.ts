/**
 * The whole-step module's two builds side by side (fusedStep.test.ts): gradients and three Adam steps
 * of the same model with relaxed SIMD and with plain SIMD. Run as a script (`node --import tsx`), it
 * first turns relaxed SIMD on (relaxedSimdNode.ts; Node 20 keeps it behind a flag) and prints the
 * comparison as one JSON line.
 */
import { fileURLToPath } from 'node:url';
import { makeFacts, factArrays } from '../model/facts';
import { initialWeights, WEIGHT_NAMES, type ModelConfig } from '../model/model';
import { WholeStep } from './fusedStep';
import { optimizerSettings } from './optimizerSettings';
import { enableRelaxedSimd } from './relaxedSimdNode';
import type { SimdFlavour } from './stepModule';

export interface FlavourComparison {
  /** Whether this engine ran the relaxed build. */
  relaxed: boolean;
  /** Largest difference of a gradient, relative to that gradient's largest entry. */
  gradient: number;
  /** Largest difference of a weight after three Adam steps. */
  weights: number;
  losses: { relaxed: number; plain: number };
}

export function compareFlavours(config: ModelConfig = { n: 20, r: 3, d: 8, m: 12, heads: 1, seqLen: 2 }): FlavourComparison {
  const weights = initialWeights(config, 3);
  weights['attention.query'] = weights['attention.query'].map((v) => v * 40);
  const targets = factArrays(makeFacts(config.n, config.r, 4)).targets;
  const trained = Object.fromEntries(WEIGHT_NAMES.map((name) => [name, 1]));
  const make = (flavour: SimdFlavour) => {
    const step = WholeStep.create(config, targets, optimizerSettings('adam'), trained, flavour);
    if (step) for (const name of WEIGHT_NAMES) step.setWeight(name, weights[name]);
    return step;
  };
  const relaxed = make('relaxed');
  const plain = make('plain')!;
  if (!relaxed) return { relaxed: false, gradient: NaN, weights: NaN, losses: { relaxed: NaN, plain: NaN } };
  const losses = { relaxed: relaxed.gradients().loss, plain: plain.gradients().loss };
  let gradient = 0;
  for (const name of WEIGHT_NAMES) {
    const a = relaxed.gradient(name);
    const b = plain.gradient(name);
    const scale = Math.max(1e-6, ...Array.from(b, Math.abs));
    gradient = Math.max(gradient, ...Array.from(a, (v, i) => Math.abs(v - b[i]) / scale));
  }
  for (let i = 0; i < 3; i++) {
    relaxed.step();
    plain.step();
  }
  let moved = 0;
  for (const name of WEIGHT_NAMES) {
    const a = relaxed.weight(name);
    const b = plain.weight(name);
    moved = Math.max(moved, ...Array.from(a, (v, i) => Math.abs(v - b[i])));
  }
  return { relaxed: true, gradient, weights: moved, losses };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  enableRelaxedSimd();
  process.stdout.write(`${JSON.stringify(compareFlavours())}\n`);
}
