// Damped Newton's method: the traceable `newton` transformation, `newtonStep`, and the modified-Newton solver used by `minimize`.
import { freeze } from "immer";
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import { valueAndGrad } from "../../transforms/grad.js";
import { hessian } from "../../transforms/jacobian.js";
import { jit } from "../../transforms/jit.js";
import { cholesky, choleskySolve, solve } from "./linear-solve.js";
import type { Reads } from "./drive.js";
import type { AsyncUpdate } from "./line-search-step.js";
import {
  checkFn,
  checkNonNeg,
  checkPos,
  flatObjective,
  flattener,
  maxAbs,
  rangeError,
  readAll,
  type Flattener,
  type Objective,
} from "./objective.js";
import type { GradientTransformation, Params, ScalarOrSchedule, UpdateExtra, Updates } from "./types.js";
import { checkOptions } from "../core/options.js";

/** The dense n×n matrix of a Hessian given as a matrix or as graft's nested params-of-params tree. */
function denseHessian<T>(op: string, H: unknown, fl: Flattener<T>, paramLeaves: readonly Array[]): Array {
  const n = fl.n;
  if (H instanceof Array) {
    if (H.size !== n * n)
      throw new TypeError(
        `${op}: the Hessian must have ${n}×${n} entries for ${n} parameters, got shape [${H.shape.join(", ")}]`,
      );
    return H.reshape([n, n]).astype(fl.dtype);
  }
  const blocks = tree.leaves(H);
  const k = paramLeaves.length;
  if (blocks.length !== k * k || !blocks.every((b) => b instanceof Array))
    throw new TypeError(
      `${op}: the Hessian must be an [n, n] Array or the output of hessian(f)(params) (a tree of ${k}×${k} blocks)`,
    );
  // Block (i, j) is ∂²f/∂leafᵢ∂leafⱼ, flattened to [size_i, size_j].
  const rows = paramLeaves.map((li, i) =>
    np.concatenate(
      paramLeaves.map((lj, j) => {
        const b = blocks[i * k + j] as Array;
        const [ni, nj] = [li.size, lj.size];
        if (b.size !== ni * nj)
          throw new TypeError(
            `${op}: Hessian block (${i}, ${j}) has shape [${b.shape.join(", ")}], expected ${ni}×${nj} entries`,
          );
        return b.reshape([ni, nj]).astype(fl.dtype);
      }),
      1,
    ),
  );
  return np.concatenate(rows, 0);
}

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

/**
 * {@link newton} bound to an objective. `update` is traceable and reads nothing on the host, so it
 * runs on every backend (WebGPU included); `updateAsync` is the same step behind a promise, for code
 * written against the line-search transformations' {@link AsyncUpdate} (`lbfgs(f)`, `nonlinearCG(f)`).
 */
export interface NewtonObjectiveTransformation extends GradientTransformation<NewtonState>, AsyncUpdate<NewtonState> {}

/** {@link newton} without a bound objective: `update` takes the Hessian as a fourth argument. */
export interface NewtonTransformation extends GradientTransformation<NewtonState> {
  update<U extends Updates = Updates>(
    updates: U,
    state: NewtonState,
    params?: Params | null,
    extra?: UpdateExtra,
  ): [U, NewtonState];
}

function newtonOptions(
  op: string,
  opts: NewtonOptions | undefined,
): Required<Omit<NewtonOptions, "lr">> & { lr: ScalarOrSchedule } {
  if (opts !== undefined && (opts === null || typeof opts !== "object"))
    throw new TypeError(`${op}: options must be an object`);
  checkOptions(op, opts, op === "newtonStep" ? ["damping", "solver"] : ["damping", "lr", "solver"]);
  const o = opts ?? {};
  const damping = checkNonNeg(op, "damping", o.damping ?? 1e-3);
  const lr = o.lr ?? 1;
  if (typeof lr === "number") checkPos(op, "lr", lr);
  else checkFn(op, "lr", lr);
  const solver = o.solver ?? "auto";
  if (solver !== "auto" && solver !== "spd" && solver !== "general")
    rangeError(op, `solver must be "auto", "spd" or "general", got ${String(solver)}`);
  return { damping, lr, solver };
}

/** −(H + αI)⁻¹ g, as a flat vector. */
function dampedNewtonDirection(H: Array, g: Array, damping: number, solver: "auto" | "spd" | "general"): Array {
  const n = g.size; // g is the flat gradient
  const A = damping === 0 ? H : H.add(np.eye(n, n, { dtype: H.dtype }).mul(damping));
  return solve(A, g, { assume: solver }).neg();
}

/**
 * Damped Newton's method as a gradient transformation (Newton with a Hessian modification, Nocedal &
 * Wright, Numerical Optimization, §3.4):
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
 * import { np, grad, jit, tree } from "graft-ad";
 * import * as optim from "graft-ad/optim";
 * const f = (p: { w: np.Array }) => p.w.sub(np.array([1, 2])).square().sum();
 * const opt = optim.newton(f, { damping: 0 });
 * let params = { w: np.zeros([2]) };
 * let state = opt.init(params);
 * const [updates] = jit(opt.update)(grad(f)(params), state, params);
 * params = tree.map((p: np.Array, u: np.Array) => p.add(u), params, updates); // { w: [1, 2] }
 */
