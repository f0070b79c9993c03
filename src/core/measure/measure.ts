/**
 * Measurements of a model's geometry (docs/science.md §4), computed from the current weights. Shared by
 * the browser worker (live plots) and the CLI (`measure`). No DOM.
 *
 * Conventions (model.ts): row vectors, maps act on the right. e_s = row s of `subjectEmbedding`,
 * u_a = row a of `attributeVectors`. The small linear algebra (linalg.ts: Gram matrices, the GCV ridge
 * and its eigen-decomposition) runs in float64 JS on weights read back once; for large N the probes'
 * N×N cosine argmax runs as tf ops. The MLP's measurements (gating, knock-out) are in gating.ts.
 *
 * Cost: the superposition fit is O(N·(Rd)² + (Rd)³) in JS (N=128, R=4, d=24: a few ms; N=1024, d=64:
 * ~0.15 s; it grows as (Rd)³, so R·d in the thousands takes seconds), and the report fits it twice (the
 * facts, and the control of unrelated bijections) beside the cheap d×d baseline.
 */
import * as tf from '@tensorflow/tfjs';
import { makeFacts, type Facts } from '../model/facts';
import type { Model, WeightArrays } from '../model/model';
import { readWeights } from '../model/model';
import { GcvRidge, matMulJs, normalizeRows, takeRows } from './linalg';
import { deriveSeed, makeRng, randomPermutation } from '../model/prng';
import { checkModelFacts } from './batching';
import { measureGating, type GatingReport } from './gating';

// The gating and knock-out measurements live in gating.ts; re-exported so callers import one module.
export * from './gating';

/** The fixed 80/20 split of subjects used by every probe (seeded, so it never changes during a run). */
export interface SubjectSplit {
  train: Int32Array;
  heldOut: Int32Array;
}

/** Attribute projection for one relation and a sample of subjects, for the heat map. */
export interface ProjectionSample {
  relation: number;
  /** The sampled subjects (held-out ones first), K of them. */
  subjects: Int32Array;
  /** π_r(s) for each sampled subject: the attribute that should score highest. */
  targets: Int32Array;
  /** cos(B_r e_s, u_a) for each sampled subject (rows) and every attribute a (columns): K × N, row-major. */
  scores: Float32Array;
  /** Number of attributes (columns). */
  n: number;
}

export interface ProbeReport {
  /** Held-out probe accuracy per relation: argmax_a cos(B_r e_s, u_a) = π_r(s) on the held-out 20%. */
  heldOutAccuracy: number[];
  /** The same on the 80% the probes were fitted on. */
  trainAccuracy: number[];
  /** Ridge penalty chosen by GCV for each relation's probe, relative to mean diag(XᵀX) (see RIDGE_GRID). */
  lambda: number[];
}

export interface SuperpositionReport {
  /** R² of e_s ≈ Σ_r A_r u_{π_r(s)} on held-out subjects (1 = embeddings are exactly such superpositions). */
  heldOutR2: number;
  trainR2: number;
  /** Ridge penalty of the fit, chosen by generalized cross-validation (see `superpositionFromWeights`). */
  lambda?: number;
  /**
   * The relation-symmetric baseline e_s ≈ A·Σ_r u_{π_r(s)} (one d×d map shared by the relations, GCV
   * ridge), R² on held-out subjects. A reference, not a test: about 1/R for the construction.
   */
  baselineHeldOutR2: number;
  /** Features of the fit per fitted subject, R·d / N_train. */
  featuresPerSubject: number;
  /**
   * True when featuresPerSubject ≥ INTERPOLATION_RATIO: the fit has nearly as many features as fitted
   * subjects, so its held-out R² is dominated by the fit's variance and cannot be read as structure.
   */
  interpolates: boolean;
  /**
   * The control: the same fit (R maps, GCV ridge, same split) against fresh bijections unrelated to the
   * facts, held-out R². About 0 when the fit can be read; far below 0 when it interpolates.
   */
  controlHeldOutR2: number;
}

// ---------------------------------------------------------------------------------------------
// Implementation
// ---------------------------------------------------------------------------------------------

