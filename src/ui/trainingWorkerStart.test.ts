import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { prestartTrainingWorker, takeTrainingWorker } from './trainingWorkerStart';

/** A stand-in for the browser's Worker: records what it was sent and whether it was stopped. */
class FakeWorker {
  static made: FakeWorker[] = [];
  sent: unknown[] = [];
  terminated = false;
  onerror: ((event: ErrorEvent) => void) | null = null;
  constructor(readonly url: URL | string) {
    FakeWorker.made.push(this);
  }
  postMessage(message: unknown) {
    this.sent.push(message);
  }
  terminate() {
    this.terminated = true;
  }
}

const AUTO = { backend: 'auto' as const, allowSoftwareWebGpu: false };

describe('the prestarted training worker', () => {
  const real = (globalThis as { Worker?: unknown }).Worker;
  beforeEach(() => {
    FakeWorker.made = [];
    (globalThis as { Worker?: unknown }).Worker = FakeWorker;
  });
  afterEach(() => {
    takeTrainingWorker(AUTO); // leaves no spare for the next test
    (globalThis as { Worker?: unknown }).Worker = real;
  });

  it('is sent its init at once, and the first run asking for the same start takes it; the next gets a new one', () => {
    prestartTrainingWorker(AUTO);
    expect(FakeWorker.made).toHaveLength(1);
    expect(FakeWorker.made[0].sent).toEqual([{ type: 'init', backend: 'auto', allowSoftwareWebGpu: false }]);
    const first = takeTrainingWorker(AUTO);
    expect(first.worker).toBe(FakeWorker.made[0]);
    const second = takeTrainingWorker(AUTO);
    expect(second.worker).not.toBe(first.worker);
    expect(FakeWorker.made).toHaveLength(2);
    expect(FakeWorker.made[1].sent).toEqual([{ type: 'init', backend: 'auto', allowSoftwareWebGpu: false }]);
  });

  it('hands over an error met while waiting (a chunk that failed to load), so the page can say so', () => {
    prestartTrainingWorker(AUTO);
    const failure = { message: 'failed to fetch a chunk', preventDefault() {} } as ErrorEvent;
    FakeWorker.made[0].onerror?.(failure);
    const taken = takeTrainingWorker(AUTO);
    expect(taken.earlyErrors).toEqual([failure]);
    expect((taken.worker as unknown as FakeWorker).onerror).toBeNull(); // the taker installs its own
  });

  it('is stopped, not used, when the run asks for another backend', () => {
    prestartTrainingWorker(AUTO);
    const taken = takeTrainingWorker({ backend: 'cpu', allowSoftwareWebGpu: false });
    expect(FakeWorker.made[0].terminated).toBe(true);
    expect(taken.worker).toBe(FakeWorker.made[1]);
    expect(FakeWorker.made[1].sent).toEqual([{ type: 'init', backend: 'cpu', allowSoftwareWebGpu: false }]);
  });
});
