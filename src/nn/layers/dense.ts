/** `dense`: a fully connected layer y = x·W + b. */
import type { Array } from "../../core/array.js";
import type { DType } from "../../core/dtype.js";
import * as np from "../../numpy/index.js";
import { lecunNormal, zeros, type Initializer } from "../initializers.js";
import { checkOptions } from "../../core/options.js";
import { optionKeys } from "../../core/validate.js";
import { checkFeatures, splitKeys, statelessLayer, type StatelessLayer } from "./types.js";

/** Options of {@link dense}. */
export interface DenseOptions {
  /** Add a bias (default true). */
  useBias?: boolean;
  /** Initializer of the `[in, units]` kernel (default `lecunNormal`, variance 1/in, as in Flax). */
  kernelInit?: Initializer;
  /** Initializer of the `[units]` bias (default zeros). */
  biasInit?: Initializer;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/** Parameters of a {@link dense} layer. */
export interface DenseParams {
  /** `[in, units]`. */
  kernel: Array;
  /** `[units]`; absent with `useBias: false`. */
  bias?: Array;
}

/**
 * A fully connected layer: `apply(params, x) = x · kernel + bias`, for `x` of shape `[..., in]`
 * (any leading batch axes) giving `[..., units]`. Params: `{ kernel: [in, units], bias: [units] }`.
 *
 * @example
 * import { np, nn, random } from "graft-ad";
 * const layer = nn.dense(3);
 * const { params } = layer.init(random.key(0), [8, 4]); // kernel [4, 3], bias [3]
 * layer.apply(params, np.ones([8, 4])).shape;          // [8, 3]
 */
export function dense(units: number, opts: DenseOptions = {}): StatelessLayer<DenseParams> {
  if (!Number.isInteger(units) || units <= 0) throw new Error(`dense: units must be a positive integer, got ${units}`);
  checkOptions("dense", opts, optionKeys<DenseOptions>()("useBias", "kernelInit", "biasInit", "dtype"));
  const useBias = opts.useBias ?? true;
  const kernelInit = opts.kernelInit ?? lecunNormal;
  const biasInit = opts.biasInit ?? zeros;
  const dtype = opts.dtype ?? "float32";
  const name = `dense(${units})`;
  return statelessLayer<DenseParams>(
    name,
    (key, inputShape) => {
      if (inputShape.length === 0) throw new Error(`${name}.init: inputShape needs a feature axis, got []`);
      const fanIn = inputShape[inputShape.length - 1]!;
      const [kKey, bKey] = splitKeys(key, 2) as [Parameters<Initializer>[0], Parameters<Initializer>[0]];
      const params: DenseParams = { kernel: kernelInit(kKey, [fanIn, units], dtype) };
      if (useBias) params.bias = biasInit(bKey, [units], dtype);
      return { params, outputShape: [...inputShape.slice(0, -1), units] };
    },
    (params, x) => {
      const features = params.kernel.shape[0];
      if (features === undefined)
        throw new Error(`${name}: params.kernel must have shape [features, ${units}], got a 0-d array`);
      checkFeatures(name, x, features);
      const y = np.matmul(x, params.kernel);
      return params.bias === undefined ? y : np.add(y, params.bias);
    },
  );
}
