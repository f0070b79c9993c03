/**
 * Every chapter after the playground, one line each, in page order. A line names the chapter's title
 * and where its parts are, loaded only by the side that needs them:
 *
 * - `chapter`: the page side, a React component (default export) taking ChapterProps; the page and the
 *   embed view load it lazily.
 * - `run`: the worker side (default export: a JobRunner, its job's check and run); the experiment
 *   worker loads it for the first job of its kind. Absent: the chapter runs nothing in the worker.
 * - `embed: true`: the chapter can be shown alone, at `?embed=<name>`.
 * - `cli`: its command line, `npm run cli -- <name> [flags]` (default export: a CliCommand).
 *
 * This module has no React and no DOM: the experiment worker, the CLI (Node, under tsx) and the tests
 * import it. The README's "How to add a chapter" shows the files a new chapter adds beside its line.
 */
import type { ComponentType } from 'react';
import type { ChapterProps } from '../ui/chapters/chapterKit';
import type { AnyJobRunner, JobRunner } from './kit';

/** A chapter's command line: `npm run cli -- <name> [flags]`. */
export interface CliCommand {
  /** Its lines of the CLI's usage text, starting with its name. */
  usage: string;
  /** Runs the command on the flags after its name; returns the exit status. */
  run(argv: string[]): Promise<number>;
}

export interface Experiment {
  title: string;
  chapter: () => Promise<{ default: ComponentType<ChapterProps> }>;
  run?: () => Promise<{ default: AnyJobRunner }>;
  embed?: boolean;
  cli?: () => Promise<{ default: CliCommand }>;
}

export const EXPERIMENTS = {
  buildByHand: { title: 'Build it by hand', chapter: () => import('./buildByHand/chapter') },
  capacity: { title: 'How much room do the facts need?', chapter: () => import('./capacity/chapter'), run: () => import('./capacity/run'), embed: true, cli: () => import('./capacity/cli') },
  transfer: { title: 'New facts for free?', chapter: () => import('./transfer/chapter'), run: () => import('./transfer/run'), cli: () => import('./transfer/cli') },
  multihop: { title: 'Two hops: step by step, or in one pass?', chapter: () => import('./multihop/chapter'), run: () => import('./multihop/run'), embed: true, cli: () => import('./multihop/cli') },
  optimizers: { title: 'Which training finds the geometry?', chapter: () => import('./optimizers/chapter'), run: () => import('./optimizers/run'), embed: true, cli: () => import('./optimizers/cli') },
  assoc: { title: 'Associative memories', chapter: () => import('./assoc/chapter'), run: () => import('./assoc/run'), embed: true, cli: () => import('./assoc/cli') },
  graph: { title: 'Graphs', chapter: () => import('./graph/chapter'), run: () => import('./graph/run'), embed: true, cli: () => import('./graph/cli') },
} as const satisfies Record<string, Experiment>;

type Registry = typeof EXPERIMENTS;
export type ExperimentName = keyof Registry;
/** The experiments with a worker side. */
export type LiveName = { [K in ExperimentName]: Registry[K] extends { run: unknown } ? K : never }[ExperimentName];
/** The experiments shown alone at `?embed=<name>`. */
export type ExperimentEmbed = { [K in ExperimentName]: Registry[K] extends { embed: true } ? K : never }[ExperimentName];

type RunnerOf<K extends LiveName> = Awaited<ReturnType<Registry[K]['run']>>['default'];
/** A live experiment's job, progress and result, as its run.ts declares them. */
export type JobOf<K extends LiveName> = RunnerOf<K> extends JobRunner<infer J, infer _P, infer _R> ? J : never;
export type ProgressOf<K extends LiveName> = RunnerOf<K> extends JobRunner<infer _J, infer P, infer _R> ? P : never;
export type ResultOf<K extends LiveName> = RunnerOf<K> extends JobRunner<infer _J, infer _P, infer R> ? R : never;

/** The experiments in page order. */
export const EXPERIMENT_NAMES = Object.keys(EXPERIMENTS) as ExperimentName[];

export const EXPERIMENT_EMBEDS = EXPERIMENT_NAMES.filter((name) => (EXPERIMENTS[name] as Experiment).embed === true) as ExperimentEmbed[];

export function isLiveName(name: string): name is LiveName {
  return Object.hasOwn(EXPERIMENTS, name) && (EXPERIMENTS[name as ExperimentName] as Experiment).run !== undefined;
}

/** The experiment whose command line is `name`, if any. */
export function cliOf(name: string): Experiment['cli'] {
  return Object.hasOwn(EXPERIMENTS, name) ? (EXPERIMENTS[name as ExperimentName] as Experiment).cli : undefined;
}
