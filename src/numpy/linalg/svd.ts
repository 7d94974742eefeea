/**
 * `svd` by one-sided (Hestenes) Jacobi: rotations of column pairs (jacobi.ts, on the Gram matrix of
 * the current columns) orthogonalize A's columns, B = A V; σ are B's column norms, and U comes from
 * a Householder QR of B (so zero singular values and `fullMatrices` get an orthonormal completion).
 * JAX's derivative rule is the custom JVP. A wide matrix is handled through its transpose.
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { checkOptions } from "../../core/options.js";
import { customJvp, type CustomJvp } from "../../lax/control/custom-jvp.js";
import { sliceAxis } from "../../lax/sort-helpers.js";
import { sqrt, where } from "../elementwise.js";
import { matmul } from "../linalg.js";
import { sum } from "../reductions.js";
import { concatenate } from "../join.js";
import { ones } from "../creation.js";
import { argsort } from "../sorting.js";
import { broadcastTo, expandDims } from "../shape.js";
import { diagOf, identity, matrixInput, mT, permutationMatrix, topLeft } from "./common.js";
import { jacobiLoop, jacobiRotation } from "./jacobi.js";
import { qrCore } from "./qr.js";
import { selfReferentialJvp } from "./rule-chain.js";

/** U [..., m, m or n], σ [..., n] (descending), V [..., n, n] of a tall A [..., m, n] (m ≥ n). */
function tallSvdCore(A: Array, full: boolean): [Array, Array, Array] {
  const [m, n] = A.shape.slice(-2) as [number, number];
  const dt = A.dtype;
  const [B, V] = jacobiLoop(
    n,
    (r: Array, [B, V]: [Array, Array]): [Array, Array] => {
      const J = jacobiRotation(matmul(mT(B), B), r);
      return [matmul(B, J), matmul(V, J)];
    },
    [A, broadcastTo(identity(n, dt), [...A.shape.slice(0, -2), n, n])] as [Array, Array],
  );
  const norms = sqrt(sum(B.mul(B), -2));
  const P = permutationMatrix(argsort(norms, -1, { descending: true }), dt);
  const s = sum(expandDims(norms, -1).mul(P), -2);
  const Bs = matmul(B, P);
  // B's columns are orthogonal, so its QR has R diagonal with |R_jj| = σ_j: Q's columns, signed
  // like R's diagonal, are U's (and Q's further columns complete them).
  const [Q, R] = qrCore(Bs);
  const signs = where(diagOf(topLeft(R, n, n)).less(0), -1, 1).astype(dt);
  const flip = full ? concatenate([signs, ones([...signs.shape.slice(0, -1), m - n], { dtype: dt })], -1) : signs;
  const U = matmul(topLeft(Q, m, full ? m : n), identity(full ? m : n, dt).mul(expandDims(flip, -2)));
  return [U, s, matmul(V, P)];
}

/** U, σ, Vh of any A [..., m, n]: a wide A is decomposed as its transpose. */
export function svdCore(A: Array, full: boolean): [Array, Array, Array] {
  const [m, n] = A.shape.slice(-2) as [number, number];
  if (m >= n) {
    const [U, s, V] = tallSvdCore(A, full);
    return [U, s, mT(V)];
  }
  const [U, s, V] = tallSvdCore(mT(A), full);
  return [V, s, mT(U)];
}

/** Tangents (dU, dσ, dVh) of the reduced SVD U, σ, Vh of A, as JAX's svd_jvp_rule (real case). */
function reducedSvdTangents(A: Array, [U, s, Vh]: [Array, Array, Array], dA: Array): [Array, Array, Array] {
  const [m, n] = A.shape.slice(-2) as [number, number];
  const k = s.shape[s.ndim - 1]!;
  const V = mT(Vh);
  const dS = matmul(mT(U), matmul(dA, V));
  const sRow = expandDims(s, -2);
  const eye = identity(k, A.dtype);
  // F_ij = 1/(σ_j² − σ_i²) off the diagonal, 0 on it.
  const F = sRow
    .add(mT(sRow))
    .mul(sRow.sub(mT(sRow)))
    .add(eye)
    .reciprocal()
    .sub(eye);
  const dSS = sRow.mul(dS);
  const SdS = mT(sRow).mul(dS);
  let dU = matmul(U, F.mul(dSS.add(mT(dSS))));
  let dV = matmul(V, F.mul(SdS.add(mT(SdS))));
  if (m > n) {
    const dAV = matmul(dA, V);
    dU = dU.add(dAV.sub(matmul(U, matmul(mT(U), dAV))).div(sRow));
  }
  if (n > m) {
    const dAtU = matmul(mT(dA), U);
    dV = dV.add(dAtU.sub(matmul(V, matmul(Vh, dAtU))).div(sRow));
  }
  return [dU, diagOf(dS), mT(dV)];
}

