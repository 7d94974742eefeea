/** Power iteration with deflation and spectral shifts for extreme eigenpairs of a symmetric operator (host float64). */
import type { Reading } from "./host-read.js";
import { axpy, dot, norm2, orthogonalize } from "./host-linalg.js";
import type { KeyStream } from "./rng.js";
import { randomOrthoUnit, type Op } from "./start-vector.js";

export interface PowerPair {
  theta: number;
  v: Float64Array;
  residual: number;
  converged: boolean;
  /** ‖Av‖ at the last step: tends to the spectral radius of A on the deflated space. */
  radius: number;
}

/**
 * Power iteration for the dominant eigenpair of `op` restricted to the orthogonal complement of
 * `basis` (projected deflation). Converged when ‖Av − θv‖ ≤ tol·max(|θ|, scale).
 */
export function* powerIterate(
  op: Op,
  n: number,
  basis: readonly Float64Array[],
  iters: number,
  tol: number,
  scale: number,
  stream: KeyStream,
  detectPair = false,
): Reading<PowerPair> {
  let v = yield* randomOrthoUnit(stream, n, basis);
  if (v === null) throw new Error("power iteration: no directions left (k exceeds the dimension)");
  let theta = 0;
  let residual = Infinity;
  let radius = 0;
  for (let t = 0; t < iters; t++) {
    const w = orthogonalize(yield* op(v), basis);
    theta = dot(v, w);
    const prevRadius = radius;
    radius = norm2(w);
    const r = new Float64Array(w);
    axpy(-theta, v, r);
    residual = norm2(r);
    if (radius === 0 || residual <= tol * Math.max(Math.abs(theta), scale, radius))
      return { theta, v, residual, converged: true, radius };
    // ±λ both dominant: ‖Av‖ settles at the spectral radius while v keeps flipping between two
    // directions, so the Rayleigh quotient stays well inside (−‖Av‖, ‖Av‖). Give up early.
    if (detectPair && t >= 10 && Math.abs(radius - prevRadius) <= 1e-3 * tol * radius && Math.abs(theta) < 0.9 * radius)
      return { theta, v, residual, converged: false, radius };
    for (let i = 0; i < n; i++) w[i] = w[i]! / radius;
    v = w;
  }
  return { theta, v, residual, converged: false, radius };
}

export interface Pair {
  value: number;
  vector: Float64Array;
  residual: number;
  converged: boolean;
}

export interface PowerExtremes {
  /** Bounds used as shifts: lo ≤ λmin(H) (approximately), hi ≥ λmax(H). */
  lo: number;
  hi: number;
  /** Extreme eigenpairs found on the way (λmax and/or λmin), if they converged. */
  maxPair: Pair | null;
  minPair: Pair | null;
}

/**
 * The spectrum's ends by power iteration: first on H (its dominant eigenvalue μ, one of the ends),
 * then on H − μI (the other end). If the first run does not settle (e.g. λ and −λ both dominant),
 * falls back to ±ρ with ρ ≈ the spectral radius. `need` says which ends are results; an end only
 * needed as a shift is computed roughly (at most 100 steps, tolerance 1e-3): a shift a little
 * inside the spectrum only leaves the shifted operator a small negative eigenvalue, harmless for
 * finding the other end's eigenvalues.
 */
export function* powerExtremes(
  hv: Op,
  n: number,
  iters: number,
  tol: number,
  stream: KeyStream,
  need: "max" | "min" | "both",
): Reading<PowerExtremes> {
  const first = yield* powerIterate(hv, n, [], iters, tol, 0, stream, true);
  const rho = first.radius;
  if (!first.converged) return { lo: -rho, hi: rho, maxPair: null, minPair: null };
  const mu = first.theta;
  const shifted: Op = function* (v) {
    const w = yield* hv(v);
    axpy(-mu, v, w);
    return w;
  };
  // μ ≥ 0 is λmax (the dominant eigenvalue is positive), μ < 0 is λmin.
  const secondWanted = need === "both" || (need === "max" ? mu < 0 : mu >= 0);
  const second = secondWanted
    ? yield* powerIterate(shifted, n, [], iters, tol, Math.abs(mu), stream)
    : yield* powerIterate(shifted, n, [], Math.min(iters, 100), Math.max(tol, 1e-3), Math.abs(mu), stream);
  let nu = second.theta + mu;
  if (!secondWanted && !second.converged) {
    // A rough shift: step outwards by the residual, but never past the spectral radius.
    nu = mu >= 0 ? Math.max(-rho, nu - second.residual) : Math.min(rho, nu + second.residual);
  }
  const p1: Pair = { value: mu, vector: first.v, residual: first.residual, converged: true };
  const p2: Pair | null =
    secondWanted && second.converged
      ? { value: nu, vector: second.v, residual: second.residual, converged: true }
      : null;
  // When H = μI the second run sees the zero operator: both ends are μ.
  if (mu >= nu) return { lo: nu, hi: mu, maxPair: p1, minPair: p2 };
  return { lo: mu, hi: nu, maxPair: p2, minPair: p1 };
}

/**
 * Top-k (`sign` +1) or bottom-k (`sign` −1) eigenpairs by power iteration with deflation on the
 * positive semidefinite shift B = sign·(H − end·I) (end = λmin for the top, λmax for the bottom).
 */
export function* powerK(
  hv: Op,
  n: number,
  k: number,
  sign: 1 | -1,
  iters: number,
  tol: number,
  stream: KeyStream,
): Reading<Pair[]> {
  const ext = yield* powerExtremes(hv, n, iters, tol, stream, sign === 1 ? "max" : "min");
  const end = sign === 1 ? ext.lo : ext.hi;
  const scale = Math.max(Math.abs(ext.lo), Math.abs(ext.hi));
  const B: Op = function* (v) {
    const w = yield* hv(v);
    axpy(-end, v, w);
    if (sign === -1) for (let i = 0; i < w.length; i++) w[i] = -w[i]!;
    return w;
  };
  const pairs: Pair[] = [];
  const known = sign === 1 ? ext.maxPair : ext.minPair;
  if (known) pairs.push(known);
  while (pairs.length < k) {
    const basis = pairs.map((p) => p.vector);
    const r = yield* powerIterate(B, n, basis, iters, tol, scale, stream);
    pairs.push({ value: sign * r.theta + end, vector: r.v, residual: r.residual, converged: r.converged });
  }
  pairs.sort((a, b) => sign * (b.value - a.value));
  return pairs;
}
