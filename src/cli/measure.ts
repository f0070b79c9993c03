/**
 * `measure`: the geometry of a saved model (docs/science.md §4) — probes (ridge chosen by GCV), the
 * superposition fit beside its relation-symmetric baseline and the control of unrelated bijections,
 * gating, and the knock-out of the units whose selectivity passes SELECTIVITY_THRESHOLD.
 */
import type { BackendName } from '../core/training/backends';
import { INTERPOLATION_RATIO, measureGating, measureKnockout, measureProbes, measureSuperposition, subjectSplit } from '../core/measure/measure';
import { disposeModel, modelFromArrays } from '../core/model/model';
import { factsOf } from '../core/model/weights';
import { parseFlags, requireFlags } from './args';
import { BACKEND_FLAG, printJson, SEED_FLAG, WEIGHTS_FLAG } from './common';
import { readWeightFile, startBackend } from './nodeIo';

const round = (x: number) => Math.round(x * 1e4) / 1e4;

export async function measureCommand(argv: string[]): Promise<number> {
  const flags = parseFlags('measure', argv, { weights: WEIGHTS_FLAG, seed: SEED_FLAG, backend: BACKEND_FLAG });
  requireFlags('measure', flags, ['weights']);
  const file = readWeightFile('measure', flags.weights as string);
  await startBackend(((flags.backend as string) ?? 'wasm') as BackendName);
  const facts = factsOf(file);
  const model = modelFromArrays(file.config, file.weights);
  // The probes' 80/20 split of subjects is seeded by the facts' seed unless --seed says otherwise.
  const split = subjectSplit(facts.n, (flags.seed as number) ?? facts.seed);
  const probe = await measureProbes(model, facts, split);
  const superposition = await measureSuperposition(model, facts, split);
  const gating = await measureGating(model, facts);
  const knockout = await measureKnockout(model, facts, gating);
  disposeModel(model);
  const activeUnits = Array.from(gating.preferred).filter((p) => p >= 0).length;
  const sharedNote = `R·d = ${facts.r * file.config.d} features for ${split.train.length} fitted subjects`;
  printJson({
    config: file.config,
    heldOutSubjects: split.heldOut.length,
    chance: 1 / facts.n,
    probeHeldOutAccuracy: probe.heldOutAccuracy.map(round),
    probeTrainAccuracy: probe.trainAccuracy.map(round),
    // Each relation's ridge, chosen by GCV, relative to mean diag(XᵀX).
    probeLambda: probe.lambda.map((x) => Number(x.toPrecision(3))),
    superpositionR2: round(superposition.heldOutR2),
    superpositionTrainR2: round(superposition.trainR2),
    superpositionBaselineR2: round(superposition.baselineHeldOutR2),
    superpositionControlR2: round(superposition.controlHeldOutR2),
    superpositionFeaturesPerSubject: round(superposition.featuresPerSubject),
    superpositionInterpolates: superposition.interpolates,
    ...(superposition.interpolates
      ? {
          superpositionNote: `${sharedNote} (≥ ${INTERPOLATION_RATIO} per subject): the fit can interpolate, so a low held-out R² may be its variance, not missing structure; unrelated bijections score ${round(superposition.controlHeldOutR2)}`,
        }
      : {}),
    gatingSelectivity: round(gating.meanSelectivity),
    activeUnits,
    unitsByRelation: Array.from({ length: facts.r }, (_, r) => Array.from(gating.preferred).filter((p) => p === r).length),
    knockoutThreshold: knockout.threshold,
    knockoutSelectiveUnits: knockout.unitsRemoved,
    knockoutSharedUnits: knockout.sharedUnits,
    knockoutDeadUnits: knockout.deadUnits,
    knockoutAccuracy: knockout.accuracy.map((row) => row.map(round)),
    knockoutBaseline: knockout.baseline.map(round),
    knockoutDiagonalMean: round(knockout.diagonalMean),
    knockoutOffDiagonalMean: round(knockout.offDiagonalMean),
  });
  return 0;
}
