import { describe, expect, it } from 'vitest';
import { TimeShare } from './timeShare';

describe('TimeShare', () => {
  it('waits its floor until a warm run was timed, then long enough that the job takes its share of the time', () => {
    const share = new TimeShare(0.05, 350);
    expect(share.waitMs).toBe(350);
    share.took(3000); // the first run compiles: not counted
    expect(share.waitMs).toBe(350);
    share.took(10);
    expect(share.waitMs).toBe(350); // a cheap job: the floor rules
    const slow = new TimeShare(0.05, 350);
    slow.took(400);
    slow.took(400);
    expect(slow.waitMs).toBeCloseTo(7600);
    expect(400 / (400 + slow.waitMs)).toBeCloseTo(0.05);
  });

  it('counts the median of the last three runs, so one slow run does not hold the job back', () => {
    const share = new TimeShare(0.1, 0);
    for (const ms of [0, 100, 2000, 200]) share.took(ms);
    expect(share.waitMs).toBeCloseTo(200 * 9);
    for (const ms of [300, 400, 500]) share.took(ms);
    expect(share.waitMs).toBeCloseTo(400 * 9); // the older runs have left the window
  });

  it('a share of 1 means no limit beyond the floor', () => {
    const share = new TimeShare(1, 50);
    share.took(1000);
    share.took(1000);
    expect(share.waitMs).toBe(50);
  });
});
