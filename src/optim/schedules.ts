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
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import type { Schedule } from "./types.js";

// The loss-driven counterpart of the schedules lives in plateau.ts; it is re-exported here too, so
// everything schedule-like can be imported from this module.
export { reduceOnPlateau, type ReduceOnPlateau, type ReduceOnPlateauOptions, type ReduceOnPlateauState, type PlateauExtra } from "./plateau.js";

/**
 * A schedule with precise types: a JS number step gives a JS number, an `Array` step an `Array`.
 * Assignable to {@link Schedule} (and to `ScalarOrSchedule`).
 */
export interface ScheduleFn extends Schedule {
  (step: number): number;
  (step: Array): Array;
  (step: Array | number): Array | number;
}

// ----------------------------------------------------------------------------------------------
// argument checks

function fail(name: string, msg: string): never {
  throw new RangeError(`${name}: ${msg}`);
}
function finite(name: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(name, `${what} must be a finite number, got ${describe(v)}`);
  return v;
}
function positive(name: string, what: string, v: unknown): number {
  if (finite(name, what, v) <= 0) fail(name, `${what} must be > 0, got ${v as number}`);
  return v as number;
}
function nonNegative(name: string, what: string, v: unknown): number {
  if (finite(name, what, v) < 0) fail(name, `${what} must be >= 0, got ${v as number}`);
  return v as number;
}
function describe(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") return JSON.stringify(v);
  return typeof v;
}
function increasing(name: string, what: string, xs: readonly number[]): void {
  for (let i = 1; i < xs.length; i++)
    if (!(xs[i]! > xs[i - 1]!)) fail(name, `${what} must be strictly increasing, got [${xs.join(", ")}]`);
}

// ----------------------------------------------------------------------------------------------
// the step → value wrapper

/** The step as a float array: int/bool steps become float32, float steps keep their dtype. */
function floatStep(step: Array): Array {
  return step.dtype === "float32" || step.dtype === "float64" ? step : step.astype("float32");
}

/**
 * Wraps a body written with np ops on a float step. JS-number steps run the same body on a float64
 * scalar and come back as JS numbers, so there is one implementation of each formula.
 */
function makeSchedule(name: string, body: (t: Array) => Array): ScheduleFn {
  const schedule = (step: Array | number): Array | number => {
    if (typeof step === "number") {
      if (Number.isNaN(step)) fail(name, "the step must be a number, got NaN");
      return Number(body(np.array(step, { dtype: "float64" })).item());
    }
    if (!(step instanceof Array)) throw new TypeError(`${name}: the step must be a graft Array or a JS number, got ${describe(step)}`);
    return body(floatStep(step));
  };
  return schedule as ScheduleFn;
}

/** Calls a (possibly user-written) schedule on a float Array step and returns an Array of t's shape and dtype. */
function callSchedule(s: Schedule, t: Array): Array {
  const v = s(t);
  if (typeof v === "number") return np.fullLike(t, v);
  if (!(v instanceof Array)) throw new TypeError(`schedule returned ${describe(v)} for an Array step; a schedule must return an Array or a number`);
  return v.dtype === t.dtype ? v : v.astype(t.dtype);
}

const fill = (t: Array, v: number): Array => np.fullLike(t, v);

// ----------------------------------------------------------------------------------------------
// schedules

/**
 * The same value at every step.
 *
 * @example optim.constantSchedule(0.1)(1000) // 0.1
 */
export function constantSchedule(value: number): ScheduleFn {
  const v = finite("constantSchedule", "value", value);
  return makeSchedule("constantSchedule", (t) => fill(t, v));
}

/**
 * A piecewise-constant schedule, in either of two forms.
 *
 * - `piecewiseConstant(initValue, boundariesAndScales)` (Optax's `piecewise_constant_schedule`):
 *   starts at `initValue`, and from step `b` on multiplies the value by `scale` for every
 *   `(b, scale)` pair (an object `{ 30: 0.1, 60: 0.1 }` or a list of `[b, scale]` pairs). Scales
 *   must be ≥ 0.
 * - `piecewiseConstant({ boundaries, values })`: `values[0]` before `boundaries[0]`, `values[i]` for
 *   `boundaries[i-1] ≤ t < boundaries[i]`, and the last value from the last boundary on
 *   (`values.length === boundaries.length + 1`, boundaries strictly increasing).
 *
 * A boundary `b` takes effect *at* step `b` in both forms.
 *
 * @example
 * // ResNet's schedule from the notes: ×0.1 at epochs 30, 60 and 90.
 * const lr = optim.piecewiseConstant(0.1, { 30: 0.1, 60: 0.1, 90: 0.1 });
 * lr(29); // 0.1
 * lr(30); // 0.01
 * optim.piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1] })(15); // 0.5
 */
