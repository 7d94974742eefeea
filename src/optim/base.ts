/**
 * The core of `graft-ad/optim`: applying updates, the helpers every gradient transformation shares
 * (frozen states, int32 step counts, elementwise hyperparameter arithmetic, structure checks with
 * clear errors, the combinators' state selection) and the trivial transformations (`identity`,
 * `setToZero`, `stateless`, `named`). Hyperparameter validation lives in hyperparam-checks.ts.
 *
 * Conventions (as in Optax): a gradient transformation maps gradients to *updates* that are
 * **added** to the parameters (`applyUpdates`), so the final link of an optimizer's chain is
 * `scaleByLearningRate(lr)`, which multiplies by `-lr`. States are frozen pytrees of arrays (never
 * JS numbers, so `jit(update)` sees the same signature every step); `update` uses only `np` ops
 * (no `.item()`/`dataSync()`), so it can be traced by `jit`, `grad` and `vmap`.
 */
import { freeze } from "immer";
import { Array, describeValue } from "../core/array.js";
import { scalar } from "../core/ops.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import type { GradientTransformation, Params, ScalarOrSchedule, Schedule, Updates } from "./types.js";

/** A hyperparameter: a JS number, or a (scalar) array — e.g. one injected by `injectHyperparams`. */
export type Hyperparam = number | Array;
/** A learning rate: a number, a schedule of the int32 step count, or a (scalar) array. */
export type LearningRate = ScalarOrSchedule | Array;

/** The state of a transformation that keeps none. */
export type EmptyState = Readonly<Record<string, never>>;

/** Deep-freezes a state (or updates) pytree with immer; arrays are immutable already. */
export function freezeState<T>(state: T): T {
  return freeze(state, true);
}

/** An error about mismatched pytree structures (re-labelled by the named optimizers). */
export class OptimStructureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OptimStructureError";
  }
}

const shapeString = (x: unknown): string =>
  x instanceof Array ? `${x.dtype}[${x.shape.join(", ")}]` : typeof x === "number" ? "number" : String(x);

/** The pytree path of leaf `i` of `t` (`"<root>"` for a bare leaf), for error messages. */
export function leafPath(t: unknown, i: number): string {
  return tree.flattenWithPath(t)[0][i]?.[0] || "<root>";
}

/**
 * Throws an `OptimStructureError` unless `a` and `b` have the same pytree structure and their
 * array leaves the same shapes. `aName`/`bName` say what each tree is ("the updates", "params").
 */
export function checkSameStructure(op: string, aName: string, a: unknown, bName: string, b: unknown): void {
  const [la, da] = tree.flatten(a);
  const [lb, db] = tree.flatten(b);
  if (!da.equals(db))
    throw new OptimStructureError(
      `${op}: structure mismatch between ${aName} ${da.toString()} and ${bName} ${db.toString()}; ` +
        `the gradients passed to update must have the structure of the params passed to init`,
    );
  for (let i = 0; i < la.length; i++) {
    const x = la[i];
    const y = lb[i];
    if (x instanceof Array && y instanceof Array && (x.ndim !== y.ndim || x.shape.some((d, j) => d !== y.shape[j]))) {
      throw new OptimStructureError(
        `${op}: leaf ${leafPath(a, i)} of ${aName} has shape ${shapeString(x)} but the same leaf of ${bName} has shape ${shapeString(y)}`,
      );
    }
  }
}

/**
 * `tree.map` over array leaves, after checking that every extra tree matches the first one. The
 * result has the first tree's structure, so it is typed like it.
 */
export function mapTrees<T>(op: string, f: (...leaves: Array[]) => Array, first: T, ...rest: unknown[]): T {
  for (let i = 0; i < rest.length; i++)
    checkSameStructure(op, "the updates", first, "the optimizer state (built by init from the params)", rest[i]);
  return tree.map(
    (x: unknown, ...ys: unknown[]) => f(leafArray(op, x), ...ys.map((y) => leafArray(op, y))),
    first,
    ...rest,
  ) as T;
}

