import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assembleKernels, kernelsModuleSource } from './assemble';

describe('SIMD kernels module', () => {
  it('kernelsWasm.ts is kernels.wat assembled (run `npm run build:simd` after editing the .wat)', async () => {
    const bytes = await assembleKernels();
    expect(WebAssembly.validate(bytes)).toBe(true);
    const committed = readFileSync(fileURLToPath(new URL('./kernelsWasm.ts', import.meta.url)), 'utf8');
    expect(committed).toBe(kernelsModuleSource(bytes));
  });
});
