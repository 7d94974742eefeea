/**
 * `lstsq` (jnp.linalg.lstsq) through the reduced SVD: x = V diag(1/σ) Uᵀ b over the singular values
 * above the cutoff. Its derivative is that of the composition (the SVD's rule).
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { shapeStr } from "../../core/shape.js";
import { promote } from "../../core/convert.js";
import { checkOptions } from "../../core/options.js";
import { logicalAnd, where } from "../elementwise.js";
import { matmul } from "../linalg.js";
import { sum } from "../reductions.js";
import { expandDims, squeeze } from "../shape.js";
import { sliceAxis } from "../../lax/sort-helpers.js";
import { epsOf } from "../surface-helpers.js";
import { zeros } from "../creation.js";
import { floatInput, mT } from "./common.js";
import { svd } from "./svd.js";

/** The result of {@link lstsq}. */
export interface LstsqResult {
  /** The minimum-norm least-squares solution x, [n] or [n, k] like b. */
  solution: Array;
  /** ‖b − a x‖² per column of b, [k] ([1] for a vector b), always computed (JAX's default; NumPy may give []). */
  residuals: Array;
  /** The number of singular values kept (int32 scalar). */
  rank: Array;
  /** a's singular values, descending, [min(m, n)]. */
  singularValues: Array;
}

/**
 * Least-squares solution of a x = b (jnp.linalg.lstsq): the x of minimum norm minimizing ‖b − a x‖,
 * for a [m, n] and b [m] or [m, k]. Singular values below `rcond` × the largest are treated as zero
 * (default eps · max(m, n); a negative rcond means eps). As JAX, a must be 2-D (vmap for stacks).
 *
 * @example np.linalg.lstsq(np.array([[1, 2], [3, 4]]), np.array([5, 6])).solution // [-4, 4.5]
 */
export function lstsq(a: ArrayOrScalar, b: ArrayOrScalar, opts: { rcond?: number | null } = {}): LstsqResult {
  checkOptions("lstsq", opts, ["rcond"]);
  let A = floatInput("lstsq", a, "a");
  let B = floatInput("lstsq", b, "b");
  if (A.ndim !== 2)
    throw new TypeError(`lstsq: a must be 2-D [m, n], got ${shapeStr(A.shape)}; use vmap for a stack of systems`);
  if ((B.ndim !== 1 && B.ndim !== 2) || B.shape[0] !== A.shape[0])
    throw new TypeError(
      `lstsq: b must be [${A.shape[0]}] or [${A.shape[0]}, k] (its first axis equal to a's rows), got ${shapeStr(B.shape)}`,
    );
  [A, B] = promote("lstsq", A, B) as [Array, Array];
  const vector = B.ndim === 1;
  if (vector) B = expandDims(B, -1);
  const [m, n] = A.shape as [number, number];
  const eps = epsOf(A);
  const given = opts.rcond ?? null;
  const rcond = given === null ? eps * Math.max(m, n) : given < 0 ? eps : given;
  if (m === 0 || n === 0) {
    // Nothing to fit (as JAX): x = 0, rank 0, no singular values, residuals ‖b‖².
    const x = zeros([n, B.shape[1]!], { dtype: A.dtype });
    return {
      solution: vector ? squeeze(x, -1) : x,
      residuals: sum(B.mul(B), 0),
      rank: zeros([], { dtype: "int32" }),
      singularValues: zeros([0], { dtype: A.dtype }),
    };
  }
  const { U, S, Vh } = svd(A, { fullMatrices: false });
  const mask = logicalAnd(S.greater(0), S.greaterEqual(sliceAxis(S, 0, 0, 1).mul(rcond)));
  const sInv = where(mask, where(mask, S, 1).reciprocal(), 0);
  let x = matmul(mT(Vh), expandDims(sInv, -1).mul(matmul(mT(U), B)));
  const r = B.sub(matmul(A, x));
  const residuals = sum(r.mul(r), 0);
  if (vector) x = squeeze(x, -1);
  return { solution: x, residuals, rank: sum(mask.astype("int32")), singularValues: S };
}
