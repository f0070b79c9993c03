import { describe, expect, it } from 'vitest';
import { cycleGraph, gridGraph } from './graphs';
import { checkGraphJob, defaultGraphSteps, graphProgressText, type GraphJob } from './job';
import { LEARNER_DEFAULTS } from './train';

const OK: GraphJob = { graph: 'cycle', model: 'transformer', steps: 700, seed: 1 };

describe('the graph job', () => {
  it('accepts a job within the limits and refuses bad input with "graph: …"', () => {
    expect(checkGraphJob(OK)).toBeNull();
    expect(checkGraphJob({ ...OK, graph: 'grid', sizes: { rows: 3, cols: 5 } })).toBeNull();
    for (const bad of [null, {}, { ...OK, graph: 'tree' }, { ...OK, model: 'mlp' }, { ...OK, steps: 0 }, { ...OK, steps: 2001 }, { ...OK, seed: -1 }, { ...OK, seed: 1.5 }, { ...OK, sizes: { nodes: 2 } }, { ...OK, graph: 'grid', sizes: { rows: 9 } }]) {
      expect(checkGraphJob(bad as GraphJob), JSON.stringify(bad)).toMatch(/^graph: /);
    }
  });

  it('its default steps are train.ts’s', () => {
    for (const model of ['transformer', 'associative', 'node2vec'] as const) {
      expect(defaultGraphSteps('cycle', model)).toBe(LEARNER_DEFAULTS[model].steps(cycleGraph()));
      expect(defaultGraphSteps('grid', model)).toBe(LEARNER_DEFAULTS[model].steps(gridGraph()));
    }
  });

  it('says its progress', () => {
    expect(graphProgressText({ fraction: 0.1, step: 70, steps: 700, topK: 1, loss: 1, frames: [] })).toBe('step 70 of 700');
    const f = { step: 70, loss: 1.234, topK: 1, topDegree: 1, geometric: 0.876, nonEdge: 0.1, pca: [], explained: [0.5, 0.2] as [number, number], spectrum: [] };
    expect(graphProgressText({ fraction: 0.1, step: 70, steps: 700, topK: 1, loss: 1, frames: [f] })).toBe('step 70 of 700 · top-5 recovery 100%, loss 1.23, geometric score 0.88');
  });
});
