// Decaying schedules: exponential, inverse-time, polynomial/linear, cosine and warmup-cosine.
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { fail, fill, finite, makeSchedule, nonNegative, positive, type ScheduleFn } from "./schedule-core.js";
import { checkOptions } from "../core/options.js";

/** Options of {@link exponentialDecay}. */
export interface ExponentialDecayOptions {
  /** Steps over which the value is multiplied by `decayRate` (> 0). */
  transitionSteps: number;
  /** Multiplier per `transitionSteps` steps (> 0; < 1 decays, > 1 grows). */
  decayRate: number;
  /** Decay in whole multiples of `transitionSteps` (a staircase) instead of continuously. Default false. */
  staircase?: boolean;
  /** The value stays at `initValue` until this step (≥ 0). Default 0. */
  transitionBegin?: number;
  /** A floor (for `decayRate < 1`) or ceiling (for `decayRate > 1`) on the value. */
  endValue?: number;
}

/**
 * Exponential decay (Optax's `exponential_decay`): with p = (t − transitionBegin) / transitionSteps
 * (⌊p⌋ when `staircase`),
 *
 *   η(t) = η₀ · decayRate^p   for t > transitionBegin,   η₀ before,
 *
 * clipped at `endValue`. The continuous η₀·e^{−kt} is `{ transitionSteps: 1, decayRate: Math.exp(-k) }`
 * and η₀·0.9^epoch is `{ transitionSteps: 1, decayRate: 0.9 }`.
 *
 * @example optim.exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5 })(20) // 0.25
 */
export function exponentialDecay(initValue: number, opts: ExponentialDecayOptions): ScheduleFn {
  const name = "exponentialDecay";
  const init = finite(name, "initValue", initValue);
  if (opts === null || typeof opts !== "object")
    throw new TypeError(`${name}: expected options { transitionSteps, decayRate }`);
  checkOptions(name, opts, ["transitionSteps", "decayRate", "staircase", "transitionBegin", "endValue"]);
  const steps = positive(name, "transitionSteps", opts.transitionSteps);
  const rate = positive(name, "decayRate", opts.decayRate);
  const begin = nonNegative(name, "transitionBegin", opts.transitionBegin ?? 0);
  const staircase = opts.staircase ?? false;
  const end = opts.endValue === undefined ? undefined : finite(name, "endValue", opts.endValue);
  return makeSchedule(name, (t) => {
    const dc = t.sub(begin);
    let p = dc.div(steps);
    if (staircase) p = np.floor(p);
    let v = np.where(dc.lessEqual(0), fill(t, init), np.power(rate, p).mul(init));
    if (end !== undefined) v = rate < 1 ? np.maximum(v, end) : np.minimum(v, end);
    return v;
  });
}

/** Options of {@link inverseTimeDecay}. */
export interface InverseTimeDecayOptions {
  /** k in η₀ / (1 + k·t/decaySteps) (≥ 0). */
  decayRate: number;
  /** Steps per unit of decay (> 0). Default 1. */
  decaySteps?: number;
  /** Use ⌊t / decaySteps⌋. Default false. */
  staircase?: boolean;
  /** The exponent of the denominator (> 0): 1 is 1/t decay η₀/(1+kt), 2 the quadratic decay η₀/(1+kt)². Default 1. */
  power?: number;
}

/**
 * 1/t ("inverse time") decay, η(t) = η₀ / (1 + decayRate · t / decaySteps)^power, i.e.
 * η₀ / (1 + kt). With `decayRate: 1` it is η₀/(t+1) ("linear") and, with `power: 2`,
 * η₀/(t+1)² ("quadratic"). Negative steps give η₀.
 *
 * @example optim.inverseTimeDecay(1, { decayRate: 0.5 })(2) // 0.5
 */
