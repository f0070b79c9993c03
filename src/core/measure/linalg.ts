/**
 * The small dense linear algebra of the measurements (docs/science.md §4), in float64 JS on weights read
 * back once: Gram and cross products, a symmetric eigen-solver, and ridge regression with its penalty
 * chosen by generalized cross-validation. No tfjs: the sizes are d or R·d, a few hundred at most.
 */

/**
 * The ridge penalty λ = relative × mean diagonal of a p×p Gram matrix (trace/p): scale-free.
 * Falls back to `relative` itself when the Gram matrix is zero (all-zero inputs), so the solve stays
 * well posed.
 */
export function ridgeLambda(gram: Float64Array, p: number, relative: number): number {
  let trace = 0;
  for (let i = 0; i < p; i++) trace += gram[i * p + i];
  const lambda = (relative * trace) / p;
  return lambda > 0 && Number.isFinite(lambda) ? lambda : relative;
}

/** out[o … o+len) += alpha · src[so … so+len): the inner loop of the products below. */
function addScaled(out: Float64Array, o: number, alpha: number, src: Float64Array, so: number, len: number): void {
  for (let j = 0; j < len; j++) out[o + j] += alpha * src[so + j];
}

/** XᵀX (p×p, float64) over the given rows of a row-major matrix with p columns. */
export function gramOf(x: Float64Array, rows: number, p: number): Float64Array {
  const g = new Float64Array(p * p);
  // The upper triangle, row i from column i on; mirrored below.
  for (let s = 0; s < rows; s++) for (let i = 0; i < p; i++) if (x[s * p + i] !== 0) addScaled(g, i * p + i, x[s * p + i], x, s * p + i, p - i);
  for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) g[i * p + j] = g[j * p + i];
  return g;
}

/** XᵀY (p×q) for row-major X [rows×p] and Y [rows×q]. */
export function crossOf(x: Float64Array, y: Float64Array, rows: number, p: number, q: number): Float64Array {
  const c = new Float64Array(p * q);
  for (let s = 0; s < rows; s++) for (let i = 0; i < p; i++) if (x[s * p + i] !== 0) addScaled(c, i * q, x[s * p + i], y, s * q, q);
  return c;
}

/** Row-major A [rows×p] times B [p×q], float64. */
export function matMulJs(a: Float64Array, b: Float64Array, rows: number, p: number, q: number): Float64Array {
  const out = new Float64Array(rows * q);
  for (let s = 0; s < rows; s++) for (let i = 0; i < p; i++) if (a[s * p + i] !== 0) addScaled(out, s * q, a[s * p + i], b, i * q, q);
  return out;
}

/**
 * Eigen-decomposition of a symmetric p×p matrix: G = Σ_i values[i] v_i v_iᵀ, eigenvector v_i in row i
 * of `vectors` (p×p row-major). Householder tridiagonalisation and the implicit QL algorithm
 * (tred2/tql2 of EISPACK, as in JAMA), on column-major storage so the O(p³) loops run along memory.
 */
export function symmetricEigen(g: Float64Array, p: number): { values: Float64Array; vectors: Float64Array } {
  const v = Float64Array.from(g);
  const d = new Float64Array(p);
  const e = new Float64Array(p);
  const at = (i: number, j: number) => j * p + i; // column-major: V[i][j]
  if (p === 0) return { values: d, vectors: v };
  // tred2
  for (let j = 0; j < p; j++) d[j] = v[at(p - 1, j)];
  for (let i = p - 1; i > 0; i--) {
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]);
    if (scale === 0) {
      e[i] = d[i - 1];
      for (let j = 0; j < i; j++) {
        d[j] = v[at(i - 1, j)];
        v[at(i, j)] = 0;
        v[at(j, i)] = 0;
      }
    } else {
      for (let k = 0; k < i; k++) {
        d[k] /= scale;
        h += d[k] * d[k];
      }
      let f = d[i - 1];
      let gg = Math.sqrt(h);
      if (f > 0) gg = -gg;
      e[i] = scale * gg;
      h -= f * gg;
      d[i - 1] = f - gg;
      for (let j = 0; j < i; j++) e[j] = 0;
      for (let j = 0; j < i; j++) {
        f = d[j];
        v[at(j, i)] = f;
        gg = e[j] + v[at(j, j)] * f;
        for (let k = j + 1; k <= i - 1; k++) {
          gg += v[at(k, j)] * d[k];
          e[k] += v[at(k, j)] * f;
        }
        e[j] = gg;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j] /= h;
        f += e[j] * d[j];
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j] -= hh * d[j];
      for (let j = 0; j < i; j++) {
        f = d[j];
        gg = e[j];
        for (let k = j; k <= i - 1; k++) v[at(k, j)] -= f * e[k] + gg * d[k];
        d[j] = v[at(i - 1, j)];
        v[at(i, j)] = 0;
      }
    }
    d[i] = h;
  }
  for (let i = 0; i < p - 1; i++) {
    v[at(p - 1, i)] = v[at(i, i)];
    v[at(i, i)] = 1;
    const h = d[i + 1];
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[at(k, i + 1)] / h;
      for (let j = 0; j <= i; j++) {
        let gg = 0;
        for (let k = 0; k <= i; k++) gg += v[at(k, i + 1)] * v[at(k, j)];
        for (let k = 0; k <= i; k++) v[at(k, j)] -= gg * d[k];
      }
    }
    for (let k = 0; k <= i; k++) v[at(k, i + 1)] = 0;
  }
  for (let j = 0; j < p; j++) {
    d[j] = v[at(p - 1, j)];
    v[at(p - 1, j)] = 0;
  }
  v[at(p - 1, p - 1)] = 1;
  e[0] = 0;
  // tql2
  for (let i = 1; i < p; i++) e[i - 1] = e[i];
  e[p - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < p; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < p) {
      if (Math.abs(e[m]) <= eps * tst1) break;
      m++;
    }
    if (m > l) {
      let iterations = 0;
      do {
        if (++iterations > 100) throw new Error('symmetricEigen: no convergence (non-finite input?)');
        let gg = d[l];
        let pp = (d[l + 1] - gg) / (2 * e[l]);
        let r = Math.hypot(pp, 1);
        if (pp < 0) r = -r;
        d[l] = e[l] / (pp + r);
        d[l + 1] = e[l] * (pp + r);
        const dl1 = d[l + 1];
        let h = gg - d[l];
        for (let i = l + 2; i < p; i++) d[i] -= h;
        f += h;
        pp = d[m];
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1];
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          gg = c * e[i];
          h = c * pp;
          r = Math.hypot(pp, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = pp / r;
          pp = c * d[i] - s * gg;
          d[i + 1] = h + s * (c * gg + s * d[i]);
          const col = i * p;
          const next = col + p;
          for (let k = 0; k < p; k++) {
            h = v[next + k];
            v[next + k] = s * v[col + k] + c * h;
            v[col + k] = c * v[col + k] - s * h;
          }
        }
        pp = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * pp;
        d[l] = c * pp;
      } while (Math.abs(e[l]) > eps * tst1);
    }
    d[l] += f;
    e[l] = 0;
  }
  return { values: d, vectors: v };
}


