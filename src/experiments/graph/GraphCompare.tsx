/**
 * The models side by side on one graph and seed: each model's embeddings' picture at its first step of
 * 100% top-5 recovery (its end when it never got there), from the runs made here. The transformer's
 * shape, the associative control's none, and Node2Vec's (built to find shape) read against each other.
 */
import { memo } from 'react';
import type { Graph } from './graphs';
import type { GraphJobResult } from './job';
import type { GraphFrame, GraphLearner } from './train';
import { GraphPcaFigure } from './GraphPcaFigure';
import { fmtInt, fmtNum } from '../../ui/format';

export interface GraphCompareProps {
  graph: Graph;
  /** The latest finished run of each model on this graph and seed. */
  runs: Partial<Record<GraphLearner, GraphJobResult>>;
  names: Record<GraphLearner, string>;
  order: readonly GraphLearner[];
}

/** The frame a model is compared at: its first 100% top-5 recovery, or its last. */
export function compareFrame(r: GraphJobResult): { frame: GraphFrame; atFirstFull: boolean } {
  const first = r.points.firstFull;
  return first ? { frame: first, atFirstFull: true } : { frame: r.points.end, atFirstFull: false };
}

export const GraphCompare = memo(function GraphCompare({ graph, runs, names, order }: GraphCompareProps) {
  const present = order.filter((m) => runs[m]);
  return (
    <div className="graph-compare" data-testid="graph-compare" data-models={present.join(',')}>
      {present.map((m) => {
        const { frame, atFirstFull } = compareFrame(runs[m]!);
        const when = atFirstFull ? `at its first 100% (step ${fmtInt(frame.step)})` : `at its end (step ${fmtInt(frame.step)}; never 100%)`;
        return (
          <GraphPcaFigure
            key={m}
            graph={graph}
            frame={frame}
            testId={`figure-graph-compare-${m}`}
            title={`${names[m]}, ${when}`}
            label={`seed ${runs[m]!.seed}; geometric score ${fmtNum(frame.geometric)}, non-edges ${fmtNum(frame.nonEdge)}`}
          />
        );
      })}
    </div>
  );
});
