/**
 * WebAssembly SIMD math: float32x4 transcendental functions emitted into generated modules.
 */
import type { VectorMathFn } from "./f32x4.js";

export { isBinary, VECTOR_MATH_FNS, VectorMath, type VectorMathFn } from "./f32x4.js";

/**
 * The maximum error of each function in float32 ulps of the reference result (Math.fn evaluated in
 * float64 and rounded to float32; for erf and logistic, the reference backend's float64 formulas),
 * with the special values (±0, ±∞, NaN) matching exactly. Unary functions: the maximum over all
 * 2^32 float32 arguments (an exhaustive scratch run when this was written). pow and atan2: over
 * 1.5·10^9 random pairs (random bit patterns, moderate magnitudes, bases near 1, integer exponents)
 * and the pairs of special values. test/backends/wasm/math.test.ts checks that its grids and
 * samples stay within these bounds. The float64-evaluated functions (trigonometric, hyperbolic,
 * pow) are within a hair of half an ulp before rounding, hence 1.
 */
export const MATH_ULP_BOUNDS: Readonly<Record<VectorMathFn, number>> = {
  exp: 1,
  expm1: 2,
  log: 1,
  log1p: 1,
  tanh: 2,
  logistic: 2,
  erf: 2,
  sin: 1,
  cos: 1,
  tan: 1,
  sinh: 1,
  cosh: 1,
  atan: 1,
  asin: 1,
  acos: 1,
  pow: 1,
  atan2: 1,
};
