/**
 * The Optax unit: a gradient transformation is a pair of pure functions. `init(params)` builds the
 * state; `update(updates, state, params?)` returns transformed updates and the next state. Both are
 * traceable (no host reads of traced values), so `jit(update)` works, and states are frozen pytrees.
 */
import type { Array } from "../core/array.js";

/**
 * A pytree of arrays (plain objects, lists, arrays as leaves). An alias of `unknown`: any pytree
 * type (such as `{ w: np.Array; b: np.Array }`) is accepted where `Params` is expected.
 */
export type Params = unknown;
/**
 * Updates and gradients: pytrees with the parameters' structure. An alias of `unknown`;
 * `update` returns updates typed like the ones it is given.
 */
export type Updates = unknown;
/**
 * An optimizer state: a frozen pytree of arrays (and plain JS values for static settings). An alias
 * of `unknown`; each optimizer names its own state type, e.g. `GradientTransformation<AdamState>`,
 * and `ReturnType<typeof opt.init>` (or `typeof state`) gives it.
 */
export type OptState = unknown;

/** Extra arguments some transformations need, such as the current loss for `reduceOnPlateau`. */
export type UpdateExtra = Readonly<Record<string, unknown>>;

/**
 * A gradient transformation: `init(params)` builds the state, `update(updates, state, params?,
 * extra?)` returns `[transformedUpdates, nextState]`.
 * @typeParam S the state's type.
 */
export interface GradientTransformation<S = OptState> {
  init(params: Params): S;
  /**
   * The transformed updates have the structure of `updates` (and graft arrays as leaves), so they
   * are typed like them: `const [u] = opt.update(grads, state, params)` has the type of `grads`.
   * `extra` carries values like `{ value: loss }`; combinators forward it to their inner
   * transformations.
   */
  update<U extends Updates = Updates>(updates: U, state: S, params?: Params, extra?: UpdateExtra): [U, S];
}

/** A schedule maps the (int32 or JS number) step count to a value; it must be traceable. */
export type Schedule = (step: Array | number) => Array | number;
/** A hyperparameter that may be a fixed number or a schedule of the step. */
export type ScalarOrSchedule = number | Schedule;
