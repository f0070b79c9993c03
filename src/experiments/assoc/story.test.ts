import { describe, expect, it } from 'vitest';
import type { AssocCurvePoint } from './assoc';
import { capacitySentences, detectStages, factsPerParameter, plateauSentence, stageSentences, sweepFrontier, sweepSentences, type SweepCell } from './story';

const LOG32 = Math.log(32);
const LOG8 = Math.log(8);

/** A curve like the notebook's: log 32 to step 1,470, a fall, log 8 from 1,920 to 3,900, recall by 3,960. */
function notebookCurve(every = 10, until = 5000): AssocCurvePoint[] {
  const out: AssocCurvePoint[] = [];
  for (let step = 0; step <= until; step += every) {
    let loss: number;
    let relationLoss: number;
    let accuracy = 0.03;
    if (step <= 1470) {
      loss = LOG32 - 0.01;
      relationLoss = Math.log(4) - 0.01;
    } else if (step < 1920) {
      const t = (step - 1470) / 450;
      loss = LOG32 - t * (LOG32 - LOG8 - 0.15);
      relationLoss = Math.log(4) * (1 - t) + 0.15 * t;
    } else if (step <= 3900) {
      loss = LOG8 + 0.02;
      relationLoss = 0.03;
      accuracy = 0.125;
    } else {
      loss = Math.max(0.01, LOG8 - 0.15 - (step - 3900) / 100);
      relationLoss = 0.01;
      accuracy = step >= 3960 ? 1 : 0.5;
    }
    out.push({ step, loss, relationLoss, subjectLoss: step <= 3900 ? LOG8 : 0.05, accuracy });
  }
  return out;
}

describe('the three stages', () => {
  it('finds the notebook’s stages and names the plateau’s step range', () => {
    const st = detectStages(notebookCurve(), 8, 4);
    // The fall's first points are still within 0.1 of log 32.
    expect(st.nothing).toEqual({ from: 0, to: 1500, open: false });
    expect(st.plateau).toEqual({ from: 1920, to: 3900, open: false });
    expect(st.recall).toEqual({ from: 3910, to: 3960, open: false });
    expect(st.step99).toBe(3960);
    // 99% a little before the loss leaves log D, as in the notebook's run: the recall range starts at the fall.
    const early99 = notebookCurve().map((p) => (p.step >= 3800 ? { ...p, accuracy: 1 } : p));
    const st2 = detectStages(early99, 8, 4);
    expect(st2.recall).toEqual({ from: 3910, to: 3910, open: false });
    expect(stageSentences(st2, 8, 4, false)[2]).toMatch(/^From step 3,910 the loss falls below log 8 = 2\.08; accuracy reached 99% at step 3,800: the model recalls/);
    const text = plateauSentence(st, 8, false);
    expect(text).toMatch(/^From step 1,920 to 3,900 the loss sits at log 8 = 2\.08 while the relation-only loss is below 0\.1 \(0\.03 on average\) and the subject-only loss stays near 2\.08/);
    expect(text).toMatch(/\(1,980 steps\)\.$/);
    const all = stageSentences(st, 8, 4, false);
    expect(all[0]).toMatch(/^From step 0 to 1,500 the loss sits at log 32 = 3\.47/);
    expect(all[2]).toMatch(/^From step 3,910 the loss falls below log 8 = 2\.08; accuracy reaches 99% at step 3,960/);
  });

  it('while running: an open plateau says so, and a run still at log 32 says no plateau yet', () => {
    const st = detectStages(notebookCurve(10, 2500), 8, 4);
    expect(st.plateau).toEqual({ from: 1920, to: 2500, open: true });
    expect(plateauSentence(st, 8, true)).toMatch(/^From step 1,920 \(and still at step 2,500\) the loss sits at log 8/);
    expect(st.recall).toBeNull();
    expect(stageSentences(st, 8, 4, true)[2]).toMatch(/^No recall yet: the loss is 2\.1 and accuracy 0\.13 at step 2,500/);
    const early = detectStages(notebookCurve(10, 1000), 8, 4);
    expect(early.plateau).toBeNull();
    expect(early.nothing).toEqual({ from: 0, to: 1000, open: true });
    expect(plateauSentence(early, 8, true)).toMatch(/^No plateau yet: the loss has not come down to log 8 = 2\.08 \(it is 3\.46 at step 1,000\)/);
  });

  it('a run that never has the relation without the subject has no plateau, and says what it saw instead', () => {
    // Loss falls straight from log 32 to 0, the relation-only loss never below 0.1 near log 8.
    const curve: AssocCurvePoint[] = Array.from({ length: 51 }, (_, i) => {
      const loss = LOG32 * (1 - i / 50);
      return { step: i * 10, loss, relationLoss: loss / 2 + 0.2, subjectLoss: loss / 2, accuracy: i >= 45 ? 1 : i / 50 };
    });
    const st = detectStages(curve, 8, 4);
    expect(st.plateau).toBeNull();
    expect(st.touchedLogD).toBe(true);
    expect(plateauSentence(st, 8, false)).toMatch(/never while the relation-only loss was below 0\.1: no hallucination plateau in this run/);
    expect(st.nothing).toEqual({ from: 0, to: 10, open: false });
    expect(st.recall?.to).toBe(450);
  });

  it('an empty curve, and one that does not start at log(D·R)', () => {
    const st = detectStages([], 8, 4);
    expect(st.nothing).toBeNull();
    expect(stageSentences(st, 8, 4, true)).toEqual(['No step yet.']);
    const low = detectStages([{ step: 0, loss: 1, relationLoss: 0.5, subjectLoss: 0.5, accuracy: 0.5 }], 8, 4);
    expect(stageSentences(low, 8, 4, false)[0]).toMatch(/did not start at log 32 = 3\.47 \(it was 1 at step 0\)/);
  });
});

