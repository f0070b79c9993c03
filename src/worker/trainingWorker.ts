/// <reference lib="webworker" />
/**
 * The training worker: owns the model, trains it over src/core, and streams metrics and §4
 * measurements to the page. One async pump processes commands and training chunks in turn, so a
 * command never runs in the middle of a step.
 */
import * as tf from '@tensorflow/tfjs';
import { makeFacts, informationBits, type Facts } from '../core/model/facts';
import { disposeModel, initialWeights, modelFromArrays, parameterCount, readWeights, type Model, type ModelConfig, type WeightArrays } from '../core/model/model';
import { decodeStats, stepAndRead, Trainer } from '../core/training/train';
import { buildConstruction } from '../core/model/construct';
import { measureAll, measureGating, measureKnockout } from '../core/measure/measure';
import { evaluateAccuracy } from '../core/measure/evaluate';
import { parseWeightText, weightFileChunks, type WeightFile } from '../core/model/weights';
import { chooseBackend, deviceLost, fallbackFrom } from './backendChoice';
import { trainingOptionsOf, type BackendChoice, type BackendInfo, type PageToWorker, type RunSettings, type RunStatus, type WorkerToPage } from './protocol';
import { adoptWeightFile, checkWeightFileSize, weightFileOf } from './weightImport';
import { describeOptimizer } from '../core/training/optimizerSettings';
import { yieldToEvents } from './yieldToEvents';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: WorkerToPage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

/** Keep training this many steps after every fact is right, so the geometry settles; then pause. */
const STEPS_AFTER_100 = 300;
/**
 * …and, after 100%, this many steps past the last rise (by ≥ 0.01) of the mean held-out probe: with SGD
 * the geometry keeps sharpening for thousands of steps after every fact is right (R = 4: the weakest
 * probe 0.6 at step 250, 0.8 at 1,000, 0.9 at 3,000), slowly and with steps of 1/51 (the held-out
 * subjects at N = 256), and the page should not pause in the middle of it.
 */
const STEPS_AFTER_PROBE_RISE = 1500;
const MAX_STEPS = 50_000;
/** Wall time per training chunk: short enough that commands feel instant. */
const CHUNK_MS = 80;
const METRICS_EVERY_MS = 60;
const MEASURE_EVERY_MS = 350;
const SNAPSHOT_EVERY_MS = 1000;
const PROJECTION_SAMPLE = 32;

type Command = PageToWorker | { type: 'deviceLost'; reason: string };

interface Run {
  settings: RunSettings;
  config: ModelConfig;
  facts: Facts;
  model: Model;
  trainer: Trainer;
  stepsTo100: number | null;
  /** Where playing pauses by itself (a while after 100%, or a step cap); null: never. */
  autoPauseAt: number | null;
  /** The mean held-out probe accuracy at its best so far after 100%, and the step. */
  probeBest: { value: number; step: number } | null;
  /** Weights read back recently, to resume elsewhere if the GPU device is lost. */
  snapshot: { step: number; weights: WeightArrays } | null;
}

let backend: BackendInfo | null = null;
let backendRequest: { choice: BackendChoice; allowSoftware: boolean } = { choice: 'auto', allowSoftware: false };
let run: Run | null = null;
let status: RunStatus = 'idle';
let playing = false;
let pendingSteps = 0;
let measuring = true;
let projectionRelation = 0;
let msPerStep = 20;
let rate = 0;
let lastMetricsPost = 0;
let lastMeasure = 0;
let lastSnapshot = 0;
let measurementsStale = true;
const buffer = { steps: [] as number[], loss: [] as number[], accuracy: [] as number[] };

const queue: Command[] = [];
let pumping = false;

scope.onmessage = (event: MessageEvent<PageToWorker>) => {
  queue.push(event.data);
  void pump();
};

async function pump(): Promise<void> {
  if (pumping) return;
  pumping = true;
  try {
    for (;;) {
      const command = queue.shift();
      if (command) {
        await handle(command);
        continue;
      }
      if (run && (playing || pendingSteps > 0) && status !== 'diverged' && status !== 'error') {
        await trainChunk();
        await yieldToEvents();
        continue;
      }
      break;
    }
  } catch (error) {
    setStatus('error', `Something went wrong: ${(error as Error).message}`);
  } finally {
    pumping = false;
  }
}