export function inverseTimeDecay(initValue: number, opts: InverseTimeDecayOptions): ScheduleFn {
  const name = "inverseTimeDecay";
  const init = finite(name, "initValue", initValue);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name}: expected options { decayRate }`);
  checkOptions(name, opts, ["decayRate", "decaySteps", "staircase", "power"]);
  const rate = nonNegative(name, "decayRate", opts.decayRate);
  const steps = positive(name, "decaySteps", opts.decaySteps ?? 1);
  const power = positive(name, "power", opts.power ?? 1);
  const staircase = opts.staircase ?? false;
  return makeSchedule(name, (t) => {
    let p = np.maximum(t, 0).div(steps);
    if (staircase) p = np.floor(p);
    const den = p.mul(rate).add(1);
    return fill(t, init).div(power === 1 ? den : np.power(den, power));
  });
}

/**
 * Polynomial interpolation from `initValue` to `endValue` over `transitionSteps` steps starting at
 * `transitionBegin` (Optax's `polynomial_schedule`): with c = clip(t − transitionBegin, 0, transitionSteps),
 *
 *   η(t) = (init − end) · (1 − c / transitionSteps)^power + end.
 *
 * `power: 1` is a linear ramp ({@link linearSchedule}), `power: 2` quadratic. The value is `init`
 * before `transitionBegin` and `end` after `transitionBegin + transitionSteps`.
 *
 * @example optim.polynomialSchedule(1, 0, 2, 10)(5) // 0.25
 */
export function polynomialSchedule(
  initValue: number,
  endValue: number,
  power: number,
  transitionSteps: number,
  transitionBegin = 0,
): ScheduleFn {
  const name = "polynomialSchedule";
  const init = finite(name, "initValue", initValue);
  const end = finite(name, "endValue", endValue);
  const pw = positive(name, "power", power);
  const steps = positive(name, "transitionSteps", transitionSteps);
  const begin = nonNegative(name, "transitionBegin", transitionBegin);
  return makeSchedule(name, (t) => polynomialBody(t, init, end, pw, steps, begin));
}

function polynomialBody(t: Array, init: number, end: number, power: number, steps: number, begin: number): Array {
  const c = np.clip(t.sub(begin), 0, steps);
  const frac = c.div(steps).neg().add(1);
  return (power === 1 ? frac : np.power(frac, power)).mul(init - end).add(end);
}

/**
 * A linear ramp from `initValue` to `endValue` over `transitionSteps` steps from `transitionBegin`
 * (`polynomialSchedule` with power 1), constant outside it.
 *
 * @example optim.linearSchedule(0, 1, 100)(25) // 0.25
 */
export function linearSchedule(
  initValue: number,
  endValue: number,
  transitionSteps: number,
  transitionBegin = 0,
): ScheduleFn {
  const name = "linearSchedule";
  const init = finite(name, "initValue", initValue);
  const end = finite(name, "endValue", endValue);
  const steps = positive(name, "transitionSteps", transitionSteps);
  const begin = nonNegative(name, "transitionBegin", transitionBegin);
  return makeSchedule(name, (t) => polynomialBody(t, init, end, 1, steps, begin));
}

/**
 * Cosine decay (Loshchilov & Hutter 2017, SGDR; Optax's `cosine_decay_schedule`): with c = clip(t, 0, decaySteps),
 *
 *   η(t) = η₀ · ((1 − α) · (½ (1 + cos(π c / decaySteps)))^exponent + α),
 *
 * from η₀ at step 0 to α·η₀ at `decaySteps`, and constant after.
 *
 * @example optim.cosineDecay(1, 100)(50) // 0.5
 */
export function cosineDecay(
  initValue: number,
  decaySteps: number,
  opts: { alpha?: number; exponent?: number } = {},
): ScheduleFn {
  const name = "cosineDecay";
  checkOptions(name, opts, ["alpha", "exponent"]);
  const init = finite(name, "initValue", initValue);
  const steps = positive(name, "decaySteps", decaySteps);
  const alpha = finite(name, "alpha", opts.alpha ?? 0);
  const exponent = positive(name, "exponent", opts.exponent ?? 1);
  return makeSchedule(name, (t) => cosineBody(t, init, steps, alpha, exponent));
}

function cosineBody(t: Array, init: number, steps: number, alpha: number, exponent: number): Array {
  const c = np.clip(t, 0, steps);
  const cos = np
    .cos(c.mul(Math.PI / steps))
    .add(1)
    .mul(0.5);
  return (exponent === 1 ? cos : np.power(cos, exponent)).mul((1 - alpha) * init).add(alpha * init);
}

/** Options of {@link warmupCosineDecay}. */
export interface WarmupCosineDecayOptions {
  /** The value at step 0. */
  initValue: number;
  /** The value at the end of the warmup. */
  peakValue: number;
  /** Length of the linear warmup (≥ 0). */
  warmupSteps: number;
  /** Total length of the schedule, warmup included (> warmupSteps). */
  decaySteps: number;
  /** The value at `decaySteps` and after. Default 0. */
  endValue?: number;
  /** Exponent of the cosine factor. Default 1. */
  exponent?: number;
}

/**
 * Linear warmup from `initValue` to `peakValue` over `warmupSteps`, then cosine decay to `endValue`
 * at `decaySteps` (the "half cosine with warmup": linear warmup as in Goyal et al. 2017, then the
 * cosine annealing of Loshchilov & Hutter 2017; Optax's `warmup_cosine_decay_schedule`: `decaySteps`
 * counts the warmup).
 *
 * @example
 * const lr = optim.warmupCosineDecay({ initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 110 });
 * lr(5);  // 0.5
 * lr(60); // 0.5 (half way through the cosine)
 */
export function warmupCosineDecay(opts: WarmupCosineDecayOptions): ScheduleFn {
  const name = "warmupCosineDecay";
  if (opts === null || typeof opts !== "object")
    throw new TypeError(`${name}: expected options { initValue, peakValue, warmupSteps, decaySteps }`);
  checkOptions(name, opts, ["initValue", "peakValue", "warmupSteps", "decaySteps", "endValue", "exponent"]);
  const init = finite(name, "initValue", opts.initValue);
  const peak = finite(name, "peakValue", opts.peakValue);
  const warmup = nonNegative(name, "warmupSteps", opts.warmupSteps);
  const total = finite(name, "decaySteps", opts.decaySteps);
  const end = finite(name, "endValue", opts.endValue ?? 0);
  const exponent = positive(name, "exponent", opts.exponent ?? 1);
  if (!(total > warmup))
    fail(name, `decaySteps (${total}) must be greater than warmupSteps (${warmup}); decaySteps includes the warmup`);
  const alpha = peak === 0 ? 0 : end / peak;
  const decay = total - warmup;
  return makeSchedule(name, (t) => {
    const cos = cosineBody(t.sub(warmup), peak, decay, alpha, exponent);
    if (warmup === 0) return cos;
    return np.where(t.less(warmup), polynomialBody(t, init, peak, 1, warmup, 0), cos);
  });
}
