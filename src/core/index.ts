/** The core, in one import: facts, model, training, construction, evaluation and weight files. */
export * from './prng';
export * from './facts';
export * from './params';
export * from './model';
export * from './backends';
export * from './construct';
export * from './evaluate';
export * from './train';
export * from './weights';
export * from './measure';
export * from './transfer';
export * from './multihop';
export * from './capacity';
