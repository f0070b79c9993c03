/**
 * The data of the chapter "Which training finds the geometry?" (docs/science.md §9), as pure functions
 * (unit-tested in Node): reading the precomputed sweep files the CLI writes (`optimizers --out`), and
 * the sentences the chapter says about them and about a live run — every number computed from the
 * data shown, every comparison worded from the numbers, never written by hand.
 */
import { OPTIMIZERS, type OptimizerName, type OptimizerSettings } from '../../core/training/optimizerSettings';
import {
  optimizerSweepCommand,
  optimizerTable,
  type GeometrySummary,
  type OptimizerSweepRecord,
  type OptimizerSweepSettings,
  type OptimizerTableRow,
  type ProbePoint,
} from './optimizerTable';
import type { OptimizerRun } from './optimizerSweep';
import { OPTIMIZER_SHORT } from './job';
import { isNum, isObj, type Parsed } from '../kit';
import { fmtChance, fmtInt, fmtNum, joinAnd } from '../../ui/format';

export { OPTIMIZER_SHORT } from './job';

/**
 * Our bar for "clean" (a choice, stated on the page): held-out probe accuracy ≥ 0.9 on every relation.
 * With 51 held-out subjects at N = 256 each subject is worth 0.02.
 */
export const CLEAN_PROBE = 0.9;

// ---------------------------------------------------------------------------------------------
// The precomputed file.

export interface OptimizerFile {
  backend: string;
  settings: OptimizerSweepSettings;
  records: OptimizerSweepRecord[];
  /** False for a sweep written before its end: some fact tables are missing. */
  complete: boolean;
  seconds?: number;
}

const isInt = (x: unknown): x is number => isNum(x) && Number.isInteger(x);
/** JSON writes NaN (a measurement that does not exist, e.g. off-diagonal at R = 1) as null. */
const numOrNaN = (x: unknown): number | undefined => (isNum(x) ? x : x === null ? NaN : undefined);
const isOptimizer = (x: unknown): x is OptimizerName => typeof x === 'string' && (OPTIMIZERS as readonly string[]).includes(x);
const numList = (x: unknown, length?: number): number[] | undefined => {
  if (!Array.isArray(x) || (length !== undefined && x.length !== length)) return undefined;
  const out = x.map(numOrNaN);
  return out.every((v) => v !== undefined) ? (out as number[]) : undefined;
};

const GEOMETRY_NUMBERS = [
  'chance',
  'heldOutSubjects',
  'probeMin',
  'probeMean',
  'superpositionR2',
  'superpositionTrainR2',
  'baselineR2',
  'controlR2',
  'gatingSelectivity',
  'selectivityThreshold',
  'selectiveUnits',
  'sharedUnits',
  'knockoutDiagonal',
  'knockoutOffDiagonal',
  'zeroShotMean',
  'transferValidationMean',
] as const;

function parseGeometry(g: unknown, r: number): GeometrySummary | null | undefined {
  if (g === null) return null;
  if (!isObj(g)) return undefined;
  const out: Partial<GeometrySummary> = {};
  for (const key of GEOMETRY_NUMBERS) {
    const v = numOrNaN(g[key]);
    if (v === undefined) return undefined;
    out[key] = v;
  }
  const probeHeldOut = numList(g.probeHeldOut, r);
  const zeroShot = numList(g.zeroShot, r);
  const transferValidation = numList(g.transferValidation, r);
  if (!probeHeldOut || !zeroShot || !transferValidation || typeof g.interpolates !== 'boolean') return undefined;
  return { ...(out as GeometrySummary), probeHeldOut, zeroShot, transferValidation, interpolates: g.interpolates };
}

function parseSettings(s: unknown): OptimizerSettings | undefined {
  if (!isObj(s) || !isOptimizer(s.optimizer) || !isNum(s.lr) || !isNum(s.momentum) || !isNum(s.embedLrMult) || !isNum(s.weightDecay)) return undefined;
  return { optimizer: s.optimizer, lr: s.lr, momentum: s.momentum, embedLrMult: s.embedLrMult, weightDecay: s.weightDecay };
}

