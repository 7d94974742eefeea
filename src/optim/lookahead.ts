// Lookahead (Zhang et al. 2019; Optax's `lookahead`): a fast optimizer whose weights are pulled towards slow weights every k steps.
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import {
  castLike,
  checkSameStructure,
  checkState,
  freezeState,
  mapTrees,
  oneMinus,
  selectTree,
  zeroCount,
  type Hyperparam,
} from "./base.js";
import { checkHyperparam } from "./hyperparam-checks.js";
import type { GradientTransformation, OptState, Params } from "./types.js";
import { checkOptions } from "../core/options.js";

/** Lookahead's parameters: the fast weights (trained by the inner optimizer) and the slow ones. */
export interface LookaheadParams<P = Params> {
  readonly fast: P;
  readonly slow: P;
}

/** The state of `lookahead`: the fast optimizer's state and the int32 steps since the last sync. */
export interface LookaheadState<S = OptState> {
  readonly fastState: S;
  readonly stepsSinceSync: Array;
}

const OP = "lookahead";

function checkLookaheadParams(params: unknown): LookaheadParams {
  if (params === null || typeof params !== "object" || !("fast" in params) || !("slow" in params))
    throw new TypeError(
      `${OP}: update needs the params as { fast, slow } (start with { fast: p, slow: p }), got ${
        params === undefined ? "none" : "an object without fast and slow"
      }`,
    );
  return params as LookaheadParams;
}

/**
 * Lookahead (Zhang et al. 2019, "Lookahead optimizer: k steps forward, 1 step back"): the inner
 * optimizer trains the fast weights φ; every `syncPeriod` steps the slow weights θ move towards
 * them and the fast weights restart from there:
 *
 *     φ ← φ + u (every step, u from the fast optimizer)
 *     every k-th step: θ ← θ + α·(φ − θ);   φ ← θ
 *
 * The params are `{ fast, slow }` (start with `{ fast: p, slow: p }`), the gradients those of the
 * fast weights, and the updates `{ fast, slow }`, applied with `applyUpdates`. Evaluate the model
 * at `slow`. `resetState: true` re-initialises the fast optimizer's state at every sync.
 * @example
 * const opt = lookahead(adam(1e-3), { syncPeriod: 5, slowStepSize: 0.5 });
 * let params = { fast: w, slow: w };
 * let state = opt.init(params);
 * const [u, next] = opt.update(grad(loss)(params.fast), state, params);
 * params = applyUpdates(params, u);
 */
export function lookahead<S>(
  fastOptimizer: GradientTransformation<S>,
  opts: { syncPeriod: number; slowStepSize: Hyperparam; resetState?: boolean },
): GradientTransformation<LookaheadState<S>> {
  if (fastOptimizer === null || typeof fastOptimizer !== "object" || typeof fastOptimizer.update !== "function")
    throw new TypeError(`${OP}: fastOptimizer must be a gradient transformation (an object with init and update)`);
  if (opts === null || typeof opts !== "object")
    throw new TypeError(`${OP}: options { syncPeriod, slowStepSize } are required`);
  checkOptions(OP, opts, ["syncPeriod", "slowStepSize", "resetState"]);
  checkHyperparam(OP, "syncPeriod", opts.syncPeriod, { min: 1, integer: true });
  checkHyperparam(OP, "slowStepSize", opts.slowStepSize, { min: 0, max: 1 });
  const { syncPeriod, slowStepSize, resetState = false } = opts;
  return {
    init: (params) => {
      const fast = params !== null && typeof params === "object" && "fast" in params ? params.fast : params;
      return freezeState({ fastState: fastOptimizer.init(fast), stepsSinceSync: zeroCount() });
    },
    update: (updates, state, params) => {
      checkState(OP, state, ["fastState", "stepsSinceSync"], ["stepsSinceSync"]);
      const p = checkLookaheadParams(params);
      checkSameStructure(OP, "the fast params", p.fast, "the slow params", p.slow);
      const [u, nextFast] = fastOptimizer.update(updates, state.fastState, p.fast);
      const sync = state.stepsSinceSync.equal(syncPeriod - 1);
      // φ + u − θ: how far the fast weights would be from the slow ones after this step.
      const diff = mapTrees(OP, (f, du, s) => castLike(f.add(du).sub(s), du), p.fast, u, p.slow);
      const slow = mapTrees(OP, (d) => castLike(np.where(sync, d.mul(slowStepSize), np.zerosLike(d)), d), diff);
      const fast = mapTrees(
        OP,
        (du, d) => castLike(np.where(sync, du.sub(d.mul(oneMinus(slowStepSize))), du), du),
        u,
        diff,
      );
      const fastState = resetState ? (selectTree(OP, sync, fastOptimizer.init(p.fast), nextFast) as S) : nextFast;
      const stepsSinceSync = np.mod(state.stepsSinceSync.add(1), syncPeriod).astype("int32");
      return [freezeState({ fast, slow } as typeof updates), freezeState({ fastState, stepsSinceSync })];
    },
  };
}