export function newton<T = Params>(f: Objective<T>, opts?: NewtonOptions): NewtonObjectiveTransformation;
export function newton(opts?: NewtonOptions): NewtonTransformation;
export function newton<T>(
  a?: Objective<T> | NewtonOptions,
  b?: NewtonOptions,
): NewtonObjectiveTransformation | NewtonTransformation {
  const op = "newton";
  const f = typeof a === "function" ? a : undefined;
  const { damping, lr, solver } = newtonOptions(op, typeof a === "function" ? b : a);

  const init = (_params: Params): NewtonState => freeze({ count: np.array(0, { dtype: "int32" }) }, true);

  const update = <U extends Updates = Updates>(
    grads: U,
    state: NewtonState,
    params?: Params | null,
    extra?: UpdateExtra,
  ): [U, NewtonState] => {
    if (state === null || typeof state !== "object" || !(state.count instanceof Array))
      throw new TypeError(`${op}: state must come from newton(...).init`);
    let fl: Flattener<unknown>;
    let H: Array;
    if (f !== undefined) {
      if (params === undefined || params === null)
        throw new TypeError(
          `${op}: update needs params (the point where the Hessian is taken): update(grads, state, params)`,
        );
      fl = flattener(op, params);
      const x = fl.ravel(params, "params");
      H = hessian(flatObjective(op, f as Objective<unknown>, fl))(x) as Array;
    } else {
      if (extra === undefined || extra === null || typeof extra !== "object" || !("hessian" in extra))
        throw new TypeError(
          `${op}: without an objective, update needs the Hessian: update(grads, state, params, { hessian })`,
        );
      fl = flattener(op, grads);
      H = denseHessian(op, extra.hessian, fl, tree.leaves(grads) as Array[]);
    }
    const g = fl.ravel(grads);
    const d = dampedNewtonDirection(H, g, damping, solver);
    const eta = typeof lr === "number" ? lr : lr(state.count);
    const step = typeof eta === "number" && eta === 1 ? d : d.mul(eta);
    return [freeze(fl.unravel(step), true) as U, freeze({ count: state.count.add(1) }, true)];
  };

  if (f === undefined) return Object.freeze({ init, update });
  // update reads nothing on the host, so its asynchronous form only defers it (a throw becomes a rejection).
  const updateAsync = async <U extends Updates = Updates>(
    grads: U,
    state: NewtonState,
    params?: Params,
  ): Promise<[U, NewtonState]> => update(grads, state, params);
  return Object.freeze({ init, update, updateAsync });
}

/**
 * One damped Newton update at `params`: −(H + αI)⁻¹ ∇f, in the structure of `params` (add it to
 * the parameters). Traceable.
 *
 * @example
 * const u = optim.newtonStep((x: np.Array) => x.sub(3).square().sum(), np.zeros([2]), { damping: 0 }); // [3, 3]
 */
export function newtonStep<T>(
  f: Objective<T>,
  params: T,
  opts: { damping?: number; solver?: "auto" | "spd" | "general" } = {},
): T {
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

/**
 * The modified Newton direction −(H + τI)⁻¹ g with τ ≥ minDamping raised (×10 from
 * max(minDamping, 1e-3·max|H_ii|)) until the Cholesky factorization succeeds (N&W Algorithm 3.3).
 */
export function newtonSolver(
  useJit: boolean,
): (H: Array, g: Array, minDamping: number) => Reads<{ d: Array; shift: number }> {
  const attemptRaw = (H: Array, g: Array, tau: Array): [Array, Array] => {
    const n = g.size; // g is the flat gradient
    const L = cholesky(H.add(np.eye(n, n, { dtype: H.dtype }).mul(tau)));
    return [choleskySolve(L, g).neg(), np.all(np.isfinite(L))];
  };
  const attempt = useJit ? jit(attemptRaw) : attemptRaw;
  return function* (H, g, minDamping) {
    const n = g.size;
    const diag = H.mul(np.eye(n, n, { dtype: H.dtype })).sum(1);
    const [minDiag, maxAbsDiag] = (yield* readAll(np.min(diag), maxAbs(diag))) as [number, number];
    const beta = 1e-3 * Math.max(1, maxAbsDiag);
    let tau = minDiag > 0 ? minDamping : Math.max(minDamping, -minDiag + beta);
    for (let k = 0; k < 60; k++) {
      const [d, ok] = attempt(H, g, np.array(tau, { dtype: H.dtype }));
      // ‖d‖∞ is read with the factorization's flag (one round trip), though only needed when it succeeded.
      const [factored, norm] = (yield* readAll(ok, maxAbs(d))) as [number, number];
      if (factored && Number.isFinite(norm)) return { d, shift: tau };
      tau = Math.max(10 * tau, beta);
    }
    return { d: g.neg(), shift: Infinity };
  };
}
