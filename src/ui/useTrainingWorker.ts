/**
 * The page's side of the training worker: starts it, sends commands, and turns its messages into
 * React state at most once per animation frame (the worker may send faster than the screen shows).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { KnockoutReport } from '../core/measure/measure';
import type { BackendChoice, BackendInfo, Measurements, PageToWorker, RunFix, RunSettings, RunStatus, WeightFileLimits, WeightsExport, WorkerToPage } from '../worker/protocol';
import { MetricHistory } from './metricHistory';
import { takeTrainingWorker } from './trainingWorkerStart';

export interface TrainingView {
  backend: BackendInfo | null;
  status: RunStatus;
  statusMessage: string | null;
  /** The fix offered with the status (an exploding loss: lossWatch.ts), or null. */
  statusFix: RunFix | null;
  step: number;
  stepsPerSecond: number;
  /** Live tensors in the worker, as last reported. */
  tensors: number;
  parameters: number;
  informationBits: number;
  /** Updates after which every fact was first right, or null (as the worker last said). */
  stepsTo100: number | null;
  settings: RunSettings | null;
  history: MetricHistory;
  measurements: Measurements | null;
  knockout: { report: KnockoutReport; step: number } | null;
  knockoutPending: boolean;
  notices: string[];
  /** Time travel: the steps whose measurements the worker keeps (ascending), and their size in bytes. */
  recordedSteps: number[];
  historyBytes: number;
  /** The recorded measurements the figures show instead of the newest; null: live. */
  viewed: Measurements | null;
  /** The step asked for last (viewStep), until its measurements arrive; null: none pending. */
  viewPending: number | null;
}

/** What the live figures draw: the viewed step's measurements when time-travelling, else the newest. */
export function shownMeasurements(view: TrainingView): Measurements | null {
  return view.viewed ?? view.measurements;
}

export interface TrainingControls {
  reset(settings: RunSettings): void;
  play(): void;
  pause(): void;
  step(count?: number): void;
  setBackend(choice: BackendChoice): void;
  setProjectionRelation(relation: number): void;
  knockout(): void;
  setMeasuring(enabled: boolean): void;
  dismissNotice(index: number): void;
  /** Test hook: pretend the GPU device was lost. */
  simulateDeviceLoss(): void;
  /** Time travel: show the measurements recorded at `step` (one of view.recordedSteps); null: back to live. */
  viewStep(step: number | null): void;
  /** A copy of the current model's weights (taken between two training steps). */
  exportWeights(): Promise<WeightsExport>;
  /** The current model as a weight file (core's JSON format), written in the worker. */
  exportWeightFile(): Promise<WeightFileExport>;
  /**
   * Parse a weight file in the worker and make it the run; rejects with the reason (the current run
   * is then untouched). `fallback` supplies what the file does not say (the learning rate).
   */
  loadWeightFile(file: Blob, fallback: RunSettings, limits: WeightFileLimits): Promise<{ settings: RunSettings; step: number }>;
  /** Follow one fact (useFactTrace.ts): ask the worker to trace it; the answer comes to `onFactTrace`'s listeners. */
  traceFact(subject: number, relation: number): void;
  /** Listens to the worker's 'factTrace' answers; returns the unsubscribe. */
  onFactTrace(listener: (message: FactTraceMessage) => void): () => void;
}

export type FactTraceMessage = Extract<WorkerToPage, { type: 'factTrace' }>;

export interface WeightFileExport {
  blob: Blob;
  step: number;
  settings: RunSettings;
}

function initialView(): TrainingView {
  return {
    backend: null,
    status: 'idle',
    statusMessage: null,
    statusFix: null,
    step: 0,
    stepsPerSecond: 0,
    tensors: 0,
    parameters: 0,
    informationBits: 0,
    stepsTo100: null,
    settings: null,
    history: new MetricHistory(),
    measurements: null,
    knockout: null,
    knockoutPending: false,
    notices: [],
    recordedSteps: [],
    historyBytes: 0,
    viewed: null,
    viewPending: null,
  };
}

