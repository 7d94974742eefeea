// Decoupled weight decay, optionally masked (addDecayedWeights).
import { castLike, checkState, freezeState, mapTrees, requireParams, type Hyperparam } from "./base.js";
import { checkHyperparam } from "./hyperparam-checks.js";
import { masked, type MaskSpec } from "./masked.js";
import type { GradientTransformation } from "./types.js";

/**
 * Adds decoupled weight decay to the updates: `u = g + λ·w` (needs `params` in `update`).
 * Chained *before* `scaleByLearningRate(α)` it becomes `w ← w − α(g + λw)`: AdamW's decay.
 * `mask` (a pytree of booleans shaped like the params, a prefix of it, or a function of the
 * params) limits the decay to some leaves, e.g. weights but not biases.
 * @example
 * addDecayedWeights(1e-4, (p) => tree.map((x: np.Array) => x.ndim > 1, p)); // decay matrices only
 */
export function addDecayedWeights(weightDecay: Hyperparam = 0, mask?: MaskSpec): GradientTransformation {
  checkHyperparam("addDecayedWeights", "weightDecay", weightDecay, { min: 0 });
  const inner: GradientTransformation = {
    init: () => freezeState({}),
    update: (updates, state, params) => {
      checkState("addDecayedWeights", state, []);
      const p = requireParams("addDecayedWeights", params);
      return [
        freezeState(mapTrees("addDecayedWeights", (g, w) => castLike(g.add(w.mul(weightDecay)), g), updates, p)),
        state,
      ];
    },
  };
  return mask === undefined ? inner : masked(inner, mask);
}
