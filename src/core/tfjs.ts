/**
 * TensorFlow.js as the browser build ships it: what `@tensorflow/tfjs` gives us minus what never
 * runs here. The umbrella also bundles the Layers API, the converter, tf.data and the WebGL backend
 * (about 1.5 MB of the 2.4 MB worker); our code uses only tfjs-core's ops, autodiff and optimizers.
 * vite.config.ts resolves every `@tensorflow/tfjs` import of the page's build to this module, so the
 * sources keep importing the package by its name (Node — CLI, tests, bench — keeps the umbrella: the
 * same tfjs-core code either way). The wasm backend comes in through src/core/training/backends.ts;
 * WebGPU and WebGL load only when chosen (src/worker/backendChoice.ts).
 */
import '@tensorflow/tfjs-core';
// Side-effect modules the umbrella imports too: gradients of every op (tf.variableGrads, optimizers)
// and the chained methods on tensors (x.reshape(…)).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
// The plain-JS backend: the last resort, and the one tfjs-core falls back to on its own.
import '@tensorflow/tfjs-backend-cpu';

export * from '@tensorflow/tfjs-core';
