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
import { freeze } from "immer";
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import { valueAndGrad } from "../../transforms/grad.js";
import { hessian, jacfwd } from "../../transforms/jacobian.js";
import { jit } from "../../transforms/jit.js";
import { cholesky, choleskySolve, solve } from "./linear-solve.js";
import { lineSearchWolfe, type WolfeOptions } from "./linesearch.js";
import type { GradientTransformation, Params, ScalarOrSchedule, UpdateExtra, Updates } from "./types.js";

export { lineSearchWolfe, type LineSearchPoint, type LineSearchResult, type WolfeOptions } from "./linesearch.js";

/** An objective: a scalar-valued function of a pytree of float arrays. */
export type Objective<T = Params> = (params: T) => Array | number;

type FloatDType = "float32" | "float64";

// ----------------------------------------------------------------------------------------------
// argument checks

function rangeError(op: string, msg: string): never {
  throw new RangeError(`${op}: ${msg}`);
}
function checkNonNeg(op: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v)) rangeError(op, `${what} must be a finite number >= 0, got ${String(v)}`);
  return v;
}
function checkPos(op: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v)) rangeError(op, `${what} must be a finite number > 0, got ${String(v)}`);
  return v;
}
function checkInt(op: string, what: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min) rangeError(op, `${what} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}
function checkFn(op: string, what: string, f: unknown): void {
  if (typeof f !== "function") throw new TypeError(`${op}: ${what} must be a function, got ${f === null ? "null" : typeof f}`);
}

// ----------------------------------------------------------------------------------------------
// flattening a parameter pytree into one vector

interface Flattener<T> {
  n: number;
  dtype: FloatDType;
  ravel(t: unknown, what?: string): Array;
  unravel(v: Array): T;
}

function flattener<T>(op: string, params: T): Flattener<T> {
  const [leaves, def] = tree.flatten(params);
  if (leaves.length === 0) throw new TypeError(`${op}: the parameters contain no arrays`);
  leaves.forEach((l, i) => {
    if (!(l instanceof Array) || (l.dtype !== "float32" && l.dtype !== "float64"))
      throw new TypeError(`${op}: every parameter leaf must be a float32 or float64 Array; leaf ${i} is ${l instanceof Array ? l.dtype : typeof l}`);
  });
  const arrs = leaves as Array[];
  const shapes = arrs.map((a) => a.shape);
  const dtypes = arrs.map((a) => a.dtype as FloatDType);
  const sizes = arrs.map((a) => a.size);
  const dtype: FloatDType = dtypes.includes("float64") ? "float64" : "float32";
  const n = sizes.reduce((a, b) => a + b, 0);
  if (n === 0) throw new TypeError(`${op}: the parameters have no elements`);
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  return {
    n,
    dtype,
    ravel(t: unknown, what = "the gradient"): Array {
      const [ls, d] = tree.flatten(t);
      if (!d.equals(def)) throw new TypeError(`${op}: ${what} must have the parameters' structure ${def.toString()}, got ${d.toString()}`);
      const flat = ls.map((l, i) => {
        const a = l instanceof Array ? l : np.asArray(l as number, op);
        if (a.size !== sizes[i]) throw new TypeError(`${op}: leaf ${i} of ${what} has shape [${a.shape.join(", ")}], expected [${shapes[i]!.join(", ")}]`);
        return a.reshape([a.size]).astype(dtype);
      });
      return flat.length === 1 ? flat[0]! : np.concatenate(flat);
    },
    unravel(v: Array): T {
      const parts = arrs.map((_, i) => {
        const piece = arrs.length === 1 ? v : v.get(np.slice(offsets[i]!, offsets[i]! + sizes[i]!));
        return piece.reshape([...shapes[i]!]).astype(dtypes[i]!);
      });
      return tree.unflatten<T>(def, parts);
    },
  };
}

