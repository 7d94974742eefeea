// `minimize`: runs L-BFGS, nonlinear CG, modified Newton or Levenberg–Marquardt to convergence from x0.
import { freeze } from "immer";
import type { Array } from "../core/array.js";
import { hessian } from "../../transforms/jacobian.js";
import { jit } from "../../transforms/jit.js";
import { noReads, runAsync, runSync, type Reads } from "./drive.js";
import { bfgsDirection, bfgsUpdate } from "./bfgs.js";
import { levenbergMarquardtRun } from "./levenberg-marquardt.js";
import { lbfgsDirection, lbfgsPush, type LbfgsMemory } from "./lbfgs.js";
import { evaluatorFor, searchAlong, wolfeOptions, type Evaluator, type StepResult } from "./line-search-step.js";
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
  maxAbs,
  rangeError,
  readAll,
  type Flattener,
  type Objective,
} from "./objective.js";
import { commonOptions, type Common, type IterationInfo, type MinimizeResult } from "./solver-common.js";
import { checkOptions } from "../core/options.js";

/** The methods of {@link minimize}. */
export type MinimizeMethod = "lbfgs" | "bfgs" | "cg-fr" | "cg-pr" | "newton" | "lm";

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
 * | `"bfgs"` | −H g, H the dense BFGS inverse-Hessian approximation | strong Wolfe (c2 = 0.9) |
 * | `"cg-pr"`, `"cg-fr"` | −g + β d₋ (Polak–Ribière+, Fletcher–Reeves) | strong Wolfe (c2 = 0.1) |
 * | `"newton"` | −(H + αI)⁻¹ g, α raised until H + αI is positive definite | strong Wolfe (c2 = 0.9), trial α = 1 |
 * | `"lm"` | Levenberg–Marquardt on ½‖f(x)‖² (here `f` returns the *residuals*) | adaptive damping |
 *
 * Stops when ‖∇f‖∞ ≤ `tol` or a step decreases f by at most `ftol`·|f| (`converged: true`), or
 * after `maxIter` iterations or when the line search finds no decrease (`converged: false`). In
 * float32 an ill-conditioned problem often ends the latter way, once rounding in f hides any
 * further decrease: x is then as accurate as float32 allows, but ‖∇f‖ is above `tol` (read
 * `gradNorm` and `message`). Eager only (JS loops on values read back); the objective itself is
 * jitted. It reads those values synchronously, so on WebGPU use {@link minimizeAsync}.
 *
 * Iterations observed on Rosenbrock from (−1.2, 1) to ‖x − (1, 1)‖∞ ≤ 1e-5 (float64): newton 21,
 * lbfgs 36, lm 15, cg-pr 22, cg-fr 27; on an 8-D quadratic with condition number 1e4 (to 1e-6):
 * newton 1, cg-pr 10, cg-fr 20, lbfgs 62.
 *
 * @example
 * import { np } from "graft-ad";
 * import * as optim from "graft-ad/optim";
 * const rosen = (p: np.Array) => {
 *   const x = p.get(0), y = p.get(1);
 *   return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
 * };
 * const r = optim.minimize(rosen, np.array([-1.2, 1], { dtype: "float64" }), { method: "lbfgs" });
 * r.x;          // ≈ [1, 1]
 * r.iterations; // a few dozen
 */
export function minimize<T>(f: Objective<T>, x0: T, opts: MinimizeOptions = {}): MinimizeResult<T> {
  return runSync(minimizeRun(f, x0, opts), { op: "minimize", asyncForm: "minimizeAsync" });
}

/**
 * {@link minimize} for backends that read only asynchronously (WebGPU): the same solver, options and
 * result, with the scalars that steer it (line-search values, stopping tests) read by
 * `await x.data()`. On a backend that also reads synchronously it returns exactly what `minimize`
 * returns. Call it with the parameters' backend as the default; bad options reject the promise with
 * `minimize`'s errors. The `callback` stays synchronous.
 *
 * @example
 * import { np, withBackend } from "graft-ad";
 * import * as optim from "graft-ad/optim";
 * const quad = (p: np.Array) => p.sub(np.array([1, -2])).square().sum();
 * const r = await withBackend("webgpu", () =>
 *   optim.minimizeAsync(quad, np.zeros([2]), { method: "lbfgs" }),
 * );
 * await r.x.data(); // ≈ [1, -2], on the GPU
 */
export async function minimizeAsync<T>(f: Objective<T>, x0: T, opts: MinimizeOptions = {}): Promise<MinimizeResult<T>> {
  return runAsync(() => minimizeRun(f, x0, opts));
}

