/** Rounding after jax.numpy: `trunc`, `floorDivide` (Python's `//`) and `round` with `decimals`. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import * as L from "../core/ops.js";
import { align, asArray, castTo } from "../core/convert.js";
import { filled, staticInt } from "./surface-helpers.js";

/**
 * Rounds toward zero (integer dtypes pass through).
 * @example np.trunc(np.array([-1.7, 1.7])) // array([-1.,  1.])
 */
export function trunc(x: ArrayOrScalar): Array {
  const a = asArray(x, "trunc");
  if (!isFloat(a.dtype)) return a;
  return L.select(L.binary("lt", a, filled(a, 0)), L.unary("ceil", a), L.unary("floor", a));
}

/**
 * Python's floor division `x // y`, rounding toward −∞. On integers it is exact; dividing an
 * integer by 0 gives graft's integer-division value (0), where JAX gives XLA's unspecified one.
 * Float division by 0 gives ±∞ (NaN for 0/0), as in JAX and NumPy.
 * @example np.floorDivide(np.array([7, -7]), 2) // array([ 3, -4])
 */
export function floorDivide(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  let [a, b] = align("floorDivide", x, y) as [Array, Array];
  if (a.dtype === "bool") [a, b] = [castTo(a, "int32"), castTo(b, "int32")];
  const q = L.div(a, b);
  if (a.dtype === "uint32") return q;
  const r = L.binary("rem", a, b);
  const zero = filled(r, 0);
  if (!isFloat(a.dtype)) {
    // Truncation rounded toward zero; step down where the exact quotient was negative and inexact.
    const step = L.binary("and", L.binary("ne", L.sign(a), L.sign(b)), L.binary("ne", r, zero));
    return L.select(step, L.sub(q, filled(q, 1)), q);
  }
  // CPython's float_divmod: (x − fmod(x, y)) / y is an exact integer up to rounding.
  const exact = L.div(L.select(L.eq(b, filled(b, 0)), a, L.sub(a, r)), b);
  const step = L.binary("and", L.binary("ne", r, zero), L.binary("ne", L.sign(b), L.sign(r)));
  return L.unary("round", L.select(step, L.sub(exact, filled(exact, 1)), exact));
}

/**
 * Rounds half to even, to `decimals` places (negative: to tens, hundreds…), by scaling, rounding
 * and unscaling, as JAX does; integer inputs pass through.
 * @example
 * np.round(np.array([0.5, 1.5, 2.5])); // array([0., 2., 2.])
 * np.round(np.array([1.2345, 150]), 2); // array([  1.23, 150.  ])
 */
export function round(x: ArrayOrScalar, decimals = 0): Array {
  const a = asArray(x, "round");
  const d = staticInt("round", "decimals", decimals);
  if (!isFloat(a.dtype)) {
    if (d < 0)
      throw new RangeError(`round: integer inputs support only decimals >= 0, got ${d}; cast to a float dtype first`);
    return a;
  }
  if (d === 0) return L.unary("round", a);
  const factor = filled(a, 10 ** d);
  return L.div(L.unary("round", L.mul(a, factor)), factor);
}
