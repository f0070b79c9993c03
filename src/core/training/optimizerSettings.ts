/**
 * The optimisers a run can use (docs/science.md §2) and their settings, tfjs-free so the page's main
 * thread, the URL parser and the CLI share them. The choice matters for the geometry (§9): Adam's
 * normalised update is close to the sign of the gradient, which blurs the linear superposition that
 * plain gradient descent writes into the subject embeddings.
 */
export const OPTIMIZERS = ['adam', 'sgd', 'gd', 'sign'] as const;
export type OptimizerName = (typeof OPTIMIZERS)[number];

export interface OptimizerSettings {
  optimizer: OptimizerName;
  /** Learning rate of the dense maps (attention, MLP, positions). */
  lr: number;
  /**
   * Adam: β1. SGD: heavy-ball momentum (PyTorch's: buf ← μ·buf + g, w ← w − lr·buf). Sign descent:
   * the update is the sign of that buffer. Plain GD: always 0.
   */
  momentum: number;
  /**
   * Learning-rate multiplier for the subject embeddings and the attribute vectors U. In a mean loss over N·R facts each of their rows gets only its own facts' share of the
   * gradient, so with one learning rate for everything SGD either diverges on the dense maps or
   * barely moves the embeddings (§2). The relation rows see N facts each, like a dense map, and keep lr.
   */
  embedLrMult: number;
  /** Decoupled weight decay: w ← w·(1 − lr_w·wd) before each update (lr_w includes the multiplier). */
  weightDecay: number;
}

/** An optimiser and any of its settings; the rest take that optimiser's defaults (`optimizerSettings`). */
export type OptimizerChoice = { optimizer?: OptimizerName } & Partial<Omit<OptimizerSettings, 'optimizer'>>;

/**
 * Each optimiser's defaults: settings that work at the playground's sizes (N = 256, d = 32,
 * m = 256, R = 2, full batch), measured with `npm run cli -- train … --optimizer X` (README).
 */
export const OPTIMIZER_DEFAULTS: Record<OptimizerName, OptimizerSettings> = {
  adam: { optimizer: 'adam', lr: 0.01, momentum: 0.9, embedLrMult: 1, weightDecay: 0 },
  sgd: { optimizer: 'sgd', lr: 0.1, momentum: 0.9, embedLrMult: 30, weightDecay: 0 },
  gd: { optimizer: 'gd', lr: 0.1, momentum: 0, embedLrMult: 30, weightDecay: 0 },
  sign: { optimizer: 'sign', lr: 0.001, momentum: 0, embedLrMult: 1, weightDecay: 0 },
};

export const OPTIMIZER_LABELS: Record<OptimizerName, string> = {
  adam: 'Adam',
  sgd: 'SGD with momentum',
  gd: 'plain gradient descent',
  sign: 'sign descent',
};

export function isOptimizerName(x: unknown): x is OptimizerName {
  return typeof x === 'string' && (OPTIMIZERS as readonly string[]).includes(x);
}

/** The settings of `optimizer` with the given overrides; plain GD keeps momentum 0 whatever is asked. */
export function optimizerSettings(optimizer: OptimizerName = 'adam', overrides: Partial<Omit<OptimizerSettings, 'optimizer'>> = {}): OptimizerSettings {
  const out: OptimizerSettings = { ...OPTIMIZER_DEFAULTS[optimizer] };
  for (const key of ['lr', 'momentum', 'embedLrMult', 'weightDecay'] as const) {
    const v = overrides[key];
    if (v !== undefined) out[key] = v;
  }
  if (optimizer === 'gd') out.momentum = 0;
  return out;
}

/** One line naming the optimiser and every setting that is not its default, for captions and logs. */
export function describeOptimizer(s: OptimizerSettings): string {
  const parts = [`${OPTIMIZER_LABELS[s.optimizer]}, lr ${s.lr}`];
  if (s.optimizer === 'sgd' || (s.optimizer === 'sign' && s.momentum > 0)) parts.push(`momentum ${s.momentum}`);
  if (s.optimizer === 'adam' && s.momentum !== 0.9) parts.push(`β1 ${s.momentum}`);
  if (s.embedLrMult !== 1) parts.push(`×${s.embedLrMult} on the embeddings`);
  if (s.weightDecay > 0) parts.push(`weight decay ${s.weightDecay}`);
  return parts.join(', ');
}
