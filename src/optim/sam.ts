// Sharpness-aware minimization (Foret et al. 2021; Optax's contrib `sam`, transparent mode) and its gradient normalization.
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import {
  castLike,
  checkState,
  freezeState,
  globalNorm,
  mapTrees,
  selectTree,
  zeroCount,
  type EmptyState,
} from "./base.js";
import { checkHyperparam } from "./hyperparam-checks.js";
import type { GradientTransformation, OptState, Params } from "./types.js";
import { checkOptions } from "../core/options.js";

/**
 * Divides the updates by their global L2 norm: `u = g/‖g‖` (Optax's contrib `normalize`, SAM's
 * adversarial direction).
 * @example
 * const adv = chain(normalize(), sgd(0.05)); // SAM's ascent step of radius 0.05
 */
export function normalize(): GradientTransformation<EmptyState> {
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("normalize", state, []);
      const norm = globalNorm(updates);
      return [freezeState(mapTrees("normalize", (g) => castLike(g.div(castLike(norm, g)), g), updates)), state];
    },
  };
}

/** The state of `sam`: steps since the outer step, both optimizers' states, and the outer params. */
export interface SamState<S = OptState, A = OptState> {
  readonly stepsSinceSync: Array;
  readonly optState: S;
  readonly advState: A;
  /** The params of the last outer step, where the adversarial steps started. */
  readonly cache: Params;
}

const OP = "sam";

/**
 * SAM (Foret et al. 2021, "Sharpness-aware minimization for efficiently improving
 * generalization"), Optax's transparent mode: of every `syncPeriod` calls, the first
 * `syncPeriod − 1` take adversarial (ascent) steps with `advOptimizer` (its updates are negated),
 * and the last returns to the cached outer params and takes `optimizer`'s step there, with the
 * gradient at the adversarial point:
 *
 *     adversarial call:  w ← w − u_adv(g)                     (w + ρ·g/‖g‖ for chain(normalize(), sgd(ρ)))
 *     outer call:        w ← w_cache + u_opt(g);  w_cache ← w
 *
 * `resetState` (default true) re-initialises the adversarial optimizer's state after each outer
 * step. Pass the gradient at the current params to every call.
 * @example
 * const opt = sam(sgd(0.1), chain(normalize(), sgd(0.05)), { syncPeriod: 2 });
 */
export function sam<S, A>(
  optimizer: GradientTransformation<S>,
  advOptimizer: GradientTransformation<A>,
  opts: { syncPeriod?: number; resetState?: boolean } = {},
): GradientTransformation<SamState<S, A>> {
  for (const [what, t] of [
    ["optimizer", optimizer],
    ["advOptimizer", advOptimizer],
  ] as const)
    if (t === null || typeof t !== "object" || typeof t.init !== "function" || typeof t.update !== "function")
      throw new TypeError(`${OP}: ${what} must be a gradient transformation (an object with init and update)`);
  checkOptions(OP, opts, ["syncPeriod", "resetState"]);
  checkHyperparam(OP, "syncPeriod", opts.syncPeriod, { min: 1, integer: true, optional: true });
  const { syncPeriod = 2, resetState = true } = opts;
  return {
    init: (params) =>
      freezeState({
        stepsSinceSync: zeroCount(),
        optState: optimizer.init(params),
        advState: advOptimizer.init(params),
        cache: params,
      }),
    update: (updates, state, params) => {
      checkState(OP, state, ["stepsSinceSync", "optState", "advState", "cache"], ["stepsSinceSync"]);
      if (params === undefined || params === null)
        throw new TypeError(`${OP}: update needs the current params: call update(grads, state, params)`);
      const first = state.stepsSinceSync.equal(0);
      const last = state.stepsSinceSync.equal(syncPeriod - 1);
      const [advU, advS] = advOptimizer.update(updates, state.advState, params);
      const [optU, optS] = optimizer.update(updates, state.optState, state.cache);
      const ascend = mapTrees(OP, (u) => u.neg(), advU);
      const outer = mapTrees(OP, (c, p, u) => castLike(c.sub(p).add(u), u), state.cache, params, optU);
      const out = selectTree(OP, last, outer, ascend) as typeof updates;
      const cache = selectTree(OP, first, params, state.cache);
      const advState = selectTree(OP, last, resetState ? advOptimizer.init(params) : state.advState, advS) as A;
      const optState = selectTree(OP, last, optS, state.optState) as S;
      const stepsSinceSync = np.mod(state.stepsSinceSync.add(1), syncPeriod).astype("int32");
      return [freezeState(out), freezeState({ stepsSinceSync, optState, advState, cache })];
    },
  };
}
