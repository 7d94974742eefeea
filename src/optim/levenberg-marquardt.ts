// Levenberg–Marquardt for nonlinear least squares (Nielsen's damping update), behind `minimize`'s method "lm".
import { freeze } from "immer";
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { jacfwd } from "../../transforms/jacobian.js";
import { jit } from "../../transforms/jit.js";
import { solve } from "./linear-solve.js";
import { checkFn, checkNonNeg, dotNum, flattener, infNorm, rangeError } from "./objective.js";
import { commonOptions, type IterationInfo, type MinimizeResult } from "./solver-common.js";

/** Options of {@link levenbergMarquardt}. */
export interface LevenbergMarquardtOptions {
  /** The initial damping λ₀ (≥ 0). Default 1e-3. */
  lambda0?: number;
  /** Most iterations (accepted steps; integer ≥ 0). Default 500. */
  maxIter?: number;
  /** Stop when ‖Jᵀr‖∞ ≤ tol. Default 1e-9 (float64) / 1e-5 (float32). */
  tol?: number;
  /** Stop when an accepted step decreases ½‖r‖² by at most ftol times its value. Default 1e-15 (float64) / 1e-8 (float32). */
  ftol?: number;
  /** Stop when ‖δ‖₂ ≤ xtol·(‖x‖₂ + xtol). Default 1e-15 (float64) / 1e-7 (float32). */
  xtol?: number;
  /**
   * The damping matrix D in (JᵀJ + λD)δ = −Jᵀr: `"identity"` (default, Levenberg; the notes'
   * "diagonal loading") or `"marquardt"` (D = diag(JᵀJ), scale-invariant).
   */
  scaling?: "identity" | "marquardt";
  /** Jit the residuals and their Jacobian. Default true. */
  jit?: boolean;
  /** Called after every accepted step; returning `true` stops the solver. */
  callback?: (info: IterationInfo) => boolean | void;
}

/**
 * Levenberg–Marquardt for nonlinear least squares, minimizing ½‖r(x)‖² for residuals r (any shape,
 * flattened) of a pytree of float arrays. The Jacobian J comes from `jacfwd`; each iteration
 * solves the damped Gauss–Newton system
 *
 *   (JᵀJ + λD) δ = −Jᵀr
 *
 * and accepts x + δ when the gain ratio ρ = (actual decrease)/(decrease predicted by the linear
 * model) is positive, then λ ← λ·max(1/3, 1 − (2ρ − 1)³); otherwise λ ← λ·ν, ν ← 2ν and the step
 * is re-solved (Nielsen's update). Small λ gives Gauss–Newton (quadratic convergence on
 * zero-residual problems), large λ a short gradient step.
 *
 * @example
 * // Fit y = a·exp(b·t).
 * const t = np.linspace(0, 1, 8, { dtype: "float64" });
 * const y = t.mul(-1.5).exp().mul(2);
 * const r = optim.levenbergMarquardt((p: np.Array) => p.get(0).mul(p.get(1).mul(t).exp()).sub(y), np.array([1, 0], { dtype: "float64" }));
 * r.x; // ≈ [2, -1.5] (to ~1e-10: the default tol stops at ‖Jᵀr‖∞ ≤ 1e-9)
 */
