/**
 * The float32 math library of the WGSL code generator, by primitive, and its accuracy.
 */
import type { WgslHelper } from "../helpers.js";
import { ACOS, ASIN, ATAN, ATAN2 } from "./atan.js";
import { ERF } from "./erf.js";
import { EXP, EXPM1 } from "./exp.js";
import { FMOD } from "./fmod.js";
import { COSH, LOGISTIC, SINH, TANH } from "./hyperbolic.js";
import { LOG, LOG1P } from "./log.js";
import { POW, POW_FULL } from "./pow.js";
import { COS, SIN, TAN } from "./trig.js";

export { FMOD, POW_FULL };

/** Unary float32 primitives computed by a library function `f(x, z)`. */
export const MATH_UNARY: Readonly<Record<string, WgslHelper>> = {
  exp: EXP,
  expm1: EXPM1,
  log: LOG,
  log1p: LOG1P,
  sin: SIN,
  cos: COS,
  tan: TAN,
  asin: ASIN,
  acos: ACOS,
  atan: ATAN,
  sinh: SINH,
  cosh: COSH,
  tanh: TANH,
  logistic: LOGISTIC,
  erf: ERF,
};

/** Binary float32 primitives computed by a library function `f(x, y, z)`. */
export const MATH_BINARY: Readonly<Record<string, WgslHelper>> = { pow: POW, atan2: ATAN2 };

/**
 * The largest error of each float32 function in ulps of the reference result (the reference
 * backend's float64 value rounded to float32; an ulp of a subnormal result is 2^-149, so errors
 * near 0 are relative to the tiny result), as measured on lavapipe over 2^20 random bit patterns
 * per function, dense grids, wide logarithmic sweeps and the neighbourhoods of every branch point
 * (test/webgpu/expr-math.test.ts checks a subset on every run). Special values (±0, ±∞, NaN)
 * match exactly. Measured maxima equal these bounds: the exp/log/trigonometric families and pow
 * are a hair above half an ulp before rounding (double-float32 steps where it matters), so 1;
 * sinh, cosh, tanh, logistic and erf combine two roughly rounded steps, so 2. rsqrt is 1/√x
 * (two roundings); integer_pow is exact for y in {−1, 0, 1, 2} and pow's otherwise (integer
 * exponents up to 64 multiply out in double-float32: 3^3 is 27).
 * The library relies on + − × ÷ √ being correctly rounded and subnormals kept, as on lavapipe and
 * IEEE-conforming GPUs; WGSL itself allows 2.5 ulp for ÷ and √ (and flushing subnormals), which
 * would loosen these on such a device. Everything else (+ − × ÷ √, floor, ceil, round, rem, min,
 * max, comparisons, conversions) is exact: 0.
 */
export const WGSL_ULP_BOUNDS = {
  exp: 1,
  expm1: 1,
  log: 1,
  log1p: 1,
  sin: 1,
  cos: 1,
  tan: 1,
  asin: 1,
  acos: 1,
  atan: 1,
  atan2: 1,
  sinh: 2,
  cosh: 2,
  tanh: 2,
  logistic: 2,
  erf: 2,
  pow: 1,
  integer_pow: 1,
  rsqrt: 1,
} as const;
