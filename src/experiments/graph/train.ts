/**
 * trainGraph: edge memorization on a tiny graph (docs/science.md §8). The model sees `[EDGE] u` and
 * must name v, for both directions of every edge, one full batch of all of them per step; the
 * embeddings are measured (measure.ts) at recorded steps: every step up to 100, then every `stride`
 * steps (at most about 200 more frames), each step where every edge comes into its top 5 (until that
 * holds for HOLD steps), and the end.
 * A frame at step s is measured after s updates (step 0: the initialisation), as their code records it.
 */
import { deriveSeed } from '../../core/model/prng';
import { directedEdges, type Graph } from './graphs';
import { alignTo, cosineMatrix, geometricScores, laplacianSpectrum, pca2, procrustesR2, recovery, ringOrder, spectralEnergy } from './measure';
import { cosineLr, createGraphModel, edgeToken } from './model';
import { createNode2Vec, NODE2VEC_DEFAULTS } from './node2vec';

export type GraphLearner = 'transformer' | 'associative' | 'node2vec';
export const GRAPH_LEARNERS: readonly GraphLearner[] = ['transformer', 'associative', 'node2vec'];

/** Their settings: the GPT at d = 32, lr 0.01 (cosine to 0.001), 700 steps on the cycle, 500 on the others;
 *  the associative control at d = 512, lr 0.1, weight decay 0.001; Node2Vec at d = 100 (steps: epochs of walks). */
export const LEARNER_DEFAULTS: Record<GraphLearner, { d: number; lr: number; steps: (g: Graph) => number }> = {
  transformer: { d: 32, lr: 0.01, steps: (g) => (g.kind === 'cycle' ? 700 : 500) },
  associative: { d: 512, lr: 0.1, steps: () => 100 },
  node2vec: { d: NODE2VEC_DEFAULTS.d, lr: NODE2VEC_DEFAULTS.lr, steps: () => 100 },
};
export const TOP_K = 5;
/** Steps 100% top-5 recovery must hold for its first step to count as `heldFull`. */
export const HOLD = 10;

export interface GraphTrainOptions {
  graph: Graph;
  learner: GraphLearner;
  seed: number;
  steps?: number;
  d?: number;
  lr?: number;
  /** Called every `progressEvery` steps (and at the end), with the frames recorded so far; awaited, so a worker can yield there. */
  onProgress?: (p: { step: number; steps: number; topK: number; loss: number; frames: readonly GraphFrame[] }) => void | Promise<void>;
  progressEvery?: number;
  /** Stops the run (it returns what it has) when this turns true. */
  cancelled?: () => boolean;
}

export interface GraphFrame {
  step: number;
  /** Mean cross-entropy of the edges under the model's scores (for Node2Vec, a softmax over its dot products). */
  loss: number;
  /** Associative score: directed edges with v in u's top 5, and in u's top deg(u). */
  topK: number;
  topDegree: number;
  /** Geometric score: mean cosine of edge ends; the same over non-edges. */
  geometric: number;
  nonEdge: number;
  /** 2-D PCA of the node embeddings, n×2 row-major, aligned to the previous frame; the variance shares. */
  pca: number[];
  explained: [number, number];
  /** Cycle only: the PCA's angular order is the cycle's (exact), the share of angular neighbours that are edges. */
  ring?: { exact: boolean; adjacent: number };
  /** Grid only: Procrustes R² of the PCA to the true grid coordinates. */
  gridR2?: number;
  /** Energy share on each Laplacian eigenvector (eigenvalues ascending: GraphTrainResult.eigenvalues). */
  spectrum: number[];
  /**
   * The n×n cosine matrix, nodes in graph order: on every frame up to COSINE_EVERY_FRAME_MAX_N nodes, on
   * key frames only (each step 100% top-5 begins, step 100, the end) above it, so a big graph's frames stay small.
   */
  cosine?: number[];
}

