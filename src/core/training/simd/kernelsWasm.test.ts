import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assembleKernels, assembleStep, expandFma, kernelsModuleSource, stepModuleSource } from './assemble';

const committed = (name: string) => readFileSync(fileURLToPath(new URL(`./${name}`, import.meta.url)), 'utf8');

describe('SIMD kernels modules', () => {
  it('kernelsWasm.ts is kernels.wat assembled (run `npm run build:simd` after editing the .wat)', async () => {
    const bytes = await assembleKernels();
    expect(WebAssembly.validate(bytes)).toBe(true);
    expect(committed('kernelsWasm.ts')).toBe(kernelsModuleSource(bytes));
  });

  it('stepWasm.ts is kernels.wat + step.wat assembled, relaxed and plain', async () => {
    const [relaxed, plain] = await Promise.all([assembleStep(true), assembleStep(false)]);
    expect(WebAssembly.validate(plain)).toBe(true);
    expect(committed('stepWasm.ts')).toBe(stepModuleSource(relaxed, plain));
  });

  it('writes f32x4.fma out as relaxed_madd or as mul then add, nested ones too', () => {
    const wat = '(local.set $x (f32x4.fma (local.get $a) (f32x4.fma (local.get $b) (local.get $c) (local.get $d)) (local.get $e)))';
    expect(expandFma(wat, true)).toBe(
      '(local.set $x (f32x4.relaxed_madd (local.get $a) (f32x4.relaxed_madd (local.get $b) (local.get $c) (local.get $d)) (local.get $e)))',
    );
    expect(expandFma(wat, false)).toBe(
      '(local.set $x (f32x4.add (f32x4.mul (local.get $a) (f32x4.add (f32x4.mul (local.get $b) (local.get $c)) (local.get $d))) (local.get $e)))',
    );
  });
});
