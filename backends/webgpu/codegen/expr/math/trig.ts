/**
 * sin, cos and tan in float32 for every finite argument. Arguments beyond π/4 are reduced exactly
 * (Payne–Hanek): x·2/π is formed in integer arithmetic from x's 24-bit significand and a 96-bit
 * window of 2/π's bits, which gives the quadrant and at least 64 bits of the fraction whatever
 * x's size (float32's worst case cancels about 30 of them); the fraction times π/2 becomes a
 * double-float32 r in [−π/4, π/4]. The kernels are Taylor polynomials (truncation below 2^-35)
 * that fold in r's low part; cos forms 1 − r²/2 error-free first. tan is sin/cos of the same r.
 */
import { helper, INF_NAN, LAUNDER, NAN, POW2 } from "../helpers.js";
import { DF_DIV, FAST_TWO_SUM, TWO_PROD, TWO_SUM } from "./df.js";

/**
 * 2/π's binary fraction after 26 zero bits, in 32-bit words (most significant first), so that the
 * window for exponent e starts at bit e + 1 (test/webgpu/expr-math.test.ts recomputes these).
 */
export const TWO_OVER_PI_WORDS = [
  0x00000028, 0xbe60db93, 0x91054a7f, 0x09d5f47d, 0x4d377036, 0xd8a5664f, 0x10e4107f, 0x9458eaf7, 0xaef1586d,
] as const;

const hex = (w: number): string => `0x${w.toString(16).padStart(8, "0")}u`;

/** The 64-bit product a·b as (low word, high word), from 16-bit halves. */
const MUL_WIDE = helper(
  "gx_mul_wide",
  `
fn gx_mul_wide(a: u32, b: u32) -> vec2<u32> {
  let al = a & 0xffffu;
  let ah = a >> 16u;
  let bl = b & 0xffffu;
  let bh = b >> 16u;
  let ll = al * bl;
  let lh = al * bh;
  let hl = ah * bl;
  let mid = (ll >> 16u) + (lh & 0xffffu) + (hl & 0xffffu);
  return vec2<u32>((ll & 0xffffu) | (mid << 16u), ah * bh + (lh >> 16u) + (hl >> 16u) + (mid >> 16u));
}`,
);

/**
 * For finite ax > π/4: (r_hi, r_lo, q) with ax = q·π/2 + r (q mod 4), |r| <= π/4, r = r_hi + r_lo
 * to about 2^-40 relative.
 */
const TRIG_REDUCE = helper(
  "gx_trig_reduce",
  `
fn gx_trig_reduce(ax: f32, z: u32) -> vec3f {
  var t = array<u32, 9>(${TWO_OVER_PI_WORDS.map(hex).join(", ")});
  let b = bitcast<u32>(ax);
  let m = (b & 0x007fffffu) | 0x00800000u;
  // The window starts at bit e + 1 of the table, e = unbiased exponent >= -1: bits of x·2/π
  // above the window's weight are multiples of 4, so P = m·window holds x·2/π mod 4 with its
  // binary point 94 bits up.
  let s = (b >> 23u) - 126u;
  let w = s >> 5u;
  let sh = s & 31u;
  var win: array<u32, 3>;
  for (var i = 0u; i < 3u; i++) {
    win[i] = (t[w + i] << sh) | select(t[w + i + 1u] >> (32u - sh), 0u, sh == 0u);
  }
  let p2 = gx_mul_wide(m, win[2]);
  let p1 = gx_mul_wide(m, win[1]);
  let p0 = gx_mul_wide(m, win[0]);
  let w0 = p2.x;
  let w1 = p2.y + p1.x;
  let c1 = select(0u, 1u, w1 < p2.y);
  let w2 = p1.y + p0.x + c1;
  var q = w2 >> 30u;
  // The top 64 bits of the 94-bit fraction, read as a signed number: a fraction >= 1/2 becomes
  // fraction − 1 of the next quadrant.
  var hi = (w2 << 2u) | (w1 >> 30u);
  var lo = (w1 << 2u) | (w0 >> 30u);
  let negative = hi >= 0x80000000u;
  if (negative) {
    q += 1u;
    lo = ~lo + 1u;
    hi = ~hi + select(0u, 1u, lo == 0u);
  }
  // Normalize the magnitude and take its top 24 and next 24 bits as exact floats.
  var lz = countLeadingZeros(hi);
  if (hi == 0u) { hi = lo; lo = 0u; lz = 32u + countLeadingZeros(hi); }
  let l = lz & 31u;
  let h2 = (hi << l) | select(lo >> (32u - l), 0u, l == 0u);
  let l2 = lo << l;
  let fh = f32(h2 >> 8u) * gx_pow2(-24 - i32(lz));
  let fl = f32(((h2 & 0xffu) << 16u) | (l2 >> 16u)) * gx_pow2(-48 - i32(lz));
  // r = (fh + fl)·π/2, π/2 = 0x3fc90fdb + 0xb33bbd2e.
  let pio2h = bitcast<f32>(0x3fc90fdbu);
  let pio2l = bitcast<f32>(0xb33bbd2eu);
  let p = gx_two_prod(fh, pio2h, z);
  var r = gx_fast_two_sum(p.x, gx_o(p.y + gx_o(fh * pio2l + fl * pio2h, z), z), z);
  if (negative) { r = -r; }
  return vec3f(r.x, r.y, f32(q & 3u));
}`,
  [MUL_WIDE, POW2, TWO_PROD, FAST_TWO_SUM, LAUNDER],
);

