/**
 * The worker's answer to 'traceFact' (protocol.ts): the fact followed through the current run's
 * model (core/measure/factTrace.ts), or null with the reason when there is no run or the fact is
 * not in its table. Runs between two training chunks, like every command.
 */
import { traceFact } from '../core/measure/factTrace';
import type { PageToWorker, WorkerToPage } from './protocol';
import type { Run } from './sessionRun';

export async function factTraceMessage(run: Run | null, request: Extract<PageToWorker, { type: 'traceFact' }>): Promise<WorkerToPage> {
  const { subject, relation } = request;
  const answer = { type: 'factTrace', subject, relation, step: run?.trainer.stepsDone ?? 0 } as const;
  if (!run) return { ...answer, trace: null, message: 'No run yet.' };
  const { n, r } = run.facts;
  if (!(Number.isInteger(subject) && subject >= 0 && subject < n && Number.isInteger(relation) && relation >= 0 && relation < r)) {
    return { ...answer, trace: null, message: `The fact (subject ${subject}, relation ${relation}) is not in this table of ${n} subjects and ${r} relations.` };
  }
  const trace = await traceFact(run.model, run.facts, subject, relation, { seed: run.settings.seed });
  return { ...answer, trace };
}
