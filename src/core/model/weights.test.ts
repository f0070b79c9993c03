import { describe, expect, it } from 'vitest';
import { startBackend } from '../../cli/nodeIo';
import { evaluateAccuracy } from '../measure/evaluate';
import { makeFacts } from './facts';
import { createModel, disposeModel, modelFromArrays, readWeights, WEIGHT_NAMES } from './model';
import { train, Trainer } from '../training/train';
import { factsOf, float32ToJson, parseWeightText, serializeWeights } from './weights';

describe('weight files', () => {
  it('export → import → eval gives the same accuracies, bit-exact weights', async () => {
    await startBackend('wasm');
    const config = { n: 48, r: 3, d: 12, m: 32, heads: 1, seqLen: 2 };
    const facts = makeFacts(48, 3, 4);
    const model = createModel(config, 4);
    const trainer = new Trainer(model, facts, { lr: 0.01 });
    await train(trainer, { maxSteps: 25 }); // part-trained: accuracies strictly between 0 and 1
    trainer.dispose();
    const before = await evaluateAccuracy(model, facts);
    const text = serializeWeights({ config, facts: { n: 48, r: 3, seed: 4 }, meta: { test: true }, weights: await readWeights(model) });
    const original = await readWeights(model);
    disposeModel(model);

    const file = parseWeightText(text);
    expect(file.config).toEqual(config);
    for (const name of WEIGHT_NAMES) expect(Array.from(file.weights[name])).toEqual(Array.from(original[name]));
    const loaded = modelFromArrays(file.config, file.weights);
    const after = await evaluateAccuracy(loaded, factsOf(file));
    disposeModel(loaded);
    expect(after.accuracyByRelation).toEqual(before.accuracyByRelation);
    expect(after.loss).toBe(before.loss);
    expect(before.accuracyByRelation.some((a) => a > 0 && a < 1)).toBe(true);
  });

  it('writes float32 values in a form that round-trips exactly', () => {
    const values = new Float32Array([0.1, -1e-30, 3.4e38, 1 / 3, -0, 123456.789]);
    for (const v of values) expect(Math.fround(Number(float32ToJson(v)))).toBe(v === 0 ? 0 : v);
  });

  it.each([
    ['not JSON', '{', /not valid JSON/],
    ['wrong format', '{"format":"x"}', /"format"/],
    ['missing tensor', JSON.stringify({ format: 'factual-recall-weights', version: 1, config: { n: 2, r: 1, d: 1, m: 1, heads: 1, seqLen: 2 }, facts: { n: 2, r: 1, seed: 0 }, tensors: {} }), /missing tensor "subjectEmbedding"/],
    ['bad config', JSON.stringify({ format: 'factual-recall-weights', version: 1, config: { n: 2, r: 1, d: 3, m: 1, heads: 2, seqLen: 2 }, facts: { n: 2, r: 1, seed: 0 }, tensors: {} }), /multiple of heads/],
  ])('rejects a malformed file (%s) with a message', (_label, text, message) => {
    expect(() => parseWeightText(text)).toThrow(message);
  });
});
