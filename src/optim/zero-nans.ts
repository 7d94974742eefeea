// Replaces NaN updates by zeros and records, per leaf, whether it held one (Optax's `zero_nans`).
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { checkState, freezeState, mapTreesN } from "./base.js";
import type { GradientTransformation, Updates } from "./types.js";
import { tree } from "../tree/index.js";

/** The state of `zeroNans`: one bool scalar per leaf, true when the last updates of that leaf held a NaN. */
export interface ZeroNansState {
  readonly foundNan: Updates;
}

/**
 * Replaces every NaN in the updates by 0 (±Inf passes through), and records in the state which
 * leaves held a NaN: `u = where(isnan(g), 0, g)`; `foundNan = any(isnan(g))` per leaf.
 * @example
 * const opt = chain(zeroNans(), sgd(0.1)); // a NaN gradient entry leaves its parameter unchanged
 */
export function zeroNans(): GradientTransformation<ZeroNansState> {
  const op = "zeroNans";
  return {
    init: (params) => freezeState({ foundNan: tree.map(() => np.array(false), params) }),
    update: (updates, state) => {
      checkState(op, state, ["foundNan"]);
      const [u, found] = mapTreesN(
        op,
        2,
        (g: Array) => {
          const nan = np.isnan(g);
          return [np.where(nan, np.zerosLike(g), g), np.any(nan)];
        },
        updates,
      );
      return [freezeState(u), freezeState({ foundNan: found })];
    },
  };
}
