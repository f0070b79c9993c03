/** The core, in one import: facts, model, training, construction, evaluation and weight files. */
export * from './model/prng';
export * from './model/facts';
export * from './model/params';
export * from './model/model';
export * from './training/backends';
export * from './model/construct';
export * from './measure/evaluate';
export * from './training/train';
export * from './model/weights';
export * from './measure/measure';
export * from '../experiments/transfer/transfer';
export * from '../experiments/multihop/multihop';
export * from '../experiments/capacity/capacity';