function setStatus(next: RunStatus, message?: string): void {
  status = next;
  if (next !== 'running') playing = false;
  post({ type: 'status', status: next, message, step: run?.trainer.stepsDone ?? 0 });
}

async function startBackend(choice: BackendChoice, allowSoftware: boolean): Promise<void> {
  backend = await chooseBackend(choice, allowSoftware);
  post({ type: 'backend', info: backend });
  watchDevice();
}

function watchDevice(): void {
  const lost = deviceLost();
  const watched = backend;
  lost?.then((reason) => {
    if (backend !== watched) return; // we already moved on
    queue.push({ type: 'deviceLost', reason });
    void pump();
  });
}

async function handle(command: Command): Promise<void> {
  switch (command.type) {
    case 'init':
      backendRequest = { choice: command.backend, allowSoftware: command.allowSoftwareWebGpu };
      await startBackend(command.backend, command.allowSoftwareWebGpu);
      return;
    case 'reset':
      await reset(command.settings);
      return;
    case 'play':
      if (!run || status === 'diverged') return;
      // Pressing play after an automatic pause keeps training until the reader pauses.
      if (run.autoPauseAt !== null && run.trainer.stepsDone >= run.autoPauseAt) run.autoPauseAt = run.trainer.stepsDone + MAX_STEPS;
      playing = true;
      setStatus('running');
      return;
    case 'pause':
      if (playing) {
        flushMetrics();
        setStatus('paused');
        await measure(true);
      }
      return;
    case 'step':
      if (!run || status === 'diverged') return;
      playing = false;
      pendingSteps += command.count;
      return;
    case 'setBackend':
      backendRequest = { ...backendRequest, choice: command.backend };
      await moveTo(() => chooseBackend(command.backend, backendRequest.allowSoftware), null);
      return;
    case 'setProjectionRelation':
      projectionRelation = command.relation;
      measurementsStale = true;
      if (!playing) await measure(true);
      return;
    case 'knockout':
      await knockout();
      return;
    case 'setMeasuring':
      measuring = command.enabled;
      if (measuring && measurementsStale && !playing) await measure(true);
      return;
    case 'simulateDeviceLoss':
      await recoverFromLoss('simulated device loss');
      return;
    case 'deviceLost':
      await recoverFromLoss(command.reason);
      return;
    case 'exportWeights':
      await exportWeights(command.requestId);
      return;
    case 'exportWeightFile':
      await exportWeightFile(command.requestId);
      return;
    case 'loadWeights':
      await loadWeights(command);
      return;
  }
}

function disposeRun(): void {
  if (!run) return;
  // On a lost device disposal itself may throw; the memory is gone with the device anyway.
  try {
    run.trainer.dispose();
    disposeModel(run.model);
  } catch {
    /* nothing left to free */
  }
  run = null;
}

/** Drops the current run and its buffered metrics before another starts with `settings`. */
function clearRun(settings: RunSettings): void {
  disposeRun();
  playing = false;
  pendingSteps = 0;
  buffer.steps.length = buffer.loss.length = buffer.accuracy.length = 0;
  projectionRelation = Math.min(projectionRelation, settings.r - 1);
}

async function reset(settings: RunSettings): Promise<void> {
  clearRun(settings);
  const facts = makeFacts(settings.n, settings.r, settings.seed);
  let config: ModelConfig = { n: settings.n, r: settings.r, d: settings.d, m: settings.m, heads: 1, seqLen: 2 };
  let initial: WeightArrays;
  if (settings.construction) {
    const built = buildConstruction(facts);
    config = built.config;
    initial = built.weights;
    settings = { ...settings, d: config.d, m: config.m };
  } else {
    initial = initialWeights(config, settings.seed, { frozenSubjects: settings.freezeSubjects });
  }
  run = makeRun(settings, config, facts, { step: 0, weights: initial }, null, MAX_STEPS);
  lastSnapshot = performance.now();
  post({ type: 'ready', settings, parameters: parameterCount(config), informationBits: informationBits(settings.n, settings.r) });
  setStatus('idle');
  measurementsStale = true;
  await measure(true);
}

