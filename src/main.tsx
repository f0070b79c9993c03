// First: hides the query string while the other modules are evaluated (see queryGuard.ts).
import { restoreQuery } from './ui/queryGuard';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles.css';

restoreQuery();
const root = createRoot(document.getElementById('root')!);
if (new URLSearchParams(window.location.search).get('gallery') === '1') {
  // The figure gallery (src/ui/gallery/): every figure from fixture files, no workers; its own chunk.
  void import('./ui/gallery/Gallery').then(({ Gallery }) =>
    root.render(
      <StrictMode>
        <Gallery />
      </StrictMode>,
    ),
  );
} else {
  root.render(
    <StrictMode>
      <App />
    </StrictMode>,
  );
}
