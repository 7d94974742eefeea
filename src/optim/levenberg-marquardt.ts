// Levenberg–Marquardt for nonlinear least squares (Nielsen's damping update), behind `minimize`'s method "lm".
import { freeze } from "immer";
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { jacfwd } from "../../transforms/jacobian.js";
import { jit } from "../../transforms/jit.js";
import { solve } from "./linear-solve.js";
import { runAsync, runSync, type Reads } from "./drive.js";
import { checkFn, checkNonNeg, dotNum, flattener, infNorm, rangeError, readAll, type Flattener } from "./objective.js";
import { commonOptions, type Common, type IterationInfo, type MinimizeResult } from "./solver-common.js";
import { checkOptions } from "../core/options.js";

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
   * The damping matrix D in (JᵀJ + λD)δ = −Jᵀr: `"identity"` (default, Levenberg 1944: D = I,
   * "diagonal loading") or `"marquardt"` (Marquardt 1963: D = diag(JᵀJ), scale-invariant).
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
  return runSync(levenbergMarquardtRun(residuals, x0, opts), {
    op: "levenbergMarquardt",
    asyncForm: "levenbergMarquardtAsync",
  });
}

/**
 * {@link levenbergMarquardt} for backends that read only asynchronously (WebGPU): the same solver,
 * options and result, with the costs, norms and gain ratios that steer it read by `await x.data()`.
 * On a backend that also reads synchronously it returns exactly what `levenbergMarquardt` returns.
 * Call it with the parameters' backend as the default; bad options reject with the same errors.
 *
 * @example
 * // The data live on the GPU too (a jitted function's constants must live on its backend).
 * const r = await withBackend("webgpu", () => {
 *   const t = np.linspace(0, 1, 8);
 *   const y = t.mul(-1.5).exp().mul(2);
 *   const resid = (p: np.Array) => p.get(0).mul(p.get(1).mul(t).exp()).sub(y);
 *   return optim.levenbergMarquardtAsync(resid, np.array([1, 0]));
 * });
 * await r.x.data(); // ≈ [2, -1.5] (float32)
 */
export async function levenbergMarquardtAsync<T>(
  residuals: (x: T) => Array,
  x0: T,
  opts: LevenbergMarquardtOptions = {},
): Promise<MinimizeResult<T>> {
  return runAsync(() => levenbergMarquardtRun(residuals, x0, opts));
}

/** The solver behind {@link levenbergMarquardt}, its async form and `minimize`'s "lm", yielding its host reads. */
export function* levenbergMarquardtRun<T>(
  residuals: (x: T) => Array,
  x0: T,
  opts: LevenbergMarquardtOptions,
): Reads<MinimizeResult<T>> {
  const op = "levenbergMarquardt";
  checkFn(op, "residuals", residuals);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  checkOptions(op, opts, [
    "lambda0",
    "maxIter",
    "tol",
    "ftol",
    "xtol",
    "scaling",
    "jit",
    "callback",
  ] satisfies (keyof LevenbergMarquardtOptions)[]);
  const fl = flattener(op, x0);
  const common = commonOptions(op, opts, fl.dtype);
  const lambda0 = checkNonNeg(op, "lambda0", opts.lambda0 ?? 1e-3);
  const xtol = checkNonNeg(op, "xtol", opts.xtol ?? (fl.dtype === "float64" ? 1e-15 : 1e-7));
  const scaling = opts.scaling ?? "identity";
  if (scaling !== "identity" && scaling !== "marquardt")
    rangeError(op, `scaling must be "identity" or "marquardt", got ${String(scaling)}`);
  return yield* runLm(fl, x0, leastSquaresSystem(op, residuals, fl, scaling, common.useJit), lambda0, xtol, common);
}

/** The (optionally jitted) pieces of one LM iteration, on the flat parameter vector. */
interface LeastSquaresSystem {
  /** r(x), flattened, in the parameters' float dtype. */
  resid(x: Array): Array;
  /** The Jacobian J of r at x. */
  jac(x: Array): Array;
  /** The normal equations' JᵀJ and Jᵀr (the gradient of ½‖r‖²). */
  normal(J: Array, r: Array): [Array, Array];
  /** δ solving (A + λD)δ = −g. */
  dampedSolve(A: Array, g: Array, lambda: Array): Array;
}

function leastSquaresSystem<T>(
  op: string,
  residuals: (x: T) => Array,
  fl: Flattener<T>,
  scaling: "identity" | "marquardt",
  useJit: boolean,
): LeastSquaresSystem {
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
  return {
    resid: maybeJit(rFlat),
    jac: maybeJit((v: Array) => jacfwd(rFlat)(v) as Array),
    // The normal equations and the damped solve, each one staged function.
    normal: maybeJit((J: Array, r: Array): [Array, Array] => [np.matmul(J.T, J), np.matmul(J.T, r)]),
    dampedSolve: maybeJit((A: Array, g: Array, lam: Array): Array => {
      const n = g.size; // g = Jᵀr is a vector
      const I = np.eye(n, n, { dtype: A.dtype });
      const D = scaling === "identity" ? I : I.mul(np.maximum(A.mul(I).sum(1), 1e-30 as number)); // diag(JᵀJ), floored
      return solve(A.add(D.mul(lam)), g.neg());
    }),
  };
}

/** An LM iterate: x, its residuals and cost ½‖r‖², the normal matrix A = JᵀJ and gradient g = Jᵀr. */
interface LmPoint {
  readonly x: Array;
  readonly r: Array;
  readonly cost: number;
  readonly A: Array;
  readonly g: Array;
  readonly gn: number;
}

