/** The teaching presets: a menu, and the sentence that explains the preset the run is on. */
import { useId } from 'react';
import type { RunSettings } from '../worker/protocol';
import { PRESETS, presetOf, type Preset } from './presets';
import './share.css';

export function PresetMenu({ settings, onPreset }: { settings: RunSettings; onPreset(preset: Preset): void }) {
  const id = useId();
  const active = presetOf(settings);
  return (
    <section className="presets" aria-label="Teaching presets" data-testid="presets" data-preset={active?.id ?? ''}>
      <label htmlFor={id}>Teaching presets</label>
      <select
        id={id}
        data-testid="preset-menu"
        value={active?.id ?? ''}
        onChange={(e) => {
          const preset = PRESETS.find((p) => p.id === e.target.value);
          if (preset) onPreset(preset);
        }}
      >
        <option value="">{active ? '—' : 'your own settings'}</option>
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
      {active && (
        <p className="preset-explanation" data-testid="preset-explanation">
          <strong>{active.title}.</strong> {active.explanation}
        </p>
      )}
    </section>
  );
}