/**
 * Ridge penalties, relative to the mean diagonal of the Gram matrix (trace/p), so they do not depend
 * on the scale of the embeddings; the papers leave λ open. Both fits, the probes and the superposition,
 * choose λ by generalized cross-validation (Golub, Heath & Wahba 1979; `GcvRidge`) on the train
 * subjects, from RIDGE_GRID × mean diag(XᵀX) (docs: docs/science.md §4). A fixed small ridge overfits:
 * on an Adam-trained model (N=256, R=4, d=32) a probe with λ = 1e-3 scored 0.85 on the fitted subjects
 * and 0.2 held out; and with R·d features and about as many train subjects the superposition fit
 * interpolates (held-out R² about −4 at N=128, R=4, d=24). GCV picks the tiny end when the relation is
 * exact (the construction: probes 1, R² = 1) and shrinks when the fit would overfit.
 */
/** Candidate ridges, relative to mean diag(XᵀX): 1e-8 … 10 in quarter decades. */
export const RIDGE_GRID: readonly number[] = Array.from({ length: 37 }, (_, i) => 10 ** (-8 + i / 4));

/** Above this many multiply-adds the N×N cosine argmax of the probes runs as a tf matMul. */
const JS_SCORING_LIMIT = 2e7;

/**
 * The seeded 80/20 split of subjects 0..n−1: train = the first ⌈0.8n⌉ of a random permutation
 * (at most n − 1, so the held-out part is never empty for n ≥ 2), held-out = the rest; both sorted.
 */
export function subjectSplit(n: number, seed: number): SubjectSplit {
  const perm = randomPermutation(n, makeRng(deriveSeed(seed, 'probe')));
  let trainSize = Math.ceil((4 * n) / 5); // integer arithmetic: no 0.8·n rounding surprises
  if (n >= 2) trainSize = Math.min(trainSize, n - 1);
  const train = perm.slice(0, trainSize).sort();
  const heldOut = perm.slice(trainSize).sort();
  return { train, heldOut };
}

interface Geometry {
  n: number;
  d: number;
  /** Subject embeddings E [n×d] and attribute vectors U [n×d], float64. */
  e: Float64Array;
  u: Float64Array;
}

function geometryOf(weights: WeightArrays, facts: Facts): Geometry {
  const n = facts.n;
  const d = weights.subjectEmbedding.length / n;
  if (!Number.isInteger(d) || weights.attributeVectors.length !== n * d) {
    throw new Error(`measure: weights do not match facts with n=${n}`);
  }
  return { n, d, e: Float64Array.from(weights.subjectEmbedding), u: Float64Array.from(weights.attributeVectors) };
}

/**
 * argmax_a ⟨P[i], Û_a⟩ for every row i of P [rows×d] against unit attribute vectors Û [n×d]
 * (the cosine's argmax: the norm of P[i] does not change it). In JS when small, else by tf matMul
 * in batches whose score matrix stays near 8M numbers.
 */
async function argmaxScores(p: Float64Array, rows: number, uHat: Float64Array, n: number, d: number, onDevice: boolean): Promise<Int32Array> {
  const out = new Int32Array(rows);
  if (!onDevice) {
    for (let i = 0; i < rows; i++) {
      const po = i * d;
      let best = -Infinity;
      let arg = 0;
      for (let a = 0; a < n; a++) {
        const uo = a * d;
        let dot = 0;
        for (let j = 0; j < d; j++) dot += p[po + j] * uHat[uo + j];
        if (dot > best) {
          best = dot;
          arg = a;
        }
      }
      out[i] = arg;
    }
    return out;
  }
  const uT = tf.tidy(() => tf.transpose(tf.tensor2d(Float32Array.from(uHat), [n, d]))); // [d, n]
  try {
    const batch = Math.max(1, Math.min(rows, Math.floor(8_388_608 / n)));
    for (let start = 0; start < rows; start += batch) {
      const size = Math.min(batch, rows - start);
      const idx = tf.tidy(() => tf.argMax(tf.matMul(tf.tensor2d(Float32Array.from(p.subarray(start * d, (start + size) * d)), [size, d]), uT), 1));
      const values = await idx.data();
      idx.dispose();
      out.set(values, start);
    }
  } finally {
    uT.dispose();
  }
  return out;
}

