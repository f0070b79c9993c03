/// <reference lib="webworker" />
/**
 * The training worker (entry: trainingWorker.ts): the page's messages go to a TrainingSession (trainingSession.ts, where the
 * run logic lives), and the session's messages go back to the page with their bulk arrays transferred.
 */
import { chooseBackend, deviceLost, fallbackFrom } from './backendChoice';
import type { PageToWorker, WorkerToPage } from './protocol';
import { TrainingSession } from './trainingSession';

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** The typed arrays a message carries that are the session's to give away (fresh copies every time). */
function transferablesOf(message: WorkerToPage): Transferable[] {
  switch (message.type) {
    case 'metrics':
      return [message.chunk.steps.buffer, message.chunk.loss.buffer, message.chunk.accuracy.buffer];
    case 'measurements': {
      const { projection, gating } = message.measurements;
      return [projection.scores, projection.subjects, projection.targets, gating.active, gating.preferred, gating.selectivity, gating.order].map((a) => a.buffer);
    }
    case 'weights':
      return Object.values(message.weights).map((a) => a.buffer);
    default:
      return [];
  }
}

const session = new TrainingSession((message) => scope.postMessage(message, transferablesOf(message)), {
  choose: chooseBackend,
  fallback: fallbackFrom,
  deviceLost,
});

scope.onmessage = (event: MessageEvent<PageToWorker>) => session.handle(event.data);
