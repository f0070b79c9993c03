/** The worker's answer to 'traceFact' on a run (the construction), on no run, and on a fact outside the table. */
import { describe, expect, it } from 'vitest';
import { OPTIMIZER_DEFAULTS } from '../core/training/optimizerSettings';
import { leakChecked, useBackend } from '../core/testKit';
import { factTraceMessage } from './factTraceRequest';
import type { RunSettings } from './protocol';
import { disposeRunTensors, newRun } from './sessionRun';

useBackend();

const CONSTRUCTION: RunSettings = { n: 16, r: 2, d: 1, m: 1, ...OPTIMIZER_DEFAULTS.adam, seed: 4, freezeSubjects: false, uniformAttention: false, construction: true };

describe('factTraceMessage', () => {
  it('traces a fact of the run at its step; says why when there is no run or no such fact', async () => {
    expect(await factTraceMessage(null, { type: 'traceFact', subject: 0, relation: 0 })).toMatchObject({ type: 'factTrace', trace: null, message: 'No run yet.' });
    const run = newRun(CONSTRUCTION);
    await leakChecked(async () => {
      const answer = await factTraceMessage(run, { type: 'traceFact', subject: 9, relation: 1 });
      expect(answer).toMatchObject({ type: 'factTrace', subject: 9, relation: 1, step: 0 });
      if (answer.type !== 'factTrace' || !answer.trace) throw new Error('no trace');
      expect(answer.trace.top[0].attribute).toBe(run.facts.permutations[1][9]);
      for (const [subject, relation] of [
        [16, 0],
        [0, 2],
        [-1, 0],
        [1.5, 0],
      ]) {
        const refused = await factTraceMessage(run, { type: 'traceFact', subject, relation });
        expect(refused).toMatchObject({ trace: null });
        expect(refused.type === 'factTrace' && refused.message).toMatch(/not in this table of 16 subjects and 2 relations/);
      }
    });
    disposeRunTensors(run);
  });
});
