import { describe, expect, it } from 'vitest';
import type { GraphFrame } from './train';
import { frameSummary, graphSentences, graphStory, shapeQuality } from './story';

/** A cycle-15 frame: its step, top-5 recovery, geometric score, non-edges, and how many angular neighbours are edges. */
function frame(step: number, topK: number, geometric: number, nonEdge: number, adjacent: number): GraphFrame {
  return { step, loss: 1, topK, topDegree: topK, geometric, nonEdge, pca: [], explained: [0.4, 0.3], ring: { exact: adjacent === 15, adjacent: adjacent / 15 }, spectrum: [] };
}

const RUN = [frame(0, 0.2, 0.01, 0, 3), frame(20, 0.9, 0.8, 0.3, 13), frame(43, 1, 0.87, 0.13, 15), frame(60, 1, 0.9, 0.1, 15), frame(100, 1, 0.88, 0.3, 15), frame(400, 1, 0.6, 0.3, 13), frame(700, 1, 0.37, 0.3, 10)];

describe('the graph story', () => {
  it('finds the first 100%, the clearest phase and the bend', () => {
    const s = graphStory(RUN, 'cycle');
    expect(s.firstFull?.step).toBe(43);
    expect(s.step100?.step).toBe(100);
    expect(s.clearest?.step).toBe(60);
    expect(s.phase).toEqual({ from: 43, to: 100 });
    expect(s.bent).toBe(true);
    const text = graphSentences(s, 15, 'transformer', false);
    expect(text[0]).toBe('Every edge is first among its node’s top 5 at step 43. There the picture is a ring: the nodes go round their centre in cycle order; geometric score 0.87 (non-edges 0.13), top-5 recovery 100%.');
    expect(text).toContain('The shape is clearest from step 43 to 100 (best at step 60: a ring: the nodes go round their centre in cycle order; geometric score 0.90).');
    expect(text[text.length - 1]).toMatch(/^At the end \(step 700\) the ring is gone: the picture is not a ring \(10 of 15 angular neighbours are edges\), geometric score 0\.37 against 0\.90 at its clearest\./);
  });

  it('says so when no step reached 100%, and a shape that holds is not bent', () => {
    const s = graphStory(RUN.slice(0, 2), 'cycle');
    expect(s.firstFull).toBeNull();
    expect(s.bent).toBe(false);
    expect(graphSentences(s, 15, 'transformer', true)[0]).toBe('So far no step has every edge among its node’s top 5 (at step 20: 90%).');
    expect(graphStory([], 'cycle').clearest).toBeNull();
    expect(graphSentences(graphStory([], 'cycle'), 15, 'transformer', true)).toEqual([]);
  });

  it('uses R² for the grid and the contrast otherwise; the associative control has no shape by construction', () => {
    const g = { ...frame(5, 1, 0.5, 0.1, 0), ring: undefined, gridR2: 0.97 };
    expect(shapeQuality(g, 'grid')).toBe(0.97);
    expect(shapeQuality(g, 'star')).toBeCloseTo(0.4);
    expect(frameSummary(g, 'grid', 16)).toMatch(/^Step 5: the picture is the grid with Procrustes R² 0\.97 to its true coordinates;/);
    const a = graphSentences(graphStory([frame(0, 1, 0.01, 0, 4)], 'cycle'), 15, 'associative', false);
    expect(a).toHaveLength(1);
    expect(a[0]).toMatch(/frozen random vectors, so its picture has no shape by construction/);
  });
});