export function levenbergMarquardt<T>(
  residuals: (x: T) => Array,
  x0: T,
  opts: LevenbergMarquardtOptions = {},
): MinimizeResult<T> {
  const op = "levenbergMarquardt";
  checkFn(op, "residuals", residuals);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  const fl = flattener(op, x0);
  const { maxIter, tol, ftol, useJit, callback } = commonOptions(op, opts, fl.dtype);
  let lambda = checkNonNeg(op, "lambda0", opts.lambda0 ?? 1e-3);
  const xtol = checkNonNeg(op, "xtol", opts.xtol ?? (fl.dtype === "float64" ? 1e-15 : 1e-7));
  const scaling = opts.scaling ?? "identity";
  if (scaling !== "identity" && scaling !== "marquardt")
    rangeError(op, `scaling must be "identity" or "marquardt", got ${String(scaling)}`);

  const rFlat = (v: Array): Array => {
    const out = residuals(fl.unravel(v));
    if (!(out instanceof Array))
      throw new TypeError(
        `${op}: the residual function must return an Array, got ${out === null ? "null" : typeof out}`,
      );
    const r = out.reshape([out.size]);
    return r.dtype === fl.dtype ? r : r.astype(fl.dtype);
  };
  const maybeJit = <A extends unknown[], R>(fn: (...a: A) => R): ((...a: A) => R) => (useJit ? jit(fn) : fn);
  const resid = maybeJit(rFlat);
  const jac = maybeJit((v: Array) => jacfwd(rFlat)(v) as Array);
  // The normal equations and the damped solve, in one staged function.
  const normal = maybeJit((J: Array, r: Array): [Array, Array] => [np.matmul(J.T, J), np.matmul(J.T, r)]);
  const dampedSolve = maybeJit((A: Array, g: Array, lam: Array): Array => {
    const n = g.shape[0]!;
    const I = np.eye(n, n, { dtype: A.dtype });
    const D = scaling === "identity" ? I : I.mul(np.maximum(A.mul(I).sum(1), 1e-30 as number)); // diag(JᵀJ), floored
    return solve(A.add(D.mul(lam)), g.neg());
  });

  let x = fl.ravel(x0, "x0");
  let r = resid(x);
  if (r.size === 0) throw new TypeError(`${op}: the residual function returned no residuals`);
  let evaluations = 1;
  let cost = 0.5 * dotNum(r, r);
  let J = jac(x);
  let [A, g] = normal(J, r);
  let gn = infNorm(g);
  let nu = 2;
  const history: IterationInfo[] = [
    { iteration: 0, value: cost, gradNorm: gn, stepSize: 0, evaluations, damping: lambda },
  ];
  let converged = false;
  let message = `reached maxIter (${maxIter}) iterations`;
  let iter = 0;
  if (!Number.isFinite(cost)) message = `the residuals are not finite at x0`;
  else if (gn <= tol) {
    converged = true;
    message = `gradient norm ${gn.toExponential(2)} <= tol`;
  }

  outer: while (!converged && Number.isFinite(cost) && iter < maxIter) {
    // Inner loop: raise λ until a step decreases the cost.
    for (let tries = 0; ; tries++) {
      if (tries >= 60 || !Number.isFinite(lambda)) {
        message = "no decrease found (damping grew without bound)";
        break outer;
      }
      const delta = dampedSolve(A, g, np.array(lambda, { dtype: fl.dtype }));
      const stepNorm = Math.sqrt(dotNum(delta, delta));
      const xNorm = Math.sqrt(dotNum(x, x));
      if (Number.isFinite(stepNorm) && stepNorm <= xtol * (xNorm + xtol)) {
        converged = true;
        message = `step ${stepNorm.toExponential(2)} <= xtol·(‖x‖ + xtol)`;
        break outer;
      }
      const xNew = x.add(delta);
      const rNew = resid(xNew);
      evaluations++;
      const costNew = 0.5 * dotNum(rNew, rNew);
      // Decrease predicted by the linear model: L(0) − L(δ) = −δᵀg − ½ δᵀ(JᵀJ)δ.
      const predicted = -dotNum(delta, g) - 0.5 * dotNum(delta, np.matmul(A, delta));
      const rho = (cost - costNew) / predicted;
      if (Number.isFinite(costNew) && predicted > 0 && rho > 0) {
        const decrease = cost - costNew;
        x = xNew;
        r = rNew;
        cost = costNew;
        J = jac(x);
        [A, g] = normal(J, r);
        gn = infNorm(g);
        lambda *= Math.max(1 / 3, 1 - (2 * rho - 1) ** 3);
        nu = 2;
        iter++;
        const info: IterationInfo = {
          iteration: iter,
          value: cost,
          gradNorm: gn,
          stepSize: stepNorm,
          evaluations,
          damping: lambda,
        };
        history.push(info);
        if (gn <= tol) {
          converged = true;
          message = `gradient norm ${gn.toExponential(2)} <= tol`;
        } else if (decrease <= ftol * Math.max(cost + decrease, 0)) {
          converged = true;
          message = `relative decrease ${(decrease / (cost + decrease)).toExponential(2)} <= ftol`;
        }
        if (callback !== undefined && callback(info) === true) {
          message = "stopped by the callback";
          break outer;
        }
        break;
      }
      lambda = lambda === 0 ? 1e-3 : lambda * nu;
      nu *= 2;
    }
  }
  return freeze(
    { x: fl.unravel(x), value: cost, gradNorm: gn, iterations: iter, evaluations, converged, message, history },
    true,
  ) as MinimizeResult<T>;
}