/**
 * `enabled` (default true): whether the worker runs. A second run (compare) starts its worker only
 * while it is on; turned off, the worker is stopped, its view cleared, and commands are dropped.
 */
export function useTrainingWorker(init: { backend: BackendChoice; allowSoftwareWebGpu: boolean; enabled?: boolean }): [TrainingView, TrainingControls] {
  const enabled = init.enabled ?? true;
  const enabledRef = useRef(enabled);
  enabledRef.current = enabled;
  const workerRef = useRef<Worker | null>(null);
  const viewRef = useRef<TrainingView>(initialView());
  const [view, setView] = useState<TrainingView>(viewRef.current);
  // The backend asked for last, for a worker started later (a second run turned on).
  const backendRef = useRef(init.backend);
  const frame = useRef<number | null>(null);
  const queued = useRef<PageToWorker[]>([]);
  const weightRequests = useRef(new Map<number, { resolve(w: WeightsExport): void; reject(e: Error): void }>());
  // Weight files written or read by the worker, by request id.
  const fileRequests = useRef(new Map<number, { resolve(value: never): void; reject(e: Error): void }>());
  const nextRequest = useRef(1);
  // The latest time-travel request: older answers are dropped.
  const viewRequest = useRef(0);
  const factListeners = useRef(new Set<(message: FactTraceMessage) => void>());

  const publish = useCallback(() => {
    if (frame.current !== null) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = null;
      viewRef.current = { ...viewRef.current }; // a new object: React sees the change
      setView(viewRef.current);
    });
  }, []);

  const send = useCallback((message: PageToWorker) => {
    if (message.type === 'setBackend') backendRef.current = message.backend;
    if (!enabledRef.current) return;
    if (workerRef.current) workerRef.current.postMessage(message);
    else queued.current.push(message);
  }, []);

  useEffect(() => {
    if (!enabled) return;
    const { worker, earlyErrors } = takeTrainingWorker({ backend: backendRef.current, allowSoftwareWebGpu: init.allowSoftwareWebGpu });
    workerRef.current = worker;
    worker.onmessage = (event: MessageEvent<WorkerToPage>) => {
      const message = event.data;
      const v = viewRef.current;
      switch (message.type) {
        case 'backend':
          v.backend = message.info;
          break;
        case 'ready':
          v.settings = message.settings;
          v.parameters = message.parameters;
          v.informationBits = message.informationBits;
          v.history.clear();
          v.measurements = null;
          v.knockout = null;
          v.step = 0;
          v.stepsTo100 = null;
          v.recordedSteps = [];
          v.historyBytes = 0;
          v.viewed = null;
          v.viewPending = null;
          break;
        case 'metrics':
          v.history.append(message.chunk, v.settings?.r ?? 1);
          v.step = message.step;
          v.stepsPerSecond = message.stepsPerSecond;
          v.tensors = message.tensors;
          v.stepsTo100 = message.stepsTo100;
          break;
        case 'measurements':
          v.measurements = message.measurements;
          break;
        case 'history':
          v.recordedSteps = message.steps;
          v.historyBytes = message.bytes;
          break;
        case 'historyMeasurements':
          if (message.requestId !== viewRequest.current) return; // a later request is on its way
          v.viewPending = null;
          if (message.measurements) v.viewed = message.measurements;
          break;
        case 'knockout':
          v.knockout = { report: message.report, step: message.step };
          v.knockoutPending = false;
          break;
        case 'status':
          v.status = message.status;
          v.statusMessage = message.message ?? null;
          v.statusFix = message.fix ?? null;
          v.step = message.step;
          break;
        case 'notice':
          v.notices = [...v.notices, message.message];
          break;
        case 'weights':
        case 'weightsUnavailable': {
          const request = weightRequests.current.get(message.requestId);
          weightRequests.current.delete(message.requestId);
          if (message.type === 'weights') {
            const { type: _type, requestId: _id, ...exported } = message;
            request?.resolve(exported);
          } else request?.reject(new Error(message.message));
          if (request || message.type === 'weights') return; // nothing on screen changes
          const fileRequest = fileRequests.current.get(message.requestId);
          fileRequests.current.delete(message.requestId);
          fileRequest?.reject(new Error(message.message));
          return;
        }
        case 'weightFile':
        case 'weightsLoaded':
        case 'weightsRejected': {
          const request = fileRequests.current.get(message.requestId);
          fileRequests.current.delete(message.requestId);
          if (message.type === 'weightFile') request?.resolve({ blob: message.blob, step: message.step, settings: message.settings } as never);
          else if (message.type === 'weightsLoaded') request?.resolve({ settings: message.settings, step: message.step } as never);
          else request?.reject(new Error(message.message));
          return;
        }
        case 'factTrace':
          for (const listener of factListeners.current) listener(message);
          return;
      }
      publish();
    };
    worker.onerror = (event) => {
      for (const request of [...weightRequests.current.values(), ...fileRequests.current.values()]) request.reject(new Error('the training worker failed'));
      weightRequests.current.clear();
      fileRequests.current.clear();
      viewRef.current.status = 'error';
      viewRef.current.statusMessage = `The training worker failed: ${event.message || 'unknown error'}`;
      publish();
    };
    for (const event of earlyErrors) worker.onerror(event);
    for (const message of queued.current.splice(0)) worker.postMessage(message);
    return () => {
      worker.terminate();
      workerRef.current = null;
      for (const request of [...weightRequests.current.values(), ...fileRequests.current.values()]) request.reject(new Error('the training worker was stopped'));
      weightRequests.current.clear();
      fileRequests.current.clear();
      if (frame.current !== null) cancelAnimationFrame(frame.current);
      frame.current = null;
      queued.current.length = 0;
      // A stopped worker's run is gone: show nothing of it.
      viewRef.current = initialView();
      setView(viewRef.current);
    };
    // The worker lives while enabled; backend changes go through setBackend.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [enabled]);

  const controls = useRef<TrainingControls>({
    reset: (settings) => send({ type: 'reset', settings }),
    play: () => send({ type: 'play' }),
    pause: () => send({ type: 'pause' }),
    step: (count = 1) => send({ type: 'step', count }),
    setBackend: (backend) => send({ type: 'setBackend', backend }),
    setProjectionRelation: (relation) => send({ type: 'setProjectionRelation', relation }),
    knockout: () => {
      viewRef.current.knockoutPending = true;
      publish();
      send({ type: 'knockout' });
    },
    setMeasuring: (enabled) => send({ type: 'setMeasuring', enabled }),
    dismissNotice: (index) => {
      viewRef.current.notices = viewRef.current.notices.filter((_, i) => i !== index);
      publish();
    },
    simulateDeviceLoss: () => send({ type: 'simulateDeviceLoss' }),
    viewStep: (step) => {
      const v = viewRef.current;
      const requestId = nextRequest.current++;
      viewRequest.current = requestId;
      if (step === null) {
        v.viewed = null;
        v.viewPending = null;
      } else {
        v.viewPending = step;
        send({ type: 'viewHistory', step, requestId });
      }
      publish();
    },
    exportWeights: () =>
      new Promise<WeightsExport>((resolve, reject) => {
        const requestId = nextRequest.current++;
        weightRequests.current.set(requestId, { resolve, reject });
        send({ type: 'exportWeights', requestId });
      }),
    exportWeightFile: () =>
      new Promise<WeightFileExport>((resolve, reject) => {
        const requestId = nextRequest.current++;
        fileRequests.current.set(requestId, { resolve: resolve as (value: never) => void, reject });
        send({ type: 'exportWeightFile', requestId });
      }),
    loadWeightFile: (file, fallback, limits) =>
      new Promise<{ settings: RunSettings; step: number }>((resolve, reject) => {
        const requestId = nextRequest.current++;
        fileRequests.current.set(requestId, { resolve: resolve as (value: never) => void, reject });
        send({ type: 'loadWeights', requestId, file, fallback, limits });
      }),
    traceFact: (subject, relation) => send({ type: 'traceFact', subject, relation }),
    onFactTrace: (listener) => {
      factListeners.current.add(listener);
      return () => factListeners.current.delete(listener);
    },
  });

  return [view, controls.current];
}
