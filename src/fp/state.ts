/**
 * Optimizers as fp-ts `State`: the optimizer state is what threads through the steps, so a training
 * loop is a composition of `State` values (`S.chain`, `S.traverseArray`) run from `opt.init(params)`.
 */
import type { State } from "fp-ts/lib/State.js";
import type { Array } from "../core/array.js";
import { valueAndGrad } from "../../transforms/grad.js";
import { applyUpdates } from "../optim/base.js";
import type { GradientTransformation, Params, UpdateExtra } from "../optim/types.js";

/**
 * One `update` of `opt` as a `State` over the optimizer state: `toState(opt)(grads)(state)` is
 * `opt.update(grads, state)`, i.e. `[updates, nextState]`.
 * @example
 * const [updates, next] = toState(optim.adam(1e-2))(grads, params)(opt.init(params));
 */
export const toState =
  <S>(opt: GradientTransformation<S>) =>
  <U>(grads: U, params?: Params, extra?: UpdateExtra): State<S, U> =>
  (state) =>
    opt.update(grads, state, params, extra);

/** What {@link trainStep} threads from step to step: the parameters and the optimizer's state. */
export interface TrainState<P, S> {
  readonly params: P;
  readonly optState: S;
}

/**
 * A whole training step as a `State`: the loss and its gradient at the current parameters, one
 * `update` of `opt`, `applyUpdates`; the value is the loss before the step.
 * @example
 * const step = trainStep(optim.sgd(0.1), (w: Array) => w.square().sum());
 * const [losses, end] = S.traverseArray(() => step)([1, 2, 3])({ params: w0, optState: opt.init(w0) });
 */
export const trainStep =
  <S, P>(opt: GradientTransformation<S>, loss: (params: P) => Array | number): State<TrainState<P, S>, Array> =>
  ({ params, optState }) => {
    const [value, grads] = valueAndGrad(loss)(params);
    const [updates, next] = opt.update(grads, optState, params);
    return [value, { params: applyUpdates(params, updates), optState: next }];
  };
