/**
 * More elementwise math after jax.numpy: inverse hyperbolics, `cbrt`, `exp2`, `sinc`, and the
 * overflow-safe `hypot`, `logaddexp`, `logaddexp2`. Most are compositions whose branches only see
 * inputs from their own region (see `safeSelect`), so their derivatives come from autodiff and stay
 * finite; `hypot` and `logaddexp*` carry JAX's derivative rules (customJvp) so ties, zeros and
 * infinities differentiate exactly.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import * as L from "../core/ops.js";
import { align, asArray, toFloat } from "../core/convert.js";
import { customJvp, type CustomJvp } from "../lax/control/custom-jvp.js";
import { epsOf, filled, safeSelect } from "./surface-helpers.js";

/** Operands promoted to a common float dtype and broadcast to a common shape. */
function floatPair(op: string, x: ArrayOrScalar, y: ArrayOrScalar): [Array, Array] {
  const [a, b] = align(op, toFloat(asArray(x, op)), toFloat(asArray(y, op)));
  return [a!, b!];
}
const floatOf = (op: string, x: ArrayOrScalar): Array => toFloat(asArray(x, op));
const neg = L.neg;
const isInfinite = (x: Array): Array => L.eq(L.unary("abs", x), filled(x, Infinity));

/** Where log(v) + ln 2 equals asinh(v)/acosh(v) to the dtype's precision (1/√eps). */
const bigOf = (x: Array): number => 1 / Math.sqrt(epsOf(x));

/** asinh for v ≥ 0: log1p(v + v²/(1 + √(1 + v²))) is exact near 0; log(v) + ln 2 avoids v² overflow. */
const asinhNonNegative = (v: Array): Array =>
  safeSelect(
    L.gt(v, filled(v, bigOf(v))),
    v,
    (u) => L.add(L.log(u), filled(u, Math.LN2)),
    (u) => {
      const u2 = L.mul(u, u);
      return L.unary("log1p", L.add(u, L.div(u2, L.add(filled(u, 1), L.sqrt(L.add(filled(u, 1), u2))))));
    },
    2,
    0,
  );

/**
 * Inverse hyperbolic sine, odd and accurate for tiny and huge inputs.
 * @example np.arcsinh(np.array([0, 1])) // array([0.       , 0.8813736])
 */
export function arcsinh(x: ArrayOrScalar): Array {
  const a = floatOf("arcsinh", x);
  return safeSelect(L.binary("lt", a, filled(a, 0)), a, (u) => neg(asinhNonNegative(neg(u))), asinhNonNegative, -1, 0);
}

/**
 * Inverse hyperbolic cosine (NaN below 1): log1p(y + √(y(y + 2))) with y = x - 1.
 * @example np.arccosh(np.array([1, 2])) // array([0.       , 1.3169578])
 */
export function arccosh(x: ArrayOrScalar): Array {
  const a = floatOf("arccosh", x);
  return safeSelect(
    L.gt(a, filled(a, bigOf(a))),
    a,
    (u) => L.add(L.log(u), filled(u, Math.LN2)),
    (u) => {
      const y = L.sub(u, filled(u, 1));
      return L.unary("log1p", L.add(y, L.sqrt(L.mul(y, L.add(y, filled(y, 2))))));
    },
    2,
    2,
  );
}

/**
 * Inverse hyperbolic tangent, ½(log1p(x) − log1p(−x)): ±∞ at ±1, NaN beyond.
 * @example np.arctanh(np.array([0, 0.5])) // array([0.       , 0.5493061])
 */
export function arctanh(x: ArrayOrScalar): Array {
  const a = floatOf("arctanh", x);
  const d = L.sub(L.unary("log1p", a), L.unary("log1p", neg(a)));
  return L.mul(d, filled(d, 0.5));
}

/**
 * Real cube root (negative for negative inputs); its derivative at 0 is +∞, as in JAX.
 * @example np.cbrt(np.array([-8, 27])) // array([-2.,  3.])
 */
export function cbrt(x: ArrayOrScalar): Array {
  const a = floatOf("cbrt", x);
  const power = (v: Array): Array => L.pow(v, filled(v, 1 / 3));
  // pow with 1/3 rounded to the dtype is up to ~10 ulps off for tiny or huge v (the rounding error
  // of 1/3 scales with |log v|); one Newton step on r³ = v, written as r − (r − v/r²)/3 so nothing
  // overflows, brings it to within an ulp. Zero and +∞ keep pow's value (and its derivative).
  const newton = (v: Array): Array => {
    const r = power(v);
    return L.sub(r, L.div(L.sub(r, L.div(v, L.mul(r, r))), filled(r, 3)));
  };
  const positive = (v: Array): Array => safeSelect(L.binary("lt", v, filled(v, Infinity)), v, newton, power, 1, 1);
  const root = (v: Array): Array => safeSelect(L.gt(v, filled(v, 0)), v, positive, power, 1, 1);
  return safeSelect(L.binary("lt", a, filled(a, 0)), a, (u) => neg(root(neg(u))), root, -1, 1);
}

/**
 * 2 to the power x (exact at integers).
 * @example np.exp2(np.array([3, -1])) // array([8. , 0.5])
 */
export function exp2(x: ArrayOrScalar): Array {
  const a = floatOf("exp2", x);
  return L.pow(filled(a, 2), a);
}

