/**
 * The explorable: settings in the URL, a training worker, and the live figures of SCIENCE.md §4.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BackendChoice, RunSettings } from '../worker/protocol';
import { Controls, type RunHandlers } from './Controls';
import { DisplayOptions, useLargeType } from './DisplayOptions';
import { Notices } from './Notices';
import { StatusPanel } from './StatusPanel';
import { parsePageState, toSearch, withConstructionSizes, type PageState } from './urlState';
import { BuildByHand } from './chapters/BuildByHand';
import { CapacityChapter } from './chapters/CapacityChapter';
import { MultihopChapter } from './chapters/MultihopChapter';
import { OptimizerChapter } from './chapters/OptimizerChapter';
import { TransferChapter } from './chapters/TransferChapter';
import { useExperimentWorker } from './useExperimentWorker';
import { useTrainingWorker } from './useTrainingWorker';
import { useKeyboardShortcuts } from './useKeyboardShortcuts';
import { LiveGating, LiveProjection, LiveTraining } from './figures/LiveFigures';
import { EmbedView } from './EmbedView';
import { PresetMenu } from './PresetMenu';
import { RunFiles } from './RunFiles';
import { presetOf, type Preset } from './presets';
import { readShareParams, withShareParams } from './share';

export function App() {
  // `embed` and `preset` (share.ts) are read first; a preset's settings go under the link's own keys.
  const share = useMemo(() => readShareParams(window.location.search), []);
  const initial = useMemo(() => parsePageState(share.search), [share]);
  const [page, setPage] = useState<PageState>(initial.state);
  const [urlNotices, setUrlNotices] = useState<string[]>(() => [...share.notices, ...initial.notices]);
  const [view, controls] = useTrainingWorker({ backend: initial.state.backend, allowSoftwareWebGpu: initial.state.allowSoftwareWebGpu });
  // The chapters' experiments run in a second worker, started by the first experiment.
  const experiments = useExperimentWorker({ backend: page.backend, allowSoftwareWebGpu: initial.state.allowSoftwareWebGpu });
  // Whether the reader wants training to run: autoplay, then the last press of play or pause.
  const playIntent = useRef(initial.state.autoplay);
  const play = useCallback(() => {
    playIntent.current = true;
    controls.play();
  }, [controls]);
  const pause = useCallback(() => {
    playIntent.current = false;
    controls.pause();
  }, [controls]);
  const step = useCallback(() => {
    playIntent.current = false;
    controls.step(1);
  }, [controls]);
  const reset = useCallback(() => {
    playIntent.current = false;
    controls.reset(page.settings);
  }, [controls, page.settings]);
  useLargeType(page.large); // embed views too: a figure in slides on a projector
  useKeyboardShortcuts({ running: view.status === 'running', stopped: view.status === 'diverged' || view.status === 'error', play, pause, step, reset });

  // Settings taken over from a loaded weight file: the worker already runs them, no restart.
  const adopted = useRef<RunSettings | null>(null);
  // Start, and restart cleanly on every settings change; keep playing if the reader was.
  useEffect(() => {
    if (adopted.current === page.settings) return;
    controls.reset(page.settings);
    if (playIntent.current) controls.play();
  }, [page.settings, controls]);

  // The whole configuration lives in the URL, so the address bar is always a shareable link.
  useEffect(() => {
    const search = withShareParams(toSearch(page), share.embed, presetOf(page.settings));
    if (search !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  }, [page, share]);

  const setSettings = useCallback((settings: RunSettings) => {
    setPage((p) => {
      // Editing d or m by hand leaves the construction; n and r re-size it.
      const leaves = p.settings.construction && settings.construction && (settings.d !== p.settings.d || settings.m !== p.settings.m);
      return { ...p, settings: withConstructionSizes(leaves ? { ...settings, construction: false } : settings) };
    });
  }, []);
  const choosePreset = useCallback((preset: Preset) => {
    playIntent.current = preset.autoplay;
    setPage((p) => ({ ...p, settings: preset.settings, autoplay: preset.autoplay }));
  }, []);
  const adoptLoaded = useCallback((settings: RunSettings) => {
    adopted.current = settings;
    playIntent.current = false;
    setPage((p) => ({ ...p, settings }));
  }, []);
  const setBackend = useCallback(
    (backend: BackendChoice) => {
      setPage((p) => ({ ...p, backend }));
      controls.setBackend(backend);
    },
    [controls],
  );

  // A handle for tests and the curious: e.g. __explorable.simulateDeviceLoss() in the console.
  useEffect(() => {
    (window as unknown as { __explorable?: object }).__explorable = { simulateDeviceLoss: controls.simulateDeviceLoss };
  }, [controls]);

  const notices = [...urlNotices, ...view.notices];
  const dismissNotice = (i: number) => (i < urlNotices.length ? setUrlNotices(urlNotices.filter((_, j) => j !== i)) : controls.dismissNotice(i - urlNotices.length));
  const handlers: RunHandlers = { onSettings: setSettings, onBackend: setBackend, onPlay: play, onPause: pause, onStep: step, onReset: reset };
  const relations = view.settings?.r ?? page.settings.r;
  if (share.embed) {
    return (
      <EmbedView
        embed={share.embed}
        view={view}
        controls={controls}
        settings={page.settings}
        backend={page.backend}
        relations={relations}
        playIntent={playIntent}
        experiments={experiments}
        notices={notices}
        onDismissNotice={dismissNotice}
        handlers={handlers}
      />
    );
  }

  return (
    <main className="page">
      <header className="intro">
        <h1>How a transformer memorizes facts</h1>
        <p>
          Below, a real one-layer transformer learns a table of made-up facts — <em>R</em> relations, each a random one-to-one map
          (a bijection) from <em>N</em> subjects to the same <em>N</em> attributes — live in your browser. Ravfogel, Yehudai, Bruna
          and Bietti (<cite>Geometric Factual Recall in Transformers</cite>, 2026) show that it need not store the facts as a lookup
          table: with an embedding dimension that grows only like <em>log N</em>, each subject's embedding becomes a{' '}
          <strong>superposition of its attribute vectors</strong>, and the MLP becomes a <strong>selector</strong> that, gated by the
          relation, passes one of them through.
        </p>
      </header>

      <Notices notices={notices} onDismiss={dismissNotice} />
      <PresetMenu settings={page.settings} onPreset={choosePreset} />

      <Controls settings={page.settings} backend={page.backend} status={view.status} {...handlers} />
      <DisplayOptions large={page.large} onLarge={(large) => setPage((p) => ({ ...p, large }))} />
      <StatusPanel view={view} />
      <RunFiles view={view} controls={controls} settings={page.settings} onLoaded={adoptLoaded} />

      <section className="figures">
        <LiveTraining view={view} controls={controls} relations={relations} />
        <LiveProjection view={view} controls={controls} relations={relations} />
        <LiveGating view={view} controls={controls} relations={relations} />
      </section>

      <BuildByHand settings={page.settings} onSettings={setSettings} />
      <CapacityChapter client={experiments} playgroundR={initial.state.settings.r} />
      <TransferChapter client={experiments} exportWeights={controls.exportWeights} />
      <MultihopChapter client={experiments} />
      <OptimizerChapter client={experiments} />

      <footer className="notes">
        <h2>What is computed, and which choices are ours</h2>
        <ul>
          <li>
            The model: sequence [subject, relation], learned token and position embeddings, one causal attention layer (one head),
            a ReLU MLP with a residual connection, and attribute vectors <em>U</em> as the unembedding; softmax cross-entropy over
            the <em>N</em> attributes, full batch, with the optimizer chosen above: Adam, SGD with momentum, plain gradient descent
            or sign descent, each with a learning rate, and a multiplier on it for the subject embeddings and <em>U</em>.
            No layer norm.
          </li>
          <li>
            Attribute projection: for each relation a ridge linear probe maps subject embeddings to attribute vectors, fitted on a
            fixed 80% of the subjects; the held-out accuracy is measured on the other 20%. The ridge penalty is chosen by
            generalized cross-validation on the fitted subjects.
          </li>
          <li>
            Superposition R²: a least-squares fit of each subject embedding as Σ<sub>r</sub> A<sub>r</sub> u<sub>π_r(s)</sub>, scored
            on held-out subjects.
          </li>
          <li>
            ReLU gating: how often each hidden unit is active for each relation; the knock-out zeroes the units that prefer a
            relation and measures every relation's accuracy again.
          </li>
          <li>Initial weights, facts and the 80/20 split come from a seeded generator: the same link gives the same run.</li>
        </ul>
      </footer>
    </main>
  );
}
