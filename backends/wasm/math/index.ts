/**
 * WebAssembly SIMD math: float32x4 transcendental functions emitted into generated modules.
 */
import type { VectorMathFn } from "./f32x4.js";

export { isBinary, VECTOR_MATH_FNS, VectorMath, type VectorMathFn } from "./f32x4.js";

/**
 * The maximum error of each function, in float32 ulps of the reference result (Math.fn computed in
 * float64 and rounded to float32; for erf and logistic, the reference backend's float64 formulas),
 * as measured by test/backends/wasm/math.test.ts and by exhaustive runs over all float32 arguments
 * (pow and atan2: dense grids and random pairs). Special values (±0, ±∞, NaN) match exactly.
 */
export const MATH_ULP_BOUNDS: Readonly<Record<VectorMathFn, number>> = {
  exp: 4,
  expm1: 4,
  log: 4,
  log1p: 4,
  tanh: 4,
  logistic: 4,
  erf: 4,
  sin: 4,
  cos: 4,
  tan: 4,
  sinh: 4,
  cosh: 4,
  atan: 4,
  asin: 4,
  acos: 4,
  pow: 4,
  atan2: 4,
};
