/**
 * Public top-k / bottom-k Hessian eigenvalue API (`topHessianEigenvalues`,
 * `smallestHessianEigenvalues`) and their `…Async` twins for backends that read asynchronously.
 */
import { FlatSpace } from "./flat.js";
import { runAsync, runSync, type Reading } from "./host-read.js";
import { flatHvp, type LossFn } from "./hvp.js";
import { resolveOptions, type HessianEigenOptions, type HessianEigenResult } from "./eigen-options.js";
import { lanczos } from "./lanczos.js";
import { powerK } from "./power-iteration.js";

type Which = "top" | "bottom";

/** The eigensolver for one end of the spectrum, yielding its reads to a driver (sync or async). */
function* eigenRun<P>(
  f: LossFn<P>,
  params: P,
  opts: HessianEigenOptions,
  which: Which,
  op: string,
): Reading<HessianEigenResult<P>> {
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
    const out = yield* lanczos(
      hv.apply,
      n,
      which === "top" ? o.k : 0,
      which === "bottom" ? o.k : 0,
      o.iters,
      o.tol,
      o.stream,
      o.eigenvectors,
    );
    // Ritz values ascend: the top k are the last k (largest first), the bottom k the first k.
    const pick = <X>(xs: readonly X[]): X[] => (which === "top" ? xs.slice(-o.k).reverse() : xs.slice(0, o.k));
    values = pick(out.values);
    residuals = pick(out.residuals);
    if (o.eigenvectors) vectors = pick(out.vectors);
    converged = out.converged;
  } else {
    const pairs = yield* powerK(hv.apply, n, o.k, which === "top" ? 1 : -1, o.iters, o.tol, o.stream);
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
export function topHessianEigenvalues<P>(
  f: LossFn<P>,
  params: P,
  opts: HessianEigenOptions = {},
): HessianEigenResult<P> {
  return runSync(eigenRun(f, params, opts, "top", "topHessianEigenvalues"), "topHessianEigenvaluesAsync");
}

/**
 * {@link topHessianEigenvalues} for backends that read asynchronously (WebGPU): the same options
 * and result, with each Hessian-vector product read by `await x.data()`. The Krylov vectors stay
 * on the host in float64; the products run in the params' dtype on their backend.
 *
 * @example
 * const f = (p: { w: Array }) => p.w.square().mul(np.array([1, 4, 9])).sum();
 * (await topHessianEigenvaluesAsync(f, { w: np.zeros([3]) }, { k: 2 })).eigenvalues; // ≈ [18, 8]
 */
export function topHessianEigenvaluesAsync<P>(
  f: LossFn<P>,
  params: P,
  opts: HessianEigenOptions = {},
): Promise<HessianEigenResult<P>> {
  return runAsync(eigenRun(f, params, opts, "top", "topHessianEigenvaluesAsync"));
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
export function smallestHessianEigenvalues<P>(
  f: LossFn<P>,
  params: P,
  opts: HessianEigenOptions = {},
): HessianEigenResult<P> {
  return runSync(eigenRun(f, params, opts, "bottom", "smallestHessianEigenvalues"), "smallestHessianEigenvaluesAsync");
}

/**
 * {@link smallestHessianEigenvalues} for backends that read asynchronously (WebGPU): the same
 * options and result, with each Hessian-vector product read by `await x.data()`.
 *
 * @example
 * const saddle = (p: Array) => p.get(0).square().sub(p.get(1).square()); // x² − y²
 * (await smallestHessianEigenvaluesAsync(saddle, np.zeros([2]))).eigenvalues; // ≈ [-2]
 */
export function smallestHessianEigenvaluesAsync<P>(
  f: LossFn<P>,
  params: P,
  opts: HessianEigenOptions = {},
): Promise<HessianEigenResult<P>> {
  return runAsync(eigenRun(f, params, opts, "bottom", "smallestHessianEigenvaluesAsync"));
}
