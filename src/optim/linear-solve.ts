/**
 * Small dense linear solves written with graft ops, so they trace (work under `jit`, `vmap`,
 * `grad`): a Cholesky factorization for symmetric positive-definite systems and LU with partial
 * pivoting for general ones, each a `fori` over the columns (one compact loop in a staged Program,
 * whatever n is). The loops are np.linalg's in-graph cores (src/numpy/linalg/factor.ts); this file
 * keeps the optimizers' vector-right-hand-side API on top of them. Meant for the n×n systems of
 * second-order optimizers on small problems (n up to a few hundred); the work is O(n³) and every step touches the whole matrix.
 *
 * All arithmetic is in the matrix's dtype (float32 or float64).
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { choleskyCore, lowerSolveCore, luCore, luSolveCore, upperSolveCore } from "../numpy/linalg/factor.js";
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

const asColumn = (b: Array): Array => np.expandDims(b, -1);
const fromColumn = (x: Array): Array => np.squeeze(x, -1);

/**
 * The lower-triangular Cholesky factor L of a symmetric positive-definite A (A = L Lᵀ), read from
 * the lower triangle of A. If A is not (numerically) positive definite a pivot is ≤ 0 and L
 * contains NaN or ±∞: test with `np.isfinite(L).all()`.
 */
export function cholesky(A: Array): Array {
  checkSystem("cholesky", A);
  return choleskyCore(A);
}

/** Solves L y = b for lower-triangular L (`unitDiagonal`: take L's diagonal as ones). */
export function solveLowerTriangular(L: Array, b: Array, unitDiagonal = false): Array {
  checkSystem("solveLowerTriangular", L, b);
  return fromColumn(lowerSolveCore(L, asColumn(b), unitDiagonal));
}

/** Solves U x = b for upper-triangular U. */
export function solveUpperTriangular(U: Array, b: Array): Array {
  checkSystem("solveUpperTriangular", U, b);
  return fromColumn(upperSolveCore(U, asColumn(b), false));
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
  checkSystem("luFactor", A);
  const { lu, perm } = luCore(A);
  return { lu, perm };
}

/** Solves A x = b from `luFactor(A)`. */
export function luSolve(factor: { lu: Array; perm: Array }, b: Array): Array {
  checkSystem("luSolve", factor.lu, b);
  const parity = np.ones([], { dtype: factor.lu.dtype });
  return fromColumn(luSolveCore({ ...factor, parity }, asColumn(b)));
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
