/** `lax.topK`: the k largest entries along an axis, with their indices. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import { normalizeAxis, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { asArray, castTo } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { argsortLast, sliceAxis, takeAlongLast } from "./sort-helpers.js";

export interface TopKOptions {
  /** The axis to search along (default -1, the last). */
  axis?: number;
}

/**
 * Stable descending order under XLA's total order, which ranks NaN above +inf and +0 above -0:
 * a stable pass that puts -0 after everything else, then a stable descending pass on the values.
 */
function descendingTotalOrder(x: Array): Array {
  if (!isFloat(x.dtype)) return argsortLast(x, true);
  const zero = L.fullLike(x, 0);
  const negZero = L.binary("and", L.eq(x, zero), L.binary("lt", L.div(L.fullLike(x, 1), x), zero));
  const first = argsortLast(castTo(negZero, "int32"));
  return takeAlongLast(first, argsortLast(takeAlongLast(x, first), true));
}

/**
 * The `k` largest values along `axis` (default the last) and their int32 indices, largest first;
 * equal values keep their input order (JAX's `is_stable=True`), NaN ranks above +inf and +0 above
 * -0. Differentiable in the values (the tangent is gathered at the indices).
 *
 * @example
 * const [values, indices] = lax.topK(np.array([9, 3, 6, 4, 10]), 3); // [10, 9, 6], [4, 0, 2]
 */
export function topK(x: ArrayOrScalar, k: number, opts: TopKOptions = {}): [values: Array, indices: Array] {
  checkOptions("topK", opts, ["axis"]);
  const a = asArray(x, "topK");
  if (a.ndim === 0) throw new RangeError("topK: needs an array of rank >= 1, got a scalar (rank 0)");
  const axis = normalizeAxis("topK", opts.axis ?? -1, a.ndim);
  const n = a.shape[axis]!;
  if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k > n)
    throw new RangeError(
      `topK: k must be an integer in [0, ${n}] (the size of axis ${axis} of ${shapeStr(a.shape)}), got ${String(k)}`,
    );
  const last = a.ndim - 1;
  const y = L.moveAxis(a, axis, last);
  const order = sliceAxis(descendingTotalOrder(y), last, 0, k);
  const values = takeAlongLast(y, order);
  return [L.moveAxis(values, last, axis), L.moveAxis(order, last, axis)];
}
