/**
 * The training worker's run logic, free of DOM and worker globals so Node tests drive it on tfjs's
 * wasm and cpu backends: owns the model, trains it over src/core, and posts metrics and §4
 * measurements to the page. One async pump processes commands and training chunks in turn, so a
 * command never runs in the middle of a step. The worker (trainingScope.ts, started by trainingWorker.ts through workerStart.ts) only wires messages.
 */
import * as tf from '@tensorflow/tfjs';
import { informationBits, makeFacts } from '../core/model/facts';
import { disposeModel, modelFromArrays, parameterCount, readWeights, type WeightArrays } from '../core/model/model';
import { scanTrainStats, stepAndRead } from '../core/training/train';
import { measureAll, measureGating, measureKnockout } from '../core/measure/measure';
import { evaluateAccuracy } from '../core/measure/evaluate';
import { describeOptimizer } from '../core/training/optimizerSettings';
import type { BackendName } from '../core/training/backends';
import type { BackendChoice, BackendInfo, Measurements, PageToWorker, RunFix, RunSettings, RunStatus, WorkerToPage } from './protocol';
import { saferLearningRate } from './lossWatch';
import {
  autoPauseMessage,
  disposeRunTensors,
  divergenceMessage,
  extendWhileProbesRise,
  makeRun,
  markReached100,
  MAX_STEPS,
  MetricBuffer,
  newRun,
  playOn,
  type Run,
  type SavedWeights,
} from './sessionRun';
import { noRunYet, readWeightFile, weightFileMessage, weightsMessage } from './sessionWeights';
import { MeasurementHistory } from './measurementHistory';
import { factTraceMessage } from './factTraceRequest';
import { TimeShare } from './timeShare';
import { yieldToEvents } from './yieldToEvents';

/** How the session starts tfjs backends: the worker passes backendChoice.ts's; Node tests their own. */
export interface BackendControl {
  /** Starts the backend the reader chose (or 'auto'); says which runs and why. */
  choose(choice: BackendChoice, allowSoftwareWebGpu: boolean): Promise<BackendInfo>;
  /** After a failure on `failed` (a lost GPU device), starts the next backend to try. */
  fallback(failed: BackendName, why: string): Promise<BackendInfo>;
  /** Resolves when the current backend's device is lost; null where that cannot happen. */
  deviceLost(): Promise<string> | null;
}

/** The session's clocks, in milliseconds of wall time. */
export interface SessionTiming {
  /** Wall time per training chunk: short enough that commands feel instant. */
  chunkMs: number;
  metricsEveryMs: number;
  measureEveryMs: number;
  /** How often the weights are read back, to resume from if the device is lost. */
  snapshotEveryMs: number;
  /** The most of the wall time measurements and snapshots may take while playing (timeShare.ts): the rest steps. */
  measureShare: number;
  snapshotShare: number;
}

export const DEFAULT_TIMING: SessionTiming = { chunkMs: 80, metricsEveryMs: 60, measureEveryMs: 350, snapshotEveryMs: 1000, measureShare: 0.05, snapshotShare: 0.02 };
const PROJECTION_SAMPLE = 32;
/** The most steps one chunk takes (one readback). */
const MAX_CHUNK = 50;

type Command = PageToWorker | { type: 'deviceLost'; reason: string };

/** What a test (or a debugger) can see of a session between commands. */
export interface SessionState {
  status: RunStatus;
  backend: BackendInfo | null;
  step: number;
  stepsTo100: number | null;
  settings: RunSettings | null;
}

