/**
 * Shared helpers of `np.linalg`: input checks (square stacks of matrices, float dtypes) and the small
 * batched building blocks the in-graph factorizations are written with.
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { asArray, toFloat } from "../../core/convert.js";
import { shapeStr } from "../../core/shape.js";
import { iota } from "../creation.js";
import { expandDims, swapaxes } from "../shape.js";
import { diagonal } from "../matrix-shape.js";
import { sliceAxis } from "../../lax/sort-helpers.js";

/** `x` as a float array (ints promote to float32, as in JAX) with at least `minRank` axes. */
export function floatInput(op: string, x: ArrayOrScalar, what = "the input"): Array {
  const a = toFloat(asArray(x, op));
  if (a.dtype !== "float32" && a.dtype !== "float64")
    throw new TypeError(`${op}: ${what} must be float32 or float64 (or an integer type), got ${a.dtype}`);
  return a;
}

/** `x` as a float stack of square matrices [..., n, n]; returns it with n. */
export function squareInput(op: string, x: ArrayOrScalar, what = "the matrix"): [Array, number] {
  const a = floatInput(op, x, what);
  const n = a.shape[a.ndim - 1];
  if (a.ndim < 2 || n !== a.shape[a.ndim - 2])
    throw new TypeError(
      `${op}: ${what} must be square, with shape [..., n, n], got ${shapeStr(a.shape)}; ` +
        `pass a matrix or a stack of matrices along leading axes`,
    );
  return [a, n!];
}

/** Swaps the last two axes (the matrix transpose of every matrix in a stack). */
export const mT = (x: Array): Array => swapaxes(x, -1, -2);

/** Batched outer product: u[..., i] v[..., j]. */
export const outerLast = (u: Array, v: Array): Array => expandDims(u, -1).mul(expandDims(v, -2));

/** e_k of length n in `dtype` (k may be a traced loop index). */
export const unitVector = (n: number, k: Array | number, dtype: Array["dtype"]): Array =>
  iota([n], 0).equal(k).astype(dtype);

/**
 * The n×n identity in `dtype`, built in-graph (iota) so traced code holds no concrete constant
 * (a concrete one would tie a jitted function to the backend it was traced on).
 */
export const identity = (n: number, dtype: Array["dtype"]): Array =>
  iota([n, n], 0)
    .equal(iota([n, n], 1))
    .astype(dtype);

/** The indices 0..n-1 as int32. */
export const indices = (n: number): Array => iota([n], 0);

/** `x` as a float stack of matrices [..., m, n] (any m, n); returns it with m and n. */
export function matrixInput(op: string, x: ArrayOrScalar, what = "the matrix"): [Array, number, number] {
  const a = floatInput(op, x, what);
  if (a.ndim < 2)
    throw new TypeError(
      `${op}: ${what} must have at least 2 axes [..., m, n], got ${shapeStr(a.shape)}; ` +
        `pass a matrix or a stack of matrices along leading axes`,
    );
  return [a, a.shape[a.ndim - 2]!, a.shape[a.ndim - 1]!];
}

/** The leading `rows` rows and `cols` columns of every matrix of a stack (a static slice). */
export function topLeft(x: Array, rows: number, cols: number): Array {
  const r = sliceAxis(x, x.ndim - 2, 0, rows);
  return sliceAxis(r, x.ndim - 1, 0, cols);
}

/** The diagonal of every matrix of a stack: [..., n, n] → [..., n]. */
export const diagOf = (x: Array): Array => diagonal(x, { axis1: -2, axis2: -1 });

/** Batched diag: [..., n] → [..., n, n] with v on the diagonal. */
export const diagMatrix = (v: Array): Array => expandDims(v, -1).mul(identity(v.shape[v.ndim - 1]!, v.dtype));

/** The one-hot permutation matrix P [..., n, n] with P[order[j], j] = 1, so X P = X[..., order]. */
export const permutationMatrix = (order: Array, dtype: Array["dtype"]): Array =>
  expandDims(order, -2)
    .equal(expandDims(indices(order.shape[order.ndim - 1]!), -1))
    .astype(dtype);
