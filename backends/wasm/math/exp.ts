/**
 * exp, expm1, tanh and logistic on f32x4, in float32 arithmetic throughout (these are the hot ones
 * of fused elementwise kernels).
 *
 * Reduction: x = k·ln2 + r with k = nearest(x·log2 e) and |r| ≤ ln2/2 (plus a rounding), r
 * computed as (x − k·LN2_HI) − k·LN2_LO where k·LN2_HI is exact (LN2_HI has 16 bits) and the first
 * difference is exact (Sterbenz), so r carries only the last rounding. k is rounded by adding
 * 1.5·2^23, which leaves k in the low bits of the sum (cheaper than f32x4.nearest followed by
 * i32x4.trunc_sat_f32x4_s, which V8 expands to several instructions on x64). Then e^x = 2^k·e^r with
 * 2^k built in the exponent field. Results that are subnormal or in the top binade need k outside
 * [-126, 127]; there 2^k is applied as two factors 2^⌊k/2⌋·2^(k−⌊k/2⌋), so the product rounds
 * once, into the subnormal range when it must (no flush to zero).
 */
import { EXP_F32, EXPM1_F32, LN2_HI_F32, LN2_LO_F32 } from "./coefficients.js";
import { type Body, type Ex, f32, i32, v128 } from "./dsl.js";

export const SIGN32 = 0x80000000 | 0;
/** 1.5·2^23: adding it to a float32 of magnitude below 2^22 rounds it to an integer k, held in the low bits. */
const MAGIC = 12582912;
const MAGIC_BITS = 0x4b400000;

/**
 * 2^k as f32x4 for k in [-126, 127], from `km` = k + MAGIC: the exponent field is the low 9 bits
 * of bits(km) + 127 (the bits of MAGIC itself are shifted out).
 */
const pow2 = (km: Ex): Ex => i32.shl(i32.add(km, i32.c(127)), 23);

/** km = k + MAGIC (k = nearest(x·log2 e)) and r = x − k·ln2, bound to locals. */
function reduce(b: Body, x: Ex): { km: Ex; r: Ex } {
  const km = b.let(f32.add(f32.mul(x, f32.c(Math.LOG2E)), f32.c(MAGIC)));
  const k = b.let(f32.sub(km, f32.c(MAGIC)));
  const r = b.let(f32.sub(f32.sub(x, f32.mul(k, f32.c(LN2_HI_F32))), f32.mul(k, f32.c(LN2_LO_F32))));
  return { km, r };
}

/** p·2^k for k in [-252, 254] as two exact-or-once-rounded scalings (km = k + MAGIC). */
function scaleWide(b: Body, p: Ex, km: Ex): Ex {
  const k = b.let(i32.sub(km, i32.c(MAGIC_BITS)));
  const k1 = b.let(i32.shrS(k, 1));
  return f32.mul(f32.mul(p, i32.shl(i32.add(k1, i32.c(127)), 23)), i32.shl(i32.add(i32.sub(k, k1), i32.c(127)), 23));
}

/**
 * e^x. `wide`: any x (clamped to [-104, 88.8], beyond which the float32 result is 0 or ∞ anyway),
 * with subnormal results and the top binade; otherwise the caller guarantees x in [-87, 88]
 * (normal results), which saves the second scaling.
 */
export function expF32(b: Body, x: Ex, wide: boolean): Ex {
  const xc = b.let(wide ? f32.clamp(x, -104, 88.8) : x);
  const { km, r } = reduce(b, xc);
  const p = expPoly(b, r);
  return wide ? scaleWide(b, p, km) : f32.mul(p, pow2(km));
}

/** e^r ≈ 1 + (r + r²·P(r)) for |r| ≤ ln2/2: the small terms are summed first, then 1 is added. */
function expPoly(b: Body, r: Ex): Ex {
  const r2 = b.let(f32.mul(r, r));
  return f32.add(f32.c(1), f32.add(r, f32.mul(r2, f32.estrin(r, r2, EXP_F32))));
}

