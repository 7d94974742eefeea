/**
 * Second-order and line-search optimizers for small problems (up to a few hundred parameters):
 * Newton's method with a damped Hessian, L-BFGS, nonlinear conjugate gradient (Fletcher–Reeves,
 * Polak–Ribière+), and Levenberg–Marquardt for least squares.
 *
 * Two kinds of API, because these methods need the objective itself, not only its gradient:
 *
 * - **Transformations bound to an objective.** `newton(f, opts)` is an ordinary, *traceable*
 *   gradient transformation: `update(grads, state, params)` evaluates the Hessian of `f` at
 *   `params` and returns −lr·(H + αI)⁻¹·g, so `jit(opt.update)` works. `newton(opts)` (no `f`)
 *   takes the Hessian as an extra argument, `update(grads, state, params, { hessian })`.
 *   `lbfgs(f, opts)` and `nonlinearCG(f, opts)` have the same `init`/`update` shape but run a Wolfe
 *   line search on the host inside `update` (JS control flow on values read back), so they are
 *   eager only: call them outside `jit`.
 * - **A solver.** `minimize(f, x0, { method })` runs any of the methods to convergence and reports
 *   `{ x, value, iterations, converged, history, ... }`; `levenbergMarquardt(residuals, x0)` is the
 *   least-squares solver behind `method: "lm"`.
 *
 * Parameters may be any pytree of float32/float64 arrays; internally they are flattened into one
 * vector (in float64 if any leaf is float64, else float32) and results come back in the original
 * structure and dtypes. All numerics are graft ops (gradients by `valueAndGrad`, Hessians by
 * `hessian`, Jacobians by `jacfwd`, jitted once per solver); only the scalars that steer the
 * line search and the stopping tests are read back, synchronously (the CPU backend reads
 * synchronously).
 */
export { lineSearchWolfe, type LineSearchPoint, type LineSearchResult, type WolfeOptions } from "./linesearch.js";
export type { Objective } from "./objective.js";
export type { LineSearchTransformation } from "./line-search-step.js";
export {
  newton,
  newtonStep,
  type HessianExtra,
  type NewtonOptions,
  type NewtonState,
  type NewtonTransformation,
} from "./newton.js";
export { lbfgs, type LbfgsOptions, type LbfgsState } from "./lbfgs.js";
export { nonlinearCG, type NonlinearCGOptions, type NonlinearCGState } from "./nonlinear-cg.js";
export type { IterationInfo, MinimizeResult } from "./solver-common.js";
export { minimize, type MinimizeMethod, type MinimizeOptions } from "./minimize.js";
export { levenbergMarquardt, type LevenbergMarquardtOptions } from "./levenberg-marquardt.js";