/**
 * Ridge regression Y ≈ X·W (X rows×p, Y rows×q, row-major) with λ chosen by generalized
 * cross-validation (Golub, Heath & Wahba 1979) over `grid` × mean diag(XᵀX), or fixed at `fixed` ×
 * mean diag(XᵀX) when given. One eigen-decomposition XᵀX = V Λ Vᵀ serves every λ and every target
 * block: with B = Vᵀ XᵀY, W = V (Λ+λ)⁻¹ B, RSS = ‖Y‖² − Σ_k (2/(λ_k+λ) − λ_k/(λ_k+λ)²)‖B_k‖²,
 * tr H = Σ_k λ_k/(λ_k+λ), GCV = RSS / (rows − tr H)².
 */
export class GcvRidge {
  private readonly values: number[];
  private readonly vectors: Float64Array;
  readonly scale: number;

  constructor(
    private readonly x: Float64Array,
    private readonly rows: number,
    private readonly p: number,
  ) {
    const g = gramOf(x, rows, p);
    this.scale = ridgeLambda(g, p, 1);
    const { values, vectors } = symmetricEigen(g, p);
    this.values = Array.from(values, (v) => Math.max(0, v));
    this.vectors = vectors;
  }

  /** The fit for targets Y [rows×q]: the map W [p×q] and the λ used. */
  fit(y: Float64Array, q: number, grid: readonly number[], fixed?: number): { maps: Float64Array; lambda: number } {
    const { p, rows, values, vectors } = this;
    const c = crossOf(this.x, y, rows, p, q);
    // B = Vᵀ C (row i of `vectors` is eigenvector i) and ‖B_k‖².
    const b = matMulJs(vectors, c, p, p, q);
    const bNorm = new Float64Array(p);
    for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) bNorm[i] += b[i * q + j] ** 2;
    let yNorm = 0;
    for (const v of y) yNorm += v * v;
    const candidates = fixed !== undefined ? [fixed] : grid;
    let best = { lambda: candidates[0] * this.scale, gcv: Infinity };
    for (const relative of candidates) {
      const lambda = relative * this.scale;
      let rss = yNorm;
      let traceH = 0;
      for (let k = 0; k < p; k++) {
        const inv = 1 / (values[k] + lambda);
        rss -= (2 * inv - values[k] * inv * inv) * bNorm[k];
        traceH += values[k] * inv;
      }
      const dof = rows - traceH;
      const gcv = dof > 1e-9 ? Math.max(0, rss) / (dof * dof) : Infinity;
      if (gcv < best.gcv) best = { lambda, gcv };
    }
    const lambda = best.lambda;
    // W = V diag(1/(λ_k+λ)) B = Σ_k v_kᵀ (B_k / (λ_k+λ)).
    const maps = new Float64Array(p * q);
    for (let k = 0; k < p; k++) {
      const inv = 1 / (values[k] + lambda);
      const bk = k * q;
      for (let i = 0; i < p; i++) {
        const w = vectors[k * p + i] * inv;
        if (w === 0) continue;
        const ai = i * q;
        for (let j = 0; j < q; j++) maps[ai + j] += w * b[bk + j];
      }
    }
    return { maps, lambda };
  }
}

/** Rows `rows` of a row-major matrix with `width` columns. */
export function takeRows(x: Float64Array, rows: ArrayLike<number>, width: number): Float64Array {
  const out = new Float64Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) out.set(x.subarray(rows[i] * width, (rows[i] + 1) * width), i * width);
  return out;
}

/** Rows scaled to unit length (zero rows stay zero, so their cosines are 0). */
export function normalizeRows(x: Float64Array, rows: number, width: number): Float64Array {
  const out = new Float64Array(x.length);
  for (let s = 0; s < rows; s++) {
    const o = s * width;
    let sq = 0;
    for (let j = 0; j < width; j++) sq += x[o + j] * x[o + j];
    const inv = sq > 0 ? 1 / Math.sqrt(sq) : 0;
    for (let j = 0; j < width; j++) out[o + j] = x[o + j] * inv;
  }
  return out;
}
