/** Layers as pure init/apply pairs over plain parameter pytrees. */
export {
  statelessLayer,
  type ApplyOptions,
  type InitResult,
  type Key,
  type Layer,
  type LayerBase,
  type ParamsOf,
  type StateOf,
  type StatefulLayer,
  type StatelessLayer,
} from "./types.js";
export { dense, type DenseOptions, type DenseParams } from "./dense.js";
export { mlp, type MlpOptions } from "./mlp.js";
export { dropout } from "./dropout.js";
export { batchNorm, type BatchNormOptions, type BatchNormParams, type BatchNormState } from "./batch-norm.js";
export { layerNorm, type LayerNormOptions, type LayerNormParams } from "./layer-norm.js";
export {
  sequential,
  type Sequential,
  type SequentialItem,
  type SequentialParams,
  type SequentialState,
} from "./sequential.js";
