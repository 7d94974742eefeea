// `injectHyperparams` and `setHyperparams`: hyperparameters kept (and changeable) in the optimizer state.
import { Array } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import {
  checkState,
  freezeState,
  frozenPair,
  OptimStructureError,
  resolveSchedule,
  safeIncrement,
  setOwn,
  weakScalar,
  zeroCount,
} from "./base.js";
import { checkHyperparam, type Range } from "./hyperparam-checks.js";
import type { GradientTransformation, OptState, ScalarOrSchedule, Schedule } from "./types.js";

/** The state of `injectHyperparams`: the step count, the current hyperparameters (arrays) and the inner state. */
export interface InjectHyperparamsState<S = OptState> {
  readonly count: Array;
  readonly hyperparams: Readonly<Record<string, Array>>;
  readonly innerState: S;
}

/** A hyperparameter value for `injectHyperparams`: a number, a schedule of the step, or a scalar array. */
export type InjectableValue = ScalarOrSchedule | Array;

/**
 * The valid ranges of the hyperparameters known by name (those of the optimizers and building
 * blocks of this module). `injectHyperparams` and `setHyperparams` check a number given for one of
 * these names against its range; any other name must be a finite number.
 */
const HYPERPARAM_RANGES: Readonly<Record<string, Range>> = {
  learningRate: { min: 0 },
  lr: { min: 0 },
  initialStepSize: { min: 0 },
  // [0, 1) as in the Adam family (β = 1 would divide by 1 − βᵗ = 0 in the bias correction).
  b1: { min: 0, max: 1, maxExclusive: true },
  b2: { min: 0, max: 1, maxExclusive: true },
  decay: { min: 0, max: 1 },
  momentum: { min: 0, max: 1 },
  rho: { min: 0, max: 1 },
  eps: { min: 0 },
  epsRoot: { min: 0 },
  weightDecay: { min: 0 },
  initialScale: { min: 0 },
  initialAccumulatorValue: { min: 0 },
  maxNorm: { min: 0, minExclusive: true, infinity: true },
  maxDelta: { min: 0, infinity: true },
  etaMinus: { min: 0, max: 1, minExclusive: true },
  etaPlus: { min: 1 },
  minStepSize: { min: 0 },
  maxStepSize: { min: 0, infinity: true },
};

/**
 * Validates an injected hyperparameter's value: a number must be finite (and in its range when the
 * name is known: learning rates, weight decays and ε ≥ 0, decays and momenta in [0, 1], ...); an
 * array must be a scalar (its value is only known when `update` runs, as at construction).
 */
function checkInjected(op: string, name: string, v: unknown): void {
  checkHyperparam(op, name, v, Object.hasOwn(HYPERPARAM_RANGES, name) ? HYPERPARAM_RANGES[name] : {});
}

const toHyperArray = (name: string, v: unknown): Array => {
  if (typeof v === "number") return weakScalar(v);
  if (v instanceof Array) {
    if (v.ndim !== 0)
      throw new TypeError(
        `injectHyperparams: hyperparameter ${name} must be a scalar, got shape [${v.shape.join(", ")}]`,
      );
    return isFloat(v.dtype) ? v : v.astype("float32");
  }
  throw new TypeError(
    `injectHyperparams: hyperparameter ${name} must be a number or a scalar array, got ${v === null ? "null" : typeof v}`,
  );
};

/**
 * Makes hyperparameters part of the optimizer state, so they can be read and changed between steps
 * (by producing a new state, e.g. with `setHyperparams`) without rebuilding the optimizer, and
 * without re-tracing a `jit`-ed update. `factory` builds the transformation from the
 * hyperparameters, which it receives as scalar arrays; numbers are stored in
 * `state.hyperparams`, schedules are evaluated at the state's step count on every update (and the
 * value used is stored). The hyperparameters are validated at construction (by calling `factory`
 * with the initial values, then by name as `setHyperparams` checks them), so
 * `injectHyperparams(...)({ learningRate: -1 })` throws right away.
 * @example
 * const opt = injectHyperparams((h) => adam(h.learningRate, { b1: h.b1 }))({ learningRate: 1e-3, b1: 0.9 });
 * let state = opt.init(params);
 * state = setHyperparams(state, { learningRate: 1e-4 }); // lower the learning rate from now on
 */
