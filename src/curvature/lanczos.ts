/**
 * Lanczos with full reorthogonalization for the extreme eigenpairs of a symmetric operator (host
 * float64). Indices into the basis Q, the Ritz vectors and typed arrays are bounded by their lengths:
 * each `!` marks such an in-range read.
 */
import type { Reading } from "./host-read.js";
import { axpy, dot, eighTridiagonal, norm2, orthogonalize, type SymmetricEigen } from "./host-linalg.js";
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
export function* lanczos(
  op: Op,
  n: number,
  top: number,
  bottom: number,
  maxIter: number,
  tol: number,
  stream: KeyStream,
  wantVectors: boolean,
): Reading<LanczosOut> {
  const m = Math.min(maxIter, n);
  const need = Math.min(n, top + bottom);
  const Q: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  const start = yield* randomOrthoUnit(stream, n, []);
  if (start === null) throw new Error("lanczos: could not draw a nonzero random start vector");
  let q = start;
  let blockStart = 0;
  let scale = 0;
  let lastBeta = 0;
  let converged = false;
  let eig = { values: [] as number[], vectors: [] as number[][] };
  for (let j = 0; j < m; j++) {
    Q.push(q);
    const { a, w, b } = yield* expandBasis(op, Q, j > blockStart ? beta[j - 1] : undefined);
    alpha.push(a);
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
      if (ritzConverged(eig, b, wantedIndices(size, top, bottom), tol)) {
        converged = true;
        break;
      }
    }
    if (j === m - 1) break;
    if (breakdown) {
      // Invariant subspace: continue in its orthogonal complement (decoupled block of T).
      const next = yield* randomOrthoUnit(stream, n, Q);
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
  const vectors = wantVectors ? eig.vectors.map((s) => ritzVector(s, Q, n)) : [];
  return { values: eig.values, residuals, vectors, converged, steps: size };
}

/**
 * One Lanczos expansion from the newest basis vector q = Q[j]: w = op(q) − αq − β₋·Q[j−1] (β₋
 * undefined at the start of a block), reorthogonalized against all of Q; α = qᵀop(q) and b = ‖w‖.
 */
function* expandBasis(
  op: Op,
  Q: readonly Float64Array[],
  betaPrev: number | undefined,
): Reading<{ a: number; w: Float64Array; b: number }> {
  const j = Q.length - 1;
  const q = Q[j]!;
  const w = yield* op(q);
  const a = dot(q, w);
  axpy(-a, q, w);
  if (betaPrev !== undefined) axpy(-betaPrev, Q[j - 1]!, w);
  orthogonalize(w, Q);
  return { a, w, b: norm2(w) };
}

/** The indices of the `bottom` smallest and `top` largest of `len` ascending Ritz values. */
function wantedIndices(len: number, top: number, bottom: number): number[] {
  const idx = new Set<number>();
  for (let i = 0; i < Math.min(bottom, len); i++) idx.add(i);
  for (let i = 0; i < Math.min(top, len); i++) idx.add(len - 1 - i);
  return [...idx];
}

/**
 * Whether the wanted Ritz pairs meet `tol`: each residual estimate |b·sₘ| (sₘ the last component
 * of the Ritz vector in the Krylov basis) is at most tol times the largest |Ritz value|.
 */
function ritzConverged(eig: SymmetricEigen, b: number, wanted: readonly number[], tol: number): boolean {
  const size = eig.values.length;
  const res = eig.vectors.map((s) => Math.abs(b * s[size - 1]!));
  const sc = Math.max(Math.abs(eig.values[0]!), Math.abs(eig.values[size - 1]!), Number.MIN_VALUE);
  return wanted.every((i) => res[i]! <= tol * sc);
}

/** The Ritz vector Q·s in the original space, normalized. */
function ritzVector(s: readonly number[], Q: readonly Float64Array[], n: number): Float64Array {
  const y = new Float64Array(n);
  s.forEach((si, i) => axpy(si, Q[i]!, y));
  const ny = norm2(y);
  if (ny > 0) for (let i = 0; i < n; i++) y[i] = y[i]! / ny;
  return y;
}
