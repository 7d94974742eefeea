/**
 * In-graph dense factorizations and substitutions over stacks of matrices [..., n, n]: Cholesky
 * (outer-product form), LU with partial pivoting, and forward/back substitution with a matrix
 * right-hand side. Each is a loop over the n columns: unrolled for n ≤ 8 (a few dozen small ops
 * per column, cheaper than a loop's per-iteration overhead there), else one `fori` (a scan: it
 * stays one loop under `jit`, batches under `vmap`, and reverse mode can transpose it). Work is
 * O(n³) per matrix; every step touches the whole matrix, so this is for small systems (n up to a
 * few hundred).
 *
 * These are the raw algorithms, without derivative rules: `np.linalg` wraps them in custom JVPs.
 */
import type { Array } from "../../core/array.js";
import { fori } from "../../lax/control/while.js";
import { ones, zerosLike } from "../creation.js";
import { scalar } from "../../core/ops.js";
import { abs, logicalAnd, sqrt, where } from "../elementwise.js";
import { matmul } from "../linalg.js";
import { argmax, sum } from "../reductions.js";
import { flip } from "../join.js";
import { broadcastTo, expandDims } from "../shape.js";
import { indices, outerLast, unitVector } from "./common.js";

/** Sizes up to this unroll the column loop. */
const UNROLL_MAX = 8;

/** `fori(0, n, body, init)`, unrolled for small n. */
export function columnLoop<C>(n: number, body: (k: Array, carry: C) => C, init: C): C {
  if (n > UNROLL_MAX) return fori(0, n, body, init);
  let carry = init;
  for (let k = 0; k < n; k++) carry = body(scalar(k, "int32"), carry);
  return carry;
}

const dotLast = (u: Array, v: Array): Array => sum(u.mul(v), -1, { keepdims: true });

/**
 * The lower Cholesky factor of each matrix of `A` (A = L Lᵀ), read from the lower triangle. A pivot
 * ≤ 0 (A not numerically positive definite) gives NaN in L from that column on.
 */
export function choleskyCore(A: Array): Array {
  const n = A.shape[A.ndim - 1]!;
  const rows = indices(n);
  const [L] = columnLoop(
    n,
    (k: Array, [L, S]: [Array, Array]): [Array, Array] => {
      const ek = unitVector(n, k, A.dtype);
      const col = matmul(S, ek);
      const l = where(rows.greaterEqual(k), col.div(sqrt(dotLast(col, ek))), 0);
      return [L.add(outerLast(l, broadcastTo(ek, l.shape))), S.sub(outerLast(l, l))];
    },
    [zerosLike(A), A] as [Array, Array],
  );
  return L;
}

/**
 * Solves T X = B for lower-triangular T [..., n, n] and B [..., n, m] (same batch shape) by forward
 * substitution, reading only T's lower triangle (and not its diagonal when `unitDiagonal`).
 */
export function lowerSolveCore(T: Array, B: Array, unitDiagonal: boolean): Array {
  const n = T.shape[T.ndim - 1]!;
  return columnLoop(
    n,
    (k: Array, X: Array): Array => {
      const ek = unitVector(n, k, T.dtype);
      const row = matmul(ek, T);
      // X's rows k.. are still 0, so the full row product only sums the solved part.
      const rest = matmul(ek, B).sub(sum(expandDims(row, -1).mul(X), -2));
      const xk = unitDiagonal ? rest : rest.div(dotLast(row, ek));
      return X.add(outerLast(broadcastTo(ek, [...xk.shape.slice(0, -1), n]), xk));
    },
    zerosLike(B),
  );
}

/** Solves T X = B for upper-triangular T: reversing rows and columns makes T lower-triangular. */
export function upperSolveCore(T: Array, B: Array, unitDiagonal: boolean): Array {
  return flip(lowerSolveCore(flip(T, [-2, -1]), flip(B, -2), unitDiagonal), -2);
}

/** The result of {@link luCore}: P A = L U for each matrix. */
export interface LuFactors {
  /** U on and above the diagonal, the multipliers of the unit-diagonal L below it. */
  lu: Array;
  /** int32 [..., n]: row i of P A is row perm[i] of A. */
  perm: Array;
  /** The determinant of P (±1), in A's dtype, shape [...]. */
  parity: Array;
}

/**
 * LU factorization with partial pivoting of each matrix of A [..., n, n]. As LAPACK's getrf, a zero
 * pivot column is left as is (no elimination), so a singular A gives an exact 0 on U's diagonal.
 */
export function luCore(A: Array): LuFactors {
  const n = A.shape[A.ndim - 1]!;
  const batch = A.shape.slice(0, -2);
  const dt = A.dtype;
  const rows = indices(n);
  const [lu, perm, parity] = columnLoop(
    n,
    (k: Array, [M, p, s]: [Array, Array, Array]): [Array, Array, Array] => {
      const ek = unitVector(n, k, dt);
      // Pivot: the largest |entry| of column k on or below the diagonal.
      const col = matmul(M, ek);
      const piv = argmax(where(rows.greaterEqual(k), abs(col), -1), -1);
      const ep = rows.equal(expandDims(piv, -1)).astype(dt);
      // Swap rows k and piv (a no-op when equal): M += (e_k − e_p)(row_p − row_k)ᵀ.
      const d = broadcastTo(ek, ep.shape).sub(ep);
      const rowK = matmul(ek, M);
      const rowP = sum(expandDims(ep, -1).mul(M), -2);
      const Ms = M.add(outerLast(d, rowP.sub(rowK)));
      const di = d.astype("int32");
      const pk = sum(p.mul(ek.astype("int32")), -1, { keepdims: true });
      const pp = sum(p.mul(ep.astype("int32")), -1, { keepdims: true });
      const ps = p.add(di.mul(pp.sub(pk)));
      const sNext = where(piv.equal(k), s, s.neg());
      // Eliminate below the pivot, storing the multipliers in column k.
      const colS = matmul(Ms, ek);
      const pivot = dotLast(colS, ek);
      const nonzero = pivot.notEqual(0);
      const below = rows.greater(k);
      const l = where(logicalAnd(below, nonzero), colS.div(where(nonzero, pivot, 1)), 0);
      const rowS = where(below, matmul(ek, Ms), 0); // U's part of row k right of the pivot
      const updated = Ms.sub(outerLast(l, rowS));
      const colMask = outerLast(below.astype(dt), ek).greater(0);
      return [where(colMask, outerLast(l, broadcastTo(ek, l.shape)), updated), ps, sNext];
    },
    [A, broadcastTo(rows, [...batch, n]), ones(batch, { dtype: dt })] as [Array, Array, Array],
  );
  return { lu, perm, parity };
}

/** Solves A X = B ([..., n, m], batch shape equal to the factors') from {@link luCore}'s factors. */
export function luSolveCore(f: LuFactors, B: Array): Array {
  const n = f.lu.shape[f.lu.ndim - 1]!;
  const P = expandDims(f.perm, -1).equal(indices(n)).astype(B.dtype);
  const y = lowerSolveCore(f.lu, matmul(P, B), true);
  return upperSolveCore(f.lu, y, false);
}
