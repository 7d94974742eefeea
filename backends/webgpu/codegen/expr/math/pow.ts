/**
 * pow in float32 with JS's Math.pow rules (x^±0 = 1 even for NaN, (±1)^±∞ = NaN, signed zeros
 * and infinities by the parity of integer exponents, NaN for a negative base and a non-integer
 * exponent). Integer exponents up to 64 in magnitude multiply out by binary exponentiation in
 * double-float32 with the binary exponent kept apart (so 3^3 is exactly 27 and no intermediate
 * overflows); other exponents go through 2^(y·log2|x|) with log2 as a double-float32 (the atanh
 * series with its first two terms in double-float) and the exponent split into an integer and a
 * double-float fraction — about 2^-40 relative error before the final rounding.
 */
import { f32Const, helper, INF, INF_NAN, LAUNDER, NAN, SCALE } from "../helpers.js";
import { DF_ADD, DF_DIV, DF_MUL, FAST_TWO_SUM, TWO_PROD, TWO_SUM } from "./df.js";
import { LOG_REDUCE } from "./log.js";

function df(v: number): string {
  const hi = Math.fround(v);
  return `vec2f(${f32Const(hi)}, ${f32Const(v - hi)})`;
}

/** log2 x as a double-float, for finite x > 0. */
const LOG2_DF = helper(
  "gx_log2_df",
  `
fn gx_log2_df(x: f32, z: u32) -> vec2f {
  let r = gx_log_reduce(x);
  let f = r.y;
  // ln m = 2s + 2s·s²·(1/3 + s²/5 + …), s = f/(2 + f), |s| <= 0.172.
  let s = gx_df_div(vec2f(f, 0.0), gx_two_sum(2.0, f, z), z);
  let s2 = gx_df_mul(s, s, z);
  let w = s2.x;
  let t = w * (0.2 + w * (0.14285715 + w * (0.11111111 + w * (0.09090909 + w * 0.07692308))));
  let tail = gx_df_add(${df(1 / 3)}, vec2f(t, 0.0), z);
  let two_s = 2.0 * s;
  let ln_m = gx_df_add(two_s, gx_df_mul(gx_df_mul(two_s, s2, z), tail, z), z);
  return gx_df_add(vec2f(r.x, 0.0), gx_df_mul(ln_m, ${df(Math.LOG2E)}, z), z);
}`,
  [LOG_REDUCE, DF_DIV, TWO_SUM, DF_MUL, DF_ADD],
);

/** x^y for finite x > 0 and a double-float y (any finite value). */
const POW_POSITIVE = helper(
  "gx_pow_positive",
  `
fn gx_pow_positive(x: f32, y: vec2f, z: u32) -> f32 {
  let t = gx_df_mul(gx_log2_df(x, z), y, z);
  if (t.x >= 128.5) { return ${INF}; }
  if (t.x <= -151.0) { return 0.0; }
  let n = round(t.x);
  let f = gx_fast_two_sum(gx_o(t.x - n, z), t.y, z);
  let g = gx_df_mul(f, ${df(Math.LN2)}, z);
  // e^(g.x + g.y) = 1 + g.x + g.x²/2 + g.x³·Q(g.x) + g.y·(1 + g.x): the leading sum error-free
  // (g.x² exact too), the small terms together, one rounding at the end.
  let h = g.x;
  let h2 = gx_two_prod(h, h, z);
  let q3 = h * h2.x * (0.16666667 + h * (0.041666668 + h * (0.008333334 + h * (0.0013888889
    + h * (0.0001984127 + h * (2.4801588e-5 + h * 2.7557319e-6))))));
  let s1 = gx_two_sum(1.0, h, z);
  let s2 = gx_two_sum(s1.x, 0.5 * h2.x, z);
  let small = gx_o(gx_o(s1.y + s2.y, z) + gx_o(0.5 * h2.y + q3, z), z) + g.y * (1.0 + h);
  return gx_scale(s2.x + gx_o(small, z), i32(n));
}`,
  [LOG2_DF, DF_MUL, FAST_TWO_SUM, TWO_PROD, TWO_SUM, LAUNDER, INF_NAN, SCALE],
);

