/**
 * What an embedded figure (`?embed=…` in an iframe) does for its host page: tells it its height, and
 * knows whether anyone can see it (the iframe on screen, the tab in front), so that training only
 * runs while it can be watched.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import { HEIGHT_MESSAGE, HEIGHT_REQUEST, type EmbedName } from './share';

/**
 * Posts `{ type: 'factual-recall:height', height, embed }` to the parent window on load and whenever
 * the height of `ref`'s element changes (ResizeObserver), and again when the parent asks with
 * `{ type: 'factual-recall:request-height' }`. `height` is in CSS pixels, rounded up.
 */
export function useEmbedHeight(embed: EmbedName, ref: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    const el = ref.current;
    const parent = window.parent;
    if (!el || !parent || parent === window) return;
    let last = -1;
    const send = (force: boolean) => {
      const style = getComputedStyle(el);
      const height = Math.ceil(el.getBoundingClientRect().height + parseFloat(style.marginTop || '0') + parseFloat(style.marginBottom || '0'));
      if (!force && height === last) return;
      last = height;
      parent.postMessage({ type: HEIGHT_MESSAGE, height, embed }, '*');
    };
    send(true);
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => send(false));
    ro?.observe(el);
    const onMessage = (event: MessageEvent) => {
      if (event.source === parent && event.data && typeof event.data === 'object' && event.data.type === HEIGHT_REQUEST) send(true);
    };
    window.addEventListener('message', onMessage);
    // Fonts and late layout can change the height without resizing the observed box's content rect.
    window.addEventListener('load', () => send(false), { once: true });
    return () => {
      ro?.disconnect();
      window.removeEventListener('message', onMessage);
    };
  }, [embed, ref]);
}

/**
 * Whether the element can be seen: some of it inside the top-level viewport (IntersectionObserver,
 * which inside an iframe also clips by the embedding page's scroll position) and the tab not hidden.
 */
export function useSeen(ref: RefObject<HTMLElement | null>): boolean {
  const [onScreen, setOnScreen] = useState(true);
  const [tabVisible, setTabVisible] = useState(() => typeof document === 'undefined' || document.visibilityState !== 'hidden');
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      const entry = entries[entries.length - 1];
      if (entry) setOnScreen(entry.isIntersecting);
    });
    io.observe(el);
    return () => io.disconnect();
  }, [ref]);
  useEffect(() => {
    const onChange = () => setTabVisible(document.visibilityState !== 'hidden');
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, []);
  return onScreen && tabVisible;
}

/**
 * Pauses a run when it stops being seen, if it was playing (or about to: the reader's intent), and
 * plays it again when it is seen again — only if it was playing when it was hidden.
 */
export function usePauseWhileUnseen(seen: boolean, run: { playing(): boolean; pause(): void; play(): void }): void {
  const runRef = useRef(run);
  runRef.current = run;
  const resume = useRef(false);
  useEffect(() => {
    const r = runRef.current;
    if (!seen) {
      if (r.playing()) {
        resume.current = true;
        r.pause();
      }
    } else if (resume.current) {
      resume.current = false;
      r.play();
    }
  }, [seen]);
}
