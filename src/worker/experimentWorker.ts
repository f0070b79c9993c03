/// <reference lib="webworker" />
/** The experiment worker's entry (the page's useExperimentWorker): its code is experimentScope.ts, loaded as workerStart.ts says why. */
import { startWorker } from './workerStart';

startWorker('experiments');
