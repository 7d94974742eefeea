/**
 * Data-movement kernels. Almost all of them are one strided copy: a view of the source described by
 * an offset and per-dimension strides (0 to broadcast, negative to reverse) written to a view of the
 * destination. Sharing that one loop keeps every layout op equally fast and equally tested.
 */
import { allocate, type DType, type TypedArray } from "../../../src/core/dtype.js";
import { sizeOf, stridesOf, type Shape } from "../../../src/core/shape.js";
import type { Kernel } from "./kernel.js";

/**
 * Copies the elements of `shape` from `src` (offset/strides) into `dst` (offset/strides), visiting
 * them in row-major order. The innermost dimension is a tight loop; the rest is an odometer.
 */
export function copyStrided(
  src: TypedArray,
  srcOff: number,
  srcStrides: readonly number[],
  dst: TypedArray,
  dstOff: number,
  dstStrides: readonly number[],
  shape: Shape,
): void {
  const nd = shape.length;
  if (nd === 0) {
    dst[dstOff] = src[srcOff]!;
    return;
  }
  if (sizeOf(shape) === 0) return;
  const inner = shape[nd - 1]!;
  const ss = srcStrides[nd - 1]!;
  const ds = dstStrides[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let s = srcOff;
  let d = dstOff;
  for (;;) {
    if (ss === 1 && ds === 1) {
      for (let k = 0; k < inner; k++) dst[d + k] = src[s + k]!;
    } else {
      for (let k = 0; k < inner; k++) dst[d + k * ds] = src[s + k * ss]!;
    }
    let ax = nd - 2;
    for (; ax >= 0; ax--) {
      s += srcStrides[ax]!;
      d += dstStrides[ax]!;
      if (++idx[ax]! < shape[ax]!) break;
      s -= srcStrides[ax]! * shape[ax]!;
      d -= dstStrides[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
    if (ax < 0) return;
  }
}

/** Materialises a strided view of `src` as a fresh contiguous array of `shape`. */
export function gatherView(
  src: TypedArray,
  off: number,
  strides: readonly number[],
  shape: Shape,
  dtype: DType,
): TypedArray {
  const dst = allocate(dtype, sizeOf(shape));
  copyStrided(src, off, strides, dst, 0, stridesOf(shape), shape);
  return dst;
}

export const broadcastInDim: Kernel<"broadcast_in_dim"> = (inputs, inShapes, _d, { broadcastDimensions }, out) => {
  const inShape = inShapes[0];
  const inStrides = stridesOf(inShape);
  const strides = new Array<number>(out.shape.length).fill(0);
  broadcastDimensions.forEach((o, i) => {
    // A size-1 operand dim is the one case that broadcasts, so it must not advance the source.
    strides[o] = inShape[i] === 1 ? 0 : inStrides[i]!;
  });
  return gatherView(inputs[0], 0, strides, out.shape, out.dtype);
};

export const reshape: Kernel<"reshape"> = (inputs) => inputs[0].slice();

export const transpose: Kernel<"transpose"> = (inputs, inShapes, _d, { permutation }, out) => {
  const inStrides = stridesOf(inShapes[0]);
  return gatherView(
    inputs[0],
    0,
    permutation.map((p) => inStrides[p]!),
    out.shape,
    out.dtype,
  );
};

export const slice: Kernel<"slice"> = (inputs, inShapes, _d, { start, strides }, out) => {
  const inStrides = stridesOf(inShapes[0]);
  let off = 0;
  for (let d = 0; d < inStrides.length; d++) off += start[d]! * inStrides[d]!;
  return gatherView(
    inputs[0],
    off,
    inStrides.map((s, d) => s * strides[d]!),
    out.shape,
    out.dtype,
  );
};

export const rev: Kernel<"rev"> = (inputs, inShapes, _d, { axes }, out) => {
  const shape = inShapes[0];
  const strides = stridesOf(shape);
  let off = 0;
  for (const a of axes) {
    if (shape[a] === 0) continue;
    off += (shape[a]! - 1) * strides[a]!;
    strides[a] = -strides[a]!;
  }
  return gatherView(inputs[0], off, strides, out.shape, out.dtype);
};

/**
 * Fills with `value`, then writes the operand into the lattice lo + i*(interior+1). Negative lo/hi
 * (XLA allows them: they crop) are handled by skipping the operand indices that fall outside.
 */
export const pad: Kernel<"pad"> = (inputs, inShapes, _d, { lo, interior, value }, out) => {
  const inShape = inShapes[0];
  const dst = allocate(out.dtype, sizeOf(out.shape));
  if (value !== 0) dst.fill(value);
  const nd = inShape.length;
  const inStrides = stridesOf(inShape);
  const outStrides = stridesOf(out.shape);
  const count = new Array<number>(nd);
  const dstSteps = new Array<number>(nd);
  let srcOff = 0;
  let dstOff = 0;
  for (let d = 0; d < nd; d++) {
    const step = interior[d]! + 1;
    const first = lo[d]! >= 0 ? 0 : Math.ceil(-lo[d]! / step);
    // Last operand index whose position lo + i*step is still inside the output.
    const last = Math.min(inShape[d]! - 1, Math.floor((out.shape[d]! - 1 - lo[d]!) / step));
    count[d] = Math.max(0, last - first + 1);
    srcOff += first * inStrides[d]!;
    dstOff += (lo[d]! + first * step) * outStrides[d]!;
    dstSteps[d] = step * outStrides[d]!;
  }
  copyStrided(inputs[0], srcOff, inStrides, dst, dstOff, dstSteps, count);
  return dst;
};

export const concatenate: Kernel<"concatenate"> = (inputs, inShapes, _d, { axis }, out) => {
  const dst = allocate(out.dtype, sizeOf(out.shape));
  const outer = sizeOf(out.shape.slice(0, axis));
  const post = sizeOf(out.shape.slice(axis + 1));
  const rowLen = out.shape[axis]! * post;
  let colOff = 0;
  for (let t = 0; t < inputs.length; t++) {
    const src = inputs[t]!;
    const chunk = inShapes[t]![axis]! * post;
    for (let o = 0; o < outer; o++) {
      const s = o * chunk;
      const d = o * rowLen + colOff;
      for (let k = 0; k < chunk; k++) dst[d + k] = src[s + k]!;
    }
    colOff += chunk;
  }
  return dst;
};

export const iota: Kernel<"iota"> = (_i, _s, _d, { shape, dimension }, out) => {
  const n = sizeOf(shape);
  const dst = allocate(out.dtype, n);
  const stride = stridesOf(shape)[dimension]!;
  const len = shape[dimension]!;
  for (let i = 0; i < n; i++) dst[i] = Math.floor(i / stride) % len;
  return dst;
};
