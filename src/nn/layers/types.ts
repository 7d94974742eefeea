/**
 * The layer protocol: pure `init`/`apply` pairs over plain pytrees.
 *
 * - `init(key, inputShape)` returns `{ params, state, outputShape }`. `params` is a plain pytree of
 *   arrays, so `grad`, `vmap`, `jit` and the optimizers see it directly; `state` holds non-trained
 *   values (batch-norm running statistics) and is `null` for stateless layers; `outputShape` is
 *   the shape `apply` returns for an input of `inputShape` (handy for chaining). `inputShape` may
 *   include leading batch axes or not: layers only read its last (feature) axis.
 * - `apply(params, x, { train, key, state })` runs the layer. Stateless layers return the output
 *   array. Stateful layers ({@link StatefulLayer}, e.g. `batchNorm`) return `[y, newState]` when
 *   `train: true` and just `y` otherwise.
 * - `call(params, x, opts)` is the uniform form used by combinators such as `sequential`: it
 *   always returns `[y, newState]` (the state is passed through unchanged when not training or
 *   for stateless layers).
 *
 * Randomness is explicit: layers that need it in training (dropout) take a PRNG `key` in the apply
 * options, and combinators split it between their children.
 */
import type { Array } from "../../core/array.js";
import * as random from "../../random/index.js";
import type { Key } from "../../random/index.js";
import { checkOptions } from "../../core/options.js";
import { optionKeys } from "../../core/validate.js";

export type { Key } from "../../random/index.js";

/** Options of `apply`/`call`. */
export interface ApplyOptions<S = unknown> {
  /** Training mode (default false): dropout drops, batch norm uses and updates batch statistics. */
  train?: boolean;
  /** PRNG key for layers that are random in training (dropout). */
  key?: Key;
  /** The layer's state (from `init`, or the previous training step). */
  state?: S;
}

const APPLY_OPTIONS = optionKeys<ApplyOptions>()("train", "key", "state");

/** Throws for an unknown name in `apply`/`call` options (`train`, `key`, `state`). @internal */
export function checkApplyOptions(name: string, opts: unknown): void {
  checkOptions(`${name}.apply`, opts, APPLY_OPTIONS);
}

/** What `init` returns. */
export interface InitResult<P, S> {
  params: P;
  state: S;
  outputShape: number[];
}

/** What every layer has. */
export interface LayerBase<P, S> {
  /** A short description, e.g. `dense(10)`. */
  readonly name: string;
  /** Whether the layer carries state (running statistics) that `apply` updates in training. */
  readonly stateful: boolean;
  /** Builds the parameters (and state) for inputs of `inputShape`. */
  init(key: Key, inputShape: readonly number[]): InitResult<P, S>;
  /** Uniform form: always `[y, newState]`. */
  call(params: P, x: Array, opts?: ApplyOptions<S>): [Array, S];
}

/** A layer without state: `apply` returns the output. */
export interface StatelessLayer<P = unknown> extends LayerBase<P, null> {
  readonly stateful: false;
  apply(params: P, x: Array, opts?: ApplyOptions<null>): Array;
}

/** A layer with state: `apply` returns `[y, newState]` in training and `y` in evaluation. */
export interface StatefulLayer<P = unknown, S = unknown> extends LayerBase<P, S> {
  readonly stateful: true;
  apply(params: P, x: Array, opts: ApplyOptions<S> & { train: true }): [Array, S];
  apply(params: P, x: Array, opts: ApplyOptions<S> & { train?: false }): Array;
  apply(params: P, x: Array, opts: ApplyOptions<S>): Array | [Array, S];
}

/** Any layer. */
export type Layer<P = unknown, S = unknown> = StatelessLayer<P> | StatefulLayer<P, S>;

/** The parameters type of a layer. */
// biome-ignore lint/suspicious/noExplicitAny: a pattern that matches a layer of any parameters or state (any is bivariant here; unknown would not match)
export type ParamsOf<L> = L extends LayerBase<infer P, any> ? P : never;
/** The state type of a layer. */
// biome-ignore lint/suspicious/noExplicitAny: a pattern that matches a layer of any parameters or state (any is bivariant here; unknown would not match)
export type StateOf<L> = L extends LayerBase<any, infer S> ? S : never;

/** Splits a key into `n` keys (a JS list of `uint32[2]` keys). @internal */
export function splitKeys(key: Key, n: number): Key[] {
  if (n === 0) return [];
  const stacked = random.split(key, n);
  return globalThis.Array.from({ length: n }, (_, i) => stacked.get(i));
}

/**
 * Builds a stateless layer from an `init` (returning `{ params, outputShape }`) and an `apply`;
 * the way to write custom layers that compose with `sequential`.
 * @example
 * const scale = nn.statelessLayer("scale", (_key, shape) => ({ params: { s: np.ones([1]) }, outputShape: [...shape] }),
 *   (p: { s: np.Array }, x) => x.mul(p.s));
 */
export function statelessLayer<P>(
  name: string,
  init: (key: Key, inputShape: readonly number[]) => { params: P; outputShape: number[] },
  apply: (params: P, x: Array, opts: ApplyOptions<null>) => Array,
): StatelessLayer<P> {
  return Object.freeze({
    name,
    stateful: false as const,
    init: (key: Key, inputShape: readonly number[]) => {
      checkInputShape(name, inputShape);
      const r = init(key, inputShape);
      return { params: r.params, state: null, outputShape: r.outputShape };
    },
    apply: (params: P, x: Array, opts: ApplyOptions<null> = {}) => {
      checkApplyOptions(name, opts);
      return apply(params, x, opts);
    },
    call: (params: P, x: Array, opts: ApplyOptions<null> = {}): [Array, null] => {
      checkApplyOptions(name, opts);
      return [apply(params, x, opts), null];
    },
  });
}

/** Throws a clear error for a malformed `inputShape`. @internal */
export function checkInputShape(name: string, inputShape: readonly number[]): void {
  if (!globalThis.Array.isArray(inputShape) || !inputShape.every((n) => Number.isInteger(n) && n >= 0))
    throw new Error(
      `${name}.init: inputShape must be a list of non-negative integers, got ${JSON.stringify(inputShape)}`,
    );
}

/** Throws unless `x` is an array with at least one axis whose last axis has `features` entries. @internal */
export function checkFeatures(name: string, x: Array, features: number): void {
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== features)
    throw new Error(
      `${name}: expected inputs with ${features} features on the last axis, got shape [${x.shape.join(", ")}]`,
    );
}
