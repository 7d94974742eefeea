/**
 * float32 `rem`, C's fmod (the reference's JS `%`): exact, so it is computed on the significands
 * as integers by binary long division (one step per bit of exponent difference, at most ~280),
 * and the remainder — representable, as every fmod result is — is packed back without rounding.
 * The result has x's sign (±0 included); NaN for x infinite or y zero; x when |x| < |y|.
 */
import { helper, INF_NAN, NAN } from "../helpers.js";

/** (significand with bit 23 set, exponent e) with |x| = m·2^(e − 150), for a finite nonzero magnitude. */
const UNPACK = helper(
  "gx_unpack",
  `
fn gx_unpack(a: u32) -> vec2<i32> {
  if (a < 0x00800000u) {
    let s = countLeadingZeros(a) - 8u;
    return vec2<i32>(i32(a << s), 1 - i32(s));
  }
  return vec2<i32>(i32((a & 0x007fffffu) | 0x00800000u), i32(a >> 23u));
}`,
);

export const FMOD = helper(
  "gx_fmod",
  `
fn gx_fmod(x: f32, y: f32) -> f32 {
  let bx = bitcast<u32>(x);
  let sx = bx & 0x80000000u;
  let ax = bx & 0x7fffffffu;
  let ay = bitcast<u32>(y) & 0x7fffffffu;
  if (ax >= 0x7f800000u || ay > 0x7f800000u || ay == 0u) { return ${NAN}; }
  if (ax < ay) { return x; }
  let ux = gx_unpack(ax);
  let uy = gx_unpack(ay);
  let my = u32(uy.x);
  var r = u32(ux.x);
  for (var k = ux.y - uy.y; k > 0; k--) {
    if (r >= my) { r -= my; }
    r <<= 1u;
  }
  if (r >= my) { r -= my; }
  if (r == 0u) { return bitcast<f32>(sx); }
  let s = countLeadingZeros(r) - 8u;
  let e = uy.y - i32(s);
  r <<= s;
  if (e <= 0) { return bitcast<f32>(sx | (r >> u32(1 - e))); }
  return bitcast<f32>(sx | (u32(e) << 23u) | (r & 0x007fffffu));
}`,
  [UNPACK, INF_NAN],
);
