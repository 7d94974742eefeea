// Cyclic and composite schedules: triangular (CLR), cyclic repetition (SGDR), one-cycle and joinSchedules.
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import {
  callSchedule,
  describe,
  fail,
  finite,
  increasing,
  makeSchedule,
  positive,
  type ScheduleFn,
} from "./schedule-core.js";
import type { Schedule } from "./types.js";
import { checkOptions } from "../core/options.js";

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
  if (opts === null || typeof opts !== "object")
    throw new TypeError(`${name}: expected options { base, max, stepSize }`);
  checkOptions(name, opts, ["base", "max", "stepSize", "mode", "gamma"]);
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
  if (typeof schedule !== "function")
    throw new TypeError(`${name}: schedule must be a function, got ${describe(schedule)}`);
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
  if (opts === null || typeof opts !== "object")
    throw new TypeError(`${name}: expected options { transitionSteps, peakValue }`);
  checkOptions(name, opts, ["transitionSteps", "peakValue", "pctStart", "divFactor", "finalDivFactor", "anneal"]);
  const T = positive(name, "transitionSteps", opts.transitionSteps);
  const peak = finite(name, "peakValue", opts.peakValue);
  const pct = finite(name, "pctStart", opts.pctStart ?? 0.3);
  if (!(pct > 0 && pct < 1)) fail(name, `pctStart must be in (0, 1), got ${pct}`);
  const div = positive(name, "divFactor", opts.divFactor ?? 25);
  const finalDiv = positive(name, "finalDivFactor", opts.finalDivFactor ?? 1e4);
  const anneal = opts.anneal ?? "cosine";
  if (anneal !== "cosine" && anneal !== "linear")
    fail(name, `anneal must be "cosine" or "linear", got ${describe(anneal)}`);
  const mid = Math.floor(pct * T);
  if (!(mid > 0 && mid < T))
    fail(name, `pctStart · transitionSteps must fall strictly inside (0, transitionSteps), got ${pct} · ${T}`);
  const v0 = peak / div;
  const v2 = peak / (div * finalDiv);
  const interp = (start: number, end: number, frac: Array): Array =>
    anneal === "cosine"
      ? np
          .cos(frac.mul(Math.PI))
          .add(1)
          .mul((start - end) / 2)
          .add(end)
      : frac.mul(end - start).add(start);
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
  if (!globalThis.Array.isArray(schedules) || schedules.length === 0)
    throw new TypeError(`${name}: schedules must be a non-empty list of functions`);
  schedules.forEach((s, i) => {
    if (typeof s !== "function") throw new TypeError(`${name}: schedules[${i}] must be a function, got ${describe(s)}`);
  });
  if (!globalThis.Array.isArray(boundaries)) throw new TypeError(`${name}: boundaries must be a list of numbers`);
  const bs = boundaries.map((b, i) => finite(name, `boundaries[${i}]`, b));
  if (bs.length !== schedules.length - 1)
    fail(name, `expected ${schedules.length - 1} boundaries for ${schedules.length} schedules, got ${bs.length}`);
  increasing(name, "boundaries", bs);
  const ss = [...schedules];
  // ss is non-empty and has one more entry than bs (checked above), so both indices are in range.
  return makeSchedule(name, (t) => {
    let out = callSchedule(ss[0]!, t);
    bs.forEach((b, i) => (out = np.where(t.less(b), out, callSchedule(ss[i + 1]!, t.sub(b)))));
    return out;
  });
}
