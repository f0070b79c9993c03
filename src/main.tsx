import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { hideQuery } from './ui/queryGuard';
import './ui/styles.css';

// The App (and tfjs with it) loads with the query hidden: see queryGuard.ts.
const restore = hideQuery();
import('./ui/App')
  .then(({ App }) => {
    restore();
    createRoot(document.getElementById('root')!).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  })
  .catch((error: unknown) => {
    restore();
    throw error;
  });
