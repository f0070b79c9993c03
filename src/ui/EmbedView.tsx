/**
 * Embed mode (`?embed=<figure>`): one figure with the controls it needs, for an iframe in a blog
 * post or slides. It tells the embedding page its height (useEmbedHeight), and holds training while
 * nobody can see it (iframe scrolled off screen, tab hidden), resuming only what was playing.
 *
 * training, projection, gating: the playground's run with its controls and status.
 * The chapters marked `embed` in src/experiments/registry.ts (capacity, multihop, optimizers): the
 * chapter's figure (optimizers: its two precomputed tables, and the live curves once run) with its
 * live-run form (the chapter's prose hidden by share.css).
 */
import { useEffect, useRef, type ComponentType, type MutableRefObject, type ReactNode } from 'react';
import type { BackendChoice, RunSettings } from '../worker/protocol';
import { Controls, type RunHandlers } from './Controls';
import { Notices } from './Notices';
import { StatusPanel } from './StatusPanel';
import { OneChapter } from './chapters/Chapters';
import { LiveGating, LiveProjection, LiveTraining } from './figures/LiveFigures';
import type { ExperimentClient } from './useExperimentWorker';
import type { TrainingControls, TrainingView } from './useTrainingWorker';
import type { LiveFigureProps } from './figures/LiveFigures';
import { usePauseWhileUnseen, useEmbedHeight, useSeen } from './useEmbed';
import { isPlaygroundEmbed, type EmbedName, type PlaygroundEmbed } from './share';
import './share.css';

export interface EmbedViewProps {
  embed: EmbedName;
  view: TrainingView;
  controls: TrainingControls;
  settings: RunSettings;
  backend: BackendChoice;
  relations: number;
  /** The reader's wish to train (autoplay, then play and pause). */
  playIntent: MutableRefObject<boolean>;
  experiments: ExperimentClient;
  notices: string[];
  onDismissNotice(index: number): void;
  handlers: RunHandlers;
}

const PLAYGROUND_FIGURES: Record<PlaygroundEmbed, ComponentType<LiveFigureProps>> = { training: LiveTraining, projection: LiveProjection, gating: LiveGating };

/** The page this figure comes from: the same link without `embed`. */
function fullPageUrl(): string {
  const url = new URL(window.location.href);
  url.searchParams.delete('embed');
  return url.toString();
}

export function EmbedView(props: EmbedViewProps) {
  const { embed, view, controls, experiments } = props;
  const rootRef = useRef<HTMLElement>(null);
  useEmbedHeight(embed, rootRef);
  const seen = useSeen(rootRef);
  const chapter = !isPlaygroundEmbed(embed);

  const statusRef = useRef(view.status);
  statusRef.current = view.status;
  usePauseWhileUnseen(chapter ? true : seen, {
    playing: () => statusRef.current === 'running' || (props.playIntent.current && statusRef.current === 'idle'),
    pause: controls.pause,
    play: controls.play,
  });
  useEffect(() => {
    if (chapter) experiments.hold(!seen);
  }, [chapter, experiments, seen]);
  useEffect(() => {
    document.documentElement.classList.add('embedded');
    return () => document.documentElement.classList.remove('embedded');
  }, []);

  let figure: ReactNode;
  if (isPlaygroundEmbed(embed)) {
    const Figure = PLAYGROUND_FIGURES[embed];
    figure = <Figure view={view} controls={controls} relations={props.relations} />;
  } else {
    const playground = { settings: props.settings, onSettings: props.handlers.onSettings, initialR: props.settings.r, exportWeights: controls.exportWeights };
    figure = (
      <div className="embed-chapter">
        <OneChapter name={embed} client={experiments} playground={playground} />
      </div>
    );
  }

  return (
    <main ref={rootRef} className="page embed" data-testid="embed" data-embed={embed} data-seen={seen ? 'true' : 'false'}>
      <Notices notices={props.notices} onDismiss={props.onDismissNotice} />
      {!chapter && (
        <>
          <Controls settings={props.settings} backend={props.backend} status={view.status} {...props.handlers} />
          <StatusPanel
            view={view}
            onFix={(lr) => {
              props.playIntent.current = true;
              props.handlers.onSettings({ ...props.settings, lr });
            }}
          />
        </>
      )}
      <section className={chapter ? 'embed-figure' : 'figures embed-figure'}>{figure}</section>
      <p className="embed-source">
        <a href={fullPageUrl()} target="_blank" rel="noopener">
          How transformers memorize facts — open the whole explorable ↗
        </a>
      </p>
    </main>
  );
}
