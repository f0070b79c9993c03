/**
 * The JSON weight format (documented in README.md, "Weight files"):
 *
 *   { "format": "factual-recall-weights", "version": 1,
 *     "config": { "n", "r", "d", "m", "heads", "seqLen" },
 *     "facts": { "n", "r", "seed" },          // the table is regenerated from its seed
 *     "meta": { … free-form: how it was made … },
 *     "tensors": { "<name>": { "shape": [..], "data": [row-major numbers] }, … } }
 *
 * Numbers are written with 9 significant digits, which round-trips float32 exactly.
 */
import type { Facts } from './facts';
import { makeFacts } from './facts';
import type { ModelConfig, WeightArrays, WeightName } from './model';
import { checkConfig, weightShapes, WEIGHT_NAMES } from './model';

export const WEIGHTS_FORMAT = 'factual-recall-weights';
export const WEIGHTS_VERSION = 1;

export interface WeightFile {
  config: ModelConfig;
  facts: { n: number; r: number; seed: number };
  meta: Record<string, unknown>;
  weights: WeightArrays;
}

export function float32ToJson(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) throw new Error(`cannot write ${x} to a weight file`);
  return String(Number(x.toPrecision(9)));
}

/** Writes the file as a sequence of string pieces, so huge tables never become one giant string. */
export function* weightFileChunks(file: WeightFile): Generator<string> {
  const header = {
    format: WEIGHTS_FORMAT,
    version: WEIGHTS_VERSION,
    config: file.config,
    facts: file.facts,
    meta: file.meta,
  };
  const head = JSON.stringify(header);
  yield head.slice(0, -1) + ',"tensors":{';
  const shapes = weightShapes(file.config);
  for (const [i, name] of WEIGHT_NAMES.entries()) {
    yield `${i ? ',' : ''}\n${JSON.stringify(name)}:{"shape":${JSON.stringify(shapes[name])},"data":[`;
    const data = file.weights[name];
    const piece = 65536;
    for (let start = 0; start < data.length; start += piece) {
      const parts: string[] = [];
      for (let j = start; j < Math.min(data.length, start + piece); j++) parts.push(float32ToJson(data[j]));
      yield (start ? ',' : '') + parts.join(',');
    }
    yield ']}';
  }
  yield '}}\n';
}

export function serializeWeights(file: WeightFile): string {
  return [...weightFileChunks(file)].join('');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks a parsed JSON value and returns the weights; throws an Error whose message says what is wrong. */
export function parseWeightFile(json: unknown): WeightFile {
  if (!isObject(json)) throw new Error('weight file: expected a JSON object');
  if (json.format !== WEIGHTS_FORMAT) throw new Error(`weight file: "format" must be "${WEIGHTS_FORMAT}"`);
  if (json.version !== WEIGHTS_VERSION) throw new Error(`weight file: unsupported version ${JSON.stringify(json.version)} (expected ${WEIGHTS_VERSION})`);
  if (!isObject(json.config)) throw new Error('weight file: missing "config"');
  const c = json.config;
  const config: ModelConfig = {
    n: c.n as number,
    r: c.r as number,
    d: c.d as number,
    m: c.m as number,
    heads: c.heads as number,
    seqLen: c.seqLen as number,
  };
  try {
    checkConfig(config);
  } catch (e) {
    throw new Error(`weight file: ${(e as Error).message}`);
  }
  if (!isObject(json.facts)) throw new Error('weight file: missing "facts"');
  const f = json.facts;
  if (f.n !== config.n || f.r !== config.r) throw new Error('weight file: "facts" n and r must match "config"');
  if (!Number.isInteger(f.seed) || (f.seed as number) < 0 || (f.seed as number) > 4294967295) {
    throw new Error('weight file: "facts.seed" must be an integer from 0 to 4294967295');
  }
  if (!isObject(json.tensors)) throw new Error('weight file: missing "tensors"');
  const shapes = weightShapes(config);
  const weights = {} as WeightArrays;
  for (const name of WEIGHT_NAMES) {
    const t = json.tensors[name];
    if (!isObject(t)) throw new Error(`weight file: missing tensor "${name}"`);
    const shape = t.shape;
    if (!Array.isArray(shape) || shape.length !== shapes[name].length || shape.some((v, i) => v !== shapes[name][i])) {
      throw new Error(`weight file: tensor "${name}" must have shape [${shapes[name]}], got ${JSON.stringify(shape)}`);
    }
    const data = t.data;
    const size = shapes[name].reduce((a, b) => a * b, 1);
    if (!Array.isArray(data) || data.length !== size) {
      throw new Error(`weight file: tensor "${name}" must have ${size} numbers in "data"`);
    }
    const arr = new Float32Array(size);
    for (let i = 0; i < size; i++) {
      const v = data[i];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`weight file: tensor "${name}" has a non-number at index ${i}`);
      arr[i] = v;
    }
    weights[name as WeightName] = arr;
  }
  const extra = Object.keys(json.tensors).filter((k) => !(WEIGHT_NAMES as readonly string[]).includes(k));
  if (extra.length) throw new Error(`weight file: unknown tensor "${extra[0]}"`);
  return {
    config,
    facts: { n: f.n as number, r: f.r as number, seed: f.seed as number },
    meta: isObject(json.meta) ? json.meta : {},
    weights,
  };
}

export function parseWeightText(text: string): WeightFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`weight file: not valid JSON (${(e as Error).message})`);
  }
  return parseWeightFile(json);
}

export function factsOf(file: WeightFile): Facts {
  return makeFacts(file.facts.n, file.facts.r, file.facts.seed);
}
