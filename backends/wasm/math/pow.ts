/**
 * pow on f32x4, evaluated in float64 (see f64.ts) as e^{y·log|x|}: log|x| has a relative error
 * near 1e-15 and |y·log|x|| stays below ~104 wherever the float32 result is finite and nonzero, so
 * the exponent is off by ~1e-13 at most. Special cases follow Math.pow (ECMAScript
 * Number::exponentiate), and most come out of the arithmetic: log 0 = −∞ and log ∞ = ∞ give the
 * zero and infinite results, ±∞·0 = NaN gives pow(±1, ±∞) = NaN (as in JavaScript, unlike C).
 * The rest are selected: pow(x, ±0) = 1 for every x (NaN included); a negative base (−0 and −∞
 * included) with an odd integer exponent gives the negated result; a negative finite base with a
 * finite non-integer exponent gives NaN.
 */
import { type Body, type Ex, f64, i64, v128 } from "./dsl.js";
import { exp64, log64, perHalf2, SIGN64 } from "./f64.js";

/** Math.pow(x, y). */
export function pow(b: Body, x: Ex, y: Ex): Ex {
  return perHalf2(b, x, y, (xh, yh) => {
    const e = exp64(b, f64.mul(yh, log64(b, f64.abs(xh))));
    // Integers: floor(y) = y (±∞ included, NaN excluded); odd: and y/2 is not an integer.
    const fy = f64.floor(yh);
    const isInt = b.let(f64.eq(fy, yh));
    const odd = v128.and(isInt, f64.ne(f64.mul(f64.floor(f64.mul(yh, f64.c(0.5))), f64.c(2)), yh));
    const negative = i64.ltS(xh, i64.c(0n));
    const signed = v128.xor(e, v128.and(v128.and(negative, odd), i64.c(SIGN64)));
    const negFinite = v128.and(f64.lt(xh, f64.c(0)), f64.gt(xh, f64.c(Number.NEGATIVE_INFINITY)));
    const nan = v128.andNot(negFinite, isInt);
    const r = v128.select(nan, f64.c(Number.NaN), signed);
    return v128.select(f64.eq(yh, f64.c(0)), f64.c(1), r);
  });
}
