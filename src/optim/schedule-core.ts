/**
 * Learning-rate (and other hyperparameter) schedules: pure functions `step → value`, with Optax's
 * semantics. This module holds the machinery (`ScheduleFn`, argument checks, the step → value
 * wrapper) and the constant, piecewise-constant and step-decay schedules; decay-schedules.ts and
 * cyclic-schedules.ts hold the others.
 *
 * Every schedule is traceable. Called with a graft `Array` step (typically the int32 step counter
 * held in an optimizer state, possibly a tracer inside `jit`, `vmap` or `scan`) it is built only
 * from `np` ops (`np.where`, `np.power`, `np.minimum`, ...) and returns an `Array`: float32 for
 * int32, uint32, bool or float32 steps, float64 for a float64 step; a step of any shape is mapped
 * elementwise. Called with a JS number it returns a JS number, computed in float64 (handy for
 * logging and plotting).
 *
 * The classic decays, with `t` the step (or epoch) count:
 *
 * | schedule | formula | here |
 * |---|---|---|
 * | step decay (halve every k epochs; ×0.1 at 30, 60, 90) | η₀·γ^⌊t/k⌋ | `stepDecay(η₀, { every: k, factor: γ })`, `stepDecay(η₀, { milestones: [30, 60, 90], factor: 0.1 })` |
 * | exponential decay | η₀·e^{−kt}, η₀·0.9^t | `exponentialDecay(η₀, { transitionSteps: 1, decayRate: Math.exp(-k) })` |
 * | 1/t decay | η₀ / (1 + kt) | `inverseTimeDecay(η₀, { decayRate: k })` |
 * | "linear" and "quadratic" decay | η₀/(t+1), η₀/(t+1)² | `inverseTimeDecay(η₀, { decayRate: 1, power: 1 or 2 })` |
 * | cosine annealing (Loshchilov & Hutter 2017), with linear warmup (Goyal et al. 2017) | η₀·½(1 + cos(πt/T)) | `cosineDecay`, `warmupCosineDecay` |
 * | cyclical learning rates (Smith 2017), one-cycle (Smith & Topin 2019) | triangular waves | `triangularSchedule`, `oneCycle`, `cyclic` |
 *
 * "Drop the rate when the loss stagnates" (He et al. 2016, §3.4: divide by 10 when the error
 * plateaus) depends on the loss, not on the step, so it is a gradient transformation instead:
 * `reduceOnPlateau` (plateau.ts).
 *
 * @example
 * import { np, jit } from "graft-ad";
 * import * as optim from "graft-ad/optim";
 * const lr = optim.warmupCosineDecay({ initValue: 0, peakValue: 0.1, warmupSteps: 100, decaySteps: 1000 });
 * lr(50);                                         // 0.05 (a JS number)
 * jit((s: np.Array) => lr(s))(np.array(50, { dtype: "int32" })); // array(0.05): traced step
 */
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import type { Schedule } from "./types.js";
import { checkOptions } from "../core/options.js";

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

