/**
 * `graph`: geometric memory of a tiny graph (docs/science.md §8).
 *
 * - `graph train`: edge memorization with the GPT, the associative control or Node2Vec; prints one JSON
 *   line with the scores at the first step where every edge is in its top 5, at step 100 and at the end
 *   (geometric score, associative score, ring order or grid R², step numbers); --out writes the recorded
 *   trajectory (scores, aligned 2-D PCA and Laplacian energies per recorded step; cosine matrices at the
 *   three key steps).
 * - `graph path`: path-finding on the path-star graph, embeddings learned from the edges vs frozen.
 */
import { parseFlags, UsageError, type FlagSpec, type ParsedFlags } from '../../cli/args';
import { BACKEND_FLAG, printJson, SEED_FLAG } from '../../cli/common';
import { startSweep, writeFileAtomically } from '../../cli/nodeIo';
import type { NumberParam } from '../../core/model/params';
import type { CliCommand } from '../registry';
import { DEFAULT_SIZES, GRAPH_KINDS, GRAPH_LIMITS, makeGraph, type GraphKind } from './graphs';
import { pathFinding, PATH_DEFAULTS, type PathResult } from './path';
import { GRAPH_LEARNERS, trainGraph, type GraphFrame, type GraphLearner } from './train';

const int = (label: string, min: number, max: number): FlagSpec => ({ kind: 'number', param: { label, integer: true, min, max } satisfies NumberParam });
const real = (label: string, max: number): FlagSpec => ({ kind: 'number', param: { label, integer: false, min: 0, max, exclusiveMin: true } });

const SIZE_FLAGS: Record<string, FlagSpec> = {
  nodes: int('nodes (the cycle’s length)', GRAPH_LIMITS.cycleNodes.min, GRAPH_LIMITS.cycleNodes.max),
  rows: int('rows (the grid’s)', GRAPH_LIMITS.gridSide.min, GRAPH_LIMITS.gridSide.max),
  cols: int('cols (the grid’s)', GRAPH_LIMITS.gridSide.min, GRAPH_LIMITS.gridSide.max),
  branches: int('branches (the path-star’s)', GRAPH_LIMITS.starBranches.min, GRAPH_LIMITS.starBranches.max),
  length: int('length (nodes per path-star branch)', GRAPH_LIMITS.starLength.min, GRAPH_LIMITS.starLength.max),
};
/** Which size flags each family takes. */
const SIZES_OF: Record<GraphKind, string[]> = { cycle: ['nodes'], grid: ['rows', 'cols'], star: ['branches', 'length'], irregular: [] };

const TRAIN_FLAGS: Record<string, FlagSpec> = {
  graph: { kind: 'choice', choices: GRAPH_KINDS },
  model: { kind: 'choice', choices: GRAPH_LEARNERS },
  seed: SEED_FLAG,
  steps: int('steps', 1, 20_000),
  d: int('d (embedding dimension)', 2, 1024),
  lr: real('lr (learning rate)', 10),
  ...SIZE_FLAGS,
  backend: BACKEND_FLAG,
  out: { kind: 'string' },
};

const PATH_FLAGS: Record<string, FlagSpec> = {
  branches: SIZE_FLAGS.branches,
  length: SIZE_FLAGS.length,
  seed: SEED_FLAG,
  'edge-steps': int('edge-steps', 1, 20_000),
  'path-steps': int('path-steps', 1, 20_000),
  d: int('d (embedding dimension)', 2, 256),
  lr: real('lr (learning rate)', 1),
  arms: { kind: 'list', choices: ['learned', 'frozen'] },
  backend: BACKEND_FLAG,
  out: { kind: 'string' },
};

/** The numbers of a key frame, for the JSON line. */
function scores(f: GraphFrame | null) {
  if (!f) return null;
  return {
    step: f.step,
    topK: f.topK,
    topDegree: f.topDegree,
    geometric: f.geometric,
    nonEdge: f.nonEdge,
    ...(f.ring ? { ring: f.ring.exact, ringAdjacent: f.ring.adjacent } : {}),
    ...(f.gridR2 !== undefined ? { gridR2: f.gridR2 } : {}),
    loss: f.loss,
  };
}

