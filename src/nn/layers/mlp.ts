/** `mlp`: a stack of dense layers with an activation between them. */
import type { Array } from "../../core/array.js";
import type { DType } from "../../core/dtype.js";
import { relu } from "../activations.js";
import type { Initializer } from "../initializers.js";
import { checkOptions } from "../../core/options.js";
import { optionKeys } from "../../core/validate.js";
import { dense, type DenseParams } from "./dense.js";
import { splitKeys, statelessLayer, type StatelessLayer } from "./types.js";

/** Options of {@link mlp}. */
export interface MlpOptions {
  /** Activation after every layer but the last (default `nn.relu`). */
  activation?: (x: Array) => Array;
  /** Activation after the last layer (default none: the last layer's output is linear). */
  finalActivation?: ((x: Array) => Array) | null;
  /** Biases in every layer (default true). */
  useBias?: boolean;
  /** Kernel initializer of every layer (default `lecunNormal`). */
  kernelInit?: Initializer;
  /** Bias initializer of every layer (default zeros). */
  biasInit?: Initializer;
  /** Parameter dtype (default float32). */
  dtype?: DType;
}

/**
 * A multilayer perceptron: dense layers of the given output sizes (the input size comes from
 * `init`'s `inputShape`), with `activation` between them and `finalActivation` (default none)
 * after the last. Params: a list with one `{ kernel, bias }` per layer.
 *
 * @example
 * import { np, nn, random, grad } from "graft-ad";
 * const net = nn.mlp([32, 32, 1], { activation: nn.tanh });
 * const { params } = net.init(random.key(0), [2]);       // kernels [2,32], [32,32], [32,1]
 * const loss = (p: typeof params, x: np.Array, y: np.Array) => nn.losses.mse(net.apply(p, x), y);
 * const g = grad(loss)(params, np.ones([16, 2]), np.zeros([16, 1]));
 */
export function mlp(sizes: readonly number[], opts: MlpOptions = {}): StatelessLayer<DenseParams[]> {
  if (!globalThis.Array.isArray(sizes) || sizes.length === 0)
    throw new Error("mlp: sizes must be a non-empty list of layer widths");
  checkOptions(
    "mlp",
    opts,
    optionKeys<MlpOptions>()("activation", "finalActivation", "useBias", "kernelInit", "biasInit", "dtype"),
  );
  const activation = opts.activation ?? relu;
  const finalActivation = opts.finalActivation ?? null;
  const layers = sizes.map((n) =>
    dense(n, { useBias: opts.useBias, kernelInit: opts.kernelInit, biasInit: opts.biasInit, dtype: opts.dtype }),
  );
  return statelessLayer<DenseParams[]>(
    `mlp([${sizes.join(", ")}])`,
    (key, inputShape) => {
      const keys = splitKeys(key, layers.length);
      const params: DenseParams[] = [];
      let shape: readonly number[] = inputShape;
      layers.forEach((layer, i) => {
        const r = layer.init(keys[i]!, shape);
        params.push(r.params);
        shape = r.outputShape;
      });
      return { params, outputShape: [...shape] };
    },
    (params, x) => {
      if (!globalThis.Array.isArray(params) || params.length !== layers.length)
        throw new Error(
          `mlp: expected a list of ${layers.length} layer parameters, got ${globalThis.Array.isArray(params) ? params.length : typeof params}`,
        );
      let h = x;
      layers.forEach((layer, i) => {
        h = layer.apply(params[i]!, h);
        if (i < layers.length - 1) h = activation(h);
        else if (finalActivation) h = finalActivation(h);
      });
      return h;
    },
  );
}
