/** `layerNorm`: layer normalization over the feature axis. */
import type { Array } from "../../core/array.js";
import type { DType } from "../../core/dtype.js";
import * as np from "../../numpy/index.js";
import { ones, zeros, type Initializer } from "../initializers.js";
import { checkOptions } from "../../core/options.js";
import { optionKeys } from "../../core/validate.js";
import { checkFeatures, splitKeys, statelessLayer, type Key, type StatelessLayer } from "./types.js";

/** Options of {@link layerNorm}. */
export interface LayerNormOptions {
  /** Added to the variance before the square root (default 1e-5). */
  eps?: number;
  /** Learn a per-feature scale (default true). */
  useScale?: boolean;
  /** Learn a per-feature shift (default true). */
  useBias?: boolean;
  /** Initializer of the scale (default ones). */
  scaleInit?: Initializer;
  /** Initializer of the bias (default zeros). */
  biasInit?: Initializer;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** Parameters of a {@link layerNorm} layer (each `[features]`; absent when disabled). */
export interface LayerNormParams {
  scale?: Array;
  bias?: Array;
}

/**
 * Layer normalization: each example is normalised over its last axis,
 * y = γ·(x − mean)/√(var + eps) + β, with the same computation in training and evaluation (no
 * state). Params `{ scale: ones[F], bias: zeros[F] }`.
 *
 * @example
 * import { np, nn, random } from "graft-ad";
 * const ln = nn.layerNorm();
 * const { params } = ln.init(random.key(0), [4]);
 * ln.apply(params, np.array([[1, 2, 3, 4]])); // zero mean, unit variance per row
 */
export function layerNorm(opts: LayerNormOptions = {}): StatelessLayer<LayerNormParams> {
  checkOptions(
    "layerNorm",
    opts,
    optionKeys<LayerNormOptions>()("eps", "useScale", "useBias", "scaleInit", "biasInit", "dtype"),
  );
  const eps = opts.eps ?? 1e-5;
  if (!(eps >= 0)) throw new Error(`layerNorm: eps must be non-negative, got ${eps}`);
  const useScale = opts.useScale ?? true;
  const useBias = opts.useBias ?? true;
  const scaleInit = opts.scaleInit ?? ones;
  const biasInit = opts.biasInit ?? zeros;
  const dtype = opts.dtype ?? "float32";
  const name = "layerNorm";
  return statelessLayer<LayerNormParams>(
    name,
    (key, inputShape) => {
      if (inputShape.length === 0) throw new Error(`${name}.init: inputShape needs a feature axis, got []`);
      const f = inputShape[inputShape.length - 1]!;
      const [sKey, bKey] = splitKeys(key, 2) as [Key, Key];
      const params: LayerNormParams = {};
      if (useScale) params.scale = scaleInit(sKey, [f], dtype);
      if (useBias) params.bias = biasInit(bKey, [f], dtype);
      return { params, outputShape: [...inputShape] };
    },
    (params, x) => {
      const f = params.scale?.shape[0] ?? params.bias?.shape[0];
      if (f !== undefined) checkFeatures(name, x, f);
      else if (x.ndim === 0) throw new Error(`${name}: inputs need a feature axis`);
      const mean = np.mean(x, -1, { keepdims: true });
      const centered = np.subtract(x, mean);
      const variance = np.mean(np.square(centered), -1, { keepdims: true });
      let y = np.multiply(centered, np.rsqrt(np.add(variance, eps)));
      if (params.scale !== undefined) y = np.multiply(y, params.scale);
      if (params.bias !== undefined) y = np.add(y, params.bias);
      return y;
    },
  );
}
