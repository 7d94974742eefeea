/**
 * Eager view and copy primitives on the shape-generic shaders (codegen/generic/copy.ts): each is
 * a strided copy whose views come from the planner's view arithmetic (backends/plan/views.ts) over
 * the operand's contiguous layout, with the reference's semantics (backends/cpu/kernels/shape-ops.ts):
 * - broadcast_in_dim, transpose, slice (with strides), rev: one copy from a view of the operand;
 * - reshape and stop_gradient: the operand's buffer itself (arrays are immutable), no dispatch;
 * - pad: a fill with the padding value, then a copy of the operand into its lattice
 *   lo + i·(interior + 1) (negative lo/hi crop, as the reference allows);
 * - concatenate: one copy per non-empty operand into its slab of the output;
 * - iota (float32, int32, uint32): one dispatch of iotaShader.
 */
import type { BufferInfo } from "../../src/core/backend.js";
import { sizeOf } from "../../src/core/shape.js";
import { allocate } from "../../src/core/dtype.js";
import type { PrimParams } from "../../src/core/primitives.js";
import { broadcastView, revView, type Strided, sliceView, transposeView } from "../plan/views.js";
import { mergeDims, rowMajor } from "./codegen/elementwise.js";
import { flatDispatch } from "./codegen/kernel.js";
import { COPY_SHADER, FILL_SHADER, iotaShader } from "./codegen/generic/copy.js";
import type { Runtime } from "./compile.js";
import { dispatch, type EagerRunner, newOutput, paramsBuffer, runPerElement } from "./eager-run.js";
import type { GpuArray } from "./memory.js";
import { toDeviceBytes } from "./transfer.js";

/** Copies the elements of `shape` from `src` through view `from` into `dst` through view `to`. */
export function copyView(
  rt: Runtime,
  src: GpuArray,
  from: Strided,
  dst: GpuArray,
  to: Strided,
  shape: readonly number[],
): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const dims = mergeDims({ shape, strides: [from.strides, to.strides] });
  const [s, t] = dims.strides as [number[], number[]];
  const p = paramsBuffer(rt, [n, dims.shape.length, from.offset, to.offset, ...dims.shape, ...s, ...t]);
  dispatch(rt, COPY_SHADER, [src, dst, p], flatDispatch(n));
}

/** A new contiguous array of `out` holding the operand read through `view`. */
function gather(rt: Runtime, x: GpuArray, view: Strided, out: BufferInfo, op: string): GpuArray {
  const o = newOutput(rt, out, op);
  copyView(rt, x, view, o, { offset: 0, strides: rowMajor(out.shape) }, out.shape);
  return o;
}

/** The word a one-element array of the output's dtype stores for `value` (the reference's fill). */
function fillWord(value: number, out: BufferInfo): number {
  const one = allocate(out.dtype, 1);
  one[0] = value;
  return new Uint32Array(toDeviceBytes(one, out.dtype, "pad").buffer)[0]!;
}

function pad(rt: Runtime, x: GpuArray, inShape: readonly number[], p: PrimParams["pad"], out: BufferInfo): GpuArray {
  // The padding value everywhere first; the operand's elements then overwrite their lattice.
  const o = runPerElement(rt, "pad", FILL_SHADER, [], out, [fillWord(p.value, out)]);
  const inStrides = rowMajor(inShape);
  const outStrides = rowMajor(out.shape);
  const count: number[] = [];
  const dstStrides: number[] = [];
  let srcOffset = 0;
  let dstOffset = 0;
  inShape.forEach((len, d) => {
    const step = p.interior[d]! + 1;
    const lo = p.lo[d]!;
    // Operand indices whose position lo + i·step falls outside the output are cropped.
    const first = lo >= 0 ? 0 : Math.ceil(-lo / step);
    const last = Math.min(len - 1, Math.floor((out.shape[d]! - 1 - lo) / step));
    count.push(Math.max(0, last - first + 1));
    srcOffset += first * inStrides[d]!;
    dstOffset += (lo + first * step) * outStrides[d]!;
    dstStrides.push(step * outStrides[d]!);
  });
  copyView(rt, x, { offset: srcOffset, strides: inStrides }, o, { offset: dstOffset, strides: dstStrides }, count);
  return o;
}

function concatenate(
  rt: Runtime,
  xs: readonly GpuArray[],
  inInfo: readonly BufferInfo[],
  axis: number,
  out: BufferInfo,
): GpuArray {
  const o = newOutput(rt, out, "concatenate");
  const strides = rowMajor(out.shape);
  let at = 0;
  xs.forEach((x, k) => {
    const shape = inInfo[k]!.shape;
    copyView(rt, x, { offset: 0, strides: rowMajor(shape) }, o, { offset: at * strides[axis]!, strides }, shape);
    at += shape[axis]!;
  });
  return o;
}

function iota(rt: Runtime, p: PrimParams["iota"], out: BufferInfo): GpuArray | undefined {
  // The reference stores a bool iota's raw indices (2, 3, … in its Uint8Array), not 0/1: left to
  // the one-equation Program, as before.
  if (out.dtype === "bool") return undefined;
  const post = sizeOf(p.shape.slice(p.dimension + 1));
  return runPerElement(rt, "iota", iotaShader(out.dtype), [], out, [post, p.shape[p.dimension]!]);
}

/** Runs a view or copy primitive eagerly; undefined for other primitives. */
export const runViewPrimitive: EagerRunner = (rt, prim, params, inputs, inInfo, out) => {
  const x = inputs[0]!;
  const inShape = inInfo[0]?.shape ?? [];
  const contiguous: Strided = { offset: 0, strides: rowMajor(inShape) };
  switch (prim) {
    case "reshape":
    case "stop_gradient":
      return x;
    case "broadcast_in_dim": {
      const p = params as PrimParams["broadcast_in_dim"];
      return gather(rt, x, broadcastView(contiguous, inShape, out.shape, p.broadcastDimensions), out, prim);
    }
    case "transpose":
      return gather(rt, x, transposeView(contiguous, (params as PrimParams["transpose"]).permutation), out, prim);
    case "slice": {
      const p = params as PrimParams["slice"];
      return gather(rt, x, sliceView(contiguous, p.start, p.strides), out, prim);
    }
    case "rev":
      return gather(rt, x, revView(contiguous, inShape, (params as PrimParams["rev"]).axes), out, prim);
    case "pad":
      return pad(rt, x, inShape, params as PrimParams["pad"], out);
    case "concatenate":
      return concatenate(rt, inputs, inInfo, (params as PrimParams["concatenate"]).axis, out);
    case "iota":
      return iota(rt, params as PrimParams["iota"], out);
    default:
      return undefined;
  }
};
