/**
 * `graft/optim`: Optax-style gradient transformations and optimizers.
 *
 * A `GradientTransformation` is a pair of pure functions: `init(params)` builds a frozen state and
 * `update(grads, state, params?)` returns `[updates, nextState]`; `applyUpdates(params, updates)`
 * adds the updates. Every `update` is traceable, so `jit(opt.update)` (or a jitted training step)
 * works for every optimizer.
 *
 * @example
 * import { np, grad, jit } from "graft";
 * import { adam, applyUpdates, chain, clipByGlobalNorm } from "graft/optim";
 *
 * const loss = (p: { w: np.Array }) => p.w.sub(1).square().sum();
 * const opt = chain(clipByGlobalNorm(1), adam(0.05));
 * let params = { w: np.zeros([3]) };
 * let state = opt.init(params);
 * const step = jit((p: typeof params, s: typeof state) => {
 *   const [updates, next] = opt.update(grad(loss)(p), s, p);
 *   return [applyUpdates(p, updates), next] as const;
 * });
 * for (let i = 0; i < 300; i++) [params, state] = step(params, state);
 */
export type {
  GradientTransformation,
  OptState,
  Params,
  Updates,
  UpdateExtra,
  Schedule,
  ScalarOrSchedule,
} from "./types.js";

// The public API is listed explicitly: the modules below also export helpers shared between them
// (state freezing, tree mapping, hyperparameter checks, ...) that are not part of `graft/optim`.

// core
export {
  applyUpdates,
  globalNorm,
  identity,
  named,
  OptimStructureError,
  setToZero,
  stateless,
  type EmptyState,
  type Hyperparam,
  type LearningRate,
} from "./base.js";

// combinators
export {
  applyIfFinite,
  chain,
  injectHyperparams,
  masked,
  multiSteps,
  multiStepsHasUpdated,
  multiTransform,
  setHyperparams,
  type ApplyIfFiniteState,
  type InjectableValue,
  type InjectHyperparamsState,
  type LabelSpec,
  type MaskedState,
  type MaskSpec,
  type MultiStepsState,
  type MultiTransformState,
} from "./combinators.js";

// building blocks
export {
  addDecayedWeights,
  clip,
  clipByGlobalNorm,
  scale,
  scaleByAdadelta,
  scaleByAdam,
  scaleByAdamax,
  scaleByAmsgrad,
  scaleByLearningRate,
  scaleByLion,
  scaleByRms,
  scaleByRprop,
  scaleByRss,
  scaleBySchedule,
  scaleBySign,
  scaleByStddev,
  traceMomentum,
  type AdadeltaState,
  type AdamOptions,
  type AdamState,
  type AmsgradState,
  type CountState,
  type LionState,
  type RmsOptions,
  type RmsState,
  type RpropOptions,
  type RpropState,
  type RssState,
  type StddevState,
  type TraceState,
} from "./transforms.js";

// first-order optimizers
export { sgd, type SgdOptions } from "./sgd.js";
export {
  adadelta,
  adagrad,
  adam,
  adamax,
  adamw,
  amsgrad,
  lion,
  nadam,
  rmsprop,
  rprop,
  type AdamwOptions,
  type ChainState,
  type LionOptions,
  type RmspropOptions,
} from "./adaptive.js";

// second order and line search
export {
  lbfgs,
  levenbergMarquardt,
  lineSearchWolfe,
  minimize,
  newton,
  newtonStep,
  nonlinearCG,
  type HessianExtra,
  type IterationInfo,
  type LbfgsOptions,
  type LbfgsState,
  type LevenbergMarquardtOptions,
  type LineSearchPoint,
  type LineSearchResult,
  type LineSearchTransformation,
  type MinimizeMethod,
  type MinimizeOptions,
  type MinimizeResult,
  type NewtonOptions,
  type NewtonState,
  type NewtonTransformation,
  type NonlinearCGOptions,
  type NonlinearCGState,
  type Objective,
  type WolfeOptions,
} from "./second-order.js";

// schedules
export {
  constantSchedule,
  cosineDecay,
  cyclic,
  exponentialDecay,
  inverseTimeDecay,
  joinSchedules,
  linearSchedule,
  oneCycle,
  piecewiseConstant,
  polynomialSchedule,
  stepDecay,
  triangularSchedule,
  warmupCosineDecay,
  type ExponentialDecayOptions,
  type InverseTimeDecayOptions,
  type OneCycleOptions,
  type ScheduleFn,
  type TriangularOptions,
  type WarmupCosineDecayOptions,
} from "./schedules.js";

// the loss-driven schedule
export {
  reduceOnPlateau,
  type PlateauExtra,
  type ReduceOnPlateau,
  type ReduceOnPlateauOptions,
  type ReduceOnPlateauState,
} from "./plateau.js";
