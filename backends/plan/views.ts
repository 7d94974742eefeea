/**
 * Index arithmetic for view operations: each function maps a strided view of a value (offset and
 * one stride per dimension, in elements) to the view of the operation's result, without copying.
 * Reshape can fail (a transposed view cannot always be regrouped): it returns undefined and the
 * planner materializes the operand first.
 */

import type { Eqn } from "../../src/core/program.js";
import { stridesOf } from "../../src/core/shape.js";
import type { View } from "./types.js";

export interface Strided {
  readonly offset: number;
  readonly strides: readonly number[];
}

/** Row-major strides of a contiguous array of `shape`. */
export const contiguousStrides = (shape: readonly number[]): number[] => stridesOf(shape);

/** True when the view reads a whole contiguous buffer of `shape` in row-major order. */
export function isContiguous(v: Strided, shape: readonly number[]): boolean {
  if (v.offset !== 0) return false;
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    if (shape[i]! !== 1 && v.strides[i] !== acc) return false;
    acc *= shape[i]!;
  }
  return true;
}

/** broadcast_in_dim: operand dim i becomes output dim dims[i]; size-1 operand dims and new dims get stride 0. */
export function broadcastView(
  v: Strided,
  inShape: readonly number[],
  outShape: readonly number[],
  dims: readonly number[],
): Strided {
  const strides = new Array<number>(outShape.length).fill(0);
  dims.forEach((d, i) => {
    strides[d] = inShape[i] === 1 && outShape[d] !== 1 ? 0 : v.strides[i]!;
  });
  return { offset: v.offset, strides };
}

export function transposeView(v: Strided, perm: readonly number[]): Strided {
  return { offset: v.offset, strides: perm.map((p) => v.strides[p]!) };
}

export function sliceView(v: Strided, start: readonly number[], strides: readonly number[]): Strided {
  let offset = v.offset;
  start.forEach((s, i) => {
    offset += s * v.strides[i]!;
  });
  return { offset, strides: v.strides.map((s, i) => s * strides[i]!) };
}

export function revView(v: Strided, shape: readonly number[], axes: readonly number[]): Strided {
  let offset = v.offset;
  const strides = [...v.strides];
  for (const a of axes) {
    offset += (shape[a]! - 1) * strides[a]!;
    strides[a] = -strides[a]!;
  }
  return { offset, strides };
}

/**
 * reshape without a copy, where the view allows it: dimensions are grouped into runs whose
 * product matches between the old and new shapes, and each old run must be one stride chain.
 */
export function reshapeView(v: Strided, inShape: readonly number[], outShape: readonly number[]): Strided | undefined {
  // An empty array has no elements to address: any strides do.
  if (inShape.includes(0) || outShape.includes(0)) return { offset: v.offset, strides: contiguousStrides(outShape) };
  // Size-1 dims carry no stride information: drop them on the way in, give them stride 0 out.
  const dims: [number, number][] = [];
  inShape.forEach((n, i) => {
    if (n !== 1) dims.push([n, v.strides[i]!]);
  });
  const out = new Array<number>(outShape.length).fill(0);
  let di = 0;
  let oi = 0;
  while (oi < outShape.length) {
    if (outShape[oi] === 1) {
      oi++;
      continue;
    }
    if (di >= dims.length) return undefined;
    // Take the smallest groups of old dims and new dims with equal products.
    let inProd = dims[di]![0];
    let outProd = outShape[oi]!;
    const groupIn = [di];
    const groupOut = [oi];
    while (inProd !== outProd) {
      if (inProd < outProd) {
        di++;
        if (di >= dims.length) return undefined;
        inProd *= dims[di]![0];
        groupIn.push(di);
      } else {
        oi++;
        while (oi < outShape.length && outShape[oi] === 1) oi++;
        if (oi >= outShape.length) return undefined;
        outProd *= outShape[oi]!;
        groupOut.push(oi);
      }
    }
    // The old group must be a stride chain: stride[j] = stride[j+1]·size[j+1].
    for (let j = 0; j + 1 < groupIn.length; j++) {
      const [, s] = dims[groupIn[j]!]!;
      const [n1, s1] = dims[groupIn[j + 1]!]!;
      if (s !== s1 * n1) return undefined;
    }
    let stride = dims[groupIn[groupIn.length - 1]!]![1];
    for (let j = groupOut.length - 1; j >= 0; j--) {
      const o = groupOut[j]!;
      if (outShape[o] === 1) continue;
      out[o] = stride;
      stride *= outShape[o]!;
    }
    di++;
    oi++;
  }
  if (di < dims.length) return undefined;
  return { offset: v.offset, strides: out };
}

export interface Group {
  readonly stride: number;
}

/** One stride for a group of dims that form a stride chain (empty or all size-1: stride 0). */
export function mergeGroup(view: Strided, shape: readonly number[], dims: readonly number[]): Group | undefined {
  const live = dims.filter((d) => shape[d] !== 1);
  if (live.length === 0) return { stride: 0 };
  for (let j = 0; j + 1 < live.length; j++) {
    const d = live[j]!;
    const d1 = live[j + 1]!;
    if (view.strides[d] !== view.strides[d1]! * shape[d1]!) return undefined;
  }
  return { stride: view.strides[live[live.length - 1]!]! };
}

export function withStrided(v: View, s: Strided | undefined): View {
  if (!s) throw new Error("internal error: a view operation failed after it was checked");
  return { buffer: v.buffer, offset: s.offset, strides: s.strides };
}

/** The view function of a view primitive (undefined result: cannot be done without a copy). */
export function viewFunction(
  e: Eqn,
  inShape: readonly number[],
  outShape: readonly number[],
): (s: Strided) => Strided | undefined {
  const p = e.params as Record<string, number[]>;
  switch (e.prim) {
    case "broadcast_in_dim":
      return (s) => broadcastView(s, inShape, outShape, p.broadcastDimensions!);
    case "transpose":
      return (s) => transposeView(s, p.permutation!);
    case "slice":
      return (s) => sliceView(s, p.start!, p.strides!);
    case "rev":
      return (s) => revView(s, inShape, p.axes!);
    default:
      return (s) => reshapeView(s, inShape, outShape);
  }
}
