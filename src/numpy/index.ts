/**
 * The `numpy` namespace: NumPy/JAX names and semantics (broadcasting, negative axes, keepdims,
 * dtype promotion), all composed from graft's primitives so every function is differentiable,
 * batchable and jittable.
 */
import "../lax/prims/index.js";
import { installNumpy } from "../core/array.js";
import * as self from "./index.js";

export * from "./creation.js";
export * from "./elementwise.js";
export * from "./reductions.js";
export * from "./shape.js";
export * from "./linalg.js";
export * from "./indexing.js";
export * from "./join.js";
export * from "./io.js";
export { asArray } from "./convert.js";
export type { DType } from "../core/dtype.js";
export type { Array, ArrayOrScalar } from "../core/array.js";

installNumpy(self);