/**
 * e^x − 1 = 2^k·(q − (2^-k − 1)) with q = e^r − 1 = r + r²·P(r): for k = 0 the result is q itself,
 * accurate relative to tiny x; elsewhere the sum is at least ~0.35 in magnitude (no cancellation)
 * and the scaling is exact. x is clamped to [-30, 88.8] (expm1 is −1 in float32 below −17.4, and
 * ∞ above 88.73). `nonPositive`: the caller guarantees x ≤ 0 or NaN, so k ≤ 0 and one scaling
 * suffices. The sign of a zero result is the caller's business (r loses it).
 */
export function expm1F32(b: Body, x: Ex, nonPositive: boolean): Ex {
  const xc = b.let(nonPositive ? f32.atLeast(x, -30) : f32.clamp(x, -30, 88.8));
  const { km, r } = reduce(b, xc);
  const r2 = b.let(f32.mul(r, r));
  const q = f32.add(r, f32.mul(r2, f32.estrin(r, r2, EXPM1_F32)));
  // t = 2^-k − 1, from the exponent field 127 − k; for k ≥ 127, 2^-k is clamped to 2^-126, where t
  // rounds to −1 all the same.
  let tExp = i32.sub(i32.c(MAGIC_BITS + 127), km);
  if (!nonPositive) tExp = i32.maxS(tExp, i32.c(1));
  const qt = f32.sub(q, f32.sub(i32.shl(tExp, 23), f32.c(1)));
  return nonPositive ? f32.mul(qt, pow2(km)) : scaleWide(b, qt, km);
}

/** Math.exp. */
export function exp(b: Body, x: Ex): Ex {
  return expF32(b, x, true);
}

/**
 * Math.expm1. Its result has the sign of x, so or-ing in the sign bit of x restores −0 (the
 * reduction turns −0 into +0) and changes nothing else.
 */
export function expm1(b: Body, x: Ex): Ex {
  return v128.or(expm1F32(b, x, false), v128.and(x, i32.c(SIGN32)));
}

/**
 * Math.tanh: tanh|x| = −e/(2 + e) with e = expm1(−2|x|) in [−1, 0], so the relative accuracy of
 * expm1 near 0 carries over to tiny x (unlike 1 − 2/(e^{2x} + 1)), and e → −1 gives 1 for large
 * |x|. The sign of x (−0 included) is put back with a bitwise or.
 */
export function tanh(b: Body, x: Ex): Ex {
  // −2|x| as (x with the sign bit set)·2.
  const e = b.let(expm1F32(b, f32.mul(v128.or(x, i32.c(SIGN32)), f32.c(2)), true));
  // |e| rather than −e: e may be +0, and the magnitude must stay +0 before the sign is applied.
  const t = f32.div(f32.abs(e), f32.add(e, f32.c(2)));
  return v128.or(t, v128.and(x, i32.c(SIGN32)));
}

/**
 * logistic(x) = 1/(1 + e^-x), computed as (x ≥ 0 ? 1 : e)/(1 + e) with e = e^-|x| in (0, 1]: no
 * overflow, and relative accuracy for very negative x, where the result is e/(1 + e). Numerator
 * and denominator are both scaled by 2^64 (e' = 2^64·e is normal down to x = −104, where the
 * result rounds to 0), so subnormal results come out of the division, rounded once, and the
 * exponential needs a single scaling.
 */
export function logistic(b: Body, x: Ex): Ex {
  const TWO64 = 2 ** 64;
  // −|x| as x with the sign bit set; below −104 the result is 0 (and 2^(k+64) stays normal).
  const xc = b.let(f32.atLeast(v128.or(x, i32.c(SIGN32)), -104));
  const { km, r } = reduce(b, xc);
  const e = b.let(f32.mul(expPoly(b, r), i32.shl(i32.add(km, i32.c(127 + 64)), 23)));
  return f32.div(v128.select(f32.ge(x, f32.c(0)), f32.c(TWO64), e), f32.add(e, f32.c(TWO64)));
}
