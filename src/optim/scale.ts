// Scaling transformations: fixed factor, learning rate, schedule and sign (scale, scaleByLearningRate, scaleBySchedule, scaleBySign).
import type { Array } from "../core/array.js";
import {
  castLike,
  checkState,
  freezeState,
  mapTrees,
  neg,
  resolveSchedule,
  safeIncrement,
  zeroCount,
  type EmptyState,
  type Hyperparam,
  type LearningRate,
} from "./base.js";
import { checkHyperparam, checkLearningRate } from "./hyperparam-checks.js";
import type { GradientTransformation, Schedule } from "./types.js";
import { checkOptions } from "../core/options.js";

/** The state of a schedule-driven transformation: the int32 step count. */
export interface CountState {
  readonly count: Array;
}

/**
 * Multiplies every update by a fixed factor: `u = f·g`.
 * @example
 * const [u] = scale(0.5).update({ w: np.array([2]) }, scale(0.5).init({ w: np.zeros([1]) })); // { w: [1] }
 */
export function scale(factor: Hyperparam): GradientTransformation<EmptyState> {
  checkHyperparam("scale", "factor", factor);
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("scale", state, []);
      return [freezeState(mapTrees("scale", (g) => castLike(g.mul(factor), g), updates)), state];
    },
  };
}

/**
 * Multiplies the updates by `schedule(t)` where `t` is the int32 step count (0 at the first
 * update), kept in the state: `u = schedule(count)·g`.
 * @example
 * const halving = scaleBySchedule((t) => np.power(0.5, t));
 */
export function scaleBySchedule(schedule: Schedule): GradientTransformation<CountState> {
  if (typeof schedule !== "function")
    throw new TypeError(`scaleBySchedule: schedule must be a function of the step count, got ${typeof schedule}`);
  return {
    init: () => freezeState({ count: zeroCount() }),
    update: (updates, state) => {
      checkState("scaleBySchedule", state, ["count"], ["count"]);
      const s = resolveSchedule(schedule, state.count);
      const out = mapTrees("scaleBySchedule", (g) => castLike(g.mul(s), g), updates);
      return [freezeState(out), freezeState({ count: safeIncrement(state.count) })];
    },
  };
}

/**
 * Scales by the learning rate with the sign flipped (so adding the result descends): `u = -α·g`.
 * A schedule is evaluated at the step count kept in the state; a number or array is used as is.
 * Pass `{ flipSign: false }` to scale by `+α`.
 * @example
 * const gd = scaleByLearningRate(0.1); // plain gradient descent: w ← w - 0.1·∇L
 */
export function scaleByLearningRate(
  learningRate: LearningRate,
  opts: { flipSign?: boolean } = {},
): GradientTransformation<EmptyState | CountState> {
  checkOptions("scaleByLearningRate", opts, ["flipSign"]);
  checkLearningRate("scaleByLearningRate", learningRate);
  const flip = opts.flipSign ?? true;
  if (typeof learningRate === "function")
    return scaleBySchedule((count) => {
      const lr = resolveSchedule(learningRate, count);
      return flip ? neg(lr) : lr;
    }) as GradientTransformation<EmptyState | CountState>;
  return scale(flip ? neg(learningRate) : learningRate) as GradientTransformation<EmptyState | CountState>;
}

/**
 * Replaces each update by its sign: `u = sign(g)` (signSGD; the core of Lion and Rprop).
 * @example
 * chain(scaleBySign(), scaleByLearningRate(0.01));
 */
export function scaleBySign(): GradientTransformation<EmptyState> {
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("scaleBySign", state, []);
      return [freezeState(mapTrees("scaleBySign", (g) => g.sign(), updates)), state];
    },
  };
}
