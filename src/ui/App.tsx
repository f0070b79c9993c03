/**
 * The explorable: settings in the URL, a training worker, and the live figures of docs/science.md §4.
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { BackendChoice, RunSettings, RunStatus } from '../worker/protocol';
import { Controls, type RunHandlers } from './Controls';
import { DisplayOptions, useLargeType } from './DisplayOptions';
import { Notices } from './Notices';
import { StatusPanel } from './StatusPanel';
import { compareSettings, parsePageState, toSearch, withConstructionSizes, type CompareChanges, type PageState } from './urlState';
import { CompareControls } from './CompareControls';
import { CompareSummary } from './CompareSummary';
import { runLabel } from './compare';
import { Chapters } from './chapters/Chapters';
import { EXPERIMENT_NAMES } from '../experiments/registry';
import { useChaptersAfterPlayground } from './chapters/useChaptersAfterPlayground';
import { useExperimentWorker } from './useExperimentWorker';
import { useTrainingWorker } from './useTrainingWorker';
import { useKeyboardShortcuts } from './useKeyboardShortcuts';
import { LiveGating, LiveProjection, LiveTraining, type LiveFigureProps } from './figures/LiveFigures';
import { LiveFactTrace } from './figures/LiveFactTrace';
import { EmbedView } from './EmbedView';
import { PresetMenu } from './PresetMenu';
import { RunFiles } from './RunFiles';
import { presetOf, type Preset } from './presets';
import { readShareParams, withShareParams } from './share';
import { nearestRecorded } from './HistoryScrubber';
import './playground.css';
import type { ComponentType } from 'react';

/** What the transport shows for two runs: running if either runs; stopped only when both are. */
function jointStatus(a: RunStatus, b: RunStatus | null): RunStatus {
  if (b === null) return a;
  if (a === 'running' || b === 'running') return 'running';
  const stopped = (s: RunStatus) => s === 'diverged' || s === 'error';
  if (stopped(a) && !stopped(b)) return b;
  return a;
}

const PAIRED: { name: string; Figure: ComponentType<LiveFigureProps> }[] = [
  { name: 'training', Figure: LiveTraining },
  { name: 'projection', Figure: LiveProjection },
  { name: 'gating', Figure: LiveGating },
];