export function piecewiseConstant(initValue: number, boundariesAndScales: Readonly<Record<number, number>> | ReadonlyArray<readonly [number, number]>): ScheduleFn;
export function piecewiseConstant(spec: { boundaries: readonly number[]; values: readonly number[] }): ScheduleFn;
export function piecewiseConstant(
  a: number | { boundaries: readonly number[]; values: readonly number[] },
  b?: Readonly<Record<number, number>> | ReadonlyArray<readonly [number, number]>,
): ScheduleFn {
  const name = "piecewiseConstant";
  if (typeof a === "number") {
    const init = finite(name, "initValue", a);
    const pairs = sortedPairs(name, b);
    for (const [, s] of pairs) if (s < 0) fail(name, `scales must be >= 0, got ${s}`);
    return makeSchedule(name, (t) => {
      let v = fill(t, init);
      for (const [bound, s] of pairs) v = np.where(t.greaterEqual(bound), v.mul(s), v);
      return v;
    });
  }
  if (a === null || typeof a !== "object") throw new TypeError(`${name}: expected (initValue, boundariesAndScales) or { boundaries, values }, got ${describe(a)}`);
  const boundaries = [...(a.boundaries ?? [])].map((x, i) => finite(name, `boundaries[${i}]`, x));
  const values = [...(a.values ?? [])].map((x, i) => finite(name, `values[${i}]`, x));
  if (values.length !== boundaries.length + 1)
    fail(name, `values must have one more entry than boundaries, got ${values.length} values for ${boundaries.length} boundaries`);
  increasing(name, "boundaries", boundaries);
  return makeSchedule(name, (t) => {
    let v = fill(t, values[0]!);
    boundaries.forEach((bound, i) => (v = np.where(t.greaterEqual(bound), values[i + 1]!, v)));
    return v;
  });
}

function sortedPairs(name: string, b: Readonly<Record<number, number>> | ReadonlyArray<readonly [number, number]> | undefined): [number, number][] {
  if (b === undefined || b === null) return [];
  if (typeof b !== "object") throw new TypeError(`${name}: boundariesAndScales must be an object or a list of [boundary, scale] pairs, got ${describe(b)}`);
  const raw: [unknown, unknown][] = globalThis.Array.isArray(b)
    ? (b as ReadonlyArray<readonly [number, number]>).map((p) => {
        if (!globalThis.Array.isArray(p) || p.length !== 2) throw new TypeError(`${name}: each entry of boundariesAndScales must be a [boundary, scale] pair`);
        return [p[0], p[1]];
      })
    : Object.entries(b).map(([k, v]) => [Number(k), v]);
  const pairs = raw.map(([k, v]): [number, number] => [finite(name, "a boundary", k), finite(name, "a scale", v)]);
  pairs.sort((x, y) => x[0] - y[0]);
  increasing(name, "boundaries", pairs.map((p) => p[0]));
  return pairs;
}

/**
 * Step decay: the value is multiplied by `factor` every `every` steps,
 * η(t) = η₀ · factor^⌊t / every⌋, or once at each of the given `milestones`
 * (η(t) = η₀ · factor^#{m ≤ t}). Steps before 0 give η₀.
 *
 * @example
 * optim.stepDecay(0.1, { every: 10, factor: 0.5 })(25);               // 0.025: halved at 10 and 20
 * optim.stepDecay(0.1, { milestones: [30, 60, 90], factor: 0.1 })(60); // 0.001
 */