export interface ProbeOptions {
  /** Where the N×N cosine argmax runs: 'js', 'tf', or 'auto' (JS when small; default). */
  scoring?: 'js' | 'tf' | 'auto';
  /** A fixed ridge penalty relative to the mean diagonal of XᵀX, instead of GCV's choice. */
  ridge?: number;
}

/** The ridge probes of docs/science.md §4 from weight arrays (the work of `measureProbes`). */
export async function probesFromWeights(
  weights: WeightArrays,
  facts: Facts,
  split: SubjectSplit,
  options: ProbeOptions = {},
): Promise<ProbeReport & { maps: Float64Array[] }> {
  const { n, d, e, u } = geometryOf(weights, facts);
  const r = facts.r;
  const ntr = split.train.length;
  const x = takeRows(e, split.train, d);
  const ridge = new GcvRidge(x, ntr, d);
  const maps: Float64Array[] = [];
  const lambdas: number[] = [];
  for (let rel = 0; rel < r; rel++) {
    const targets = Int32Array.from(split.train, (s) => facts.permutations[rel][s]);
    const fit = ridge.fit(takeRows(u, targets, d), d, RIDGE_GRID, options.ridge);
    maps.push(fit.maps);
    lambdas.push(fit.lambda / ridge.scale);
  }
  // Predictions B_r e_s for every subject and relation, stacked [R·N, d].
  const predictions = new Float64Array(r * n * d);
  for (let rel = 0; rel < r; rel++) predictions.set(matMulJs(e, maps[rel], n, d, d), rel * n * d);
  const uHat = normalizeRows(u, n, d);
  const scoring = options.scoring ?? 'auto';
  const onDevice = scoring === 'tf' || (scoring === 'auto' && r * n * n * d > JS_SCORING_LIMIT);
  const predicted = await argmaxScores(predictions, r * n, uHat, n, d, onDevice);
  const accuracyOn = (subjects: Int32Array, rel: number): number => {
    if (subjects.length === 0) return NaN;
    let correct = 0;
    for (const s of subjects) if (predicted[rel * n + s] === facts.permutations[rel][s]) correct += 1;
    return correct / subjects.length;
  };
  const heldOutAccuracy: number[] = [];
  const trainAccuracy: number[] = [];
  for (let rel = 0; rel < r; rel++) {
    heldOutAccuracy.push(accuracyOn(split.heldOut, rel));
    trainAccuracy.push(accuracyOn(split.train, rel));
  }
  return { heldOutAccuracy, trainAccuracy, lambda: lambdas, maps };
}

/**
 * For each relation r, the ridge probe B_r (row-vector convention: e_s·W_r ≈ u_{π_r(s)}, W_r d×d,
 * `maps[r]` row-major) fitted on the train subjects, and its accuracy (argmax_a cos(e_s W_r, u_a)
 * = π_r(s)) on held-out and train subjects.
 */
export async function measureProbes(model: Model, facts: Facts, split: SubjectSplit, options: ProbeOptions = {}): Promise<ProbeReport & { maps: Float64Array[] }> {
  return probesFromWeights(await readWeights(model), facts, split, options);
}

/**
 * The attribute projection heat map for one relation: K subjects (the held-out ones first, then
 * train ones, each in ascending order) and cos(e_s W_r, u_a) for every attribute a.
 * `maps` are the probe maps of `measureProbes`; read `weights` with readWeights.
 */
export function projectionSample(
  weights: WeightArrays,
  facts: Facts,
  split: SubjectSplit,
  maps: Float64Array[],
  relation: number,
  k: number,
): ProjectionSample {
  const { n, d, e, u } = geometryOf(weights, facts);
  if (!(relation >= 0 && relation < facts.r)) throw new Error(`projection: relation ${relation} is not in 0..${facts.r - 1}`);
  const count = Math.max(0, Math.min(k, n));
  const subjects = new Int32Array(count);
  let filled = 0;
  for (const s of split.heldOut) if (filled < count) subjects[filled++] = s;
  for (const s of split.train) if (filled < count) subjects[filled++] = s;
  const targets = Int32Array.from(subjects, (s) => facts.permutations[relation][s]);
  const p = normalizeRows(matMulJs(takeRows(e, subjects, d), maps[relation], count, d, d), count, d);
  const uHat = normalizeRows(u, n, d);
  const scores = new Float32Array(count * n);
  for (let i = 0; i < count; i++) {
    for (let a = 0; a < n; a++) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += p[i * d + j] * uHat[a * d + j];
      scores[i * n + a] = dot;
    }
  }
  return { relation, subjects, targets, scores, n };
}

