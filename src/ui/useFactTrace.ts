/**
 * Follow one fact (issue 16): which fact the reader follows (one per page, set by the fact figure's
 * controls or a click on a row of the projection heat map), and its trace from the training worker,
 * asked for again whenever a measurement arrives (a few times a second at most) or the fact changes.
 * One request is in flight at a time; a newer wish waits for its answer, so a slow trace never
 * piles up commands in the worker's queue.
 */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { FactTraceMessage, TrainingControls, TrainingView } from './useTrainingWorker';

export interface FollowedFact {
  subject: number;
  relation: number;
}

let followed: FollowedFact = { subject: 0, relation: 0 };
const watchers = new Set<() => void>();

/** Follow the fact (subject, relation) (e.g. from a click on the projection heat map's row). */
export function followFact(subject: number, relation: number): void {
  if (followed.subject === subject && followed.relation === relation) return;
  followed = { subject, relation };
  for (const watch of watchers) watch();
}

export function useFollowedFact(): FollowedFact {
  return useSyncExternalStore(
    (watch) => {
      watchers.add(watch);
      return () => watchers.delete(watch);
    },
    () => followed,
  );
}

/** A request older than this without an answer (a worker replaced meanwhile) no longer blocks the next. */
const STALE_MS = 5000;

export interface FactTraceState {
  /** The followed fact, within the run's table (a subject or relation past its end is clamped). */
  fact: FollowedFact;
  /** The latest answer for this run (possibly for the previously followed fact while the next loads). */
  answer: FactTraceMessage | null;
}

export function useFactTrace(view: TrainingView, controls: TrainingControls): FactTraceState {
  const wish = useFollowedFact();
  const settings = view.settings;
  const fact = settings
    ? { subject: Math.max(0, Math.min(wish.subject, settings.n - 1)), relation: Math.max(0, Math.min(wish.relation, settings.r - 1)) }
    : wish;
  const [answer, setAnswer] = useState<FactTraceMessage | null>(null);
  const inFlight = useRef<number | null>(null); // when the pending request was sent
  const next = useRef<FollowedFact | null>(null);

  const ask = useCallback(
    (f: FollowedFact) => {
      if (inFlight.current !== null && performance.now() - inFlight.current < STALE_MS) {
        next.current = f;
        return;
      }
      inFlight.current = performance.now();
      next.current = null;
      controls.traceFact(f.subject, f.relation);
    },
    [controls],
  );

  useEffect(
    () =>
      controls.onFactTrace((message) => {
        inFlight.current = null;
        setAnswer(message);
        if (next.current) ask(next.current);
      }),
    [controls, ask],
  );

  // A new run: the old run's trace no longer applies.
  useEffect(() => setAnswer(null), [settings]);

  const measurements = view.measurements;
  useEffect(() => {
    if (settings && measurements) ask({ subject: fact.subject, relation: fact.relation });
  }, [settings, measurements, fact.subject, fact.relation, ask]);

  return { fact, answer };
}