/**
 * Like `mapTrees`, but `f` returns several leaves; the result is one tree per output, each with the
 * first tree's structure (the first output is typed like the first tree: it is the updates).
 */
export function mapTreesN<T>(
  op: string,
  n: number,
  f: (...leaves: Array[]) => Array[],
  first: T,
  ...rest: unknown[]
): [T, ...unknown[]] {
  for (let i = 0; i < rest.length; i++)
    checkSameStructure(op, "the updates", first, "the optimizer state (built by init from the params)", rest[i]);
  const [leaves, def] = tree.flatten(first);
  const others = rest.map((r) => tree.leaves(r));
  const outs = leaves.map((x, i) => {
    const out = f(leafArray(op, x), ...others.map((o) => leafArray(op, o[i])));
    if (out.length !== n) throw new Error(`${op}: expected ${n} outputs per leaf, got ${out.length}`);
    return out;
  });
  // Output k of every leaf, as a tree of the first tree's structure (each `out` has n entries).
  return Array_from(n, (k) =>
    tree.unflatten(
      def,
      outs.map((o) => o[k]),
    ),
  ) as [T, ...unknown[]];
}

/** What a state passed to `update` looks like, for error messages. */
function describeState(state: unknown, arrayFields: readonly string[]): string {
  if (state === undefined || state === null) return String(state);
  if (state instanceof Array) return `an array ${shapeString(state)}`;
  if (globalThis.Array.isArray(state)) return `a list of ${state.length} states`;
  if (typeof state !== "object") return `a ${typeof state}`;
  const keys = Object.keys(state);
  if (keys.length === 0) return "an empty state {}";
  const rec = state as Record<string, unknown>;
  const field = (k: string) => {
    const v = rec[k];
    return arrayFields.includes(k) && !(v instanceof Array)
      ? `${k} (${v === null ? "null" : typeof v}, not a graft array)`
      : k;
  };
  return `fields ${keys.map(field).join(", ")}`;
}

/**
 * Checks that `state` has exactly the fields that `init` gives it (an empty object for `fields =
 * []`), and that `arrayFields` (step counts, flags) are graft arrays; otherwise throws an
 * `OptimStructureError`, e.g. `scaleByAdam: the state does not come from this optimizer's init
 * (expected fields count, mu, nu; got an empty state {})`. Called at the start of every `update`,
 * so a state of another optimizer is reported instead of failing deep inside.
 */
export function checkState(
  op: string,
  state: unknown,
  fields: readonly string[],
  arrayFields: readonly string[] = [],
  from = "this optimizer's init",
): void {
  const ok =
    state !== null &&
    typeof state === "object" &&
    !(state instanceof Array) &&
    !globalThis.Array.isArray(state) &&
    Object.keys(state).length === fields.length &&
    fields.every((f) => Object.hasOwn(state, f)) &&
    arrayFields.every((f) => (state as Record<string, unknown>)[f] instanceof Array);
  if (!ok)
    throw new OptimStructureError(
      `${op}: the state does not come from ${from} (expected ${
        fields.length === 0 ? "an empty state {}" : `fields ${fields.join(", ")}`
      }; got ${describeState(state, arrayFields)})`,
    );
}

const Array_from = <T>(n: number, f: (k: number) => T): T[] => globalThis.Array.from({ length: n }, (_, k) => f(k));

function leafArray(op: string, x: unknown): Array {
  if (x instanceof Array) return x;
  if (typeof x === "number") return np.asArray(x, op);
  throw new TypeError(`${op}: expected a pytree of graft arrays, found a leaf that is ${describeValue(x)}`);
}

/** Casts `x` to `ref`'s dtype (a no-op when they already agree): updates and states keep the params' dtypes. */
export function castLike(x: Array, ref: Array): Array {
  return x.dtype === ref.dtype ? x : x.astype(ref.dtype);
}

