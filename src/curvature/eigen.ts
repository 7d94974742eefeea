/**
 * Extreme Hessian eigenvalues without forming the Hessian: Lanczos with full reorthogonalization
 * (default) or power iteration with deflation, both driven by Hessian-vector products on the
 * flattened parameter vector, with all vector arithmetic on the host in float64.
 */
export { resolveOptions, type HessianEigenOptions, type HessianEigenResult } from "./eigen-options.js";
export {
  topHessianEigenvalues,
  topHessianEigenvaluesAsync,
  smallestHessianEigenvalues,
  smallestHessianEigenvaluesAsync,
} from "./hessian-eigen.js";
export {
  hessianExtremes,
  hessianExtremesAsync,
  conditionNumber,
  conditionNumberAsync,
  classify,
  type ConditionOptions,
  type Definiteness,
  type HessianExtremes,
} from "./hessian-extremes.js";
