/**
 * Combinators: gradient transformations built from other ones — `chain`, `masked`,
 * `multiTransform`, `injectHyperparams`, `applyIfFinite` and `multiSteps`. Every decision that
 * depends on array values (a NaN in the gradients, the k-th micro-batch) is made with `np.where`,
 * so each combinator stays traceable under `jit`.
 */
import { Array } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import {
  castLike,
  checkHyperparam,
  checkSameStructure,
  checkState,
  freezeState,
  OptimStructureError,
  resolveSchedule,
  safeIncrement,
  setOwn,
  weakScalar,
  zeroCount,
  zerosLikeTree,
  type Range,
} from "./base.js";
import type { GradientTransformation, OptState, ScalarOrSchedule, Schedule, Updates } from "./types.js";

/** Deep-freezes a combinator's output pair. */
const frozenPair = <U, S>(u: U, s: S): [U, S] => [freezeState(u), freezeState(s)];

/** `params` for an inner transformation: `null` (as some callers pass) means none. */
const given = (params: unknown): boolean => params !== undefined && params !== null;

// ---------------------------------------------------------------------------------------------
// chain

/**
 * Applies transformations one after the other: the updates of each are the input of the next.
 * The state is the list of the inner states.
 * @example
 * const opt = chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3));
 */
