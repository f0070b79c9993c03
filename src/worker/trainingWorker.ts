/// <reference lib="webworker" />
/** The training worker's entry (the page's useTrainingWorker): its code is trainingScope.ts, loaded as workerStart.ts says why. */
import { startWorker } from './workerStart';

startWorker('training');