export function stepDecay(initValue: number, opts: { every: number; factor: number } | { milestones: readonly number[]; factor: number }): ScheduleFn {
  const name = "stepDecay";
  const init = finite(name, "initValue", initValue);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name}: expected options { every, factor } or { milestones, factor }`);
  const factor = nonNegative(name, "factor", opts.factor);
  if ("milestones" in opts && opts.milestones !== undefined) {
    const ms = [...opts.milestones].map((m, i) => finite(name, `milestones[${i}]`, m));
    increasing(name, "milestones", ms);
    return makeSchedule(name, (t) => {
      let v = fill(t, init);
      for (const m of ms) v = np.where(t.greaterEqual(m), v.mul(factor), v);
      return v;
    });
  }
  const every = positive(name, "every", (opts as { every: number }).every);
  return makeSchedule(name, (t) => np.power(factor, np.floor(np.maximum(t, 0).div(every))).mul(init));
}

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
 * clipped at `endValue`. The notes' η₀·e^{−kt} is `{ transitionSteps: 1, decayRate: Math.exp(-k) }`
 * and η₀·0.9^epoch is `{ transitionSteps: 1, decayRate: 0.9 }`.
 *
 * @example optim.exponentialDecay(1, { transitionSteps: 10, decayRate: 0.5 })(20) // 0.25
 */
export function exponentialDecay(initValue: number, opts: ExponentialDecayOptions): ScheduleFn {
  const name = "exponentialDecay";
  const init = finite(name, "initValue", initValue);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name}: expected options { transitionSteps, decayRate }`);
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
  /** The exponent of the denominator (> 0): 1 is 1/t decay, 2 the notes' quadratic decay. Default 1. */
  power?: number;
}

/**
 * 1/t ("inverse time") decay, η(t) = η₀ / (1 + decayRate · t / decaySteps)^power, the notes'
 * η₀ / (1 + kt). With `decayRate: 1` it is the notes' η₀/(t+1) ("linear") and, with `power: 2`,
 * η₀/(t+1)² ("quadratic"). Negative steps give η₀.
 *
 * @example optim.inverseTimeDecay(1, { decayRate: 0.5 })(2) // 0.5
 */
export function inverseTimeDecay(initValue: number, opts: InverseTimeDecayOptions): ScheduleFn {
  const name = "inverseTimeDecay";
  const init = finite(name, "initValue", initValue);
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name}: expected options { decayRate }`);
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
export function polynomialSchedule(initValue: number, endValue: number, power: number, transitionSteps: number, transitionBegin = 0): ScheduleFn {
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
export function linearSchedule(initValue: number, endValue: number, transitionSteps: number, transitionBegin = 0): ScheduleFn {
  const name = "linearSchedule";
  const init = finite(name, "initValue", initValue);
  const end = finite(name, "endValue", endValue);
  const steps = positive(name, "transitionSteps", transitionSteps);
  const begin = nonNegative(name, "transitionBegin", transitionBegin);
  return makeSchedule(name, (t) => polynomialBody(t, init, end, 1, steps, begin));
}

/**
 * Cosine decay (Loshchilov & Hutter; Optax's `cosine_decay_schedule`): with c = clip(t, 0, decaySteps),
 *
 *   η(t) = η₀ · ((1 − α) · (½ (1 + cos(π c / decaySteps)))^exponent + α),
 *
 * from η₀ at step 0 to α·η₀ at `decaySteps`, and constant after.
 *
 * @example optim.cosineDecay(1, 100)(50) // 0.5
 */
export function cosineDecay(initValue: number, decaySteps: number, opts: { alpha?: number; exponent?: number } = {}): ScheduleFn {
  const name = "cosineDecay";
  const init = finite(name, "initValue", initValue);
  const steps = positive(name, "decaySteps", decaySteps);
  const alpha = finite(name, "alpha", opts.alpha ?? 0);
  const exponent = positive(name, "exponent", opts.exponent ?? 1);
  return makeSchedule(name, (t) => cosineBody(t, init, steps, alpha, exponent));
}

function cosineBody(t: Array, init: number, steps: number, alpha: number, exponent: number): Array {
  const c = np.clip(t, 0, steps);
  const cos = np.cos(c.mul(Math.PI / steps)).add(1).mul(0.5);
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
 * at `decaySteps` (the notes' "half cosine with warmup"; Optax's `warmup_cosine_decay_schedule`:
 * `decaySteps` counts the warmup).
 *
 * @example
 * const lr = optim.warmupCosineDecay({ initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 110 });
 * lr(5);  // 0.5
 * lr(60); // 0.5 (half way through the cosine)
 */
export function warmupCosineDecay(opts: WarmupCosineDecayOptions): ScheduleFn {
  const name = "warmupCosineDecay";
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name}: expected options { initValue, peakValue, warmupSteps, decaySteps }`);
  const init = finite(name, "initValue", opts.initValue);
  const peak = finite(name, "peakValue", opts.peakValue);
  const warmup = nonNegative(name, "warmupSteps", opts.warmupSteps);
  const total = finite(name, "decaySteps", opts.decaySteps);
  const end = finite(name, "endValue", opts.endValue ?? 0);
  const exponent = positive(name, "exponent", opts.exponent ?? 1);
  if (!(total > warmup)) fail(name, `decaySteps (${total}) must be greater than warmupSteps (${warmup}); decaySteps includes the warmup`);
  const alpha = peak === 0 ? 0 : end / peak;
  const decay = total - warmup;
  return makeSchedule(name, (t) => {
    const cos = cosineBody(t.sub(warmup), peak, decay, alpha, exponent);
    if (warmup === 0) return cos;
    return np.where(t.less(warmup), polynomialBody(t, init, peak, 1, warmup, 0), cos);
  });
}

