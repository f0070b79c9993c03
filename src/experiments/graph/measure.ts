/**
 * What is measured on a graph's node embeddings (docs/science.md §8), pure float64 JS: the 2-D PCA
 * (aligned frame to frame), the geometric score (mean cosine of edge ends, and of non-edges), the
 * associative score (edges recovered in the model's top-k and top-degree predictions), ring order and
 * grid Procrustes R², the cosine matrix, and the energy of the embeddings on the Laplacian's
 * eigenvectors. Embeddings are row-major n×d (node i in row i).
 */
import { symmetricEigen } from '../../core/measure/linalg';
import { laplacian, neighbours, type Graph } from './graphs';

/** Cosine similarity of every pair of rows: n×n row-major (a zero row has cosine 0 with everything). */
export function cosineMatrix(emb: ArrayLike<number>, n: number, d: number): Float64Array {
  const norms = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < d; k++) s += emb[i * d + k] ** 2;
    norms[i] = Math.sqrt(s);
  }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += emb[i * d + k] * emb[j * d + k];
      const c = norms[i] > 0 && norms[j] > 0 ? s / (norms[i] * norms[j]) : 0;
      out[i * n + j] = out[j * n + i] = c;
    }
  }
  return out;
}

/** Mean cosine of the ends of every edge, and of every pair of distinct nodes that is not an edge. */
export function geometricScores(cos: Float64Array, g: Graph): { edge: number; nonEdge: number } {
  const n = g.n;
  const isEdge = new Uint8Array(n * n);
  let edge = 0;
  for (const [u, v] of g.edges) {
    isEdge[u * n + v] = isEdge[v * n + u] = 1;
    edge += cos[u * n + v];
  }
  let non = 0;
  let count = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (isEdge[i * n + j]) continue;
      non += cos[i * n + j];
      count++;
    }
  }
  return { edge: g.edges.length ? edge / g.edges.length : 0, nonEdge: count ? non / count : 0 };
}

/**
 * The associative score from the model's scores for every node as `u` (n rows of `width` candidates,
 * row-major): the fraction of directed edges (u, v) with v among u's top k, and with v among u's top
 * deg(u). `excludeSelf` drops u from its own candidates (for Node2Vec, whose tied score ranks u first).
 */
export function recovery(scores: ArrayLike<number>, width: number, g: Graph, k = 5, excludeSelf = false): { topK: number; topDegree: number } {
  const nb = neighbours(g);
  let hitK = 0;
  let hitDeg = 0;
  let total = 0;
  for (let u = 0; u < g.n; u++) {
    const order = Array.from({ length: width }, (_, i) => i).filter((i) => !(excludeSelf && i === u));
    order.sort((a, b) => scores[u * width + b] - scores[u * width + a] || a - b);
    const rank = new Map(order.map((c, r) => [c, r]));
    for (const v of nb[u]) {
      const r = rank.get(v)!;
      if (r < k) hitK++;
      if (r < nb[u].length) hitDeg++;
      total++;
    }
  }
  return { topK: total ? hitK / total : 0, topDegree: total ? hitDeg / total : 0 };
}

/**
 * The first two principal components' scores of the rows (centred across nodes), n×2 row-major,
 * and the share of the variance each explains. Through the n×n Gram matrix, so the cost does not grow with d.
 */
export function pca2(emb: ArrayLike<number>, n: number, d: number): { coords: Float64Array; explained: [number, number] } {
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) mean[k] += emb[i * d + k] / n;
  const x = new Float64Array(n * d);
  for (let i = 0; i < n; i++) for (let k = 0; k < d; k++) x[i * d + k] = emb[i * d + k] - mean[k];
  const gram = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < d; k++) s += x[i * d + k] * x[j * d + k];
      gram[i * n + j] = gram[j * n + i] = s;
    }
  }
  const { values, vectors } = symmetricEigen(gram, n);
  const order = Array.from(values.keys()).sort((a, b) => values[b] - values[a]);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0);
  const coords = new Float64Array(n * 2);
  const explained: [number, number] = [0, 0];
  for (let c = 0; c < 2 && c < n; c++) {
    const e = order[c];
    const lambda = Math.max(values[e], 0);
    explained[c] = total > 0 ? lambda / total : 0;
    for (let i = 0; i < n; i++) coords[i * 2 + c] = vectors[e * n + i] * Math.sqrt(lambda);
  }
  return { coords, explained };
}

/**
 * The 2×2 orthogonal map (rotation or reflection) Q maximising tr(Qᵀ M) for M = AᵀB (A, B n×2), and
 * that trace: the orthogonal Procrustes solution that takes A closest to B.
 */
function bestOrthogonal(a: Float64Array, b: Float64Array, n: number): { q: [number, number, number, number]; trace: number } {
  let m11 = 0, m12 = 0, m21 = 0, m22 = 0;
  for (let i = 0; i < n; i++) {
    m11 += a[i * 2] * b[i * 2];
    m12 += a[i * 2] * b[i * 2 + 1];
    m21 += a[i * 2 + 1] * b[i * 2];
    m22 += a[i * 2 + 1] * b[i * 2 + 1];
  }
  const rot = Math.hypot(m11 + m22, m21 - m12);
  const ref = Math.hypot(m11 - m22, m21 + m12);
  if (rot >= ref) {
    const t = Math.atan2(m21 - m12, m11 + m22);
    return { q: [Math.cos(t), -Math.sin(t), Math.sin(t), Math.cos(t)], trace: rot };
  }
  const t = Math.atan2(m21 + m12, m11 - m22);
  return { q: [Math.cos(t), Math.sin(t), Math.sin(t), -Math.cos(t)], trace: ref };
}

