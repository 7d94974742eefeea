/** `batchNorm`: batch normalization with running statistics carried as explicit state. */
import type { Array } from "../../core/array.js";
import type { DType } from "../../core/dtype.js";
import * as np from "../../numpy/index.js";
import { ones, zeros, type Initializer } from "../initializers.js";
import { checkOptions } from "../../core/options.js";
import { optionKeys } from "../../core/validate.js";
import {
  checkApplyOptions,
  checkFeatures,
  checkInputShape,
  splitKeys,
  type ApplyOptions,
  type Key,
  type StatefulLayer,
} from "./types.js";

/** Options of {@link batchNorm}. */
export interface BatchNormOptions {
  /**
   * Decay of the running averages (default 0.99): running ← momentum·running + (1 − momentum)·batch
   * (an exponential moving average V ← βV + (1 − β)S, the population statistics of Ioffe & Szegedy
   * 2015 for inference; PyTorch's `momentum` is 1 − this).
   */
  momentum?: number;
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-feature scale γ (default true). */
  useScale?: boolean;
  /** Learn a per-feature shift β (default true). */
  useBias?: boolean;
  /** Initializer of the scale (default ones). */
  scaleInit?: Initializer;
  /** Initializer of the bias (default zeros). */
  biasInit?: Initializer;
  /** Parameter and state dtype (default float32). */
  dtype?: DType;
}

/** Parameters of a {@link batchNorm} layer (each `[features]`; absent when disabled). */
export interface BatchNormParams {
  scale?: Array;
  bias?: Array;
}

/** State of a {@link batchNorm} layer: running mean and (biased) variance, each `[features]`. */
export interface BatchNormState {
  mean: Array;
  var: Array;
}

/**
 * Batch normalization over the last (feature) axis: statistics are taken over every other axis.
 *
 * - Training (`train: true`): y = γ·(x − μ_B)/√(σ²_B + eps) + β with the batch mean and (biased)
 *   variance; returns `[y, newState]` where the running statistics moved towards the batch ones
 *   (newMean = momentum·mean + (1 − momentum)·μ_B, likewise the variance). The running statistics
 *   carry no gradient.
 * - Evaluation (`train: false`, the default): normalises with the running `state` and returns y.
 *
 * Params `{ scale: ones[F], bias: zeros[F] }`; state `{ mean: zeros[F], var: ones[F] }`.
 *
 * @example
 * import { np, nn, random } from "graft-ad";
 * const bn = nn.batchNorm({ momentum: 0.9 });
 * const { params, state } = bn.init(random.key(0), [32, 8]);
 * const [y, state1] = bn.apply(params, x, { train: true, state });   // batch statistics
 * const yEval = bn.apply(params, x, { state: state1 });               // running statistics
 */
export function batchNorm(opts: BatchNormOptions = {}): StatefulLayer<BatchNormParams, BatchNormState> {
  checkOptions(
    "batchNorm",
    opts,
    optionKeys<BatchNormOptions>()("momentum", "eps", "useScale", "useBias", "scaleInit", "biasInit", "dtype"),
  );
  const momentum = opts.momentum ?? 0.99;
  const eps = opts.eps ?? 1e-5;
  if (!(momentum >= 0 && momentum <= 1)) throw new Error(`batchNorm: momentum must be in [0, 1], got ${momentum}`);
  if (!(eps >= 0)) throw new Error(`batchNorm: eps must be non-negative, got ${eps}`);
  const useScale = opts.useScale ?? true;
  const useBias = opts.useBias ?? true;
  const scaleInit = opts.scaleInit ?? ones;
  const biasInit = opts.biasInit ?? zeros;
  const dtype = opts.dtype ?? "float32";
  const name = "batchNorm";

  const normalize = (params: BatchNormParams, x: Array, mean: Array, variance: Array): Array => {
    let y = np.multiply(np.subtract(x, mean), np.rsqrt(np.add(variance, eps)));
    if (params.scale !== undefined) y = np.multiply(y, params.scale);
    if (params.bias !== undefined) y = np.add(y, params.bias);
    return y;
  };

  const call = (params: BatchNormParams, x: Array, o: ApplyOptions<BatchNormState> = {}): [Array, BatchNormState] => {
    checkApplyOptions(name, o);
    const state = o.state;
    if (state === undefined || state === null || !state.mean || !state.var)
      throw new Error(
        `${name}: apply needs the running statistics: apply(params, x, { train, state }) with state from init (or the previous training step)`,
      );
    const features = state.mean.shape[0];
    if (features === undefined)
      throw new Error(`${name}: state.mean must have shape [features], got a 0-d array; pass the state from init`);
    checkFeatures(name, x, features);
    if (!o.train) return [normalize(params, x, state.mean, state.var), state];
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    if (axes.length === 0)
      throw new Error(`${name}: training needs a batch axis, got an input of shape [${x.shape.join(", ")}]`);
    const mean = np.mean(x, axes);
    const variance = np.mean(np.square(np.subtract(x, mean)), axes);
    const ema = (running: Array, batch: Array): Array =>
      np.astype(
        np.add(np.multiply(running, momentum), np.multiply(np.stopGradient(batch), 1 - momentum)),
        running.dtype,
      );
    return [normalize(params, x, mean, variance), { mean: ema(state.mean, mean), var: ema(state.var, variance) }];
  };

  function apply(
    params: BatchNormParams,
    x: Array,
    o: ApplyOptions<BatchNormState> & { train: true },
  ): [Array, BatchNormState];
  function apply(params: BatchNormParams, x: Array, o: ApplyOptions<BatchNormState> & { train?: false }): Array;
  function apply(params: BatchNormParams, x: Array, o: ApplyOptions<BatchNormState>): Array | [Array, BatchNormState];
  function apply(
    params: BatchNormParams,
    x: Array,
    o: ApplyOptions<BatchNormState> = {},
  ): Array | [Array, BatchNormState] {
    const r = call(params, x, o);
    return o.train ? r : r[0];
  }

  return Object.freeze({
    name,
    stateful: true as const,
    init(key: Key, inputShape: readonly number[]) {
      checkInputShape(name, inputShape);
      if (inputShape.length === 0) throw new Error(`${name}.init: inputShape needs a feature axis, got []`);
      const f = inputShape[inputShape.length - 1]!;
      const [sKey, bKey] = splitKeys(key, 2) as [Key, Key];
      const params: BatchNormParams = {};
      if (useScale) params.scale = scaleInit(sKey, [f], dtype);
      if (useBias) params.bias = biasInit(bKey, [f], dtype);
      const state: BatchNormState = { mean: np.zeros([f], { dtype }), var: np.ones([f], { dtype }) };
      return { params, state, outputShape: [...inputShape] };
    },
    apply,
    call,
  });
}
