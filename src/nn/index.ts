/**
 * `graft-ad/nn`: neural-network building blocks.
 *
 * - activations (flat): `sigmoid`, `relu`, `softplus`, `softmax`, `logSoftmax`, `logsumexp`,
 *   `tanh`, `leakyRelu`, `elu`, `selu`, `gelu`, `silu`/`swish`, `hardTanh`, `logSigmoid`, `relu6`,
 *   `hardSigmoid`, `softSign`, `celu`, `mish`, `glu`; `oneHot`, `standardize`, `dotProductAttention`;
 * - `losses`: `mse`, `l1`, `huber`, `binaryCrossEntropy`, `binaryCrossEntropyWithLogits`,
 *   `softmaxCrossEntropy`, `softmaxCrossEntropyWithIntegerLabels`, `hinge`, `multiclassHinge`;
 * - `regularizers`: `l1`, `l2` (‖w‖², no ½), `elasticNet`;
 * - `initializers`: `zeros`, `ones`, `constant`, `normal`, `uniform`, `varianceScaling`,
 *   `glorotUniform`/`glorotNormal`, `heUniform`/`heNormal`, `lecunNormal`/`lecunUniform`,
 *   `orthogonal`;
 * - layers (flat): `dense`, `mlp`, `dropout`, `batchNorm`, `layerNorm`, `sequential` — pure
 *   `init(key, inputShape)` / `apply(params, x, { train, key, state })` pairs — and
 *   `statelessLayer(name, init, apply)`, public, for writing custom layers that compose with
 *   `sequential`.
 *
 * Everything exported from the modules re-exported below is public API (activations.ts and
 * layers/index.ts list only public names; `SELU_ALPHA`/`SELU_SCALE` are the documented SELU
 * constants).
 *
 * @example
 * import { np, nn, random, grad } from "graft-ad";
 * const model = nn.mlp([16, 3]);
 * const { params } = model.init(random.key(0), [4]);
 * const loss = (p: typeof params, x: np.Array, y: np.Array) =>
 *   nn.losses.softmaxCrossEntropyWithIntegerLabels(model.apply(p, x), y).add(nn.regularizers.l2(p).mul(1e-4));
 */
export * from "./activations.js";
export * as losses from "./losses.js";
export * as regularizers from "./regularizers.js";
export * as initializers from "./initializers.js";
export * from "./layers/index.js";
export { relu6, hardSigmoid, softSign, celu, mish, glu } from "./activations-extra.js";
export { oneHot, type OneHotOptions } from "./one-hot.js";
export { standardize, type StandardizeOptions } from "./standardize.js";
export { dotProductAttention, type DotProductAttentionOptions } from "./attention.js";
export { embedding, type EmbeddingOptions, type EmbeddingParams } from "./layers/embedding.js";
export { conv, type ConvOptions, type ConvLayerParams } from "./conv.js";
export { maxPool, avgPool, maxPooling, avgPooling, flatten, type PoolOptions, type AvgPoolOptions } from "./pooling.js";