/** The LM iterate at x (residuals r already evaluated): linearizes r there. */
function* lmPoint(sys: LeastSquaresSystem, x: Array, r: Array, cost: number): Reads<LmPoint> {
  const [A, g] = sys.normal(sys.jac(x), r);
  return { x, r, cost, A, g, gn: yield* infNorm(g) };
}

/** The damping λ and Nielsen's growth factor ν, updated in place by the inner loop. */
interface Damping {
  lambda: number;
  nu: number;
}

type DampedStep =
  | { kind: "accepted"; x: Array; r: Array; cost: number; rho: number; stepNorm: number }
  | { kind: "small"; stepNorm: number }
  | { kind: "stalled" };

/**
 * The inner loop of an LM iteration: solves the damped system and raises λ (λ ← λ·ν, ν ← 2ν) until
 * the step decreases the cost (`accepted`, with its gain ratio ρ); stops when the step is below
 * `xtol` (`small`) or λ grows without bound (`stalled`). Counts residual evaluations in `count`.
 */
function* dampedStep(
  sys: LeastSquaresSystem,
  p: LmPoint,
  damping: Damping,
  xtol: number,
  dtype: Flattener<unknown>["dtype"],
  count: { evaluations: number },
): Reads<DampedStep> {
  for (let tries = 0; ; tries++) {
    if (tries >= 60 || !Number.isFinite(damping.lambda)) return { kind: "stalled" };
    const delta = sys.dampedSolve(p.A, p.g, np.array(damping.lambda, { dtype }));
    const [dd, xx] = (yield* readAll(np.vdot(delta, delta), np.vdot(p.x, p.x))) as [number, number];
    const stepNorm = Math.sqrt(dd);
    const xNorm = Math.sqrt(xx);
    if (Number.isFinite(stepNorm) && stepNorm <= xtol * (xNorm + xtol)) return { kind: "small", stepNorm };
    const xNew = p.x.add(delta);
    const rNew = sys.resid(xNew);
    count.evaluations++;
    const [rr, dg, dAd] = (yield* readAll(
      np.vdot(rNew, rNew),
      np.vdot(delta, p.g),
      np.vdot(delta, np.matmul(p.A, delta)),
    )) as [number, number, number];
    const costNew = 0.5 * rr;
    // Decrease predicted by the linear model: L(0) − L(δ) = −δᵀg − ½ δᵀ(JᵀJ)δ.
    const predicted = -dg - 0.5 * dAd;
    const rho = (p.cost - costNew) / predicted;
    if (Number.isFinite(costNew) && predicted > 0 && rho > 0)
      return { kind: "accepted", x: xNew, r: rNew, cost: costNew, rho, stepNorm };
    damping.lambda = damping.lambda === 0 ? 1e-3 : damping.lambda * damping.nu;
    damping.nu *= 2;
  }
}

/** Runs LM iterations from x0 until a stopping test holds; the result of {@link levenbergMarquardt}. */
function* runLm<T>(
  fl: Flattener<T>,
  x0: T,
  sys: LeastSquaresSystem,
  lambda0: number,
  xtol: number,
  { maxIter, tol, ftol, callback }: Common,
): Reads<MinimizeResult<T>> {
  const x = fl.ravel(x0, "x0");
  const r = sys.resid(x);
  if (r.size === 0) throw new TypeError(`levenbergMarquardt: the residual function returned no residuals`);
  const count = { evaluations: 1 };
  let p = yield* lmPoint(sys, x, r, 0.5 * (yield* dotNum(r, r)));
  const damping: Damping = { lambda: lambda0, nu: 2 };
  const history: IterationInfo[] = [
    { iteration: 0, value: p.cost, gradNorm: p.gn, stepSize: 0, evaluations: 1, damping: lambda0 },
  ];
  let converged = false;
  let message = `reached maxIter (${maxIter}) iterations`;
  let iter = 0;
  if (!Number.isFinite(p.cost)) message = `the residuals are not finite at x0`;
  else if (p.gn <= tol) {
    converged = true;
    message = `gradient norm ${p.gn.toExponential(2)} <= tol`;
  }

  while (!converged && Number.isFinite(p.cost) && iter < maxIter) {
    const step = yield* dampedStep(sys, p, damping, xtol, fl.dtype, count);
    if (step.kind === "stalled") {
      message = "no decrease found (damping grew without bound)";
      break;
    }
    if (step.kind === "small") {
      converged = true;
      message = `step ${step.stepNorm.toExponential(2)} <= xtol·(‖x‖ + xtol)`;
      break;
    }
    const decrease = p.cost - step.cost;
    p = yield* lmPoint(sys, step.x, step.r, step.cost);
    damping.lambda *= Math.max(1 / 3, 1 - (2 * step.rho - 1) ** 3);
    damping.nu = 2;
    iter++;
    const info: IterationInfo = {
      iteration: iter,
      value: p.cost,
      gradNorm: p.gn,
      stepSize: step.stepNorm,
      evaluations: count.evaluations,
      damping: damping.lambda,
    };
    history.push(info);
    if (p.gn <= tol) {
      converged = true;
      message = `gradient norm ${p.gn.toExponential(2)} <= tol`;
    } else if (decrease <= ftol * Math.max(p.cost + decrease, 0)) {
      converged = true;
      message = `relative decrease ${(decrease / (p.cost + decrease)).toExponential(2)} <= ftol`;
    }
    if (callback !== undefined && callback(info) === true) {
      message = "stopped by the callback";
      break;
    }
  }
  return freeze(
    {
      x: fl.unravel(p.x),
      value: p.cost,
      gradNorm: p.gn,
      iterations: iter,
      evaluations: count.evaluations,
      converged,
      message,
      history,
    },
    true,
  ) as MinimizeResult<T>;
}
