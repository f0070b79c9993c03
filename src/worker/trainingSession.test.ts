/**
 * The training worker's run logic (TrainingSession) driven in Node on tfjs's wasm and cpu backends:
 * what the page sees is the stream of messages the session posts.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../cli/nodeIo';
import { OPTIMIZER_DEFAULTS } from '../core/training/optimizerSettings';
import type { BackendInfo, PageToWorker, RunSettings, WorkerToPage } from './protocol';
import { TrainingSession, type BackendControl, type SessionTiming } from './trainingSession';

type NodeBackend = 'wasm' | 'cpu';
type Message<T extends WorkerToPage['type']> = Extract<WorkerToPage, { type: T }>;

const SMALL: RunSettings = { n: 32, r: 2, d: 16, m: 32, ...OPTIMIZER_DEFAULTS.adam, seed: 1, freezeSubjects: false, uniformAttention: false };
const LIMITS = { maxLogitCells: 2 ** 24, maxBytes: 10_000_000 };
const other = (b: NodeBackend): NodeBackend => (b === 'wasm' ? 'cpu' : 'wasm');

/** A session on Node's backends ('auto' is wasm; a fallback goes to the other one), recording every message. */
class Harness {
  readonly messages: WorkerToPage[] = [];
  readonly session: TrainingSession;
  private loseDevice: ((reason: string) => void) | null = null;
  private waiters: { test: (m: WorkerToPage) => boolean; resolve: (m: WorkerToPage) => void }[] = [];

  constructor(timing: Partial<SessionTiming> = {}) {
    const start = async (name: NodeBackend, reason: string): Promise<BackendInfo> => {
      await startBackend(name);
      return { name, reason };
    };
    const control: BackendControl = {
      choose: (choice) => start(choice === 'cpu' ? 'cpu' : 'wasm', 'chosen by the test'),
      fallback: (failed, why) => start(failed === 'wasm' ? 'cpu' : 'wasm', `${failed} failed (${why})`),
      deviceLost: () => new Promise<string>((resolve) => (this.loseDevice = resolve)),
    };
    this.session = new TrainingSession((message) => this.receive(message), control, timing);
  }

  private receive(message: WorkerToPage): void {
    this.messages.push(message);
    this.waiters = this.waiters.filter((w) => (w.test(message) ? (w.resolve(message), false) : true));
  }

  send(...messages: PageToWorker[]): void {
    for (const m of messages) this.session.handle(m);
  }

  /** Sends, then waits until the session has nothing left to do. */
  async run(...messages: PageToWorker[]): Promise<void> {
    this.send(...messages);
    await this.session.idle();
  }

  /** The next message (from now on) that passes `test`. */
  next<T extends WorkerToPage['type']>(type: T, test: (m: Message<T>) => boolean = () => true): Promise<Message<T>> {
    return new Promise((resolve) => this.waiters.push({ test: (m) => m.type === type && test(m as Message<T>), resolve: resolve as (m: WorkerToPage) => void }));
  }

  all<T extends WorkerToPage['type']>(type: T, from = 0): Message<T>[] {
    return this.messages.slice(from).filter((m): m is Message<T> => m.type === type);
  }

  last<T extends WorkerToPage['type']>(type: T): Message<T> {
    const found = this.all(type);
    expect(found.length, `a '${type}' message`).toBeGreaterThan(0);
    return found[found.length - 1];
  }

  /** Every metric row posted since message `from`: step, loss and accuracy by relation. */
  rows(from = 0): { step: number; loss: number; accuracy: number[] }[] {
    return this.all('metrics', from).flatMap(({ chunk }) => {
      const r = chunk.accuracy.length / chunk.steps.length;
      return Array.from(chunk.steps, (step, i) => ({ step, loss: chunk.loss[i], accuracy: Array.from(chunk.accuracy.subarray(i * r, (i + 1) * r)) }));
    });
  }

  /** Behaves as if the current backend's device were lost (the watched promise resolves). */
  lose(reason: string): void {
    this.loseDevice?.(reason);
  }
}

/** Steps strictly increase across metric chunks: the run never went back. */
function expectIncreasing(steps: number[]): void {
  for (let i = 1; i < steps.length; i++) expect(steps[i], `step ${i} of ${steps.length}`).toBeGreaterThan(steps[i - 1]);
}

