/**
 * exp and expm1 in float32. Both reduce x = n·ln2 + r with |r| <= ln2/2 (Cody–Waite: ln2's high
 * part has 15 significant bits, so n·hi and x − n·hi are exact) and evaluate e^r − 1 by its
 * Taylor polynomial (degree 9: truncation below 2^-30 relative). exp scales 1 + p by 2^n in two
 * exact steps (subnormal results round once). expm1 keeps the reduction's rounding error c and
 * sums (2^n − 1) + 2^n·r exactly, so results near 0 are accurate relative to themselves: for
 * |x| <= ln2/2 it is the polynomial itself, with no cancellation.
 */
import { helper, INF, INF_NAN, IS_NAN, LAUNDER, POW2, SCALE } from "../helpers.js";
import { TWO_SUM } from "./df.js";

/** ln 2 = LN2_HI + LN2_LO; LN2_HI has 15 significant bits. */
export const LN2_HI = "bitcast<f32>(0x3f317200u)";
export const LN2_LO = "bitcast<f32>(0x35bfbe8eu)";

/** e^r − 1 − r for |r| <= 0.35 (the quadratic and higher Taylor terms). */
export const EXPM1_TAIL = helper(
  "gx_expm1_tail",
  `
fn gx_expm1_tail(r: f32) -> f32 {
  let q = 0.5 + r * (0.16666667 + r * (0.041666668 + r * (0.008333334 + r * (0.0013888889
    + r * (0.0001984127 + r * (2.4801588e-5 + r * 2.7557319e-6))))));
  return r * r * q;
}`,
);

export const EXP = helper(
  "gx_exp",
  `
fn gx_exp(x: f32, z: u32) -> f32 {
  if (gx_isnan(x)) { return x; }
  if (x > 89.0) { return ${INF}; }
  if (x < -104.0) { return 0.0; }
  let n = round(x * 1.442695);
  let r = gx_o(x - n * ${LN2_HI}, z) - n * ${LN2_LO};
  return gx_scale(1.0 + gx_o(r + gx_expm1_tail(r), z), i32(n));
}`,
  [IS_NAN, INF_NAN, LAUNDER, EXPM1_TAIL, SCALE],
);

export const EXPM1 = helper(
  "gx_expm1",
  `
fn gx_expm1(x: f32, z: u32) -> f32 {
  // NaN, and ±0 (x + tail would lose the sign of −0).
  if (gx_isnan(x) || (bitcast<u32>(x) & 0x7fffffffu) == 0u) { return x; }
  if (abs(x) <= 0.34657359) { return x + gx_o(gx_expm1_tail(x), z); }
  // Beyond these, 1 is below the result's rounding (or e^x below half an ulp of −1).
  if (x > 88.0 || x < -16.0) { return gx_exp(x, z) - 1.0; }
  let n = round(x * 1.442695);
  let hi = gx_o(x - n * ${LN2_HI}, z);
  let lo = n * ${LN2_LO};
  let r = gx_o(hi - lo, z);
  let c = gx_o(gx_o(hi - r, z) - lo, z);
  let q = gx_expm1_tail(r);
  let t = gx_pow2(i32(n));
  // e^x − 1 = (t − 1) + t·r + t·(q + c·(1 + r)); t − 1 and t·r are exact, their sum error-free.
  let s = gx_two_sum(t - 1.0, t * r, z);
  return s.x + gx_o(s.y + t * (q + c * (1.0 + r)), z);
}`,
  [IS_NAN, LAUNDER, EXPM1_TAIL, EXP, POW2, TWO_SUM],
);