/** Zeros with each leaf's shape and dtype. */
export function zerosLikeTree(params: Params, op = "init"): unknown {
  return tree.map((p: unknown) => np.zerosLike(leafArray(op, p)), params);
}

/** A tree of `value` with each leaf's shape and dtype (`value` may be an array hyperparameter). */
export function fullLikeTree(params: Params, value: Hyperparam, op = "init"): unknown {
  return tree.map((p: unknown) => {
    const a = leafArray(op, p);
    return typeof value === "number" ? np.fullLike(a, value) : castLike(np.zerosLike(a).add(value), a);
  }, params);
}

/** A fresh int32 step count (0). */
export function zeroCount(): Array {
  return np.zeros([], { dtype: "int32" });
}

const INT32_MAX = 2147483647;
/** `count + 1`, saturating at the largest int32 instead of wrapping (traceable). */
export function safeIncrement(count: Array): Array {
  return np.where(count.less(INT32_MAX), count.add(1), count);
}

/** `1 - decay^t` in `ref`'s dtype, for bias correction (`t` an int32 step count ≥ 1). */
export function biasCorrection(decay: Hyperparam, t: Array, ref: Array): Array {
  return castLike(np.subtract(1, np.power(decay, t.astype(ref.dtype))), ref);
}

/** A weakly typed float32 scalar: like a JS number, it takes the dtype of the arrays it meets. */
export function weakScalar(v: number): Array {
  return scalar(v, "float32", true);
}

/** `1 - b` for a hyperparameter (a JS number stays a number). */
export const oneMinus = (b: Hyperparam): Hyperparam => (typeof b === "number" ? 1 - b : np.subtract(1, b));
/** `-v` for a hyperparameter (a JS number stays a number). */
export const neg = (v: Hyperparam): Hyperparam => (typeof v === "number" ? -v : v.neg());
/** β·m + (1-β)·x: an exponential moving average step, in `m`'s dtype. */
export const ema = (m: Array, x: Array, b: Hyperparam): Array => castLike(m.mul(b).add(x.mul(oneMinus(b))), m);

/** The value of a learning rate at step `count` (a schedule is called; numbers and arrays pass through). */
export function resolveSchedule(v: LearningRate, count: Array | number): Hyperparam {
  if (typeof v === "function") {
    const out = (v as Schedule)(count);
    if (out instanceof Array || typeof out === "number") return out;
    throw new TypeError(
      `schedule: a schedule must return a number or a graft array, got ${out === null ? "null" : typeof out}`,
    );
  }
  return v;
}

/**
 * The global L2 norm of all leaves: sqrt(Σ_leaves Σ x²).
 * @example globalNorm({ a: np.array([3]), b: np.array([[4]]) }).item() // 5
 */
export function globalNorm(updates: Updates): Array {
  const [first, ...rest] = tree.leaves(updates).map((l) => leafArray("globalNorm", l));
  if (first === undefined) return np.array(0);
  let s: Array = first.square().sum();
  for (const l of rest) s = s.add(l.square().sum());
  return s.sqrt();
}

/**
 * `params + updates`, leaf by leaf, keeping each parameter's dtype (as Optax's `apply_updates`).
 * @example
 * const p = applyUpdates({ w: np.array([1, 2]) }, { w: np.array([0.5, -1]) }); // { w: [1.5, 1] }
 */
export function applyUpdates<P>(params: P, updates: Updates): P {
  checkSameStructure("applyUpdates", "params", params, "updates", updates);
  return freezeState(
    tree.map(
      (p: unknown, u: unknown) => {
        const pa = leafArray("applyUpdates", p);
        return castLike(pa.add(leafArray("applyUpdates", u)), pa);
      },
      params,
      updates,
    ) as P,
  );
}

