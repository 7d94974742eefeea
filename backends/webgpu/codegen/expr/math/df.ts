/**
 * Double-float32 arithmetic (an unevaluated sum hi + lo carried as a vec2f): the error-free
 * transformations (Knuth's TwoSum, Dekker's TwoProd with Veltkamp splitting) and the sums,
 * products and quotients the accurate pow, sin/cos reduction and erf build on. WGSL's fma may be
 * unfused on some devices, so products are split instead. Every step is laundered (helpers.ts):
 * these algorithms are only exact as written, and algebraic rewrites would silently undo them.
 */
import { helper, LAUNDER } from "../helpers.js";

/** s + e = a + b exactly. */
export const TWO_SUM = helper(
  "gx_two_sum",
  `
fn gx_two_sum(a: f32, b: f32, z: u32) -> vec2f {
  let s = gx_o(a + b, z);
  let bb = gx_o(s - a, z);
  let ab = gx_o(s - bb, z);
  return vec2f(s, gx_o(a - ab, z) + gx_o(b - bb, z));
}`,
  [LAUNDER],
);

/** s + e = a + b exactly, when |a| >= |b| or a = 0. */
export const FAST_TWO_SUM = helper(
  "gx_fast_two_sum",
  `
fn gx_fast_two_sum(a: f32, b: f32, z: u32) -> vec2f {
  let s = gx_o(a + b, z);
  return vec2f(s, b - gx_o(s - a, z));
}`,
  [LAUNDER],
);

/** a = hi + lo, each with at most 12 significant bits (|a| < 2^115). */
const SPLIT = helper(
  "gx_split",
  `
fn gx_split(a: f32, z: u32) -> vec2f {
  let c = gx_o(4097.0 * a, z);
  let hi = gx_o(c - gx_o(c - a, z), z);
  return vec2f(hi, a - hi);
}`,
  [LAUNDER],
);

/** p + e = a·b exactly (barring overflow, and underflow of the low parts). */
export const TWO_PROD = helper(
  "gx_two_prod",
  `
fn gx_two_prod(a: f32, b: f32, z: u32) -> vec2f {
  let p = gx_o(a * b, z);
  let x = gx_split(a, z);
  let y = gx_split(b, z);
  let t1 = gx_o(gx_o(x.x * y.x, z) - p, z);
  let t2 = gx_o(t1 + gx_o(x.x * y.y, z), z);
  let t3 = gx_o(t2 + gx_o(x.y * y.x, z), z);
  return vec2f(p, t3 + gx_o(x.y * y.y, z));
}`,
  [LAUNDER, SPLIT],
);

/** a + b in double-float32 (relative error about 2^-44 without cancellation). */
export const DF_ADD = helper(
  "gx_df_add",
  `
fn gx_df_add(a: vec2f, b: vec2f, z: u32) -> vec2f {
  let s = gx_two_sum(a.x, b.x, z);
  return gx_fast_two_sum(s.x, gx_o(s.y + gx_o(a.y + b.y, z), z), z);
}`,
  [LAUNDER, TWO_SUM, FAST_TWO_SUM],
);

/** a·b in double-float32. */
export const DF_MUL = helper(
  "gx_df_mul",
  `
fn gx_df_mul(a: vec2f, b: vec2f, z: u32) -> vec2f {
  let p = gx_two_prod(a.x, b.x, z);
  let cross = gx_o(gx_o(a.x * b.y, z) + gx_o(a.y * b.x, z), z);
  return gx_fast_two_sum(p.x, gx_o(p.y + cross, z), z);
}`,
  [LAUNDER, TWO_PROD, FAST_TWO_SUM],
);

/** a / b in double-float32: the float32 quotient and one correction from the exact remainder. */
export const DF_DIV = helper(
  "gx_df_div",
  `
fn gx_df_div(a: vec2f, b: vec2f, z: u32) -> vec2f {
  let q = gx_o(a.x / b.x, z);
  let r = gx_df_add(a, -gx_df_mul(vec2f(q, 0.0), b, z), z);
  return gx_fast_two_sum(q, r.x / b.x, z);
}`,
  [LAUNDER, DF_ADD, DF_MUL, FAST_TWO_SUM],
);
