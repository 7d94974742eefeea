/**
 * Building blocks: gradient transformations that optimizers chain together (Optax's
 * `scale_by_*`, `trace`, `add_decayed_weights`, clipping). Each maps gradients `g` to updates `u`
 * leaf by leaf with `np` ops only (traceable), keeps its state as a frozen pytree of arrays with
 * the params' dtypes, and validates its hyperparameters when it is constructed.
 *
 * Notation below: `g` the incoming update (a gradient, or the previous link's output), `t` the
 * step number counted from 1, all operations elementwise.
 */
// A barrel: each family of transformations lives in its own module.
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
