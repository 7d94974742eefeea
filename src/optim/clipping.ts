// Update clipping: elementwise and by global norm (clip, clipByGlobalNorm).
import * as np from "../numpy/index.js";
import {
  castLike,
  checkState,
  freezeState,
  globalNorm,
  mapTrees,
  neg,
  type EmptyState,
  type Hyperparam,
} from "./base.js";
import { checkHyperparam } from "./hyperparam-checks.js";
import type { GradientTransformation } from "./types.js";

/**
 * Clips every update elementwise to `[-maxDelta, maxDelta]`.
 * @example
 * chain(clip(1), sgd(0.1));
 */
export function clip(maxDelta: Hyperparam): GradientTransformation<EmptyState> {
  checkHyperparam("clip", "maxDelta", maxDelta, { min: 0, infinity: true });
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("clip", state, []);
      return [freezeState(mapTrees("clip", (g) => castLike(np.clip(g, neg(maxDelta), maxDelta), g), updates)), state];
    },
  };
}

/**
 * Rescales all updates together when their global L2 norm exceeds `maxNorm`:
 * `u = g` if ‖g‖ < maxNorm, else `g·maxNorm/‖g‖` (the norm over every leaf).
 * @example
 * chain(clipByGlobalNorm(1), adam(1e-3));
 */
export function clipByGlobalNorm(maxNorm: Hyperparam): GradientTransformation<EmptyState> {
  checkHyperparam("clipByGlobalNorm", "maxNorm", maxNorm, { min: 0, minExclusive: true, infinity: true });
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("clipByGlobalNorm", state, []);
      const norm = globalNorm(updates);
      const keep = norm.less(maxNorm);
      const out = mapTrees(
        "clipByGlobalNorm",
        (g) => castLike(np.where(keep, g, g.div(castLike(norm, g)).mul(maxNorm)), g),
        updates,
      );
      return [freezeState(out), state];
    },
  };
}
