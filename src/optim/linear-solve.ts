/**
 * Small dense linear solves written with graft ops, so they trace (work under `jit`, `vmap`,
 * `grad`): a Cholesky factorization for symmetric positive-definite systems and LU with partial
 * pivoting for general ones, each a `fori` over the columns (one compact loop in a staged Program,
 * whatever n is). Meant for the n×n systems of second-order optimizers on small problems
 * (n up to a few hundred); the work is O(n³) and every step touches the whole matrix.
 *
 * All arithmetic is in the matrix's dtype (float32 or float64).
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { fori } from "../lax/control/while.js";
import { cond } from "../lax/control/cond.js";
import { checkOptions } from "../core/options.js";

function checkSystem(op: string, A: Array, b?: Array): number {
  const [n, m] = A.shape;
  if (A.ndim !== 2 || n === undefined || n !== m)
    throw new TypeError(`${op}: the matrix must be square, got shape [${A.shape.join(", ")}]`);
  if (A.dtype !== "float32" && A.dtype !== "float64")
    throw new TypeError(`${op}: the matrix must be float32 or float64, got ${A.dtype}`);
  if (b !== undefined && (b.ndim !== 1 || b.shape[0] !== n))
    throw new TypeError(
      `${op}: the right-hand side must be a vector of length ${n}, got shape [${b.shape.join(", ")}]`,
    );
  return n;
}

/** e_k as a float vector of length n (k may be traced). */
const unit = (n: number, k: Array, dtype: Array["dtype"]): Array => np.iota([n], 0).equal(k).astype(dtype);
const idx = (n: number): Array => np.iota([n], 0);

/**
 * The lower-triangular Cholesky factor L of a symmetric positive-definite A (A = L Lᵀ), read from
 * the lower triangle of A. If A is not (numerically) positive definite a pivot is ≤ 0 and L
 * contains NaN or ±∞: test with `np.isfinite(L).all()`.
 */
export function cholesky(A: Array): Array {
  const n = checkSystem("cholesky", A);
  const dt = A.dtype;
  const rows = idx(n);
  // Outer-product (right-looking) form: take column k of the trailing matrix, then subtract l lᵀ.
  const [L] = fori(
    0,
    n,
    (k: Array, [L, S]: [Array, Array]): [Array, Array] => {
      const ek = unit(n, k, dt);
      const col = np.matmul(S, ek);
      const pivot = np.sqrt(np.vdot(col, ek));
      const l = np.where(rows.greaterEqual(k), col.div(pivot), 0);
      return [L.add(np.outer(l, ek)), S.sub(np.outer(l, l))];
    },
    [np.zerosLike(A), A] as [Array, Array],
  );
  return L;
}

/** Solves L y = b for lower-triangular L (`unitDiagonal`: take L's diagonal as ones). */
export function solveLowerTriangular(L: Array, b: Array, unitDiagonal = false): Array {
  const n = checkSystem("solveLowerTriangular", L, b);
  return fori(
    0,
    n,
    (k: Array, y: Array): Array => {
      const ek = unit(n, k, L.dtype);
      const row = np.matmul(ek, L);
      const rest = np.vdot(b, ek).sub(np.vdot(row, y)); // y is still 0 from k on
      const yk = unitDiagonal ? rest : rest.div(np.vdot(row, ek));
      return y.add(ek.mul(yk));
    },
    np.zerosLike(b),
  );
}

/** Solves U x = b for upper-triangular U. */
export function solveUpperTriangular(U: Array, b: Array): Array {
  const n = checkSystem("solveUpperTriangular", U, b);
  return fori(
    0,
    n,
    (i: Array, x: Array): Array => {
      const ek = unit(n, np.subtract(n - 1, i), U.dtype);
      const row = np.matmul(ek, U);
      const xk = np.vdot(b, ek).sub(np.vdot(row, x)).div(np.vdot(row, ek)); // x is 0 up to k
      return x.add(ek.mul(xk));
    },
    np.zerosLike(b),
  );
}

/** Solves A x = b given A's Cholesky factor L. */
export function choleskySolve(L: Array, b: Array): Array {
  checkSystem("choleskySolve", L, b);
  return solveUpperTriangular(L.T, solveLowerTriangular(L, b));
}

