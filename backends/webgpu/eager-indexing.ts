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
import { dispatch, newOutput, paramsBuffer } from "./eager-run.js";
import type { GpuArray } from "./memory.js";

function gather(
  rt: Runtime,
  [x, ind]: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  axis: number,
  out: BufferInfo,
): GpuArray {
  const o = newOutput(rt, out, "gather");
  const n = sizeOf(out.shape);
  if (n === 0) return o;
  const [, len, post] = around(inInfo[0]!.shape, axis);
  const p = paramsBuffer(rt, [n, len, post, sizeOf(inInfo[1]!.shape)]);
  dispatch(rt, GATHER_SHADER, [x!, ind!, o, p], flatDispatch(n));
  return o;
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

function dynamicSlice(
  rt: Runtime,
  inputs: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  sizes: readonly number[],
  out: BufferInfo,
): GpuArray | undefined {
  const shape = inInfo[0]!.shape;
  const rank = shape.length;
  if (!fits(rt, rank + 3)) return undefined;
  const o = newOutput(rt, out, "dynamic_slice");
  const n = sizeOf(sizes);
  if (n === 0) return o;
  const hi = shape.map((s, d) => s - sizes[d]!);
  const p = paramsBuffer(rt, [n, ...hi, ...sizes, ...rowMajor(shape)]);
  dispatch(rt, dynamicSliceShader(rank), [...inputs, o, p], flatDispatch(n));
  return o;
}

function dynamicUpdateSlice(
  rt: Runtime,
  inputs: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  out: BufferInfo,
): GpuArray | undefined {
  const shape = inInfo[0]!.shape;
  const sizes = inInfo[1]!.shape;
  const rank = shape.length;
  if (!fits(rt, rank + 4)) return undefined;
  const o = newOutput(rt, out, "dynamic_update_slice");
  const n = sizeOf(shape);
  if (n === 0) return o;
  const hi = shape.map((s, d) => s - sizes[d]!);
  const p = paramsBuffer(rt, [n, ...hi, ...sizes, ...shape, ...rowMajor(sizes)]);
  dispatch(rt, dynamicUpdateSliceShader(rank), [...inputs, o, p], flatDispatch(n));
  return o;
}

/** Runs an indexing primitive eagerly; undefined for other primitives (or ranks the device cannot bind). */
export function runIndexingPrimitive(
  rt: Runtime,
  prim: string,
  params: Readonly<Record<string, unknown>>,
  inputs: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  out: BufferInfo,
): GpuArray | undefined {
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
}