export class TrainingSession {
  private readonly timing: SessionTiming;
  private backend: BackendInfo | null = null;
  private allowSoftwareWebGpu = false;
  private run: Run | null = null;
  private status: RunStatus = 'idle';
  private playing = false;
  private pendingSteps = 0;
  private measuring = true;
  private projectionRelation = 0;
  private msPerStep = 20;
  private rate = 0;
  /** When metrics, measurements and a snapshot were last taken (performance.now()). */
  private readonly lastTaken = { metrics: 0, measure: 0, snapshot: 0 };
  /** How long to wait between measurements and between snapshots, from what they cost. */
  private readonly share: { measure: TimeShare; snapshot: TimeShare };
  private measurementsStale = true;
  /** Autoplay: the run's initial weights, until measured for the history's step 0 (measureInitial). */
  private initialWeights: WeightArrays | null = null;
  private readonly buffer = new MetricBuffer();
  /** Past measurements for the page's time travel (bounded: measurementHistory.ts). */
  private readonly history = new MeasurementHistory();
  private readonly queue: Command[] = [];
  private pumping = false;
  private pumpDone: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(
    private readonly post: (message: WorkerToPage) => void,
    private readonly backends: BackendControl,
    timing: Partial<SessionTiming> = {},
  ) {
    this.timing = { ...DEFAULT_TIMING, ...timing };
    this.share = { measure: new TimeShare(this.timing.measureShare, this.timing.measureEveryMs), snapshot: new TimeShare(this.timing.snapshotShare, this.timing.snapshotEveryMs) };
  }

  /** Queues a message from the page; it runs between two training chunks. */
  handle(message: PageToWorker): void {
    this.enqueue(message);
  }

  /** Resolves once every queued command has run and training has stopped (paused, done, diverged). */
  async idle(): Promise<void> {
    while (this.pumping) await this.pumpDone;
  }

  get state(): SessionState {
    const run = this.run;
    return { status: this.status, backend: this.backend, step: run?.trainer.stepsDone ?? 0, stepsTo100: run?.stepsTo100 ?? null, settings: run?.settings ?? null };
  }

