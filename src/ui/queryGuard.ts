/**
 * Hides the page's query string from the libraries while they load. TensorFlow.js reads
 * `location.search` when its module is first evaluated (its `tfjsflags` URL feature) and calls
 * `decodeURIComponent` on every key and value, so a link holding a broken escape such as `%80` or
 * `%E0%A4%A` would throw before the page could render, and `?tfjsflags=…` would change tfjs's flags
 * on the main thread. main.tsx calls `hideQuery()` before it imports the App (and with it tfjs), then
 * `restore()`: the App, which parses the query itself (urlState.ts), sees it unchanged.
 *
 * No imports: this module must run before anything else.
 */
export function hideQuery(): () => void {
  if (typeof window === 'undefined' || !window.location.search) return () => {};
  const href = window.location.href;
  try {
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${window.location.hash}`);
  } catch {
    return () => {};
  }
  return () => {
    try {
      window.history.replaceState(window.history.state, '', href);
    } catch {
      /* the App reads what is there */
    }
  };
}
