// `applyIfFinite`: skips steps whose gradients contain a NaN or ±Inf (traceable, via `np.where`).
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import { checkState, freezeState, frozenPair, safeIncrement, selectTree, zeroCount } from "./base.js";
import { checkHyperparam } from "./hyperparam-checks.js";
import type { GradientTransformation, OptState } from "./types.js";

/** The state of `applyIfFinite`. */
export interface ApplyIfFiniteState<S = OptState> {
  /** Consecutive steps with a non-finite gradient so far (int32). */
  readonly notfiniteCount: Array;
  /** Whether the last gradient was finite (bool). */
  readonly lastFinite: Array;
  /** All steps with a non-finite gradient so far (int32). */
  readonly totalNotfinite: Array;
  readonly innerState: S;
}

/**
 * Skips steps whose gradients contain a NaN or ±Inf: the updates are zero and the inner state is
 * kept. After more than `maxConsecutiveErrors` non-finite steps in a row the update is applied
 * anyway (so a persistent problem shows up instead of silently stalling), as in Optax. The check
 * is `np.all(np.isfinite(g))` over every leaf, selected with `np.where`: no host reads.
 * @example
 * const opt = applyIfFinite(adam(1e-3), 5);
 */
export function applyIfFinite<S>(
  inner: GradientTransformation<S>,
  maxConsecutiveErrors: number,
): GradientTransformation<ApplyIfFiniteState<S>> {
  checkHyperparam("applyIfFinite", "maxConsecutiveErrors", maxConsecutiveErrors, { min: 0, integer: true });
  return {
    init: (params) =>
      freezeState({
        notfiniteCount: zeroCount(),
        lastFinite: np.array(true),
        totalNotfinite: zeroCount(),
        innerState: inner.init(params),
      }),
    update: (updates, state, params, extra) => {
      checkState(
        "applyIfFinite",
        state,
        ["notfiniteCount", "lastFinite", "totalNotfinite", "innerState"],
        ["notfiniteCount", "lastFinite", "totalNotfinite"],
      );
      let finite: Array = np.array(true);
      for (const leaf of tree.leaves(updates)) {
        if (!(leaf instanceof Array))
          throw new TypeError("applyIfFinite: the updates must be a pytree of graft arrays");
        finite = np.logicalAnd(finite, np.all(np.isfinite(leaf)));
      }
      const notfiniteCount = np.where(finite, 0, safeIncrement(state.notfiniteCount));
      const accept = np.logicalOr(finite, notfiniteCount.greater(maxConsecutiveErrors));
      const [innerU, innerS] = inner.update(updates, state.innerState, params, extra);
      const out = tree.map((u: unknown) => {
        const ua = u as Array;
        return np.where(accept, ua, np.zerosLike(ua));
      }, innerU);
      return frozenPair(out, {
        notfiniteCount,
        lastFinite: finite,
        totalNotfinite: np.where(finite, state.totalNotfinite, safeIncrement(state.totalNotfinite)),
        innerState: selectTree("applyIfFinite", accept, innerS, state.innerState) as S,
      });
    },
  };
}
