import { describe, expect, it } from 'vitest';
import { shortcutFor, takesKeys } from './useKeyboardShortcuts';

const el = (tagName: string, attrs: Record<string, string> = {}, extra: object = {}) => ({ tagName, getAttribute: (n: string) => attrs[n] ?? null, ...extra });

describe('keyboard shortcuts', () => {
  it('maps Space, → and R on the page body', () => {
    const body = el('BODY');
    expect(shortcutFor({ key: ' ', target: body })).toBe('toggle');
    expect(shortcutFor({ key: 'ArrowRight', target: body })).toBe('step');
    expect(shortcutFor({ key: 'r', target: body })).toBe('reset');
    expect(shortcutFor({ key: 'R', target: body })).toBe('reset');
    expect(shortcutFor({ key: 'x', target: body })).toBeNull();
    expect(shortcutFor({ key: 'ArrowLeft', target: body })).toBeNull();
  });

  it('leaves keys with modifiers alone (Ctrl+R reloads)', () => {
    expect(shortcutFor({ key: 'r', ctrlKey: true, target: el('BODY') })).toBeNull();
    expect(shortcutFor({ key: 'r', metaKey: true, target: el('BODY') })).toBeNull();
    expect(shortcutFor({ key: ' ', altKey: true, target: el('BODY') })).toBeNull();
  });

  it('does nothing while typing in a field', () => {
    for (const target of [el('INPUT'), el('TEXTAREA'), el('SELECT'), el('DIV', {}, { isContentEditable: true }), el('DIV', { role: 'textbox' })]) {
      expect(takesKeys(target)).toBe(true);
      expect(shortcutFor({ key: 'r', target })).toBeNull();
      expect(shortcutFor({ key: ' ', target })).toBeNull();
      expect(shortcutFor({ key: 'ArrowRight', target })).toBeNull();
    }
  });

  it('leaves Space to buttons, links and summaries, but takes → and R there', () => {
    for (const target of [el('BUTTON'), el('A'), el('SUMMARY'), el('DIV', { role: 'button' })]) {
      expect(shortcutFor({ key: ' ', target })).toBeNull();
      expect(shortcutFor({ key: 'ArrowRight', target })).toBe('step');
      expect(shortcutFor({ key: 'r', target })).toBe('reset');
    }
  });

  it('ignores a held Space or R, but repeats →', () => {
    expect(shortcutFor({ key: ' ', repeat: true, target: el('BODY') })).toBeNull();
    expect(shortcutFor({ key: 'r', repeat: true, target: el('BODY') })).toBeNull();
    expect(shortcutFor({ key: 'ArrowRight', repeat: true, target: el('BODY') })).toBe('step');
    expect(shortcutFor({ key: ' ', target: null })).toBe('toggle');
  });
});