/** f on the flat vector, checked to return a scalar. */
function flatObjective<T>(op: string, f: Objective<T>, fl: Flattener<T>): (v: Array) => Array {
  return (v: Array): Array => {
    const out = f(fl.unravel(v));
    const a = out instanceof Array ? out : typeof out === "number" ? np.asArray(out, op) : undefined;
    if (a === undefined) throw new TypeError(`${op}: the objective must return a scalar Array, got ${out === null ? "null" : typeof out}`);
    if (a.size !== 1) throw new TypeError(`${op}: the objective must return a scalar, got shape [${a.shape.join(", ")}] (for least squares use levenbergMarquardt or method "lm")`);
    const s = a.reshape([]);
    return s.dtype === "float32" || s.dtype === "float64" ? s : s.astype(fl.dtype);
  };
}

const num = (a: Array): number => Number(a.item());
const infNorm = (v: Array): number => num(np.max(np.abs(v)));
const dotNum = (a: Array, b: Array): number => num(np.vdot(a, b));

/** The dense n×n matrix of a Hessian given as a matrix or as graft's nested params-of-params tree. */
function denseHessian<T>(op: string, H: unknown, fl: Flattener<T>, paramLeaves: readonly Array[]): Array {
  const n = fl.n;
  if (H instanceof Array) {
    if (H.size !== n * n) throw new TypeError(`${op}: the Hessian must have ${n}×${n} entries for ${n} parameters, got shape [${H.shape.join(", ")}]`);
    return H.reshape([n, n]).astype(fl.dtype);
  }
  const blocks = tree.leaves(H);
  const k = paramLeaves.length;
  if (blocks.length !== k * k || !blocks.every((b) => b instanceof Array))
    throw new TypeError(`${op}: the Hessian must be an [n, n] Array or the output of hessian(f)(params) (a tree of ${k}×${k} blocks)`);
  const rows: Array[] = [];
  for (let i = 0; i < k; i++) {
    const row = [];
    for (let j = 0; j < k; j++) {
      const b = blocks[i * k + j] as Array;
      const [ni, nj] = [paramLeaves[i]!.size, paramLeaves[j]!.size];
      if (b.size !== ni * nj) throw new TypeError(`${op}: Hessian block (${i}, ${j}) has shape [${b.shape.join(", ")}], expected ${ni}×${nj} entries`);
      row.push(b.reshape([ni, nj]).astype(fl.dtype));
    }
    rows.push(np.concatenate(row, 1));
  }
  return np.concatenate(rows, 0);
}

// ----------------------------------------------------------------------------------------------
// Newton's method (traceable)

/** Options of {@link newton} and {@link newtonStep}. */
export interface NewtonOptions {
  /** α ≥ 0 in (H + αI)⁻¹g: regularizes an ill-conditioned or indefinite Hessian. Default 1e-3. */
  damping?: number;
  /** Step size η (a number or a schedule of the step count). Default 1 (the full Newton step). */
  lr?: ScalarOrSchedule;
  /**
   * How (H + αI) d = g is solved: `"auto"` (default) Cholesky, falling back to LU with partial
   * pivoting when H + αI is not positive definite; `"spd"` Cholesky only; `"general"` LU only.
   */
  solver?: "auto" | "spd" | "general";
}

/** The state of {@link newton}: the int32 step count (for `lr` schedules). */
export interface NewtonState {
  readonly count: Array;
}

/** The extra argument of the objective-free {@link newton}: the Hessian at `params`. */
export interface HessianExtra {
  /** An [n, n] Array over the flattened parameters (leaf order of `tree.leaves`), or `hessian(f)(params)`'s output. */
  hessian: unknown;
}

/** {@link newton} without a bound objective: `update` takes the Hessian as a fourth argument. */
export interface NewtonTransformation extends GradientTransformation<NewtonState> {
  update<U extends Updates = Updates>(updates: U, state: NewtonState, params?: Params | null, extra?: UpdateExtra): [U, NewtonState];
}