/** Options of {@link triangularSchedule}. */
export interface TriangularOptions {
  /** The lower bound of the cycle. */
  base: number;
  /** The upper bound of the cycle (the peak of the first cycle). */
  max: number;
  /** Half a cycle: steps from `base` to `max` (> 0). */
  stepSize: number;
  /**
   * `"triangular"` (default): every cycle peaks at `max`; `"triangular2"`: the amplitude halves
   * every cycle; `"exp_range"`: the amplitude is multiplied by gamma^t.
   */
  mode?: "triangular" | "triangular2" | "exp_range";
  /** The per-step amplitude factor of `"exp_range"` (in (0, 1]). Default 1. */
  gamma?: number;
}

/**
 * Cyclical learning rates (Leslie Smith, "Cyclical Learning Rates for Training Neural Networks"):
 * a triangular wave between `base` and `max` with half-period `stepSize`,
 *
 *   cycle = ⌊1 + t / (2·stepSize)⌋,  x = |t/stepSize − 2·cycle + 1|,
 *   η(t) = base + (max − base) · max(0, 1 − x) · scale(cycle, t).
 *
 * @example
 * const lr = optim.triangularSchedule({ base: 0.001, max: 0.006, stepSize: 2000 });
 * lr(0); lr(2000); lr(4000); // 0.001, 0.006, 0.001
 */
