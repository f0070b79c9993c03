import { describe, expect, it } from 'vitest';
import { countWord, fmtChance, fmtInt, fmtLogTick, fmtLoss, fmtNum, fmtSig, joinAnd, stepTickFormat } from './format';

describe('format', () => {
  it('writes scores with fixed decimals, never -0.00, n/a for non-numbers', () => {
    expect(fmtNum(0.969)).toBe('0.97');
    expect(fmtNum(-0.001)).toBe('0.00');
    expect(fmtNum(-0.5, 1)).toBe('-0.5');
    expect(fmtNum(NaN)).toBe('n/a');
    expect(fmtNum(Infinity)).toBe('n/a');
  });

  it('writes integers with thousands separators', () => {
    expect(fmtInt(16384)).toBe('16,384');
    expect(fmtInt(1999.6)).toBe('2,000');
    expect(fmtInt(0)).toBe('0');
    expect(fmtInt(NaN)).toBe('n/a');
  });

  it('writes significant digits without trailing zeros', () => {
    expect(fmtSig(0.005612, 2)).toBe('0.0056');
    expect(fmtSig(1.5, 3)).toBe('1.5');
    expect(fmtSig(1e-7, 2)).toBe('1e-7');
    expect(fmtSig(NaN, 2)).toBe('n/a');
  });

  it('writes losses and chance levels', () => {
    expect(fmtLoss(5.5512)).toBe('5.55');
    expect(fmtLoss(0.012345)).toBe('0.0123');
    expect(fmtLoss(1.2e-5)).toBe('1.20e-5');
    expect(fmtLoss(0)).toBe('0');
    expect(fmtChance(1 / 64)).toBe('0.02');
    expect(fmtChance(1 / 256)).toBe('0.004');
  });

  it('writes log-axis ticks plainly in [0.001, 10⁴) and as powers outside', () => {
    expect(fmtLogTick(0.05)).toBe('0.05');
    expect(fmtLogTick(20)).toBe('20');
    expect(fmtLogTick(1e-5)).toBe('1e-5');
    expect(fmtLogTick(1e5)).toBe('1e5');
    expect(fmtLogTick(2e-5)).toBe('2e-5');
  });

  it('writes step ticks in one unit per axis', () => {
    expect(stepTickFormat(5000)(1500)).toBe('1,500');
    expect(stepTickFormat(5000)(0.5)).toBe('0.5');
    const k = stepTickFormat(20000);
    expect([0, 2000, 18000].map(k)).toEqual(['0', '2k', '18k']);
    expect(stepTickFormat(2e6)(1.5e6)).toBe('1.5M');
  });

  it('counts in words up to twelve and joins lists', () => {
    expect(countWord(4)).toBe('four');
    expect(countWord(23)).toBe('23');
    expect(joinAnd([])).toBe('');
    expect(joinAnd(['a', 'b', 'c'])).toBe('a, b and c');
  });
});
