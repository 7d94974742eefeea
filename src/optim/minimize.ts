// `minimize`: runs L-BFGS, nonlinear CG, modified Newton or Levenberg–Marquardt to convergence from x0.
import { freeze } from "immer";
import type { Array } from "../core/array.js";
import { hessian } from "../../transforms/jacobian.js";
import { jit } from "../../transforms/jit.js";
import { levenbergMarquardt } from "./levenberg-marquardt.js";
import { lbfgsDirection, lbfgsPush, type LbfgsMemory } from "./lbfgs.js";
import { evaluatorFor, searchAlong, wolfeOptions } from "./line-search-step.js";
import type { WolfeOptions } from "./linesearch.js";
import { newtonSolver } from "./newton.js";
import { cgDirection, cgInitialStep, type CgMemory } from "./nonlinear-cg.js";
import {
  checkFn,
  checkInt,
  checkNonNeg,
  dotNum,
  flatObjective,
  flattener,
  infNorm,
  num,
  rangeError,
  type Objective,
} from "./objective.js";
import { commonOptions, type IterationInfo, type MinimizeResult } from "./solver-common.js";

/** The methods of {@link minimize}. */
export type MinimizeMethod = "lbfgs" | "cg-fr" | "cg-pr" | "newton" | "lm";

/** Options of {@link minimize}. */
export interface MinimizeOptions {
  /** Default `"lbfgs"`. */
  method?: MinimizeMethod;
  /** Most iterations (integer ≥ 0). Default 500. */
  maxIter?: number;
  /**
   * Stop when ‖∇f‖∞ ≤ tol (for `"lm"`: ‖Jᵀr‖∞ ≤ tol). Default 1e-9 for float64 parameters, 1e-5
   * for float32.
   */
  tol?: number;
  /**
   * Stop when a step decreases f by at most ftol·max(|f_old|, |f_new|). Default 1e-15 for float64,
   * 1e-8 for float32. Set 0 to rely on `tol` alone.
   */
  ftol?: number;
  /** L-BFGS memory (integer ≥ 1). Default 10. */
  memorySize?: number;
  /**
   * Newton: the smallest α in (H + αI) (≥ 0, default 0); α is increased automatically while H + αI
   * is not positive definite (N&W Algorithm 3.3). LM: the initial damping λ₀ (default 1e-3).
   */
  damping?: number;
  /** LM: the initial damping λ₀ (≥ 0), same as `damping`. */
  lambda0?: number;
  /** Strong Wolfe line-search options (c2 defaults to 0.9, or 0.1 for conjugate gradient). */
  lineSearch?: WolfeOptions;
  /** Jit the objective's value, gradient and Hessian/Jacobian. Default true. */
  jit?: boolean;
  /** Called after every iteration; returning `true` stops the solver. */
  callback?: (info: IterationInfo) => boolean | void;
}

/**
 * Minimizes a scalar function of a pytree of float arrays from `x0`.
 *
 * | method | direction | step |
 * |---|---|---|
 * | `"lbfgs"` (default) | −H_k g, two-loop recursion over the last `memorySize` pairs | strong Wolfe (c2 = 0.9) |
 * | `"cg-pr"`, `"cg-fr"` | −g + β d₋ (Polak–Ribière+, Fletcher–Reeves) | strong Wolfe (c2 = 0.1) |
 * | `"newton"` | −(H + αI)⁻¹ g, α raised until H + αI is positive definite | strong Wolfe (c2 = 0.9), trial α = 1 |
 * | `"lm"` | Levenberg–Marquardt on ½‖f(x)‖² (here `f` returns the *residuals*) | adaptive damping |
 *
 * Stops when ‖∇f‖∞ ≤ `tol` or a step decreases f by at most `ftol`·|f| (`converged: true`), or
 * after `maxIter` iterations or when the line search finds no decrease (`converged: false`). In
 * float32 an ill-conditioned problem often ends the latter way, once rounding in f hides any
 * further decrease: x is then as accurate as float32 allows, but ‖∇f‖ is above `tol` (read
 * `gradNorm` and `message`). Eager only (JS loops on values read back); the objective itself is
 * jitted.
 *
 * Iterations observed on Rosenbrock from (−1.2, 1) to ‖x − (1, 1)‖∞ ≤ 1e-5 (float64): newton 21,
 * lbfgs 36, lm 15, cg-pr 22, cg-fr 27; on an 8-D quadratic with condition number 1e4 (to 1e-6):
 * newton 1, cg-pr 10, cg-fr 20, lbfgs 62.
 *
 * @example
 * import { np } from "graft";
 * import * as optim from "graft/optim";
 * const rosen = (p: np.Array) => {
 *   const x = p.get(0), y = p.get(1);
 *   return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
 * };
 * const r = optim.minimize(rosen, np.array([-1.2, 1], { dtype: "float64" }), { method: "lbfgs" });
 * r.x;          // ≈ [1, 1]
 * r.iterations; // a few dozen
 */