function newtonOptions(op: string, opts: NewtonOptions | undefined): Required<Omit<NewtonOptions, "lr">> & { lr: ScalarOrSchedule } {
  if (opts !== undefined && (opts === null || typeof opts !== "object")) throw new TypeError(`${op}: options must be an object`);
  const o = opts ?? {};
  const damping = checkNonNeg(op, "damping", o.damping ?? 1e-3);
  const lr = o.lr ?? 1;
  if (typeof lr === "number") checkPos(op, "lr", lr);
  else checkFn(op, "lr", lr);
  const solver = o.solver ?? "auto";
  if (solver !== "auto" && solver !== "spd" && solver !== "general") rangeError(op, `solver must be "auto", "spd" or "general", got ${String(solver)}`);
  return { damping, lr, solver };
}

/** −(H + αI)⁻¹ g, as a flat vector. */
function dampedNewtonDirection(H: Array, g: Array, damping: number, solver: "auto" | "spd" | "general"): Array {
  const n = g.shape[0]!;
  const A = damping === 0 ? H : H.add(np.eye(n, n, { dtype: H.dtype }).mul(damping));
  return solve(A, g, { assume: solver }).neg();
}

/**
 * Damped Newton's method as a gradient transformation (the notes' regularized Newton update):
 *
 *   θ ← θ − η · (H(θ) + αI)⁻¹ ∇f(θ),
 *
 * with H the Hessian of f over all parameters (flattened into one vector, so cross terms between
 * leaves count), α = `damping` and η = `lr`. On a quadratic with α = 0 and η = 1 one step lands on
 * the minimum; α > 0 shortens steps along low-curvature directions and makes an indefinite H + αI
 * solvable, at the price of a factor α/(λ + α) of the error along each eigenvalue λ per step.
 *
 * - `newton(f, opts)`: `update(grads, state, params)` computes H with `hessian(f)` at `params`
 *   (`params` is required; `grads` must be ∇f at `params`).
 * - `newton(opts)`: `update(grads, state, params, { hessian })` takes H from the caller.
 *
 * Both are traceable: `jit(opt.update)` compiles the Hessian, the Cholesky/LU solve and all.
 * Apply the returned updates by adding them to the parameters.
 *
 * @example
 * import { np, grad, jit, tree } from "graft";
 * import * as optim from "graft/optim";
 * const f = (p: { w: np.Array }) => p.w.sub(np.array([1, 2])).square().sum();
 * const opt = optim.newton(f, { damping: 0 });
 * let params = { w: np.zeros([2]) };
 * let state = opt.init(params);
 * const [updates] = jit(opt.update)(grad(f)(params), state, params);
 * params = tree.map((p: np.Array, u: np.Array) => p.add(u), params, updates); // { w: [1, 2] }
 */
