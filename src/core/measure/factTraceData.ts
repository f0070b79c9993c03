/**
 * The shape of a fact's trace (factTrace.ts computes it in the worker) and its plain readings: no
 * tfjs, so that the page, which draws it, does not load TensorFlow.js.
 */

/** What the probe of one relation reads from the subject's embedding. */
export interface ProbeScore {
  relation: number;
  /** π_relation(s): the attribute this relation's probe should find. */
  target: number;
  /** cos(B_relation e_s, u_target). */
  targetScore: number;
  /** argmax_a cos(B_relation e_s, u_a) and its cosine. */
  best: number;
  bestScore: number;
  /** 1 when the target scores highest; 1 + the attributes scoring above it otherwise. */
  targetRank: number;
}

export interface LogitEntry {
  attribute: number;
  logit: number;
  /** softmax over all N logits. */
  probability: number;
}

export interface FactTrace {
  subject: number;
  relation: number;
  /** π_relation(subject): the right answer. */
  target: number;
  n: number;
  heads: number;
  /** Whether the subject was among the probes' held-out 20% (else among the fitted 80%). */
  heldOut: boolean;
  /** One per relation: the subject's superposed attributes as the probes read them. */
  probes: ProbeScore[];
  /** Attention of the last (relation) position, head h on position p (0 = subject, 1 = relation): [heads × 2], row-major. */
  attention: Float32Array;
  /** MLP pre-activations W1·h + b1, one per unit; a unit fires when it is > 0. */
  preActivation: Float32Array;
  /** ReLU(pre_j) · (W2_j · u_target): what unit j adds to the right attribute's logit. */
  contribution: Float32Array;
  /** h·u_target: the part of the right logit that goes around the MLP. */
  directLogit: number;
  targetLogit: number;
  targetProbability: number;
  /** 1 when the right attribute has the largest logit. */
  targetRank: number;
  /** The largest logits, largest first. */
  top: LogitEntry[];
}

/** The units that fire on the traced fact (pre-activation > 0), in index order. */
export function activeUnits(trace: FactTrace): number[] {
  const out: number[] = [];
  trace.preActivation.forEach((v, j) => {
    if (v > 0) out.push(j);
  });
  return out;
}

/** The `k` firing units that move the right logit most (largest |contribution| first). */
export function topContributors(trace: FactTrace, k: number): { unit: number; preActivation: number; contribution: number }[] {
  return activeUnits(trace)
    .sort((a, b) => Math.abs(trace.contribution[b]) - Math.abs(trace.contribution[a]) || a - b)
    .slice(0, k)
    .map((unit) => ({ unit, preActivation: trace.preActivation[unit], contribution: trace.contribution[unit] }));
}