export function injectHyperparams<K extends string>(
  factory: (hyperparams: { readonly [k in K]: Array }) => GradientTransformation,
): (hyperparams: { readonly [k in K]: InjectableValue }) => GradientTransformation<InjectHyperparamsState> {
  type Arrays = { readonly [k in K]: Array };
  return (hyperparams: { readonly [k in K]: InjectableValue }) => {
    if (hyperparams === null || typeof hyperparams !== "object")
      throw new TypeError("injectHyperparams: hyperparams must be an object of numbers or schedules");
    const values = hyperparams as Readonly<Record<string, InjectableValue>>;
    const names = Object.keys(values).sort();
    const isSchedule = (k: string) => typeof values[k] === "function";
    const at = (count: Array, stored?: Readonly<Record<string, unknown>>): Record<string, Array> => {
      const out: Record<string, Array> = {};
      for (const k of names) {
        if (isSchedule(k)) setOwn(out, k, toHyperArray(k, resolveSchedule(values[k] as Schedule, count)));
        else {
          const v = stored === undefined ? values[k] : stored[k];
          if (v === undefined) throw new OptimStructureError(`injectHyperparams: the state has no hyperparameter ${k}`);
          setOwn(out, k, toHyperArray(k, v));
        }
      }
      return out;
    };
    // Validate now: the factory sees the plain numbers (schedules evaluated at step 0); then the
    // known names are checked as setHyperparams will check them.
    const initial: Record<string, unknown> = {};
    for (const k of names) {
      const v = values[k];
      setOwn(initial, k, typeof v === "function" ? resolveSchedule(v as Schedule, 0) : v);
      if (typeof initial[k] !== "number" && !(initial[k] instanceof Array))
        checkHyperparam("injectHyperparams", k, initial[k]);
    }
    factory(initial as Arrays);
    for (const k of names) checkInjected("injectHyperparams", k, initial[k]);
    return {
      init: (params) => {
        const count = zeroCount();
        const hp = at(count);
        return freezeState({ count, hyperparams: hp, innerState: factory(hp as Arrays).init(params) });
      },
      update: (updates, state, params, extra) => {
        checkState("injectHyperparams", state, ["count", "hyperparams", "innerState"], ["count"]);
        if (state.hyperparams === null || typeof state.hyperparams !== "object")
          throw new OptimStructureError(
            "injectHyperparams: the state's hyperparams must be an object of scalar arrays",
          );
        const hp = at(state.count, state.hyperparams);
        const [u, innerState] = factory(hp as Arrays).update(updates, state.innerState, params, extra);
        return frozenPair(u, { count: safeIncrement(state.count), hyperparams: hp, innerState });
      },
    };
  };
}

/**
 * A new `injectHyperparams` state with some hyperparameters replaced (numbers or scalar arrays);
 * the old state is left as it was.
 *
 * The values are validated as at construction: a number must be finite, and in range for the
 * names the optimizers use (`learningRate`, `weightDecay`, `eps`, `epsRoot` ≥ 0; `decay`,
 * `momentum`, `rho` in [0, 1]; `b1`, `b2` in [0, 1); `maxNorm` > 0; ...), so `{ learningRate: NaN }` or
 * `{ learningRate: -5 }` throws a `RangeError`; an array must be a scalar (its value is not read).
 * A hyperparameter given to `injectHyperparams` as a schedule is recomputed from the schedule at
 * every update, so setting it here has no lasting effect.
 * @example
 * state = setHyperparams(state, { learningRate: 0.01 });
 */
export function setHyperparams<S extends InjectHyperparamsState>(
  state: S,
  values: Readonly<Record<string, number | Array>>,
): S {
  checkState(
    "setHyperparams",
    state,
    ["count", "hyperparams", "innerState"],
    ["count"],
    "an injectHyperparams optimizer's init",
  );
  if (values === null || typeof values !== "object")
    throw new TypeError("setHyperparams: values must be an object of numbers or scalar arrays");
  const known = Object.keys(state.hyperparams);
  const next: Record<string, Array> = { ...state.hyperparams };
  for (const [k, v] of Object.entries(values)) {
    if (!known.includes(k))
      throw new TypeError(`setHyperparams: unknown hyperparameter ${JSON.stringify(k)} (known: ${known.join(", ")})`);
    checkInjected("setHyperparams", k, v);
    setOwn(next, k, toHyperArray(k, v));
  }
  return freezeState({ ...state, hyperparams: next });
}
