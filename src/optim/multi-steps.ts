// `multiSteps`: gradient accumulation over k micro-batches (traceable, via `np.where`).
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import {
  castLike,
  checkSameStructure,
  checkState,
  freezeState,
  frozenPair,
  safeIncrement,
  selectTree,
  zeroCount,
  zerosLikeTree,
} from "./base.js";
import { checkHyperparam } from "./hyperparam-checks.js";
import type { GradientTransformation, OptState, Updates } from "./types.js";

/** The state of `multiSteps`. */
export interface MultiStepsState<S = OptState> {
  /** Micro-batches accumulated since the last emitted update, 0..k-1 (int32). */
  readonly miniStep: Array;
  /** Updates emitted so far (int32). */
  readonly gradientStep: Array;
  readonly innerState: S;
  /** The running mean of the gradients of the current group of micro-batches. */
  readonly accGrads: Updates;
}

/**
 * Gradient accumulation: feed the gradients of `everyK` micro-batches one at a time; the first
 * k−1 calls return zero updates (and keep `inner`'s state), the k-th applies `inner` to the mean
 * of the k gradients. Traceable: the choice is an `np.where` on the int32 micro-step.
 * @example
 * const opt = multiSteps(adam(1e-3), 4); // an Adam step every 4 micro-batches
 */
export function multiSteps<S>(
  inner: GradientTransformation<S>,
  everyK: number,
): GradientTransformation<MultiStepsState<S>> {
  checkHyperparam("multiSteps", "everyK", everyK, { min: 1, integer: true });
  return {
    init: (params) =>
      freezeState({
        miniStep: zeroCount(),
        gradientStep: zeroCount(),
        innerState: inner.init(params),
        accGrads: zerosLikeTree(params, "multiSteps"),
      }),
    update: (updates, state, params, extra) => {
      checkState(
        "multiSteps",
        state,
        ["miniStep", "gradientStep", "innerState", "accGrads"],
        ["miniStep", "gradientStep"],
      );
      checkSameStructure(
        "multiSteps",
        "the updates",
        updates,
        "the accumulated gradients (from init's params)",
        state.accGrads,
      );
      const emit = state.miniStep.equal(everyK - 1);
      // Running mean: acc ← acc + (g − acc)/(n + 1).
      const n1 = state.miniStep.add(1);
      const acc = tree.map(
        (a: unknown, g: unknown) => {
          const aa = a as Array;
          return castLike(aa.add((g as Array).sub(aa).div(n1.astype(aa.dtype))), aa);
        },
        state.accGrads,
        updates,
      );
      const [innerU, innerS] = inner.update(acc, state.innerState, params, extra);
      // The accumulated gradients (and so the inner updates) have the structure of `updates` (checked above).
      const out = tree.map(
        (u: unknown, g: unknown) => {
          const ua = u as Array;
          return castLike(np.where(emit, ua, np.zerosLike(ua)), g as Array);
        },
        innerU,
        updates,
      ) as typeof updates;
      return frozenPair(out, {
        miniStep: np.where(emit, 0, n1),
        gradientStep: np.where(emit, safeIncrement(state.gradientStep), state.gradientStep),
        innerState: selectTree("multiSteps", emit, innerS, state.innerState) as S,
        accGrads: tree.map((a: unknown) => {
          const aa = a as Array;
          return np.where(emit, np.zerosLike(aa), aa);
        }, acc),
      });
    },
  };
}

/**
 * Whether the last `multiSteps` update emitted a real update (a bool array; traceable).
 * @example
 * const opt = multiSteps(sgd(0.1), 2);
 * let s = opt.init({ w: np.zeros([1]) });
 * [, s] = opt.update({ w: np.ones([1]) }, s);
 * multiStepsHasUpdated(s).tolist(); // false (true after the 2nd micro-batch)
 */
export function multiStepsHasUpdated(state: MultiStepsState): Array {
  return np.logicalAnd(state.miniStep.equal(0), state.gradientStep.greater(0));
}