export function newton<T = Params>(f: Objective<T>, opts?: NewtonOptions): GradientTransformation<NewtonState>;
export function newton(opts?: NewtonOptions): NewtonTransformation;
export function newton<T>(a?: Objective<T> | NewtonOptions, b?: NewtonOptions): GradientTransformation<NewtonState> | NewtonTransformation {
  const op = "newton";
  const f = typeof a === "function" ? a : undefined;
  const { damping, lr, solver } = newtonOptions(op, typeof a === "function" ? b : a);

  const init = (_params: Params): NewtonState => freeze({ count: np.array(0, { dtype: "int32" }) }, true);

  const update = <U extends Updates = Updates>(grads: U, state: NewtonState, params?: Params | null, extra?: UpdateExtra): [U, NewtonState] => {
    if (state === null || typeof state !== "object" || !(state.count instanceof Array)) throw new TypeError(`${op}: state must come from newton(...).init`);
    let fl: Flattener<unknown>;
    let H: Array;
    if (f !== undefined) {
      if (params === undefined || params === null) throw new TypeError(`${op}: update needs params (the point where the Hessian is taken): update(grads, state, params)`);
      fl = flattener(op, params);
      const x = fl.ravel(params, "params");
      H = hessian(flatObjective(op, f as Objective<unknown>, fl))(x) as Array;
    } else {
      if (extra === undefined || extra === null || typeof extra !== "object" || !("hessian" in extra))
        throw new TypeError(`${op}: without an objective, update needs the Hessian: update(grads, state, params, { hessian })`);
      fl = flattener(op, grads);
      H = denseHessian(op, extra["hessian"], fl, tree.leaves(grads) as Array[]);
    }
    const g = fl.ravel(grads);
    const d = dampedNewtonDirection(H, g, damping, solver);
    const eta = typeof lr === "number" ? lr : lr(state.count);
    const step = typeof eta === "number" && eta === 1 ? d : d.mul(eta);
    return [freeze(fl.unravel(step), true) as U, freeze({ count: state.count.add(1) }, true)];
  };

  return Object.freeze({ init, update }) as GradientTransformation<NewtonState> | NewtonTransformation;
}

/**
 * One damped Newton update at `params`: −(H + αI)⁻¹ ∇f, in the structure of `params` (add it to
 * the parameters). Traceable.
 *
 * @example
 * const u = optim.newtonStep((x: np.Array) => x.sub(3).square().sum(), np.zeros([2]), { damping: 0 }); // [3, 3]
 */
export function newtonStep<T>(f: Objective<T>, params: T, opts: { damping?: number; solver?: "auto" | "spd" | "general" } = {}): T {
  const op = "newtonStep";
  checkFn(op, "f", f);
  const { damping, solver } = newtonOptions(op, opts);
  const fl = flattener(op, params);
  const obj = flatObjective(op, f, fl);
  const x = fl.ravel(params, "params");
  const g = valueAndGrad(obj)(x)[1];
  const H = hessian(obj)(x) as Array;
  return freeze(fl.unravel(dampedNewtonDirection(H, g, damping, solver)), true);
}

// ----------------------------------------------------------------------------------------------
// search directions (host-side, pure)

interface LbfgsMemory {
  readonly s: readonly Array[];
  readonly y: readonly Array[];
  readonly rho: readonly number[];
}

/**
 * The L-BFGS direction −H_k g by the two-loop recursion (N&W Algorithm 7.4), with the initial
 * inverse Hessian H⁰ = γI, γ = sᵀy / yᵀy of the newest pair.
 */
function lbfgsDirection(g: Array, mem: LbfgsMemory): Array {
  const k = mem.s.length;
  if (k === 0) return g.neg();
  let q = g;
  const alphas: Array[] = new globalThis.Array(k);
  for (let i = k - 1; i >= 0; i--) {
    const a = np.vdot(mem.s[i]!, q).mul(mem.rho[i]!);
    alphas[i] = a;
    q = q.sub(mem.y[i]!.mul(a));
  }
  const sy = 1 / mem.rho[k - 1]!;
  const yy = dotNum(mem.y[k - 1]!, mem.y[k - 1]!);
  let r = q.mul(sy / yy);
  for (let i = 0; i < k; i++) {
    const beta = np.vdot(mem.y[i]!, r).mul(mem.rho[i]!);
    r = r.add(mem.s[i]!.mul(alphas[i]!.sub(beta)));
  }
  return r.neg();
}

/** Adds the pair (s, y) when the curvature sᵀy is safely positive; keeps the newest m pairs. */
function lbfgsPush(mem: LbfgsMemory, s: Array, y: Array, m: number): LbfgsMemory {
  const sy = dotNum(s, y);
  const ss = dotNum(s, s);
  const yy = dotNum(y, y);
  if (!(sy > 1e-10 * Math.sqrt(ss * yy))) return mem; // skip: no positive curvature information
  const keep = (xs: readonly Array[] | readonly number[]) => xs.slice(Math.max(0, xs.length + 1 - m));
  return { s: [...(keep(mem.s) as Array[]), s], y: [...(keep(mem.y) as Array[]), y], rho: [...(keep(mem.rho) as number[]), 1 / sy] };
}