export interface GraphTrainResult {
  graph: { name: string; kind: Graph['kind']; n: number; edges: [number, number][] };
  learner: GraphLearner;
  seed: number;
  steps: number;
  d: number;
  lr: number;
  parameters: number;
  eigenvalues: number[];
  /** The first step with every edge in its top 5, or null. Early on it can be a passing moment: lr 0.01 shakes the ranks. */
  firstFull: number | null;
  /** The first step from which every edge stays in its top 5 for HOLD steps (or to the end), or null. */
  heldFull: number | null;
  frames: GraphFrame[];
  points: { firstFull: GraphFrame | null; heldFull: GraphFrame | null; step100: GraphFrame | null; end: GraphFrame };
  /** For the associative control: its embeddings are frozen random vectors, so no geometry by construction. */
  note?: string;
}

export const ASSOCIATIVE_NOTE = 'associative control: its tied embeddings are frozen random vectors, so its geometry (measured on them) is none by construction';

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/** Graphs up to this many nodes carry their cosine matrix on every frame (15 nodes × ~300 frames: ~70k numbers). */
export const COSINE_EVERY_FRAME_MAX_N = 32;

export function strideFor(steps: number): number {
  return Math.max(5, Math.ceil((steps - 100) / 200));
}
const recordAt = (s: number, steps: number, stride: number) => s <= 100 || s === steps || s % stride === 0;

interface Learner {
  d: number;
  width: number;
  excludeSelf: boolean;
  parameters: number;
  scores(): ArrayLike<number>;
  embeddings(): ArrayLike<number>;
  update(step: number, steps: number): void;
  dispose(): void;
}

function makeLearner(g: Graph, learner: GraphLearner, seed: number, d: number, lr: number): Learner {
  if (learner === 'node2vec') {
    const model = createNode2Vec(g, { ...NODE2VEC_DEFAULTS, d, lr, seed: deriveSeed(seed, 'graph-node2vec') });
    return { d, width: g.n, excludeSelf: true, parameters: g.n * d, scores: model.scores, embeddings: model.embeddings, update: (s, t) => void model.epoch(s, t), dispose: () => {} };
  }
  const assoc = learner === 'associative';
  const model = createGraphModel({ kind: learner, n: g.n, d, seed: deriveSeed(seed, 'graph-init'), weightDecay: assoc ? 0.001 : 0 });
  const nodes = Int32Array.from({ length: g.n }, (_, i) => i);
  const prefixNodes = new Int32Array(g.n).fill(edgeToken(g.n));
  const pairs = directedEdges(g);
  const us = Int32Array.from(pairs, ([u]) => u);
  const vs = Int32Array.from(pairs, ([, v]) => v);
  const prefix = new Int32Array(pairs.length).fill(edgeToken(g.n));
  return {
    d,
    width: model.vocab,
    excludeSelf: false,
    parameters: model.parameterCount(),
    scores() {
      const logits = model.logits(prefixNodes, nodes);
      const data = logits.dataSync();
      logits.dispose();
      return data;
    },
    embeddings: () => model.embeddings(),
    update: (s, t) => void model.step(prefix, us, vs, cosineLr(s, t, lr, lr / 10)),
    dispose: () => model.dispose(),
  };
}

/** Mean cross-entropy of the directed edges under `scores` (n rows of `width`). */
function edgeLoss(scores: ArrayLike<number>, width: number, g: Graph, excludeSelf: boolean): number {
  let total = 0;
  const pairs = directedEdges(g);
  for (const [u, v] of pairs) {
    let max = -Infinity;
    for (let j = 0; j < width; j++) if (!(excludeSelf && j === u)) max = Math.max(max, scores[u * width + j]);
    let sum = 0;
    for (let j = 0; j < width; j++) if (!(excludeSelf && j === u)) sum += Math.exp(scores[u * width + j] - max);
    total += max + Math.log(sum) - scores[u * width + v];
  }
  return total / pairs.length;
}

