// `chain`: applies gradient transformations one after the other.
import { freezeState, OptimStructureError } from "./base.js";
import type { GradientTransformation, OptState } from "./types.js";

/**
 * Applies transformations one after the other: the updates of each are the input of the next.
 * The state is the list of the inner states.
 * @example
 * const opt = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 */
export function chain(...transforms: GradientTransformation[]): GradientTransformation<readonly OptState[]> {
  transforms.forEach((t, i) => {
    if (t === null || typeof t !== "object" || typeof t.init !== "function" || typeof t.update !== "function")
      throw new TypeError(`chain: argument ${i} is not a gradient transformation (an object with init and update)`);
  });
  return {
    init: (params) => freezeState(transforms.map((t) => t.init(params))),
    update: (updates, state, params, extra) => {
      if (!globalThis.Array.isArray(state) || state.length !== transforms.length)
        throw new OptimStructureError(
          `chain: the state must be a list of ${transforms.length} inner states (from this chain's init), got ${
            globalThis.Array.isArray(state) ? `a list of ${state.length}` : typeof state
          }`,
        );
      let u = updates;
      const next: OptState[] = [];
      transforms.forEach((t, i) => {
        const [nu, ns] = t.update(u, state[i], params, extra);
        u = nu;
        next.push(ns);
      });
      // The links froze their own outputs; the updates may be the caller's (identity), left as they are.
      return [u, freezeState(next)];
    },
  };
}
