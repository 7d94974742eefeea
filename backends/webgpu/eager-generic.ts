/**
 * The eager primitives that run on shape-generic shaders (sizes and strides in a small parameter
 * buffer, codegen/generic): one pipeline per primitive kind and dtype serves every shape, so eager
 * code compiles nothing per shape. Elementwise primitives have their own generic shaders (eager.ts).
 * A primitive not covered here returns undefined and runs as a one-equation Program (index.ts).
 */
import type { PrimParams } from "../../src/core/primitives.js";
import { runDot } from "./eager-dot.js";
import { runIndexingPrimitive } from "./eager-indexing.js";
import { runReducePrimitive } from "./eager-reduce.js";
import type { EagerRunner } from "./eager-run.js";
import { runViewPrimitive } from "./eager-views.js";

const dot: EagerRunner = (rt, _prim, params, inputs, inInfo, out) =>
  runDot(rt, params as unknown as PrimParams["dot_general"], inputs, inInfo, out);

const each = (prims: readonly string[], run: EagerRunner): [string, EagerRunner][] => prims.map((p) => [p, run]);

const RUNNERS: ReadonlyMap<string, EagerRunner> = new Map<string, EagerRunner>([
  ...each(
    ["broadcast_in_dim", "transpose", "reshape", "slice", "rev", "pad", "concatenate", "iota", "stop_gradient"],
    runViewPrimitive,
  ),
  ...each(["reduce_sum", "reduce_prod", "reduce_max", "reduce_min", "argmax", "argmin", "cumsum"], runReducePrimitive),
  ...each(["gather", "scatter_add", "dynamic_slice", "dynamic_update_slice"], runIndexingPrimitive),
  ["dot_general", dot],
]);

/** Primitives (beyond elementwise ones) that eager code runs on generic shaders. */
export const GENERIC_PRIMS: ReadonlySet<string> = new Set(RUNNERS.keys());

/**
 * Runs `prim` eagerly on a generic shader; undefined where none covers it.
 * @example
 * const y = runGeneric(rt, "transpose", { permutation: [1, 0] }, [x], [{ shape: [2, 3], dtype: "float32" }], outInfo);
 */
export const runGeneric: EagerRunner = (rt, prim, params, inputs, inInfo, out) =>
  RUNNERS.get(prim)?.(rt, prim, params, inputs, inInfo, out);
