/**
 * The loss watch inside the training session (Node, wasm): Adam at lr 1 pauses itself with the
 * message and the fix, play trains on without another alarm, and no tensor is left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { startBackend } from '../cli/nodeIo';
import { OPTIMIZER_DEFAULTS } from '../core/training/optimizerSettings';
import { EXPLODE_STEPS } from './lossWatch';
import type { RunSettings, WorkerToPage } from './protocol';
import { TrainingSession } from './trainingSession';

const ADAM_LR1: RunSettings = { n: 64, r: 2, d: 16, m: 64, ...OPTIMIZER_DEFAULTS.adam, lr: 1, seed: 1, freezeSubjects: false, uniformAttention: false };

describe('TrainingSession with an exploding loss', () => {
  it('pauses Adam at lr 1 with the cause and the fix; play trains on without another alarm', async () => {
    const messages: WorkerToPage[] = [];
    let waiter: { until: number; resolve(): void } | null = null;
    const post = (m: WorkerToPage) => {
      messages.push(m);
      if (waiter && m.type === 'metrics' && m.step >= waiter.until) waiter.resolve();
    };
    const session = new TrainingSession(post, {
      choose: async () => (await startBackend('wasm'), { name: 'wasm', reason: 'test' }),
      fallback: async () => (await startBackend('wasm'), { name: 'wasm', reason: 'test' }),
      deviceLost: () => null,
    }, { measureEveryMs: 60_000, snapshotEveryMs: 60_000 }); // few measurements: this test is about the loss
    const statuses = () => messages.filter((m): m is Extract<WorkerToPage, { type: 'status' }> => m.type === 'status');
    session.handle({ type: 'init', backend: 'wasm', allowSoftwareWebGpu: false });
    session.handle({ type: 'reset', settings: ADAM_LR1 });
    await session.idle();
    const tensorsBefore = tf.memory().numTensors;
    session.handle({ type: 'play' });
    await session.idle(); // it stops by itself

    const alarm = statuses().at(-1)!;
    expect(alarm.status).toBe('paused');
    expect(alarm.fix).toEqual({ lr: 0.01 });
    expect(alarm.message).toContain('the learning rate 1 is too high for Adam; try 0.01');
    expect(alarm.step).toBeGreaterThanOrEqual(EXPLODE_STEPS);
    expect(alarm.step).toBeLessThanOrEqual(EXPLODE_STEPS + 50); // one chunk at most past the rule

    // Play on anyway: it trains, and the watch, having spoken, stays quiet.
    const from = messages.length;
    const trained = new Promise<void>((resolve) => (waiter = { until: alarm.step + 100, resolve }));
    session.handle({ type: 'play' });
    await trained;
    session.handle({ type: 'pause' });
    await session.idle();
    const after = statuses().slice(statuses().indexOf(alarm) + 1);
    expect(after.map((s) => s.status)).toEqual(['running', 'paused']);
    expect(after.every((s) => s.fix === undefined)).toBe(true);
    expect(messages.slice(from).some((m) => m.type === 'metrics')).toBe(true);
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    await session.dispose();
  }, 120_000);
});
