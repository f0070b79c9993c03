/** The multi-hop chapter's precomputed file (`npm run cli -- multihop … --out FILE`), read and checked. */
import type { MultihopPoint } from './multihopPoint';
import { isNum, isObj, type Parsed } from '../kit';

export interface MultihopFileConfig {
  n: number;
  r: number;
  m: number;
  heads: number;
  hops: number;
  steps: number;
  seed: number;
  lr: number;
  sample: number | null;
  d: number[];
}

export interface MultihopFile {
  backend: string;
  config: MultihopFileConfig;
  points: MultihopPoint[];
}

function isMultihopPoint(p: unknown): p is MultihopPoint {
  if (!isObj(p)) return false;
  const training = (t: unknown) => isObj(t) && isNum(t.steps) && isNum(t.peakAccuracy) && isNum(t.peakStep) && (t.stepsTo100 === null || isNum(t.stepsTo100));
  return (
    isNum(p.d) &&
    isNum(p.chance) &&
    isNum(p.singleHopAccuracy) &&
    isNum(p.cotAccuracy) &&
    isNum(p.directAccuracy) &&
    isNum(p.directSingleHopAccuracy) &&
    isNum(p.chainQueries) &&
    training(p.singleHopTraining) &&
    training(p.directTraining)
  );
}

export function parseMultihopFile(json: unknown): Parsed<MultihopFile> {
  const bad = (why: string): Parsed<MultihopFile> => ({ ok: false, message: `the precomputed multi-hop file is not usable: ${why}` });
  if (!isObj(json) || json.format !== 'factual-recall-multihop') return bad('its format is not factual-recall-multihop');
  if (json.version !== 1) return bad(`version ${String(json.version)} is not 1`);
  const c = json.config;
  if (!isObj(c) || !isNum(c.n) || !isNum(c.r) || !isNum(c.m) || !isNum(c.steps) || !isNum(c.seed)) return bad('its config is missing or malformed');
  // Several d: one entry per d under `points`; one d: the point's fields at the top level.
  const raw = Array.isArray(json.points) ? json.points : isNum(c.d) ? [{ ...json, d: c.d }] : [];
  if (raw.length === 0) return bad('it has no points');
  if (!raw.every(isMultihopPoint)) return bad('a point is malformed');
  const points = (raw as MultihopPoint[]).slice().sort((a, b) => a.d - b.d);
  const config: MultihopFileConfig = {
    n: c.n,
    r: c.r,
    m: c.m,
    heads: isNum(c.heads) ? c.heads : 1,
    hops: isNum(c.hops) ? c.hops : 2,
    steps: c.steps,
    seed: c.seed,
    lr: isNum(c.lr) ? c.lr : 0.01,
    sample: isNum(c.sample) ? c.sample : null,
    d: points.map((p) => p.d),
  };
  return { ok: true, data: { backend: typeof json.backend === 'string' ? json.backend : 'unknown backend', config, points } };
}
