/**
 * The words of the "Follow one fact" figure (FactTraceFigure.tsx), computed from the trace it draws:
 * the text summary (its caption) and the reading of which relation the firing units belong to. Pure,
 * no DOM, so it is tested in Node.
 */
import type { FactTrace } from '../../core/measure/factTraceData';
import { activeUnits } from '../../core/measure/factTraceData';
import { countWord, fmtInt, fmtNum, joinAnd } from '../format';

/** The firing units, and how many of them the measured gating assigns to each relation (−1: never active over the table). */
export function firingByRelation(trace: FactTrace, unitRelation: ArrayLike<number> | null): { active: number[]; own: number; others: number; unassigned: number } {
  const active = activeUnits(trace);
  let own = 0;
  let others = 0;
  let unassigned = 0;
  if (unitRelation && unitRelation.length === trace.preActivation.length) {
    for (const j of active) {
      const rel = unitRelation[j];
      if (rel === trace.relation) own += 1;
      else if (rel >= 0) others += 1;
      else unassigned += 1;
    }
  } else unassigned = active.length;
  return { active, own, others, unassigned };
}

/** The sum of the firing units' terms in the right logit. */
export function unitsLogit(trace: FactTrace): number {
  return trace.contribution.reduce((a, b) => a + b, 0);
}

function percent(p: number): string {
  return p >= 0.995 ? `${fmtNum(p * 100, 0)}%` : p >= 0.01 ? `${fmtNum(p * 100, 1)}%` : `${fmtNum(p * 100, 2)}%`;
}

/** A probability as a percentage: "97.3%", "100%", "0.04%". */
export function fmtPercent(p: number): string {
  return Number.isFinite(p) ? percent(p) : 'n/a';
}

export function summarizeFactTrace(trace: FactTrace, step: number, unitRelation: ArrayLike<number> | null): string {
  const { subject, relation, target, top } = trace;
  const parts: string[] = [`Subject ${subject}, relation ${relation}, at step ${step}: the right answer is attribute ${target}.`];
  const runnerUp = top.find((t) => t.attribute !== target);
  if (trace.targetRank === 1) {
    parts.push(
      `Its logit, ${fmtNum(trace.targetLogit)}, is the largest (probability ${fmtPercent(trace.targetProbability)})` +
        (runnerUp ? `; next is attribute ${runnerUp.attribute} at ${fmtNum(runnerUp.logit)}.` : '.'),
    );
  } else {
    parts.push(`The model answers attribute ${top[0].attribute} (logit ${fmtNum(top[0].logit)}); the right one ranks ${trace.targetRank} with ${fmtNum(trace.targetLogit)}.`);
  }
  const m = trace.preActivation.length;
  const { active, own, others, unassigned } = firingByRelation(trace, unitRelation);
  const whose = unitRelation
    ? ` By the measured gating, ${countWord(own)} of them ${own === 1 ? 'is a unit' : 'are units'} of relation ${relation}` +
      (others > 0 ? `, ${countWord(others)} of other relations` : '') +
      (unassigned > 0 && unitRelation ? `, ${countWord(unassigned)} never active over the table` : '') +
      '.'
    : '';
  parts.push(`${countWord(active.length)} of ${fmtInt(m)} MLP units fire.${whose}`.replace(/^./, (c) => c.toUpperCase()));
  parts.push(`They add ${fmtNum(unitsLogit(trace))} to the right logit; ${fmtNum(trace.directLogit)} comes around the MLP.`);
  const attention = Array.from({ length: trace.heads }, (_, h) => fmtNum(trace.attention[2 * h]));
  parts.push(`The relation token attends ${joinAnd(attention)} to the subject${trace.heads > 1 ? ' (one per head)' : ''}.`);
  const read = trace.probes.filter((p) => p.targetRank === 1).map((p) => String(p.relation));
  parts.push(
    read.length === trace.probes.length
      ? `The probes read every relation's answer from the subject's embedding (${trace.heldOut ? 'a held-out subject' : 'a fitted subject'}).`
      : `The probes read the answer of ${read.length ? `relation${read.length > 1 ? 's' : ''} ${joinAnd(read)}` : 'no relation'} from the subject's embedding, of ${countWord(trace.probes.length)} (${trace.heldOut ? 'a held-out subject' : 'a fitted subject'}).`,
  );
  return parts.join(' ');
}
