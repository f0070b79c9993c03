/**
 * The capacity experiment's live job (docs/science.md §5): d_min against N for learned and frozen
 * embeddings, beside the construction's d*. Its types, limits, check, progress fraction and progress
 * line; no React, no DOM (the worker, the page and the tests import it).
 */
import type { CapacityArm, CapacityPoint, CapacityReport, CapacitySettings } from './capacity';
import { positiveInt, stepFraction } from '../kit';
import { fmtInt } from '../../ui/format';

export interface CapacityJob {
  settings: CapacitySettings;
}

export interface CapacityJobResult {
  report: CapacityReport;
}

export interface CapacityJobProgress {
  /** 0…1, never going back. */
  fraction: number;
  cellsDone: number;
  cells: number;
  current: { arm: CapacityArm; n: number; d: number; step: number; steps: number } | null;
  trials: number;
  points: CapacityPoint[];
}

/** What a live job may ask for: small enough to run in seconds to a minute or two on a laptop CPU. */
export const CAPACITY_LIMITS = { maxN: 256, maxNs: 6, maxR: 8, maxM: 512, maxSteps: 2000, maxD: 128 } as const;

/** Why a job is refused, or null when it is within CAPACITY_LIMITS. */
export function checkCapacityJob(job: CapacityJob): string | null {
  const s = job?.settings;
  if (!s || !Array.isArray(s.ns) || !Array.isArray(s.arms)) return 'capacity: the job has no settings';
  const L = CAPACITY_LIMITS;
  if (s.ns.length === 0 || s.ns.length > L.maxNs) return `capacity: choose 1 to ${L.maxNs} values of N`;
  if (!s.ns.every((n) => positiveInt(n) && n >= 2 && n <= L.maxN)) return `capacity: every N must be an integer from 2 to ${L.maxN}`;
  if (!positiveInt(s.r) || s.r > L.maxR) return `capacity: R must be from 1 to ${L.maxR}`;
  if (!positiveInt(s.m) || s.m > L.maxM) return `capacity: m must be from 1 to ${L.maxM}`;
  if (!positiveInt(s.steps) || s.steps > L.maxSteps) return `capacity: the step budget must be from 1 to ${L.maxSteps}`;
  if (!positiveInt(s.dFloor) || !positiveInt(s.dMax) || s.dFloor > s.dMax || s.dMax > L.maxD) return `capacity: need 1 ≤ d floor ≤ d max ≤ ${L.maxD}`;
  if (s.arms.length === 0) return 'capacity: choose at least one arm';
  if (!(s.lr > 0 && s.lr <= 1)) return 'capacity: the learning rate must be in (0, 1]';
  return null;
}

/**
 * A search cell (arm, N) takes an unknown number of trials (gallop, then bisect), so within a cell
 * the fraction grows like 1 − 1/(1 + t/2) in the trials t done so far (fractional within a trial):
 * monotone, never reaching the next cell early.
 */
export function capacityFraction(cellsDone: number, cells: number, trialsInCell: number, step: number, steps: number): number {
  if (cells <= 0) return 0;
  if (cellsDone >= cells) return 1;
  const t = Math.max(0, trialsInCell) + stepFraction(step, steps);
  const within = 1 - 1 / (1 + t / 2);
  return Math.min(1, (cellsDone + within) / cells);
}

const ARM_WORDS: Record<CapacityArm, string> = { learned: 'learned embeddings', frozen: 'frozen embeddings' };

/** e.g. "learned embeddings, N = 32, d = 5: step 120 of 300 · 2 of 6 points · 7 trials done". */
export function capacityProgressText(p: CapacityJobProgress): string {
  const points = `${p.cellsDone} of ${p.cells} points`;
  if (!p.current) return p.cellsDone >= p.cells ? `all ${p.cells} points done` : `the construction, then ${points}`;
  const c = p.current;
  return `${ARM_WORDS[c.arm]}, N = ${fmtInt(c.n)}, d = ${c.d}: step ${fmtInt(c.step)} of ${fmtInt(c.steps)} · ${points} · ${p.trials} trials done`;
}