  /** Stops training, drops what is queued and frees every tensor of the run. */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.queue.length = 0;
    this.playing = false;
    this.pendingSteps = 0;
    await this.idle();
    this.disposeRun();
  }

  private enqueue(command: Command): void {
    if (this.disposed) return;
    this.queue.push(command);
    if (!this.pumping) this.pumpDone = this.pump();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      for (;;) {
        const command = this.queue.shift();
        if (command) {
          await this.execute(command);
          continue;
        }
        if (!this.disposed && this.run && (this.playing || this.pendingSteps > 0) && this.status !== 'diverged' && this.status !== 'error') {
          await this.trainChunk();
          await yieldToEvents();
          continue;
        }
        break;
      }
    } catch (error) {
      this.setStatus('error', `Something went wrong: ${(error as Error).message}`);
    } finally {
      this.pumping = false;
    }
  }

  private setStatus(next: RunStatus, message?: string, fix?: RunFix): void {
    this.status = next;
    if (next !== 'running') this.playing = false;
    this.post({ type: 'status', status: next, message, step: this.run?.trainer.stepsDone ?? 0, fix });
  }

  private async execute(command: Command): Promise<void> {
    switch (command.type) {
      case 'init':
        this.allowSoftwareWebGpu = command.allowSoftwareWebGpu;
        await this.startBackend(() => this.backends.choose(command.backend, command.allowSoftwareWebGpu));
        return;
      case 'reset':
        return this.reset(command.settings);
      case 'play':
        if (!this.run || this.status === 'diverged') return;
        playOn(this.run);
        this.playing = true;
        this.setStatus('running');
        return;
      case 'pause':
        if (this.playing) {
          this.flushMetrics();
          this.setStatus('paused');
          await this.measure(true);
        }
        return;
      case 'step':
        if (!this.run || this.status === 'diverged') return;
        this.playing = false;
        this.pendingSteps += command.count;
        return;
      case 'setBackend':
        return this.moveTo(() => this.backends.choose(command.backend, this.allowSoftwareWebGpu), null);
      case 'setProjectionRelation':
        this.projectionRelation = command.relation;
        this.measurementsStale = true;
        if (!this.playing) await this.measure(true);
        return;
      case 'knockout':
        return this.knockout();
      case 'setMeasuring':
        this.measuring = command.enabled;
        if (this.measuring && this.measurementsStale && !this.playing) await this.measure(true);
        return;
      case 'simulateDeviceLoss':
        return this.recoverFromLoss('simulated device loss');
      case 'deviceLost':
        return this.recoverFromLoss(command.reason);
      case 'exportWeights':
        this.post(this.run ? await weightsMessage(this.run, command.requestId) : noRunYet(command.requestId));
        return;
      case 'exportWeightFile':
        this.post(this.run ? await weightFileMessage(this.run, command.requestId, this.backend?.name ?? null) : noRunYet(command.requestId));
        return;
      case 'loadWeights':
        return this.loadWeights(command);
      case 'viewHistory':
        this.post({ type: 'historyMeasurements', requestId: command.requestId, step: command.step, measurements: this.history.at(command.step) });
        return;
      case 'traceFact':
        this.post(await factTraceMessage(this.run, command));
        return;
    }
  }

  /** Starts a backend, tells the page, and listens for the loss of its device. */
  private async startBackend(start: () => Promise<BackendInfo>): Promise<void> {
    const backend = await start();
    this.backend = backend;
    this.post({ type: 'backend', info: backend });
    this.backends.deviceLost()?.then((reason) => {
      if (this.backend === backend) this.enqueue({ type: 'deviceLost', reason }); // else we already moved on
    });
  }

  private disposeRun(): void {
    if (this.run) disposeRunTensors(this.run);
    this.run = null;
  }

  /** Makes `run` the current run (the previous one dropped) and tells the page. */
  private adopt(run: Run): void {
    this.disposeRun();
    this.initialWeights = null;
    this.playing = false;
    this.pendingSteps = 0;
    this.buffer.clear();
    this.history.clear();
    this.projectionRelation = Math.min(this.projectionRelation, run.settings.r - 1);
    this.run = run;
    this.lastTaken.snapshot = performance.now();
    this.post({ type: 'ready', settings: run.settings, parameters: parameterCount(run.config), informationBits: informationBits(run.settings.n, run.settings.r) });
  }

  private async reset(settings: RunSettings): Promise<void> {
    this.disposeRun(); // before the new run's tensors exist
    this.adopt(newRun(settings));
    this.setStatus('idle');
    this.measurementsStale = true;
    // Autoplay (play already queued): the first chunk's steps are shown first, so the first plotted
    // step is not held up by measuring the initial weights; they are kept and measured just after,
    // for time travel's step 0 (measureInitial).
    if (this.queue[0]?.type === 'play') {
      this.initialWeights = await readWeights(this.run!.model);
      return;
    }
    await this.measure(true);
  }

  private async trainChunk(): Promise<void> {
    const current = this.run!;
    const started = performance.now();
    const stepsAsked = this.pendingSteps > 0 && !this.playing;
    const budget = stepsAsked ? Math.min(this.pendingSteps, MAX_CHUNK) : Math.max(1, Math.min(MAX_CHUNK, Math.round(this.timing.chunkMs / this.msPerStep)));
    let readback: { steps: number[]; values: Float32Array };
    try {
      readback = await stepAndRead(current.trainer, budget);
    } catch (error) {
      await this.recoverFromLoss((error as Error).message);
      return;
    }
    if (stepsAsked) this.pendingSteps = Math.max(0, this.pendingSteps - budget);
    this.msPerStep = 0.7 * this.msPerStep + 0.3 * ((performance.now() - started) / budget);
    this.rate = 1000 / this.msPerStep;

    const { read, first100, diverged } = scanTrainStats(readback, current.facts.r, current.stepsTo100 === null);
    // The chart gets the steps up to a divergence; a step at or past one does not count as 100%.
    this.buffer.push(diverged ? read.slice(0, read.indexOf(diverged) + 1) : read);
    const reached100 = first100 !== null && (!diverged || first100.step < diverged.step);
    if (reached100) markReached100(current, first100.step);
    this.measurementsStale = true;
    if (diverged) {
      this.flushMetrics();
      this.setStatus('diverged', divergenceMessage(current.settings, diverged), { lr: saferLearningRate(current.settings) });
      return;
    }
    const alarm = current.watch.observe(read); // an exploding loss, or one stuck at chance: pause and say why
    if (alarm) {
      this.pendingSteps = 0;
      this.flushMetrics();
      await this.measure(true);
      this.setStatus('paused', alarm.message, { lr: alarm.saferLr });
      return;
    }
    const now = performance.now();
    if (now - this.lastTaken.snapshot > this.share.snapshot.waitMs) await this.takeSnapshot();
    const stepping = !this.playing && this.pendingSteps === 0;
    if (now - this.lastTaken.metrics > this.timing.metricsEveryMs || stepping || reached100) this.flushMetrics();
    if (this.initialWeights) await this.measureInitial(this.initialWeights);
    if (now - this.lastTaken.measure > this.share.measure.waitMs || stepping || reached100) await this.measure(false);

    const done = current.trainer.stepsDone;
    if (this.playing && current.autoPauseAt !== null && done >= current.autoPauseAt) {
      this.flushMetrics();
      await this.measure(true);
      // Measurements come only every so often (timeShare.ts): this one may find the probes still rising, which moves the pause on.
      if (current.autoPauseAt !== null && done >= current.autoPauseAt) this.setStatus('done', autoPauseMessage(current, done));
    } else if (stepping && this.status !== 'paused') {
      this.setStatus('paused');
    }
  }

  private flushMetrics(): void {
    if (!this.run || this.buffer.size === 0) return;
    const chunk = this.buffer.take();
    this.lastTaken.metrics = performance.now();
    this.postMetrics(this.run, chunk, this.rate);
  }

  private postMetrics(run: Run, chunk: { steps: Int32Array; loss: Float32Array; accuracy: Float32Array }, stepsPerSecond: number): void {
    this.post({ type: 'metrics', chunk, step: run.trainer.stepsDone, stepsPerSecond, tensors: tf.memory().numTensors, stepsTo100: run.stepsTo100 });
  }

  private async measure(force: boolean): Promise<void> {
    if (!this.run || !this.measuring || (!force && !this.measurementsStale)) return;
    const current = this.run;
    const started = performance.now();
    const result = await this.measureModel(current, current.model);
    this.share.measure.took(performance.now() - started);
    if (this.run !== current) return; // reset meanwhile
    this.lastTaken.measure = performance.now();
    this.measurementsStale = false;
    const measurements = { step: current.trainer.stepsDone, ...result };
    extendWhileProbesRise(current, measurements.step, result.probe.heldOutAccuracy);
    this.record(measurements); // copied before posting: the post transfers the arrays away
    this.post({ type: 'measurements', measurements });
  }

  /** Everything the page's figures show, of `model` (the run's, or a copy of its weights). */
  private measureModel(run: Run, model: Run['model']) {
    return measureAll(model, run.facts, { relation: this.projectionRelation, sampleSize: PROJECTION_SAMPLE, seed: run.settings.seed });
  }

  /** Keeps `measurements` for time travel, telling the page when the recorded steps change. */
  private record(measurements: Measurements): void {
    if (this.history.record(measurements)) this.post({ type: 'history', steps: this.history.steps(), bytes: this.history.byteSize });
  }

  /** The run's initial weights measured into the history as step 0, after the first steps were shown (see reset). */
  private async measureInitial(weights: WeightArrays): Promise<void> {
    this.initialWeights = null;
    const current = this.run;
    if (!current || !this.measuring) return;
    const model = modelFromArrays(current.model.config, weights);
    try {
      const result = await this.measureModel(current, model);
      if (this.run === current) this.record({ step: 0, ...result });
    } finally {
      disposeModel(model);
    }
  }

  private async knockout(): Promise<void> {
    if (!this.run) return;
    const current = this.run;
    const gating = await measureGating(current.model, current.facts);
    const report = await measureKnockout(current.model, current.facts, gating);
    this.post({ type: 'knockout', report, step: current.trainer.stepsDone });
  }

  /**
   * Makes a weight file the run: parsed and checked here (off the page's thread); the current run is
   * replaced only once the file has passed every check, so a bad file leaves it as it was. The loaded
   * model is evaluated at once, so the page shows its accuracy before any training; the optimizer starts afresh.
   */
  private async loadWeights(command: Extract<PageToWorker, { type: 'loadWeights' }>): Promise<void> {
    const { requestId } = command;
    const loaded = await readWeightFile(command);
    if (!loaded.ok) return this.post({ type: 'weightsRejected', requestId, message: loaded.message });
    const { settings, step, file } = loaded;
    this.disposeRun();
    const current = makeRun(settings, file.config, makeFacts(settings.n, settings.r, settings.seed), { step, weights: file.weights }, null, step + MAX_STEPS);
    this.adopt(current);
    const report = await evaluateAccuracy(current.model, current.facts);
    if (this.run !== current) return;
    if (report.accuracyByRelation.every((a) => a === 1)) markReached100(current, step);
    this.postMetrics(current, { steps: Int32Array.of(step), loss: Float32Array.of(report.loss), accuracy: Float32Array.from(report.accuracyByRelation) }, 0);
    this.setStatus(
      'idle',
      `Loaded a weight file: N = ${settings.n}, R = ${settings.r}, d = ${settings.d}, m = ${settings.m}, trained ${step} steps. Press play to train it on with ${describeOptimizer(settings)} (the optimizer's state starts afresh).`,
    );
    this.measurementsStale = true;
    await this.measure(true);
    this.post({ type: 'weightsLoaded', requestId, settings, step });
  }

  private async takeSnapshot(): Promise<void> {
    if (!this.run) return;
    const started = performance.now();
    this.run.snapshot = { step: this.run.trainer.stepsDone, weights: await readWeights(this.run.model) };
    this.lastTaken.snapshot = performance.now();
    this.share.snapshot.took(this.lastTaken.snapshot - started);
  }

  /**
   * Moves the run to another backend from plain arrays of its weights. The optimizer's state starts
   * afresh (it is not part of the snapshot), which the message says.
   */
  private async moveTo(start: () => Promise<BackendInfo>, saved: SavedWeights | null): Promise<void> {
    // A chosen switch reads the current weights; a lost device resumes from the last snapshot.
    const previous = this.run;
    const weights = saved ?? (previous ? { step: previous.trainer.stepsDone, weights: await readWeights(previous.model) } : null);
    this.disposeRun();
    await this.startBackend(start);
    if (!previous || !weights) return;
    const keep100 = previous.stepsTo100 !== null && previous.stepsTo100 <= weights.step ? previous.stepsTo100 : null;
    this.run = makeRun(previous.settings, previous.config, previous.facts, weights, keep100, previous.autoPauseAt);
    this.run.watch = previous.watch;
    this.buffer.clear();
    this.measurementsStale = true;
    if (!this.playing) await this.measure(true);
  }

  private async recoverFromLoss(reason: string): Promise<void> {
    if (!this.backend) return;
    const failed = this.backend.name;
    const lostAt = this.run?.trainer.stepsDone ?? 0;
    await this.moveTo(() => this.backends.fallback(failed, reason), this.run?.snapshot ?? null);
    const resumed = this.run?.trainer.stepsDone ?? 0;
    this.post({
      type: 'notice',
      message: `The ${failed} backend stopped working at step ${lostAt} (${reason}). Training continues on ${this.backend.name} from the weights of step ${resumed}; the optimizer's moments restart.`,
    });
  }
}