/** The solver behind {@link minimize} and {@link minimizeAsync}, yielding its host reads. */
function* minimizeRun<T>(f: Objective<T>, x0: T, opts: MinimizeOptions): Reads<MinimizeResult<T>> {
  const op = "minimize";
  checkFn(op, "f", f);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  checkOptions(op, opts, [
    "method",
    "maxIter",
    "tol",
    "ftol",
    "memorySize",
    "damping",
    "lambda0",
    "lineSearch",
    "jit",
    "callback",
  ] satisfies (keyof MinimizeOptions)[]);
  const method = opts.method ?? "lbfgs";
  if (method === "lm") {
    if (opts.damping !== undefined && opts.lambda0 !== undefined && opts.damping !== opts.lambda0)
      rangeError(op, "give the LM damping as either damping or lambda0, not both");
    const { maxIter, tol, ftol, jit, callback } = opts;
    return yield* levenbergMarquardtRun(f as (x: T) => Array, x0, {
      maxIter,
      tol,
      ftol,
      jit,
      callback,
      lambda0: opts.lambda0 ?? opts.damping,
    });
  }
  if (!["lbfgs", "bfgs", "cg-fr", "cg-pr", "newton"].includes(method))
    rangeError(op, `method must be "lbfgs", "bfgs", "cg-fr", "cg-pr", "newton" or "lm", got ${String(method)}`);
  const fl = flattener(op, x0);
  const common = commonOptions(op, opts, fl.dtype);
  const rule = directionRule(op, method, opts, f, fl, common.useJit);
  const ls = wolfeOptions(op, opts.lineSearch, method === "cg-fr" || method === "cg-pr" ? 0.1 : 0.9);
  return yield* descend(fl, x0, evaluatorFor(op, f, fl, common.useJit), rule, ls, common);
}

/** How a method picks its search direction, and what it remembers between iterations. */
interface DirectionRule {
  /** The direction at x (gradient g); `restarted` when it is steepest descent; Newton's shift τ. */
  direction(x: Array, g: Array): Reads<{ d: Array; restarted: boolean; shift?: number }>;
  /** Forgets the memory (the direction fell back to steepest descent). */
  reset(): void;
  /** The first trial step along d (slope = gᵀd < 0); `fallback` unless the method has its own rule. */
  initialStep(g: Array, slope: number, fallback: number): Reads<number>;
  /** Whether a line search that finds no decrease is retried once along −g. */
  readonly retry: boolean;
  /** Records the accepted step from x (gradient g) along d. */
  accept(x: Array, g: Array, d: Array, slope: number, step: StepResult): Reads<void>;
}

/**
 * The direction rule of `method`, after validating `memorySize` and `damping` (both always, in
 * this order, so the errors do not depend on the method).
 */
function directionRule<T>(
  op: string,
  method: Exclude<MinimizeMethod, "lm">,
  opts: MinimizeOptions,
  f: Objective<T>,
  fl: Flattener<T>,
  useJit: boolean,
): DirectionRule {
  const m = checkInt(op, "memorySize", opts.memorySize ?? 10, 1);
  const minDamping = checkNonNeg(op, "damping", opts.damping ?? 0);
  if (method === "lbfgs") return lbfgsRule(m);
  if (method === "bfgs") return bfgsRule();
  if (method === "newton") return newtonRule(flatObjective(op, f, fl), minDamping, useJit);
  return cgRule(method === "cg-fr" ? "fr" : "pr");
}

/** L-BFGS: the two-loop recursion over the newest `m` curvature pairs (N&W Algorithm 7.4). */
function lbfgsRule(m: number): DirectionRule {
  const empty: LbfgsMemory = { s: [], y: [], rho: [] };
  let mem = empty;
  return {
    *direction(_x, g) {
      return { d: yield* lbfgsDirection(g, mem), restarted: mem.s.length === 0 };
    },
    reset: () => {
      mem = empty;
    },
    initialStep: (_g, _slope, fallback) => noReads(fallback),
    retry: true,
    *accept(x, g, _d, _slope, step) {
      mem = yield* lbfgsPush(mem, step.x.sub(x), step.g.sub(g), m);
    },
  };
}

/** BFGS: −H g with the dense inverse-Hessian approximation, updated after every accepted step. */
function bfgsRule(): DirectionRule {
  let h: Array | null = null;
  return {
    direction: (_x, g) => noReads({ d: bfgsDirection(g, h), restarted: h === null }),
    reset: () => {
      h = null;
    },
    initialStep: (_g, _slope, fallback) => noReads(fallback),
    retry: true,
    *accept(x, g, _d, _slope, step) {
      h = yield* bfgsUpdate(h, step.x.sub(x), step.g.sub(g));
    },
  };
}

/** Modified Newton: −(H + τI)⁻¹ g with τ ≥ minDamping raised until H + τI is positive definite. */
function newtonRule(obj: (v: Array) => Array, minDamping: number, useJit: boolean): DirectionRule {
  const hess = useJit ? jit((v: Array) => hessian(obj)(v) as Array) : (v: Array) => hessian(obj)(v) as Array;
  const shiftedSolve = newtonSolver(useJit);
  return {
    *direction(x, g) {
      const r = yield* shiftedSolve(hess(x), g, minDamping);
      return { d: r.d, restarted: false, shift: r.shift };
    },
    reset: () => {},
    initialStep: (_g, _slope, fallback) => noReads(fallback),
    retry: false,
    accept: () => noReads(undefined),
  };
}

