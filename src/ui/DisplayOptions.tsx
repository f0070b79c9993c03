/**
 * How the page looks rather than what it trains: large type for projectors (kept in the URL as
 * `large=1`), and the list of keyboard shortcuts.
 */
import { useInsertionEffect } from 'react';
import { SHORTCUTS } from './useKeyboardShortcuts';

/**
 * Puts `large-type` on <html> while `large` is on: styles.css scales the page and figure text. An
 * insertion effect, so the class is there before any figure measures its container (layout effects,
 * children first): a figure never sizes itself to normal type and then overflows in large type.
 */
export function useLargeType(large: boolean): void {
  useInsertionEffect(() => {
    document.documentElement.classList.toggle('large-type', large);
    return () => document.documentElement.classList.remove('large-type');
  }, [large]);
}

/** The large-type toggle and the keyboard note; the App applies large type with useLargeType. */
export function DisplayOptions({ large, onLarge }: { large: boolean; onLarge(large: boolean): void }) {
  return (
    <section className="display-options" aria-label="Display and keyboard">
      <div className="field checkbox">
        <input id="field-large" data-testid="field-large" type="checkbox" checked={large} onChange={(e) => onLarge(e.target.checked)} />
        <label htmlFor="field-large">
          large type <span className="hint">for projectors and the back row</span>
        </label>
      </div>
      <p className="keyboard-note" data-testid="keyboard-note">
        <strong>Keyboard:</strong>{' '}
        {SHORTCUTS.map((s, i) => (
          <span key={s.action}>
            {i > 0 && ' · '}
            <kbd>{s.keys}</kbd> {s.does}
          </span>
        ))}{' '}
        (when not typing in a field); Tab moves between the controls.
      </p>
    </section>
  );
}
