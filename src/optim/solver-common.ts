// What the solvers (`minimize`, `levenbergMarquardt`) report, and the stopping options they share.
import { checkFn, checkInt, checkNonNeg, type FloatDType } from "./objective.js";

/** One entry of a solver's history. */
export interface IterationInfo {
  /** 0 for the starting point, then 1, 2, ... */
  iteration: number;
  /** f at the iterate (for LM: ½‖r‖²). */
  value: number;
  /** ‖∇f‖∞ at the iterate. */
  gradNorm: number;
  /** The step length α taken by the line search (LM: ‖δ‖₂); 0 for the starting point. */
  stepSize: number;
  /** Objective (or residual) evaluations so far. */
  evaluations: number;
  /** Newton: the shift α used in H + αI; LM: the damping λ after the step. */
  damping?: number;
  /** Whether the accepted step satisfied the strong Wolfe conditions (line-search methods). */
  wolfe?: boolean;
}

/** What {@link minimize} and {@link levenbergMarquardt} return. */
export interface MinimizeResult<T> {
  /** The final iterate, in the structure and dtypes of x0. */
  x: T;
  /** f(x) (for least squares: ½‖r(x)‖²). */
  value: number;
  /** ‖∇f(x)‖∞. */
  gradNorm: number;
  /** Iterations taken. */
  iterations: number;
  /** Objective (or residual) evaluations, the starting point included. */
  evaluations: number;
  /** A stopping test (`tol` or `ftol`) was met. */
  converged: boolean;
  /** Why the solver stopped. */
  message: string;
  /** One entry per iterate, the starting point first. */
  history: IterationInfo[];
}
/** The options shared by {@link minimize} and {@link levenbergMarquardt} (both option types satisfy it). */
interface CommonOptions {
  maxIter?: number;
  tol?: number;
  ftol?: number;
  jit?: boolean;
  callback?: (info: IterationInfo) => boolean | void;
}

export interface Common {
  maxIter: number;
  tol: number;
  ftol: number;
  useJit: boolean;
  callback: ((info: IterationInfo) => boolean | void) | undefined;
}

export function commonOptions(op: string, opts: CommonOptions, dtype: FloatDType): Common {
  const maxIter = checkInt(op, "maxIter", opts.maxIter ?? 500, 0);
  const tol = checkNonNeg(op, "tol", opts.tol ?? (dtype === "float64" ? 1e-9 : 1e-5));
  const ftol = checkNonNeg(op, "ftol", opts.ftol ?? (dtype === "float64" ? 1e-15 : 1e-8));
  if (opts.callback !== undefined) checkFn(op, "callback", opts.callback);
  return { maxIter, tol, ftol, useJit: opts.jit ?? true, callback: opts.callback };
}