/** `cur` (n×2) rotated or reflected to lie closest to `prev`: the same picture, without PCA's sign flips and spins. */
export function alignTo(prev: Float64Array, cur: Float64Array, n: number): Float64Array {
  const { q } = bestOrthogonal(cur, prev, n);
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[i * 2] = cur[i * 2] * q[0] + cur[i * 2 + 1] * q[2];
    out[i * 2 + 1] = cur[i * 2] * q[1] + cur[i * 2 + 1] * q[3];
  }
  return out;
}

function centred(p: ArrayLike<number>, n: number): Float64Array {
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) {
    mx += p[i * 2] / n;
    my += p[i * 2 + 1] / n;
  }
  const out = new Float64Array(n * 2);
  for (let i = 0; i < n; i++) {
    out[i * 2] = p[i * 2] - mx;
    out[i * 2 + 1] = p[i * 2 + 1] - my;
  }
  return out;
}

/**
 * Procrustes R² of 2-D points to target 2-D points (both n×2): the share of the target's variance
 * explained by the best similarity map (shift, scale, rotation or reflection) of the points,
 * (max tr)² / (‖X‖² ‖Y‖²) after centring. 1 for an exact copy up to those maps, 0 for no relation.
 */
export function procrustesR2(points: ArrayLike<number>, target: ArrayLike<number>, n: number): number {
  const y = centred(points, n);
  const x = centred(target, n);
  const yy = y.reduce((s, v) => s + v * v, 0);
  const xx = x.reduce((s, v) => s + v * v, 0);
  if (yy === 0 || xx === 0) return 0;
  const { trace } = bestOrthogonal(y, x, n);
  return (trace * trace) / (xx * yy);
}

/**
 * Ring order of 2-D points (n×2) for a cycle 0–1–…–(n−1)–0: the nodes sorted by angle around the
 * points' centre. `exact` when that order is the cycle's, up to rotation and direction;
 * `adjacent` is the fraction of consecutive pairs in the angular order (cyclically) that are cycle edges.
 */
export function ringOrder(points: ArrayLike<number>, n: number): { exact: boolean; adjacent: number } {
  const c = centred(points, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => Math.atan2(c[a * 2 + 1], c[a * 2]) - Math.atan2(c[b * 2 + 1], c[b * 2]));
  let up = 0;
  let down = 0;
  for (let i = 0; i < n; i++) {
    const step = (order[(i + 1) % n] - order[i] + n) % n;
    if (step === 1) up++;
    else if (step === n - 1) down++;
  }
  return { exact: up === n || down === n, adjacent: (up + down) / n };
}

/** The Laplacian's eigenvalues (ascending) and eigenvectors (row k: the k-th, unit length). */
export function laplacianSpectrum(g: Graph): { values: number[]; vectors: number[][] } {
  const { values, vectors } = symmetricEigen(laplacian(g), g.n);
  const order = Array.from(values.keys()).sort((a, b) => values[a] - values[b]);
  return { values: order.map((k) => values[k]), vectors: order.map((k) => Array.from(vectors.subarray(k * g.n, (k + 1) * g.n))) };
}

/**
 * The spectral view: for each Laplacian eigenvector φ_k (by eigenvalue λ_k, ascending), the share of the
 * embeddings' energy on it, ‖φ_kᵀ X‖² / ‖X‖² (X the n×d embeddings, not centred; the shares sum to 1).
 * Geometry that follows the graph puts its energy on the small eigenvalues (smooth over edges).
 */
export function spectralEnergy(g: Graph, emb: ArrayLike<number>, d: number, spectrum = laplacianSpectrum(g)): { eigenvalue: number; energy: number }[] {
  const n = g.n;
  let total = 0;
  for (let i = 0; i < n * d; i++) total += emb[i] ** 2;
  return spectrum.values.map((eigenvalue, k) => {
    const phi = spectrum.vectors[k];
    let e = 0;
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += phi[i] * emb[i * d + j];
      e += s * s;
    }
    return { eigenvalue, energy: total > 0 ? e / total : 0 };
  });
}

/**
 * Pearson correlation, over the pairs i ≠ j, between a cosine matrix and the 0/1 adjacency (both n×n):
 * 1 when cosine alone tells edges from non-edges perfectly and linearly, about 0 for random vectors.
 */
export function adjacencyCorrelation(cos: ArrayLike<number>, adj: ArrayLike<number>, n: number): number {
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, m = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const x = cos[i * n + j];
      const y = adj[i * n + j];
      sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y; m++;
    }
  }
  if (m === 0) return 0;
  const vx = sxx - (sx * sx) / m;
  const vy = syy - (sy * sy) / m;
  return vx > 0 && vy > 0 ? (sxy - (sx * sy) / m) / Math.sqrt(vx * vy) : 0;
}