async function trainCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('graph train', argv, TRAIN_FLAGS);
  const kind = (flags.graph as GraphKind | undefined) ?? 'cycle';
  for (const name of Object.keys(SIZE_FLAGS)) {
    if (flags[name] !== undefined && !SIZES_OF[kind].includes(name)) {
      const takes = SIZES_OF[kind].length ? `it takes ${SIZES_OF[kind].map((s) => `--${s}`).join(' ')}` : 'it has a fixed size';
      throw new UsageError(`graph train: --${name} does not apply to --graph ${kind}; ${takes}`);
    }
  }
  const learner = (flags.model as GraphLearner | undefined) ?? 'transformer';
  const graph = makeGraph(kind, flags as { nodes?: number; rows?: number; cols?: number; branches?: number; length?: number });
  const seed = (flags.seed as number | undefined) ?? 0;
  const { out, backend, progress } = await startSweep('graph train', flags);
  const started = Date.now();
  const result = await trainGraph({
    graph,
    learner,
    seed,
    steps: flags.steps as number | undefined,
    d: flags.d as number | undefined,
    lr: flags.lr as number | undefined,
    onProgress: (p) => progress.update(`graph train [${backend}] ${graph.name} ${learner} step ${p.step}/${p.steps}  top-5 ${(100 * p.topK).toFixed(1)}%  loss ${p.loss.toFixed(4)}`),
  });
  progress.done();
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (out) writeFileAtomically(out, JSON.stringify({ format: 'factual-recall-graph-train', version: 1, backend, seconds, ...result }) + '\n');
  printJson({
    graph: graph.name,
    model: learner,
    seed,
    steps: result.steps,
    d: result.d,
    lr: result.lr,
    parameters: result.parameters,
    backend,
    firstFull: result.firstFull,
    atFirstFull: scores(result.points.firstFull),
    heldFull: result.heldFull,
    atHeldFull: scores(result.points.heldFull),
    atStep100: scores(result.points.step100),
    atEnd: scores(result.points.end),
    ...(result.note ? { note: result.note } : {}),
    frames: result.frames.length,
    seconds,
    ...(out ? { out } : {}),
  });
  return 0;
}

async function pathCommand(argv: string[]): Promise<number> {
  const flags: ParsedFlags = parseFlags('graph path', argv, PATH_FLAGS);
  const settings = {
    branches: (flags.branches as number | undefined) ?? PATH_DEFAULTS.branches,
    length: (flags.length as number | undefined) ?? PATH_DEFAULTS.length,
    seed: (flags.seed as number | undefined) ?? 0,
    edgeSteps: (flags['edge-steps'] as number | undefined) ?? PATH_DEFAULTS.edgeSteps,
    pathSteps: (flags['path-steps'] as number | undefined) ?? PATH_DEFAULTS.pathSteps,
    d: (flags.d as number | undefined) ?? PATH_DEFAULTS.d,
    lr: (flags.lr as number | undefined) ?? PATH_DEFAULTS.lr,
  };
  const arms = (flags.arms as ('learned' | 'frozen')[] | undefined) ?? ['learned', 'frozen'];
  const { out, backend, progress } = await startSweep('graph path', flags);
  const started = Date.now();
  const results: Record<string, PathResult> = {};
  for (const arm of arms) {
    results[arm] = await pathFinding({
      ...settings,
      frozen: arm === 'frozen',
      onProgress: (p) => progress.update(`graph path [${backend}] ${arm} fold ${p.fold + 1}/${p.folds} ${p.phase} step ${p.step}/${p.steps}`),
    });
  }
  progress.done();
  const seconds = Math.round((Date.now() - started) / 100) / 10;
  if (out) writeFileAtomically(out, JSON.stringify({ format: 'factual-recall-graph-path', version: 1, backend, settings, seconds, ...results }, null, 1) + '\n');
  const brief = (r: PathResult) => ({ heldOutAccuracy: r.heldOutAccuracy, trainAccuracy: r.trainAccuracy, edgeTopK: r.edgeTopK, predicted: r.folds.map((f) => [f.heldOutLeaf, f.target, f.predicted]) });
  printJson({
    graph: `star-${settings.branches}x${settings.length}`,
    ...settings,
    backend,
    ...Object.fromEntries(Object.entries(results).map(([arm, r]) => [arm, brief(r)])),
    seconds,
    ...(out ? { out } : {}),
  });
  return 0;
}

export async function graphCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === 'train') return trainCommand(rest);
  if (sub === 'path') return pathCommand(rest);
  throw new UsageError(`graph: unknown subcommand ${sub === undefined ? '(none)' : JSON.stringify(sub)}; accepted: train, path`);
}

const command: CliCommand = {
  usage: `  graph train [--graph cycle|grid|star|irregular --model transformer|associative|node2vec --seed S
             --steps T (700 cycle, 500 others; associative, node2vec 100) --d D --lr LR
             --nodes ${DEFAULT_SIZES.cycleNodes} (cycle) --rows ${DEFAULT_SIZES.gridRows} --cols ${DEFAULT_SIZES.gridCols} (grid) --branches ${DEFAULT_SIZES.starBranches} --length ${DEFAULT_SIZES.starLength} (star)
             --backend wasm|cpu --out FILE]
  graph path  [--branches 4 --length 4 --seed S --edge-steps 500 --path-steps 200 --d 32 --lr 0.01
             --arms learned,frozen --backend wasm|cpu --out FILE]`,
  run: graphCommand,
};
export default command;
