/**
 * `pinv` (Moore–Penrose pseudo-inverse) through the SVD (or eigh for hermitian input), with JAX's
 * custom derivative (Golub–Pereyra), and `matrixRank` / `cond` from the singular values.
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { shapeStr } from "../../core/shape.js";
import { checkOptions } from "../../core/options.js";
import type { CustomJvp } from "../../lax/control/custom-jvp.js";
import { sliceAxis } from "../../lax/sort-helpers.js";
import { abs, isnan, logicalAnd, logicalNot, where } from "../elementwise.js";
import { matmul } from "../linalg.js";
import { any, max, sum } from "../reductions.js";
import { argsort } from "../sorting.js";
import { expandDims, squeeze } from "../shape.js";
import { epsOf } from "../surface-helpers.js";
import { zeros } from "../creation.js";
import { floatInput, matrixInput, mT, permutationMatrix, squareInput } from "./common.js";
import { eighCore } from "./eigh.js";
import { norm, type NormOrder } from "./norm.js";
import { inv } from "./solve.js";
import { svd, svdCore } from "./svd.js";
import { selfReferentialJvp } from "./rule-chain.js";

const symmetrize = (x: Array): Array => x.add(mT(x)).mul(0.5);

/** U, σ (descending), Vh of a symmetric A from its eigendecomposition: σ = |λ|, Vh = (V sign λ)ᵀ. */
function hermitianSvd(A: Array): [Array, Array, Array] {
  const [w, V] = eighCore(symmetrize(A));
  const P = permutationMatrix(argsort(abs(w), -1, { descending: true }), A.dtype);
  const ws = sum(expandDims(w, -1).mul(P), -2);
  const Vs = matmul(V, P);
  return [Vs, abs(ws), mT(Vs.mul(expandDims(where(ws.less(0), -1, 1).astype(A.dtype), -2)))];
}

function pinvCore(A: Array, rtol: number, hermitian: boolean): Array {
  const [U, s, Vh] = hermitian ? hermitianSvd(A) : svdCore(A, false);
  // Singular values ≤ rtol × the largest count as zero (1/∞ = 0).
  const kept = where(s.greater(sliceAxis(s, s.ndim - 1, 0, 1).mul(rtol)), s, Infinity);
  return matmul(mT(Vh), mT(U).div(expandDims(kept, -1)));
}

const rules = new Map<string, CustomJvp<[Array], Array>>();

function pinvRule(rtol: number, hermitian: boolean): CustomJvp<[Array], Array> {
  const key = `${rtol}|${hermitian}`;
  let rule = rules.get(key);
  if (!rule) {
    const f: CustomJvp<[Array], Array> = selfReferentialJvp(
      (A: Array) => pinvCore(A, rtol, hermitian),
      (self, [A0], [dA0]) => {
        // Golub & Pereyra (1973): dP = −P dA P + P Pᵀ dAᵀ (I − A P) + (I − P A) dAᵀ Pᵀ P.
        const p = self(A0);
        const [A, dA] = hermitian ? [symmetrize(A0), symmetrize(dA0)] : [A0, dA0];
        const [m, n] = A.shape.slice(-2) as [number, number];
        let dp: Array;
        if (m >= n) {
          const s = matmul(matmul(p, mT(p)), mT(dA));
          const t = matmul(matmul(mT(dA), mT(p)), p);
          dp = matmul(matmul(p, dA), p)
            .neg()
            .add(s)
            .sub(matmul(matmul(s, A), p))
            .add(t)
            .sub(matmul(matmul(p, A), t));
        } else {
          const s = matmul(p, matmul(mT(p), mT(dA)));
          const t = matmul(mT(dA), matmul(mT(p), p));
          dp = matmul(p, matmul(dA, p))
            .neg()
            .add(s)
            .sub(matmul(s, matmul(A, p)))
            .add(t)
            .sub(matmul(p, matmul(A, t)));
        }
        return [p, dp];
      },
    );
    rules.set(key, (rule = f));
  }
  return rule;
}

/** Options of {@link pinv}. */
export interface PinvOptions {
  /** Singular values ≤ rtol × the largest are dropped (default 10 · max(m, n) · eps). */
  rtol?: number | null;
  /** NumPy's older name for `rtol`. */
  rcond?: number | null;
  /** a is symmetric: use its eigendecomposition (default false). */
  hermitian?: boolean;
}

