/**
 * Small dense float64 linear algebra on the host (plain JS numbers), used for the Lanczos
 * tridiagonal matrix and for checking small Hessians: symmetric tridiagonal eigensolver (implicit
 * QL, i.e. symmetric QR with Wilkinson-like shifts, after EISPACK `tql2`) and cyclic Jacobi for
 * dense symmetric matrices.
 */
import { checkOptions } from "../core/options.js";

/** Eigen-decomposition of a symmetric matrix: ascending `values`, and `vectors[i]` the unit eigenvector of `values[i]`. */
export interface SymmetricEigen {
  values: number[];
  vectors: number[][];
}

const EPS = 2 ** -52;

// The loops below index typed arrays and rows of length n with loop counters bounded by n: every
// `!` in this file marks such an in-range read.

/**
 * Eigenvalues and eigenvectors of the symmetric tridiagonal matrix with diagonal `diag` (length m)
 * and off-diagonal `offDiag` (length m − 1; `offDiag[i]` couples rows i and i+1), in float64 by the
 * implicit QL algorithm. Values ascend; `vectors[i][r]` is component r of the i-th eigenvector.
 *
 * @example
 * eighTridiagonal([2, 2], [1]).values; // [1, 3]
 */
export function eighTridiagonal(
  diag: ArrayLike<number>,
  offDiag: ArrayLike<number>,
  opts: { vectors?: boolean } = {},
): SymmetricEigen {
  checkOptions("eighTridiagonal", opts, ["vectors"]);
  const { d, e } = tridiagonalCopy(diag, offDiag);
  const n = d.length;
  const wantVectors = opts.vectors ?? true;
  // V[k][i]: row k, column i; columns become eigenvectors.
  const V: Float64Array[] = wantVectors ? identityRows(n) : [];
  let f = 0;
  let tst1 = 0;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n) {
      if (Math.abs(e[m]!) <= EPS * tst1) break;
      m++;
    }
    if (m === n) m = n - 1; // e[n-1] is 0, so this only guards against rounding
    if (m > l) f = qlConverge(d, e, V, l, m, EPS * tst1, f);
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  return {
    values: order.map((i) => d[i]!),
    vectors: wantVectors ? order.map((i) => V.map((row) => row[i]!)) : [],
  };
}

/** Float64 copies of the diagonal d and the off-diagonal e (padded with a trailing 0), checked finite. */
function tridiagonalCopy(diag: ArrayLike<number>, offDiag: ArrayLike<number>): { d: Float64Array; e: Float64Array } {
  const n = diag.length;
  if (offDiag.length !== Math.max(0, n - 1))
    throw new RangeError(
      `eighTridiagonal: offDiag must have length ${Math.max(0, n - 1)} for a ${n}×${n} matrix, got ${offDiag.length}`,
    );
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) e[i] = offDiag[i]!;
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(d[i]!) || !Number.isFinite(e[i]!))
      throw new RangeError("eighTridiagonal: the matrix has a NaN or infinite entry");
  return { d, e };
}

/** The n×n identity as n rows. */
function identityRows(n: number): Float64Array[] {
  return Array.from({ length: n }, (_, k) => {
    const r = new Float64Array(n);
    r[k] = 1;
    return r;
  });
}

/**
 * Implicit QL sweeps on the unreduced block l..m of the tridiagonal matrix (d, e) until e[l] is
 * negligible (|e[l]| ≤ tol), accumulating the rotations into the rows of V (when not empty). Each
 * sweep shifts the block by h; returns the running shift total `f` with those shifts added, in order.
 */
function qlConverge(
  d: Float64Array,
  e: Float64Array,
  V: readonly Float64Array[],
  l: number,
  m: number,
  tol: number,
  f: number,
): number {
  const n = d.length;
  let iter = 0;
  do {
    if (++iter > 100) throw new Error("eighTridiagonal: QL iteration did not converge (100 sweeps for one eigenvalue)");
    let g = d[l]!;
    let p = (d[l + 1]! - g) / (2 * e[l]!);
    let r = Math.hypot(p, 1);
    if (p < 0) r = -r;
    d[l] = e[l]! / (p + r);
    d[l + 1] = e[l]! * (p + r);
    const dl1 = d[l + 1]!;
    let h = g - d[l]!;
    for (let i = l + 2; i < n; i++) d[i] = d[i]! - h;
    f += h;
    p = d[m]!;
    let c = 1;
    let c2 = c;
    let c3 = c;
    const el1 = e[l + 1]!;
    let s = 0;
    let s2 = 0;
    for (let i = m - 1; i >= l; i--) {
      c3 = c2;
      c2 = c;
      s2 = s;
      g = c * e[i]!;
      h = c * p;
      r = Math.hypot(p, e[i]!);
      e[i + 1] = s * r;
      s = e[i]! / r;
      c = p / r;
      p = c * d[i]! - s * g;
      d[i + 1] = h + s * (c * g + s * d[i]!);
      for (const row of V) {
        h = row[i + 1]!;
        row[i + 1] = s * row[i]! + c * h;
        row[i] = c * row[i]! - s * h;
      }
    }
    p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
    e[l] = s * p;
    d[l] = c * p;
  } while (Math.abs(e[l]!) > tol);
  return f;
}

