/**
 * sinh and cosh on f32x4, evaluated in float64 (see f64.ts): e^|x| does not overflow there, so the
 * float32 overflow threshold (|x| ≈ 89.42, where e^|x|/2 passes the float32 maximum) comes out of
 * the final rounding.
 */
import { SINH_F64 } from "./coefficients.js";
import { type Body, type Ex, f64, i32, v128 } from "./dsl.js";
import { SIGN32 } from "./exp.js";
import { exp64, perHalf } from "./f64.js";

/** Math.cosh: (e + 1/e)/2 with e = e^|x|. */
export function cosh(b: Body, x: Ex): Ex {
  return perHalf(b, x, (h) => {
    const e = b.let(exp64(b, f64.abs(h)));
    return f64.mul(f64.add(e, f64.div(f64.c(1), e)), f64.c(0.5));
  });
}

/**
 * Math.sinh: |x| < 1: x + x³·P(x²) (accurate relative to tiny x, where (e − 1/e)/2 cancels);
 * beyond, (e − 1/e)/2 with e = e^|x|. The sign of x (−0 included) is put back bitwise.
 */
export function sinh(b: Body, x: Ex): Ex {
  const y = perHalf(b, x, (h) => {
    const a = b.let(f64.abs(h));
    const z = b.let(f64.mul(a, a));
    const small = f64.add(a, f64.mul(f64.mul(a, z), f64.poly(z, SINH_F64)));
    const e = b.let(exp64(b, a));
    const large = f64.mul(f64.sub(e, f64.div(f64.c(1), e)), f64.c(0.5));
    return v128.select(f64.lt(a, f64.c(1)), small, large);
  });
  return v128.or(y, v128.and(x, i32.c(SIGN32)));
}