type CgVariant = "fr" | "pr";

interface CgMemory {
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
function cgDirection(variant: CgVariant, g: Array, prev: CgMemory | undefined): { d: Array; restarted: boolean } {
  if (prev === undefined) return { d: g.neg(), restarted: true };
  const gg = dotNum(g, g);
  const ggPrev = dotNum(g, prev.g);
  let beta: number;
  if (variant === "fr") {
    if (Math.abs(ggPrev) >= 0.1 * gg) return { d: g.neg(), restarted: true };
    beta = gg / prev.gg;
  } else beta = Math.max(0, (gg - ggPrev) / prev.gg);
  if (!Number.isFinite(beta) || beta === 0) return { d: g.neg(), restarted: true };
  return { d: g.neg().add(prev.d.mul(beta)), restarted: false };
}

// ----------------------------------------------------------------------------------------------
// the line-search step shared by minimize, lbfgs(f) and nonlinearCG(f)

interface Evaluator {
  vg: (x: Array) => [Array, Array];
  evaluations: number;
}

interface StepResult {
  ok: boolean;
  alpha: number;
  x: Array;
  value: number;
  g: Array;
  wolfe: boolean;
}

/** A strong-Wolfe line search from x along d (slope = gᵀd < 0); returns the new point and gradient. */
function searchAlong(ev: Evaluator, x: Array, value: number, d: Array, slope: number, ls: WolfeOptions): StepResult {
  const r = lineSearchWolfe<[Array, Array]>(
    (a) => {
      ev.evaluations++;
      const xa = x.add(d.mul(a));
      const [fa, ga] = ev.vg(xa);
      return { value: num(fa), slope: dotNum(ga, d), aux: [xa, ga] };
    },
    { value, slope },
    ls,
  );
  if (r.alpha === 0 || r.aux === undefined) return { ok: false, alpha: 0, x, value, g: d, wolfe: false };
  return { ok: true, alpha: r.alpha, x: r.aux[0], value: r.value, g: r.aux[1], wolfe: r.success };
}

function wolfeOptions(op: string, ls: "wolfe" | WolfeOptions | undefined, c2Default: number): WolfeOptions {
  if (ls === undefined || ls === "wolfe") return { c2: c2Default };
  if (ls === null || typeof ls !== "object") rangeError(op, `lineSearch must be "wolfe" or Wolfe options { c1, c2, maxIter }, got ${String(ls)}`);
  return { c2: c2Default, ...ls };
}

// ----------------------------------------------------------------------------------------------
// L-BFGS and nonlinear CG as (eager) transformations

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
 * A line-search method bound to its objective. `update(grads, state, params)` evaluates f at
 * `params` (once) and along the search direction, reading values back on the host, so it is eager
 * only (not inside `jit`). `grads` must be ∇f at `params`; the returned updates are added to the
 * parameters. A step whose line search finds no decrease returns zero updates and clears the
 * method's memory.
 */
export interface LineSearchTransformation<S> extends GradientTransformation<S> {
  init(params: Params): S;
  update<U extends Updates = Updates>(grads: U, state: S, params?: Params): [U, S];
}

function evaluatorFor<T>(op: string, f: Objective<T>, fl: Flattener<T>, useJit: boolean): Evaluator {
  const vgRaw = valueAndGrad(flatObjective(op, f, fl)) as (x: Array) => [Array, Array];
  return { vg: useJit ? jit(vgRaw) : vgRaw, evaluations: 0 };
}

/** Caches the flattener and jitted evaluator per parameter structure. */
function boundObjective<T>(op: string, f: Objective<T>, useJit: boolean): (params: unknown) => { fl: Flattener<T>; ev: Evaluator } {
  let cache: { key: string; fl: Flattener<T>; ev: Evaluator } | undefined;
  return (params: unknown) => {
    if (params === undefined || params === null) throw new TypeError(`${op}: update needs params (the current point): update(grads, state, params)`);
    const [leaves, def] = tree.flatten(params);
    const key = def.key + leaves.map((l) => (l instanceof Array ? `${l.dtype}[${l.shape.join(",")}]` : typeof l)).join(";");
    if (cache === undefined || cache.key !== key) {
      const fl = flattener(op, params as T);
      cache = { key, fl, ev: evaluatorFor(op, f, fl, useJit) };
    }
    return cache;
  };
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
  const m = checkInt(op, "memorySize", opts.memorySize ?? 10, 1);
  const ls = wolfeOptions(op, opts.lineSearch, 0.9);
  const bound = boundObjective(op, f, opts.jit ?? true);
  const init = (_params: Params): LbfgsState => freeze({ count: 0, s: [], y: [], rho: [] }, true);
  const update = <U extends Updates = Updates>(grads: U, state: LbfgsState, params?: Params): [U, LbfgsState] => {
    if (state === null || typeof state !== "object" || !globalThis.Array.isArray(state.s)) throw new TypeError(`${op}: state must come from lbfgs(...).init`);
    const { fl, ev } = bound(params);
    const x = fl.ravel(params, "params");
    const g = fl.ravel(grads);
    const value = num(ev.vg(x)[0]);
    let mem: LbfgsMemory = state;
    let d = lbfgsDirection(g, mem);
    let slope = dotNum(g, d);
    if (!(slope < 0)) {
      mem = { s: [], y: [], rho: [] };
      d = g.neg();
      slope = dotNum(g, d);
    }
    if (!(slope < 0)) return [freeze(fl.unravel(np.zerosLike(x)), true) as unknown as U, state]; // zero gradient: nothing to do
    const alpha0 = mem.s.length === 0 ? Math.min(1, 1 / infNorm(g)) : 1;
    const r = searchAlong(ev, x, value, d, slope, { ...ls, alpha0 });
    if (!r.ok) return [freeze(fl.unravel(np.zerosLike(x)), true) as unknown as U, freeze({ count: state.count + 1, s: [], y: [], rho: [] }, true)];
    const s = r.x.sub(x);
    const next = lbfgsPush(mem, s, r.g.sub(g), m);
    return [freeze(fl.unravel(s), true) as unknown as U, freeze({ count: state.count + 1, s: [...next.s], y: [...next.y], rho: [...next.rho] }, true)];
  };
  return Object.freeze({ init, update });
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
  readonly prev: { readonly g: Array; readonly d: Array; readonly gg: number; readonly alpha: number; readonly slope: number } | null;
}

/**
 * Nonlinear conjugate gradient (N&W Algorithm 5.4) bound to the objective `f`: directions
 * d = −g + β·d_prev with Fletcher–Reeves or Polak–Ribière+ β, each followed by a strong Wolfe line
 * search (c2 = 0.1). The first trial step is α_prev·(g_prevᵀd_prev)/(gᵀd) (N&W eq. 3.60). Eager only,
 * like {@link lbfgs}.
 *
 * @example
 * const opt = optim.nonlinearCG(f, { variant: "pr" });
 */
export function nonlinearCG<T = Params>(f: Objective<T>, opts: NonlinearCGOptions = {}): LineSearchTransformation<NonlinearCGState> {
  const op = "nonlinearCG";
  checkFn(op, "f", f);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  const variant = opts.variant ?? "pr";
  if (variant !== "pr" && variant !== "fr") rangeError(op, `variant must be "pr" or "fr", got ${String(variant)}`);
  const ls = wolfeOptions(op, opts.lineSearch, 0.1);
  const bound = boundObjective(op, f, opts.jit ?? true);
  const init = (_params: Params): NonlinearCGState => freeze({ count: 0, prev: null }, true);
  const update = <U extends Updates = Updates>(grads: U, state: NonlinearCGState, params?: Params): [U, NonlinearCGState] => {
    if (state === null || typeof state !== "object" || !("prev" in state)) throw new TypeError(`${op}: state must come from nonlinearCG(...).init`);
    const { fl, ev } = bound(params);
    const x = fl.ravel(params, "params");
    const g = fl.ravel(grads);
    const value = num(ev.vg(x)[0]);
    const prev = state.prev ?? undefined;
    let d = cgDirection(variant, g, prev).d;
    let slope = dotNum(g, d);
    if (!(slope < 0)) {
      d = g.neg();
      slope = dotNum(g, d);
    }
    if (!(slope < 0)) return [freeze(fl.unravel(np.zerosLike(x)), true) as unknown as U, state];
    const alpha0 = cgInitialStep(prev, g, slope);
    const r = searchAlong(ev, x, value, d, slope, { ...ls, alpha0 });
    if (!r.ok) return [freeze(fl.unravel(np.zerosLike(x)), true) as unknown as U, freeze({ count: state.count + 1, prev: null }, true)];
    const nextPrev = { g, d, gg: dotNum(g, g), alpha: r.alpha, slope };
    return [freeze(fl.unravel(r.x.sub(x)), true) as unknown as U, freeze({ count: state.count + 1, prev: nextPrev }, true)];
  };
  return Object.freeze({ init, update });
}

function cgInitialStep(prev: { alpha?: number; slope?: number } | undefined, g: Array, slope: number): number {
  if (prev === undefined || prev.alpha === undefined || prev.slope === undefined) return Math.min(1, 1 / infNorm(g));
  const a = (prev.alpha * prev.slope) / slope;
  return Number.isFinite(a) && a > 0 ? Math.min(a, 1e10) : 1;
}

// ----------------------------------------------------------------------------------------------
// minimize

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

interface Common {
  maxIter: number;
  tol: number;
  ftol: number;
  useJit: boolean;
  callback: ((info: IterationInfo) => boolean | void) | undefined;
}

function commonOptions(op: string, opts: MinimizeOptions | LevenbergMarquardtOptions, dtype: FloatDType): Common {
  const maxIter = checkInt(op, "maxIter", opts.maxIter ?? 500, 0);
  const tol = checkNonNeg(op, "tol", opts.tol ?? (dtype === "float64" ? 1e-9 : 1e-5));
  const ftol = checkNonNeg(op, "ftol", opts.ftol ?? (dtype === "float64" ? 1e-15 : 1e-8));
  if (opts.callback !== undefined) checkFn(op, "callback", opts.callback);
  return { maxIter, tol, ftol, useJit: opts.jit ?? true, callback: opts.callback };
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
    if (opts.damping !== undefined && opts.lambda0 !== undefined && opts.damping !== opts.lambda0) rangeError(op, "give the LM damping as either damping or lambda0, not both");
    return levenbergMarquardt(f as (x: T) => Array, x0, { ...opts, lambda0: opts.lambda0 ?? opts.damping });
  }
  if (!["lbfgs", "cg-fr", "cg-pr", "newton"].includes(method)) rangeError(op, `method must be "lbfgs", "cg-fr", "cg-pr", "newton" or "lm", got ${String(method)}`);
  const fl = flattener(op, x0);
  const { maxIter, tol, ftol, useJit, callback } = commonOptions(op, opts, fl.dtype);
  const m = checkInt(op, "memorySize", opts.memorySize ?? 10, 1);
  const minDamping = checkNonNeg(op, "damping", opts.damping ?? 0);
  const isCg = method === "cg-fr" || method === "cg-pr";
  const ls = wolfeOptions(op, opts.lineSearch, isCg ? 0.1 : 0.9);

