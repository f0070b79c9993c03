/**
 * The capacity chapter's precomputed files (`npm run cli -- capacity … --out FILE`): read, checked,
 * and merged when each arm was computed by its own process.
 */
import type { CapacityPoint, CapacitySettings } from './capacity';
import { isNum, isObj, type Parsed } from '../kit';
import { CAPACITY_SERIES, type CapacitySeries } from './story';

export interface CapacityFile {
  backend: string;
  settings: CapacitySettings;
  points: CapacityPoint[];
  /** False for a sweep written before its end (`complete: false`, or a cancelled report): some points are missing. */
  complete: boolean;
  seconds?: number;
}

export function parseCapacityFile(json: unknown): Parsed<CapacityFile> {
  const bad = (why: string): Parsed<CapacityFile> => ({ ok: false, message: `the precomputed capacity file is not usable: ${why}` });
  if (!isObj(json) || json.format !== 'factual-recall-capacity') return bad('its format is not factual-recall-capacity');
  if (json.version !== 1) return bad(`version ${String(json.version)} is not 1`);
  const s = json.settings;
  if (!isObj(s) || !Array.isArray(s.ns) || !s.ns.every(isNum) || !isNum(s.r) || !isNum(s.m) || !isNum(s.steps) || !isNum(s.seed) || !isNum(s.dMax)) {
    return bad('settings are missing or malformed');
  }
  if (!Array.isArray(json.points)) return bad('it has no points');
  const points: CapacityPoint[] = [];
  for (const p of json.points) {
    if (!isObj(p) || !CAPACITY_SERIES.includes(p.arm as CapacitySeries) || !isNum(p.n) || !(p.dMin === null || isNum(p.dMin))) return bad('a point is malformed');
    points.push({
      arm: p.arm as CapacitySeries,
      n: p.n,
      log2n: isNum(p.log2n) ? p.log2n : Math.log2(p.n),
      dMin: p.dMin as number | null,
      ...(isNum(p.accuracy) ? { accuracy: p.accuracy } : {}),
    });
  }
  return {
    ok: true,
    data: {
      backend: typeof json.backend === 'string' ? json.backend : 'unknown backend',
      settings: s as unknown as CapacitySettings,
      points,
      complete: json.complete !== false && json.cancelled !== true,
      ...(isNum(json.seconds) ? { seconds: json.seconds } : {}),
    },
  };
}

/**
 * One precomputed sweep from several files of the same grid (the CLI runs each arm as its own
 * process, e.g. `--arms learned` and `--arms frozen`, to use both cores): the union of their
 * points, each construction point once.
 */
export function mergeCapacityFiles(files: Parsed<CapacityFile>[]): Parsed<CapacityFile> {
  const bad = files.find((f) => !f.ok);
  if (bad) return bad;
  const data = files.map((f) => (f as { ok: true; data: CapacityFile }).data);
  if (data.length === 0) return { ok: false, message: 'the precomputed capacity file is not usable: there is none' };
  const [first, ...rest] = data;
  for (const other of rest) {
    const same = (['r', 'm', 'steps', 'seed', 'dMax', 'lr'] as const).every((k) => other.settings[k] === first.settings[k]) && other.settings.ns.join() === first.settings.ns.join();
    if (!same) return { ok: false, message: 'the precomputed capacity files are not usable together: their grids or settings differ' };
  }
  const seen = new Set<string>();
  const points: CapacityPoint[] = [];
  for (const p of data.flatMap((f) => f.points)) {
    const key = `${p.arm}:${p.n}`;
    if (seen.has(key)) continue;
    seen.add(key);
    points.push(p);
  }
  const backends = [...new Set(data.map((f) => f.backend))];
  const seconds = data.every((f) => f.seconds !== undefined) ? data.reduce((a, f) => a + f.seconds!, 0) : undefined;
  return {
    ok: true,
    data: {
      backend: backends.join(' + '),
      settings: { ...first.settings, arms: [...new Set(data.flatMap((f) => f.settings.arms ?? []))] },
      points,
      complete: data.every((f) => f.complete),
      ...(seconds !== undefined ? { seconds } : {}),
    },
  };
}
