/**
 * The training session's weight requests (trainingSession.ts): a copy of the current weights for the
 * page, the weights as a weight file, and a weight file read and checked before it may become the run.
 * Each answers with the message to post; no DOM or worker globals.
 */
import { readWeights, type WeightArrays } from '../core/model/model';
import { parseWeightText, weightFileChunks, type WeightFile } from '../core/model/weights';
import type { PageToWorker, RunSettings, WorkerToPage } from './protocol';
import type { Run } from './sessionRun';
import { adoptWeightFile, checkWeightFileSize, weightFileOf } from './weightImport';

/** The answer to a weights request while there is no run. */
export function noRunYet(requestId: number): WorkerToPage {
  return { type: 'weightsUnavailable', requestId, message: 'There is no model yet: the training worker is still starting.' };
}

/** Reads the run's weights and builds the answer from them, or says why they could not be `what` (read, written). */
async function answerFromWeights(run: Run, requestId: number, what: string, answer: (weights: WeightArrays) => WorkerToPage): Promise<WorkerToPage> {
  try {
    return answer(await readWeights(run.model));
  } catch (error) {
    return { type: 'weightsUnavailable', requestId, message: `The weights could not be ${what}: ${(error as Error).message}` };
  }
}

/** A copy of the current weights for the page (zero-shot transfer, weight files); the arrays are free to transfer. */
export function weightsMessage(run: Run, requestId: number): Promise<WorkerToPage> {
  return answerFromWeights(run, requestId, 'read', (read) => {
    // Copies: on the cpu backend data() hands out the tensor's own store, which must not be detached.
    const weights = Object.fromEntries(Object.entries(read).map(([name, a]) => [name, a.slice()])) as WeightArrays;
    return { type: 'weights', requestId, config: run.config, factSeed: run.facts.seed, step: run.trainer.stepsDone, settings: run.settings, weights };
  });
}

/** The current weights as a weight file (core's JSON format), written here so the page never blocks on it. */
export function weightFileMessage(run: Run, requestId: number, backend: string | null): Promise<WorkerToPage> {
  return answerFromWeights(run, requestId, 'written', (weights) => {
    const step = run.trainer.stepsDone;
    const file = weightFileOf(run.config, run.facts.seed, run.settings, step, backend, weights);
    const blob = new Blob([...weightFileChunks(file)], { type: 'application/json' });
    return { type: 'weightFile', requestId, blob, step, settings: run.settings };
  });
}

export type ReadWeightFile = { ok: true; file: WeightFile; settings: RunSettings; step: number } | { ok: false; message: string };

/** A weight file parsed and checked (size, shape, the page's limits) and the run settings it makes. */
export async function readWeightFile(command: Extract<PageToWorker, { type: 'loadWeights' }>): Promise<ReadWeightFile> {
  const { file, fallback, limits } = command;
  const tooBig = checkWeightFileSize(file.size, limits);
  if (tooBig) return { ok: false, message: tooBig };
  let parsed: WeightFile;
  try {
    parsed = parseWeightText(await file.text());
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
  const adopted = adoptWeightFile(parsed, fallback, limits);
  return adopted.ok ? { ok: true, file: parsed, settings: adopted.settings, step: adopted.step } : adopted;
}
