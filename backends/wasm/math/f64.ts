/**
 * Float64 building blocks for the functions that are rare in elementwise kernels (pow, the
 * trigonometric and inverse trigonometric functions, sinh, cosh): each f32x4 argument is widened
 * into two f64x2 halves, the function is evaluated there to about 1e-13 relative error, and the
 * halves are rounded back to float32. Rounding a result that accurate leaves at most a hair over
 * half an ulp, so these functions need no float32 error analysis, and float64's range absorbs the
 * intermediate overflows and underflows of float32 arguments.
 */
import { EXP_F64, LN2_HI_F64, LN2_LO_F64, LOG_F64 } from "./coefficients.js";
import { type Body, type Ex, f64, HIGH_HALF, i64, JOIN_LOW, v128 } from "./dsl.js";

export const SIGN64 = -(2n ** 63n);
/** 1.5·2^52: adding it rounds a float64 of magnitude below 2^51 to an integer held in the low bits. */
const MAGIC = 1.5 * 2 ** 52;
const MAGIC_BITS = 0x4338000000000000n;

/** e^t for f64x2 t (clamped to ±700, far beyond float32's range, which keeps 2^n normal). */
export function exp64(b: Body, t: Ex): Ex {
  const tc = b.let(f64.clamp(t, -700, 700));
  // nm = n + MAGIC: n in the low bits of its representation, and n as a float64 once MAGIC is removed.
  const nm = b.let(f64.add(f64.mul(tc, f64.c(Math.LOG2E)), f64.c(MAGIC)));
  const n = b.let(f64.sub(nm, f64.c(MAGIC)));
  const r = b.let(f64.sub(f64.sub(tc, f64.mul(n, f64.c(LN2_HI_F64))), f64.mul(n, f64.c(LN2_LO_F64))));
  // The exponent field n + 1023 is the low 11 bits of bits(nm) + 1023, shifted into place.
  const scale = i64.shl(i64.add(nm, i64.c(1023n)), 52);
  return f64.mul(f64.poly(r, [1, 1, ...EXP_F64]), scale);
}

/**
 * log a for f64x2 a ≥ 0 (or NaN): a = 2^k·m with m in [√½, √2) from the bits, f = m − 1, and
 * log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)), s = f/(2 + f). log 0 = −∞, log ∞ = ∞, log NaN = NaN.
 */
export function log64(b: Body, a: Ex): Ex {
  const SQRT_HALF_BITS = 0x3fe6a09e667f3bcdn;
  const d = b.let(i64.sub(a, i64.c(SQRT_HALF_BITS)));
  // k from the arithmetic shift; as a float64 through the MAGIC bias.
  const kf = b.let(f64.sub(i64.add(i64.shrS(d, 52), i64.c(MAGIC_BITS)), f64.c(MAGIC)));
  const m = i64.add(v128.and(d, i64.c(0x000fffffffffffffn)), i64.c(SQRT_HALF_BITS));
  const f = b.let(f64.sub(m, f64.c(1)));
  const s = b.let(f64.div(f, f64.add(f, f64.c(2))));
  const z = b.let(f64.mul(s, s));
  const hfsq = b.let(f64.mul(f64.mul(f, f), f64.c(0.5)));
  const logm = f64.add(f64.sub(f, hfsq), f64.mul(s, f64.add(hfsq, f64.mul(z, f64.poly(z, LOG_F64)))));
  const y = f64.add(f64.mul(kf, f64.c(Math.LN2)), logm);
  const ok = v128.and(f64.gt(a, f64.c(0)), f64.lt(a, f64.c(Number.POSITIVE_INFINITY)));
  const special = v128.select(f64.eq(a, f64.c(0)), f64.c(Number.NEGATIVE_INFINITY), a);
  return v128.select(ok, y, special);
}

/** The low (lanes 0, 1) and high (lanes 2, 3) halves of an f32x4, widened to f64x2. */
export function widen(b: Body, x: Ex): [Ex, Ex] {
  return [b.let(f64.promoteLow(x)), b.let(f64.promoteLow(v128.shuffle(x, x, HIGH_HALF)))];
}

/** Rounds two f64x2 halves to float32 and joins them into one f32x4. */
export function narrow(b: Body, lo: Ex, hi: Ex): Ex {
  const l = b.let(f64.demote(lo));
  const h = b.let(f64.demote(hi));
  return v128.shuffle(l, h, JOIN_LOW);
}

/** f32x4 → f32x4 through an f64x2 kernel applied to each half. */
export function perHalf(b: Body, x: Ex, kernel: (h: Ex) => Ex): Ex {
  const [lo, hi] = widen(b, x);
  const rlo = b.let(kernel(lo));
  const rhi = b.let(kernel(hi));
  return narrow(b, rlo, rhi);
}

/** (f32x4, f32x4) → f32x4 through a binary f64x2 kernel applied to each half. */
export function perHalf2(b: Body, x: Ex, y: Ex, kernel: (a: Ex, c: Ex) => Ex): Ex {
  const [xlo, xhi] = widen(b, x);
  const [ylo, yhi] = widen(b, y);
  const rlo = b.let(kernel(xlo, ylo));
  const rhi = b.let(kernel(xhi, yhi));
  return narrow(b, rlo, rhi);
}
