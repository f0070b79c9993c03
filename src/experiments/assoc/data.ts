/**
 * The associative-memory chapter's precomputed files, written by its command line (cli.ts):
 * the heads × width sweep (assoc-sweep.json) and the facts-per-parameter search (assoc-capacity.json).
 * Read and checked here; another format, another version or a malformed entry is refused with a reason.
 */
import type { AssocCapacityFile, AssocCapacityPoint, AssocFit, AssocSweepCell, AssocSweepFile } from './assoc';
import { isNum, isObj, type Obj, type Parsed } from '../kit';
import { fmtInt } from '../../ui/format';

const has = (o: Obj, keys: readonly string[]) => keys.every((k) => isNum(o[k]));

const SWEEP_CELL = ['heads', 'width', 'attentionParams', 'mlpParams', 'accuracy', 'steps'] as const;
const CAPACITY_POINT = ['d', 'heads', 'headDim', 'width', 'parameters', 'size', 'facts', 'accuracy'] as const;

/** Each entry of `list` reduced to the numeric fields `keys`; null when it is not a list or an entry lacks one. */
function numericRecords<T>(list: unknown, keys: readonly string[]): T[] | null {
  if (!Array.isArray(list)) return null;
  const out: T[] = [];
  for (const entry of list) {
    if (!isObj(entry) || !has(entry, keys)) return null;
    out.push(Object.fromEntries(keys.map((k) => [k, entry[k]])) as T);
  }
  return out;
}

/** The fields both files share, read from a file whose header was checked. */
function common<F extends string>(o: Obj, format: F) {
  return { format, version: 1 as const, backend: typeof o.backend === 'string' ? o.backend : 'unknown backend', complete: o.complete !== false };
}

function header(json: unknown, format: string, what: string): string | null {
  if (!isObj(json) || json.format !== format) return `the precomputed ${what} is not usable: its format is not ${format}`;
  if (json.version !== 1) return `the precomputed ${what} is not usable: version ${String(json.version)} is not 1`;
  if (!isObj(json.settings)) return `the precomputed ${what} is not usable: its settings are missing`;
  return null;
}

export function parseAssocSweep(json: unknown): Parsed<AssocSweepFile> {
  const why = header(json, 'factual-recall-assoc-sweep', 'heads × width sweep');
  if (why) return { ok: false, message: why };
  const o = json as Obj;
  const s = o.settings as Obj;
  const bad = (reason: string): Parsed<AssocSweepFile> => ({ ok: false, message: `the precomputed heads × width sweep is not usable: ${reason}` });
  if (!isObj(s.task) || !has(s.task, ['s', 'r', 'answers']) || !has(s, ['d', 'headDim', 'steps'])) return bad('its settings are malformed');
  const cells = numericRecords<AssocSweepCell>(o.cells, SWEEP_CELL);
  if (!cells) return bad('its cells are missing or malformed');
  return { ok: true, data: { ...common(o, 'factual-recall-assoc-sweep'), settings: s as unknown as AssocSweepFile['settings'], cells } };
}

export function parseAssocCapacity(json: unknown): Parsed<AssocCapacityFile> {
  const why = header(json, 'factual-recall-assoc-capacity', 'facts-per-parameter sweep');
  if (why) return { ok: false, message: why };
  const o = json as Obj;
  const bad = (reason: string): Parsed<AssocCapacityFile> => ({ ok: false, message: `the precomputed facts-per-parameter sweep is not usable: ${reason}` });
  const points = numericRecords<AssocCapacityPoint>(o.points, CAPACITY_POINT);
  if (!points) return bad('its points are missing or malformed');
  let fit: AssocFit | null = null;
  if (o.fit !== null && o.fit !== undefined) {
    if (!isObj(o.fit) || !has(o.fit, ['slope', 'intercept', 'r2'])) return bad('its fit is malformed');
    fit = { slope: o.fit.slope as number, intercept: o.fit.intercept as number, r2: o.fit.r2 as number };
  }
  return { ok: true, data: { ...common(o, 'factual-recall-assoc-capacity'), settings: o.settings as unknown as AssocCapacityFile['settings'], points, fit } };
}

const list = (xs: unknown) => (Array.isArray(xs) ? xs.join(',') : String(xs));

/** The command that writes a sweep file like this one (cli.ts; README), printed under the map. */
export function sweepCommand(file: AssocSweepFile, path: string): string {
  const s = file.settings;
  const t = s.task;
  return (
    `npm run cli -- assoc sweep --heads ${list(s.heads)} --widths ${list(s.widths)} --d ${s.d} --head-dim ${s.headDim} ` +
    `--s ${t.s} --r ${t.r} --answers ${t.answers} --noise ${t.noise} --seq-len ${t.seqLen} --steps ${s.steps} --lr ${s.lr} --batch ${s.batch} --seed ${t.seed} ` +
    `--backend ${file.backend} --out ${path}`
  );
}

/** The command that writes a capacity file like this one (cli.ts; README), printed under the plot. */
export function capacityCommand(file: AssocCapacityFile, path: string): string {
  const s = file.settings;
  if (!isObj(s)) return `npm run cli -- assoc capacity --out ${path}`;
  return (
    `npm run cli -- assoc capacity --ds ${list(s.ds)} --alpha ${s.alpha} --beta ${s.beta} --heads ${s.heads} --answers ${s.answers}` +
    `${s.noise === null || s.noise === undefined ? '' : ` --noise ${s.noise}`} --seq-len ${s.seqLen} --lrs ${list(s.lrs)} --steps ${s.steps} --batch ${s.batch} ` +
    `--min-size ${s.minSize} --max-size ${s.maxSize} --seed ${s.seed} --backend ${file.backend} --out ${path}`
  );
}

/** "S = R = 32, D = 8, d = 32, dh = 8, 2,000 steps". */
export function describeSweepSettings(file: AssocSweepFile): string {
  const s = file.settings;
  return `S = ${fmtInt(s.task.s)}, R = ${fmtInt(s.task.r)}, D = ${fmtInt(s.task.answers)}, d = ${fmtInt(s.d)}, dh = ${fmtInt(s.headDim)}, up to ${fmtInt(s.steps)} steps`;
}