/** Nonlinear CG (Fletcher–Reeves or Polak–Ribière+), its first trial step scaled from the last one. */
function cgRule(variant: "fr" | "pr"): DirectionRule {
  let prev: (CgMemory & { alpha: number; slope: number }) | undefined;
  return {
    direction: (_x, g) => cgDirection(variant, g, prev),
    reset: () => {},
    initialStep: (g, slope) => cgInitialStep(prev, g, slope),
    retry: true,
    *accept(_x, g, d, slope, step) {
      prev = { g, d, gg: yield* dotNum(g, g), alpha: step.alpha, slope };
    },
  };
}

/** The current point of a descent run: x, f(x), ∇f(x) and ‖∇f(x)‖∞. */
interface Iterate {
  readonly x: Array;
  readonly value: number;
  readonly g: Array;
  readonly gn: number;
}

/**
 * One iteration's search from `it`: the rule's direction (steepest descent when it is not a descent
 * direction), then a strong Wolfe line search, retried once along −g when the rule allows. Returns
 * the step and the direction and slope it was taken along.
 */
function* searchFrom(
  rule: DirectionRule,
  ev: Evaluator,
  it: Iterate,
  ls: WolfeOptions,
): Reads<{ step: StepResult; d: Array; slope: number; shift: number | undefined }> {
  const { g } = it;
  const dir = yield* rule.direction(it.x, g);
  let { d, restarted } = dir;
  let slope = yield* dotNum(g, d);
  const steepestStep = Math.min(1, 1 / it.gn);
  if (!(slope < 0) || !Number.isFinite(slope)) {
    d = g.neg();
    slope = -(yield* dotNum(g, g));
    rule.reset();
    restarted = true;
  }
  const alpha0 = yield* rule.initialStep(g, slope, restarted ? steepestStep : 1);
  let step = yield* searchAlong(ev, it.x, it.value, d, slope, { ...ls, alpha0 });
  if (!step.ok && !restarted && rule.retry) {
    d = g.neg();
    slope = -(yield* dotNum(g, g));
    rule.reset();
    step = yield* searchAlong(ev, it.x, it.value, d, slope, { ...ls, alpha0: steepestStep });
  }
  return { step, d, slope, shift: dir.shift };
}

const gradientMessage = (gn: number): string => `gradient norm ${gn.toExponential(2)} <= tol`;

/** Runs line-search iterations of `rule` from x0 until a stopping test holds; the result of {@link minimize}. */
function* descend<T>(
  fl: Flattener<T>,
  x0: T,
  ev: Evaluator,
  rule: DirectionRule,
  ls: WolfeOptions,
  { maxIter, tol, ftol, callback }: Common,
): Reads<MinimizeResult<T>> {
  const x = fl.ravel(x0, "x0");
  const [fa, g] = ev.vg(x);
  ev.evaluations = 1;
  const [value, gn] = (yield* readAll(fa, maxAbs(g))) as [number, number];
  let it: Iterate = { x, value, g, gn };
  const history: IterationInfo[] = [{ iteration: 0, value: it.value, gradNorm: it.gn, stepSize: 0, evaluations: 1 }];
  let converged = false;
  let message = `reached maxIter (${maxIter}) iterations`;
  let iter = 0;
  if (!Number.isFinite(it.value)) message = `the objective is not finite at x0 (${it.value})`;
  else if (it.gn <= tol) {
    converged = true;
    message = gradientMessage(it.gn);
  }

  while (!converged && Number.isFinite(it.value) && iter < maxIter) {
    const { step, d, slope, shift } = yield* searchFrom(rule, ev, it, ls);
    if (!step.ok) {
      message = "the line search found no decrease";
      break;
    }
    iter++;
    yield* rule.accept(it.x, it.g, d, slope, step);
    const decrease = it.value - step.value;
    const scale = Math.max(Math.abs(it.value), Math.abs(step.value));
    it = { x: step.x, value: step.value, g: step.g, gn: yield* infNorm(step.g) };
    const info: IterationInfo = {
      iteration: iter,
      value: it.value,
      gradNorm: it.gn,
      stepSize: step.alpha,
      evaluations: ev.evaluations,
      wolfe: step.wolfe,
    };
    if (shift !== undefined) info.damping = shift;
    history.push(info);
    if (it.gn <= tol) {
      converged = true;
      message = gradientMessage(it.gn);
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
      x: fl.unravel(it.x),
      value: it.value,
      gradNorm: it.gn,
      iterations: iter,
      evaluations: ev.evaluations,
      converged,
      message,
      history,
    },
    true,
  ) as MinimizeResult<T>;
}