/** Reduced SVD (U [..., m, k], σ [..., k], Vh [..., k, n]) with its derivative. */
const reducedSvd: CustomJvp<[Array], [Array, Array, Array]> = selfReferentialJvp(
  (A: Array) => svdCore(A, false),
  (self, [A], [dA]) => {
    const out = self(A);
    return [out, reducedSvdTangents(A, out, dA)];
  },
);

/** Singular values only, with dσ = diag(Uᵀ dA V) (no gap division). */
const singularValues: CustomJvp<[Array], Array> = customJvp((A: Array) => svdCore(A, false)[1]).defJvp(([A], [dA]) => {
  const [U, s, Vh] = reducedSvd(A);
  return [s, diagOf(matmul(mT(U), matmul(dA, mT(Vh))))];
});

/** Options of {@link svd} (JAX's, camelCase). */
export interface SvdOptions {
  /** U [..., m, m] and Vh [..., n, n] (default true, as NumPy/JAX) instead of [..., m, k] and [..., k, n]. */
  fullMatrices?: boolean;
  /** Return { U, S, Vh } (default true) or only S. */
  computeUv?: boolean;
}

/** The result of {@link svd}: a = U diag(S) Vh (on the first k = min(m, n) columns/rows). */
export interface SvdResult {
  U: Array;
  /** Singular values, descending, [..., k]. */
  S: Array;
  Vh: Array;
}

/**
 * Singular value decomposition of each matrix of a [..., m, n] (jnp.linalg.svd): a = U diag(S) Vh,
 * S descending, by one-sided Jacobi (accurate to a few ulps of ‖a‖). Derivatives are JAX's rule,
 * for `fullMatrices: false` (and for S alone); the U/Vh derivative divides by σ_i² − σ_j² (and by σ
 * for non-square a), so it is infinite/NaN for repeated or zero singular values. Differentiating U
 * or Vh with `fullMatrices: true` throws (as JAX: the completion is not unique).
 *
 * @example
 * const { U, S, Vh } = np.linalg.svd(np.array([[3, 0], [4, 5]])); // S = [6.708…, 2.236…]
 * np.linalg.svd(np.array([[3, 0], [4, 5]]), { computeUv: false }); // [6.708…, 2.236…]
 */
export function svd(a: ArrayOrScalar, opts: SvdOptions & { computeUv: false }): Array;
export function svd(a: ArrayOrScalar, opts?: SvdOptions & { computeUv?: true }): SvdResult;
export function svd(a: ArrayOrScalar, opts: SvdOptions = {}): SvdResult | Array {
  checkOptions("svd", opts, ["fullMatrices", "computeUv"]);
  const [A, m, n] = matrixInput("svd", a);
  if (!(opts.computeUv ?? true)) return singularValues(A);
  if (!(opts.fullMatrices ?? true) || m === n) {
    const [U, S, Vh] = reducedSvd(A);
    return { U, S, Vh };
  }
  const [U, S, Vh] = fullSvd(A);
  return { U, S, Vh };
}

/**
 * Full SVD of a non-square A. Its extra U columns (m > n) or Vh rows (n > m) are a completion that
 * is not unique, so they have no derivative (JAX raises); their tangent here is NaN (scaled by dA, so
 * it stays linear), and the first k columns/rows get the reduced rule.
 */
const fullSvd: CustomJvp<[Array], [Array, Array, Array]> = selfReferentialJvp(
  (A: Array) => svdCore(A, true),
  (self, [A], [dA]) => {
    const [U, s, Vh] = self(A);
    const [m, n] = A.shape.slice(-2) as [number, number];
    const [dUk, ds, dVhk] = reducedSvdTangents(A, reducedSvd(A), dA);
    const undefinedLike = (x: Array): Array => x.mul(0).add(expandDims(sum(dA, [-2, -1]), [-1, -2]).mul(Number.NaN));
    const last = A.ndim - 1;
    const dU = m > n ? concatenate([dUk, undefinedLike(sliceAxis(U, last, n, m))], last) : dUk;
    const dVh = n > m ? concatenate([dVhk, undefinedLike(sliceAxis(Vh, last - 1, m, n))], last - 1) : dVhk;
    return [
      [U, s, Vh],
      [dU, ds, dVh],
    ];
  },
);