export function minimize<T>(f: Objective<T>, x0: T, opts: MinimizeOptions = {}): MinimizeResult<T> {
  const op = "minimize";
  checkFn(op, "f", f);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  const method = opts.method ?? "lbfgs";
  if (method === "lm") {
    if (opts.damping !== undefined && opts.lambda0 !== undefined && opts.damping !== opts.lambda0)
      rangeError(op, "give the LM damping as either damping or lambda0, not both");
    return levenbergMarquardt(f as (x: T) => Array, x0, { ...opts, lambda0: opts.lambda0 ?? opts.damping });
  }
  if (!["lbfgs", "cg-fr", "cg-pr", "newton"].includes(method))
    rangeError(op, `method must be "lbfgs", "cg-fr", "cg-pr", "newton" or "lm", got ${String(method)}`);
  const fl = flattener(op, x0);
  const { maxIter, tol, ftol, useJit, callback } = commonOptions(op, opts, fl.dtype);
  const m = checkInt(op, "memorySize", opts.memorySize ?? 10, 1);
  const minDamping = checkNonNeg(op, "damping", opts.damping ?? 0);
  const isCg = method === "cg-fr" || method === "cg-pr";
  const ls = wolfeOptions(op, opts.lineSearch, isCg ? 0.1 : 0.9);

  const ev = evaluatorFor(op, f, fl, useJit);
  const obj = flatObjective(op, f, fl);
  const hess =
    method === "newton"
      ? useJit
        ? jit((v: Array) => hessian(obj)(v) as Array)
        : (v: Array) => hessian(obj)(v) as Array
      : undefined;
  const newtonTry = method === "newton" ? newtonSolver(useJit) : undefined;

  let x = fl.ravel(x0, "x0");
  let [fa, g] = ev.vg(x);
  ev.evaluations = 1;
  let value = num(fa);
  let gn = infNorm(g);
  const history: IterationInfo[] = [{ iteration: 0, value, gradNorm: gn, stepSize: 0, evaluations: 1 }];
  let mem: LbfgsMemory = { s: [], y: [], rho: [] };
  let cg: (CgMemory & { alpha: number; slope: number }) | undefined;
  let converged = false;
  let message = `reached maxIter (${maxIter}) iterations`;
  let iter = 0;
  if (!Number.isFinite(value)) message = `the objective is not finite at x0 (${value})`;
  else if (gn <= tol) {
    converged = true;
    message = `gradient norm ${gn.toExponential(2)} <= tol`;
  }

  while (!converged && Number.isFinite(value) && iter < maxIter) {
    // 1. Search direction.
    let d: Array;
    let alpha0 = 1;
    let shift: number | undefined;
    let restarted = false;
    if (method === "lbfgs") {
      d = lbfgsDirection(g, mem);
      restarted = mem.s.length === 0;
      if (restarted) alpha0 = Math.min(1, 1 / gn);
    } else if (method === "newton") {
      const r = newtonTry!(hess!(x), g, minDamping);
      d = r.d;
      shift = r.shift;
    } else {
      const r = cgDirection(method === "cg-fr" ? "fr" : "pr", g, cg);
      d = r.d;
      restarted = r.restarted;
    }
    let slope = dotNum(g, d);
    if (!(slope < 0) || !Number.isFinite(slope)) {
      d = g.neg();
      slope = -dotNum(g, g);
      mem = { s: [], y: [], rho: [] };
      restarted = true;
      alpha0 = Math.min(1, 1 / gn);
    }
    if (isCg) alpha0 = cgInitialStep(cg, g, slope);

    // 2. Line search (retried once along −g if a quasi-Newton/CG direction yields no decrease).
    let step = searchAlong(ev, x, value, d, slope, { ...ls, alpha0 });
    if (!step.ok && !restarted && method !== "newton") {
      d = g.neg();
      slope = -dotNum(g, g);
      mem = { s: [], y: [], rho: [] };
      restarted = true;
      step = searchAlong(ev, x, value, d, slope, { ...ls, alpha0: Math.min(1, 1 / gn) });
    }
    if (!step.ok) {
      message = "the line search found no decrease";
      break;
    }
    iter++;

    // 3. Accept and update the method's memory.
    const s = step.x.sub(x);
    if (method === "lbfgs") mem = lbfgsPush(mem, s, step.g.sub(g), m);
    if (isCg) cg = { g, d, gg: dotNum(g, g), alpha: step.alpha, slope };
    const decrease = value - step.value;
    const scale = Math.max(Math.abs(value), Math.abs(step.value));
    x = step.x;
    g = step.g;
    value = step.value;
    gn = infNorm(g);
    const info: IterationInfo = {
      iteration: iter,
      value,
      gradNorm: gn,
      stepSize: step.alpha,
      evaluations: ev.evaluations,
      wolfe: step.wolfe,
    };
    if (shift !== undefined) info.damping = shift;
    history.push(info);
    if (gn <= tol) {
      converged = true;
      message = `gradient norm ${gn.toExponential(2)} <= tol`;
    } else if (decrease <= ftol * scale) {
      converged = true;
      message = `relative decrease ${(decrease / (scale || 1)).toExponential(2)} <= ftol`;
    }
    if (callback !== undefined && callback(info) === true) {
      message = "stopped by the callback";
      break;
    }
  }
  return freeze(
    {
      x: fl.unravel(x),
      value,
      gradNorm: gn,
      iterations: iter,
      evaluations: ev.evaluations,
      converged,
      message,
      history,
    },
    true,
  ) as MinimizeResult<T>;
}
