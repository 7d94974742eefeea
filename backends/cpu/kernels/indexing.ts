/**
 * Indexing kernels. Out-of-range indices never fault: gather/scatter_add clamp each index to
 * [0, n-1] and the dynamic slices clamp their start so the whole window fits (XLA semantics).
 */
import { allocate, type TypedArray } from "../../../src/core/dtype.js";
import { sizeOf, stridesOf, type Shape } from "../../../src/core/shape.js";
import type { Kernel } from "./kernel.js";
import { copyStrided } from "./shape-ops.js";

const clamp = (v: number, lo: number, hi: number): number => (v < lo ? lo : Math.min(v, hi));

/** (outer, length, inner) extents of `shape` around `axis`. */
function around(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/** out[p, j, q] = operand[p, clamp(indices[j]), q]. Gathering from an empty axis yields zeros. */
export const gather: Kernel<"gather"> = (inputs, inShapes, _d, { axis }, out) => {
  const x = inputs[0];
  const ind = inputs[1];
  const [pre, len, post] = around(inShapes[0], axis);
  const m = ind.length;
  const o = allocate(out.dtype, pre * m * post);
  if (len === 0) return o;
  for (let p = 0; p < pre; p++) {
    for (let j = 0; j < m; j++) {
      const src = (p * len + clamp(ind[j]!, 0, len - 1)) * post;
      const dst = (p * m + j) * post;
      for (let q = 0; q < post; q++) o[dst + q] = x[src + q]!;
    }
  }
  return o;
};

/**
 * operand with updates[p, j, q] added at [p, clamp(indices[j]), q]; repeated indices accumulate.
 * For bool the addition is logical `or`.
 */
export const scatterAdd: Kernel<"scatter_add"> = (inputs, inShapes, _d, { axis }, out) => {
  const o = inputs[0].slice();
  const ind = inputs[1];
  const upd = inputs[2];
  const [pre, len, post] = around(inShapes[0], axis);
  const m = ind.length;
  if (len === 0) return o;
  const isBool = out.dtype === "bool";
  for (let p = 0; p < pre; p++) {
    for (let j = 0; j < m; j++) {
      const dst = (p * len + clamp(ind[j]!, 0, len - 1)) * post;
      const src = (p * m + j) * post;
      if (isBool) {
        for (let q = 0; q < post; q++) if (upd[src + q] !== 0) o[dst + q] = 1;
      } else {
        for (let q = 0; q < post; q++) o[dst + q] = o[dst + q]! + upd[src + q]!;
      }
    }
  }
  return o;
};

/** Start offset (in elements) of a window of `sizes`, with each start clamped so the window fits. */
function windowOffset(
  starts: readonly TypedArray[],
  shape: Shape,
  sizes: readonly number[],
  strides: readonly number[],
): number {
  let off = 0;
  for (let d = 0; d < shape.length; d++) {
    const start = clamp(starts[d]![0]!, 0, Math.max(0, shape[d]! - sizes[d]!));
    off += start * strides[d]!;
  }
  return off;
}

export const dynamicSlice: Kernel<"dynamic_slice"> = (inputs, inShapes, _d, { sizes }, out) => {
  const shape = inShapes[0];
  const strides = stridesOf(shape);
  const off = windowOffset(inputs.slice(1), shape, sizes, strides);
  const o = allocate(out.dtype, sizeOf(sizes));
  copyStrided(inputs[0], off, strides, o, 0, stridesOf(sizes), sizes);
  return o;
};

export const dynamicUpdateSlice: Kernel<"dynamic_update_slice"> = (inputs, inShapes) => {
  const shape = inShapes[0];
  const updShape = inShapes[1];
  const strides = stridesOf(shape);
  const o = inputs[0].slice();
  const off = windowOffset(inputs.slice(2), shape, updShape, strides);
  copyStrided(inputs[1], 0, stridesOf(updShape), o, off, strides, updShape);
  return o;
};