/** A run on the current backend from plain weights: the model, a fresh optimiser, the step count. */
function makeRun(
  settings: RunSettings,
  config: ModelConfig,
  facts: Facts,
  snapshot: { step: number; weights: WeightArrays },
  stepsTo100: number | null,
  autoPauseAt: number | null,
): Run {
  const model = modelFromArrays(config, snapshot.weights);
  const trainer = new Trainer(model, facts, trainingOptionsOf(settings));
  trainer.stepsDone = snapshot.step;
  return { settings, config, facts, model, trainer, stepsTo100, autoPauseAt, probeBest: null, snapshot };
}

async function trainChunk(): Promise<void> {
  const current = run!;
  const started = performance.now();
  const budget = pendingSteps > 0 && !playing ? Math.min(pendingSteps, 50) : Math.max(1, Math.min(50, Math.round(CHUNK_MS / msPerStep)));
  let read: { steps: number[]; values: Float32Array };
  try {
    read = await stepAndRead(current.trainer, budget);
  } catch (error) {
    await recoverFromLoss((error as Error).message);
    return;
  }
  const { steps, values } = read;
  if (pendingSteps > 0 && !playing) pendingSteps = Math.max(0, pendingSteps - budget);
  const elapsed = performance.now() - started;
  msPerStep = 0.7 * msPerStep + 0.3 * (elapsed / budget);
  rate = 1000 / msPerStep;

  const r = current.facts.r;
  const width = 1 + 2 * r;
  let diverged: { step: number; loss: number } | null = null;
  let reached100 = false;
  for (let i = 0; i < steps.length; i++) {
    const s = decodeStats(steps[i], values.subarray(i * width, (i + 1) * width), r);
    buffer.steps.push(s.step);
    buffer.loss.push(s.loss);
    buffer.accuracy.push(...s.accuracyByRelation);
    if (!Number.isFinite(s.loss)) {
      diverged = { step: s.step, loss: s.loss };
      break;
    }
    if (current.stepsTo100 === null && s.accuracyByRelation.every((a) => a === 1)) {
      current.stepsTo100 = s.step;
      current.autoPauseAt = Math.min(current.autoPauseAt ?? Infinity, s.step + STEPS_AFTER_100);
      reached100 = true;
    }
  }
  measurementsStale = true;
  const now = performance.now();
  if (diverged) {
    flushMetrics();
    setStatus('diverged', `The loss became ${diverged.loss} at step ${diverged.step}: training diverged and has stopped. ${divergenceHint(current.settings)}`);
    return;
  }
  if (now - lastSnapshot > SNAPSHOT_EVERY_MS) await takeSnapshot();
  const stepping = !playing && pendingSteps === 0;
  if (now - lastMetricsPost > METRICS_EVERY_MS || stepping || reached100) flushMetrics();
  if (now - lastMeasure > MEASURE_EVERY_MS || stepping || reached100) await measure(false);

  const done = current.trainer.stepsDone;
  if (playing && current.autoPauseAt !== null && done >= current.autoPauseAt) {
    flushMetrics();
    await measure(true);
    setStatus(
      'done',
      current.stepsTo100 === null
        ? `Paused after ${done} steps without reaching 100% — try a larger d or m, or press play to go on.`
        : `Every fact was right at step ${current.stepsTo100}${current.probeBest && current.probeBest.step > current.stepsTo100 ? `, and the mean held-out probe rose until step ${current.probeBest.step} (${current.probeBest.value.toFixed(2)})` : ''}; paused at step ${done} to let you look. Press play to keep training.`,
    );
  } else if (stepping && status !== 'paused') {
    setStatus('paused');
  }
}

/** What to try after a divergence: the embedding multiplier first where it is large (docs/science.md §9). */
function divergenceHint(settings: RunSettings): string {
  if (settings.optimizer !== 'adam' && settings.embedLrMult > 1) {
    return `Try a smaller learning rate or embedding multiplier (×${settings.embedLrMult} now: each embedding row's share of the gradient grows as N shrinks, so small tables need less), then reset.`;
  }
  return 'Try a smaller learning rate, then reset.';
}

