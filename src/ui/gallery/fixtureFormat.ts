/**
 * The gallery's fixture files (src/ui/gallery/fixtures/), written by `npm run cli -- fixtures` (src/cli/fixtures.ts)
 * and read by the gallery (Gallery.tsx): plain JSON, the typed arrays of the measurements as number
 * lists, numbers rounded so that the files stay small. Pure functions, no DOM and no tfjs: the CLI
 * encodes with them, the page decodes.
 */
import type { GatingReport, KnockoutReport, ProbeReport, ProjectionSample, SuperpositionReport } from '../../core/measure/measure';
import type { OptimizerRun } from '../../experiments/optimizers/optimizerSweep';
import type { RunSettings } from '../../worker/protocol';
import type { ModelConfig } from '../../core/model/model';
import type { ZeroShotSummary } from '../../experiments/transfer/job';

export const FIXTURE_FORMAT = 'factual-recall-gallery-fixture';
export const FIXTURE_VERSION = 1;

/** A projection sample as JSON (the typed arrays as lists). */
export interface ProjectionJson {
  relation: number;
  subjects: number[];
  targets: number[];
  scores: number[];
  n: number;
}

/** A gating report as JSON. */
export interface GatingJson {
  units: number;
  relations: number;
  active: number[];
  preferred: number[];
  selectivity: number[];
  order: number[];
  meanSelectivity: number;
}

/** The playground's three live figures, from one training run of the default playground. */
export interface PlaygroundFixture {
  format: typeof FIXTURE_FORMAT;
  version: number;
  /** What wrote it, e.g. "npm run cli -- fixtures --out src/ui/gallery/fixtures". */
  command: string;
  backend: string;
  settings: RunSettings;
  /** The step the measurements were taken at (updates applied). */
  step: number;
  /** Loss and accuracy per relation, downsampled to at most HISTORY_POINTS steps. */
  history: { steps: number[]; loss: number[]; accuracy: number[][] };
  /** One projection sample per relation (the figure's relation menu switches between them). */
  projections: ProjectionJson[];
  probe: ProbeReport;
  superposition: SuperpositionReport;
  gating: GatingJson;
  knockout: KnockoutReport;
}

/** The optimiser chapter's live curves: a small side-by-side comparison. */
export interface OptimizerCurvesFixture {
  format: typeof FIXTURE_FORMAT;
  version: number;
  command: string;
  backend: string;
  steps: number;
  label: string;
  runs: OptimizerRun[];
}

/** The transfer chapter's figure: zero-shot transfer of the playground fixture's model (its weights at `modelStep`). */
export interface TransferFixture {
  format: typeof FIXTURE_FORMAT;
  version: number;
  command: string;
  backend: string;
  config: ModelConfig;
  modelStep: number;
  own: number[];
  chance: number;
  zero: ZeroShotSummary;
}

/** The most steps of the loss/accuracy history kept in the fixture. */
export const HISTORY_POINTS = 300;

/** `x` to `digits` decimals; non-finite numbers become null in JSON, as JSON.stringify writes them. */
export function roundTo(x: number, digits: number): number {
  if (!Number.isFinite(x)) return x;
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** `x` to `digits` significant digits (for losses, which span decades). */
export function roundSig(x: number, digits: number): number {
  return Number.isFinite(x) && x !== 0 ? Number(x.toPrecision(digits)) : x;
}

/** Indices of at most `max` evenly spaced items of `length`, the first and the last always among them. */
export function strideIndices(length: number, max: number): number[] {
  if (length <= max) return Array.from({ length }, (_, i) => i);
  const out = new Set<number>();
  for (let i = 0; i < max; i++) out.add(Math.round((i * (length - 1)) / (max - 1)));
  return [...out];
}

/** Every number of a plain JSON value rounded to `digits` decimals (arrays and objects walked). */
export function roundDeep<T>(value: T, digits: number): T {
  if (typeof value === 'number') return roundTo(value, digits) as T;
  if (Array.isArray(value)) return value.map((v) => roundDeep(v, digits)) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = roundDeep(v, digits);
    return out as T;
  }
  return value;
}

export function projectionToJson(p: ProjectionSample): ProjectionJson {
  return { relation: p.relation, subjects: Array.from(p.subjects), targets: Array.from(p.targets), scores: Array.from(p.scores, (x) => roundTo(x, 3)), n: p.n };
}

export function projectionFromJson(p: ProjectionJson): ProjectionSample {
  return { relation: p.relation, subjects: Int32Array.from(p.subjects), targets: Int32Array.from(p.targets), scores: Float32Array.from(p.scores), n: p.n };
}

export function gatingToJson(g: GatingReport): GatingJson {
  return {
    units: g.units,
    relations: g.relations,
    active: Array.from(g.active, (x) => roundTo(x, 4)),
    preferred: Array.from(g.preferred),
    selectivity: Array.from(g.selectivity, (x) => roundTo(x, 4)),
    order: Array.from(g.order),
    meanSelectivity: roundTo(g.meanSelectivity, 4),
  };
}

export function gatingFromJson(g: GatingJson): GatingReport {
  return {
    units: g.units,
    relations: g.relations,
    active: Float32Array.from(g.active),
    preferred: Int32Array.from(g.preferred),
    selectivity: Float32Array.from(g.selectivity),
    order: Int32Array.from(g.order),
    meanSelectivity: g.meanSelectivity,
  };
}

/** JSON writes NaN as null: the knock-out's off-diagonal mean is NaN when R = 1. */
export function knockoutFromJson(k: KnockoutReport): KnockoutReport {
  return { ...k, offDiagonalMean: k.offDiagonalMean ?? NaN, diagonalMean: k.diagonalMean ?? NaN };
}

/** Why the gallery cannot draw a fixture (its format or version), or null when it can. */
export function fixtureProblem(name: string, json: { format?: unknown; version?: unknown }): string | null {
  if (json.format === FIXTURE_FORMAT && json.version === FIXTURE_VERSION) return null;
  return `gallery fixture ${name} is not a ${FIXTURE_FORMAT} version ${FIXTURE_VERSION} file: rerun \`npm run cli -- fixtures --out src/ui/gallery/fixtures\``;
}

/** The same as a throw, for the tests. */
export function checkFixture(name: string, json: { format?: unknown; version?: unknown }): void {
  const problem = fixtureProblem(name, json);
  if (problem) throw new Error(problem);
}
