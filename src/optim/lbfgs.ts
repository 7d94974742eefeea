// L-BFGS: the two-loop-recursion direction and memory, and the eager `lbfgs` transformation bound to an objective.
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
import { checkFn, checkInt, dotNum, infNorm, num, readAll, type Objective } from "./objective.js";
import type { Params } from "./types.js";
import { checkOptions } from "../core/options.js";

export interface LbfgsMemory {
  readonly s: readonly Array[];
  readonly y: readonly Array[];
  readonly rho: readonly number[];
}

/**
 * The L-BFGS direction −H_k g by the two-loop recursion (N&W Algorithm 7.4), with the initial
 * inverse Hessian H⁰ = γI, γ = sᵀy / yᵀy of the newest pair.
 */
export function* lbfgsDirection(g: Array, mem: LbfgsMemory): Reads<Array> {
  const pairs = curvaturePairs(mem);
  const newest = pairs[pairs.length - 1];
  if (newest === undefined) return g.neg();
  // First loop, newest pair to oldest: αᵢ = ρᵢ·sᵢᵀq, q ← q − αᵢ·yᵢ.
  let q = g;
  const withAlpha: { pair: CurvaturePair; alpha: Array }[] = [];
  for (const pair of [...pairs].reverse()) {
    const alpha = np.vdot(pair.s, q).mul(pair.rho);
    withAlpha.push({ pair, alpha });
    q = q.sub(pair.y.mul(alpha));
  }
  const sy = 1 / newest.rho;
  const yy = yield* dotNum(newest.y, newest.y);
  let r = q.mul(sy / yy);
  // Second loop, oldest pair to newest: βᵢ = ρᵢ·yᵢᵀr, r ← r + sᵢ·(αᵢ − βᵢ).
  for (const { pair, alpha } of withAlpha.reverse()) {
    const beta = np.vdot(pair.y, r).mul(pair.rho);
    r = r.add(pair.s.mul(alpha.sub(beta)));
  }
  return r.neg();
}

interface CurvaturePair {
  readonly s: Array;
  readonly y: Array;
  readonly rho: number;
}

/** The memory as (s, y, ρ = 1/sᵀy) triples, oldest first; its three lists must have one length. */
function curvaturePairs(mem: LbfgsMemory): CurvaturePair[] {
  if (mem.y.length !== mem.s.length || mem.rho.length !== mem.s.length)
    throw new TypeError(
      `lbfgs: the memory has ${mem.s.length} s vectors, ${mem.y.length} y vectors and ${mem.rho.length} ρ values; ` +
        "they must have one length (pass the state returned by update)",
    );
  return mem.s.map((s, i) => ({ s, y: mem.y[i]!, rho: mem.rho[i]! })); // same lengths, checked above
}

/** Adds the pair (s, y) when the curvature sᵀy is safely positive; keeps the newest m pairs. */
export function* lbfgsPush(mem: LbfgsMemory, s: Array, y: Array, m: number): Reads<LbfgsMemory> {
  const [sy, ss, yy] = (yield* readAll(np.vdot(s, y), np.vdot(s, s), np.vdot(y, y))) as [number, number, number];
  if (!(sy > 1e-10 * Math.sqrt(ss * yy))) return mem; // skip: no positive curvature information
  const keep = (xs: readonly Array[] | readonly number[]) => xs.slice(Math.max(0, xs.length + 1 - m));
  return {
    s: [...(keep(mem.s) as Array[]), s],
    y: [...(keep(mem.y) as Array[]), y],
    rho: [...(keep(mem.rho) as number[]), 1 / sy],
  };
}

/** Options of {@link lbfgs}. */
export interface LbfgsOptions {
  /** Number of (s, y) pairs kept (integer ≥ 1). Default 10. */
  memorySize?: number;
  /** The line search: `"wolfe"` (strong Wolfe, c1 = 1e-4, c2 = 0.9) or its options. */
  lineSearch?: "wolfe" | WolfeOptions;
  /** Jit the objective's value-and-gradient (default true; turn off for objectives that cannot trace). */
  jit?: boolean;
}

/** The state of {@link lbfgs} (frozen): the curvature pairs, newest last. */
export interface LbfgsState {
  readonly count: number;
  readonly s: readonly Array[];
  readonly y: readonly Array[];
  readonly rho: readonly number[];
}