export function chain(...transforms: GradientTransformation[]): GradientTransformation<readonly OptState[]> {
  transforms.forEach((t, i) => {
    if (t === null || typeof t !== "object" || typeof t.init !== "function" || typeof t.update !== "function")
      throw new TypeError(`chain: argument ${i} is not a gradient transformation (an object with init and update)`);
  });
  return {
    init: (params) => freezeState(transforms.map((t) => t.init(params))),
    update: (updates, state, params, extra) => {
      if (!globalThis.Array.isArray(state) || state.length !== transforms.length)
        throw new OptimStructureError(
          `chain: the state must be a list of ${transforms.length} inner states (from this chain's init), got ${
            globalThis.Array.isArray(state) ? `a list of ${state.length}` : typeof state
          }`,
        );
      let u = updates;
      const next: OptState[] = [];
      transforms.forEach((t, i) => {
        const [nu, ns] = t.update(u, state[i], params, extra);
        u = nu;
        next.push(ns);
      });
      // The links froze their own outputs; the updates may be the caller's (identity), left as they are.
      return [u, freezeState(next)];
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Masks and labels

/**
 * Which leaves a transformation applies to: a pytree of booleans with the params' structure (or a
 * prefix of it: `{ w: true, b: false }` covers whole subtrees, `true` covers everything), or a
 * function from the params (in `update`: from the updates, which share their structure) to one.
 */
export type MaskSpec = unknown;
/** Labels of the leaves for `multiTransform`: a pytree (or prefix) of strings, or a function of the params. */
export type LabelSpec = unknown;

/** Expands a prefix pytree of `kind` leaves (checked by `accept`) to one value per leaf of `t`. */
function expandPrefix<T>(op: string, what: string, spec: unknown, t: unknown, accept: (v: unknown) => v is T, expected: string): T[] {
  const resolved = typeof spec === "function" ? (spec as (p: unknown) => unknown)(t) : spec;
  const [specLeaves, specDef] = tree.flatten(resolved);
  let subtrees: unknown[];
  try {
    subtrees = tree.flattenUpTo(specDef, t);
  } catch {
    throw new OptimStructureError(
      `${op}: the ${what} has structure ${specDef.toString()}, which is not the structure (or a prefix of it) of the params/updates ${tree.structure(t).toString()}`,
    );
  }
  const out: T[] = [];
  specLeaves.forEach((v, i) => {
    if (!accept(v)) {
      const path = tree.flattenWithPath(resolved)[0][i]![0] || "<root>";
      throw new TypeError(`${op}: every leaf of the ${what} must be ${expected}; at ${path} got ${v instanceof Array ? "a graft array" : typeof v}`);
    }
    const n = tree.leaves(subtrees[i]).length;
    for (let k = 0; k < n; k++) out.push(v);
  });
  return out;
}

const isBool = (v: unknown): v is boolean => typeof v === "boolean";
const isString = (v: unknown): v is string => typeof v === "string";

/** `t` with the leaves where `keep` is false replaced by `null` (a pytree node without leaves). */
function view(t: unknown, keep: readonly boolean[]): unknown {
  const [leaves, def] = tree.flatten(t);
  return tree.unflatten(
    def,
    leaves.map((l, i) => (keep[i] ? l : null)),
  );
}

/** Writes the leaves of `sub` (a `view` of `t`) back into `t`'s positions where `keep` is true. */
function merge(op: string, base: unknown[], sub: unknown, keep: readonly boolean[]): void {
  const subLeaves = tree.leaves(sub);
  const expected = keep.filter(Boolean).length;
  if (subLeaves.length !== expected)
    throw new OptimStructureError(`${op}: the inner transformation returned ${subLeaves.length} updates for ${expected} selected leaves`);
  let k = 0;
  keep.forEach((m, i) => {
    if (m) base[i] = subLeaves[k++];
  });
}

/** The state of `masked`. */
export interface MaskedState<S = OptState> {
  readonly innerState: S;
}

/**
 * Applies `inner` only to the leaves selected by `mask`; the other leaves' updates pass through
 * unchanged (and `inner` keeps no state for them: it sees those leaves as `null`).
 * @example
 * // Weight decay on matrices only (not on biases):
 * const decay = masked(addDecayedWeights(1e-4), (p) => tree.map((x: np.Array) => x.ndim > 1, p));
 * // Or with an explicit mask: masked(sgd(0.1), { w: true, b: false })
 */
export function masked<S>(inner: GradientTransformation<S>, mask: MaskSpec): GradientTransformation<MaskedState<S>> {
  const keepOf = (t: unknown) => expandPrefix("masked", "mask", mask, t, isBool, "a boolean");
  return {
    init: (params) => freezeState({ innerState: inner.init(view(params, keepOf(params))) }),
    update: (updates, state, params, extra) => {
      checkState("masked", state, ["innerState"]);
      if (given(params)) checkSameStructure("masked", "the updates", updates, "the params", params);
      const keep = keepOf(updates);
      const [leaves, def] = tree.flatten(updates);
      const [innerU, innerS] = inner.update(view(updates, keep), state.innerState, given(params) ? view(params, keep) : undefined, extra);
      merge("masked", leaves, innerU, keep);
      return frozenPair(tree.unflatten(def, leaves) as typeof updates, { innerState: innerS });
    },
  };
}

/** The state of `multiTransform`: one inner state per label. */
export interface MultiTransformState {
  readonly innerStates: Readonly<Record<string, OptState>>;
}

/**
 * Different transformations for different parts of the params: `labels` gives each leaf a label
 * (a pytree of strings shaped like the params or a prefix of it, or a function of the params), and
 * `transforms[label]` updates the leaves with that label.
 * @example
 * const opt = multiTransform({ fast: adam(1e-2), slow: sgd(1e-3) }, { encoder: "slow", head: "fast" });
 */
export function multiTransform(
  transforms: Readonly<Record<string, GradientTransformation>>,
  labels: LabelSpec,
): GradientTransformation<MultiTransformState> {
  const names = Object.keys(transforms).sort();
  if (names.length === 0) throw new TypeError("multiTransform: transforms must have at least one label");
  const labelsOf = (t: unknown): string[] => {
    const ls = expandPrefix("multiTransform", "labels", labels, t, isString, "a string label");
    const unknown = [...new Set(ls.filter((l) => !Object.prototype.hasOwnProperty.call(transforms, l)))];
    if (unknown.length > 0)
      throw new TypeError(`multiTransform: label(s) ${unknown.map((l) => JSON.stringify(l)).join(", ")} have no transformation (known: ${names.join(", ")})`);
    return ls;
  };
  return {
    init: (params) => {
      const ls = labelsOf(params);
      const innerStates: Record<string, OptState> = {};
      for (const name of names) setOwn(innerStates, name, transforms[name]!.init(view(params, ls.map((l) => l === name))));
      return freezeState({ innerStates });
    },
    update: (updates, state, params, extra) => {
      checkState("multiTransform", state, ["innerStates"]);
      if (state.innerStates === null || typeof state.innerStates !== "object")
        throw new OptimStructureError("multiTransform: the state's innerStates must be an object of inner states, one per label");
      if (given(params)) checkSameStructure("multiTransform", "the updates", updates, "the params", params);
      const ls = labelsOf(updates);
      const [leaves, def] = tree.flatten(updates);
      const innerStates: Record<string, OptState> = {};
      for (const name of names) {
        if (!Object.prototype.hasOwnProperty.call(state.innerStates, name))
          throw new OptimStructureError(`multiTransform: the state has no inner state for label "${name}"`);
        const keep = ls.map((l) => l === name);
        const [u, s] = transforms[name]!.update(view(updates, keep), state.innerStates[name], given(params) ? view(params, keep) : undefined, extra);
        merge(`multiTransform (label "${name}")`, leaves, u, keep);
        setOwn(innerStates, name, s);
      }
      return frozenPair(tree.unflatten(def, leaves) as typeof updates, { innerStates });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// injectHyperparams

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
  checkHyperparam(op, name, v, Object.prototype.hasOwnProperty.call(HYPERPARAM_RANGES, name) ? HYPERPARAM_RANGES[name] : {});
}

const toHyperArray = (name: string, v: unknown): Array => {
  if (typeof v === "number") return weakScalar(v);
  if (v instanceof Array) {
    if (v.ndim !== 0) throw new TypeError(`injectHyperparams: hyperparameter ${name} must be a scalar, got shape [${v.shape.join(", ")}]`);
    return isFloat(v.dtype) ? v : v.astype("float32");
  }
  throw new TypeError(`injectHyperparams: hyperparameter ${name} must be a number or a scalar array, got ${v === null ? "null" : typeof v}`);
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
    if (hyperparams === null || typeof hyperparams !== "object") throw new TypeError("injectHyperparams: hyperparams must be an object of numbers or schedules");
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
          throw new OptimStructureError("injectHyperparams: the state's hyperparams must be an object of scalar arrays");
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
export function setHyperparams<S extends InjectHyperparamsState>(state: S, values: Readonly<Record<string, number | Array>>): S {
  checkState("setHyperparams", state, ["count", "hyperparams", "innerState"], ["count"], "an injectHyperparams optimizer's init");
  if (values === null || typeof values !== "object") throw new TypeError("setHyperparams: values must be an object of numbers or scalar arrays");
  const known = Object.keys(state.hyperparams);
  const next: Record<string, Array> = { ...state.hyperparams };
  for (const [k, v] of Object.entries(values)) {
    if (!known.includes(k)) throw new TypeError(`setHyperparams: unknown hyperparameter ${JSON.stringify(k)} (known: ${known.join(", ")})`);
    checkInjected("setHyperparams", k, v);
    setOwn(next, k, toHyperArray(k, v));
  }
  return freezeState({ ...state, hyperparams: next });
}

// ---------------------------------------------------------------------------------------------
// applyIfFinite

/** Selects, leaf by leaf, `a` where `cond` holds and `b` elsewhere (trees of the same structure). */
function selectTree(op: string, cond: Array, a: unknown, b: unknown): unknown {
  checkSameStructure(op, "the new inner state", a, "the old inner state", b);
  return tree.map((x: unknown, y: unknown) => {
    const yb = y as Array;
    return castLike(np.where(cond, x as Array, yb), yb);
  }, a, b);
}

/** The state of `applyIfFinite`. */
export interface ApplyIfFiniteState<S = OptState> {
  /** Consecutive steps with a non-finite gradient so far (int32). */
  readonly notfiniteCount: Array;
  /** Whether the last gradient was finite (bool). */
  readonly lastFinite: Array;
  /** All steps with a non-finite gradient so far (int32). */
  readonly totalNotfinite: Array;
  readonly innerState: S;
}

/**
 * Skips steps whose gradients contain a NaN or ±Inf: the updates are zero and the inner state is
 * kept. After more than `maxConsecutiveErrors` non-finite steps in a row the update is applied
 * anyway (so a persistent problem shows up instead of silently stalling), as in Optax. The check
 * is `np.all(np.isfinite(g))` over every leaf, selected with `np.where`: no host reads.
 * @example
 * const opt = applyIfFinite(adam(1e-3), 5);
 */
export function applyIfFinite<S>(inner: GradientTransformation<S>, maxConsecutiveErrors: number): GradientTransformation<ApplyIfFiniteState<S>> {
  checkHyperparam("applyIfFinite", "maxConsecutiveErrors", maxConsecutiveErrors, { min: 0, integer: true });
  return {
    init: (params) =>
      freezeState({
        notfiniteCount: zeroCount(),
        lastFinite: np.array(true),
        totalNotfinite: zeroCount(),
        innerState: inner.init(params),
      }),
    update: (updates, state, params, extra) => {
      checkState("applyIfFinite", state, ["notfiniteCount", "lastFinite", "totalNotfinite", "innerState"], ["notfiniteCount", "lastFinite", "totalNotfinite"]);
      let finite: Array = np.array(true);
      for (const leaf of tree.leaves(updates)) {
        if (!(leaf instanceof Array)) throw new TypeError("applyIfFinite: the updates must be a pytree of graft arrays");
        finite = np.logicalAnd(finite, np.all(np.isfinite(leaf)));
      }
      const notfiniteCount = np.where(finite, 0, safeIncrement(state.notfiniteCount));
      const accept = np.logicalOr(finite, notfiniteCount.greater(maxConsecutiveErrors));
      const [innerU, innerS] = inner.update(updates, state.innerState, params, extra);
      const out = tree.map((u: unknown) => {
        const ua = u as Array;
        return np.where(accept, ua, np.zerosLike(ua));
      }, innerU);
      return frozenPair(out, {
        notfiniteCount,
        lastFinite: finite,
        totalNotfinite: np.where(finite, state.totalNotfinite, safeIncrement(state.totalNotfinite)),
        innerState: selectTree("applyIfFinite", accept, innerS, state.innerState) as S,
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// multiSteps

/** The state of `multiSteps`. */
export interface MultiStepsState<S = OptState> {
  /** Micro-batches accumulated since the last emitted update, 0..k-1 (int32). */
  readonly miniStep: Array;
  /** Updates emitted so far (int32). */
  readonly gradientStep: Array;
  readonly innerState: S;
  /** The running mean of the gradients of the current group of micro-batches. */
  readonly accGrads: Updates;
}

/**
 * Gradient accumulation: feed the gradients of `everyK` micro-batches one at a time; the first
 * k−1 calls return zero updates (and keep `inner`'s state), the k-th applies `inner` to the mean
 * of the k gradients. Traceable: the choice is an `np.where` on the int32 micro-step.
 * @example
 * const opt = multiSteps(adam(1e-3), 4); // an Adam step every 4 micro-batches
 */
export function multiSteps<S>(inner: GradientTransformation<S>, everyK: number): GradientTransformation<MultiStepsState<S>> {
  checkHyperparam("multiSteps", "everyK", everyK, { min: 1, integer: true });
  return {
    init: (params) =>
      freezeState({
        miniStep: zeroCount(),
        gradientStep: zeroCount(),
        innerState: inner.init(params),
        accGrads: zerosLikeTree(params, "multiSteps"),
      }),
    update: (updates, state, params, extra) => {
      checkState("multiSteps", state, ["miniStep", "gradientStep", "innerState", "accGrads"], ["miniStep", "gradientStep"]);
      checkSameStructure("multiSteps", "the updates", updates, "the accumulated gradients (from init's params)", state.accGrads);
      const emit = state.miniStep.equal(everyK - 1);
      // Running mean: acc ← acc + (g − acc)/(n + 1).
      const n1 = state.miniStep.add(1);
      const acc = tree.map((a: unknown, g: unknown) => {
        const aa = a as Array;
        return castLike(aa.add((g as Array).sub(aa).div(n1.astype(aa.dtype))), aa);
      }, state.accGrads, updates);
      const [innerU, innerS] = inner.update(acc, state.innerState, params, extra);
      // The accumulated gradients (and so the inner updates) have the structure of `updates` (checked above).
      const out = tree.map((u: unknown, g: unknown) => {
        const ua = u as Array;
        return castLike(np.where(emit, ua, np.zerosLike(ua)), g as Array);
      }, innerU, updates) as typeof updates;
      return frozenPair(out, {
        miniStep: np.where(emit, 0, n1),
        gradientStep: np.where(emit, safeIncrement(state.gradientStep), state.gradientStep),
        innerState: selectTree("multiSteps", emit, innerS, state.innerState) as S,
        accGrads: tree.map((a: unknown) => {
          const aa = a as Array;
          return np.where(emit, np.zerosLike(aa), aa);
        }, acc),
      });
    },
  };
}

/** Whether the last `multiSteps` update emitted a real update (a bool array; traceable). */
export function multiStepsHasUpdated(state: MultiStepsState): Array {
  return np.logicalAnd(state.miniStep.equal(0), state.gradientStep.greater(0));
}

