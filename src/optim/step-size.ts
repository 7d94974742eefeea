/**
 * Step sizes from the top Hessian eigenvalue λ (the course notes' quadratic analysis): along the
 * eigenvector of λ, gradient descent with step η multiplies the error by (1 − ηλ) each step, so
 * η = 1/λ reaches that direction's minimum in one step (the notes' η_opt = E''⁻¹) and η < 2/λ is
 * needed for convergence (|1 − ηλ| < 1); beyond it the iterates diverge. For a whole quadratic the
 * largest eigenvalue binds: η < 2/λ_max. Estimate λ with `curvature.topHessianEigenvalues`.
 */

function checkEigenvalue(op: string, lambda: unknown): number {
  if (typeof lambda !== "number" || !(lambda > 0) || !Number.isFinite(lambda))
    throw new RangeError(
      `${op}: the top Hessian eigenvalue must be a finite number > 0, got ${String(lambda)}; ` +
        "a non-positive λ means no curvature along that direction (or a saddle), where no step size is stable",
    );
  return lambda;
}

/**
 * The largest stable gradient-descent step for top Hessian eigenvalue λ > 0: 2/λ (η must stay
 * below it; at 2/λ the iterates oscillate without converging).
 * @example
 * import { stableStepBound } from "graft-ad/optim";
 * stableStepBound(100); // 0.02
 */
export function stableStepBound(lambda: number): number {
  return 2 / checkEigenvalue("stableStepBound", lambda);
}

/**
 * The best gradient-descent step along the top Hessian eigenvector, 1/λ (the notes' η_opt = E''⁻¹:
 * one step reaches that direction's minimum).
 * @example
 * import { optimalStep } from "graft-ad/optim";
 * optimalStep(100); // 0.01
 */
export function optimalStep(lambda: number): number {
  return 1 / checkEigenvalue("optimalStep", lambda);
}
