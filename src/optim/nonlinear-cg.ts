// Nonlinear conjugate gradient (Fletcher–Reeves, Polak–Ribière+): the direction, the initial step, and the eager `nonlinearCG` transformation.
import { freeze } from "immer";
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import type { WolfeOptions } from "./linesearch.js";
import type { Reads } from "./drive.js";
import {
  boundObjective,
  searchAlong,
  updatePair,
  wolfeOptions,
  type LineSearchTransformation,
} from "./line-search-step.js";
import { checkFn, dotNum, infNorm, num, rangeError, readAll, type Objective } from "./objective.js";
import type { Params } from "./types.js";
import { checkOptions } from "../core/options.js";

export type CgVariant = "fr" | "pr";

export interface CgMemory {
  readonly g: Array;
  readonly d: Array;
  readonly gg: number;
}

/**
 * The nonlinear CG direction −g + β d_prev with β_FR = gᵀg / g₋ᵀg₋ (Fletcher–Reeves) or
 * β_PR+ = max(0, gᵀ(g − g₋) / g₋ᵀg₋) (Polak–Ribière+). PR+ restarts by itself (β = 0); FR is
 * restarted when successive gradients are far from orthogonal, |gᵀg₋| ≥ 0.1 gᵀg (Powell's test,
 * N&W eq. 5.52), which keeps it from jamming. There is no restart every n steps: on ill-conditioned
 * problems, where the Wolfe steps are inexact, a periodic steepest-descent step costs far more
 * than it gains.
 */
export function* cgDirection(
  variant: CgVariant,
  g: Array,
  prev: CgMemory | undefined,
): Reads<{ d: Array; restarted: boolean }> {
  if (prev === undefined) return { d: g.neg(), restarted: true };
  const [gg, ggPrev] = (yield* readAll(np.vdot(g, g), np.vdot(g, prev.g))) as [number, number];
  let beta: number;
  if (variant === "fr") {
    if (Math.abs(ggPrev) >= 0.1 * gg) return { d: g.neg(), restarted: true };
    beta = gg / prev.gg;
  } else beta = Math.max(0, (gg - ggPrev) / prev.gg);
  if (!Number.isFinite(beta) || beta === 0) return { d: g.neg(), restarted: true };
  return { d: g.neg().add(prev.d.mul(beta)), restarted: false };
}

/** Options of {@link nonlinearCG}. */
export interface NonlinearCGOptions {
  /** `"pr"` (Polak–Ribière+, default) or `"fr"` (Fletcher–Reeves). */
  variant?: CgVariant;
  /** The line search: strong Wolfe with c2 = 0.1 by default (FR needs c2 < ½). */
  lineSearch?: "wolfe" | WolfeOptions;
  /** Jit the objective's value-and-gradient. Default true. */
  jit?: boolean;
}

/** The state of {@link nonlinearCG} (frozen). */
export interface NonlinearCGState {
  readonly count: number;
  /** The previous gradient, direction, step and slope (absent before the first step and after a failed one). */
  readonly prev: {
    readonly g: Array;
    readonly d: Array;
    readonly gg: number;
    readonly alpha: number;
    readonly slope: number;
  } | null;
}

/**
 * Nonlinear conjugate gradient (N&W Algorithm 5.4) bound to the objective `f`: directions
 * d = −g + β·d_prev with Fletcher–Reeves or Polak–Ribière+ β, each followed by a strong Wolfe line
 * search (c2 = 0.1). The first trial step is α_prev·(g_prevᵀd_prev)/(gᵀd) (N&W eq. 3.60). Eager only,
 * like {@link lbfgs}; on WebGPU use `updateAsync`, which awaits the line search's reads.
 *
 * @example
 * const opt = optim.nonlinearCG(f, { variant: "pr" });
 * const [u, state] = opt.update(grad(f)(x), opt.init(x), x);
 * const [uGpu] = await withBackend("webgpu", () => opt.updateAsync(grad(f)(xGpu), opt.init(xGpu), xGpu));
 */
export function nonlinearCG<T = Params>(
  f: Objective<T>,
  opts: NonlinearCGOptions = {},
): LineSearchTransformation<NonlinearCGState> {
  const op = "nonlinearCG";
  checkFn(op, "f", f);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  checkOptions(op, opts, ["variant", "lineSearch", "jit"] satisfies (keyof NonlinearCGOptions)[]);
  const variant = opts.variant ?? "pr";
  if (variant !== "pr" && variant !== "fr") rangeError(op, `variant must be "pr" or "fr", got ${String(variant)}`);
  const ls = wolfeOptions(op, opts.lineSearch, 0.1);
  const bound = boundObjective(op, f, opts.jit ?? true);
  const init = (_params: Params): NonlinearCGState => freeze({ count: 0, prev: null }, true);
  function* step(grads: unknown, state: NonlinearCGState, params?: Params): Reads<[unknown, NonlinearCGState]> {
    if (state === null || typeof state !== "object" || !("prev" in state))
      throw new TypeError(`${op}: state must come from nonlinearCG(...).init`);
    const { fl, ev } = bound(params);
    const x = fl.ravel(params, "params");
    const g = fl.ravel(grads);
    const value = yield* num(ev.vg(x)[0]);
    const prev = state.prev ?? undefined;
    let d = (yield* cgDirection(variant, g, prev)).d;
    let slope = yield* dotNum(g, d);
    if (!(slope < 0)) {
      d = g.neg();
      slope = yield* dotNum(g, d);
    }
    if (!(slope < 0)) return [freeze(fl.unravel(np.zerosLike(x)), true), state];
    const alpha0 = yield* cgInitialStep(prev, g, slope);
    const r = yield* searchAlong(ev, x, value, d, slope, { ...ls, alpha0 });
    if (!r.ok) return [freeze(fl.unravel(np.zerosLike(x)), true), freeze({ count: state.count + 1, prev: null }, true)];
    const nextPrev = { g, d, gg: yield* dotNum(g, g), alpha: r.alpha, slope };
    return [freeze(fl.unravel(r.x.sub(x)), true), freeze({ count: state.count + 1, prev: nextPrev }, true)];
  }
  return Object.freeze({ init, ...updatePair(op, step) });
}

export function* cgInitialStep(
  prev: { alpha?: number; slope?: number } | undefined,
  g: Array,
  slope: number,
): Reads<number> {
  if (prev === undefined || prev.alpha === undefined || prev.slope === undefined)
    return Math.min(1, 1 / (yield* infNorm(g)));
  const a = (prev.alpha * prev.slope) / slope;
  return Number.isFinite(a) && a > 0 ? Math.min(a, 1e10) : 1;
}