  const ev = evaluatorFor(op, f, fl, useJit);
  const obj = flatObjective(op, f, fl);
  const hess = method === "newton" ? (useJit ? jit((v: Array) => hessian(obj)(v) as Array) : (v: Array) => hessian(obj)(v) as Array) : undefined;
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
    const info: IterationInfo = { iteration: iter, value, gradNorm: gn, stepSize: step.alpha, evaluations: ev.evaluations, wolfe: step.wolfe };
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
  return freeze({ x: fl.unravel(x), value, gradNorm: gn, iterations: iter, evaluations: ev.evaluations, converged, message, history }, true) as MinimizeResult<T>;
}

/**
 * The modified Newton direction −(H + τI)⁻¹ g with τ ≥ minDamping raised (×10 from
 * max(minDamping, 1e-3·max|H_ii|)) until the Cholesky factorization succeeds (N&W Algorithm 3.3).
 */
function newtonSolver(useJit: boolean): (H: Array, g: Array, minDamping: number) => { d: Array; shift: number } {
  const attemptRaw = (H: Array, g: Array, tau: Array): [Array, Array] => {
    const n = g.shape[0]!;
    const L = cholesky(H.add(np.eye(n, n, { dtype: H.dtype }).mul(tau)));
    return [choleskySolve(L, g).neg(), np.all(np.isfinite(L))];
  };
  const attempt = useJit ? jit(attemptRaw) : attemptRaw;
  return (H, g, minDamping) => {
    const n = g.shape[0]!;
    const diag = H.mul(np.eye(n, n, { dtype: H.dtype })).sum(1);
    const minDiag = num(np.min(diag));
    const beta = 1e-3 * Math.max(1, num(np.max(np.abs(diag))));
    let tau = minDiag > 0 ? minDamping : Math.max(minDamping, -minDiag + beta);
    for (let k = 0; k < 60; k++) {
      const [d, ok] = attempt(H, g, np.array(tau, { dtype: H.dtype }));
      if (Boolean(ok.item()) && Number.isFinite(infNorm(d))) return { d, shift: tau };
      tau = Math.max(10 * tau, beta);
    }
    return { d: g.neg(), shift: Infinity };
  };
}