function flushMetrics(): void {
  if (!run || buffer.steps.length === 0) return;
  const chunk = {
    steps: Int32Array.from(buffer.steps),
    loss: Float32Array.from(buffer.loss),
    accuracy: Float32Array.from(buffer.accuracy),
  };
  buffer.steps.length = buffer.loss.length = buffer.accuracy.length = 0;
  lastMetricsPost = performance.now();
  post({ type: 'metrics', chunk, step: run.trainer.stepsDone, stepsPerSecond: rate, tensors: tf.memory().numTensors, stepsTo100: run.stepsTo100 }, [chunk.steps.buffer, chunk.loss.buffer, chunk.accuracy.buffer]);
}

/** After 100%, pushes the auto-pause on while the mean held-out probe still rises (by ≥ 0.01). */
function extendWhileProbesRise(current: Run, step: number, probeMean: number): void {
  if (current.stepsTo100 === null || current.autoPauseAt === null || !Number.isFinite(probeMean)) return;
  if (current.probeBest && probeMean < current.probeBest.value + 0.01) return;
  current.probeBest = { value: probeMean, step };
  current.autoPauseAt = Math.max(current.autoPauseAt, Math.min(step + STEPS_AFTER_PROBE_RISE, MAX_STEPS));
}

async function measure(force: boolean): Promise<void> {
  if (!run || !measuring || (!force && !measurementsStale)) return;
  const current = run;
  const result = await measureAll(current.model, current.facts, {
    relation: projectionRelation,
    sampleSize: PROJECTION_SAMPLE,
    seed: current.settings.seed,
  });
  if (run !== current) return; // reset meanwhile
  lastMeasure = performance.now();
  measurementsStale = false;
  const measurements = { step: current.trainer.stepsDone, ...result };
  const probes = result.probe.heldOutAccuracy;
  extendWhileProbesRise(current, measurements.step, probes.reduce((a, b) => a + b, 0) / probes.length);
  post({ type: 'measurements', measurements }, [
    measurements.projection.scores.buffer,
    measurements.projection.subjects.buffer,
    measurements.projection.targets.buffer,
    measurements.gating.active.buffer,
    measurements.gating.preferred.buffer,
    measurements.gating.selectivity.buffer,
    measurements.gating.order.buffer,
  ] as Transferable[]);
}

async function knockout(): Promise<void> {
  if (!run) return;
  const current = run;
  const gating = await measureGating(current.model, current.facts);
  const report = await measureKnockout(current.model, current.facts, gating);
  post({ type: 'knockout', report, step: current.trainer.stepsDone });
}

/** The run a weights request reads from, or null after telling the page there is none yet. */
function runForRequest(requestId: number): typeof run {
  if (!run) post({ type: 'weightsUnavailable', requestId, message: 'There is no model yet: the training worker is still starting.' });
  return run;
}

/** A copy of the current weights for the page (zero-shot transfer, weight files); arrays transferred. */
async function exportWeights(requestId: number): Promise<void> {
  const current = runForRequest(requestId);
  if (!current) return;
  let read: WeightArrays;
  try {
    read = await readWeights(current.model);
  } catch (error) {
    post({ type: 'weightsUnavailable', requestId, message: `The weights could not be read: ${(error as Error).message}` });
    return;
  }
  // Copies: on the cpu backend data() hands out the tensor's own store, which must not be detached.
  const weights = Object.fromEntries(Object.entries(read).map(([name, a]) => [name, a.slice()])) as WeightArrays;
  post(
    { type: 'weights', requestId, config: current.config, factSeed: current.facts.seed, step: current.trainer.stepsDone, settings: current.settings, weights },
    Object.values(weights).map((a) => a.buffer) as Transferable[],
  );
}

/** The current weights as a weight file (core's JSON format), written here so the page never blocks on it. */
async function exportWeightFile(requestId: number): Promise<void> {
  const current = runForRequest(requestId);
  if (!current) return;
  let blob: Blob;
  try {
    const weights = await readWeights(current.model);
    const file = weightFileOf(current.config, current.facts.seed, current.settings, current.trainer.stepsDone, backend?.name ?? null, weights);
    blob = new Blob([...weightFileChunks(file)], { type: 'application/json' });
  } catch (error) {
    post({ type: 'weightsUnavailable', requestId, message: `The weights could not be written: ${(error as Error).message}` });
    return;
  }
  post({ type: 'weightFile', requestId, blob, step: current.trainer.stepsDone, settings: current.settings });
}

