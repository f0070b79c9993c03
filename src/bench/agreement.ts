/**
 * Loss-curve agreement over the first 100 steps of S from the same initial weights, at the bench's lr
 * and at lr = 0.001: ours and JAX against PyTorch 2 (1 core), next to how far PyTorch moves from
 * itself (1 vs 2 threads, float32 vs float64), and JAX against PyTorch both in float64 (the same maths
 * agrees there to ~1e-15). At lr 0.01 the curve is sensitive to rounding once it falls fast (PyTorch's
 * float32 and float64 curves part by ~4e-2), so only lr 0.001 can judge a float32 implementation; there
 * JAX's float32 curve still parts from PyTorch's by ~2e-3 after step 40 (measured 2026-11-30), while
 * its gradients match float64 to ~1e-6: XLA's float32 rounding, not a different model.
 */
import { anchorRun, type AnchorPythons } from './anchors';
import { BENCH_CONFIGS } from './configs';
import { pinnedNodeRun, type RunFigures } from './node';

export type Agreement = Record<string, number>;

const maxGap = (a: RunFigures, b: RunFigures) =>
  Math.max(...Array.from({ length: Math.min(100, a.losses.length, b.losses.length) }, (_, i) => Math.abs(a.losses[i] - b.losses[i])));

export function lossAgreement(pythons: AnchorPythons, options: { twoCores: boolean; autodiff: boolean }): Agreement {
  const out: Agreement = {};
  if (!pythons.python) return out;
  const torchName = `PyTorch ${pythons.torch}`;
  const jaxName = `JAX ${pythons.jax} jit`;
  const note = (label: string) => process.stderr.write(`bench: loss agreement: ${label}…\n`);
  for (const lr of [BENCH_CONFIGS[0].lr, 0.001]) {
    const run = { ...BENCH_CONFIGS[0], lr, steps: 100, seconds: 120 };
    note(`lr ${lr}`);
    const torch = anchorRun(run, 'torch', 1, pythons);
    const jax = anchorRun(run, 'jax', 1, pythons);
    const ours = pinnedNodeRun(run, 'wasm', { autodiff: false, simdKernels: true });
    out[`ours (node wasm, SIMD kernels) vs ${torchName}, lr ${lr}`] = maxGap(torch, ours);
    out[`ours vs ${jaxName}, lr ${lr}`] = maxGap(jax, ours);
    out[`${jaxName} vs ${torchName}, lr ${lr}`] = maxGap(torch, jax);
    if (options.autodiff) out[`tfjs autodiff (node wasm) vs ${torchName}, lr ${lr}`] = maxGap(torch, pinnedNodeRun(run, 'wasm', { autodiff: true, simdKernels: false }));
    if (options.twoCores) out[`${torchName} 1 vs 2 threads, lr ${lr}`] = maxGap(torch, anchorRun(run, 'torch', 2, pythons));
    const torch64 = anchorRun(run, 'torch', 1, pythons, { dtype: 'float64' });
    out[`${torchName} float64 vs float32, lr ${lr}`] = maxGap(torch, torch64);
    // Same maths: in float64 the two frameworks agree to rounding, whatever float32 does.
    out[`${jaxName} float64 vs ${torchName} float64, lr ${lr}`] = maxGap(torch64, anchorRun(run, 'jax', 1, pythons, { dtype: 'float64' }));
    if (pythons.historical) out[`PyTorch ${pythons.historical.version} (historical) vs ${torchName}, lr ${lr}`] = maxGap(torch, anchorRun(run, 'torch-historical', 1, pythons));
  }
  return out;
}