/**
 * Eigenvalues and eigenvectors of a small dense symmetric matrix (rows of JS numbers) by cyclic
 * Jacobi rotations in float64. Values ascend. The input is symmetrized as (A + Aᵀ)/2 first.
 *
 * @example
 * eighJacobi([[2, 1], [1, 2]]).values; // [1, 3]
 */
export function eighJacobi(a: readonly ArrayLike<number>[], opts: { maxSweeps?: number } = {}): SymmetricEigen {
  checkOptions("eighJacobi", opts, ["maxSweeps"]);
  const n = a.length;
  for (const [i, row] of a.entries())
    if (row.length !== n)
      throw new RangeError(`eighJacobi: the matrix must be square; row ${i} has ${row.length} entries, expected ${n}`);
  const A = Array.from({ length: n }, (_, i) =>
    Float64Array.from({ length: n }, (_, j) => (a[i]![j]! + a[j]![i]!) / 2),
  );
  for (const row of A)
    for (const x of row)
      if (!Number.isFinite(x)) throw new RangeError("eighJacobi: the matrix has a NaN or infinite entry");
  const V = Array.from({ length: n }, (_, k) => {
    const r = new Float64Array(n);
    r[k] = 1;
    return r;
  });
  const maxSweeps = opts.maxSweeps ?? 100;
  let total = 0;
  for (const row of A) for (const x of row) total += x * x;
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    A.forEach((row, p) => {
      for (let q = p + 1; q < n; q++) off += row[q]! ** 2;
    });
    if (off <= EPS * EPS * total || off === 0) break;
    A.forEach((Ap, p) => {
      for (let q = p + 1; q < n; q++) {
        const Aq = A[q]!;
        const apq = Ap[q]!;
        if (apq === 0) continue;
        const theta = (Aq[q]! - Ap[p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        // Columns p and q of A, then rows p and q, then columns p and q of V.
        for (const Ak of A) rotate(Ak, p, Ak, q, c, s);
        for (let k = 0; k < n; k++) rotate(Ap, k, Aq, k, c, s);
        for (const Vk of V) rotate(Vk, p, Vk, q, c, s);
      }
    });
  }
  const d = A.map((row, i) => row[i]!);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  return { values: order.map((i) => d[i]!), vectors: order.map((i) => V.map((row) => row[i]!)) };
}

/** The plane rotation (x[i], y[j]) ← (c·x[i] − s·y[j], s·x[i] + c·y[j]), in place. */
function rotate(x: Float64Array, i: number, y: Float64Array, j: number, c: number, s: number): void {
  const xi = x[i]!;
  const yj = y[j]!;
  x[i] = c * xi - s * yj;
  y[j] = s * xi + c * yj;
}

/** x · y in float64. */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** ‖x‖₂ in float64 (scaled, so no overflow for large entries). */
export function norm2(x: ArrayLike<number>): number {
  let scale = 0;
  for (let i = 0; i < x.length; i++) scale = Math.max(scale, Math.abs(x[i]!));
  if (scale === 0 || !Number.isFinite(scale)) return scale;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! / scale) ** 2;
  return scale * Math.sqrt(s);
}

/** y ← y + a·x, in place. */
export function axpy(a: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] = y[i]! + a * x[i]!;
}

/**
 * Removes from `w` (in place) its components along the orthonormal vectors `basis`, by modified
 * Gram–Schmidt applied twice ("twice is enough" for orthogonality to working precision). Returns `w`.
 */
export function orthogonalize(w: Float64Array, basis: readonly Float64Array[]): Float64Array {
  for (let pass = 0; pass < 2; pass++)
    for (const q of basis) {
      const c = dot(q, w);
      if (c !== 0) axpy(-c, q, w);
    }
  return w;
}
