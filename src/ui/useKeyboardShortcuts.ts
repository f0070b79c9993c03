/**
 * Keyboard shortcuts of the playground: Space = play/pause, → = one step, R = reset. They act only
 * when focus is not in a field that takes keys itself (text inputs, selects, text areas, editable
 * text), and Space also leaves buttons, links, check boxes and summaries to do their own thing.
 * Keys with Ctrl, Alt or Meta held are never taken (Ctrl+R still reloads).
 */
import { useEffect, useRef } from 'react';

export type ShortcutAction = 'toggle' | 'step' | 'reset';

/** The shortcuts as listed on the page. */
export const SHORTCUTS: readonly { keys: string; action: ShortcutAction; does: string }[] = [
  { keys: 'Space', action: 'toggle', does: 'play / pause' },
  { keys: '→', action: 'step', does: 'one step' },
  { keys: 'R', action: 'reset', does: 'reset' },
];

/** The parts of a KeyboardEvent this looks at (so it can be tested without a DOM). */
export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  altKey?: boolean;
  metaKey?: boolean;
  repeat?: boolean;
  target?: unknown;
}

interface ElementLike {
  tagName?: string;
  type?: string;
  isContentEditable?: boolean;
  getAttribute?(name: string): string | null;
}

/** Whether the element takes typed keys itself: text inputs, selects, text areas, editable text. */
export function takesKeys(target: unknown): boolean {
  const el = target as ElementLike | null | undefined;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (el.isContentEditable) return true;
  const role = el.getAttribute?.('role');
  if (role === 'textbox' || role === 'combobox' || role === 'slider' || role === 'spinbutton') return true;
  // Every input: text fields take letters, radios and ranges take arrows, check boxes take Space.
  return tag === 'INPUT';
}

/** Whether Space on this element already means "press me". */
function pressesOnSpace(target: unknown): boolean {
  const el = target as ElementLike | null | undefined;
  if (!el || typeof el.tagName !== 'string') return false;
  const tag = el.tagName.toUpperCase();
  if (tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY') return true;
  const role = el.getAttribute?.('role');
  return role === 'button' || role === 'checkbox' || role === 'switch' || role === 'link' || role === 'menuitem' || role === 'tab';
}

/** Which shortcut a key press is, if any. */
export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  if (takesKeys(e.target)) return null;
  if (e.key === ' ' || e.key === 'Spacebar') return e.repeat || pressesOnSpace(e.target) ? null : 'toggle';
  if (e.key === 'ArrowRight') return 'step';
  if (e.key === 'r' || e.key === 'R') return e.repeat ? null : 'reset';
  return null;
}

export interface ShortcutHandlers {
  /** Whether training is running now (Space then pauses). */
  running: boolean;
  /** Whether the run cannot go on (diverged, failed): Space and → do nothing, as the buttons. */
  stopped?: boolean;
  play(): void;
  pause(): void;
  step(): void;
  reset(): void;
}

/** Listens on the document for the shortcuts while mounted (and `enabled`). */
export function useKeyboardShortcuts(handlers: ShortcutHandlers, enabled = true): void {
  const latest = useRef(handlers);
  latest.current = handlers;
  useEffect(() => {
    if (!enabled) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented) return;
      const action = shortcutFor(e);
      if (!action) return;
      e.preventDefault(); // Space would scroll the page
      const h = latest.current;
      if (action === 'toggle') {
        if (h.running) h.pause();
        else if (!h.stopped) h.play();
      } else if (action === 'step') {
        if (!h.running && !h.stopped) h.step();
      } else h.reset();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [enabled]);
}