export function triangularSchedule(opts: TriangularOptions): ScheduleFn {
  const name = "triangularSchedule";
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name}: expected options { base, max, stepSize }`);
  const base = finite(name, "base", opts.base);
  const max = finite(name, "max", opts.max);
  const stepSize = positive(name, "stepSize", opts.stepSize);
  const mode = opts.mode ?? "triangular";
  if (mode !== "triangular" && mode !== "triangular2" && mode !== "exp_range")
    fail(name, `mode must be "triangular", "triangular2" or "exp_range", got ${describe(mode)}`);
  const gamma = positive(name, "gamma", opts.gamma ?? 1);
  if (gamma > 1) fail(name, `gamma must be in (0, 1], got ${gamma}`);
  return makeSchedule(name, (t) => {
    const cycle = np.floor(t.div(2 * stepSize).add(1));
    const x = np.abs(t.div(stepSize).sub(cycle.mul(2)).add(1));
    let amp = np.maximum(x.neg().add(1), 0).mul(max - base);
    if (mode === "triangular2") amp = amp.div(np.power(2, cycle.sub(1)));
    else if (mode === "exp_range") amp = amp.mul(np.power(gamma, t));
    return amp.add(base);
  });
}

/**
 * Repeats `schedule` with period `period`: η(t) = schedule(t mod period). With a cosine decay this
 * is SGDR (cosine annealing with warm restarts).
 *
 * @example
 * const sgdr = optim.cyclic(optim.cosineDecay(0.1, 100), 100);
 * sgdr(150) === optim.cosineDecay(0.1, 100)(50); // true
 */
export function cyclic(schedule: Schedule, period: number): ScheduleFn {
  const name = "cyclic";
  if (typeof schedule !== "function") throw new TypeError(`${name}: schedule must be a function, got ${describe(schedule)}`);
  const p = positive(name, "period", period);
  return makeSchedule(name, (t) => callSchedule(schedule, np.mod(t, p)));
}

/** Options of {@link oneCycle}. */
export interface OneCycleOptions {
  /** Total number of steps of the cycle (> 0). */
  transitionSteps: number;
  /** The maximum value, reached at ⌊pctStart · transitionSteps⌋. */
  peakValue: number;
  /** Fraction of the steps spent increasing (in (0, 1)). Default 0.3. */
  pctStart?: number;
  /** The initial value is peakValue / divFactor (> 0). Default 25. */
  divFactor?: number;
  /** The final value is initial / finalDivFactor (> 0). Default 1e4. */
  finalDivFactor?: number;
  /** Shape of both phases: `"cosine"` (default, Optax's `cosine_onecycle_schedule`) or `"linear"`. */
  anneal?: "cosine" | "linear";
}

/**
 * The one-cycle policy (Smith & Topin; Optax's `cosine_onecycle_schedule`): from
 * peak/divFactor up to `peakValue` over the first ⌊pctStart·T⌋ steps, then down to
 * peak/(divFactor·finalDivFactor) at T = `transitionSteps`, constant after (and the initial value
 * before step 0). Each phase is a cosine interpolation end + (start − end)/2 · (1 + cos(π·pct)).
 *
 * @example
 * const lr = optim.oneCycle({ transitionSteps: 100, peakValue: 1 });
 * lr(0);  // 0.04
 * lr(30); // 1
 * lr(100); // 4e-6
 */
export function oneCycle(opts: OneCycleOptions): ScheduleFn {
  const name = "oneCycle";
  if (opts === null || typeof opts !== "object") throw new TypeError(`${name}: expected options { transitionSteps, peakValue }`);
  const T = positive(name, "transitionSteps", opts.transitionSteps);
  const peak = finite(name, "peakValue", opts.peakValue);
  const pct = finite(name, "pctStart", opts.pctStart ?? 0.3);
  if (!(pct > 0 && pct < 1)) fail(name, `pctStart must be in (0, 1), got ${pct}`);
  const div = positive(name, "divFactor", opts.divFactor ?? 25);
  const finalDiv = positive(name, "finalDivFactor", opts.finalDivFactor ?? 1e4);
  const anneal = opts.anneal ?? "cosine";
  if (anneal !== "cosine" && anneal !== "linear") fail(name, `anneal must be "cosine" or "linear", got ${describe(anneal)}`);
  const mid = Math.floor(pct * T);
  if (!(mid > 0 && mid < T)) fail(name, `pctStart · transitionSteps must fall strictly inside (0, transitionSteps), got ${pct} · ${T}`);
  const v0 = peak / div;
  const v2 = peak / (div * finalDiv);
  const interp = (start: number, end: number, frac: Array): Array =>
    anneal === "cosine" ? np.cos(frac.mul(Math.PI)).add(1).mul((start - end) / 2).add(end) : frac.mul(end - start).add(start);
  return makeSchedule(name, (t) => {
    const up = interp(v0, peak, np.clip(t, 0, mid).div(mid));
    const down = interp(peak, v2, np.clip(t.sub(mid), 0, T - mid).div(T - mid));
    return np.where(t.less(mid), up, down);
  });
}

/**
 * Runs `schedules[0]` until `boundaries[0]`, then `schedules[1]` (with its step counted from that
 * boundary), and so on (Optax's `join_schedules`):
 *
 *   η(t) = schedules[i](t − boundaries[i−1])   for boundaries[i−1] ≤ t < boundaries[i].
 *
 * @example
 * // 5 steps of linear warmup, then exponential decay restarting its count at step 5:
 * const lr = optim.joinSchedules([optim.linearSchedule(0, 1, 5), optim.exponentialDecay(1, { transitionSteps: 1, decayRate: 0.5 })], [5]);
 * lr(6); // 0.5
 */
export function joinSchedules(schedules: readonly Schedule[], boundaries: readonly number[]): ScheduleFn {
  const name = "joinSchedules";
  if (!globalThis.Array.isArray(schedules) || schedules.length === 0) throw new TypeError(`${name}: schedules must be a non-empty list of functions`);
  schedules.forEach((s, i) => {
    if (typeof s !== "function") throw new TypeError(`${name}: schedules[${i}] must be a function, got ${describe(s)}`);
  });
  if (!globalThis.Array.isArray(boundaries)) throw new TypeError(`${name}: boundaries must be a list of numbers`);
  const bs = boundaries.map((b, i) => finite(name, `boundaries[${i}]`, b));
  if (bs.length !== schedules.length - 1)
    fail(name, `expected ${schedules.length - 1} boundaries for ${schedules.length} schedules, got ${bs.length}`);
  increasing(name, "boundaries", bs);
  const ss = [...schedules];
  return makeSchedule(name, (t) => {
    let out = callSchedule(ss[0]!, t);
    bs.forEach((b, i) => (out = np.where(t.less(b), out, callSchedule(ss[i + 1]!, t.sub(b)))));
    return out;
  });
}
