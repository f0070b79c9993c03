/**
 * How many of the article's chapters are mounted. None until the playground has shown its first step
 * or measurement, so that loading and rendering them (their chunks, data, figures) does not compete
 * with the playground's first plotted step on a cold load; then one more each time the page is idle
 * (at most `stepMs` apart), each in a transition that React renders in slices: the playground keeps
 * drawing while the chapters arrive, with no single long task for all of them. A link into a chapter
 * (`#…`) mounts them all at once, and a playground that never gets going (paused, a failed worker)
 * starts them after `fallbackMs`.
 */
import { startTransition, useEffect, useState } from 'react';

type IdleWindow = { requestIdleCallback?: (cb: () => void, options: { timeout: number }) => number; cancelIdleCallback?: (id: number) => void };

function whenIdle(callback: () => void, timeout: number): () => void {
  const w = (typeof window === 'undefined' ? {} : window) as IdleWindow;
  if (w.requestIdleCallback && w.cancelIdleCallback) {
    const id = w.requestIdleCallback(callback, { timeout });
    return () => w.cancelIdleCallback!(id);
  }
  const id = setTimeout(callback, timeout);
  return () => clearTimeout(id);
}

export function useChaptersAfterPlayground(total: number, playgroundShown: boolean, options: { fallbackMs?: number; stepMs?: number } = {}): number {
  const { fallbackMs = 2500, stepMs = 250 } = options;
  const [count, setCount] = useState(() => (typeof window === 'undefined' || window.location.hash.length > 1 ? total : 0));
  const [started, setStarted] = useState(false);
  useEffect(() => {
    if (started || count >= total) return;
    if (playgroundShown) {
      setStarted(true);
      return;
    }
    const timer = setTimeout(() => setStarted(true), fallbackMs);
    return () => clearTimeout(timer);
  }, [started, count, total, playgroundShown, fallbackMs]);
  useEffect(() => {
    if (!started || count >= total) return;
    return whenIdle(() => startTransition(() => setCount((c) => Math.min(total, c + 1))), stepMs);
  }, [started, count, total, stepMs]);
  return count;
}