const cell = (heads: number, width: number, accuracy: number): SweepCell => ({ heads, width, attentionParams: 32 * 8 * heads, mlpParams: 32 * width, accuracy, steps: 100 });

describe('the heads × width map and capacity', () => {
  it('counts the models that store the facts, the smallest, and the frontier', () => {
    const cells = [cell(1, 4, 0.3), cell(1, 16, 1), cell(4, 4, 1), cell(4, 16, 1), cell(8, 4, 1)];
    expect(sweepFrontier(cells).map((c) => [c.heads, c.width])).toEqual([
      [1, 16],
      [4, 4],
      [8, 4],
    ]);
    const s = sweepSentences(cells, 1024);
    expect(s[0]).toBe('4 of 5 models reach 99% accuracy on the 1,024 facts.');
    expect(s[1]).toMatch(/^The smallest that does has 1 head and MLP width 16: 256 attention and 512 MLP parameters, 768 in all \(1\.33 facts per parameter\)\.$/);
    expect(s[2]).toMatch(/^With 1 head the MLP needs width 16; with 8, width 4\. Along that frontier the models have 768 to 2,176 parameters\. More heads let a narrower MLP do/);
    expect(sweepSentences([cell(1, 1, 0.2), cell(2, 1, 0.4)], null)).toEqual(['0 of 2 models reach 99% accuracy.', 'The best, 2 heads and MLP width 1, reaches 0.40.']);
    expect(sweepSentences([], null)).toEqual(['No model measured yet.']);
  });

  it('facts per parameter against A’s 0.15, with our fitted slope', () => {
    const points = [
      { parameters: 1000, facts: 100 },
      { parameters: 4000, facts: 500 },
      { parameters: 16000, facts: 2000 },
    ];
    expect(factsPerParameter(points)).toEqual({ median: 0.125, lo: 0.1, hi: 0.125 });
    const s = capacitySentences(points, { slope: 0.124, intercept: 0, r2: 0.99 });
    expect(s[0]).toBe('3 models from 1,000 to 16,000 parameters store from 100 to 2,000 facts at ≥ 99% accuracy.');
    expect(s[1]).toBe('Facts per parameter: median 0.13 (from 0.10 to 0.13), about A’s reference 0.15.');
    expect(s[2]).toBe('Our fitted slope: 0.12 facts per parameter (least squares through the origin) (R² 0.99), beside A’s 0.15 facts per parameter.');
    expect(capacitySentences([], null)).toEqual(['No model stored its facts yet.']);
  });
});
