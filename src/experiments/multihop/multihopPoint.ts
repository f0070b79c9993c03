/**
 * One d of a multi-hop sweep as the CLI's `--out` file and the page hold it (`points` entries of
 * `factual-recall-multihop` version 1). Free of tfjs, so the page's main thread can import it.
 */
import type { MultihopResult, MultihopTrainingSummary } from './multihop';

/** A training summary as the file holds it: `diverged` is written only when true. */
export type MultihopTrainingPoint = Omit<MultihopTrainingSummary, 'diverged'> & { diverged?: boolean };

export interface MultihopPoint {
  d: number;
  chance: number;
  chainQueries: number;
  singleHopAccuracy: number;
  singleHopAccuracyByRelation?: number[];
  cotAccuracy: number;
  cotHopAccuracy: number[];
  directAccuracy: number;
  directSingleHopAccuracy: number;
  directAccuracyByChain: number[];
  unseenChains?: { count: number; directAccuracy: number; cotAccuracy: number };
  singleHopTraining: MultihopTrainingPoint;
  directTraining: MultihopTrainingPoint;
}

/** A multihopExperiment result as a point of the file format. */
export function multihopPoint(result: MultihopResult): MultihopPoint {
  const training = (t: MultihopResult['directTraining']): MultihopTrainingPoint => ({
    steps: t.steps,
    stepsTo100: t.stepsTo100,
    peakAccuracy: t.peakAccuracy,
    peakStep: t.peakStep,
    seconds: t.seconds,
    loss: t.loss,
    ...(t.diverged ? { diverged: true } : {}),
  });
  return {
    d: result.config.d,
    chance: 1 / result.config.n,
    chainQueries: result.chainQueries,
    singleHopAccuracy: result.singleHopAccuracy,
    singleHopAccuracyByRelation: result.singleHopAccuracyByRelation,
    cotAccuracy: result.cotAccuracy,
    cotHopAccuracy: result.cotHopAccuracy,
    directAccuracy: result.directAccuracy,
    directSingleHopAccuracy: result.directSingleHopAccuracy,
    directAccuracyByChain: result.directAccuracyByChain,
    ...(result.unseenChains ? { unseenChains: result.unseenChains } : {}),
    singleHopTraining: training(result.singleHopTraining),
    directTraining: training(result.directTraining),
  };
}

