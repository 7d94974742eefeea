/**
 * `graft-ad/curvature`: the local geometry of a loss, from Hessian-vector products.
 *
 * - {@link hvp}: H·v by forward-over-reverse (`jvp` of `grad`) over pytree parameters; traceable.
 * - {@link topHessianEigenvalues} / {@link smallestHessianEigenvalues}: extreme eigenvalues (and
 *   optionally eigenvectors) by Lanczos with full reorthogonalization, or power iteration with
 *   deflation, never forming the Hessian.
 * - {@link hessianExtremes} / {@link conditionNumber}: λmax, λmin, definiteness and |λmax| / |λmin|.
 * - {@link gradNorm} / {@link GradNormTracker}: global gradient norms and their history.
 * - {@link randomDirection}, {@link lossSlice1d}, {@link lossSlice2d}: loss-landscape slices with
 *   Li et al.'s filter normalization.
 * - {@link denseHessian}, {@link eighTridiagonal}, {@link eighJacobi}: small dense float64 helpers.
 * - `…Async` twins of everything that reads results back ({@link topHessianEigenvaluesAsync},
 *   {@link hessianExtremesAsync}, {@link lossSlice1dAsync}, `GradNormTracker.recordAsync`, …): the
 *   same options and results in a Promise, reading with `await x.data()`, as WebGPU requires (the
 *   synchronous forms throw there, naming the twin). Host vectors stay float64; the device
 *   computes in the params' dtype (float32 on WebGPU).
 *
 * @example
 * import { np, type Array } from "graft-ad";
 * import { hvp, topHessianEigenvalues, conditionNumber } from "graft-ad/curvature";
 *
 * const f = (p: { w: Array }) => p.w.square().mul(np.array([1, 10, 100])).sum().div(2);
 * const params = { w: np.zeros([3], { dtype: "float64" }) };
 * hvp(f, params, { w: np.ones([3], { dtype: "float64" }) }).w;   // [1, 10, 100]
 * topHessianEigenvalues(f, params, { k: 2 }).eigenvalues;        // ≈ [100, 10]
 * conditionNumber(f, params);                                    // ≈ 100
 */
export { hvp, denseHessian, denseHessianAsync, type LossFn } from "./hvp.js";
export {
  topHessianEigenvalues,
  topHessianEigenvaluesAsync,
  smallestHessianEigenvalues,
  smallestHessianEigenvaluesAsync,
  hessianExtremes,
  hessianExtremesAsync,
  conditionNumber,
  conditionNumberAsync,
  type HessianEigenOptions,
  type HessianEigenResult,
  type ConditionOptions,
  type HessianExtremes,
  type Definiteness,
} from "./eigen.js";
export {
  gradNorm,
  GradNormTracker,
  type GradNormRecord,
  type GradNormSummary,
  type GradNormTrackerOptions,
} from "./grad-norm.js";
export { randomDirection, type RandomDirectionOptions } from "./random-direction.js";
export {
  lossSlice1d,
  lossSlice1dAsync,
  lossSlice2d,
  lossSlice2dAsync,
  type Slice1dOptions,
  type Slice2dOptions,
} from "./landscape.js";
export { eighTridiagonal, eighJacobi, type SymmetricEigen } from "./host-linalg.js";
export type { KeyOrSeed } from "./rng.js";