/** sin(y)/y by its Maclaurin series, for |y| below SINC_SERIES_BOUND (error < 3e-18 there). */
function sincSeries(y: Array): Array {
  const y2 = L.mul(y, y);
  // Horner form of 1 - y²/3! + y⁴/5! - y⁶/7! + y⁸/9!.
  const coeffs = [1 / 362880, -1 / 5040, 1 / 120, -1 / 6, 1];
  return coeffs.slice(1).reduce((acc, c) => L.add(L.mul(acc, y2), filled(y2, c)), filled(y2, coeffs[0]!));
}
const SINC_SERIES_BOUND = 0.1;

/**
 * The normalized sinc, sin(πx)/(πx), with sinc(0) = 1 and a smooth series near 0, so every
 * derivative at 0 is right (the first is 0, the second −π²/3); sinc(±∞) is NaN, as in JAX.
 * @example np.sinc(np.array([0, 0.5])) // array([1.       , 0.6366198])
 */
export function sinc(x: ArrayOrScalar): Array {
  const a = floatOf("sinc", x);
  const finite = (v: Array): Array => {
    const y = L.mul(v, filled(v, Math.PI));
    return safeSelect(
      L.binary("lt", L.unary("abs", y), filled(y, SINC_SERIES_BOUND)),
      y,
      sincSeries,
      (u) => L.div(L.sin(u), u),
      0,
      1,
    );
  };
  // sin(±∞)/±∞ is NaN, as in NumPy and JAX (the limit would be 0).
  return finite(a);
}

/** hypot's value, as in JAX: max·√(1 + (min/max)²), 0 when both are 0, +∞ when either is infinite. */
function hypotValue(x: Array, y: Array): Array {
  const [ax, ay] = [L.unary("abs", x), L.unary("abs", y)];
  const hi = L.binary("max", ax, ay);
  const lo = L.binary("min", ax, ay);
  const zero = L.eq(hi, filled(hi, 0));
  const ratio = L.div(lo, L.select(zero, filled(hi, 1), hi));
  const h = L.select(zero, hi, L.mul(hi, L.sqrt(L.add(filled(ratio, 1), L.mul(ratio, ratio)))));
  return L.select(L.binary("or", isInfinite(x), isInfinite(y)), filled(h, Infinity), h);
}

const hypotRule: CustomJvp<[Array, Array], Array> = customJvp(hypotValue).defJvp(([x, y], [tx, ty]) => {
  const h = hypotRule(x, y);
  const zero = L.eq(h, filled(h, 0));
  const safeH = L.select(zero, filled(h, 1), h);
  const dot = L.add(L.mul(x, tx), L.mul(y, ty));
  return [h, L.select(zero, filled(h, 0), L.div(dot, safeH))];
});

/**
 * √(x² + y²) without overflow or underflow; its gradient is (x, y)/hypot, taken as 0 at the origin.
 * @example np.hypot(3, 4) // array(5.)
 */
export function hypot(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  return hypotRule(...floatPair("hypot", x, y));
}

/**
 * v − out for the derivative weight b^(v − out): 0 where v equals out (so two +∞ operands give
 * weight 1, where JAX's rule does too, instead of ∞ − ∞ = NaN). JAX's own rule replaces every +∞
 * by 0 and so gives y a weight of e^y at x = +∞, where the derivative is 0.
 */
const gap = (v: Array, out: Array): Array => L.select(L.eq(v, out), filled(v, 0), L.sub(v, out));

/** log_b(b^x + b^y) given `expB` (b^v) and `logB1p` (log_b(1 + v)). */
function logAddExpBase(expB: (v: Array) => Array, logB1p: (v: Array) => Array) {
  const value = (x: Array, y: Array): Array => {
    const delta = L.sub(x, y);
    const stable = L.add(L.binary("max", x, y), logB1p(expB(neg(L.unary("abs", delta)))));
    // delta is NaN for a NaN operand or for two infinities of one sign: x + y gives the answer there.
    return L.select(L.binary("ne", delta, delta), L.add(x, y), stable);
  };
  const rule: CustomJvp<[Array, Array], Array> = customJvp(value).defJvp(([x, y], [tx, ty]) => {
    const out = rule(x, y);
    const weight = (v: Array): Array => expB(gap(v, out));
    return [out, L.add(L.mul(tx, weight(x)), L.mul(ty, weight(y)))];
  });
  return rule;
}

const logaddexpRule = logAddExpBase(L.exp, (v) => L.unary("log1p", v));
const logaddexp2Rule = logAddExpBase(
  (v) => L.pow(filled(v, 2), v),
  (v) => L.mul(L.unary("log1p", v), filled(v, 1 / Math.LN2)),
);

/**
 * log(eˣ + eʸ) without overflow; its gradient is (σ(x − y), σ(y − x)).
 * @example np.logaddexp(1000, 1000) // array(1000.6931)
 */
export function logaddexp(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  return logaddexpRule(...floatPair("logaddexp", x, y));
}

/**
 * log₂(2ˣ + 2ʸ) without overflow.
 * @example np.logaddexp2(3, 3) // array(4.)
 */
export function logaddexp2(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  return logaddexp2Rule(...floatPair("logaddexp2", x, y));
}