export function fail(name: string, msg: string): never {
  throw new RangeError(`${name}: ${msg}`);
}
export function finite(name: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v)) fail(name, `${what} must be a finite number, got ${describe(v)}`);
  return v;
}
export function positive(name: string, what: string, v: unknown): number {
  if (finite(name, what, v) <= 0) fail(name, `${what} must be > 0, got ${v as number}`);
  return v as number;
}
export function nonNegative(name: string, what: string, v: unknown): number {
  if (finite(name, what, v) < 0) fail(name, `${what} must be >= 0, got ${v as number}`);
  return v as number;
}
export function describe(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (v === null) return "null";
  if (v === undefined) return "undefined";
  if (typeof v === "string") return JSON.stringify(v);
  return typeof v;
}
export function increasing(name: string, what: string, xs: readonly number[]): void {
  let prev: number | undefined;
  for (const x of xs) {
    if (prev !== undefined && !(x > prev)) fail(name, `${what} must be strictly increasing, got [${xs.join(", ")}]`);
    prev = x;
  }
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
export function makeSchedule(name: string, body: (t: Array) => Array): ScheduleFn {
  const schedule = (step: Array | number): Array | number => {
    if (typeof step === "number") {
      if (Number.isNaN(step)) fail(name, "the step must be a number, got NaN");
      return Number(body(np.array(step, { dtype: "float64" })).item());
    }
    if (!(step instanceof Array))
      throw new TypeError(`${name}: the step must be a graft Array or a JS number, got ${describe(step)}`);
    return body(floatStep(step));
  };
  return schedule as ScheduleFn;
}

/** Calls a (possibly user-written) schedule on a float Array step and returns an Array of t's shape and dtype. */
export function callSchedule(s: Schedule, t: Array): Array {
  const v = s(t);
  if (typeof v === "number") return np.fullLike(t, v);
  if (!(v instanceof Array))
    throw new TypeError(
      `schedule returned ${describe(v)} for an Array step; a schedule must return an Array or a number`,
    );
  return v.dtype === t.dtype ? v : v.astype(t.dtype);
}

export const fill = (t: Array, v: number): Array => np.fullLike(t, v);

// ----------------------------------------------------------------------------------------------
// constant and piecewise-constant schedules

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
 * // ×0.1 at epochs 30, 60 and 90 (a common ImageNet ResNet schedule).
 * const lr = optim.piecewiseConstant(0.1, { 30: 0.1, 60: 0.1, 90: 0.1 });
 * lr(29); // 0.1
 * lr(30); // 0.01
 * optim.piecewiseConstant({ boundaries: [10, 20], values: [1, 0.5, 0.1] })(15); // 0.5
 */
export function piecewiseConstant(
  initValue: number,
  boundariesAndScales: Readonly<Record<number, number>> | ReadonlyArray<readonly [number, number]>,
): ScheduleFn;
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
  if (a === null || typeof a !== "object")
    throw new TypeError(
      `${name}: expected (initValue, boundariesAndScales) or { boundaries, values }, got ${describe(a)}`,
    );
  checkOptions(name, a, ["boundaries", "values"]);
  const boundaries = [...(a.boundaries ?? [])].map((x, i) => finite(name, `boundaries[${i}]`, x));
  const values = [...(a.values ?? [])].map((x, i) => finite(name, `values[${i}]`, x));
  if (values.length !== boundaries.length + 1)
    fail(
      name,
      `values must have one more entry than boundaries, got ${values.length} values for ${boundaries.length} boundaries`,
    );
  increasing(name, "boundaries", boundaries);
  // values.length === boundaries.length + 1 (checked above), so both indices are in range.
  return makeSchedule(name, (t) => {
    let v = fill(t, values[0]!);
    boundaries.forEach((bound, i) => (v = np.where(t.greaterEqual(bound), values[i + 1]!, v)));
    return v;
  });
}

function sortedPairs(
  name: string,
  b: Readonly<Record<number, number>> | ReadonlyArray<readonly [number, number]> | undefined,
): [number, number][] {
  if (b === undefined || b === null) return [];
  if (typeof b !== "object")
    throw new TypeError(
      `${name}: boundariesAndScales must be an object or a list of [boundary, scale] pairs, got ${describe(b)}`,
    );
  const raw: [unknown, unknown][] = globalThis.Array.isArray(b)
    ? (b as ReadonlyArray<readonly [number, number]>).map((p) => {
        if (!globalThis.Array.isArray(p) || p.length !== 2)
          throw new TypeError(`${name}: each entry of boundariesAndScales must be a [boundary, scale] pair`);
        return [p[0], p[1]];
      })
    : Object.entries(b).map(([k, v]) => [Number(k), v]);
  const pairs = raw.map(([k, v]): [number, number] => [finite(name, "a boundary", k), finite(name, "a scale", v)]);
  pairs.sort((x, y) => x[0] - y[0]);
  increasing(
    name,
    "boundaries",
    pairs.map((p) => p[0]),
  );
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
export function stepDecay(
  initValue: number,
  opts: { every: number; factor: number } | { milestones: readonly number[]; factor: number },
): ScheduleFn {
  const name = "stepDecay";
  const init = finite(name, "initValue", initValue);
  if (opts === null || typeof opts !== "object")
    throw new TypeError(`${name}: expected options { every, factor } or { milestones, factor }`);
  checkOptions(name, opts, ["every", "milestones", "factor"]);
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
