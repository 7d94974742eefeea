/**
 * Eager gather, scatter_add, dynamic_slice and dynamic_update_slice on the shape-generic shaders
 * of codegen/generic/indexing.ts. The dynamic slices bind one buffer per start index: ranks whose
 * bindings exceed the device's storage buffers per stage return undefined (the one-equation
 * Program then runs them, or explains why it cannot).
 */
import type { BufferInfo } from "../../src/core/backend.js";
import { sizeOf } from "../../src/core/shape.js";
import type { PrimParams } from "../../src/core/primitives.js";
import { rowMajor } from "./codegen/elementwise.js";
import { flatDispatch } from "./codegen/kernel.js";
import {
  dynamicSliceShader,
  dynamicUpdateSliceShader,
  GATHER_SHADER,
  scatterAddShader,
} from "./codegen/generic/indexing.js";
import { SCATTER_LANES } from "./codegen/primitives/indexing.js";
import { around } from "./codegen/primitives/indexing.js";
import type { Runtime } from "./compile.js";
import { dispatch, type EagerRunner, newOutput, paramsBuffer, runPerElement } from "./eager-run.js";
import type { GpuArray } from "./memory.js";

function gather(
  rt: Runtime,
  [x, ind]: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  axis: number,
  out: BufferInfo,
): GpuArray {
  const [, len, post] = around(inInfo[0]!.shape, axis);
  return runPerElement(rt, "gather", GATHER_SHADER, [x!, ind!], out, [len, post, sizeOf(inInfo[1]!.shape)]);
}

function scatterAdd(
  rt: Runtime,
  [x, ind, upd]: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  axis: number,
  out: BufferInfo,
): GpuArray {
  const o = newOutput(rt, out, "scatter_add");
  const [pre, len, post] = around(inInfo[0]!.shape, axis);
  const size = pre * len * post;
  if (size === 0) return o;
  // codegen/primitives/indexing.ts's blocking: about SCATTER_LANES invocations in all.
  const height = Math.min(len, Math.max(1, Math.ceil(size / SCATTER_LANES)));
  const blocks = Math.ceil(len / height);
  const n = pre * blocks * post;
  const p = paramsBuffer(rt, [n, len, post, sizeOf(inInfo[1]!.shape), height, blocks]);
  dispatch(rt, scatterAddShader(out.dtype), [x!, ind!, upd!, o, p], flatDispatch(n));
  return o;
}

/** Whether a shader binding `count` buffers fits the device. */
const fits = (rt: Runtime, count: number): boolean => count <= rt.ctx.limits.maxStorageBuffersPerShaderStage;

/** `shape − sizes`: the largest start per dimension (the shaders clamp starts into [0, hi] so the window fits). */
const highestStarts = (shape: readonly number[], sizes: readonly number[]): number[] =>
  shape.map((s, d) => s - sizes[d]!);

function dynamicSlice(
  rt: Runtime,
  inputs: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  sizes: readonly number[],
  out: BufferInfo,
): GpuArray | undefined {
  const shape = inInfo[0]!.shape;
  if (!fits(rt, shape.length + 3)) return undefined;
  const words = [...highestStarts(shape, sizes), ...sizes, ...rowMajor(shape)];
  return runPerElement(rt, "dynamic_slice", dynamicSliceShader(shape.length), inputs, out, words);
}

function dynamicUpdateSlice(
  rt: Runtime,
  inputs: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  out: BufferInfo,
): GpuArray | undefined {
  const shape = inInfo[0]!.shape;
  const sizes = inInfo[1]!.shape;
  if (!fits(rt, shape.length + 4)) return undefined;
  const words = [...highestStarts(shape, sizes), ...sizes, ...shape, ...rowMajor(sizes)];
  return runPerElement(rt, "dynamic_update_slice", dynamicUpdateSliceShader(shape.length), inputs, out, words);
}

/** Runs an indexing primitive eagerly; undefined for other primitives (or ranks the device cannot bind). */
export const runIndexingPrimitive: EagerRunner = (rt, prim, params, inputs, inInfo, out) => {
  switch (prim) {
    case "gather":
      return gather(rt, inputs, inInfo, (params as PrimParams["gather"]).axis, out);
    case "scatter_add":
      return scatterAdd(rt, inputs, inInfo, (params as PrimParams["scatter_add"]).axis, out);
    case "dynamic_slice":
      return dynamicSlice(rt, inputs, inInfo, (params as PrimParams["dynamic_slice"]).sizes, out);
    case "dynamic_update_slice":
      return dynamicUpdateSlice(rt, inputs, inInfo, out);
    default:
      return undefined;
  }
};