/**
 * The Moore–Penrose pseudo-inverse of each matrix of a [..., m, n] (jnp.linalg.pinv), [..., n, m],
 * via the SVD. Its derivative is JAX's (Golub–Pereyra); it is discontinuous where the rank changes.
 *
 * @example np.linalg.pinv(np.array([[1, 0], [0, 0]])) // [[1, 0], [0, 0]]
 */
export function pinv(a: ArrayOrScalar, opts: PinvOptions = {}): Array {
  checkOptions("pinv", opts, ["rtol", "rcond", "hermitian"]);
  if (opts.rtol != null && opts.rcond != null) throw new TypeError("pinv: pass rtol or rcond (its old name), not both");
  const [A, m, n] = opts.hermitian ? [...squareInput("pinv", a, "a (hermitian)"), 0] : matrixInput("pinv", a);
  if (A.shape[A.ndim - 1] === 0 || A.shape[A.ndim - 2] === 0)
    return zeros([...A.shape.slice(0, -2), A.shape[A.ndim - 1]!, A.shape[A.ndim - 2]!], { dtype: A.dtype });
  const rtol = opts.rtol ?? opts.rcond ?? 10 * Math.max(m, n) * epsOf(A);
  return pinvRule(rtol, opts.hermitian ?? false)(A);
}

/** Options of {@link matrixRank}. */
export interface MatrixRankOptions {
  /** Relative tolerance: singular values ≤ rtol × the largest do not count (default max(m, n) · eps). */
  rtol?: number | null;
  /** Absolute tolerance (NumPy's `tol`), instead of rtol. */
  tol?: number | null;
  /** a is symmetric: use |eigenvalues| (default false). */
  hermitian?: boolean;
}

/**
 * The rank of each matrix of M [..., m, n] (jnp.linalg.matrix_rank): the number of singular values
 * above the tolerance, int32 [...]. A 1-D or 0-D input has rank 1 if any entry is nonzero, else 0.
 *
 * @example np.linalg.matrixRank(np.array([[1, 2], [2, 4]])) // 1
 */
export function matrixRank(M: ArrayOrScalar, opts: MatrixRankOptions = {}): Array {
  checkOptions("matrixRank", opts, ["rtol", "tol", "hermitian"]);
  if (opts.rtol != null && opts.tol != null) throw new TypeError("matrixRank: pass rtol or tol, not both");
  const A = floatInput("matrixRank", M);
  if (A.ndim < 2) return any(A.notEqual(0)).astype("int32");
  const S = opts.hermitian ? hermitianSvd(squareInput("matrixRank", A)[0])[1] : svd(A, { computeUv: false });
  const top = max(S, -1, { keepdims: true });
  const cutoff = opts.tol ?? top.mul(opts.rtol ?? Math.max(A.shape[A.ndim - 2]!, A.shape[A.ndim - 1]!) * epsOf(A));
  return sum(S.greater(cutoff).astype("int32"), -1);
}

/**
 * The condition number of each matrix of x [..., m, n] (jnp.linalg.cond): σ_max / σ_min for p null
 * or 2 (any shape), σ_min / σ_max for −2, else norm(x, p) · norm(inv(x), p) (square x; p 1, −1,
 * ±Infinity or "fro"). A singular matrix gives Infinity (NaN from the inverse is mapped to ∞ where
 * x itself has no NaN, as JAX).
 *
 * @example np.linalg.cond(np.array([[1, 0], [0, 4]])) // 4
 */
export function cond(x: ArrayOrScalar, p: NormOrder = null): Array {
  const [A, m, n] = matrixInput("cond", x);
  if (m === 0 || n === 0) throw new RangeError(`cond: the matrix must not be empty, got ${shapeStr(A.shape)}`);
  if (p === null || p === 2 || p === -2) {
    const s = svd(A, { computeUv: false });
    const first = squeeze(sliceAxis(s, s.ndim - 1, 0, 1), -1);
    const last = squeeze(sliceAxis(s, s.ndim - 1, s.shape[s.ndim - 1]! - 1, s.shape[s.ndim - 1]!), -1);
    if (p !== -2) return first.div(last);
    return last.div(first);
  }
  if (m !== n) throw new RangeError(`cond: p=${JSON.stringify(p)} needs a square matrix, got ${shapeStr(A.shape)}`);
  const r = norm(A, p, [-2, -1]).mul(norm(inv(A), p, [-2, -1]));
  return where(logicalAnd(isnan(r), logicalNot(any(isnan(A), [-2, -1]))), Infinity, r);
}
