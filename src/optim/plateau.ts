/**
 * `reduceOnPlateau`: scale the updates down when the loss stops improving (Optax's
 * `contrib.reduce_on_plateau`, PyTorch's `ReduceLROnPlateau`). This is the classic recipe for
 * decaying a learning rate (He et al. 2016, §3.4: divide it by 10 when the error plateaus): train
 * with a fixed η until the loss stagnates, then η ← αη (typically α = 0.1), and continue.
 */
import { freeze } from "immer";
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import type { GradientTransformation, OptState, Params, UpdateExtra, Updates } from "./types.js";
import { checkOptions } from "../core/options.js";
import { optionKeys } from "../core/validate.js";

/** Options of {@link reduceOnPlateau}. */
export interface ReduceOnPlateauOptions {
  /** Multiplier applied to the scale on a plateau, in (0, 1). Default 0.1. */
  factor?: number;
  /** Number of consecutive non-improving (accumulated) values that make a plateau (integer ≥ 1). Default 10. */
  patience?: number;
  /** Number of evaluations after a reduction during which plateaus are not counted (integer ≥ 0). Default 0. */
  cooldown?: number;
  /** Relative improvement needed: a value v improves on `best` when v < (1 − rtol)·best − atol. Default 1e-4. */
  rtol?: number;
  /** Absolute improvement needed (see `rtol`). Default 0. */
  atol?: number;
  /** Number of `update` calls whose values are averaged before one plateau check (integer ≥ 1). Default 1. */
  accumulationSize?: number;
  /** The scale never drops below this (≥ 0). Default 0. */
  minScale?: number;
}

/** The state of {@link reduceOnPlateau}: every field is a scalar array (frozen object). */
export interface ReduceOnPlateauState {
  /** The current multiplier of the updates (float32), starting at 1. */
  readonly scale: Array;
  /** The best (accumulated) value seen so far (float32), starting at +∞. */
  readonly bestValue: Array;
  /** Consecutive checks without improvement (int32). */
  readonly plateauCount: Array;
  /** Checks left in the current cooldown (int32). */
  readonly cooldownCount: Array;
  /** Values accumulated towards the next check (int32). */
  readonly count: Array;
  /** Mean of the values accumulated so far (float32). */
  readonly avgValue: Array;
}

/** The extra argument of {@link ReduceOnPlateau.update}: the current loss. */
export interface PlateauExtra {
  /** The current value of the objective (a scalar Array or JS number), possibly traced. */
  value: Array | number;
}

/**
 * A gradient transformation whose `update` takes a fourth argument, `{ value }`, the current loss
 * (Optax passes it as the keyword argument `value`).
 */
export interface ReduceOnPlateau extends GradientTransformation<ReduceOnPlateauState> {
  init(params: Params): ReduceOnPlateauState;
  update<U extends Updates = Updates>(
    updates: U,
    state: ReduceOnPlateauState,
    params?: Params | null,
    extra?: UpdateExtra,
  ): [U, ReduceOnPlateauState];
}

function check(cond: boolean, msg: string): void {
  if (!cond) throw new RangeError(`reduceOnPlateau: ${msg}`);
}
const isInt = (v: unknown, min: number): boolean => typeof v === "number" && Number.isInteger(v) && v >= min;
const isNum = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);

/**
 * Multiplies the updates by a scale that starts at 1 and is multiplied by `factor` whenever the
 * objective has not improved for `patience` consecutive checks.
 *
 * Each `update(updates, state, params, { value })` adds `value` to a running mean; every
 * `accumulationSize` calls that mean is checked against the best one so far:
 *
 * - it *improves* when mean < (1 − rtol)·best − atol: best ← mean, plateau count ← 0;
 * - otherwise the plateau count grows by one; outside a cooldown, when it reaches `patience`,
 *   scale ← max(scale·factor, minScale), the count resets and a cooldown of `cooldown` checks
 *   starts; during a cooldown the count stays 0 and the cooldown counts down.
 *
 * The updates returned are `scale · updates` (each in its own dtype). Everything is `np.where`
 * on scalar arrays, so `update` is traceable: `jit(opt.update)` works, with the value traced.
 * States are frozen.
 *
 * @example
 * import { np, jit } from "graft-ad";
 * import * as optim from "graft-ad/optim";
 * const plateau = optim.reduceOnPlateau({ factor: 0.5, patience: 3 });
 * let state = plateau.init(params);
 * const step = jit((g, s, loss) => plateau.update(g, s, null, { value: loss }));
 * [updates, state] = step(grads, state, loss); // updates = state.scale · grads
 */
export function reduceOnPlateau(opts: ReduceOnPlateauOptions = {}): ReduceOnPlateau {
  const o = plateauOptions(opts);

  function init(_params: Params): ReduceOnPlateauState {
    return freeze(
      {
        scale: f32(1),
        bestValue: f32(Infinity),
        plateauCount: i32(0),
        cooldownCount: i32(0),
        count: i32(0),
        avgValue: f32(0),
      },
      true,
    );
  }

  function update<U extends Updates = Updates>(
    updates: U,
    state: ReduceOnPlateauState,
    _params?: Params | null,
    extra?: UpdateExtra,
  ): [U, ReduceOnPlateauState] {
    if (extra === undefined || extra === null || typeof extra !== "object" || !("value" in extra))
      throw new TypeError(
        "reduceOnPlateau: update needs the current loss as its fourth argument: update(updates, state, params, { value })",
      );
    checkState(state);
    const next = plateauStep(state, lossValue(extra), o);
    // Frozen, like every other transformation's updates.
    const scaled = freeze(tree.map((u: unknown) => scaleLeaf(u, next.scale), updates) as U, true);
    return [scaled, next];
  }

  return Object.freeze({ init, update });
}

