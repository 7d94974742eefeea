/**
 * Pooling (Flax's `max_pool`/`avg_pool`, on lax.reduceWindow) as functions and as layers for
 * `sequential`, and `flatten`. Layers are needed there because a plain-function item is assumed
 * to keep its input shape, and pooling and flattening change it.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { asArray, toFloat } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import * as np from "../numpy/index.js";
import { type ConvPadding, paddingPairs } from "../lax/conv.js";
import { reduceWindow } from "../lax/reduce-window.js";
import { statelessLayer, type StatelessLayer } from "./layers/types.js";

/** Options of {@link maxPool} and {@link avgPool}. */
export interface PoolOptions {
  /** Strides per window axis (default 1s, as in Flax). */
  strides?: readonly number[];
  /** "VALID" (default), "SAME", "SAME_LOWER" or [lo, hi] pairs per window axis. */
  padding?: ConvPadding;
}

/** Options of {@link avgPool}. */
export interface AvgPoolOptions extends PoolOptions {
  /** Divide by the full window size, padding included (default true, as in Flax); else by the count of real elements. */
  countIncludePad?: boolean;
}

function checkWindow(op: string, x: Array, windowShape: readonly number[]): void {
  if (!globalThis.Array.isArray(windowShape) || windowShape.length === 0)
    throw new Error(
      `${op}: windowShape must be a non-empty list of positive integers, got ${JSON.stringify(windowShape)}`,
    );
  if (!windowShape.every((k) => Number.isInteger(k) && k >= 1))
    throw new Error(`${op}: windowShape must hold positive integers, got [${windowShape.join(", ")}]`);
  if (x.ndim < windowShape.length + 1)
    throw new Error(
      `${op}: input of shape [${x.shape.join(", ")}] needs ${windowShape.length} window axes and a feature axis (channels last)`,
    );
}

/** reduceWindow over the axes just before the last (feature) axis, as Flax's `pool`. */
function pool(
  op: string,
  x: Array,
  init: number,
  reducer: "max" | "sum",
  windowShape: readonly number[],
  opts: PoolOptions,
): Array {
  checkWindow(op, x, windowShape);
  const ns = windowShape.length;
  const strides = opts.strides ?? windowShape.map(() => 1);
  if (strides.length !== ns)
    throw new Error(`${op}: strides needs ${ns} entries (one per window axis), got [${strides.join(", ")}]`);
  const lead = x.ndim - ns - 1;
  const pad = opts.padding ?? "VALID";
  if (typeof pad !== "string" && (!globalThis.Array.isArray(pad) || pad.length !== ns))
    throw new Error(`${op}: padding needs ${ns} [lo, hi] pairs (one per window axis), got ${JSON.stringify(pad)}`);
  const none: [number, number][] = globalThis.Array.from({ length: lead }, () => [0, 0]);
  const padding: ConvPadding = typeof pad === "string" ? pad : [...none, ...pad, [0, 0]];
  const expand = (v: readonly number[]) => [...new globalThis.Array<number>(lead).fill(1), ...v, 1];
  return reduceWindow(x, init, reducer, expand(windowShape), expand(strides), padding);
}

/**
 * Max pooling over the axes before the last (channels-last input `[batch..., ...spatial, features]`),
 * Flax's `nn.max_pool`. Padding counts as -inf.
 *
 * @example
 * nn.maxPool(np.arange(16).reshape([1, 4, 4, 1]), [2, 2], { strides: [2, 2] }).reshape([2, 2]); // [[5, 7], [13, 15]]
 */
export function maxPool(x: ArrayOrScalar, windowShape: readonly number[], opts: PoolOptions = {}): Array {
  checkOptions("maxPool", opts, ["strides", "padding"]);
  const a = asArray(x, "maxPool");
  return pool(
    "maxPool",
    a,
    a.dtype === "int32" ? -2147483648 : a.dtype === "uint32" ? 0 : -Infinity,
    "max",
    windowShape,
    opts,
  );
}

/**
 * Average pooling over the axes before the last (channels-last input), Flax's `nn.avg_pool`.
 *
 * @example
 * nn.avgPool(np.arange(16).reshape([1, 4, 4, 1]), [2, 2], { strides: [2, 2] }).reshape([2, 2]); // [[2.5, 4.5], [10.5, 12.5]]
 */
