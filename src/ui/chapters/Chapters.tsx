/**
 * The chapters on the page, read from src/experiments/registry.ts: each chapter's component loaded
 * lazily (its own chunk, with its figures and precomputed data), in registry order, or one alone for
 * an embed.
 */
import { lazy, Suspense, type ComponentType, type LazyExoticComponent } from 'react';
import { EXPERIMENT_NAMES, EXPERIMENTS, type ExperimentName } from '../../experiments/registry';
import type { ChapterProps } from './chapterKit';

const CHAPTERS = Object.fromEntries(EXPERIMENT_NAMES.map((name) => [name, lazy(EXPERIMENTS[name].chapter)])) as Record<
  ExperimentName,
  LazyExoticComponent<ComponentType<ChapterProps>>
>;

const loading = (
  <p className="hint-text" data-testid="chapters-loading">
    Loading the chapters…
  </p>
);

/** The first `count` chapters (all by default), in the registry's order; a line saying the rest are on their way. */
export function Chapters({ count = EXPERIMENT_NAMES.length, ...props }: ChapterProps & { count?: number }) {
  return (
    <Suspense fallback={loading}>
      {EXPERIMENT_NAMES.slice(0, count).map((name) => {
        const Chapter = CHAPTERS[name];
        return <Chapter key={name} {...props} />;
      })}
      {count < EXPERIMENT_NAMES.length && loading}
    </Suspense>
  );
}

/** One chapter (an embed). */
export function OneChapter({ name, ...props }: ChapterProps & { name: ExperimentName }) {
  const Chapter = CHAPTERS[name];
  return (
    <Suspense fallback={loading}>
      <Chapter {...props} />
    </Suspense>
  );
}
