/**
 * The Optax unit: a gradient transformation is a pair of pure functions. `init(params)` builds the
 * state; `update(updates, state, params?)` returns transformed updates and the next state. Both are
 * traceable (no host reads of traced values), so `jit(update)` works, and states are frozen pytrees.
 */
import type { Array } from "../core/array.js";

/** A pytree of arrays (plain objects, lists, arrays as leaves). */
export type Params = unknown;
/** Updates and gradients have the parameters' structure. */
export type Updates = unknown;
/** An optimizer state: a frozen pytree of arrays (and plain JS values for static settings). */
export type OptState = unknown;

/** Extra arguments some transformations need, such as the current loss for `reduceOnPlateau`. */
export type UpdateExtra = Readonly<Record<string, unknown>>;

export interface GradientTransformation<S = OptState> {
  init(params: Params): S;
  /** `extra` carries values like `{ value: loss }`; combinators forward it to their inner transformations. */
  update(updates: Updates, state: S, params?: Params, extra?: UpdateExtra): [Updates, S];
}

/** A schedule maps the (int32 or JS number) step count to a value; it must be traceable. */
export type Schedule = (step: Array | number) => Array | number;
/** A hyperparameter that may be a fixed number or a schedule of the step. */
export type ScalarOrSchedule = number | Schedule;
