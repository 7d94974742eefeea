/** Elementwise predicates after jax.numpy: `isinf`, `isclose`, `allclose`, `logicalXor`. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import * as L from "../core/ops.js";
import { align, asArray, toFloat } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { all } from "./reductions.js";
import { filled } from "./surface-helpers.js";

/**
 * True where x is +∞ or −∞ (always false for integer and bool inputs).
 * @example np.isinf(np.array([1, Infinity, -Infinity, NaN])) // array([false,  true,  true, false])
 */
export function isinf(x: ArrayOrScalar): Array {
  const a = asArray(x, "isinf");
  if (!isFloat(a.dtype)) return L.binary("ne", a, a);
  return L.eq(L.unary("abs", a), filled(a, Infinity));
}

/** Tolerances of `isclose`/`allclose` (JAX's defaults: rtol 1e-5, atol 1e-8, NaNs unequal). */
export interface IsCloseOptions {
  rtol?: number;
  atol?: number;
  equalNan?: boolean;
}

function closeness(op: string, a: ArrayOrScalar, b: ArrayOrScalar, opts: IsCloseOptions): Array {
  checkOptions(op, opts, ["rtol", "atol", "equalNan"]);
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = opts;
  for (const [name, v] of [
    ["rtol", rtol],
    ["atol", atol],
  ] as const)
    if (typeof v !== "number" || !(v >= 0))
      throw new TypeError(`${op}: ${name} must be a non-negative number, got ${String(v)}`);
  // JAX promotes to a float dtype first, so integer inputs are compared with the tolerances too.
  const [x, y] = align(op, toFloat(asArray(a, op)), toFloat(asArray(b, op))) as [Array, Array];
  const bound = L.add(filled(y, atol), L.mul(filled(y, rtol), L.unary("abs", y)));
  const within = L.binary("le", L.unary("abs", L.sub(x, y)), bound);
  // Infinities are close only to themselves (|∞ − ∞| is NaN, and a finite x is never near an infinite y).
  const close = L.binary("or", L.eq(x, y), L.binary("and", L.unary("isfinite", y), within));
  if (!equalNan) return close;
  return L.binary("or", close, L.binary("and", L.binary("ne", x, x), L.binary("ne", y, y)));
}

/**
 * Elementwise |a − b| ≤ atol + rtol·|b| (not symmetric in a and b), with infinities equal only
 * to themselves and NaN never close unless `equalNan`.
 * @example np.isclose(np.array([1, 1.1]), 1) // array([ true, false])
 */
export const isclose = (a: ArrayOrScalar, b: ArrayOrScalar, opts: IsCloseOptions = {}): Array =>
  closeness("isclose", a, b, opts);

/**
 * Whether every element is close (see `isclose`). Like JAX (and unlike NumPy) this returns a
 * 0-d bool array, so it works under jit; read it with `.item()`.
 * @example np.allclose(np.array([1, 2]), np.array([1, 2.000001])).item() // 1 (true)
 */
export const allclose = (a: ArrayOrScalar, b: ArrayOrScalar, opts: IsCloseOptions = {}): Array =>
  all(closeness("allclose", a, b, opts));

const truthy = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "logicalXor");
  return a.dtype === "bool" ? a : L.binary("ne", a, filled(a, 0));
};

/**
 * Elementwise exclusive or of the truth values.
 * @example np.logicalXor(np.array([1, 0, 2]), np.array([1, 1, 0])) // array([false,  true,  true])
 */
export function logicalXor(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  const [a, b] = align("logicalXor", truthy(x), truthy(y)) as [Array, Array];
  return L.binary("xor", a, b);
}
