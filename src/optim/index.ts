/**
 * `graft-ad/optim`: Optax-style gradient transformations and optimizers.
 *
 * A `GradientTransformation` is a pair of pure functions: `init(params)` builds a frozen state and
 * `update(grads, state, params?)` returns `[updates, nextState]`; `applyUpdates(params, updates)`
 * adds the updates. Every `update` is traceable, so `jit(opt.update)` (or a jitted training step)
 * works for every optimizer.
 *
 * @example
 * import { np, grad, jit } from "graft-ad";
 * import { adam, applyUpdates, chain, clipByGlobalNorm } from "graft-ad/optim";
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

// The public API is listed explicitly, straight from the family modules: they also export helpers
// shared between them (state freezing, tree mapping, hyperparameter checks, ...) that are not part
// of `graft-ad/optim`.

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

// Combinators: gradient transformations built from other ones. Every decision that depends on
// array values (a NaN in the gradients, the k-th micro-batch) is made with `np.where`, so each
// combinator stays traceable under `jit`.
export { chain } from "./chain.js";
export {
  masked,
  multiTransform,
  type LabelSpec,
  type MaskedState,
  type MaskSpec,
  type MultiTransformState,
} from "./masked.js";
export {
  injectHyperparams,
  setHyperparams,
  type InjectableValue,
  type InjectHyperparamsState,
} from "./inject-hyperparams.js";
export { applyIfFinite, type ApplyIfFiniteState } from "./apply-if-finite.js";
export { multiSteps, multiStepsHasUpdated, type MultiStepsState } from "./multi-steps.js";

// Building blocks: the transformations that optimizers chain together (Optax's `scale_by_*`,
// `trace`, `add_decayed_weights`, clipping). Each maps gradients `g` to updates `u` leaf by leaf
// with `np` ops only (traceable), keeps its state as a frozen pytree of arrays with the params'
// dtypes, and validates its hyperparameters when it is constructed. In their docs `g` is the
// incoming update (a gradient, or the previous link's output), `t` the step number counted from 1,
// and every operation is elementwise.
export { scale, scaleByLearningRate, scaleBySchedule, scaleBySign, type CountState } from "./scale.js";
export { traceMomentum, type TraceState } from "./momentum.js";
export {
  scaleByAdadelta,
  scaleByRms,
  scaleByRss,
  scaleByStddev,
  type AdadeltaState,
  type RmsOptions,
  type RmsState,
  type RssState,
  type StddevState,
} from "./adaptive-scaling.js";
export {
  scaleByAdam,
  scaleByAdamax,
  scaleByAmsgrad,
  scaleByLion,
  type AdamOptions,
  type AdamState,
  type AmsgradState,
  type LionState,
} from "./adam-family.js";
export { scaleByRprop, type RpropOptions, type RpropState } from "./rprop.js";
export { addDecayedWeights } from "./weight-decay.js";
export { clip, clipByGlobalNorm } from "./clipping.js";

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

// Optax 0.2.8 additions: Adam variants, trust ratios, Adafactor, gradient hygiene and wrappers.
export {
  adabelief,
  radam,
  scaleByBelief,
  scaleByRadam,
  scaleByYogi,
  yogi,
  type BeliefOptions,
  type RadamOptions,
  type YogiOptions,
} from "./adam-variants.js";
export {
  lamb,
  lars,
  scaleByTrustRatio,
  type LambOptions,
  type LarsOptions,
  type TrustRatioOptions,
} from "./trust-ratio.js";
export { adafactor, type AdafactorOptions, type FactoredState } from "./adafactor.js";
export { adaptiveGradClip } from "./adaptive-clip.js";
export { zeroNans, type ZeroNansState } from "./zero-nans.js";
export { ema, type EmaOptions, type EmaState } from "./ema.js";
export { lookahead, type LookaheadParams, type LookaheadState } from "./lookahead.js";
export { normalize, sam, type SamState } from "./sam.js";

// second order and line search (see objective.ts for the overview)
export type { Objective } from "./objective.js";
export { lineSearchWolfe, type LineSearchPoint, type LineSearchResult, type WolfeOptions } from "./linesearch.js";
export type { AsyncUpdate, LineSearchTransformation } from "./line-search-step.js";
export {
  newton,
  newtonStep,
  type HessianExtra,
  type NewtonObjectiveTransformation,
  type NewtonOptions,
  type NewtonState,
  type NewtonTransformation,
} from "./newton.js";
export { lbfgs, type LbfgsOptions, type LbfgsState } from "./lbfgs.js";
export { bfgs, type BfgsOptions, type BfgsState } from "./bfgs.js";
export { quickprop, type QuickpropOptions, type QuickpropState } from "./quickprop.js";
export { optimalStep, stableStepBound } from "./step-size.js";
export { nonlinearCG, type NonlinearCGOptions, type NonlinearCGState } from "./nonlinear-cg.js";
export type { IterationInfo, MinimizeResult } from "./solver-common.js";
export { minimize, minimizeAsync, type MinimizeMethod, type MinimizeOptions } from "./minimize.js";
export {
  levenbergMarquardt,
  levenbergMarquardtAsync,
  type LevenbergMarquardtOptions,
} from "./levenberg-marquardt.js";

// schedules (see schedule-core.ts for the overview)
export { constantSchedule, piecewiseConstant, stepDecay, type ScheduleFn } from "./schedule-core.js";
export {
  cosineDecay,
  exponentialDecay,
  inverseTimeDecay,
  linearSchedule,
  polynomialSchedule,
  warmupCosineDecay,
  type ExponentialDecayOptions,
  type InverseTimeDecayOptions,
  type WarmupCosineDecayOptions,
} from "./decay-schedules.js";
export {
  cyclic,
  joinSchedules,
  oneCycle,
  triangularSchedule,
  type OneCycleOptions,
  type TriangularOptions,
} from "./cyclic-schedules.js";

// the loss-driven schedule
export {
  reduceOnPlateau,
  type PlateauExtra,
  type ReduceOnPlateau,
  type ReduceOnPlateauOptions,
  type ReduceOnPlateauState,
} from "./plateau.js";
