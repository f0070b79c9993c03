/**
 * The pure data reshaping the figures draw from (downsampling, binning, column reordering; unit-tested
 * in summaries.test.ts). No tensor maths: the worker sends finished measurements; this only rearranges
 * them for drawing.
 */
import type { GatingReport, ProjectionSample } from '../../core/measure/measure';

/** At most `max` indices into [0, n), evenly spread, always keeping the first and the last. */
export function downsampleIndices(n: number, max: number): number[] {
  if (n <= 0) return [];
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  if (max < 2) return [n - 1];
  const out: number[] = [];
  const stride = (n - 1) / (max - 1);
  let prev = -1;
  for (let i = 0; i < max; i++) {
    const k = Math.round(i * stride);
    if (k !== prev) out.push(k);
    prev = k;
  }
  return out;
}

/** The heat-map matrix of an attribute projection, ready to paint. */
export interface ProjectionView {
  rows: number;
  /** Columns drawn. */
  cols: number;
  /** Attributes per drawn column (1 unless all N attributes are binned to fit the width). */
  binSize: number;
  /** rows × cols, row-major. */
  values: Float32Array;
  /** Drawn column of each row's right attribute (on the diagonal in the reordered view). */
  targetCol: Int32Array;
  /** Attribute id shown in each drawn column (first of its bin). */
  colAttribute: Int32Array;
}

/**
 * Reorder or bin the K × N scores. `showAll = false`: a K × K matrix whose column j is the target
 * attribute of row j, so the right answers lie on the diagonal. `showAll = true`: all N attributes in
 * id order; when N > maxCols, consecutive attributes share a column that shows the most extreme value.
 */
export function projectionView(p: ProjectionSample, showAll: boolean, maxCols: number): ProjectionView {
  const n = p.n;
  const k = Math.min(p.targets.length, n > 0 ? Math.floor(p.scores.length / n) : 0);
  if (!showAll) {
    const values = new Float32Array(k * k);
    for (let i = 0; i < k; i++) {
      const row = i * n;
      for (let j = 0; j < k; j++) values[i * k + j] = p.scores[row + p.targets[j]];
    }
    const targetCol = new Int32Array(k);
    for (let i = 0; i < k; i++) targetCol[i] = i;
    return { rows: k, cols: k, binSize: 1, values, targetCol, colAttribute: Int32Array.from(p.targets.subarray(0, k)) };
  }
  const limit = Math.max(1, Math.floor(maxCols));
  const bin = n <= limit ? 1 : Math.ceil(n / limit);
  const cols = Math.ceil(n / bin);
  const values = new Float32Array(k * cols);
  for (let i = 0; i < k; i++) {
    const row = i * n;
    for (let c = 0; c < cols; c++) {
      let best = NaN;
      const end = Math.min(n, (c + 1) * bin);
      for (let a = c * bin; a < end; a++) {
        const v = p.scores[row + a];
        if (!(Math.abs(v) <= Math.abs(best))) best = v;
      }
      values[i * cols + c] = best;
    }
  }
  const targetCol = new Int32Array(k);
  for (let i = 0; i < k; i++) targetCol[i] = Math.floor(p.targets[i] / bin);
  const colAttribute = new Int32Array(cols);
  for (let c = 0; c < cols; c++) colAttribute[c] = c * bin;
  return { rows: k, cols, binSize: bin, values, targetCol, colAttribute };
}

/** Units of the gating heat map in display order, binned to at most `maxRows` rows. */
export interface GatingView {
  rows: number;
  relations: number;
  /** Units per row (1 when every unit has its own row). */
  binSize: number;
  /** rows × R, row-major: G averaged over the units of each row. */
  active: Float32Array;
  /** Mean selectivity per row. */
  selectivity: Float32Array;
  /** Preferred relation per row (the most common among its units; −1 = never active). */
  preferred: Int32Array;
  /** First display position (index into the order) of each row. */
  start: Int32Array;
}

/** The display order of the units: `gating.order` when it is a full permutation, else 0..m−1. */
export function unitOrder(g: GatingReport): Int32Array {
  const m = g.units;
  if (g.order && g.order.length === m) return g.order;
  const o = new Int32Array(m);
  for (let j = 0; j < m; j++) o[j] = j;
  return o;
}

export function gatingView(g: GatingReport, maxRows: number): GatingView {
  const m = g.units;
  const R = g.relations;
  const order = unitOrder(g);
  const limit = Math.max(1, Math.floor(maxRows));
  const bin = m <= limit ? 1 : Math.ceil(m / limit);
  const rows = m === 0 ? 0 : Math.ceil(m / bin);
  const active = new Float32Array(rows * R);
  const selectivity = new Float32Array(rows);
  const preferred = new Int32Array(rows);
  const start = new Int32Array(rows);
  const votes = new Int32Array(R + 1);
  for (let row = 0; row < rows; row++) {
    const a = row * bin;
    const b = Math.min(m, a + bin);
    start[row] = a;
    votes.fill(0);
    let sel = 0;
    for (let p = a; p < b; p++) {
      const j = order[p];
      for (let r = 0; r < R; r++) active[row * R + r] += g.active[j * R + r];
      sel += g.selectivity[j];
      const pr = g.preferred[j];
      votes[pr >= 0 && pr < R ? pr + 1 : 0]++;
    }
    const cnt = b - a;
    for (let r = 0; r < R; r++) active[row * R + r] /= cnt;
    selectivity[row] = sel / cnt;
    let bestV = -1;
    let best = 0;
    for (let v = 0; v <= R; v++) {
      if (votes[v] > bestV) {
        bestV = votes[v];
        best = v;
      }
    }
    preferred[row] = best - 1;
  }
  return { rows, relations: R, binSize: bin, active, selectivity, preferred, start };
}

/** Consecutive runs of units (in display order) with the same preferred relation (−1 = never active). */
export interface UnitGroup {
  relation: number;
  /** Display positions [start, end). */
  start: number;
  end: number;
}

export function unitGroups(g: GatingReport): UnitGroup[] {
  const order = unitOrder(g);
  const groups: UnitGroup[] = [];
  for (let p = 0; p < order.length; p++) {
    const pr = g.preferred[order[p]];
    const rel = pr >= 0 && pr < g.relations ? pr : -1;
    const last = groups[groups.length - 1];
    if (last && last.relation === rel) last.end = p + 1;
    else groups.push({ relation: rel, start: p, end: p + 1 });
  }
  return groups;
}

/** Units preferring each relation (index R = never active). */
export function unitsPerRelation(g: GatingReport): number[] {
  const counts = new Array<number>(g.relations + 1).fill(0);
  for (let j = 0; j < g.units; j++) {
    const pr = g.preferred[j];
    counts[pr >= 0 && pr < g.relations ? pr : g.relations]++;
  }
  return counts;
}
