/**
 * Two runs side by side: the words for what run B changes, and the numbers that say how the two
 * differ, taken from each run's view (the page never computes on tensors).
 */
import { OPTIMIZER_LABELS } from '../core/training/optimizerSettings';
import type { RunSettings } from '../worker/protocol';
import type { CompareChanges } from './urlState';
import type { TrainingView } from './useTrainingWorker';

/** One changed setting's value in words, for the labels over each run's figures. */
function words(key: keyof CompareChanges, s: RunSettings): string {
  switch (key) {
    case 'optimizer':
      return OPTIMIZER_LABELS[s.optimizer];
    case 'lr':
      return `lr ${s.lr}`;
    case 'momentum':
      return `momentum ${s.momentum}`;
    case 'embedLrMult':
      return `embedding lr ×${s.embedLrMult}`;
    case 'weightDecay':
      return s.weightDecay > 0 ? `weight decay ${s.weightDecay}` : 'no weight decay';
    case 'uniformAttention':
      return s.uniformAttention ? 'uniform attention' : 'learned attention';
    case 'freezeSubjects':
      return s.freezeSubjects ? 'subject embeddings frozen' : 'subject embeddings learned';
    case 'd':
      return `d = ${s.d}`;
    case 'm':
      return `m = ${s.m}`;
  }
}

const ORDER: (keyof CompareChanges)[] = ['optimizer', 'lr', 'momentum', 'embedLrMult', 'weightDecay', 'uniformAttention', 'freezeSubjects', 'd', 'm'];

/** What tells run `s` apart in a comparison: its values of the settings B changes (e.g. "Adam"). */
export function runLabel(changes: CompareChanges, s: RunSettings): string {
  return ORDER.filter((key) => changes[key] !== undefined)
    .map((key) => words(key, s))
    .join(', ');
}

export interface RunNumbers {
  step: number;
  /** Mean accuracy over the relations at the last recorded step. */
  accuracy: number | null;
  stepsTo100: number | null;
  probeMin: number | null;
  probeMean: number | null;
  /** Superposition R² on held-out subjects. */
  r2: number | null;
  loss: number | null;
  /** The step of the measurement the probe and R² come from. */
  measuredAt: number | null;
}

export function runNumbers(view: TrainingView): RunNumbers {
  const acc = view.history.lastAccuracy;
  const probe = view.measurements?.probe.heldOutAccuracy ?? [];
  const finite = probe.filter(Number.isFinite);
  const r2 = view.measurements?.superposition.heldOutR2;
  return {
    step: view.step,
    accuracy: acc && acc.length ? acc.reduce((a, b) => a + b, 0) / acc.length : null,
    stepsTo100: view.stepsTo100,
    probeMin: finite.length ? Math.min(...finite) : null,
    probeMean: finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : null,
    r2: r2 !== undefined && Number.isFinite(r2) ? r2 : null,
    loss: view.history.lastLoss,
    measuredAt: view.measurements?.step ?? null,
  };
}

/**
 * One sentence on the held-out probes of A and B, or null before both are measured: the test of
 * superposition the comparison is mostly about.
 */
export function probeVerdict(a: RunNumbers, b: RunNumbers): string | null {
  if (a.probeMin === null || b.probeMin === null) return null;
  const d = b.probeMin - a.probeMin;
  const f = (x: number) => x.toFixed(2);
  const at = `(A at step ${a.measuredAt ?? a.step}, B at step ${b.measuredAt ?? b.step})`;
  if (Math.abs(d) < 0.005) return `The held-out probes agree: ${f(a.probeMin)} on the weakest relation in both runs ${at}.`;
  return `On its weakest relation, B's held-out probe reads ${f(b.probeMin)} against A's ${f(a.probeMin)}: ${d > 0 ? 'higher' : 'lower'} by ${f(Math.abs(d))} ${at}.`;
}
