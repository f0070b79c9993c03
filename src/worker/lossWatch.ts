/**
 * Watches a run's loss for the ways a run goes wrong before (or without) a NaN, so that the page never
 * shows a loss of 10⁷ at 0.5% accuracy without a word (docs/science.md, "When the page stops a run").
 *
 * The rule, from per-step traces of every optimiser at N = 256 (lr 1 … 0.001, and every preset):
 * - exploded: the loss stays above EXPLODE_FACTOR × its reference for EXPLODE_STEPS steps in a row. The
 *   reference is the larger of the first loss watched and chance, ln N (a loaded, trained model starts far
 *   below chance, and its tiny loss may wobble by a factor without anything being wrong). No run that
 *   learns came near it: with the optimisers' defaults and every preset the loss never rose above its start,
 *   and sign descent at lr 0.03 (30 × its default, it still gets every fact right) rose above twice its
 *   start for at most 2 steps in a row. Adam at lr 1 trips it at step 10, Adam at lr 0.1 at step 30 (its
 *   loss goes to 10⁵), sign descent at lr 0.1 at step 19; SGD and plain GD at lr ≥ 0.3 reach NaN first.
 * - stuck: the mean accuracy stays at chance (at most STUCK_CHANCE_MULT / N) and the loss at chance or
 *   above (≥ 0.99 ln N) for STUCK_STEPS steps in a row, and the loss's mean over the second half of that
 *   stretch is not below its mean over the first half. A run that is only slow goes on: at a learning rate
 *   of 10⁻⁵ (SGD, Adam, and the share test's N = 64 run) or plain GD at 0.01 with no embedding multiplier
 *   the accuracy sits at chance for thousands of steps, but the loss falls a little every step (SGD at 10⁻⁵:
 *   5.599 → 5.582 in 2,000 steps). None of the traces above tripped it; it is there for a network whose
 *   output has gone flat.
 * Either fires once per run; pressing play afterwards trains on without another word.
 */
import { OPTIMIZER_DEFAULTS, OPTIMIZER_LABELS } from '../core/training/optimizerSettings';
import type { RunSettings } from './protocol';

/** How far above its reference the loss must stay… */
export const EXPLODE_FACTOR = 2;
/** …for this many steps in a row. */
export const EXPLODE_STEPS = 10;
/** At chance: the mean accuracy at most this many times 1/N… */
export const STUCK_CHANCE_MULT = 2;
/** …for this many steps in a row, with the loss at or above chance and not falling. */
export const STUCK_STEPS = 1000;

/** One step's numbers, as the trainer reads them back. */
export interface WatchedStep {
  step: number;
  loss: number;
  accuracyByRelation: readonly number[];
}

export interface LossAlarm {
  kind: 'exploded' | 'stuck';
  /** The step that settled it, and its loss. */
  step: number;
  loss: number;
  /** The loss the run is held against (the larger of its first loss and ln N). */
  reference: number;
  /** The learning rate the one-click fix restarts with. */
  saferLr: number;
  message: string;
}

/**
 * A learning rate to restart with: the optimiser's default where the run's is above it, else a tenth
 * of the run's (a large embedding multiplier can make even the default too much for SGD).
 */
export function saferLearningRate(settings: Pick<RunSettings, 'optimizer' | 'lr'>): number {
  const fallback = OPTIMIZER_DEFAULTS[settings.optimizer].lr;
  return settings.lr > fallback ? fallback : Number((settings.lr / 10).toPrecision(2));
}

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** "5.6", "1,234", "7.1·10⁷": losses from chance to 10³⁸ in a sentence. */
export function lossWords(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  if (Math.abs(x) < 1e5) return Number(x.toPrecision(3)).toLocaleString('en-US');
  const exponent = Math.floor(Math.log10(Math.abs(x)));
  const mantissa = Number((x / 10 ** exponent).toFixed(1));
  const sup = String(exponent).replace(/\d/g, (d) => SUPERSCRIPT[Number(d)]);
  return `${mantissa}·10${sup}`;
}

/** What to try, naming the optimiser and its learning rate. */
export function fixAdvice(settings: Pick<RunSettings, 'optimizer' | 'lr'>): string {
  const name = OPTIMIZER_LABELS[settings.optimizer];
  const safer = saferLearningRate(settings);
  const why = safer === OPTIMIZER_DEFAULTS[settings.optimizer].lr ? `, ${name}'s default` : '';
  return `the learning rate ${settings.lr} is too high for ${name}; try ${safer}${why}`;
}

export function lossAlarmMessage(settings: RunSettings, alarm: Omit<LossAlarm, 'message' | 'saferLr'>): string {
  const advice = fixAdvice(settings);
  const what =
    alarm.kind === 'exploded'
      ? `The loss has stayed above ${EXPLODE_FACTOR} × its start (${lossWords(alarm.reference)}) for ${EXPLODE_STEPS} steps: ${lossWords(alarm.loss)} at step ${alarm.step}`
      : `The accuracy has stayed at chance (1/${settings.n}) for ${STUCK_STEPS} steps and the loss, ${lossWords(alarm.loss)} at step ${alarm.step}, is not falling`;
  return `${what}. Paused: ${advice}. Press play to go on anyway.`;
}

/** Follows one run's per-step numbers and says, once, when the loss has exploded or is stuck at chance. */
export class LossWatch {
  private reference: number | null = null;
  private above = 0;
  /** The current stretch of steps at chance: its length and the sums of its two halves' losses. */
  private stuck = { steps: 0, firstHalf: 0, secondHalf: 0 };
  private fired = false;

  constructor(private readonly settings: RunSettings) {}

  /** Reads the steps just trained (in order); returns an alarm the first time a rule holds, else null. */
  observe(read: readonly WatchedStep[]): LossAlarm | null {
    if (this.fired) return null;
    const n = this.settings.n;
    const chanceLoss = Math.log(n);
    for (const s of read) {
      if (!Number.isFinite(s.loss)) return null; // a NaN is the session's divergence, not ours
      this.reference ??= Math.max(s.loss, chanceLoss);
      this.above = s.loss > EXPLODE_FACTOR * this.reference ? this.above + 1 : 0;
      if (this.above >= EXPLODE_STEPS) return this.fire('exploded', s);
      const mean = s.accuracyByRelation.reduce((a, b) => a + b, 0) / s.accuracyByRelation.length;
      const atChance = mean <= STUCK_CHANCE_MULT / n && s.loss >= 0.99 * chanceLoss;
      const stretch = this.stuck;
      if (!atChance) {
        this.stuck = { steps: 0, firstHalf: 0, secondHalf: 0 };
        continue;
      }
      if (stretch.steps++ < STUCK_STEPS / 2) stretch.firstHalf += s.loss;
      else stretch.secondHalf += s.loss;
      if (stretch.steps < STUCK_STEPS) continue;
      if (stretch.secondHalf >= stretch.firstHalf) return this.fire('stuck', s);
      this.stuck = { steps: 0, firstHalf: 0, secondHalf: 0 }; // falling, if slowly: look again from here
    }
    return null;
  }

  private fire(kind: LossAlarm['kind'], s: WatchedStep): LossAlarm {
    this.fired = true;
    const found = { kind, step: s.step, loss: s.loss, reference: this.reference! };
    return { ...found, saferLr: saferLearningRate(this.settings), message: lossAlarmMessage(this.settings, found) };
  }
}
