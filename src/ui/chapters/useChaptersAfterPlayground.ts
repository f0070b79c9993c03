/**
 * When the article's chapters mount: after the playground has shown its first step or measurement,
 * so that loading and rendering them (their chunks, figures and experiments) does not compete with
 * the playground's first plotted step on a cold load. A link into a chapter (`#…`) shows them at once,
 * and a playground that never gets going (paused, a failed worker) shows them after `fallbackMs`.
 */
import { useEffect, useState } from 'react';

export function useChaptersAfterPlayground(playgroundShown: boolean, fallbackMs = 2500): boolean {
  const [show, setShow] = useState(() => typeof window === 'undefined' || window.location.hash.length > 1);
  const ready = show || playgroundShown;
  useEffect(() => {
    if (ready) {
      setShow(true);
      return;
    }
    const timer = setTimeout(() => setShow(true), fallbackMs);
    return () => clearTimeout(timer);
  }, [ready, fallbackMs]);
  return ready;
}
