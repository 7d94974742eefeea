/**
 * The `numpy` namespace: NumPy/JAX names and semantics (broadcasting, negative axes, keepdims,
 * dtype promotion), all composed from graft's primitives so every function is differentiable,
 * batchable and jittable.
 */

export * from "./creation.js";
export * from "./elementwise.js";
export * from "./reductions.js";
export * from "./shape.js";
export * from "./linalg.js";
export { linalg } from "./linalg/index.js";
export * from "./indexing.js";
export * from "./take.js";
export * from "./join.js";
export * from "./einsum.js";
export * from "./matrix-shape.js";
export * from "./grid-shift.js";
export * from "./math-extra.js";
export * from "./predicates.js";
export * from "./nan-reductions.js";
export * from "./counting.js";
export * from "./rounding.js";
// rounding.ts's round adds JAX's `decimals`; this named export takes precedence over elementwise.ts's.
export { round } from "./rounding.js";
export * from "./io.js";
export * from "./sorting.js";
export * from "./sorting-cumulative.js";
export * from "./sorting-unique.js";
export * from "./sorting-quantile.js";
export { convolve, correlate, type ConvolveOptions } from "./convolve.js";
export type { DType } from "../core/dtype.js";
export { Array } from "../core/array.js";
export type { ArrayOrScalar } from "../core/array.js";