function parseRecord(x: unknown): OptimizerSweepRecord | undefined {
  if (!isObj(x)) return undefined;
  const { n, r, d, m, seed, steps } = x;
  if (!isInt(n) || n < 2 || !isInt(r) || r < 1 || !isInt(d) || !isInt(m) || !isInt(seed) || !isInt(steps) || !isOptimizer(x.optimizer)) return undefined;
  if (!(x.stepsTo100 === null || isInt(x.stepsTo100)) || !(x.divergedAt === null || isInt(x.divergedAt))) return undefined;
  const settings = parseSettings(x.settings);
  if (!settings || settings.optimizer !== x.optimizer) return undefined;
  const geometry = parseGeometry(x.geometry, r);
  if (geometry === undefined) return undefined;
  const accuracyByRelation = numList(x.accuracyByRelation);
  if (!accuracyByRelation || numOrNaN(x.loss) === undefined || !Array.isArray(x.probes)) return undefined;
  const probes: ProbePoint[] = [];
  for (const p of x.probes) {
    const heldOut = isObj(p) ? numList(p.heldOut, r) : undefined;
    if (!isObj(p) || !isInt(p.step) || !heldOut) return undefined;
    probes.push({ step: p.step, heldOut });
  }
  return {
    n,
    r,
    d,
    m,
    seed,
    optimizer: x.optimizer,
    settings,
    steps,
    stepsTo100: x.stepsTo100 as number | null,
    divergedAt: x.divergedAt as number | null,
    loss: numOrNaN(x.loss)!,
    accuracyByRelation,
    probes,
    geometry,
    seconds: isNum(x.seconds) ? x.seconds : NaN,
  };
}

export function parseOptimizerFile(json: unknown): Parsed<OptimizerFile> {
  const bad = (why: string): Parsed<OptimizerFile> => ({ ok: false, message: `the precomputed optimiser sweep is not usable: ${why}` });
  if (!isObj(json) || json.format !== 'factual-recall-optimizers') return bad('its format is not factual-recall-optimizers');
  if (json.version !== 1) return bad(`version ${String(json.version)} is not 1`);
  const s = json.settings;
  const ints = (x: unknown) => Array.isArray(x) && x.length > 0 && x.every(isInt);
  if (!isObj(s) || !ints(s.ns) || !ints(s.rs) || !ints(s.seeds) || !Array.isArray(s.optimizers) || !s.optimizers.every(isOptimizer) || !isInt(s.d) || !isInt(s.m) || !isInt(s.steps) || !isInt(s.probeEvery)) {
    return bad('its settings are missing or malformed');
  }
  const settings: OptimizerSweepSettings = {
    ns: s.ns as number[],
    rs: s.rs as number[],
    seeds: s.seeds as number[],
    optimizers: s.optimizers as OptimizerName[],
    d: s.d,
    m: s.m,
    steps: s.steps,
    probeEvery: s.probeEvery,
  };
  if (!Array.isArray(json.records) || json.records.length === 0) return bad('it has no records');
  const records: OptimizerSweepRecord[] = [];
  for (const [i, raw] of json.records.entries()) {
    const rec = parseRecord(raw);
    if (!rec) return bad(`record ${i} is malformed`);
    const inGrid = settings.ns.includes(rec.n) && settings.rs.includes(rec.r) && settings.seeds.includes(rec.seed) && settings.optimizers.includes(rec.optimizer);
    if (!inGrid || rec.d !== settings.d || rec.m !== settings.m) return bad(`record ${i} (N = ${rec.n}, R = ${rec.r}, seed ${rec.seed}, ${rec.optimizer}) is not in the file's grid`);
    records.push(rec);
  }
  const keys = new Set(records.map((x) => `${x.n}:${x.r}:${x.seed}:${x.optimizer}`));
  if (keys.size !== records.length) return bad('a run appears twice');
  return {
    ok: true,
    data: {
      backend: typeof json.backend === 'string' ? json.backend : 'unknown backend',
      settings,
      records,
      complete: json.complete === true,
      ...(isNum(json.seconds) ? { seconds: json.seconds } : {}),
    },
  };
}

/** The command that made a file, as the chapter prints it. */
export function fileCommand(file: OptimizerFile, path: string): string {
  return optimizerSweepCommand(file.settings, path);
}

// ---------------------------------------------------------------------------------------------
// Sentences about the precomputed table.

/** Below this gap between Adam and gradient descent there is no contrast for sign descent to side with. */
export const SIGN_TEST_GAP = 0.1;

/** Where sign descent sits between Adam and gradient descent (held-out probe), in words. */
export function signVerdict(sign: number, adam: number, gd: number): string {
  if (Math.abs(adam - gd) < SIGN_TEST_GAP) return `Adam and gradient descent differ by less than ${fmtNum(SIGN_TEST_GAP, 1)}, so there is no contrast to test`;
  return Math.abs(sign - adam) < Math.abs(sign - gd) ? 'nearer Adam' : 'nearer gradient descent';
}

