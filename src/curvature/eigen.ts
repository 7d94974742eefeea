/**
 * Extreme Hessian eigenvalues without forming the Hessian: Lanczos with full reorthogonalization
 * (default) or power iteration with deflation, both driven by Hessian-vector products on the
 * flattened parameter vector, with all vector arithmetic on the host in float64.
 */
import type { Array } from "../core/array.js";
import { FlatSpace } from "./flat.js";
import { flatHvp, type LossFn } from "./hvp.js";
import { axpy, dot, eighTridiagonal, norm2, orthogonalize } from "./host-linalg.js";
import { streamFrom, type KeyStream } from "./rng.js";

/** Options of `topHessianEigenvalues` / `smallestHessianEigenvalues`. */
export interface HessianEigenOptions {
  /** How many eigenvalues (default 1); at most the number of parameters. */
  k?: number;
  /** `"lanczos"` (default): Lanczos with full reorthogonalization. `"power"`: power iteration with deflation on a shifted Hessian. */
  method?: "lanczos" | "power";
  /**
   * Lanczos: the largest Krylov dimension, i.e. at most this many Hessian-vector products
   * (default min(n, max(100, 4k + 40)); n = number of parameters). Power: the most iterations per
   * eigenvalue (default 1000).
   */
  iters?: number;
  /**
   * Convergence tolerance on the eigen-residual ‖Hv − λv‖ relative to the largest |eigenvalue| seen
   * (default 1e-8 when every parameter is float64, 1e-5 otherwise). Iteration stops early once
   * every requested pair meets it.
   */
  tol?: number;
  /** A PRNG key (`random.key(seed)`) for the random start vectors. */
  key?: Array;
  /** An integer seed for the start vectors, meaning `random.key(seed)` (default 0). Give `key` or `seed`, not both. */
  seed?: number;
  /** Also return the eigenvectors, each as a pytree shaped like params, unit norm over all leaves (default false). */
  eigenvectors?: boolean;
}

/** Result of an eigenvalue computation. */
export interface HessianEigenResult<P> {
  /** Top: largest first (descending). Smallest: most negative first (ascending). */
  eigenvalues: number[];
  /** With `eigenvectors: true`: unit eigenvectors shaped like params, matching `eigenvalues`. */
  eigenvectors?: P[];
  /** ‖Hv − λv‖ for each pair (Lanczos: the standard estimate |βₘ·sₘ|; power: measured). */
  residuals: number[];
  /** Whether every requested pair met `tol` (or the Krylov space was exhausted, which is exact). */
  converged: boolean;
  /** Hessian-vector products used. */
  hvps: number;
  /** The method used. */
  method: "lanczos" | "power";
}

const KNOWN_OPTIONS = new Set(["k", "method", "iters", "tol", "key", "seed", "eigenvectors"]);

interface Resolved {
  k: number;
  method: "lanczos" | "power";
  iters: number;
  tol: number;
  stream: KeyStream;
  eigenvectors: boolean;
}

/** Validates options against the problem size n; `needK` false for the extremes (k is ignored there). */
export function resolveOptions(opts: HessianEigenOptions, space: FlatSpace<unknown>, op: string, extraKeys: readonly string[] = []): Resolved {
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object, got ${opts === null ? "null" : typeof opts}`);
  for (const name of Object.keys(opts))
    if (!KNOWN_OPTIONS.has(name) && !extraKeys.includes(name))
      throw new TypeError(`${op}: unknown option '${name}'; expected one of ${[...KNOWN_OPTIONS, ...extraKeys].join(", ")}`);
  const n = space.size;
  if (n === 0) throw new RangeError(`${op}: params has no parameters (an empty pytree)`);
  const k = opts.k ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${op}: k must be a positive integer, got ${k}`);
  if (k > n) throw new RangeError(`${op}: k = ${k} is larger than the number of parameters (${n}); the Hessian has only ${n} eigenvalues`);
  const method = opts.method ?? "lanczos";
  if (method !== "lanczos" && method !== "power") throw new TypeError(`${op}: method must be "lanczos" or "power", got ${JSON.stringify(method)}`);
  const iters = opts.iters ?? (method === "lanczos" ? Math.min(n, Math.max(100, 4 * k + 40)) : 1000);
  if (!Number.isInteger(iters) || iters < 1) throw new RangeError(`${op}: iters must be a positive integer, got ${iters}`);
  if (method === "lanczos" && Math.min(iters, n) < k)
    throw new RangeError(`${op}: iters = ${iters} Lanczos steps cannot give k = ${k} eigenvalues; use iters >= k`);
  const allF64 = space.dtypes.every((d) => d === "float64");
  const tol = opts.tol ?? (allF64 ? 1e-8 : 1e-5);
  if (typeof tol !== "number" || !(tol > 0) || !Number.isFinite(tol)) throw new RangeError(`${op}: tol must be a positive finite number, got ${tol}`);
  if (opts.eigenvectors !== undefined && typeof opts.eigenvectors !== "boolean") throw new TypeError(`${op}: eigenvectors must be a boolean`);
  return { k, method, iters, tol, stream: streamFrom(opts, op), eigenvectors: opts.eigenvectors ?? false };
}

