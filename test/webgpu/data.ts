/** Inputs the WebGPU tests share: the same deterministic float32 values on every backend. */

/** Deterministic values in [-1, 1). */
export const values = (n: number, seed: number): Float32Array =>
  Float32Array.from({ length: n }, (_, i) => Math.sin(seed * 12.9898 + i * 78.233) % 1);
