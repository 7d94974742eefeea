/** Lanczos with full reorthogonalization for the extreme eigenpairs of a symmetric operator (host float64). */
import { axpy, dot, eighTridiagonal, norm2, orthogonalize } from "./host-linalg.js";
import type { KeyStream } from "./rng.js";
import { randomOrthoUnit, type Op } from "./start-vector.js";

export interface LanczosOut {
  /** Ritz values, ascending. */
  values: number[];
  /** Residual estimates, matching `values`. */
  residuals: number[];
  /** Ritz vectors in the original space (only when asked), matching `values`. */
  vectors: Float64Array[];
  converged: boolean;
  steps: number;
}

/**
 * Lanczos with full reorthogonalization for the `top` largest and `bottom` smallest eigenvalues of
 * the symmetric operator `op` on Rⁿ. Breakdown (an invariant subspace) restarts from a new random
 * vector orthogonal to everything so far, so multiplicities are found once the Krylov space is
 * exhausted.
 */
export function lanczos(
  op: Op,
  n: number,
  top: number,
  bottom: number,
  maxIter: number,
  tol: number,
  stream: KeyStream,
  wantVectors: boolean,
): LanczosOut {
  const m = Math.min(maxIter, n);
  const need = Math.min(n, top + bottom);
  const Q: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = randomOrthoUnit(stream, n, Q)!;
  let blockStart = 0;
  let scale = 0;
  let lastBeta = 0;
  let converged = false;
  let eig = { values: [] as number[], vectors: [] as number[][] };
  const wanted = (len: number): number[] => {
    const idx = new Set<number>();
    for (let i = 0; i < Math.min(bottom, len); i++) idx.add(i);
    for (let i = 0; i < Math.min(top, len); i++) idx.add(len - 1 - i);
    return [...idx];
  };
  for (let j = 0; j < m; j++) {
    Q.push(q);
    const w = op(q);
    const a = dot(q, w);
    alpha.push(a);
    axpy(-a, q, w);
    if (j > blockStart) axpy(-beta[j - 1]!, Q[j - 1]!, w);
    orthogonalize(w, Q);
    const b = norm2(w);
    scale = Math.max(scale, Math.abs(a), b);
    lastBeta = b;
    const size = j + 1;
    if (size === n) {
      // The Krylov basis spans everything: the tridiagonal matrix is similar to H, exactly.
      lastBeta = 0;
      eig = eighTridiagonal(alpha, beta);
      converged = true;
      break;
    }
    const breakdown = b <= 1e-10 * scale;
    if (size >= need && !breakdown && size - blockStart >= Math.min(n - blockStart, need + 2)) {
      eig = eighTridiagonal(alpha, beta);
      const res = eig.vectors.map((s) => Math.abs(b * s[size - 1]!));
      const sc = Math.max(Math.abs(eig.values[0]!), Math.abs(eig.values[size - 1]!), Number.MIN_VALUE);
      if (wanted(size).every((i) => res[i]! <= tol * sc)) {
        converged = true;
        break;
      }
    }
    if (j === m - 1) break;
    if (breakdown) {
      // Invariant subspace: continue in its orthogonal complement (decoupled block of T).
      const next = randomOrthoUnit(stream, n, Q);
      if (next === null) {
        lastBeta = 0;
        converged = true;
        break;
      }
      beta.push(0);
      blockStart = j + 1;
      q = next;
    } else {
      beta.push(b);
      for (let i = 0; i < n; i++) w[i] = w[i]! / b;
      q = w;
    }
  }
  const size = alpha.length;
  if (eig.values.length !== size) eig = eighTridiagonal(alpha, beta);
  const residuals = eig.vectors.map((s) => Math.abs(lastBeta * s[size - 1]!));
  let vectors: Float64Array[] = [];
  if (wantVectors)
    vectors = eig.vectors.map((s) => {
      const y = new Float64Array(n);
      for (let i = 0; i < size; i++) axpy(s[i]!, Q[i]!, y);
      const ny = norm2(y);
      if (ny > 0) for (let i = 0; i < n; i++) y[i] = y[i]! / ny;
      return y;
    });
  return { values: eig.values, residuals, vectors, converged, steps: size };
}