/**
 * L-BFGS (limited-memory BFGS, N&W Algorithm 7.5) bound to the objective `f`: each
 * `update(grads, state, params)` computes the quasi-Newton direction d = −H_k g by the two-loop
 * recursion from the last `memorySize` pairs s = x₊ − x, y = g₊ − g (H⁰ = (sᵀy / yᵀy)·I), runs a
 * strong Wolfe line search along d, and returns the update α·d. The first step (no pairs yet) is a
 * steepest-descent step with trial length min(1, 1/‖g‖∞).
 *
 * The line search evaluates f on the host, so `update` is eager only (do not `jit` it). `grads` must
 * be ∇f at `params`. For a complete solve with stopping tests, use `minimize(f, x0, { method: "lbfgs" })`.
 * `update` reads synchronously; on WebGPU use `updateAsync` (same step, awaited reads, same result):
 * `const [u, s] = await withBackend("webgpu", () => opt.updateAsync(grad(rosen)(x), state, x))`.
 *
 * @example
 * const rosen = (p: np.Array) => { const [x, y] = [p.get(0), p.get(1)]; return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100)); };
 * const opt = optim.lbfgs(rosen, { memorySize: 5 });
 * let x = np.array([-1.2, 1], { dtype: "float64" });
 * let state = opt.init(x);
 * for (let i = 0; i < 50; i++) {
 *   const [u, s] = opt.update(grad(rosen)(x), state, x);
 *   [x, state] = [x.add(u as np.Array), s];
 * }
 */
export function lbfgs<T = Params>(f: Objective<T>, opts: LbfgsOptions = {}): LineSearchTransformation<LbfgsState> {
  const op = "lbfgs";
  checkFn(op, "f", f);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  checkOptions(op, opts, ["memorySize", "lineSearch", "jit"] satisfies (keyof LbfgsOptions)[]);
  const m = checkInt(op, "memorySize", opts.memorySize ?? 10, 1);
  const ls = wolfeOptions(op, opts.lineSearch, 0.9);
  const bound = boundObjective(op, f, opts.jit ?? true);
  const init = (_params: Params): LbfgsState => freeze({ count: 0, s: [], y: [], rho: [] }, true);
  function* step(grads: unknown, state: LbfgsState, params?: Params): Reads<[unknown, LbfgsState]> {
    if (
      state === null ||
      typeof state !== "object" ||
      !globalThis.Array.isArray(state.s) ||
      !globalThis.Array.isArray(state.y) ||
      !globalThis.Array.isArray(state.rho) ||
      state.y.length !== state.s.length ||
      state.rho.length !== state.s.length
    )
      throw new TypeError(`${op}: state must come from lbfgs(...).init`);
    const { fl, ev } = bound(params);
    const x = fl.ravel(params, "params");
    const g = fl.ravel(grads);
    const value = yield* num(ev.vg(x)[0]);
    let mem: LbfgsMemory = state;
    let d = yield* lbfgsDirection(g, mem);
    let slope = yield* dotNum(g, d);
    if (!(slope < 0)) {
      mem = { s: [], y: [], rho: [] };
      d = g.neg();
      slope = yield* dotNum(g, d);
    }
    if (!(slope < 0)) return [freeze(fl.unravel(np.zerosLike(x)), true), state]; // zero gradient: nothing to do
    const alpha0 = mem.s.length === 0 ? Math.min(1, 1 / (yield* infNorm(g))) : 1;
    const r = yield* searchAlong(ev, x, value, d, slope, { ...ls, alpha0 });
    if (!r.ok)
      return [
        freeze(fl.unravel(np.zerosLike(x)), true),
        freeze({ count: state.count + 1, s: [], y: [], rho: [] }, true),
      ];
    const s = r.x.sub(x);
    const next = yield* lbfgsPush(mem, s, r.g.sub(g), m);
    return [
      freeze(fl.unravel(s), true),
      freeze({ count: state.count + 1, s: [...next.s], y: [...next.y], rho: [...next.rho] }, true),
    ];
  }
  return Object.freeze({ init, ...updatePair(op, step) });
}
