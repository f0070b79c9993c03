/**
 * Hides the page's query string from the libraries while they load. TensorFlow.js reads
 * `location.search` when its module is first evaluated (its `tfjsflags` URL feature) and calls
 * `decodeURIComponent` on every key and value, so a link holding a broken escape such as `%80` or
 * `%E0%A4%A` would throw before the page could render, and `?tfjsflags=…` would change tfjs's flags.
 * The page's main thread no longer loads tfjs, but nothing stops a future import from bringing it
 * back: main.tsx imports this module first (hiding the query while every other module is
 * evaluated), then calls `restoreQuery()` before rendering, so the App, which parses the query itself
 * (urlState.ts, share.ts), sees it unchanged.
 *
 * No imports: this module must be evaluated before anything else.
 */
let hiddenHref: string | null = null;

if (typeof window !== 'undefined' && window.location.search) {
  try {
    const href = window.location.href;
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.hash}`);
    hiddenHref = href;
  } catch {
    hiddenHref = null;
  }
}

/** Puts the query string back (once); call it after every module has been evaluated. */
export function restoreQuery(): void {
  if (hiddenHref === null) return;
  const href = hiddenHref;
  hiddenHref = null;
  try {
    window.history.replaceState(window.history.state, '', href);
  } catch {
    /* the App reads what is there */
  }
}