export function avgPool(x: ArrayOrScalar, windowShape: readonly number[], opts: AvgPoolOptions = {}): Array {
  checkOptions("avgPool", opts, ["strides", "padding", "countIncludePad"]);
  const f = toFloat(asArray(x, "avgPool"));
  const sums = pool("avgPool", f, 0, "sum", windowShape, opts);
  if (opts.countIncludePad ?? true)
    return np.divide(
      sums,
      windowShape.reduce((p, k) => p * k, 1),
    );
  const counts = pool("avgPool", np.onesLike(f), 0, "sum", windowShape, opts);
  return np.divide(sums, counts);
}

/** Output shape of a pooling layer on inputs of `inputShape` (windows over the axes before the last). */
function pooledShape(
  op: string,
  inputShape: readonly number[],
  windowShape: readonly number[],
  opts: PoolOptions,
): number[] {
  const ns = windowShape.length;
  if (inputShape.length < ns + 1)
    throw new Error(`${op}.init: inputShape [${inputShape.join(", ")}] needs ${ns} window axes and a feature axis`);
  const spatial = inputShape.slice(-ns - 1, -1);
  const strides = opts.strides ?? windowShape.map(() => 1);
  const pads = paddingPairs(op, opts.padding ?? "VALID", spatial, windowShape, strides);
  const out = spatial.map((n, d) => {
    const padded = n + pads[d]![0] + pads[d]![1];
    return padded < windowShape[d]! ? 0 : Math.floor((padded - windowShape[d]!) / strides[d]!) + 1;
  });
  return [...inputShape.slice(0, -ns - 1), ...out, inputShape[inputShape.length - 1]!];
}

/**
 * {@link maxPool} as a parameterless layer for `sequential` (params `null`).
 *
 * @example
 * const model = nn.sequential(nn.conv({ features: 8, kernelSize: [3, 3] }), nn.relu, nn.maxPooling([2, 2], { strides: [2, 2] }));
 */
export function maxPooling(windowShape: readonly number[], opts: PoolOptions = {}): StatelessLayer<null> {
  checkOptions("maxPooling", opts, ["strides", "padding"]);
  const name = `maxPooling([${windowShape.join(", ")}])`;
  return statelessLayer<null>(
    name,
    (_key, inputShape) => ({ params: null, outputShape: pooledShape(name, inputShape, windowShape, opts) }),
    (_p, x) => maxPool(x, windowShape, opts),
  );
}

/**
 * {@link avgPool} as a parameterless layer for `sequential` (params `null`).
 *
 * @example
 * const model = nn.sequential(nn.conv({ features: 8, kernelSize: [3, 3] }), nn.relu, nn.avgPooling([2, 2], { strides: [2, 2] }));
 */
export function avgPooling(windowShape: readonly number[], opts: AvgPoolOptions = {}): StatelessLayer<null> {
  checkOptions("avgPooling", opts, ["strides", "padding", "countIncludePad"]);
  const name = `avgPooling([${windowShape.join(", ")}])`;
  return statelessLayer<null>(
    name,
    (_key, inputShape) => ({ params: null, outputShape: pooledShape(name, inputShape, windowShape, opts) }),
    (_p, x) => avgPool(x, windowShape, opts),
  );
}

/**
 * A parameterless layer that flattens every axis after the first (batch) one: `[batch, ...rest]`
 * → `[batch, prod(rest)]`, between convolutions and dense layers. Its `init` needs the batch axis
 * in `inputShape`.
 *
 * @example
 * const model = nn.sequential(nn.conv({ features: 8, kernelSize: [3, 3] }), nn.relu, nn.flatten(), nn.dense(10));
 * const { params } = model.init(random.key(0), [1, 8, 8, 1]);
 */
export function flatten(): StatelessLayer<null> {
  const name = "flatten";
  return statelessLayer<null>(
    name,
    (_key, inputShape) => {
      if (inputShape.length < 1) throw new Error(`${name}.init: inputShape needs a batch axis, got []`);
      return { params: null, outputShape: [inputShape[0]!, inputShape.slice(1).reduce((p, k) => p * k, 1)] };
    },
    (_p, x) => {
      if (x.ndim < 1) throw new Error(`${name}: needs an input with a batch axis, got a scalar`);
      return np.reshape(x, [x.shape[0]!, x.shape.slice(1).reduce((p, k) => p * k, 1)]);
    },
  );
}
