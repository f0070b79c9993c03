import { describe, expect, it } from 'vitest';
import { TimeShare } from './timeShare';

describe('TimeShare', () => {
  it('waits its floor until a run was timed, then long enough that the job takes its share of the time', () => {
    const share = new TimeShare(0.05, 350);
    expect(share.waitMs).toBe(350);
    share.took(10);
    expect(share.waitMs).toBe(350); // cheap job: the floor rules
    const slow = new TimeShare(0.05, 350);
    slow.took(400);
    expect(slow.waitMs).toBeCloseTo(7600);
    expect(400 / (400 + slow.waitMs)).toBeCloseTo(0.05);
  });

  it('follows the recent cost as a moving average', () => {
    const share = new TimeShare(0.1, 0);
    share.took(100);
    share.took(300);
    expect(share.waitMs).toBeCloseTo(200 * 9);
  });

  it('a share of 1 means no limit beyond the floor', () => {
    const share = new TimeShare(1, 50);
    share.took(1000);
    expect(share.waitMs).toBe(50);
  });
});