const i32 = (v: number): Array => np.array(v, { dtype: "int32" });
const f32 = (v: number): Array => np.array(v, { dtype: "float32" });

/** The options with their defaults, validated. */
function plateauOptions(opts: ReduceOnPlateauOptions): Required<ReduceOnPlateauOptions> {
  if (opts === null || typeof opts !== "object") throw new TypeError("reduceOnPlateau: options must be an object");
  checkOptions(
    "reduceOnPlateau",
    opts,
    optionKeys<ReduceOnPlateauOptions>()(
      "factor",
      "patience",
      "cooldown",
      "rtol",
      "atol",
      "accumulationSize",
      "minScale",
    ),
  );
  const factor = opts.factor ?? 0.1;
  const patience = opts.patience ?? 10;
  const cooldown = opts.cooldown ?? 0;
  const rtol = opts.rtol ?? 1e-4;
  const atol = opts.atol ?? 0;
  const accumulationSize = opts.accumulationSize ?? 1;
  const minScale = opts.minScale ?? 0;
  check(isNum(factor) && factor > 0 && factor < 1, `factor must be in (0, 1), got ${String(factor)}`);
  check(isInt(patience, 1), `patience must be an integer >= 1, got ${String(patience)}`);
  check(isInt(cooldown, 0), `cooldown must be an integer >= 0, got ${String(cooldown)}`);
  check(isNum(rtol) && rtol >= 0 && rtol < 1, `rtol must be in [0, 1), got ${String(rtol)}`);
  check(isNum(atol) && atol >= 0, `atol must be >= 0, got ${String(atol)}`);
  check(rtol > 0 || atol > 0, "rtol and atol must not both be 0");
  check(isInt(accumulationSize, 1), `accumulationSize must be an integer >= 1, got ${String(accumulationSize)}`);
  check(isNum(minScale) && minScale >= 0 && minScale <= 1, `minScale must be in [0, 1], got ${String(minScale)}`);
  return { factor, patience, cooldown, rtol, atol, accumulationSize, minScale };
}

/** `extra.value` (the current loss) as a float32 scalar array. */
function lossValue(extra: UpdateExtra): Array {
  const v = (extra as Partial<PlateauExtra>).value;
  if (typeof v !== "number" && !(v instanceof np.Array))
    throw new TypeError(
      `reduceOnPlateau: extra.value must be the current loss (a scalar array or number), got ${typeof v}`,
    );
  const value = np.asArray(v as np.Array | number, "reduceOnPlateau");
  if (value.size !== 1)
    throw new TypeError(`reduceOnPlateau: value must be a scalar, got shape [${value.shape.join(", ")}]`);
  return value.reshape([]).astype("float32");
}

/** The next state after seeing `value`: the running mean, and every `accumulationSize` calls the plateau check. */
function plateauStep(
  state: ReduceOnPlateauState,
  value: Array,
  o: Required<ReduceOnPlateauOptions>,
): ReduceOnPlateauState {
  // Accumulate the running mean.
  const count = state.count.add(1);
  const avg = state.avgValue.mul(state.count.astype("float32")).add(value).div(count.astype("float32"));
  const ready = count.greaterEqual(o.accumulationSize);

  // The plateau check (used where `ready`).
  const improved = avg.less(state.bestValue.mul(1 - o.rtol).sub(o.atol));
  const best = np.where(improved, avg, state.bestValue);
  const plateau = np.where(improved, i32(0), state.plateauCount.add(1));
  const inCooldown = state.cooldownCount.greater(0);
  const reduce = np.logicalAnd(np.logicalNot(inCooldown), plateau.greaterEqual(o.patience));
  const scaleChecked = np.where(reduce, np.maximum(state.scale.mul(o.factor), o.minScale), state.scale);
  const plateauChecked = np.where(np.logicalOr(inCooldown, reduce), i32(0), plateau);
  const cooldownChecked = np.where(inCooldown, state.cooldownCount.sub(1), np.where(reduce, i32(o.cooldown), i32(0)));

  return freeze(
    {
      scale: np.where(ready, scaleChecked, state.scale),
      bestValue: np.where(ready, best, state.bestValue),
      plateauCount: np.where(ready, plateauChecked, state.plateauCount),
      cooldownCount: np.where(ready, cooldownChecked, state.cooldownCount),
      count: np.where(ready, i32(0), count),
      avgValue: np.where(ready, f32(0), avg),
    },
    true,
  );
}

function scaleLeaf(u: unknown, scale: Array): unknown {
  if (u instanceof Array) {
    const scaled = u.mul(scale);
    return u.dtype === "float32" || u.dtype === "float64" ? scaled.astype(u.dtype) : scaled;
  }
  if (typeof u === "number") return scale.mul(u);
  return u;
}

function checkState(state: OptState): void {
  const s = state as Partial<Record<keyof ReduceOnPlateauState, unknown>> | null;
  const keys: (keyof ReduceOnPlateauState)[] = [
    "scale",
    "bestValue",
    "plateauCount",
    "cooldownCount",
    "count",
    "avgValue",
  ];
  if (s === null || typeof s !== "object" || keys.some((k) => !(s[k] instanceof Array)))
    throw new TypeError(`reduceOnPlateau: state must come from reduceOnPlateau(...).init (fields ${keys.join(", ")})`);
}
