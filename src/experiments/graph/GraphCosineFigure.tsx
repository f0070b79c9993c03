/**
 * The cosine-similarity matrix of the node embeddings at the viewed step beside the graph's adjacency
 * (docs/science.md §8), nodes in graph order on both: where the model's geometry follows the graph, the
 * cosine matrix shows the adjacency's pattern (a band for a cycle, blocks for a grid). The frame drawn is
 * the newest at or before the viewed step that carries the matrix (train.ts: every frame on small graphs).
 */
import { memo, useId, useMemo } from 'react';
import { select } from 'd3';
import type { Graph } from './graphs';
import { graphViews } from './graphViews';
import { adjacencyCorrelation } from './measure';
import type { GraphFrame } from './train';
import { FigureShell } from '../../ui/figures/FigureShell';
import { HeatMap } from '../../ui/figures/HeatMap';
import { DIVERGING, FG, useContainerWidth } from '../../ui/figures/figureKit';
import { cellSize, heatFrame } from '../../ui/figures/heatMap';
import { fmtInt, fmtNum } from '../../ui/format';

export interface GraphCosineFigureProps {
  graph: Graph;
  /** The run's frames and the viewed step. */
  frames: readonly GraphFrame[];
  step: number;
  label: string;
}

const M = { left: 30, right: 10, top: 10, bottom: 26 };
const GAP = 1;

/** The newest frame at or before `step` with a cosine matrix, or null. */
export function cosineFrameAt(frames: readonly GraphFrame[], step: number): GraphFrame | null {
  for (let i = frames.length - 1; i >= 0; i--) if (frames[i].step <= step && frames[i].cosine) return frames[i];
  return null;
}

export const GraphCosineFigure = memo(function GraphCosineFigure({ graph, frames, step, label }: GraphCosineFigureProps) {
  const [wrapRef, width] = useContainerWidth<HTMLDivElement>();
  const descId = useId();
  const n = graph.n;
  const { adjacency } = graphViews(graph);
  const frame = cosineFrameAt(frames, step);
  const cols = 2 * n + GAP;
  const values = useMemo(() => {
    const v = new Float32Array(n * cols).fill(NaN);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (frame?.cosine) v[i * cols + j] = frame.cosine[i * n + j];
        v[i * cols + n + GAP + j] = adjacency[i * n + j];
      }
    }
    return v;
  }, [frame, adjacency, n, cols]);
  const cell = cellSize(Math.min(620, Math.max(260, width)) - M.left - M.right, cols, 3, 14);
  const heat = heatFrame(M, cols * cell, n * cell);
  const r = frame?.cosine ? adjacencyCorrelation(frame.cosine, adjacency, n) : null;
  const summary = frame
    ? `At step ${fmtInt(frame.step)}, edge ends have mean cosine ${fmtNum(frame.geometric)} and other pairs ${fmtNum(frame.nonEdge)}; over all pairs the cosine matrix correlates with the adjacency at r = ${fmtNum(r ?? 0)} (1: cosine alone tells edges from the rest; about 0 for random vectors).`
    : 'No cosine matrix is recorded at or before this step yet; the right half is the graph’s adjacency.';

  const draw = (svgEl: SVGSVGElement) => {
    const svg = select(svgEl);
    svg
      .select('g.halves')
      .attr('transform', `translate(${M.left},${M.top + n * cell + 14})`)
      .selectAll<SVGTextElement, { text: string; x: number }>('text')
      .data([
        { text: frame ? `cosine, step ${fmtInt(frame.step)}` : 'cosine', x: (n * cell) / 2 },
        { text: 'adjacency (1 on an edge)', x: (n + GAP + n / 2) * cell },
      ])
      .join('text')
      .attr('x', (d) => d.x)
      .attr('text-anchor', 'middle')
      .style('font-size', '11px')
      .style('fill', FG)
      .text((d) => d.text);
  };

  const readout = ({ row, col }: { row: number; col: number | null }) => {
    if (col === null || col === n) return null;
    if (col < n) return frame?.cosine ? `nodes ${row} and ${col}: cosine ${fmtNum(frame.cosine[row * n + col])}${adjacency[row * n + col] ? ' (an edge)' : ''}` : null;
    const j = col - n - GAP;
    return `nodes ${row} and ${j}: ${adjacency[row * n + j] ? 'an edge' : 'no edge'}`;
  };

  return (
    <FigureShell
      testId="figure-graph-cosine"
      data={{ 'data-step': frame?.step ?? -1, 'data-correlation': r === null ? '' : r.toFixed(4) }}
      title="Cosine similarity of the node embeddings, beside the graph"
      look={<>the left matrix taking on the right one’s pattern: neighbours alike (dark), the rest not. Nodes are in graph order on both axes.</>}
      exportName="graph-cosine"
      summary={summary}
      descId={descId}
    >
      <p className="fig-legend">
        <span className="fig-legend-item wrap">{label}</span>
      </p>
      <div ref={wrapRef} style={{ width: '100%' }}>
        <HeatMap
          cells={{ rows: n, cols, cellW: cell, cellH: cell, values }}
          scale={DIVERGING}
          frame={heat}
          label={`Two ${n}×${n} heat maps side by side: the cosine similarity of every pair of node embeddings at the viewed step, and the graph’s adjacency matrix.`}
          descId={descId}
          titles={{ y: 'node', yX: 10, x: [] }}
          empty={false}
          draw={draw}
          idle="Point at a cell to read it."
          readout={readout}
          legend={{ label: 'cosine (adjacency: 0 or 1)', width: Math.min(heat.width, 260) }}
          layers={['halves']}
        />
      </div>
    </FigureShell>
  );
});
