import { describe, expect, it } from 'vitest';
import { MetricHistory, metricsCsv } from './metricHistory';
import { PRESETS, presetById, presetOf } from './presets';
import { EMBEDS, readShareParams, withShareParams } from './share';
import { DEFAULT_SETTINGS, parsePageState, toSearch } from './urlState';

describe('embed and preset in the URL', () => {
  it('reads every embed value and keeps it out of the settings', () => {
    for (const embed of EMBEDS) {
      const share = readShareParams(`?embed=${embed}&n=32`);
      expect(share.embed).toBe(embed);
      expect(share.notices).toEqual([]);
      expect(share.search).toBe('?n=32');
      expect(parsePageState(share.search).notices).toEqual([]);
    }
  });

  it('names an unknown embed value and falls back to the whole page', () => {
    const share = readShareParams('?embed=loss-chart');
    expect(share.embed).toBeNull();
    expect(share.notices).toHaveLength(1);
    expect(share.notices[0]).toContain('"loss-chart"');
    expect(share.notices[0]).toContain(EMBEDS.join(', '));
    expect(readShareParams('?embed=%E2%80%AEevil').notices[0]).toContain('\\u{202e}');
  });

  it('a preset sets its settings; the link’s own keys win', () => {
    for (const preset of PRESETS) {
      const { state, notices } = parsePageState(readShareParams(`?preset=${preset.id}`).search);
      expect(notices).toEqual([]);
      expect(state.settings).toEqual(preset.settings);
      expect(state.autoplay).toBe(preset.autoplay);
      expect(presetOf(state.settings)?.id).toBe(preset.id);
    }
    const own = parsePageState(readShareParams('?preset=tiny&d=20&autoplay=0').search).state;
    expect(own.settings.d).toBe(20);
    expect(own.settings.n).toBe(presetById('tiny')!.settings.n);
    expect(own.autoplay).toBe(false);
    expect(presetOf(own.settings)).toBeUndefined();
  });

  it('an unknown preset gives a notice and the defaults', () => {
    const share = readShareParams('?preset=huge&n=64');
    expect(share.preset).toBeNull();
    expect(share.notices[0]).toContain('"huge"');
    expect(share.search).toBe('?n=64');
  });

  it('writes embed and preset first, and a written link reads back the same', () => {
    const tiny = presetById('tiny')!;
    const search = withShareParams(toSearch({ settings: tiny.settings, backend: 'auto', autoplay: true, large: false, allowSoftwareWebGpu: false }), 'training', tiny);
    expect(search.startsWith('?embed=training&preset=tiny&')).toBe(true);
    const again = readShareParams(search);
    expect(again.embed).toBe('training');
    expect(again.preset?.id).toBe('tiny');
    expect(parsePageState(again.search).state.settings).toEqual(tiny.settings);
    expect(withShareParams('', null, null)).toBe('');
  });

  it('a paused run of a playing preset links with autoplay=0, so that the link does not start it', () => {
    const logd = presetById('logd')!;
    const search = withShareParams(toSearch({ settings: logd.settings, backend: 'auto', autoplay: false, large: false, allowSoftwareWebGpu: false }), null, logd);
    expect(search).toBe('?preset=logd&r=4&d=40&opt=adam&seed=1&autoplay=0');
    const again = parsePageState(readShareParams(search).search);
    expect(again.state.autoplay).toBe(false);
    expect(withShareParams(toSearch(again.state), null, logd)).toBe(search);
  });

  it('geometry is the default playground: its link is the settings alone, and it plays', () => {
    const geometry = presetById('geometry')!;
    expect(geometry.settings).toEqual(DEFAULT_SETTINGS);
    expect(geometry.settings).toMatchObject({ n: 256, r: 2, d: 32, m: 256, optimizer: 'sgd', lr: 0.1, momentum: 0.9, embedLrMult: 30 });
    const opened = parsePageState(readShareParams('?preset=geometry&autoplay=1').search).state;
    expect(opened.settings).toEqual(DEFAULT_SETTINGS);
    expect(opened.autoplay).toBe(true);
    expect(presetOf(opened.settings)?.id).toBe('geometry');
    expect(withShareParams(toSearch(opened), null, presetOf(opened.settings))).toBe('?autoplay=1');
    // A link that adds its own optimiser gets that optimiser's defaults, not the preset's numbers.
    const adam = parsePageState(readShareParams('?preset=geometry&opt=adam').search).state.settings;
    expect(adam).toMatchObject({ optimizer: 'adam', lr: 0.01, embedLrMult: 1, n: 256, seed: 5 });
  });

  it('the presets do what their explanations promise about sizes', () => {
    const logd = presetById('logd')!.settings;
    expect(logd.d).toBe((logd.r + 1) * Math.log2(logd.n));
    const learned = presetById('learned')!.settings;
    const frozen = presetById('frozen')!.settings;
    expect({ ...frozen, freezeSubjects: false }).toEqual(learned);
    expect(frozen.freezeSubjects).toBe(true);
    expect(presetById('construction')!.settings).toMatchObject({ n: 1024, r: 4, d: 54, m: 80, construction: true });
  });
});

describe('metric history as CSV', () => {
  it('has a header and one row per recorded step', () => {
    const h = new MetricHistory();
    h.append({ steps: Int32Array.of(0, 1, 2), loss: Float32Array.of(4, 3, 2), accuracy: Float32Array.of(0, 0.5, 0.25, 0.75, 1, 1) }, 2);
    const lines = metricsCsv(h, 2).trimEnd().split('\n');
    expect(lines[0]).toBe('step,loss,accuracy_r0,accuracy_r1');
    expect(lines.slice(1)).toEqual(['0,4,0,0.5', '1,3,0.25,0.75', '2,2,1,1']);
  });
});
