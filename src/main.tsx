// First: hides the query string while the other modules are evaluated (see queryGuard.ts).
import { restoreQuery } from './ui/queryGuard';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import { readShareParams } from './ui/share';
import { prestartTrainingWorker } from './ui/trainingWorkerStart';
import { parsePageState } from './ui/urlState';
import './ui/styles.css';

restoreQuery();
const gallery = new URLSearchParams(window.location.search).get('gallery') === '1';
if (!gallery) {
  // The training worker loads its code and starts its backend while React renders the page
  // (trainingWorkerStart.ts); the App parses the same query and takes this worker.
  const { state } = parsePageState(readShareParams(window.location.search).search);
  prestartTrainingWorker({ backend: state.backend, allowSoftwareWebGpu: state.allowSoftwareWebGpu });
}
const root = createRoot(document.getElementById('root')!);
if (gallery) {
  // The figure gallery (src/ui/gallery/): every figure from fixture files, no workers; its own chunk.
  void import('./ui/gallery/Gallery').then(({ Gallery }) =>
    root.render(
      <StrictMode>
        <Gallery />
      </StrictMode>,
    ),
  );
} else {
  // One turn of the event loop first: the browser starts the worker's thread before the long first render.
  setTimeout(() =>
    root.render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
}
