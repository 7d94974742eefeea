/**
 * Both ends of the Hessian spectrum: `hessianExtremes`, `conditionNumber` (and their `…Async`
 * twins) and the definiteness classification.
 */
import { FlatSpace } from "./flat.js";
import { runAsync, runSync, type Reading } from "./host-read.js";
import { flatHvp, type LossFn } from "./hvp.js";
import { resolveOptions, type HessianEigenOptions } from "./eigen-options.js";
import { lanczos } from "./lanczos.js";
import { powerExtremes, powerK } from "./power-iteration.js";

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
  return runSync(extremesRun(f, params, opts, "hessianExtremes"), "hessianExtremesAsync");
}

/**
 * {@link hessianExtremes} for backends that read asynchronously (WebGPU): the same options and
 * result, with each Hessian-vector product read by `await x.data()`.
 *
 * @example
 * const q = (x: Array) => x.square().mul(np.array([1, 100])).sum().div(2);
 * await hessianExtremesAsync(q, np.zeros([2])); // { max: 100, min: 1, conditionNumber: 100, ... }
 */
export function hessianExtremesAsync<P>(
  f: LossFn<P>,
  params: P,
  opts: ConditionOptions = {},
): Promise<HessianExtremes> {
  return runAsync(extremesRun(f, params, opts, "hessianExtremesAsync"));
}

/** Both ends of the spectrum, yielding the reads to a driver (sync or async). */
function* extremesRun<P>(f: LossFn<P>, params: P, opts: ConditionOptions, op: string): Reading<HessianExtremes> {
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function of the params, got ${typeof f}`);
  if (opts !== null && typeof opts === "object" && ("k" in opts || "eigenvectors" in opts))
    throw new TypeError(
      `${op}: options k and eigenvectors do not apply (both ends are computed); use topHessianEigenvalues / smallestHessianEigenvalues`,
    );
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
    const out = yield* lanczos(hv.apply, n, 1, 1, o.iters, o.tol, o.stream, false);
    // The Ritz values ascend (lanczos takes at least one step, so there is one).
    const lo = out.values[0];
    const hi = out.values[out.values.length - 1];
    if (lo === undefined || hi === undefined) throw new Error(`${op}: the Lanczos iteration returned no Ritz values`);
    max = hi;
    min = lo;
    converged = out.converged;
  } else {
    const ext = yield* powerExtremes(hv.apply, n, o.iters, o.tol, o.stream, "both");
    // powerK with k = 1 returns exactly one pair.
    const maxPair = ext.maxPair ?? (yield* powerK(hv.apply, n, 1, 1, o.iters, o.tol, o.stream))[0]!;
    const minPair = ext.minPair ?? (yield* powerK(hv.apply, n, 1, -1, o.iters, o.tol, o.stream))[0]!;
    max = maxPair.value;
    min = minPair.value;
    converged = maxPair.converged && minPair.converged;
  }
  const { conditionNumber, definiteness } = classify(max, min, singularTol);
  return { max, min, conditionNumber, definiteness, converged, hvps: hv.calls };
}

/** Definiteness and condition number from the spectrum's ends. */
export function classify(
  max: number,
  min: number,
  singularTol: number,
): { conditionNumber: number; definiteness: Definiteness } {
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
  return runSync(extremesRun(f, params, opts, "conditionNumber"), "conditionNumberAsync").conditionNumber;
}

/**
 * {@link conditionNumber} for backends that read asynchronously (WebGPU): the same options and
 * value, with each Hessian-vector product read by `await x.data()`.
 *
 * @example
 * const q = (x: Array) => x.square().mul(np.array([1, 100])).sum().div(2);
 * await conditionNumberAsync(q, np.zeros([2])); // ≈ 100
 */
export async function conditionNumberAsync<P>(f: LossFn<P>, params: P, opts: ConditionOptions = {}): Promise<number> {
  return (await runAsync(extremesRun(f, params, opts, "conditionNumberAsync"))).conditionNumber;
}
