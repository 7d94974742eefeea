/**
 * atan, atan2, asin and acos in float32. atan reduces |x| to |t| <= 7/16 around the points 0, ½,
 * 1, 3/2 and ∞ (fdlibm's scheme: t = (x − c)/(1 + c·x) with exact numerators) and adds atan(c),
 * a double-float32, to the Taylor polynomial of atan t (degree 21: truncation below 2^-30).
 * atan2 divides |y| by |x| (overflow and underflow round as the true quotient would) and places
 * the angle by the signs, with IEEE atan2's special cases (signed zeros, infinities) decided on
 * the bits. asin and acos use the Taylor series of asin on [0, ½] and, beyond, the identities
 * asin x = π/2 − 2·asin √((1 − x)/2), acos x = 2·asin √((1 − x)/2) or π − 2·asin √((1 + x)/2),
 * with √'s rounding error carried along, so results near ±1 stay accurate.
 */
import { COPYSIGN, f32Const, helper, INF_NAN, IS_NAN, LAUNDER, NAN } from "../helpers.js";
import { FAST_TWO_SUM, TWO_PROD, TWO_SUM } from "./df.js";

/** v as float32 hi + lo. */
function split(v: number): [string, string] {
  const hi = Math.fround(v);
  return [f32Const(hi), f32Const(v - hi)];
}

const [ATAN_HALF_HI, ATAN_HALF_LO] = split(Math.atan(0.5));
const [ATAN_ONE_HI, ATAN_ONE_LO] = split(Math.atan(1));
const [ATAN_3_2_HI, ATAN_3_2_LO] = split(Math.atan(1.5));
const [PI_2_HI, PI_2_LO] = split(Math.PI / 2);
const [PI_HI, PI_LO] = split(Math.PI);

export const ATAN = helper(
  "gx_atan",
  `
fn gx_atan(x: f32, z: u32) -> f32 {
  let ab = bitcast<u32>(x) & 0x7fffffffu;
  if (ab > 0x7f800000u || ab == 0u) { return x; }
  let ax = bitcast<f32>(ab);
  // Beyond 2^26, atan x rounds to π/2 (∞ included).
  if (ab >= 0x4c800000u) { return gx_copysign(${PI_2_HI}, x); }
  var t = ax;
  var hi = 0.0;
  var lo = 0.0;
  if (ax >= 2.4375) {
    t = -1.0 / ax;
    hi = ${PI_2_HI};
    lo = ${PI_2_LO};
  } else if (ax >= 1.1875) {
    t = (ax - 1.5) / (1.0 + 1.5 * ax);
    hi = ${ATAN_3_2_HI};
    lo = ${ATAN_3_2_LO};
  } else if (ax >= 0.6875) {
    t = (ax - 1.0) / (ax + 1.0);
    hi = ${ATAN_ONE_HI};
    lo = ${ATAN_ONE_LO};
  } else if (ax >= 0.4375) {
    t = (2.0 * ax - 1.0) / (2.0 + ax);
    hi = ${ATAN_HALF_HI};
    lo = ${ATAN_HALF_LO};
  }
  let w = t * t;
  let p = w * (0.33333334 - w * (0.2 - w * (0.14285715 - w * (0.11111111 - w * (0.09090909 - w * (0.07692308
    - w * (0.06666667 - w * (0.05882353 - w * (0.05263158 - w * 0.04761905)))))))));
  // atan(c) + atan(t) = hi + (lo + t − t·p), the small terms first.
  return gx_copysign(hi + gx_o(gx_o(lo - t * p, z) + t, z), x);
}`,
  [COPYSIGN, LAUNDER],
);

export const ATAN2 = helper(
  "gx_atan2",
  `
fn gx_atan2(y: f32, x: f32, z: u32) -> f32 {
  if (gx_isnan(x) || gx_isnan(y)) { return ${NAN}; }
  let by = bitcast<u32>(y);
  let bx = bitcast<u32>(x);
  let ay = by & 0x7fffffffu;
  let ax = bx & 0x7fffffffu;
  let west = bx >= 0x80000000u;
  var a: f32;
  if (ay == 0u) {
    a = select(0.0, ${PI_HI}, west);
  } else if (ax == 0u) {
    a = ${PI_2_HI};
  } else if (ax == 0x7f800000u) {
    // ±∞ for x: 0 or π, or the diagonals when y is infinite too.
    if (ay == 0x7f800000u) { a = select(${ATAN_ONE_HI}, 2.3561945, west); } else { a = select(0.0, ${PI_HI}, west); }
  } else if (ay == 0x7f800000u) {
    a = ${PI_2_HI};
  } else {
    a = gx_atan(bitcast<f32>(ay) / bitcast<f32>(ax), z);
    if (west) { a = gx_o(${PI_HI} - a, z) + ${PI_LO}; }
  }
  return gx_copysign(a, y);
}`,
  [IS_NAN, INF_NAN, COPYSIGN, LAUNDER, ATAN],
);

