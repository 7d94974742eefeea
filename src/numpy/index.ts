/**
 * The `numpy` namespace: NumPy/JAX names and semantics (broadcasting, negative axes, keepdims,
 * dtype promotion), all composed from graft's primitives so every function is differentiable,
 * batchable and jittable.
 */
import { installNumpy } from "../core/array.js";
import * as creation from "./creation.js";
import * as elementwise from "./elementwise.js";
import * as reductions from "./reductions.js";
import * as shape from "./shape.js";
import * as linalg from "./linalg.js";
import * as indexing from "./indexing.js";
import * as join from "./join.js";
import * as io from "./io.js";
import * as einsum from "./einsum.js";
import { asArray } from "./convert.js";

export * from "./creation.js";
export * from "./elementwise.js";
export * from "./reductions.js";
export * from "./shape.js";
export * from "./linalg.js";
export * from "./indexing.js";
export * from "./join.js";
export * from "./einsum.js";
export * from "./io.js";
export { asArray } from "./convert.js";
export type { DType } from "../core/dtype.js";
export { Array } from "../core/array.js";
export type { ArrayOrScalar } from "../core/array.js";

// Array methods call these; an explicit object (not a self-import) also works when loaded as CommonJS.
installNumpy({ ...creation, ...elementwise, ...reductions, ...shape, ...linalg, ...indexing, ...join, ...io, ...einsum, asArray });