/** A linear operator on flat float64 vectors. */
type Op = (v: Float64Array) => Float64Array;

/** A random unit vector orthogonal to `basis`, or null when `basis` already spans the space. */
function randomOrthoUnit(stream: KeyStream, n: number, basis: readonly Float64Array[]): Float64Array | null {
  for (let attempt = 0; attempt < 3; attempt++) {
    const v = orthogonalize(stream.normals(n), basis);
    const nv = norm2(v);
    if (nv > 1e-8 * Math.sqrt(n)) {
      for (let i = 0; i < n; i++) v[i] = v[i]! / nv;
      return v;
    }
  }
  return null;
}

interface LanczosOut {
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
function lanczos(op: Op, n: number, top: number, bottom: number, maxIter: number, tol: number, stream: KeyStream, wantVectors: boolean): LanczosOut {
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

interface PowerPair {
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
function powerIterate(
  op: Op,
  n: number,
  basis: readonly Float64Array[],
  iters: number,
  tol: number,
  scale: number,
  stream: KeyStream,
  detectPair = false,
): PowerPair {
  let v = randomOrthoUnit(stream, n, basis);
  if (v === null) throw new Error("power iteration: no directions left (k exceeds the dimension)");
  let theta = 0;
  let residual = Infinity;
  let radius = 0;
  for (let t = 0; t < iters; t++) {
    const w = orthogonalize(op(v), basis);
    theta = dot(v, w);
    const prevRadius = radius;
    radius = norm2(w);
    const r = new Float64Array(w);
    axpy(-theta, v, r);
    residual = norm2(r);
    if (radius === 0 || residual <= tol * Math.max(Math.abs(theta), scale, radius)) return { theta, v, residual, converged: true, radius };
    // ±λ both dominant: ‖Av‖ settles at the spectral radius while v keeps flipping between two
    // directions, so the Rayleigh quotient stays well inside (−‖Av‖, ‖Av‖). Give up early.
    if (detectPair && t >= 10 && Math.abs(radius - prevRadius) <= 1e-3 * tol * radius && Math.abs(theta) < 0.9 * radius)
      return { theta, v, residual, converged: false, radius };
    for (let i = 0; i < n; i++) w[i] = w[i]! / radius;
    v = w;
  }
  return { theta, v, residual, converged: false, radius };
}

interface Pair {
  value: number;
  vector: Float64Array;
  residual: number;
  converged: boolean;
}

interface PowerExtremes {
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
function powerExtremes(hv: Op, n: number, iters: number, tol: number, stream: KeyStream, need: "max" | "min" | "both"): PowerExtremes {
  const first = powerIterate(hv, n, [], iters, tol, 0, stream, true);
  const rho = first.radius;
  if (!first.converged) return { lo: -rho, hi: rho, maxPair: null, minPair: null };
  const mu = first.theta;
  const shifted: Op = (v) => {
    const w = hv(v);
    axpy(-mu, v, w);
    return w;
  };
  // μ ≥ 0 is λmax (the dominant eigenvalue is positive), μ < 0 is λmin.
  const secondWanted = need === "both" || (need === "max" ? mu < 0 : mu >= 0);
  const second = secondWanted
    ? powerIterate(shifted, n, [], iters, tol, Math.abs(mu), stream)
    : powerIterate(shifted, n, [], Math.min(iters, 100), Math.max(tol, 1e-3), Math.abs(mu), stream);
  let nu = second.theta + mu;
  if (!secondWanted && !second.converged) {
    // A rough shift: step outwards by the residual, but never past the spectral radius.
    nu = mu >= 0 ? Math.max(-rho, nu - second.residual) : Math.min(rho, nu + second.residual);
  }
  const p1: Pair = { value: mu, vector: first.v, residual: first.residual, converged: true };
  const p2: Pair | null = secondWanted && second.converged ? { value: nu, vector: second.v, residual: second.residual, converged: true } : null;
  // When H = μI the second run sees the zero operator: both ends are μ.
  if (mu >= nu) return { lo: nu, hi: mu, maxPair: p1, minPair: p2 };
  return { lo: mu, hi: nu, maxPair: p2, minPair: p1 };
}

/**
 * Top-k (`sign` +1) or bottom-k (`sign` −1) eigenpairs by power iteration with deflation on the
 * positive semidefinite shift B = sign·(H − end·I) (end = λmin for the top, λmax for the bottom).
 */
function powerK(hv: Op, n: number, k: number, sign: 1 | -1, iters: number, tol: number, stream: KeyStream): Pair[] {
  const ext = powerExtremes(hv, n, iters, tol, stream, sign === 1 ? "max" : "min");
  const end = sign === 1 ? ext.lo : ext.hi;
  const scale = Math.max(Math.abs(ext.lo), Math.abs(ext.hi));
  const B: Op = (v) => {
    const w = hv(v);
    axpy(-end, v, w);
    if (sign === -1) for (let i = 0; i < w.length; i++) w[i] = -w[i]!;
    return w;
  };
  const pairs: Pair[] = [];
  const known = sign === 1 ? ext.maxPair : ext.minPair;
  if (known) pairs.push(known);
  while (pairs.length < k) {
    const basis = pairs.map((p) => p.vector);
    const r = powerIterate(B, n, basis, iters, tol, scale, stream);
    pairs.push({ value: sign * r.theta + end, vector: r.v, residual: r.residual, converged: r.converged });
  }
  pairs.sort((a, b) => sign * (b.value - a.value));
  return pairs;
}

type Which = "top" | "bottom";

function eigenImpl<P>(f: LossFn<P>, params: P, opts: HessianEigenOptions, which: Which, op: string): HessianEigenResult<P> {
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function of the params, got ${typeof f}`);
  const space = new FlatSpace(params, op);
  const o = resolveOptions(opts, space as FlatSpace<unknown>, op);
  const hv = flatHvp(f, space);
  const n = space.size;
  let values: number[];
  let residuals: number[];
  let vectors: Float64Array[] = [];
  let converged: boolean;
  if (o.method === "lanczos") {
    const out = lanczos(hv.apply, n, which === "top" ? o.k : 0, which === "bottom" ? o.k : 0, o.iters, o.tol, o.stream, o.eigenvectors);
    const len = out.values.length;
    const idx = globalThis.Array.from({ length: o.k }, (_, i) => (which === "top" ? len - 1 - i : i));
    values = idx.map((i) => out.values[i]!);
    residuals = idx.map((i) => out.residuals[i]!);
    if (o.eigenvectors) vectors = idx.map((i) => out.vectors[i]!);
    converged = out.converged;
  } else {
    const pairs = powerK(hv.apply, n, o.k, which === "top" ? 1 : -1, o.iters, o.tol, o.stream);
    values = pairs.map((p) => p.value);
    residuals = pairs.map((p) => p.residual);
    vectors = pairs.map((p) => p.vector);
    converged = pairs.every((p) => p.converged);
  }
  const result: HessianEigenResult<P> = { eigenvalues: values, residuals, converged, hvps: hv.calls, method: o.method };
  if (o.eigenvectors) result.eigenvectors = vectors.map((v) => space.fromVector(v));
  return result;
}

/**
 * The `k` largest (most positive) eigenvalues of the Hessian of `f` at `params`, largest first,
 * computed from Hessian-vector products only (memory O(n·iters) on the host for Lanczos, O(n·k)
 * for power iteration; n = number of parameters).
 *
 * Lanczos (default) builds an orthonormal Krylov basis with full reorthogonalization and takes the
 * Ritz values of the small tridiagonal matrix (float64 implicit QL on the host). Like every
 * single-vector Krylov method it sees one copy of a repeated eigenvalue until the Krylov space is
 * exhausted (then it restarts in the complement and finds the copies); power iteration with
 * deflation finds copies directly. Power iteration works on H − λmin·I (positive semidefinite),
 * so "top" means algebraically largest for both methods.
 *
 * @example
 * const f = (p: { w: Array }) => p.w.square().mul(np.array([1, 4, 9])).sum();
 * topHessianEigenvalues(f, { w: np.zeros([3]) }, { k: 2 }).eigenvalues; // ≈ [18, 8]
 */
export function topHessianEigenvalues<P>(f: LossFn<P>, params: P, opts: HessianEigenOptions = {}): HessianEigenResult<P> {
  return eigenImpl(f, params, opts, "top", "topHessianEigenvalues");
}

/**
 * The `k` smallest (most negative) eigenvalues of the Hessian of `f` at `params`, smallest first:
 * the lower end of the Lanczos spectrum, or power iteration with deflation on λmax·I − H.
 * Negative values mean negative curvature (a saddle or a maximum along those directions).
 * Options and caveats as for `topHessianEigenvalues`.
 *
 * @example
 * const saddle = (p: Array) => p.get(0).square().sub(p.get(1).square()); // x² − y²
 * smallestHessianEigenvalues(saddle, np.zeros([2])).eigenvalues; // ≈ [-2]
 */
export function smallestHessianEigenvalues<P>(f: LossFn<P>, params: P, opts: HessianEigenOptions = {}): HessianEigenResult<P> {
  return eigenImpl(f, params, opts, "bottom", "smallestHessianEigenvalues");
}

/** Options of `hessianExtremes` and `conditionNumber`. */
export interface ConditionOptions extends Omit<HessianEigenOptions, "k" | "eigenvectors"> {
  /**
   * Eigenvalues with |λ| ≤ singularTol·max(|λmax|, |λmin|) count as zero (default 1e-9 when every
   * parameter is float64, 1e-5 otherwise: below that, float rounding in the HVPs dominates).
   */
  singularTol?: number;
}

/** The shape of the Hessian's spectrum at a point, from its two ends. */
export type Definiteness =
  | "positive-definite"
  | "negative-definite"
  | "positive-semidefinite"
  | "negative-semidefinite"
  | "indefinite"
  | "zero";

/** The two ends of the Hessian's spectrum and what they imply. */
export interface HessianExtremes {
  /** The largest (algebraic) eigenvalue. */
  max: number;
  /** The smallest (algebraic) eigenvalue. */
  min: number;
  /** As `conditionNumber` documents. */
  conditionNumber: number;
  definiteness: Definiteness;
  converged: boolean;
  hvps: number;
}

/**
 * Both ends of the Hessian's spectrum (λmax, λmin) at `params` — one Lanczos run (or two power
 * runs) — with the definiteness they imply and the condition number (see `conditionNumber`).
 *
 * @example
 * const q = (x: Array) => x.square().mul(np.array([1, 100])).sum().div(2);
 * hessianExtremes(q, np.zeros([2])); // { max: 100, min: 1, conditionNumber: 100, definiteness: "positive-definite", ... }
 */
export function hessianExtremes<P>(f: LossFn<P>, params: P, opts: ConditionOptions = {}): HessianExtremes {
  return extremesImpl(f, params, opts, "hessianExtremes");
}

function extremesImpl<P>(f: LossFn<P>, params: P, opts: ConditionOptions, op: string): HessianExtremes {
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function of the params, got ${typeof f}`);
  if (opts !== null && typeof opts === "object" && ("k" in opts || "eigenvectors" in opts))
    throw new TypeError(`${op}: options k and eigenvectors do not apply (both ends are computed); use topHessianEigenvalues / smallestHessianEigenvalues`);
  const space = new FlatSpace(params, op);
  const o = resolveOptions(opts, space as FlatSpace<unknown>, op, ["singularTol"]);
  const allF64 = space.dtypes.every((d) => d === "float64");
  const singularTol = opts.singularTol ?? (allF64 ? 1e-9 : 1e-5);
  if (typeof singularTol !== "number" || !(singularTol >= 0) || !Number.isFinite(singularTol))
    throw new RangeError(`${op}: singularTol must be a non-negative finite number, got ${singularTol}`);
  const hv = flatHvp(f, space);
  const n = space.size;
  let max: number;
  let min: number;
  let converged: boolean;
  if (o.method === "lanczos") {
    const out = lanczos(hv.apply, n, 1, 1, o.iters, o.tol, o.stream, false);
    max = out.values[out.values.length - 1]!;
    min = out.values[0]!;
    converged = out.converged;
  } else {
    const ext = powerExtremes(hv.apply, n, o.iters, o.tol, o.stream, "both");
    const maxPair = ext.maxPair ?? powerK(hv.apply, n, 1, 1, o.iters, o.tol, o.stream)[0]!;
    const minPair = ext.minPair ?? powerK(hv.apply, n, 1, -1, o.iters, o.tol, o.stream)[0]!;
    max = maxPair.value;
    min = minPair.value;
    converged = maxPair.converged && minPair.converged;
  }
  const { conditionNumber, definiteness } = classify(max, min, singularTol);
  return { max, min, conditionNumber, definiteness, converged, hvps: hv.calls };
}

/** Definiteness and condition number from the spectrum's ends. */
export function classify(max: number, min: number, singularTol: number): { conditionNumber: number; definiteness: Definiteness } {
  const scale = Math.max(Math.abs(max), Math.abs(min));
  const zero = singularTol * scale;
  if (scale === 0) return { conditionNumber: Infinity, definiteness: "zero" };
  if (min > zero) return { conditionNumber: max / min, definiteness: "positive-definite" };
  if (max < -zero) return { conditionNumber: min / max, definiteness: "negative-definite" };
  if (Math.abs(min) <= zero) return { conditionNumber: Infinity, definiteness: "positive-semidefinite" };
  if (Math.abs(max) <= zero) return { conditionNumber: Infinity, definiteness: "negative-semidefinite" };
  return { conditionNumber: Math.abs(max) / Math.abs(min), definiteness: "indefinite" };
}

/**
 * The Hessian's condition number at `params`, |λmax| / |λmin| from the two ends of its spectrum
 * (λmax, λmin: the algebraically largest and smallest eigenvalues, via `hessianExtremes`):
 *
 * - positive definite (λmin > 0): λmax / λmin, the usual κ₂ — how much faster the loss curves
 *   along the steepest direction than along the flattest one; gradient descent needs a step below
 *   2/λmax and then crawls along the λmin direction at a rate ≈ 1 − 1/κ per step.
 * - negative definite (λmax < 0, a local maximum): |λmin| / |λmax|, again κ₂ (≥ 1).
 * - singular (an end within `singularTol`·max|λ| of zero, e.g. a flat direction, or H = 0):
 *   `Infinity`.
 * - indefinite (λmin < 0 < λmax, a saddle point): |λmax| / |λmin|, the ratio of the strongest
 *   positive to the strongest negative curvature. This is *not* κ₂ = max|λ| / min|λ| (that needs
 *   the eigenvalue nearest zero, an interior one that Lanczos does not target); values below 1 mean
 *   the negative curvature dominates. Check `hessianExtremes(...).definiteness` to tell the cases
 *   apart.
 *
 * @example
 * const q = (x: Array) => x.square().mul(np.array([1, 100])).sum().div(2);
 * conditionNumber(q, np.zeros([2])); // ≈ 100
 */
export function conditionNumber<P>(f: LossFn<P>, params: P, opts: ConditionOptions = {}): number {
  return extremesImpl(f, params, opts, "conditionNumber").conditionNumber;
}
