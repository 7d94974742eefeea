/**
 * atan, atan2, asin and acos on f32x4, evaluated in float64 (see f64.ts) through one atan2 kernel:
 * asin x = atan2(x, √((1 − x)(1 + x))) and acos x = atan2(√((1 − x)(1 + x)), x), where the product
 * of two float32-derived factors is exact in float64, so nothing cancels near |x| = 1.
 */
import { ATAN_F64 } from "./coefficients.js";
import { type Body, type Ex, f64, i64, v128 } from "./dsl.js";
import { perHalf, perHalf2, SIGN64 } from "./f64.js";

const TAN_PI_8 = Math.SQRT2 - 1;

/**
 * atan2(y, x) on f64x2. t = min(|y|, |x|)/max(|y|, |x|) in [0, 1] (0/0 taken as 0 and ∞/∞ as 1,
 * which give Math.atan2's values for the signed zeros and infinities); t > tan(π/8) is reduced by
 * atan t = π/4 + atan((t − 1)/(t + 1)); then the octant and quadrant are unfolded: π/2 − a when
 * |y| > |x|, π − a when x is negative (−0 included), and the sign of y (−0 included) is applied.
 */
export function atan2Kernel(b: Body, y: Ex, x: Ex): Ex {
  const ay = b.let(f64.abs(y));
  const ax = b.let(f64.abs(x));
  const mn = b.let(f64.min(ay, ax));
  const mx = b.let(f64.max(ay, ax));
  let t: Ex = f64.div(mn, mx);
  t = v128.select(f64.eq(mx, f64.c(0)), f64.c(0), t);
  t = b.let(v128.select(f64.eq(mn, f64.c(Number.POSITIVE_INFINITY)), f64.c(1), t));
  const big = b.let(f64.gt(t, f64.c(TAN_PI_8)));
  const u = b.let(v128.select(big, f64.div(f64.sub(t, f64.c(1)), f64.add(t, f64.c(1))), t));
  const z = b.let(f64.mul(u, u));
  const atanU = f64.add(u, f64.mul(f64.mul(u, z), f64.poly(z, ATAN_F64)));
  let a: Ex = b.let(f64.add(v128.and(big, f64.c(Math.PI / 4)), atanU));
  a = b.let(v128.select(f64.gt(ay, ax), f64.sub(f64.c(Math.PI / 2), a), a));
  a = v128.select(i64.ltS(x, i64.c(0n)), f64.sub(f64.c(Math.PI), a), a);
  return v128.or(a, v128.and(y, i64.c(SIGN64)));
}

/** Math.atan2(y, x). */
export function atan2(b: Body, y: Ex, x: Ex): Ex {
  return perHalf2(b, y, x, (yh, xh) => atan2Kernel(b, yh, xh));
}

/** Math.atan: atan2(x, 1). */
export function atan(b: Body, x: Ex): Ex {
  return perHalf(b, x, (h) => atan2Kernel(b, h, f64.c(1)));
}

/** √((1 − x)(1 + x)) = √(1 − x²) without cancellation (NaN for |x| > 1). */
const cosOfAsin = (b: Body, h: Ex): Ex => b.let(f64.sqrt(f64.mul(f64.sub(f64.c(1), h), f64.add(f64.c(1), h))));

/** Math.asin. */
export function asin(b: Body, x: Ex): Ex {
  return perHalf(b, x, (h) => atan2Kernel(b, h, cosOfAsin(b, h)));
}

/** Math.acos. */
export function acos(b: Body, x: Ex): Ex {
  return perHalf(b, x, (h) => atan2Kernel(b, cosOfAsin(b, h), h));
}