/**
 * LU factorization with partial pivoting, P A = L U. Returns `lu` (U on and above the diagonal, the
 * multipliers of the unit-diagonal L below it) and `perm` (int32: row i of P A is row perm[i] of A).
 * A singular A gives a zero pivot (and ∞/NaN in the solve).
 */
export function luFactor(A: Array): { lu: Array; perm: Array } {
  const n = checkSystem("luFactor", A);
  const dt = A.dtype;
  const rows = idx(n);
  const [lu, perm] = fori(
    0,
    n,
    (k: Array, [M, p]: [Array, Array]): [Array, Array] => {
      const ek = unit(n, k, dt);
      // Pivot: the largest |entry| of column k on or below the diagonal.
      const col = np.matmul(M, ek);
      const cand = np.where(rows.greaterEqual(k), np.abs(col), -1);
      const piv = np.argmax(cand);
      const ep = unit(n, piv, dt);
      // Swap rows k and piv (a no-op when equal): M += (e_k − e_p)(row_p − row_k)ᵀ.
      const d = ek.sub(ep);
      const rowK = np.matmul(ek, M);
      const rowP = np.matmul(ep, M);
      const Ms = M.add(np.outer(d, rowP.sub(rowK)));
      const pk = np.vdot(p, ek.astype("int32"));
      const pp = np.vdot(p, ep.astype("int32"));
      const ps = p.add(d.astype("int32").mul(pp.sub(pk)));
      // Eliminate below the pivot, storing the multipliers in column k.
      const colS = np.matmul(Ms, ek);
      const pivot = np.vdot(colS, ek);
      const below = rows.greater(k);
      const l = np.where(below, colS.div(pivot), 0);
      const rowS = np.where(idx(n).greater(k), np.matmul(ek, Ms), 0); // U's part of row k right of the pivot
      const updated = Ms.sub(np.outer(l, rowS));
      // Column k below the diagonal becomes the multipliers.
      const colMask = np.outer(below.astype(dt), ek);
      return [np.where(colMask.greater(0), np.outer(l, ek), updated), ps];
    },
    [A, np.iota([n], 0)] as [Array, Array],
  );
  return { lu, perm };
}

/** Solves A x = b from `luFactor(A)`. */
export function luSolve(factor: { lu: Array; perm: Array }, b: Array): Array {
  const n = checkSystem("luSolve", factor.lu, b);
  const pb = np.take(b, factor.perm);
  const rows = idx(n);
  const lower = np.where(rows.expandDims(1).greater(rows.expandDims(0)), factor.lu, 0);
  const upper = np.where(rows.expandDims(1).lessEqual(rows.expandDims(0)), factor.lu, 0);
  return solveUpperTriangular(upper, solveLowerTriangular(lower, pb, true));
}

/** Options of {@link solve}. */
export interface SolveOptions {
  /**
   * `"auto"` (default): Cholesky, falling back to LU with partial pivoting when a Cholesky pivot is
   * not positive (A not positive definite); `"spd"`: Cholesky only; `"general"`: LU only.
   */
  assume?: "auto" | "spd" | "general";
}

/**
 * Solves the dense system A x = b (A: [n, n], b: [n]). Traceable: under `jit` the Cholesky/LU
 * choice of `"auto"` is a `cond` on the factor's finiteness.
 *
 * @example solve(np.array([[4, 1], [1, 3]]), np.array([1, 2])) // [1/11, 7/11]
 */
export function solve(A: Array, b: Array, opts: SolveOptions = {}): Array {
  checkOptions("solve", opts, ["assume"]);
  checkSystem("solve", A, b);
  if (b.dtype !== A.dtype) b = b.astype(A.dtype);
  const assume = opts.assume ?? "auto";
  if (assume !== "auto" && assume !== "spd" && assume !== "general")
    throw new RangeError(`solve: assume must be "auto", "spd" or "general", got ${String(assume)}`);
  if (assume === "general") return luSolve(luFactor(A), b);
  const L = cholesky(A);
  if (assume === "spd") return choleskySolve(L, b);
  const ok = np.all(np.isfinite(L));
  return cond(
    ok,
    (L: Array, _A: Array, b: Array) => choleskySolve(L, b),
    (_L: Array, A: Array, b: Array) => luSolve(luFactor(A), b),
    L,
    A,
    b,
  );
}