/** Taylor coefficients of asin x = x + x·Σ_{n>=1} c_n·x^(2n), n = 1..12, in Horner form over w = x². */
function asinSeries(): string {
  let a = 1;
  const c: number[] = [];
  for (let n = 1; n <= 12; n++) {
    a *= (2 * n - 1) / (2 * n);
    c.push(a / (2 * n + 1));
  }
  return c.reduceRight((acc, cn) => (acc === "" ? f32Const(cn) : `${f32Const(cn)} + w * (${acc})`), "");
}

/** asin(h + l) for 0 <= h <= 0.5 as a double-float (truncation below 2^-31). */
const ASIN_SMALL = helper(
  "gx_asin_small",
  `
fn gx_asin_small(h: f32, l: f32, z: u32) -> vec2f {
  let w = h * h;
  let p = w * (${asinSeries()});
  return gx_fast_two_sum(h, gx_o(l + h * p, z), z);
}`,
  [FAST_TWO_SUM, LAUNDER],
);

/** asin √t for t in [0, ¼] as a double-float: √t's rounding error carried as a low part. */
const ASIN_SQRT = helper(
  "gx_asin_sqrt",
  `
fn gx_asin_sqrt(t: f32, z: u32) -> vec2f {
  let s = sqrt(t);
  let s2 = gx_two_prod(s, s, z);
  let l = select(gx_o(gx_o(t - s2.x, z) - s2.y, z) / (2.0 * s), 0.0, s == 0.0);
  return gx_asin_small(s, l, z);
}`,
  [TWO_PROD, LAUNDER, ASIN_SMALL],
);

/**
 * hi + lo − 2·a (a a double-float) rounded once; hi + lo is π/2 or π. Used for the identities
 * asin x = π/2 − 2·asin √((1 − x)/2) and acos x = π − 2·asin √((1 + x)/2).
 */
const MINUS_TWICE = helper(
  "gx_minus_twice",
  `
fn gx_minus_twice(hi: f32, lo: f32, a: vec2f, z: u32) -> f32 {
  let s = gx_two_sum(hi, -2.0 * a.x, z);
  return s.x + gx_o(s.y + gx_o(lo - 2.0 * a.y, z), z);
}`,
  [TWO_SUM, LAUNDER],
);

export const ASIN = helper(
  "gx_asin",
  `
fn gx_asin(x: f32, z: u32) -> f32 {
  if (gx_isnan(x)) { return x; }
  let ax = abs(x);
  if (ax > 1.0) { return ${NAN}; }
  if (ax <= 0.5) { return gx_asin_small(x, 0.0, z).x; }
  return gx_copysign(gx_minus_twice(${PI_2_HI}, ${PI_2_LO}, gx_asin_sqrt(0.5 * (1.0 - ax), z), z), x);
}`,
  [IS_NAN, INF_NAN, COPYSIGN, ASIN_SMALL, ASIN_SQRT, MINUS_TWICE],
);

export const ACOS = helper(
  "gx_acos",
  `
fn gx_acos(x: f32, z: u32) -> f32 {
  if (gx_isnan(x)) { return x; }
  if (abs(x) > 1.0) { return ${NAN}; }
  if (x > 0.5) {
    let a = gx_asin_sqrt(0.5 * (1.0 - x), z);
    return 2.0 * a.x + 2.0 * a.y;
  }
  if (x < -0.5) { return gx_minus_twice(${PI_HI}, ${PI_LO}, gx_asin_sqrt(0.5 * (1.0 + x), z), z); }
  // π/2 − asin x, |x| <= ½.
  let a = gx_asin_small(x, 0.0, z);
  let s = gx_two_sum(${PI_2_HI}, -a.x, z);
  return s.x + gx_o(s.y + gx_o(${PI_2_LO} - a.y, z), z);
}`,
  [IS_NAN, INF_NAN, ASIN_SMALL, ASIN_SQRT, MINUS_TWICE, TWO_SUM, LAUNDER],
);
