// First: hides the query string while the other modules are evaluated (see queryGuard.ts).
import { restoreQuery } from './ui/queryGuard';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './ui/App';
import './ui/styles.css';

restoreQuery();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
