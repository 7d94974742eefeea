/**
 * log and log1p on f32x4, in float32 arithmetic.
 *
 * u = 2^k·m with m in [√½, √2) (taken from the bits: subtracting the bits of √½ before the shift
 * moves the binade boundary there), f = m − 1 (exact), s = f/(2 + f), and
 * log(1 + f) = f − f²/2 + s·(f²/2 + R(s²)) with 2·atanh(s) = 2s + s·R(s²): the leading f is exact
 * and the correction is small, so the result is accurate relative to log(1 + f) even near u = 1.
 * Then log u = k·LN2_HI + (log(1 + f) + k·LN2_LO), with k·LN2_HI exact.
 */
import { LN2_HI_F32, LN2_LO_F32, LOG_F32 } from "./coefficients.js";
import { type Body, type Ex, f32, i32, v128 } from "./dsl.js";
import { SIGN32 } from "./exp.js";

/** Bits of float32(√½) = 0.70710677. */
const SQRT_HALF_BITS = 0x3f3504f3;
const FLT_MIN = 2 ** -126;

/**
 * log u for positive finite u (other lanes give garbage that `fixLog` replaces), plus `extra`, a
 * small term added before the last rounding. `subnormals`: u may be subnormal (it is scaled by 2^23
 * first); log1p never needs that.
 */
function logPositive(b: Body, u: Ex, subnormals: boolean, extra?: Ex): Ex {
  let bits = u;
  let sub: Ex | undefined;
  if (subnormals) {
    sub = b.let(f32.lt(u, f32.c(FLT_MIN)));
    bits = b.let(v128.select(sub, f32.mul(u, f32.c(2 ** 23)), u));
  }
  const d = b.let(i32.sub(bits, i32.c(SQRT_HALF_BITS)));
  let k = i32.shrS(d, 23);
  if (sub) k = i32.sub(k, v128.and(sub, i32.c(23)));
  const kf = b.let(f32.fromI32(k));
  const m = i32.add(v128.and(d, i32.c(0x7fffff)), i32.c(SQRT_HALF_BITS));
  const f = b.let(f32.sub(m, f32.c(1)));
  const s = b.let(f32.div(f, f32.add(f, f32.c(2))));
  const z = b.let(f32.mul(s, s));
  const hfsq = b.let(f32.mul(f32.mul(f, f), f32.c(0.5)));
  let tail = f32.add(f32.mul(s, f32.add(hfsq, f32.mul(z, f32.poly(z, LOG_F32)))), f32.mul(kf, f32.c(LN2_LO_F32)));
  if (extra) tail = f32.add(tail, extra);
  return f32.add(f32.mul(kf, f32.c(LN2_HI_F32)), f32.sub(f, f32.sub(hfsq, tail)));
}

/** Math.log's special values where u is not positive and finite: log ±0 = −∞, log ∞ = ∞, else NaN. */
function fixLog(u: Ex, y: Ex): Ex {
  // Positive finite (subnormals included) is bits − 1 < 0x7f7fffff, unsigned.
  const ok = i32.ltU(i32.sub(u, i32.c(1)), i32.c(0x7f7fffff));
  const special = v128.select(
    f32.eq(u, f32.c(0)),
    f32.c(Number.NEGATIVE_INFINITY),
    v128.select(f32.lt(u, f32.c(0)), f32.c(Number.NaN), u),
  );
  return v128.select(ok, y, special);
}

/** Positive, normal and finite: bits − 0x00800000 < 0x7f000000, unsigned. */
const isNormal = (u: Ex): Ex => i32.ltU(i32.sub(u, i32.c(0x00800000)), i32.c(0x7f000000));

/**
 * Math.log. Vectors of positive normal numbers (the usual case) take a branch without the
 * subnormal scaling and the special-value selects.
 */
export function log(b: Body, x: Ex): Ex {
  return b.branch(
    v128.allTrue32(isNormal(x)),
    () => logPositive(b, x, false),
    () => fixLog(x, logPositive(b, x, true)),
  );
}

/**
 * Math.log1p: u = 1 + x rounds, and err = (1 + x) − u (exact, TwoSum) is put back as err/u, the
 * first-order change of log u; for tiny x, log u = 0 and the result is err = x. The result has
 * the sign of x, so or-ing in the sign bit of x restores log1p(−0) = −0 and changes nothing else.
 */
export function log1p(b: Body, x: Ex): Ex {
  const one = f32.c(1);
  const u = b.let(f32.add(x, one));
  const bp = b.let(f32.sub(u, one));
  const err = b.let(f32.add(f32.sub(one, f32.sub(u, bp)), f32.sub(x, bp)));
  const y = b.branch(
    v128.allTrue32(isNormal(u)),
    () => logPositive(b, u, false, f32.div(err, u)),
    () => fixLog(u, logPositive(b, u, false, f32.div(err, u))),
  );
  return v128.or(y, v128.and(x, i32.c(SIGN32)));
}