/** sin(h + l) for |h| <= π/4, |l| <= ulp(h), as a double-float (its .x is the rounded result). */
const SIN_KERNEL = helper(
  "gx_sin_kernel",
  `
fn gx_sin_kernel(h: f32, l: f32, z: u32) -> vec2f {
  let w = h * h;
  let p = w * (-0.16666667 + w * (0.008333334 + w * (-0.0001984127 + w * (2.7557319e-6 + w * -2.5052108e-8))));
  return gx_fast_two_sum(h, gx_o(h * p + l * (1.0 - 0.5 * w), z), z);
}`,
  [LAUNDER, FAST_TWO_SUM],
);

/** cos(h + l) for |h| <= π/4, |l| <= ulp(h), as a double-float (its .x is the rounded result). */
const COS_KERNEL = helper(
  "gx_cos_kernel",
  `
fn gx_cos_kernel(h: f32, l: f32, z: u32) -> vec2f {
  let h2 = gx_two_prod(h, h, z);
  let w = h2.x;
  let tail = w * w * (0.041666668 + w * (-0.0013888889 + w * (2.4801588e-5 + w * (-2.7557319e-7 + w * 2.0876757e-9))));
  let s = gx_two_sum(1.0, -0.5 * w, z);
  return gx_fast_two_sum(s.x, gx_o(s.y + (tail - 0.5 * h2.y - h * l), z), z);
}`,
  [TWO_PROD, TWO_SUM, FAST_TWO_SUM, LAUNDER],
);

/** (r_hi, r_lo, quadrant) of |x| (no reduction within π/4). */
const REDUCE_ANY = helper(
  "gx_trig_arg",
  `
fn gx_trig_arg(ab: u32, z: u32) -> vec3f {
  if (ab <= 0x3f490fdbu) { return vec3f(bitcast<f32>(ab), 0.0, 0.0); }
  return gx_trig_reduce(bitcast<f32>(ab), z);
}`,
  [TRIG_REDUCE],
);

export const SIN = helper(
  "gx_sin",
  `
fn gx_sin(x: f32, z: u32) -> f32 {
  let b = bitcast<u32>(x);
  let ab = b & 0x7fffffffu;
  if (ab >= 0x7f800000u) { return ${NAN}; }
  if (ab == 0u) { return x; }
  let r = gx_trig_arg(ab, z);
  let q = u32(r.z);
  var s = select(gx_sin_kernel(r.x, r.y, z), gx_cos_kernel(r.x, r.y, z), (q & 1u) != 0u).x;
  if ((q & 2u) != 0u) { s = -s; }
  return select(s, -s, b >= 0x80000000u);
}`,
  [INF_NAN, REDUCE_ANY, SIN_KERNEL, COS_KERNEL],
);

export const COS = helper(
  "gx_cos",
  `
fn gx_cos(x: f32, z: u32) -> f32 {
  let ab = bitcast<u32>(x) & 0x7fffffffu;
  if (ab >= 0x7f800000u) { return ${NAN}; }
  let r = gx_trig_arg(ab, z);
  let q = u32(r.z);
  let c = select(gx_cos_kernel(r.x, r.y, z), gx_sin_kernel(r.x, r.y, z), (q & 1u) != 0u).x;
  return select(c, -c, ((q + 1u) & 2u) != 0u);
}`,
  [INF_NAN, REDUCE_ANY, SIN_KERNEL, COS_KERNEL],
);

export const TAN = helper(
  "gx_tan",
  `
fn gx_tan(x: f32, z: u32) -> f32 {
  let b = bitcast<u32>(x);
  let ab = b & 0x7fffffffu;
  if (ab >= 0x7f800000u) { return ${NAN}; }
  if (ab == 0u) { return x; }
  let r = gx_trig_arg(ab, z);
  let s = gx_sin_kernel(r.x, r.y, z);
  let c = gx_cos_kernel(r.x, r.y, z);
  // The quotient of the double-floats, rounded once.
  let t = select(gx_df_div(s, c, z).x, -gx_df_div(c, s, z).x, (u32(r.z) & 1u) != 0u);
  return select(t, -t, b >= 0x80000000u);
}`,
  [INF_NAN, REDUCE_ANY, SIN_KERNEL, COS_KERNEL, DF_DIV],
);