export async function trainGraph(o: GraphTrainOptions): Promise<GraphTrainResult> {
  const g = o.graph;
  const defaults = LEARNER_DEFAULTS[o.learner];
  const steps = o.steps ?? defaults.steps(g);
  const d = o.d ?? defaults.d;
  const lr = o.lr ?? defaults.lr;
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`graph: steps must be a positive integer; got ${steps}`);
  if (!Number.isInteger(d) || d < 2) throw new Error(`graph: d must be an integer ≥ 2; got ${d}`);
  const spectrum = laplacianSpectrum(g);
  const coords = g.coords?.flat();
  const stride = strideFor(steps);
  const every = o.progressEvery ?? 25;
  const frames: GraphFrame[] = [];
  let firstFull: number | null = null;
  let heldFull: number | null = null;
  let candidate: number | null = null;
  let prevPca: Float64Array | null = null;
  const learner = makeLearner(g, o.learner, o.seed, d, lr);
  let step = 0;
  try {
    for (; step <= steps; step++) {
      const scores = learner.scores();
      const rec = recovery(scores, learner.width, g, TOP_K, learner.excludeSelf);
      const isFirst = firstFull === null && rec.topK === 1;
      if (isFirst) firstFull = step;
      const isCandidate = heldFull === null && candidate === null && rec.topK === 1;
      if (rec.topK < 1) candidate = null;
      else if (isCandidate) candidate = step;
      if (heldFull === null && candidate !== null && step - candidate >= HOLD) heldFull = candidate;
      const last = step === steps || o.cancelled?.() === true;
      if (last && heldFull === null && candidate !== null) heldFull = candidate;
      if (recordAt(step, steps, stride) || isFirst || isCandidate || last) {
        const emb = learner.embeddings();
        const cos = cosineMatrix(emb, g.n, d);
        const geo = geometricScores(cos, g);
        const { coords: raw, explained } = pca2(emb, g.n, d);
        const pca: Float64Array = prevPca ? alignTo(prevPca, raw, g.n) : raw;
        prevPca = pca;
        const key = g.n <= COSINE_EVERY_FRAME_MAX_N || isFirst || isCandidate || step === 100 || last;
        frames.push({
          step,
          loss: round(edgeLoss(scores, learner.width, g, learner.excludeSelf), 5),
          topK: round(rec.topK, 4),
          topDegree: round(rec.topDegree, 4),
          geometric: round(geo.edge, 4),
          nonEdge: round(geo.nonEdge, 4),
          pca: Array.from(pca, (x) => round(x, 5)),
          explained: [round(explained[0], 4), round(explained[1], 4)],
          ...(g.kind === 'cycle' ? { ring: (({ exact, adjacent }) => ({ exact, adjacent: round(adjacent, 4) }))(ringOrder(pca, g.n)) } : {}),
          ...(coords ? { gridR2: round(procrustesR2(pca, coords, g.n), 4) } : {}),
          spectrum: spectralEnergy(g, emb, d, spectrum).map((x) => round(x.energy, 5)),
          ...(key ? { cosine: Array.from(cos, (x) => round(x, 4)) } : {}),
        });
      }
      if (step > 0 && (step % every === 0 || last) && o.onProgress) {
        await o.onProgress({ step, steps, topK: rec.topK, loss: frames[frames.length - 1]?.loss ?? NaN, frames });
      }
      if (last) break;
      learner.update(step, steps);
    }
  } finally {
    learner.dispose();
  }
  const at = (s: number | null) => (s === null ? null : (frames.find((f) => f.step === s) ?? null));
  return {
    graph: { name: g.name, kind: g.kind, n: g.n, edges: g.edges },
    learner: o.learner,
    seed: o.seed,
    steps: Math.min(step, steps),
    d,
    lr,
    parameters: learner.parameters,
    eigenvalues: spectrum.values.map((x) => round(x, 6)),
    firstFull,
    heldFull,
    frames,
    points: { firstFull: at(firstFull), heldFull: at(heldFull), step100: steps >= 100 ? at(100) : null, end: frames[frames.length - 1] },
    ...(o.learner === 'associative' ? { note: ASSOCIATIVE_NOTE } : {}),
  };
}