/** Features F_s = concat_r u_{π_r(s)} ∈ R^{R·d} for the given subjects, row-major; π = `permutations`. */
function superpositionFeatures(geometry: Geometry, permutations: readonly Int32Array[], subjects: Int32Array): Float64Array {
  const { d, u } = geometry;
  const width = permutations.length * d;
  const f = new Float64Array(subjects.length * width);
  subjects.forEach((s, i) => {
    permutations.forEach((perm, rel) => {
      const a = perm[s];
      f.set(u.subarray(a * d, (a + 1) * d), i * width + rel * d);
    });
  });
  return f;
}

/** Features of the relation-symmetric baseline, Σ_r u_{π_r(s)} ∈ R^d, for the given subjects, row-major. */
function summedFeatures(geometry: Geometry, permutations: readonly Int32Array[], subjects: Int32Array): Float64Array {
  const { d, u } = geometry;
  const f = new Float64Array(subjects.length * d);
  subjects.forEach((s, i) => {
    for (const perm of permutations) {
      const o = perm[s] * d;
      for (let j = 0; j < d; j++) f[i * d + j] += u[o + j];
    }
  });
  return f;
}

/**
 * R² = 1 − SS_res/SS_tot of predictions X·W (X: `features`, rows×p) for the embeddings of `subjects`,
 * SS_tot around their mean; NaN when SS_tot = 0 or there are no subjects.
 */
function rSquared(geometry: Geometry, subjects: Int32Array, features: Float64Array, p: number, maps: Float64Array): number {
  const { d, e } = geometry;
  const count = subjects.length;
  if (count === 0) return NaN;
  const predicted = matMulJs(features, maps, count, p, d);
  const mean = new Float64Array(d);
  for (const s of subjects) for (let j = 0; j < d; j++) mean[j] += e[s * d + j] / count;
  let res = 0;
  let tot = 0;
  subjects.forEach((s, i) => {
    for (let j = 0; j < d; j++) {
      const v = e[s * d + j];
      res += (v - predicted[i * d + j]) ** 2;
      tot += (v - mean[j]) ** 2;
    }
  });
  return tot > 0 ? 1 - res / tot : NaN;
}

/** A GCV ridge fit of the embeddings of `split.train` on `features(subjects)` (p columns), scored on both parts. */
function fitEmbeddings(
  geometry: Geometry,
  split: SubjectSplit,
  features: (subjects: Int32Array) => Float64Array,
  p: number,
  ridge?: number,
): { maps: Float64Array; lambda: number; trainR2: number; heldOutR2: number } {
  const train = features(split.train);
  const { maps, lambda } = new GcvRidge(train, split.train.length, p).fit(takeRows(geometry.e, split.train, geometry.d), geometry.d, RIDGE_GRID, ridge);
  return {
    maps,
    lambda,
    trainR2: rSquared(geometry, split.train, train, p, maps),
    heldOutR2: rSquared(geometry, split.heldOut, features(split.heldOut), p, maps),
  };
}


/**
 * At or above this many features per fitted subject (R·d / N_train) the superposition fit is flagged
 * as interpolating (`SuperpositionReport.interpolates`; our rule, docs/science.md §4): without a ridge it
 * fits the train subjects exactly at 1, and GCV's choice of ridge turns unstable near there. Measured
 * on an Adam-trained model (N = 256, R = 4, d = 32, m = 256, seed 1), fitting fewer subjects to vary
 * the ratio: held-out R² 0.69–0.72 from 0.62 to 1.07 features per subject, then 0.13–0.42 from 1.28
 * to 1.6, where GCV picks a ridge that fits the train subjects exactly (train R² 1.00); the control
 * with unrelated bijections stayed at −0.02 … −0.08 up to 2 features per subject and fell to −0.57 at
 * 3.2. Under the flag a high held-out R² is still evidence (held-out subjects are never fitted), but a
 * low one may be the fit's variance rather than missing structure.
 */
