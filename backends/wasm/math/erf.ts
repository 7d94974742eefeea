/**
 * erf on f32x4, in float32 arithmetic. |x| < 1: erf x = x·P(x²), accurate relative to tiny and
 * subnormal x. 1 ≤ |x|: erf x = 1 − e^{−x²}·Q(x − 2.5) with x clamped to 4 (erf rounds to 1 in
 * float32 from 3.92 on); Q is fitted in x − 2.5, where its Horner evaluation is well conditioned
 * (in x itself the terms cancel a thousandfold). The sign of x (−0 included) is put back bitwise.
 */
import { ERF_F32, ERFC_F32 } from "./coefficients.js";
import { type Body, type Ex, f32, i32, v128 } from "./dsl.js";
import { expF32, SIGN32 } from "./exp.js";

/** Math-style erf, matching the reference backend's float64 erf rounded to float32. */
export function erf(b: Body, x: Ex): Ex {
  const ax = b.let(f32.abs(x));
  const t = b.let(f32.mul(ax, ax));
  const small = f32.mul(ax, f32.poly(t, ERF_F32));
  const xb = b.let(f32.atMost(ax, 4));
  const e = expF32(b, f32.neg(f32.mul(xb, xb)), false);
  const u = b.let(f32.sub(xb, f32.c(2.5)));
  const large = f32.sub(f32.c(1), f32.mul(e, f32.estrin(u, b.let(f32.mul(u, u)), ERFC_F32)));
  const y = v128.select(f32.lt(ax, f32.c(1)), small, large);
  return v128.or(y, v128.and(x, i32.c(SIGN32)));
}
