// Full BFGS: the dense inverse-Hessian update, and the eager `bfgs` transformation bound to an objective.
import { freeze } from "immer";
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import type { Reads } from "./drive.js";
import {
  boundObjective,
  searchAlong,
  updatePair,
  wolfeOptions,
  type LineSearchTransformation,
} from "./line-search-step.js";
import type { WolfeOptions } from "./linesearch.js";
import { checkFn, dotNum, infNorm, num, readAll, type Objective } from "./objective.js";
import type { Params } from "./types.js";
import { checkOptions } from "../core/options.js";

/** The BFGS direction −H·g (steepest descent −g before the first curvature pair). */
export function bfgsDirection(g: Array, h: Array | null): Array {
  return h === null ? g.neg() : np.matmul(h, g).neg();
}

/**
 * The BFGS update of the inverse Hessian approximation (N&W eq. 6.17) from the step s = x₊ − x and
 * gradient change y = g₊ − g, with ρ = 1/sᵀy:
 *
 *     H₊ = (I − ρ·s·yᵀ) H (I − ρ·y·sᵀ) + ρ·s·sᵀ
 *        = H − ρ·(s·(Hy)ᵀ + (Hy)·sᵀ) + (ρ²·yᵀHy + ρ)·s·sᵀ
 *
 * Before the first update H = (sᵀy / yᵀy)·I (N&W eq. 6.20). The pair is skipped (H kept) when the
 * curvature sᵀy is not safely positive, which keeps H positive definite.
 */
export function* bfgsUpdate(h: Array | null, s: Array, y: Array): Reads<Array | null> {
  const [sy, ss, yy] = (yield* readAll(np.vdot(s, y), np.vdot(s, s), np.vdot(y, y))) as [number, number, number];
  if (!(sy > 1e-10 * Math.sqrt(ss * yy))) return h;
  const h0 = h ?? np.eye(s.size, s.size, { dtype: s.dtype }).mul(sy / yy);
  const rho = 1 / sy;
  const hy = np.matmul(h0, y);
  const yhy = np.vdot(y, hy);
  const cross = np.outer(s, hy).add(np.outer(hy, s)).mul(rho);
  return h0.sub(cross).add(np.outer(s, s).mul(yhy.mul(rho * rho).add(rho)));
}

/** Options of {@link bfgs}. */
export interface BfgsOptions {
  /** The line search: `"wolfe"` (strong Wolfe, c1 = 1e-4, c2 = 0.9) or its options. */
  lineSearch?: "wolfe" | WolfeOptions;
  /** Jit the objective's value-and-gradient (default true; turn off for objectives that cannot trace). */
  jit?: boolean;
}

/** The state of {@link bfgs} (frozen): the step count and the n×n inverse Hessian approximation (null before the first pair). */
export interface BfgsState {
  readonly count: number;
  readonly h: Array | null;
}

/**
 * BFGS (Broyden–Fletcher–Goldfarb–Shanno, N&W Algorithm 6.1) bound to the objective `f`: it keeps
 * a dense approximation H of the inverse Hessian, refined by a rank-two update from every step s
 * and gradient change y (the notes' quasi-Newton method: Newton's step without computing or
 * inverting the Hessian). Each `update(grads, state, params)` takes d = −H·g, runs a strong Wolfe
 * line search along it and returns the step. The first step is steepest descent with trial length
 * min(1, 1/‖g‖∞). Memory is O(n²): for more than a few thousand parameters use {@link lbfgs}.
 *
 * Eager only, like `lbfgs(f)`: `grads` must be ∇f at `params`; on WebGPU use `updateAsync`. For a
 * complete solve, `minimize(f, x0, { method: "bfgs" })`.
 * @example
 * const opt = optim.bfgs(rosen);
 * let x = np.array([-1.2, 1], { dtype: "float64" });
 * let state = opt.init(x);
 * for (let i = 0; i < 40; i++) {
 *   const [u, s] = opt.update(grad(rosen)(x), state, x);
 *   [x, state] = [x.add(u as np.Array), s];
 * }
 */
export function bfgs<T = Params>(f: Objective<T>, opts: BfgsOptions = {}): LineSearchTransformation<BfgsState> {
  const op = "bfgs";
  checkFn(op, "f", f);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  checkOptions(op, opts, ["lineSearch", "jit"] satisfies (keyof BfgsOptions)[]);
  const ls = wolfeOptions(op, opts.lineSearch, 0.9);
  const bound = boundObjective(op, f, opts.jit ?? true);
  const init = (_params: Params): BfgsState => freeze({ count: 0, h: null }, true);
  function* step(grads: unknown, state: BfgsState, params?: Params): Reads<[unknown, BfgsState]> {
    if (state === null || typeof state !== "object" || !("h" in state) || typeof state.count !== "number")
      throw new TypeError(`${op}: state must come from bfgs(...).init`);
    const { fl, ev } = bound(params);
    const x = fl.ravel(params, "params");
    const g = fl.ravel(grads);
    if (state.h !== null && (state.h.ndim !== 2 || state.h.shape[0] !== fl.n))
      throw new TypeError(`${op}: the state's inverse Hessian is not ${fl.n}×${fl.n}: it belongs to other params`);
    const value = yield* num(ev.vg(x)[0]);
    let h = state.h;
    let d = bfgsDirection(g, h);
    let slope = yield* dotNum(g, d);
    if (!(slope < 0)) {
      h = null;
      d = g.neg();
      slope = yield* dotNum(g, d);
    }
    if (!(slope < 0)) return [freeze(fl.unravel(np.zerosLike(x)), true), state]; // zero gradient: nothing to do
    const alpha0 = h === null ? Math.min(1, 1 / (yield* infNorm(g))) : 1;
    const r = yield* searchAlong(ev, x, value, d, slope, { ...ls, alpha0 });
    if (!r.ok) return [freeze(fl.unravel(np.zerosLike(x)), true), freeze({ count: state.count + 1, h: null }, true)];
    const s = r.x.sub(x);
    const next = yield* bfgsUpdate(h, s, r.g.sub(g));
    return [freeze(fl.unravel(s), true), freeze({ count: state.count + 1, h: next }, true)];
  }
  return Object.freeze({ init, ...updatePair(op, step) });
}