export const INTERPOLATION_RATIO = 0.8;

export interface SuperpositionOptions {
  /** A fixed ridge relative to the mean diagonal of FᵀF, instead of GCV's choice (all three fits). */
  ridge?: number;
  /** Fit the control of unrelated bijections too (default true); when false, `controlHeldOutR2` is NaN. */
  control?: boolean;
}

/**
 * The superposition fit from weight arrays (the work of `measureSuperposition`): ridge regression
 * E ≈ F·A on the train subjects, F_s = concat_r u_{π_r(s)}, A ∈ R^{Rd×d} (block r is A_r), with λ
 * chosen by generalized cross-validation over RIDGE_GRID (see `GcvRidge`), or fixed at `ridge` ×
 * mean diag(FᵀF) when given. Beside it, on the same split: the relation-symmetric baseline
 * E ≈ (Σ_r u_{π_r(s)})·A with one d×d map, and the control, the R-map fit against fresh bijections
 * unrelated to the facts (`makeFacts(n, r, deriveSeed(facts.seed, 'superposition-control'))`).
 */
export function superpositionFromWeights(
  weights: WeightArrays,
  facts: Facts,
  split: SubjectSplit,
  options: SuperpositionOptions = {},
): SuperpositionReport & { maps: Float64Array } {
  const geometry = geometryOf(weights, facts);
  const { d } = geometry;
  const p = facts.r * d;
  const { ridge } = options;
  const fit = fitEmbeddings(geometry, split, (subjects) => superpositionFeatures(geometry, facts.permutations, subjects), p, ridge);
  const baseline = fitEmbeddings(geometry, split, (subjects) => summedFeatures(geometry, facts.permutations, subjects), d, ridge);
  let controlHeldOutR2 = NaN;
  if (options.control ?? true) {
    const unrelated = makeFacts(facts.n, facts.r, deriveSeed(facts.seed, 'superposition-control')).permutations;
    controlHeldOutR2 = fitEmbeddings(geometry, split, (subjects) => superpositionFeatures(geometry, unrelated, subjects), p, ridge).heldOutR2;
  }
  const featuresPerSubject = split.train.length > 0 ? p / split.train.length : Infinity;
  return {
    heldOutR2: fit.heldOutR2,
    trainR2: fit.trainR2,
    lambda: fit.lambda,
    baselineHeldOutR2: baseline.heldOutR2,
    featuresPerSubject,
    interpolates: featuresPerSubject >= INTERPOLATION_RATIO,
    controlHeldOutR2,
    maps: fit.maps,
  };
}

/**
 * How much of the subject embeddings is a linear superposition of their attribute vectors:
 * e_s ≈ Σ_r u_{π_r(s)} A_r fitted on the train subjects, R² on held-out (and train) subjects.
 * `maps` is A, row-major (R·d × d): rows r·d … r·d+d−1 are A_r.
 */
export async function measureSuperposition(
  model: Model,
  facts: Facts,
  split: SubjectSplit,
  options: SuperpositionOptions = {},
): Promise<SuperpositionReport & { maps: Float64Array }> {
  return superpositionFromWeights(await readWeights(model), facts, split, options);
}

export interface MeasureAllOptions {
  /** The relation shown in the projection heat map. */
  relation: number;
  /** Subjects in the projection heat map. */
  sampleSize: number;
  /** The run's seed: fixes the 80/20 subject split. */
  seed: number;
}

export interface AllMeasurements {
  probe: ProbeReport;
  superposition: SuperpositionReport;
  projection: ProjectionSample;
  gating: GatingReport;
}

/** Everything the live page shows, from one read of the weights. */
export async function measureAll(model: Model, facts: Facts, options: MeasureAllOptions): Promise<AllMeasurements> {
  checkModelFacts(model, facts);
  const split = subjectSplit(facts.n, options.seed);
  const weights = await readWeights(model);
  const { maps, ...probe } = await probesFromWeights(weights, facts, split);
  const { maps: _maps, ...superposition } = superpositionFromWeights(weights, facts, split);
  const projection = projectionSample(weights, facts, split, maps, options.relation, options.sampleSize);
  const gating = await measureGating(model, facts);
  return { probe, superposition, projection, gating };
}
