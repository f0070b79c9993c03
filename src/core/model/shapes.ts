/**
 * The model's configuration, weight names and shapes, and parameter count: plain TypeScript with no
 * tfjs, so that the page's main thread can size a model without loading TensorFlow.js (model.ts
 * re-exports all of it).
 */
export interface ModelConfig {
  /** Entities (subjects = attributes). */
  n: number;
  /** Relations. */
  r: number;
  /** Embedding dimension. */
  d: number;
  /** MLP width. */
  m: number;
  /** Attention heads; d must be a multiple of it. */
  heads: number;
  /** Longest sequence: 1 + the most hops (2 for single-hop facts). */
  seqLen: number;
}

export const WEIGHT_NAMES = [
  'subjectEmbedding',
  'relationEmbedding',
  'positionEmbedding',
  'attention.query',
  'attention.key',
  'attention.value',
  'attention.output',
  'mlp.in',
  'mlp.bias',
  'mlp.out',
  'attributeVectors',
] as const;

export type WeightName = (typeof WEIGHT_NAMES)[number];
export type WeightArrays = Record<WeightName, Float32Array>;

export function weightShapes(c: ModelConfig): Record<WeightName, number[]> {
  return {
    subjectEmbedding: [c.n, c.d],
    relationEmbedding: [c.r, c.d],
    positionEmbedding: [c.seqLen, c.d],
    'attention.query': [c.d, c.d],
    'attention.key': [c.d, c.d],
    'attention.value': [c.d, c.d],
    'attention.output': [c.d, c.d],
    'mlp.in': [c.d, c.m],
    'mlp.bias': [c.m],
    'mlp.out': [c.m, c.d],
    attributeVectors: [c.n, c.d],
  };
}

export function parameterCount(c: ModelConfig): number {
  const shapes = weightShapes(c);
  return WEIGHT_NAMES.reduce((sum, name) => sum + shapes[name].reduce((a, b) => a * b, 1), 0);
}
