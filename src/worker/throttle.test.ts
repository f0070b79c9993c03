import { describe, expect, it } from 'vitest';
import { Throttle, type ThrottleClock } from './throttle';

function fakeClock() {
  let t = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let next = 1;
  const clock: ThrottleClock = {
    now: () => t,
    setTimeout: (fn, ms) => {
      timers.push({ at: t + ms, fn, id: next });
      return next++;
    },
    clearTimeout: (id) => {
      timers = timers.filter((x) => x.id !== id);
    },
  };
  const advance = (ms: number) => {
    const end = t + ms;
    for (;;) {
      const due = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      t = due.at;
      timers = timers.filter((x) => x !== due);
      due.fn();
    }
    t = end;
  };
  return { clock, advance };
}

describe('Throttle', () => {
  it('sends at most one value per interval, always the latest, and none is lost', () => {
    const { clock, advance } = fakeClock();
    const sent: { value: number; at: number }[] = [];
    const throttle = new Throttle<number>((value) => sent.push({ value, at: clock.now() }), 100, clock);
    for (let i = 0; i < 1000; i++) {
      throttle.update(i);
      advance(3); // 3 s of updates every 3 ms
    }
    advance(200);
    expect(sent[0]).toEqual({ value: 0, at: 0 });
    expect(sent[sent.length - 1].value).toBe(999);
    for (let i = 1; i < sent.length; i++) expect(sent[i].at - sent[i - 1].at).toBeGreaterThanOrEqual(100);
    expect(sent.length).toBeLessThanOrEqual(31);
  });

  it('flush sends the pending value at once; discard drops it', () => {
    const { clock, advance } = fakeClock();
    const sent: number[] = [];
    const throttle = new Throttle<number>((v) => sent.push(v), 100, clock);
    throttle.update(1);
    throttle.update(2);
    throttle.flush();
    expect(sent).toEqual([1, 2]);
    throttle.update(3);
    throttle.discard();
    advance(500);
    expect(sent).toEqual([1, 2]);
  });
});