export function App() {
  // `embed` and `preset` (share.ts) are read first; a preset's settings go under the link's own keys.
  const share = useMemo(() => readShareParams(window.location.search), []);
  const initial = useMemo(() => parsePageState(share.search), [share]);
  const [page, setPage] = useState<PageState>(initial.state);
  const [urlNotices, setUrlNotices] = useState<string[]>(() => [...share.notices, ...initial.notices]);
  const [view, controls] = useTrainingWorker({ backend: initial.state.backend, allowSoftwareWebGpu: initial.state.allowSoftwareWebGpu });
  // Run B (`compare=`): its own worker, started only while there is a comparison (not in an embed).
  const comparing = page.compare && !page.settings.construction && !share.embed ? page.compare : null;
  const [viewB, controlsB] = useTrainingWorker({ backend: initial.state.backend, allowSoftwareWebGpu: initial.state.allowSoftwareWebGpu, enabled: comparing !== null });
  const settingsB = useMemo(() => (comparing ? compareSettings(page.settings, comparing) : null), [comparing, page.settings]);

  // The chapters' experiments run in a second worker, started by the first experiment.
  const experiments = useExperimentWorker({ backend: page.backend, allowSoftwareWebGpu: initial.state.allowSoftwareWebGpu });
  // Whether the reader wants training to run: autoplay, then the last press of play or pause.
  const playIntent = useRef(initial.state.autoplay);
  // Both runs play, pause, step and reset together (controlsB drops commands while B is off).
  const play = useCallback(() => {
    playIntent.current = true;
    controls.play();
    controlsB.play();
  }, [controls, controlsB]);
  const pause = useCallback(() => {
    playIntent.current = false;
    controls.pause();
    controlsB.pause();
  }, [controls, controlsB]);
  const step = useCallback(() => {
    playIntent.current = false;
    controls.step(1);
    controlsB.step(1);
  }, [controls, controlsB]);
  const reset = useCallback(() => {
    playIntent.current = false;
    controls.reset(page.settings);
    if (settingsB) controlsB.reset(settingsB);
  }, [controls, controlsB, page.settings, settingsB]);
  const status = jointStatus(view.status, settingsB ? viewB.status : null);
  useLargeType(page.large); // embed views too: a figure in slides on a projector
  useKeyboardShortcuts({ running: status === 'running', stopped: status === 'diverged' || status === 'error', play, pause, step, reset });

  // Settings taken over from a loaded weight file: the worker already runs them, no restart.
  const adopted = useRef<RunSettings | null>(null);
  // Start, and restart cleanly on every settings change; keep playing if the reader was. A
  // comparison starting or changing restarts both runs, so that they go step for step from step 0;
  // one stopping leaves run A as it is.
  const started = useRef<{ a: RunSettings | null; b: RunSettings | null }>({ a: null, b: null });
  useEffect(() => {
    const aChanged = started.current.a !== page.settings;
    const bNew = settingsB !== null && (aChanged || started.current.b !== settingsB);
    started.current = { a: page.settings, b: settingsB };
    const resetA = adopted.current !== page.settings && (aChanged || bNew);
    if (resetA) controls.reset(page.settings);
    if (bNew) controlsB.reset(settingsB);
    if (playIntent.current) {
      if (resetA) controls.play();
      if (bNew) controlsB.play();
    }
  }, [page.settings, settingsB, controls, controlsB]);
  // Unmounted (StrictMode's trial unmount included), the workers are gone: start afresh next time.
  useEffect(
    () => () => {
      started.current = { a: null, b: null };
    },
    [],
  );

  // Time travel (`view=`): a step the link asks for is shown once training has recorded it (the
  // nearest recorded step); until then the figures are live and the scrubber says why.
  const [waitingFor, setWaitingFor] = useState<number | null>(initial.state.view ?? null);
  const recorded = view.recordedSteps;
  useEffect(() => {
    if (waitingFor === null || recorded.length === 0 || recorded[recorded.length - 1] < waitingFor) return;
    controls.viewStep(recorded[nearestRecorded(recorded, waitingFor)]);
    setWaitingFor(null);
  }, [waitingFor, recorded, controls]);
  const viewedStep = view.viewPending ?? view.viewed?.step ?? waitingFor;

  // The whole configuration lives in the URL, so the address bar is always a shareable link.
  useEffect(() => {
    const search = withShareParams(toSearch({ ...page, view: viewedStep }), share.embed, presetOf(page.settings));
    if (search !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${search}${window.location.hash}`);
  }, [page, share, viewedStep]);

  const setSettings = useCallback((settings: RunSettings) => {
    setWaitingFor(null); // a new run: the link's step was the old one's
    setPage((p) => {
      // Editing d or m by hand leaves the construction; n and r re-size it.
      const leaves = p.settings.construction && settings.construction && (settings.d !== p.settings.d || settings.m !== p.settings.m);
      return { ...p, settings: withConstructionSizes(leaves ? { ...settings, construction: false } : settings) };
    });
  }, []);
  // The one-click fix of a run whose loss exploded (lossWatch.ts): restart playing with a safer learning rate.
  const applyFix = useCallback((lr: number) => {
    playIntent.current = true;
    setPage((p) => ({ ...p, settings: { ...p.settings, lr } }));
  }, []);
  const choosePreset = useCallback((preset: Preset) => {
    playIntent.current = preset.autoplay;
    setWaitingFor(null);
    setPage((p) => ({ ...p, settings: preset.settings, autoplay: preset.autoplay }));
  }, []);
  // A loaded weight file is run A's alone: the comparison stops (B has no such weights).
  const adoptLoaded = useCallback((settings: RunSettings) => {
    adopted.current = settings;
    playIntent.current = false;
    setPage((p) => ({ ...p, settings, compare: null }));
  }, []);
  const setCompare = useCallback((compare: CompareChanges | null) => setPage((p) => ({ ...p, compare })), []);
  const setBackend = useCallback(
    (backend: BackendChoice) => {
      setPage((p) => ({ ...p, backend }));
      controls.setBackend(backend);
      controlsB.setBackend(backend);
    },
    [controls, controlsB],
  );

  // A handle for tests and the curious: e.g. __explorable.simulateDeviceLoss() in the console.
  useEffect(() => {
    (window as unknown as { __explorable?: object }).__explorable = { simulateDeviceLoss: controls.simulateDeviceLoss };
  }, [controls]);

  // The chapters (src/experiments/registry.ts, in its order), built once per change of what they read:
  // the playground re-renders the page many times a second while training (two runs: twice as
  // often), and the chapters have nothing to redraw.
  const playgroundR = initial.state.settings.r;
  // They mount one by one once the playground has drawn (useChaptersAfterPlayground.ts): first things first.
  const chapterCount = useChaptersAfterPlayground(EXPERIMENT_NAMES.length, view.step > 0 || view.measurements !== null || view.status === 'error');
  const chapters = useMemo(
    () => <Chapters count={chapterCount} client={experiments} playground={{ settings: page.settings, onSettings: setSettings, initialR: playgroundR, exportWeights: controls.exportWeights }} />,
    [chapterCount, page.settings, setSettings, experiments, playgroundR, controls],
  );

  const notices = [...urlNotices, ...view.notices, ...viewB.notices.map((n) => `Run B: ${n}`)];
  const dismissNotice = (i: number) => {
    if (i < urlNotices.length) setUrlNotices(urlNotices.filter((_, j) => j !== i));
    else if (i < urlNotices.length + view.notices.length) controls.dismissNotice(i - urlNotices.length);
    else controlsB.dismissNotice(i - urlNotices.length - view.notices.length);
  };
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
      {/* One screen (issue 16): at 1280×800 a compact header, the controls in a left column, and the
          status and live figures beside them, all in view; the article follows below. Narrow: stacked. */}
      <header className="masthead">
        <h1>How a transformer memorizes facts</h1>
        <p className="tagline">
          A real one-layer transformer learns made-up facts live in your browser: watch each subject&apos;s embedding become a{' '}
          <strong>superposition of its attribute vectors</strong> and the MLP a <strong>selector</strong> gated by the relation.
        </p>
      </header>

      <Notices notices={notices} onDismiss={dismissNotice} />
      <div className="playground" data-testid="playground">
        <div className="playground-side">
          <PresetMenu settings={page.settings} onPreset={choosePreset} />
          <Controls settings={page.settings} backend={page.backend} status={status} {...handlers} />
        </div>
        <div className="playground-main">
          {comparing && settingsB ? (
            <>
              <div className="pair status-pair">
                <StatusPanel view={view} title={`Run A: ${runLabel(comparing, page.settings)}`} onFix={applyFix} />
                <StatusPanel view={viewB} testId="status-b" title={`Run B: ${runLabel(comparing, settingsB)}`} />
              </div>
              <CompareSummary a={view} b={viewB} settingsA={page.settings} settingsB={settingsB} changes={comparing} />
            </>
          ) : (
            <StatusPanel view={view} onFix={applyFix} />
          )}

          {comparing && settingsB ? (
            <section className="figures paired" data-testid="paired-figures">
              {PAIRED.map(({ name, Figure }) => (
                <div className="pair" key={name} data-pair={name}>
                  <div className="pair-cell" data-run="a">
                    <p className="run-label">A · {runLabel(comparing, page.settings)}</p>
                    <Figure view={view} controls={controls} relations={relations} />
                  </div>
                  <div className="pair-cell" data-run="b">
                    <p className="run-label">B · {runLabel(comparing, settingsB)}</p>
                    <Figure view={viewB} controls={controlsB} relations={viewB.settings?.r ?? settingsB.r} />
                  </div>
                </div>
              ))}
            </section>
          ) : (
            <section className="figures live-figures">
              <LiveTraining view={view} controls={controls} relations={relations} waitingFor={waitingFor} />
              <LiveProjection view={view} controls={controls} relations={relations} />
              <LiveGating view={view} controls={controls} relations={relations} />
            </section>
          )}
        </div>
      </div>

      <div className="playground-more">
        <CompareControls settings={page.settings} compare={comparing} onCompare={setCompare} />
        <DisplayOptions large={page.large} onLarge={(large) => setPage((p) => ({ ...p, large }))} />
        <RunFiles view={view} controls={controls} settings={page.settings} onLoaded={adoptLoaded} />
        {!comparing && (
          <section className="figures">
            <LiveFactTrace view={view} controls={controls} relations={relations} />
          </section>
        )}
      </div>

      <section className="intro">
        <p>
          Above, a real one-layer transformer learns a table of made-up facts — <em>R</em> relations, each a random one-to-one map
          (a bijection) from <em>N</em> subjects to the same <em>N</em> attributes — live in your browser. Ravfogel, Yehudai, Bruna
          and Bietti (<cite>Geometric Factual Recall in Transformers</cite>, 2026) show that it need not store the facts as a lookup
          table: with an embedding dimension that grows only like <em>log N</em>, each subject&apos;s embedding becomes a{' '}
          <strong>superposition of its attribute vectors</strong>, and the MLP becomes a <strong>selector</strong> that, gated by the
          relation, passes one of them through.
        </p>
      </section>

      {chapters}

      <footer className="notes">
        <h2>What is computed, and which choices are ours</h2>
        <ul>
          <li>
            The model: sequence [subject, relation], learned token and position embeddings, one causal attention layer (one head),
            a ReLU MLP with a residual connection, and attribute vectors <em>U</em> as the unembedding; softmax cross-entropy over
            the <em>N</em> attributes, full batch, with the optimizer chosen above: SGD with momentum by default (momentum 0.9,
            learning rate 0.1, and 30 times that on the subject embeddings and <em>U</em>, whose rows each see only their own
            facts' share of the gradient), or Adam, plain gradient descent, sign descent. Adam gets every fact right as fast but
            blurs the geometry; the optimizer is the choice that matters most for what the figures show.
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
