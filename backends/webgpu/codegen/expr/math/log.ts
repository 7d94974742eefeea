/**
 * log and log1p in float32. x = 2^k·m with m in [√½, √2), log x = k·ln2 + log(1 + f), f = m − 1
 * exact; log(1 + f) = f − (f²/2 − s·(f²/2 + R(s²))) with s = f/(2 + f) (the atanh series, as
 * fdlibm arranges it so the large terms round last). log1p of x in [√½ − 1, √2 − 1] is that
 * core itself (accurate relative to tiny results); elsewhere u = 1 + x is reduced like log and
 * the rounding error of u corrects the result.
 */
import { helper, INF, INF_NAN, IS_NAN, LAUNDER, NAN } from "../helpers.js";
import { LN2_HI, LN2_LO } from "./exp.js";

/** log(1 + f) for f in [√½ − 1, √2 − 1]. */
const LOG1P_CORE = helper(
  "gx_log1p_core",
  `
fn gx_log1p_core(f: f32, z: u32) -> f32 {
  let s = f / (2.0 + f);
  let w = s * s;
  let r = w * (0.6666667 + w * (0.4 + w * (0.2857143 + w * (0.22222222 + w * 0.18181819))));
  let hfsq = 0.5 * f * f;
  return f - gx_o(hfsq - s * (hfsq + r), z);
}`,
  [LAUNDER],
);

/** (k, m − 1) with x = 2^k·m, m in [√½, √2), for finite x > 0 (subnormals included). */
export const LOG_REDUCE = helper(
  "gx_log_reduce",
  `
fn gx_log_reduce(x: f32) -> vec2f {
  var b = bitcast<u32>(x);
  var k = -127;
  if (b < 0x00800000u) { b = bitcast<u32>(x * 8388608.0); k = -150; }
  k += i32(b >> 23u);
  var m = bitcast<f32>((b & 0x007fffffu) | 0x3f800000u);
  if (m > 1.4142135) { m *= 0.5; k += 1; }
  return vec2f(f32(k), m - 1.0);
}`,
);

export const LOG = helper(
  "gx_log",
  `
fn gx_log(x: f32, z: u32) -> f32 {
  let b = bitcast<u32>(x);
  if (gx_isnan(x) || b == 0x7f800000u) { return x; }
  if ((b & 0x7fffffffu) == 0u) { return -${INF}; }
  if (b >= 0x80000000u) { return ${NAN}; }
  let r = gx_log_reduce(x);
  let k = r.x;
  return k * ${LN2_HI} + gx_o(k * ${LN2_LO} + gx_log1p_core(r.y, z), z);
}`,
  [IS_NAN, INF_NAN, LAUNDER, LOG1P_CORE, LOG_REDUCE],
);

export const LOG1P = helper(
  "gx_log1p",
  `
fn gx_log1p(x: f32, z: u32) -> f32 {
  if (gx_isnan(x) || bitcast<u32>(x) == 0x7f800000u) { return x; }
  if (x == -1.0) { return -${INF}; }
  if (x < -1.0) { return ${NAN}; }
  if (x >= -0.29289323 && x <= 0.41421357) { return gx_log1p_core(x, z); }
  let u = gx_o(1.0 + x, z);
  // log1p(x) = log(u) + c/u, c = (1 + x) − u exactly (whichever of u − 1, u − x is exact).
  var c: f32;
  if (x < 1.0) { c = x - gx_o(u - 1.0, z); } else { c = 1.0 - gx_o(u - x, z); }
  let r = gx_log_reduce(u);
  let k = r.x;
  return k * ${LN2_HI} + gx_o(k * ${LN2_LO} + gx_o(c / u, z) + gx_log1p_core(r.y, z), z);
}`,
  [IS_NAN, INF_NAN, LAUNDER, LOG1P_CORE, LOG_REDUCE],
);