// ----------------------------------------------------------------------------------------------
// Levenberg–Marquardt

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
export function levenbergMarquardt<T>(residuals: (x: T) => Array, x0: T, opts: LevenbergMarquardtOptions = {}): MinimizeResult<T> {
  const op = "levenbergMarquardt";
  checkFn(op, "residuals", residuals);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  const fl = flattener(op, x0);
  const { maxIter, tol, ftol, useJit, callback } = commonOptions(op, opts, fl.dtype);
  let lambda = checkNonNeg(op, "lambda0", opts.lambda0 ?? 1e-3);
  const xtol = checkNonNeg(op, "xtol", opts.xtol ?? (fl.dtype === "float64" ? 1e-15 : 1e-7));
  const scaling = opts.scaling ?? "identity";
  if (scaling !== "identity" && scaling !== "marquardt") rangeError(op, `scaling must be "identity" or "marquardt", got ${String(scaling)}`);

  const rFlat = (v: Array): Array => {
    const out = residuals(fl.unravel(v));
    if (!(out instanceof Array)) throw new TypeError(`${op}: the residual function must return an Array, got ${out === null ? "null" : typeof out}`);
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
  const history: IterationInfo[] = [{ iteration: 0, value: cost, gradNorm: gn, stepSize: 0, evaluations, damping: lambda }];
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
        const info: IterationInfo = { iteration: iter, value: cost, gradNorm: gn, stepSize: stepNorm, evaluations, damping: lambda };
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
  return freeze({ x: fl.unravel(x), value: cost, gradNorm: gn, iterations: iter, evaluations, converged, message, history }, true) as MinimizeResult<T>;
}