/** x^n for finite x > 0 and 0 < |n| <= 64: double-float significands, separate exponents. */
const POWI = helper(
  "gx_powi",
  `
fn gx_powi(x: f32, n: i32, z: u32) -> f32 {
  var bits = bitcast<u32>(x);
  var e = -127;
  if (bits < 0x00800000u) { bits = bitcast<u32>(x * 8388608.0); e = -150; }
  e += i32(bits >> 23u);
  var b = vec2f(bitcast<f32>((bits & 0x007fffffu) | 0x3f800000u), 0.0);
  var acc = vec2f(1.0, 0.0);
  var acc_e = 0;
  var k = u32(abs(n));
  loop {
    if ((k & 1u) != 0u) {
      acc = gx_df_mul(acc, b, z);
      acc_e += e;
      if (acc.x >= 2.0) { acc *= 0.5; acc_e += 1; }
    }
    k >>= 1u;
    if (k == 0u) { break; }
    b = gx_df_mul(b, b, z);
    e *= 2;
    if (b.x >= 2.0) { b *= 0.5; e += 1; }
  }
  if (n < 0) {
    acc = gx_df_div(vec2f(1.0, 0.0), acc, z);
    acc_e = -acc_e;
    if (acc.x < 1.0) { acc *= 2.0; acc_e -= 1; }
  }
  return gx_scale(acc.x + acc.y, acc_e);
}`,
  [DF_MUL, DF_DIV, SCALE],
);

/**
 * x^(yh + yl) by Math.pow's rules; `yint`: y is an integer, `yodd`: an odd one (the caller
 * knows: a static exponent, or yh's bits).
 */
export const POW_FULL = helper(
  "gx_pow_full",
  `
fn gx_pow_full(x: f32, yh: f32, yl: f32, yint: bool, yodd: bool, z: u32) -> f32 {
  let bx = bitcast<u32>(x);
  let by = bitcast<u32>(yh);
  let ax = bx & 0x7fffffffu;
  let ay = by & 0x7fffffffu;
  if (ay > 0x7f800000u) { return ${NAN}; }
  if (ay == 0u) { return 1.0; }
  if (ax > 0x7f800000u) { return ${NAN}; }
  let ypos = by < 0x80000000u;
  let xneg = bx >= 0x80000000u;
  if (ay == 0x7f800000u) {
    if (ax == 0x3f800000u) { return ${NAN}; }
    return select(0.0, ${INF}, (ax > 0x3f800000u) == ypos);
  }
  var r: f32;
  if (ax == 0u || ax == 0x7f800000u) {
    // 0^y and ∞^y are 0 or ∞: ∞ for 0 to a negative power and ∞ to a positive one.
    r = select(0.0, ${INF}, (ax == 0u) != ypos);
  } else if (xneg && !yint) {
    return ${NAN};
  } else if (ax == 0x3f800000u) {
    r = 1.0;
  } else if (ay >= 0x71800000u) {
    // |y| >= 2^100 (an even integer): |y·log2|x|| >= 2^76, so the result is 0 or ∞.
    r = select(0.0, ${INF}, (ax > 0x3f800000u) == ypos);
  } else if (yint && ay <= 0x42800000u) {
    r = gx_powi(bitcast<f32>(ax), i32(yh), z);
  } else {
    r = gx_pow_positive(bitcast<f32>(ax), vec2f(yh, yl), z);
  }
  return select(r, -r, xneg && yodd);
}`,
  [INF_NAN, POWI, POW_POSITIVE],
);

export const POW = helper(
  "gx_pow",
  `
fn gx_pow(x: f32, y: f32, z: u32) -> f32 {
  let ay = abs(y);
  // Floats from 2^23 up are integers, and even from 2^24 up.
  let yint = ay >= 8388608.0 || floor(y) == y;
  let yodd = yint && ay < 16777216.0 && (i32(y) & 1) != 0;
  return gx_pow_full(x, y, 0.0, yint, yodd, z);
}`,
  [POW_FULL],
);
