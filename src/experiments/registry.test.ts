import { describe, expect, it } from 'vitest';
import { EMBEDS, PLAYGROUND_EMBEDS } from '../ui/share';
import { EXPERIMENT_EMBEDS, EXPERIMENT_NAMES, EXPERIMENTS, isLiveName, type Experiment } from './registry';

const entries = EXPERIMENT_NAMES.map((name) => [name, EXPERIMENTS[name] as Experiment] as const);

describe('the registry of experiments', () => {
  it('lists the chapters in page order, each with a title', () => {
    // Today's chapters, in this order (a new chapter adds its line without changing this test).
    expect(EXPERIMENT_NAMES.filter((n) => ['buildByHand', 'capacity', 'transfer', 'multihop', 'optimizers'].includes(n))).toEqual(['buildByHand', 'capacity', 'transfer', 'multihop', 'optimizers']);
    for (const [name, entry] of entries) expect(entry.title.length, name).toBeGreaterThan(0);
    expect(new Set(entries.map(([, e]) => e.title)).size).toBe(entries.length);
  });

  it('every live experiment has a worker side whose check refuses bad input (without throwing)', async () => {
    const live = entries.filter(([, e]) => e.run);
    expect(live.map(([name]) => name)).toEqual(expect.arrayContaining(['capacity', 'transfer', 'multihop', 'optimizers']));
    for (const [name, entry] of live) {
      expect(isLiveName(name)).toBe(true);
      const runner = (await entry.run!()).default;
      expect(typeof runner.run, name).toBe('function');
      for (const bad of [{}, null, { steps: -1 }]) expect(runner.check(bad), `${name}: ${JSON.stringify(bad)}`).toMatch(new RegExp(`^${name}: `));
    }
    expect(isLiveName('buildByHand')).toBe(false);
    expect(isLiveName('toString')).toBe(false);
  });

  it('every entry has a chapter component', async () => {
    for (const [name, entry] of entries) expect(typeof (await entry.chapter()).default, name).toBe('function');
  });

  it('every command line is named by its entry and says its usage', async () => {
    for (const [name, entry] of entries.filter(([, e]) => e.cli)) {
      const command = (await entry.cli!()).default;
      expect(command.usage.trimStart().startsWith(`${name} `), name).toBe(true);
      expect(typeof command.run).toBe('function');
    }
  });

  it('embed names are unique, lower case (the URL is read in lower case) and after the playground’s', () => {
    expect(EXPERIMENT_EMBEDS).toEqual(expect.arrayContaining(['capacity', 'multihop', 'optimizers']));
    expect(EMBEDS).toEqual([...PLAYGROUND_EMBEDS, ...EXPERIMENT_EMBEDS]);
    expect(new Set(EMBEDS).size).toBe(EMBEDS.length);
    for (const name of EMBEDS) expect(name).toBe(name.toLowerCase());
  });
});