const fmtSpread = (s: { mean: number; min: number; max: number; count: number }) =>
  s.count === 0 ? 'n/a' : s.count === 1 || s.min === s.max ? fmtNum(s.mean) : `${fmtNum(s.mean)} (${fmtNum(s.min)}–${fmtNum(s.max)})`;

export { fmtSpread };

export interface SweepStory {
  rows: OptimizerTableRow[];
  sentences: string[];
}

const byProbe = (rows: OptimizerTableRow[]) => rows.filter((x) => x.metrics.probeMin.count > 0).sort((a, b) => b.metrics.probeMin.mean - a.metrics.probeMin.mean);
const cleanRow = (x: OptimizerTableRow) => x.metrics.probeMin.count > 0 && x.metrics.probeMin.min >= CLEAN_PROBE;

/**
 * What a sweep's table says, sentence by sentence: per R, which optimiser's held-out probes are
 * highest and where Adam stands; which rows are clean on every seed (probe ≥ CLEAN_PROBE on every
 * relation); where nothing is; the knock-out diagonal's floor against chance; the best zero-shot
 * transfer; the superposition R² against its baseline; sign descent beside Adam and GD.
 */
export function sweepStory(file: OptimizerFile): SweepStory {
  const rows = optimizerTable(file.records);
  const out: string[] = [];
  const seeds = file.settings.seeds.length;
  for (const n of file.settings.ns) {
    for (const r of file.settings.rs) {
      const here = byProbe(rows.filter((x) => x.n === n && x.r === r));
      if (here.length === 0) continue;
      const list = here.map((x) => `${OPTIMIZER_SHORT[x.optimizer]} ${fmtSpread(x.metrics.probeMin)}`);
      const clean = here.filter(cleanRow).map((x) => OPTIMIZER_SHORT[x.optimizer]);
      let text = `N = ${fmtInt(n)}, R = ${r}: held-out probe accuracy (lowest relation, mean over ${seeds === 1 ? 'one seed' : `${seeds} seeds`}, range) — ${list.join('; ')}.`;
      if (clean.length > 0) text += ` Clean (≥ ${fmtNum(CLEAN_PROBE, 1)} on every relation, every seed): ${joinAnd(clean)}.`;
      else text += ` No optimiser is clean here: the best, ${OPTIMIZER_SHORT[here[0].optimizer]}, reaches ${fmtNum(here[0].metrics.probeMin.mean)} on its weakest relation.`;
      out.push(text);
    }
  }
  // The knock-out, transfer and R² of a model that has not learned its facts say little about how it
  // stores them: those sentences read only the rows whose every seed got every fact right.
  const measured = rows.filter((x) => x.metrics.knockoutDiagonal.count > 0 && x.reached === x.seeds.length && x.diverged === 0);
  const untrained = rows.filter((x) => x.reached < x.seeds.length || x.diverged > 0);
  if (measured.length > 0) {
    if (untrained.length > 0) out.push(`The next sentences read only the rows where every run got every fact right (${measured.length} of ${rows.length}).`);
    const lowest = measured.reduce((a, b) => (b.metrics.knockoutDiagonal.min < a.metrics.knockoutDiagonal.min ? b : a));
    const chance = lowest.chance;
    const floor = lowest.metrics.knockoutDiagonal.min;
    const near = floor <= 5 * chance;
    out.push(
      `Knock-out: zeroing a relation's own selective units leaves it ${near ? 'near chance in the best run' : 'well above chance in every run'} — at lowest, ${fmtNum(floor)} (the mean over relations of one ${OPTIMIZER_SHORT[lowest.optimizer]} run at N = ${fmtInt(lowest.n)}, R = ${lowest.r}; chance ${fmtChance(chance)}), while the other relations keep ${fmtNum(lowest.metrics.knockoutOffDiagonal.mean)} in that row. ${near ? '' : 'The gating is relation-specific in part, not exclusive as in the construction (diagonal at chance, off-diagonal 1).'}`.trim(),
    );
    const best = measured.reduce((a, b) => (b.metrics.zeroShot.max > a.metrics.zeroShot.max ? b : a));
    const bestTransfer = best.metrics.zeroShot.max;
    // Transfer tests the MLP only where the fitted maps rebuild held-out subjects' own facts.
    const mapsRight = measured.filter((x) => x.metrics.transferValidation.min >= CLEAN_PROBE);
    const mapsWrong = measured.filter((x) => !(x.metrics.transferValidation.min >= CLEAN_PROBE));
    let text = `Zero-shot transfer ${bestTransfer >= CLEAN_PROBE ? 'reaches' : 'is at most'} ${fmtNum(bestTransfer)} (best run: ${OPTIMIZER_SHORT[best.optimizer]}, N = ${fmtInt(best.n)}, R = ${best.r})${bestTransfer >= CLEAN_PROBE ? '' : ', well below the construction’s 1'}.`;
    if (mapsRight.length > 0) {
      const rightBest = Math.max(...mapsRight.map((x) => x.metrics.zeroShot.max));
      const where = joinAnd([...new Set(mapsRight.map((x) => `N = ${fmtInt(x.n)}, R = ${x.r}`))]);
      text += ` In the ${mapsRight.length === 1 ? 'row' : `${mapsRight.length} rows`} where the fitted maps rebuild held-out subjects' own facts with accuracy ≥ ${fmtNum(CLEAN_PROBE, 1)} in every run (${where}), transfer is at most ${fmtNum(rightBest)}: ${
        rightBest >= CLEAN_PROBE ? 'the superposition carries over to new facts, as in the construction.' : 'the maps are right, so the MLP decodes the attribute combinations it was trained on, not each relation’s part alone.'
      }`;
    }
    if (mapsWrong.length > 0) {
      const low = Math.min(...mapsWrong.map((x) => x.metrics.transferValidation.min));
      text += ` ${mapsRight.length > 0 ? 'Elsewhere' : 'In every row'} the maps themselves miss held-out subjects (their own facts rebuilt at as little as ${fmtNum(low)}), so transfer says less about the MLP there.`;
    }
    out.push(text);
    const r2 = measured.filter((x) => x.interpolating === 0 && x.metrics.superpositionR2.count > 0 && x.metrics.baselineR2.count > 0);
    if (r2.length > 0) {
      const above = r2.filter((x) => x.metrics.superpositionR2.mean - x.metrics.baselineR2.mean >= 0.05);
      const gap = r2.reduce((a, b) => (b.metrics.superpositionR2.mean - b.metrics.baselineR2.mean > a.metrics.superpositionR2.mean - a.metrics.baselineR2.mean ? b : a));
      out.push(
        `Superposition R² (held out) stands at least 0.05 above its one-shared-map baseline in ${above.length} of ${r2.length} rows; the widest gap is ${OPTIMIZER_SHORT[gap.optimizer]} at N = ${fmtInt(gap.n)}, R = ${gap.r}: ${fmtNum(gap.metrics.superpositionR2.mean)} against ${fmtNum(gap.metrics.baselineR2.mean)}.`,
      );
    }
    const interpolating = rows.filter((x) => x.interpolating > 0);
    if (interpolating.length > 0) {
      const where = [...new Set(interpolating.map((x) => `N = ${fmtInt(x.n)}, R = ${x.r}`))];
      out.push(`At ${joinAnd(where)}, R·d is too close to the number of fitted subjects: the fit interpolates and its held-out R² cannot be read (marked †).`);
    }
  }
  // The sign test (§9): does sign descent sit nearer Adam or nearer gradient descent?
  const signRows = rows.filter((x) => x.optimizer === 'sign' && x.metrics.probeMin.count > 0);
  const verdicts: string[] = [];
  for (const s of signRows) {
    const at = (o: OptimizerName) => rows.find((x) => x.n === s.n && x.r === s.r && x.optimizer === o && x.metrics.probeMin.count > 0);
    const adam = at('adam');
    const gd = at('gd') ?? at('sgd');
    if (!adam || !gd) continue;
    verdicts.push(
      `N = ${fmtInt(s.n)}, R = ${s.r}: sign descent ${fmtNum(s.metrics.probeMin.mean)}, Adam ${fmtNum(adam.metrics.probeMin.mean)}, ${OPTIMIZER_SHORT[gd.optimizer]} ${fmtNum(gd.metrics.probeMin.mean)} — ${signVerdict(s.metrics.probeMin.mean, adam.metrics.probeMin.mean, gd.metrics.probeMin.mean)}`,
    );
  }
  if (verdicts.length > 0) out.push(`Sign descent beside Adam and gradient descent (held-out probe, lowest relation): ${verdicts.join('; ')}.`);
  const unreached = rows.filter((x) => x.reached < x.seeds.length);
  if (unreached.length > 0) {
    out.push(
      `Not every run got every fact right within ${fmtInt(file.settings.steps)} steps: ${joinAnd(unreached.map((x) => `${OPTIMIZER_SHORT[x.optimizer]} at N = ${fmtInt(x.n)}, R = ${x.r} (${x.reached} of ${x.seeds.length})`))}.`,
    );
  }
  return { rows, sentences: out };
}