describe.each(['wasm', 'cpu'] as const)('TrainingSession on %s (N=32, R=2, d=16, m=32)', (backend) => {
  it('trains to 100%, pauses itself, reports the step of 100%, measures, and leaves no tensor behind', async () => {
    await startBackend(backend);
    const before = tf.memory().numTensors;
    const h = new Harness();
    await h.run({ type: 'init', backend, allowSoftwareWebGpu: false }, { type: 'reset', settings: SMALL });
    expect(h.last('backend').info.name).toBe(backend);
    expect(h.last('ready')).toMatchObject({ settings: SMALL, informationBits: expect.any(Number), parameters: expect.any(Number) });
    expect(h.last('measurements').measurements.step).toBe(0); // the initial weights are measured at once
    const started = h.messages.length;
    await h.run({ type: 'play' });

    const done = h.last('status');
    expect(done.status).toBe('done');
    const stepsTo100 = h.last('metrics').stepsTo100;
    expect(stepsTo100).not.toBeNull();
    expect(done.message).toContain(`Every fact was right at step ${stepsTo100}`);
    expect(done.step).toBe(h.session.state.step);
    // The stop rule: 300 steps past 100%, and 1,500 past the last rise of the mean held-out probe (one chunk's slack).
    expect(done.step).toBeGreaterThanOrEqual(stepsTo100! + 300);
    const rose = done.message!.match(/the mean held-out probe rose until step (\d+)/);
    expect(rose).not.toBeNull();
    expect(done.step - Number(rose![1]) - 1500).toSatisfy((x: number) => x >= 0 && x < 50);
    // The metric rows: every step from 0 to the pause, each once, and the first with every fact right is stepsTo100.
    const rows = h.rows(started);
    expect(rows.map((r) => r.step)).toEqual(Array.from({ length: done.step }, (_, i) => i));
    expect(rows.findIndex((r) => r.accuracy.every((a) => a === 1))).toBe(stepsTo100);
    expect(rows[rows.length - 1].loss).toBeLessThan(rows[0].loss / 4);
    // Measurements came while training and at the pause: projection, gating and probes of the run's model.
    const measured = h.all('measurements', started).map((m) => m.measurements);
    expect(measured.length).toBeGreaterThan(1);
    const final = measured[measured.length - 1];
    expect(final.step).toBe(done.step);
    expect(final.projection.scores.length).toBeGreaterThan(0);
    expect(final.gating.active.length).toBeGreaterThan(0);
    expect(final.probe.heldOutAccuracy).toHaveLength(2);
    // tfjs's live tensor count stays flat chunk after chunk.
    const counts = h.all('metrics', started).map((m) => m.tensors);
    expect(counts.length).toBeGreaterThan(5);
    expect(new Set(counts).size).toBe(1);

    // Knock-out, and the weights out and back in: a weight file of the trained model becomes the run again.
    await h.run({ type: 'knockout' }, { type: 'exportWeights', requestId: 1 }, { type: 'exportWeightFile', requestId: 2 });
    expect(h.last('knockout').step).toBe(done.step);
    expect(h.last('weights')).toMatchObject({ requestId: 1, step: done.step, factSeed: 1, settings: SMALL });
    const file = h.last('weightFile');
    expect(file).toMatchObject({ requestId: 2, step: done.step });
    await h.run({ type: 'reset', settings: { ...SMALL, seed: 2 } });
    expect(h.session.state.step).toBe(0);
    await h.run({ type: 'loadWeights', requestId: 3, file: file.blob, fallback: SMALL, limits: LIMITS });
    expect(h.last('weightsLoaded')).toMatchObject({ requestId: 3, step: done.step, settings: SMALL });
    const loaded = h.last('metrics');
    expect(Array.from(loaded.chunk.accuracy)).toEqual([1, 1]);
    expect(loaded.stepsTo100).toBe(done.step);
    await h.run({ type: 'loadWeights', requestId: 4, file: new Blob(['{"not": "weights"}']), fallback: SMALL, limits: LIMITS });
    expect(h.last('weightsRejected').requestId).toBe(4);
    expect(h.session.state.step).toBe(done.step); // a bad file leaves the run as it was

    await h.session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('autoplay (play queued behind reset): the first steps are posted before the first measurement, which follows at once; step 0 is still recorded', async () => {
    await startBackend(backend);
    const before = tf.memory().numTensors;
    const h = new Harness();
    h.send({ type: 'init', backend, allowSoftwareWebGpu: false }, { type: 'reset', settings: SMALL }, { type: 'play' });
    const measured = await h.next('measurements');
    h.send({ type: 'pause' });
    await h.session.idle();
    const firstMetrics = h.messages.findIndex((m) => m.type === 'metrics');
    const firstMeasurement = h.messages.findIndex((m) => m.type === 'measurements');
    expect(firstMetrics, 'a metrics message').toBeGreaterThanOrEqual(0);
    expect(firstMetrics).toBeLessThan(firstMeasurement);
    // Measured right after the first chunk: the steps it trained, no more.
    const firstChunk = (h.messages[firstMetrics] as Message<'metrics'>).step;
    expect(measured.measurements.step).toBeGreaterThan(0);
    expect(measured.measurements.step).toBeLessThanOrEqual(firstChunk);
    // The initial weights were kept and measured too: time travel starts at step 0.
    expect(h.last('history').steps[0]).toBe(0);
    expect(h.last('history').steps).toContain(measured.measurements.step);
    await h.session.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it("stops a diverging run with status 'diverged' and a message, and play does not restart it", async () => {
    const h = new Harness();
    await h.run({ type: 'init', backend, allowSoftwareWebGpu: false }, { type: 'reset', settings: { ...SMALL, ...OPTIMIZER_DEFAULTS.sgd, lr: 1, embedLrMult: 100 } }, { type: 'play' });
    const status = h.last('status');
    expect(status.status).toBe('diverged');
    expect(status.message).toMatch(/^The loss became (NaN|-?Infinity) at step \d+: training diverged and has stopped\. Try a smaller learning rate or embedding multiplier/);
    const rows = h.rows();
    expect(Number.isFinite(rows[rows.length - 1].loss)).toBe(false); // the chart ends on the step that diverged
    expect(rows.slice(0, -1).every((r) => Number.isFinite(r.loss))).toBe(true);
    const count = h.messages.length;
    await h.run({ type: 'play' }, { type: 'step', count: 5 });
    expect(h.messages.length).toBe(count);
    await h.session.dispose();
  });

  it(`moves to ${other(backend)} mid-run and back while paused, keeping the step and the weights`, async () => {
    const h = new Harness();
    await h.run({ type: 'init', backend, allowSoftwareWebGpu: false }, { type: 'reset', settings: SMALL });
    const moved = h.next('backend');
    h.send({ type: 'play' });
    await h.next('metrics', (m) => m.step >= 30);
    h.send({ type: 'setBackend', backend: other(backend) }); // between two chunks of a playing run
    expect((await moved).info.name).toBe(other(backend));
    const afterMove = h.messages.length;
    const firstAfter = (await h.next('metrics')).step;
    await h.next('metrics', (m) => m.step >= firstAfter + 30);
    await h.run({ type: 'pause' });
    expect(h.last('status').status).toBe('paused');
    const rows = h.rows();
    expectIncreasing(rows.map((r) => r.step));
    expect(h.rows(afterMove)[0].loss).toBeLessThan(rows[0].loss / 2); // trained on, not started afresh

    // Back again while paused: the same step, the same weights, and the next step trains on from there.
    const step = h.session.state.step;
    await h.run({ type: 'exportWeights', requestId: 1 }, { type: 'setBackend', backend }, { type: 'exportWeights', requestId: 2 });
    expect(h.last('backend').info.name).toBe(backend);
    expect(h.last('measurements').measurements.step).toBe(step);
    const [there, here] = h.all('weights').slice(-2);
    expect(here.step).toBe(step);
    expect(there.step).toBe(step);
    expect(here.weights).toEqual(there.weights);
    const from = h.messages.length;
    await h.run({ type: 'step', count: 1 });
    expect(h.rows(from)).toEqual([{ step, loss: expect.any(Number), accuracy: expect.any(Array) }]);
    expect(h.session.state).toMatchObject({ step: step + 1, status: 'paused' });
    await h.session.dispose();
  });

  it('falls back when the device is lost and trains on from the last snapshot', async () => {
    // Snapshots on a fixed 50 ms clock here (share 1: no time-share stretching, timeShare.test.ts covers that),
    // taken between chunks of 80 ms: the run resumes from one a few chunks old at most, whatever the step rate.
    const h = new Harness({ snapshotEveryMs: 50, snapshotShare: 1 });
    await h.run({ type: 'init', backend, allowSoftwareWebGpu: false }, { type: 'reset', settings: SMALL });
    const playedAt = performance.now();
    h.send({ type: 'play' });
    await h.next('metrics', (m) => m.step >= 100);
    const notice = h.next('notice');
    h.send({ type: 'simulateDeviceLoss' });
    const resumedAt = (text: string, failed: NodeBackend, reason: string) => {
      expect(text).toContain(`The ${failed} backend stopped working at step`);
      expect(text).toContain(`(${reason}). Training continues on ${other(failed)} from the weights of step`);
      const [lostAt, resumed] = text.match(/\d+/g)!.map(Number);
      expect(resumed).toBeGreaterThan(0);
      expect(resumed).toBeLessThanOrEqual(lostAt);
      const stepsPerMs = lostAt / (performance.now() - playedAt);
      expect(lostAt - resumed).toBeLessThan(Math.max(200, stepsPerMs * 500)); // 50 ms + a few 80 ms chunks of steps
      return resumed;
    };
    resumedAt((await notice).message, backend, 'simulated device loss');
    expect(h.last('backend').info.name).toBe(other(backend));

    // The watched device of the new backend is lost too: the session moves back on its own.
    const second = h.next('notice');
    h.lose('test device gone');
    const resumed = resumedAt((await second).message, other(backend), 'test device gone');
    expect(h.last('backend').info.name).toBe(backend);
    const afterLoss = h.messages.length;
    await h.next('metrics');
    await h.run({ type: 'pause' });
    const rows = h.rows(afterLoss);
    expect(rows[0].step).toBe(resumed);
    expectIncreasing(rows.map((r) => r.step));
    expect(rows[0].loss).toBeLessThan(h.rows()[0].loss / 2); // the run's weights, not fresh ones
    expect(h.last('status').status).toBe('paused');
    await h.session.dispose();
  });
});
