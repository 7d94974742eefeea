/**
 * `qr` by Householder reflections, in-graph (works under jit and vmap, on every backend), with
 * JAX's derivative rule (j-towns' thin-QR formula, and its wide-matrix extension) as a custom JVP.
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { checkOptions } from "../../core/options.js";
import type { CustomJvp } from "../../lax/control/custom-jvp.js";
import { sliceAxis } from "../../lax/sort-helpers.js";
import { broadcastTo, expandDims } from "../shape.js";
import { sqrt, where } from "../elementwise.js";
import { matmul } from "../linalg.js";
import { tril, triu } from "../matrix-shape.js";
import { sum } from "../reductions.js";
import { concatenate } from "../join.js";
import { identity, indices, matrixInput, mT, outerLast, topLeft, unitVector } from "./common.js";
import { columnLoop } from "./factor.js";
import { triangularSolve } from "./triangular-solve.js";
import { selfReferentialJvp } from "./rule-chain.js";

const dotLast = (u: Array, v: Array): Array => sum(u.mul(v), -1, { keepdims: true });

/**
 * Householder QR of every matrix of A [..., m, n]: the full Q [..., m, m] and R [..., m, n]. As
 * LAPACK's geqrf/dlarfg, column j's reflector maps x = R[j:, j] to β e_j with β = −sign(x_j)‖x‖
 * (sign(0) = +1), and is the identity when x has nothing below the diagonal, so the signs match
 * NumPy's.
 */
export function qrCore(A: Array): [Array, Array] {
  const [m, n] = A.shape.slice(-2) as [number, number];
  const dt = A.dtype;
  const rows = indices(m);
  const [Q, R] = columnLoop(
    Math.min(m, n),
    (j: Array, [Q, R]: [Array, Array]): [Array, Array] => {
      const ej = unitVector(m, j, dt);
      const col = matmul(R, unitVector(n, j, dt));
      const x = where(rows.greaterEqual(j), col, 0);
      const alpha = dotLast(x, ej);
      const below = where(rows.greater(j), col, 0);
      const active = dotLast(below, below).notEqual(0);
      const beta = where(alpha.greaterEqual(0), sqrt(dotLast(x, x)).neg(), sqrt(dotLast(x, x)));
      const v = x.sub(beta.mul(ej));
      // H = I − scale v vᵀ with scale = 2 / vᵀv; scale 0 (H = I) where there is nothing to eliminate.
      const scale = where(active, where(active, dotLast(v, v), 1).reciprocal().mul(2), 0);
      const sv = v.mul(scale);
      const vR = sum(expandDims(v, -1).mul(R), -2);
      const Qv = sum(Q.mul(expandDims(v, -2)), -1); // Q v, v batched
      return [Q.sub(outerLast(Qv, sv)), R.sub(outerLast(sv, vR))];
    },
    [broadcastTo(identity(m, dt), [...A.shape.slice(0, -2), m, m]), A] as [Array, Array],
  );
  return [Q, triu(R)];
}

/** JAX's thin-QR tangent for m ≥ n: Q [..., m, n], R [..., n, n]. */
function thinQrJvp(Q: Array, R: Array, dA: Array): [Array, Array] {
  const dARinv = triangularSolve(R, dA); // dA R⁻¹ (right side, upper)
  const QtdARinv = matmul(mT(Q), dARinv);
  const lower = tril(QtdARinv, -1);
  const dOmega = lower.sub(mT(lower)); // skew-symmetric
  return [matmul(Q, dOmega.sub(QtdARinv)).add(dARinv), matmul(QtdARinv.sub(dOmega), R)];
}

