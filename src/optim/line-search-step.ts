// The strong-Wolfe line-search step shared by minimize, lbfgs(f) and nonlinearCG(f), and the objective evaluators it runs on.
import { Array } from "../core/array.js";
import { tree } from "../tree/index.js";
import { valueAndGrad } from "../../transforms/grad.js";
import { jit } from "../../transforms/jit.js";
import * as np from "../numpy/index.js";
import { runAsync, runSync, type Reads } from "./drive.js";
import { WOLFE_OPTIONS, type WolfeOptions, wolfeSearch } from "./linesearch.js";
import { checkOptions } from "../core/options.js";
import { flatObjective, flattener, rangeError, readAll, type Flattener, type Objective } from "./objective.js";
import type { GradientTransformation, Params, Updates } from "./types.js";

export interface Evaluator {
  vg: (x: Array) => [Array, Array];
  evaluations: number;
}

export interface StepResult {
  ok: boolean;
  alpha: number;
  x: Array;
  value: number;
  g: Array;
  wolfe: boolean;
}

/**
 * A strong-Wolfe line search from x along d (slope = gᵀd < 0); returns the new point and gradient.
 * Each trial reads φ(α) and φ'(α) together.
 */
export function* searchAlong(
  ev: Evaluator,
  x: Array,
  value: number,
  d: Array,
  slope: number,
  ls: WolfeOptions,
): Reads<StepResult> {
  const search = wolfeSearch<[Array, Array]>({ value, slope }, ls);
  for (let a = search.trial(); a !== undefined; a = search.trial()) {
    ev.evaluations++;
    const xa = x.add(d.mul(a));
    const [fa, ga] = ev.vg(xa);
    const [va, sa] = yield* readAll(fa, np.vdot(ga, d));
    search.tell({ value: va as number, slope: sa as number, aux: [xa, ga] });
  }
  const r = search.result();
  if (r.alpha === 0 || r.aux === undefined) return { ok: false, alpha: 0, x, value, g: d, wolfe: false };
  return { ok: true, alpha: r.alpha, x: r.aux[0], value: r.value, g: r.aux[1], wolfe: r.success };
}

export function wolfeOptions(op: string, ls: "wolfe" | WolfeOptions | undefined, c2Default: number): WolfeOptions {
  if (ls === undefined || ls === "wolfe") return { c2: c2Default };
  if (ls === null || typeof ls !== "object")
    rangeError(op, `lineSearch must be "wolfe" or Wolfe options { c1, c2, maxIter }, got ${String(ls)}`);
  checkOptions(`${op} (lineSearch)`, ls, WOLFE_OPTIONS);
  return { c2: c2Default, ...ls };
}

/**
 * The asynchronous form of a transformation's `update`: the same step, with the values it reads
 * on the host awaited (`x.data()`), so it runs on backends that read only asynchronously (WebGPU).
 * It returns the same updates and state as `update` would. Run it with the parameters' backend as
 * the default (e.g. inside `withBackend("webgpu", …)`), as `update`.
 */
export interface AsyncUpdate<S> {
  updateAsync<U extends Updates = Updates>(grads: U, state: S, params?: Params): Promise<[U, S]>;
}

/**
 * A line-search method bound to its objective. `update(grads, state, params)` evaluates f at
 * `params` (once) and along the search direction, reading values back on the host, so it is eager
 * only (not inside `jit`). `grads` must be ∇f at `params`; the returned updates are added to the
 * parameters. A step whose line search finds no decrease returns zero updates and clears the
 * method's memory. `update` reads synchronously (CPU, wasm); on WebGPU use `updateAsync`, which
 * awaits the reads and gives the same result.
 */
export interface LineSearchTransformation<S> extends GradientTransformation<S>, AsyncUpdate<S> {
  init(params: Params): S;
  update<U extends Updates = Updates>(grads: U, state: S, params?: Params): [U, S];
}

/**
 * `update` and `updateAsync` of a transformation whose step is the generator core `step`: the
 * first reads synchronously (naming `updateAsync` where the backend cannot), the second awaits.
 */
export function updatePair<S>(
  op: string,
  step: (grads: unknown, state: S, params?: Params) => Reads<[unknown, S]>,
): Pick<LineSearchTransformation<S>, "update" | "updateAsync"> {
  const caller = { op: `${op}(f).update`, asyncForm: `${op}(f).updateAsync` };
  return {
    update: <U extends Updates = Updates>(grads: U, state: S, params?: Params): [U, S] =>
      runSync(step(grads, state, params), caller) as [U, S],
    updateAsync: <U extends Updates = Updates>(grads: U, state: S, params?: Params): Promise<[U, S]> =>
      runAsync(() => step(grads, state, params)) as Promise<[U, S]>,
  };
}

export function evaluatorFor<T>(op: string, f: Objective<T>, fl: Flattener<T>, useJit: boolean): Evaluator {
  const vgRaw = valueAndGrad(flatObjective(op, f, fl)) as (x: Array) => [Array, Array];
  return { vg: useJit ? jit(vgRaw) : vgRaw, evaluations: 0 };
}

/** Caches the flattener and jitted evaluator per parameter structure. */
export function boundObjective<T>(
  op: string,
  f: Objective<T>,
  useJit: boolean,
): (params: unknown) => { fl: Flattener<T>; ev: Evaluator } {
  let cache: { key: string; fl: Flattener<T>; ev: Evaluator } | undefined;
  return (params: unknown) => {
    if (params === undefined || params === null)
      throw new TypeError(`${op}: update needs params (the current point): update(grads, state, params)`);
    const [leaves, def] = tree.flatten(params);
    const key =
      def.key + leaves.map((l) => (l instanceof Array ? `${l.dtype}[${l.shape.join(",")}]` : typeof l)).join(";");
    if (cache === undefined || cache.key !== key) {
      const fl = flattener(op, params as T);
      cache = { key, fl, ev: evaluatorFor(op, f, fl, useJit) };
    }
    return cache;
  };
}