/**
 * The transformation that changes nothing and keeps no state.
 * @example
 * const [u] = identity().update(grads, identity().init(params)); // u === grads
 */
export function identity(): GradientTransformation<EmptyState> {
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("identity", state, []);
      return [updates, state];
    },
  };
}

/**
 * Replaces every update by zeros (freezes parameters; useful inside `multiTransform`).
 * @example
 * multiTransform({ train: adam(1e-3), frozen: setToZero() }, { w: "train", emb: "frozen" });
 */
export function setToZero(): GradientTransformation<EmptyState> {
  return {
    init: () => freezeState({}),
    update: (updates, state) => {
      checkState("setToZero", state, []);
      return [freezeState(tree.map((u: unknown) => np.zerosLike(leafArray("setToZero", u)), updates)), state];
    },
  };
}

/**
 * A transformation without state from a function of the updates (and params). `f` must return
 * updates with the structure of the ones it receives.
 * @example
 * const halve = stateless((u) => tree.map((x: np.Array) => x.mul(0.5), u));
 */
export function stateless(f: (updates: Updates, params?: Params) => Updates): GradientTransformation<EmptyState> {
  return {
    init: () => freezeState({}),
    update: (updates, state, params) => {
      checkState("stateless", state, []);
      return [freezeState(f(updates, params) as typeof updates), state];
    },
  };
}

/**
 * Names a transformation: `update` first checks that the updates have the params' structure (when
 * params are given), and structure errors from inside are re-labelled with the name, e.g.
 * `adam.update: structure mismatch between the updates (gradients) {a: *} and the params {a: *, b: *}`.
 * `extra` (e.g. `{ value: loss }`) is passed on to `t`.
 * @example
 * const opt = named("myAdam", adam(1e-3));
 * const p = { a: np.zeros([1]), b: np.zeros([1]) };
 * opt.update({ a: np.ones([1]) }, opt.init(p), p); // throws "myAdam.update: structure mismatch between …"
 */
export function named<S>(name: string, t: GradientTransformation<S>): GradientTransformation<S> {
  const relabel = (where: string, e: unknown): never => {
    if (e instanceof OptimStructureError) throw new OptimStructureError(`${name}.${where}: ${e.message}`);
    throw e;
  };
  return {
    init: (params) => {
      try {
        return t.init(params);
      } catch (e) {
        return relabel("init", e);
      }
    },
    update: (updates, state, params, extra) => {
      if (params !== undefined && params !== null)
        checkSameStructure(`${name}.update`, "the updates (gradients)", updates, "the params", params);
      try {
        return t.update(updates, state, params, extra);
      } catch (e) {
        return relabel("update", e);
      }
    },
  };
}

/** Deep-freezes a combinator's output pair. */
export const frozenPair = <U, S>(u: U, s: S): [U, S] => [freezeState(u), freezeState(s)];

/** `params` for an inner transformation: `null` (as some callers pass) means none. */
export const given = (params: unknown): boolean => params !== undefined && params !== null;

/** Selects, leaf by leaf, `a` where `cond` holds and `b` elsewhere (trees of the same structure). */
export function selectTree(op: string, cond: Array, a: unknown, b: unknown): unknown {
  checkSameStructure(op, "the new inner state", a, "the old inner state", b);
  return tree.map(
    (x: unknown, y: unknown) => {
      const yb = y as Array;
      return castLike(np.where(cond, x as Array, yb), yb);
    },
    a,
    b,
  );
}

/** Requires `params` in `update` (weight decay and similar need them). */
export function requireParams(op: string, params: Params | undefined): Params {
  if (params === undefined)
    throw new TypeError(`${op}: update needs the current params: call update(grads, state, params)`);
  return params;
}

/**
 * Sets an own, enumerable property (so a key such as `__proto__` is stored as data, never as the
 * prototype), for records keyed by user-chosen names (labels, hyperparameters).
 */
export function setOwn<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}
