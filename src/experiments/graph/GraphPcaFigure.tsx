/**
 * The node embeddings' 2-D PCA (aligned from frame to frame) at the viewed step, with the graph's edges
 * drawn between them and the nodes labelled and coloured in graph order (docs/science.md §8). Before a
 * run (`frame` null) it draws the graph itself from its Laplacian's first two non-constant
 * eigenvectors: the picture a perfect geometric memory of it would give. Each node mark carries its
 * index and its position on screen (data-node, data-x, data-y) for the tests.
 */
import { memo, useEffect, useMemo } from 'react';
import { axisBottom, axisLeft, interpolateRainbow, scaleLinear, select } from 'd3';
import type { Graph } from './graphs';
import { graphViews } from './graphViews';
import type { GraphFrame } from './train';
import { frameSummary } from './story';
import { ChartFrame, drawGridAndYAxis, hoverMarks, joinGroups, Legend, useChart } from '../../ui/figures/ChartFrame';
import { FigureShell } from '../../ui/figures/FigureShell';
import { FG, MUTED, sequentialColor } from '../../ui/figures/figureKit';
import { fmtInt, fmtNum } from '../../ui/format';

export interface GraphPcaFigureProps {
  graph: Graph;
  /** The viewed frame, or null: the graph's own spectral drawing. */
  frame: GraphFrame | null;
  /** e.g. "live (wasm; transformer, seed 1)". */
  label: string;
  /** data-testid of the figure (several can sit side by side) and a title in place of the step's. */
  testId?: string;
  title?: string;
}

/** Node i's colour: around the rainbow for a cycle (its end meets its start), viridis otherwise. */
export const nodeColor = (g: Graph, i: number) => (g.kind === 'cycle' ? interpolateRainbow(i / g.n) : sequentialColor(g.n > 1 ? i / (g.n - 1) : 0));

const LABEL = 'Scatter plot of the node embeddings reduced to two dimensions by PCA, one labelled dot per node, with a line between the two ends of every edge of the graph.';

interface NodeMark {
  i: number;
  px: number;
  py: number;
}

export const GraphPcaFigure = memo(function GraphPcaFigure({ graph, frame, label, testId = 'figure-graph-pca', title }: GraphPcaFigureProps) {
  const chart = useChart(14, { narrow: 260, wide: 320 });
  const { svgRef, readoutRef, layout: { narrow, plotW, plotH } } = chart;
  const points = useMemo(() => (frame ? frame.pca : graphViews(graph).layout), [frame, graph]);
  const ring = frame?.ring;

  useEffect(() => {
    const svgEl = svgRef.current;
    if (!svgEl || points.length !== graph.n * 2) return;
    const plot = select(svgEl).select<SVGGElement>('g.plot');
    let cx = 0;
    let cy = 0;
    for (let i = 0; i < graph.n; i++) {
      cx += points[2 * i] / graph.n;
      cy += points[2 * i + 1] / graph.n;
    }
    let r = 1e-9;
    for (let i = 0; i < graph.n; i++) r = Math.max(r, Math.abs(points[2 * i] - cx), Math.abs(points[2 * i + 1] - cy));
    r *= 1.15;
    // Equal units on both axes: the picture's shape is the embeddings'.
    const aspect = plotW / plotH;
    const x = scaleLinear().domain([cx - r * aspect, cx + r * aspect]).range([0, plotW]);
    const y = scaleLinear().domain([cy - r, cy + r]).range([plotH, 0]);
    drawGridAndYAxis(plot, () => axisLeft(y).ticks(4).tickFormat((v) => fmtNum(Number(v), 2)), plotW);
    plot.select<SVGGElement>('g.axis-x').call(axisBottom(x).ticks(narrow ? 3 : 6).tickFormat((v) => fmtNum(Number(v), 2)).tickSizeOuter(0));

    const marks: NodeMark[] = Array.from({ length: graph.n }, (_, i) => ({ i, px: x(points[2 * i]), py: y(points[2 * i + 1]) }));
    plot
      .select('g.edges')
      .selectAll<SVGLineElement, [number, number]>('line')
      .data(graph.edges, ([u, v]) => `${u}-${v}`)
      .join('line')
      .attr('x1', ([u]) => marks[u].px)
      .attr('y1', ([u]) => marks[u].py)
      .attr('x2', ([, v]) => marks[v].px)
      .attr('y2', ([, v]) => marks[v].py)
      .attr('stroke', MUTED)
      .attr('stroke-width', 1.2)
      .attr('stroke-opacity', 0.7);
    const nodes = joinGroups(plot.select('g.nodes'), 'node', marks, (m) => m.i, (g) => {
      g.append('circle').attr('r', 7).attr('stroke', FG).attr('stroke-width', 0.6);
      g.append('text').attr('text-anchor', 'middle').attr('dy', '0.35em').style('font-size', '8px').style('pointer-events', 'none');
    })
      .attr('transform', (m) => `translate(${m.px},${m.py})`)
      .attr('data-node', (m) => m.i)
      .attr('data-x', (m) => fmtNum(m.px, 2))
      .attr('data-y', (m) => fmtNum(m.py, 2));
    nodes.select('circle').attr('fill', (m) => nodeColor(graph, m.i));
    nodes
      .select('text')
      .style('fill', '#000')
      .text((m) => String(m.i));
    hoverMarks(nodes, svgEl, readoutRef.current, 'Point at a node to read it.', (m) => {
      const nb = graph.edges.filter(([u, v]) => u === m.i || v === m.i).map(([u, v]) => (u === m.i ? v : u));
      return `node ${m.i}: PCA (${fmtNum(points[2 * m.i], 3)}, ${fmtNum(points[2 * m.i + 1], 3)}); neighbours ${nb.join(', ')}`;
    });
  }, [graph, points, plotW, plotH, narrow]);

  const summary = frame
    ? frameSummary(frame, graph.kind, graph.n)
    : `The graph ${graph.name} (${fmtInt(graph.n)} nodes, ${fmtInt(graph.edges.length)} edges) drawn by its Laplacian’s first two non-constant eigenvectors: the picture a perfect geometric memory of it would give. Train a model to see its embeddings’ picture here.`;
  return (
    <FigureShell
      testId={testId}
      data={{ 'data-step': frame?.step ?? '', 'data-nodes': graph.n, 'data-edges': graph.edges.length, 'data-ring': ring ? String(ring.exact) : '', 'data-graph': graph.name }}
      title={title ?? (frame ? `The embeddings’ picture at step ${fmtInt(frame.step)}` : 'The graph to memorize')}
      look={
        frame ? (
          <>the edges (grey lines) get short as the embeddings of neighbours come together; for the cycle, whether the colours go round in order — a ring.</>
        ) : (
          <>the colours follow the graph’s order; this is its shape, drawn from the graph itself, before any model has seen an edge.</>
        )
      }
      exportName="graph-pca"
      summary={summary}
      descId={chart.descId}
    >
      <Legend items={[{ key: 'edge', mark: { line: 'currentColor' }, label: 'an edge of the graph' }]}>
        <span className="fig-legend-item wrap">
          {frame ? `${label}; PC 1 ${fmtNum(100 * frame.explained[0], 0)}%, PC 2 ${fmtNum(100 * frame.explained[1], 0)}% of the variance` : `${graph.name}, spectral drawing`}
        </span>
      </Legend>
      <ChartFrame {...chart.frame} label={LABEL} layers={['edges', 'nodes']} yTitle={frame ? 'PC 2' : 'eigenvector 2'} xTitle={frame ? 'PC 1' : 'eigenvector 1'} />
    </FigureShell>
  );
});
