/**
 * Small dense float64 linear algebra on the host (plain JS numbers), used for the Lanczos
 * tridiagonal matrix and for checking small Hessians: symmetric tridiagonal eigensolver (implicit
 * QL, i.e. symmetric QR with Wilkinson-like shifts, after EISPACK `tql2`) and cyclic Jacobi for
 * dense symmetric matrices.
 */

/** Eigen-decomposition of a symmetric matrix: ascending `values`, and `vectors[i]` the unit eigenvector of `values[i]`. */
export interface SymmetricEigen {
  values: number[];
  vectors: number[][];
}

const EPS = 2 ** -52;

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
  const n = diag.length;
  if (offDiag.length !== Math.max(0, n - 1))
    throw new RangeError(
      `eighTridiagonal: offDiag must have length ${Math.max(0, n - 1)} for a ${n}×${n} matrix, got ${offDiag.length}`,
    );
  const wantVectors = opts.vectors ?? true;
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 0; i + 1 < n; i++) e[i] = offDiag[i]!;
  for (let i = 0; i < n; i++)
    if (!Number.isFinite(d[i]!) || !Number.isFinite(e[i]!))
      throw new RangeError("eighTridiagonal: the matrix has a NaN or infinite entry");
  // V[k][i]: row k, column i; columns become eigenvectors.
  const V: Float64Array[] = wantVectors
    ? Array.from({ length: n }, (_, k) => {
        const r = new Float64Array(n);
        r[k] = 1;
        return r;
      })
    : [];
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
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > 100)
          throw new Error("eighTridiagonal: QL iteration did not converge (100 sweeps for one eigenvalue)");
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
          if (wantVectors)
            for (let k = 0; k < n; k++) {
              const row = V[k]!;
              h = row[i + 1]!;
              row[i + 1] = s * row[i]! + c * h;
              row[i] = c * row[i]! - s * h;
            }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > EPS * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  return {
    values: order.map((i) => d[i]!),
    vectors: wantVectors ? order.map((i) => V.map((row) => row[i]!)) : [],
  };
}

/**
 * Eigenvalues and eigenvectors of a small dense symmetric matrix (rows of JS numbers) by cyclic
 * Jacobi rotations in float64. Values ascend. The input is symmetrized as (A + Aᵀ)/2 first.
 *
 * @example
 * eighJacobi([[2, 1], [1, 2]]).values; // [1, 3]
 */
export function eighJacobi(a: readonly ArrayLike<number>[], opts: { maxSweeps?: number } = {}): SymmetricEigen {
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
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += A[p]![q]! ** 2;
    if (off <= EPS * EPS * total || off === 0) break;
    for (let p = 0; p < n; p++)
      for (let q = p + 1; q < n; q++) {
        const apq = A[p]![q]!;
        if (apq === 0) continue;
        const app = A[p]![p]!;
        const aqq = A[q]![q]!;
        const theta = (aqq - app) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = A[k]![p]!;
          const akq = A[k]![q]!;
          A[k]![p] = c * akp - s * akq;
          A[k]![q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = A[p]![k]!;
          const aqk = A[q]![k]!;
          A[p]![k] = c * apk - s * aqk;
          A[q]![k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = V[k]![p]!;
          const vkq = V[k]![q]!;
          V[k]![p] = c * vkp - s * vkq;
          V[k]![q] = s * vkp + c * vkq;
        }
      }
  }
  const d = A.map((row, i) => row[i]!);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[x]! - d[y]!);
  return { values: order.map((i) => d[i]!), vectors: order.map((i) => V.map((row) => row[i]!)) };
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
