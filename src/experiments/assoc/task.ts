/**
 * The noisy-context task of paper A (the authors' task.py, FactRecall with EOS_token=True), ported.
 *
 * Token ids, as their code lays them out (vocabulary V = S + R + N + 1):
 *   subjects   0 … S−1
 *   relations  S … S+R−1
 *   noise      S+R … S+R+N−1
 *   EOS        S+R+N
 * A sequence has T tokens: every position starts as a uniform noise token; the subject goes to a
 * uniform position in 0…T−2, the relation to a uniform different position in 0…T−2 (a draw from
 * T−2 positions, shifted past the subject's), and EOS to position T−1. Subject and relation are
 * uniform. Answers are 0 … D·R−1; relation r owns D·r … D·r+D−1.
 */
import { deriveSeed, makeRng, type Rng } from '../../core/model/prng';
import type { AssocTaskSettings } from './assoc';

export interface AssocTask {
  settings: AssocTaskSettings;
  vocab: number;
  outputs: number;
  eos: number;
  /** table[s·R + r]: the answer of subject s to relation r. */
  table: Int32Array;
}

export interface AssocBatch {
  /** [batch, T] token ids, row-major. */
  tokens: Int32Array;
  /** [batch] answers. */
  answers: Int32Array;
  subjects: Int32Array;
  relations: Int32Array;
}

/** The structured table of the sequential-learning notebook: answer = ⌊s·D/S⌋ + r·D. */
export function structuredAnswer(s: number, r: number, subjects: number, answers: number): number {
  return Math.floor((s * answers) / subjects) + r * answers;
}

export function makeAssocTask(settings: AssocTaskSettings): AssocTask {
  const { s: S, r: R, answers: D, noise: N, seqLen: T } = settings;
  if (T < 3) throw new Error(`assoc: the sequence needs at least 3 tokens (subject, relation, EOS); got ${T}`);
  if (N < 1) throw new Error('assoc: the task needs at least one noise token');
  const table = new Int32Array(S * R);
  const rng = makeRng(deriveSeed(settings.seed, 'assoc-facts'));
  for (let s = 0; s < S; s++) {
    for (let r = 0; r < R; r++) table[s * R + r] = settings.structured ? structuredAnswer(s, r, S, D) : r * D + rng.int(D);
  }
  return { settings, vocab: S + R + N + 1, outputs: D * R, eos: S + R + N, table };
}

/** A stream of fresh batches, deterministic for the task's seed and the stream's tag. */
export function batchStream(task: AssocTask, tag = 'train'): (size: number) => AssocBatch {
  const rng = makeRng(deriveSeed(task.settings.seed, `assoc-batches-${tag}`));
  return (size) => sampleBatch(task, size, rng);
}

export function sampleBatch(task: AssocTask, size: number, rng: Rng): AssocBatch {
  const { s: S, r: R, noise: N, seqLen: T } = task.settings;
  const tokens = new Int32Array(size * T);
  const answers = new Int32Array(size);
  const subjects = new Int32Array(size);
  const relations = new Int32Array(size);
  const noiseStart = S + R;
  for (let b = 0; b < size; b++) {
    const row = b * T;
    for (let t = 0; t < T; t++) tokens[row + t] = noiseStart + rng.int(N);
    const s = rng.int(S);
    const r = rng.int(R);
    const at = rng.int(T - 1);
    let rAt = rng.int(T - 2);
    if (rAt >= at) rAt += 1;
    tokens[row + at] = s;
    tokens[row + rAt] = S + r;
    tokens[row + T - 1] = task.eos;
    subjects[b] = s;
    relations[b] = r;
    answers[b] = task.table[s * R + r];
  }
  return { tokens, answers, subjects, relations };
}
