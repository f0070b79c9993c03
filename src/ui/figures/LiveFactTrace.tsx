/**
 * The "Follow one fact" figure of the live run: the followed fact (useFactTrace.ts), its latest
 * trace from the worker (always of the live model, also while the other figures show a past step),
 * and the units’ relations from the latest gating measurement. Built again
 * only when the trace, the fact or the gating changes.
 */
import { useMemo } from 'react';
import { followFact, useFactTrace } from '../useFactTrace';
import { FactTraceFigure } from './FactTraceFigure';
import type { LiveFigureProps } from './LiveFigures';

export function LiveFactTrace({ view, controls, relations }: LiveFigureProps) {
  const { fact, answer } = useFactTrace(view, controls);
  const n = view.settings?.n ?? 0;
  const unitRelation = view.measurements?.gating.preferred ?? null;
  const viewedStep = view.viewed?.step ?? null;
  return useMemo(
    () => (
      <FactTraceFigure
        subject={fact.subject}
        relation={fact.relation}
        n={n}
        relations={relations}
        trace={answer?.trace ?? null}
        step={answer?.step ?? 0}
        message={answer?.message}
        unitRelation={unitRelation}
        onFact={followFact}
        viewedStep={viewedStep}
      />
    ),
    [fact.subject, fact.relation, n, relations, answer, unitRelation, viewedStep],
  );
}
