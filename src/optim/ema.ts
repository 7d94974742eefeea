// Exponential moving average of the updates (Optax's `ema`), with optional bias correction.
import type { Array } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import * as np from "../numpy/index.js";
import {
  biasCorrection,
  castLike,
  checkState,
  freezeState,
  mapTreesN,
  oneMinus,
  safeIncrement,
  zeroCount,
  type Hyperparam,
} from "./base.js";
import { checkDecay } from "./hyperparam-checks.js";
import type { GradientTransformation, Updates } from "./types.js";
import { checkOptions } from "../core/options.js";
import { tree } from "../tree/index.js";

/** The state of `ema`: the int32 step count and the average, in the accumulator's dtype. */
export interface EmaState {
  readonly count: Array;
  readonly ema: Updates;
}

/** Options of `ema`. */
export interface EmaOptions {
  /** Divide by 1 − decayᵗ, so early averages are not pulled towards zero (default true). */
  debias?: boolean;
  /** The dtype the average is stored in (default: each leaf's own dtype). */
  accumulatorDtype?: "float32" | "float64";
}

/**
 * An exponential moving average of the updates (Optax's `ema(decay, debias)`):
 *
 *     e ← decay·e + (1 − decay)·g;   u = e / (1 − decayᵗ)   (u = e with debias: false)
 *
 * The average is computed in the updates' dtype and stored in `accumulatorDtype` when given.
 * @example
 * chain(ema(0.9), scaleByLearningRate(0.1)); // SGD on the (debiased) average gradient
 */
export function ema(decay: Hyperparam, opts: EmaOptions = {}): GradientTransformation<EmaState> {
  const op = "ema";
  checkOptions(op, opts, ["debias", "accumulatorDtype"]);
  checkDecay(op, "decay", decay);
  const { debias = true, accumulatorDtype } = opts;
  if (accumulatorDtype !== undefined && accumulatorDtype !== "float32" && accumulatorDtype !== "float64")
    throw new TypeError(`${op}: accumulatorDtype must be "float32" or "float64", got ${String(accumulatorDtype)}`);
  const store = (x: Array): Array => (accumulatorDtype === undefined ? x : x.astype(accumulatorDtype as DType));
  return {
    init: (params) =>
      freezeState({
        count: zeroCount(),
        ema: tree.map((p: unknown) => store(np.zerosLike(np.asArray(p as Array, op))), params),
      }),
    update: (updates, state) => {
      checkState(op, state, ["count", "ema"], ["count"]);
      const count = safeIncrement(state.count);
      const [u, e] = mapTreesN(
        op,
        2,
        (g, m) => {
          // decay·e in the accumulator's dtype, then added in the updates' (Optax's dtype promotion).
          const next = g.mul(oneMinus(decay)).add(castLike(m.mul(decay), g));
          const out = debias ? next.div(biasCorrection(decay, count, g)) : next;
          return [castLike(out, g), store(next)];
        },
        updates,
        state.ema,
      );
      return [freezeState(u), freezeState({ count, ema: e })];
    },
  };
}