/**
 * Makes a weight file the run: parsed and checked here (off the page's thread); the current run is
 * replaced only once the file has passed every check, so a bad file leaves it as it was. The loaded
 * model is evaluated at once, so the page shows its accuracy before any training; the optimizer starts afresh.
 */
async function loadWeights(command: Extract<PageToWorker, { type: 'loadWeights' }>): Promise<void> {
  const { requestId, file, fallback, limits } = command;
  const reject = (message: string) => post({ type: 'weightsRejected', requestId, message });
  const tooBig = checkWeightFileSize(file.size, limits);
  if (tooBig) return reject(tooBig);
  let parsed: WeightFile;
  try {
    parsed = parseWeightText(await file.text());
  } catch (error) {
    return reject((error as Error).message);
  }
  const adopted = adoptWeightFile(parsed, fallback, limits);
  if (!adopted.ok) return reject(adopted.message);

  const { settings, step } = adopted;
  clearRun(settings);
  const facts = makeFacts(settings.n, settings.r, settings.seed);
  run = makeRun(settings, parsed.config, facts, { step, weights: parsed.weights }, null, step + MAX_STEPS);
  const current = run;
  lastSnapshot = performance.now();
  post({ type: 'ready', settings, parameters: parameterCount(parsed.config), informationBits: informationBits(settings.n, settings.r) });
  const report = await evaluateAccuracy(current.model, facts);
  if (run !== current) return;
  if (report.accuracyByRelation.every((a) => a === 1)) {
    current.stepsTo100 = step;
    current.autoPauseAt = step + STEPS_AFTER_100;
  }
  const chunk = { steps: Int32Array.of(step), loss: Float32Array.of(report.loss), accuracy: Float32Array.from(report.accuracyByRelation) };
  post({ type: 'metrics', chunk, step, stepsPerSecond: 0, tensors: tf.memory().numTensors, stepsTo100: current.stepsTo100 }, [chunk.steps.buffer, chunk.loss.buffer, chunk.accuracy.buffer]);
  setStatus('idle', `Loaded a weight file: N = ${settings.n}, R = ${settings.r}, d = ${settings.d}, m = ${settings.m}, trained ${step} steps. Press play to train it on with ${describeOptimizer(settings)} (the optimizer's state starts afresh).`);
  measurementsStale = true;
  await measure(true);
  post({ type: 'weightsLoaded', requestId, settings, step });
}

async function takeSnapshot(): Promise<void> {
  if (!run) return;
  run.snapshot = { step: run.trainer.stepsDone, weights: await readWeights(run.model) };
  lastSnapshot = performance.now();
}

/**
 * Moves the run to another backend from plain arrays of its weights. The optimizer's state starts
 * afresh (it is not part of the snapshot), which the message says.
 */
async function moveTo(start: () => Promise<BackendInfo>, saved: { step: number; weights: WeightArrays } | null): Promise<void> {
  // A chosen switch reads the current weights; a lost device resumes from the last snapshot.
  let weights = saved;
  if (!weights && run) weights = { step: run.trainer.stepsDone, weights: await readWeights(run.model) };
  const previous = run;
  disposeRun();
  backend = await start();
  post({ type: 'backend', info: backend });
  watchDevice();
  if (!previous || !weights) return;
  const keep100 = previous.stepsTo100 !== null && previous.stepsTo100 <= weights.step ? previous.stepsTo100 : null;
  run = makeRun(previous.settings, previous.config, previous.facts, weights, keep100, previous.autoPauseAt);
  buffer.steps.length = buffer.loss.length = buffer.accuracy.length = 0;
  measurementsStale = true;
  if (!playing) await measure(true);
}

async function recoverFromLoss(reason: string): Promise<void> {
  if (!backend) return;
  const failed = backend.name;
  const saved = run?.snapshot ?? null;
  const lostAt = run?.trainer.stepsDone ?? 0;
  await moveTo(() => fallbackFrom(failed, reason), saved);
  const resumed = run?.trainer.stepsDone ?? 0;
  post({
    type: 'notice',
    message: `The ${failed} backend stopped working at step ${lostAt} (${reason}). Training continues on ${backend!.name} from the weights of step ${resumed}; the optimizer's moments restart.`,
  });
}
