/**
 * Learning-rate (and other hyperparameter) schedules: pure functions `step → value`, with Optax's
 * semantics.
 *
 * Every schedule here is traceable. Called with a graft `Array` step (typically the int32 step
 * counter held in an optimizer state, possibly a tracer inside `jit`, `vmap` or `scan`) it is built
 * only from `np` ops (`np.where`, `np.power`, `np.minimum`, ...) and returns an `Array`: float32 for
 * int32, uint32, bool or float32 steps, float64 for a float64 step; a step of any shape is mapped
 * elementwise. Called with a JS number it returns a JS number, computed in float64 (handy for
 * logging and plotting).
 *
 * The classic decays from the course notes, with `t` the step (or epoch) count:
 *
 * | notes | formula | here |
 * |---|---|---|
 * | step decay (halve every k epochs; ×0.1 at 30, 60, 90) | η₀·γ^⌊t/k⌋ | `stepDecay(η₀, { every: k, factor: γ })`, `stepDecay(η₀, { milestones: [30, 60, 90], factor: 0.1 })` |
 * | exponential decay | η₀·e^{−kt}, η₀·0.9^t | `exponentialDecay(η₀, { transitionSteps: 1, decayRate: Math.exp(-k) })` |
 * | 1/t decay | η₀ / (1 + kt) | `inverseTimeDecay(η₀, { decayRate: k })` |
 * | "linear" and "quadratic" decay | η₀/(t+1), η₀/(t+1)² | `inverseTimeDecay(η₀, { decayRate: 1, power: 1 or 2 })` |
 * | cosine, half cosine with warmup | | `cosineDecay`, `warmupCosineDecay` |
 * | cyclical learning rates (Smith) | triangular waves | `triangularSchedule`, `oneCycle`, `cyclic` |
 *
 * "Drop the rate when the loss stagnates" (the notes' practical recipe) depends on the loss, not on
 * the step, so it is a gradient transformation instead: `reduceOnPlateau` (plateau.ts).
 *
 * @example
 * import { np, jit } from "graft";
 * import * as optim from "graft/optim";
 * const lr = optim.warmupCosineDecay({ initValue: 0, peakValue: 0.1, warmupSteps: 100, decaySteps: 1000 });
 * lr(50);                                         // 0.05 (a JS number)
 * jit((s: np.Array) => lr(s))(np.array(50, { dtype: "int32" })); // array(0.05): traced step
 */

// A barrel: the schedules live in schedule-core.ts, decay-schedules.ts and cyclic-schedules.ts.
// The loss-driven counterpart of the schedules lives in plateau.ts; it is re-exported here too, so
// everything schedule-like can be imported from this module.
export {
  reduceOnPlateau,
  type ReduceOnPlateau,
  type ReduceOnPlateauOptions,
  type ReduceOnPlateauState,
  type PlateauExtra,
} from "./plateau.js";
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