/** The tangents of the reduced factors Q [..., m, k], R [..., k, n] of A, as JAX's qr_jvp_rule. */
function reducedQrTangents(A: Array, Q: Array, R: Array, dA: Array): [Array, Array] {
  const [m, n] = A.shape.slice(-2) as [number, number];
  if (m >= n) return thinQrJvp(Q, R, dA);
  // Wide: A = Q [R1 R2] with A1 = Q R1 square, and R2 = Qᵀ A2, so dR2 = dQᵀ A2 + Qᵀ dA2.
  const last = A.ndim - 1;
  const [dQ, dR1] = thinQrJvp(Q, sliceAxis(R, last, 0, m), sliceAxis(dA, last, 0, m));
  const dR2 = matmul(mT(dQ), sliceAxis(A, last, m, n)).add(matmul(mT(Q), sliceAxis(dA, last, m, n)));
  return [dQ, concatenate([dR1, dR2], last)];
}

/** Reduced QR (Q [..., m, k], R [..., k, n], k = min(m, n)) with its derivative. */
const reducedQr: CustomJvp<[Array], [Array, Array]> = selfReferentialJvp(
  (A: Array): [Array, Array] => {
    const [m, n] = A.shape.slice(-2) as [number, number];
    const k = Math.min(m, n);
    const [Q, R] = qrCore(A);
    return [topLeft(Q, m, k), topLeft(R, k, n)];
  },
  (self, [A], [dA]) => {
    const [Q, R] = self(A);
    return [[Q, R], reducedQrTangents(A, Q, R, dA)];
  },
);

/** Complete QR (Q [..., m, m], R [..., m, n]) of a square or wide matrix: then it is the reduced one. */
const completeQr: CustomJvp<[Array], [Array, Array]> = selfReferentialJvp(qrCore, (self, [A], [dA]) => {
  const [Q, R] = self(A);
  return [[Q, R], reducedQrTangents(A, Q, R, dA)];
});

/** Options of {@link qr} (NumPy's modes). */
export interface QrOptions {
  /** "reduced" (default): Q [..., m, k], R [..., k, n] with k = min(m, n); "complete": Q [..., m, m], R [..., m, n]; "r": R only ([..., k, n]). */
  mode?: "reduced" | "complete" | "r";
}

/** The result of {@link qr} with mode "reduced" or "complete": a = Q R. */
export interface QrResult {
  /** Orthonormal columns. */
  Q: Array;
  /** Upper triangular (trapezoidal when m ≠ n). */
  R: Array;
}

/**
 * QR decomposition of each matrix of a [..., m, n] (jnp.linalg.qr): Q with orthonormal columns and
 * upper-triangular R with a = Q R, by Householder reflections (LAPACK's sign convention, so the
 * factors match NumPy's). Derivatives follow JAX's rule for "reduced" and "r" (every m, n) and for
 * "complete" when m ≤ n; they need a of full rank (R's leading k×k block nonsingular). For
 * "complete" with m > n, Q's extra columns are not unique (JAX has no rule): graft differentiates
 * its Householder loop, the derivative of this particular completion.
 *
 * @example
 * const { Q, R } = np.linalg.qr(np.array([[3, 1], [4, 2]])); // Q R = a, R = [[-5, -2.2], [0, -0.4]]
 */
export function qr(a: ArrayOrScalar, opts?: { mode?: "reduced" | "complete" }): QrResult;
export function qr(a: ArrayOrScalar, opts: { mode: "r" }): Array;
export function qr(a: ArrayOrScalar, opts: QrOptions = {}): QrResult | Array {
  checkOptions("qr", opts, ["mode"]);
  const mode = opts.mode ?? "reduced";
  if (mode !== "reduced" && mode !== "complete" && mode !== "r")
    throw new RangeError(`qr: mode must be "reduced", "complete" or "r", got ${JSON.stringify(mode)}`);
  const [A] = matrixInput("qr", a);
  const [m, n] = A.shape.slice(-2) as [number, number];
  // A tall complete Q's extra columns are not unique (JAX has no rule for them): that case is
  // differentiated through the Householder loop, giving the derivative of this particular completion.
  const [Q, R] = mode !== "complete" ? reducedQr(A) : m > n ? qrCore(A) : completeQr(A);
  return mode === "r" ? R : { Q, R };
}