// ---------------------------------------------------------------------------------------------
// A live run.

/** The last probe point of a run: held-out accuracy per relation, its minimum and the step. */
export function lastProbe(run: OptimizerRun): { step: number; min: number; mean: number } | null {
  const p = run.probes[run.probes.length - 1];
  if (!p) return null;
  return { step: p.step, min: Math.min(...p.heldOut), mean: p.heldOut.reduce((a, b) => a + b, 0) / p.heldOut.length };
}

/** The first step at which a run's held-out probes were ≥ CLEAN_PROBE on every relation, or null. */
export function firstCleanStep(run: OptimizerRun): number | null {
  return run.probes.find((p) => p.heldOut.length > 0 && Math.min(...p.heldOut) >= CLEAN_PROBE)?.step ?? null;
}

/** What a live run shows, computed from its runs (finished, or so far). */
export function liveSentences(runs: OptimizerRun[], chance: number): string[] {
  const out: string[] = [];
  const withProbe = runs.map((run) => ({ run, p: lastProbe(run) })).filter((x) => x.p !== null) as { run: OptimizerRun; p: { step: number; min: number; mean: number } }[];
  if (withProbe.length === 0) return out;
  withProbe.sort((a, b) => b.p.min - a.p.min);
  out.push(
    `Held-out probe accuracy on the weakest relation at the last measurement: ${withProbe.map(({ run, p }) => `${OPTIMIZER_SHORT[run.optimizer]} ${fmtNum(p.min)} (step ${fmtInt(p.step)})`).join(', ')}; chance is ${fmtChance(chance)}.`,
  );
  const clean = withProbe.filter(({ run }) => firstCleanStep(run) !== null);
  if (clean.length > 0) {
    out.push(`Clean (≥ ${fmtNum(CLEAN_PROBE, 1)} on every relation) at some point: ${joinAnd(clean.map(({ run }) => `${OPTIMIZER_SHORT[run.optimizer]} from step ${fmtInt(firstCleanStep(run)!)}`))}.`);
  } else out.push(`No optimiser's probes reached ${fmtNum(CLEAN_PROBE, 1)} on every relation in this run.`);
  const reached = runs.filter((x) => x.stepsTo100 !== null);
  if (reached.length > 0) out.push(`Every fact right: ${joinAnd(reached.map((x) => `${OPTIMIZER_SHORT[x.optimizer]} at step ${fmtInt(x.stepsTo100!)}`))}${reached.length < runs.length ? `; not yet: ${joinAnd(runs.filter((x) => x.stepsTo100 === null).map((x) => OPTIMIZER_SHORT[x.optimizer]))}` : ''}.`);
  const byName = (o: OptimizerName) => withProbe.find((x) => x.run.optimizer === o);
  const sign = byName('sign');
  const adam = byName('adam');
  const gd = byName('gd') ?? byName('sgd');
  if (sign && adam && gd) {
    out.push(`The sign test: sign descent ends at ${fmtNum(sign.p.min)} (Adam ${fmtNum(adam.p.min)}, ${OPTIMIZER_SHORT[gd.run.optimizer]} ${fmtNum(gd.p.min)}): ${signVerdict(sign.p.min, adam.p.min, gd.p.min)}.`);
  }
  const diverged = runs.filter((x) => x.divergedAt !== null);
  if (diverged.length > 0) out.push(`Diverged (loss NaN or infinite, stopped): ${joinAnd(diverged.map((x) => `${OPTIMIZER_SHORT[x.optimizer]} at step ${fmtInt(x.divergedAt!)}`))}. Its defaults were chosen at N = 256; try a larger N.`);
  return out;
}

/** The live figure's text alternative. */
export function summarizeOptimizerCurves(runs: OptimizerRun[]): string {
  if (runs.length === 0) return 'No live run yet.';
  return `Training curves of ${joinAnd(runs.map((x) => OPTIMIZER_SHORT[x.optimizer]))} on the same facts from the same initial weights. ${runs
    .map((run) => {
      const p = lastProbe(run);
      const acc = run.last ? run.last.accuracyByRelation.reduce((a, b) => a + b, 0) / run.last.accuracyByRelation.length : NaN;
      return `${OPTIMIZER_SHORT[run.optimizer]}: step ${fmtInt(run.steps)}, training accuracy ${fmtNum(acc)}, loss ${run.last ? fmtNum(run.last.loss, 3) : 'n/a'}${p ? `, held-out probe (weakest relation) ${fmtNum(p.min)}` : ''}.`;
    })
    .join(' ')}`;
}
