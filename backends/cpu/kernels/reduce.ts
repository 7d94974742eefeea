/**
 * Reductions. reduce_* walk the input once in row-major order (cache friendly whichever axes are
 * reduced), accumulating into a float64 scratch indexed by output position: float32 sums and products
 * therefore accumulate in double and round once at the end, and integer results stay exact int32
 * bit patterns (wrapped with `|0` / Math.imul at every step) until the final store.
 */
import { allocate, isFloat, type DType, type TypedArray } from "../../../src/core/dtype.js";
import { sizeOf } from "../../../src/core/shape.js";
import type { ReducePrim } from "../../../src/core/primitives.js";
import type { Kernel } from "./kernel.js";

/**
 * Folds one innermost row x[base .. base+len) into acc: into the single slot acc[j] when the row's
 * axis is reduced (s = 0), else elementwise into acc[j .. j+len) (s = 1).
 */
type RowFn = (x: TypedArray, base: number, len: number, acc: Float64Array, j: number, s: number) => void;

const sumRow: RowFn = (x, base, len, acc, j, s) => {
  if (s === 0) {
    let t = acc[j]!;
    for (let k = 0; k < len; k++) t += x[base + k]!;
    acc[j] = t;
  } else for (let k = 0; k < len; k++) acc[j + k] = acc[j + k]! + x[base + k]!;
};

const intSumRow: RowFn = (x, base, len, acc, j, s) => {
  if (s === 0) {
    let t = acc[j]!;
    for (let k = 0; k < len; k++) t = (t + x[base + k]!) | 0;
    acc[j] = t;
  } else for (let k = 0; k < len; k++) acc[j + k] = (acc[j + k]! + x[base + k]!) | 0;
};

const prodRow: RowFn = (x, base, len, acc, j, s) => {
  if (s === 0) {
    let t = acc[j]!;
    for (let k = 0; k < len; k++) t *= x[base + k]!;
    acc[j] = t;
  } else for (let k = 0; k < len; k++) acc[j + k] = acc[j + k]! * x[base + k]!;
};

const intProdRow: RowFn = (x, base, len, acc, j, s) => {
  if (s === 0) {
    let t = acc[j]!;
    for (let k = 0; k < len; k++) t = Math.imul(t, x[base + k]!);
    acc[j] = t;
  } else for (let k = 0; k < len; k++) acc[j + k] = Math.imul(acc[j + k]!, x[base + k]!);
};

// `v !== v` makes NaN win; once the accumulator is NaN no comparison can replace it. Zeros
// order as in Math.max/min (and np.maximum/minimum): +0 is the max of ±0, -0 the min, whatever
// the order they come in.
const maxRow: RowFn = (x, base, len, acc, j, s) => {
  for (let k = 0; k < len; k++) {
    const v = x[base + k]!;
    const a = acc[j + k * s]!;
    if (v > a || v !== v || (v === 0 && a === 0 && 1 / a < 0)) acc[j + k * s] = v;
  }
};

const minRow: RowFn = (x, base, len, acc, j, s) => {
  for (let k = 0; k < len; k++) {
    const v = x[base + k]!;
    const a = acc[j + k * s]!;
    if (v < a || v !== v || (v === 0 && a === 0 && 1 / v < 0)) acc[j + k * s] = v;
  }
};

const LOWEST: Record<DType, number> = {
  float32: -Infinity,
  float64: -Infinity,
  int32: -2147483648,
  uint32: 0,
  bool: 0,
};
const HIGHEST: Record<DType, number> = {
  float32: Infinity,
  float64: Infinity,
  int32: 2147483647,
  uint32: 4294967295,
  bool: 1,
};

function reduceKernel(op: ReducePrim): Kernel<ReducePrim> {
  return (inputs, inShapes, inDtypes, { axes }, out) => {
    const x = inputs[0];
    const dt = inDtypes[0];
    const float = isFloat(dt);
    let row: RowFn;
    let init: number;
    switch (op) {
      case "reduce_sum":
        [row, init] = [float ? sumRow : intSumRow, 0];
        break;
      case "reduce_prod":
        [row, init] = [float ? prodRow : intProdRow, 1];
        break;
      case "reduce_max":
        [row, init] = [maxRow, LOWEST[dt]];
        break;
      case "reduce_min":
        [row, init] = [minRow, HIGHEST[dt]];
        break;
    }
    const shape = inShapes[0].length === 0 ? [1] : inShapes[0];
    const nd = shape.length;
    const m = sizeOf(out.shape);
    const acc = new Float64Array(m).fill(init);
    // Output stride of each input axis; 0 for reduced axes, so they all land on one slot.
    const reduced = new Array<boolean>(nd).fill(false);
    for (const a of axes) reduced[a] = true;
    const ostr = new Array<number>(nd).fill(0);
    for (let d = nd - 1, st = 1; d >= 0; d--) {
      if (reduced[d]) continue;
      ostr[d] = st;
      st *= shape[d]!;
    }
    const n = x.length;
    const inner = shape[nd - 1]!;
    if (n > 0) {
      const idx = new Array<number>(nd).fill(0);
      let j = 0;
      for (let base = 0; base < n; base += inner) {
        row(x, base, inner, acc, j, ostr[nd - 1]!);
        for (let d = nd - 2; d >= 0; d--) {
          j += ostr[d]!;
          if (++idx[d]! < shape[d]!) break;
          j -= ostr[d]! * shape[d]!;
          idx[d] = 0;
        }
      }
    }
    const o = allocate(out.dtype, m);
    if (out.dtype === "bool") for (let i = 0; i < m; i++) o[i] = acc[i] !== 0 ? 1 : 0;
    else o.set(acc);
    return o;
  };
}

export const reduceSum = reduceKernel("reduce_sum");
export const reduceMax = reduceKernel("reduce_max");
export const reduceMin = reduceKernel("reduce_min");
export const reduceProd = reduceKernel("reduce_prod");

/** Splits a shape around `axis` into (outer, length, inner) extents. */
function around(shape: readonly number[], axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

/** First index of the max/min; a NaN counts as the extreme, so the first NaN wins (NumPy). */
function argKernel(isMax: boolean): Kernel<"argmax" | "argmin"> {
  return (inputs, inShapes, _d, { axis }, out) => {
    const x = inputs[0];
    const [pre, len, post] = around(inShapes[0], axis);
    const o = allocate(out.dtype, pre * post);
    if (len === 0 && pre * post > 0) throw new RangeError(`${isMax ? "argmax" : "argmin"}: axis ${axis} is empty`);
    for (let p = 0; p < pre; p++) {
      for (let i = 0; i < post; i++) {
        const base = p * len * post + i;
        let best = x[base]!;
        let bi = 0;
        if (best === best) {
          for (let k = 1; k < len; k++) {
            const v = x[base + k * post]!;
            if (v !== v) {
              bi = k;
              break;
            }
            if (isMax ? v > best : v < best) {
              best = v;
              bi = k;
            }
          }
        }
        o[p * post + i] = bi;
      }
    }
    return o;
  };
}

export const argmax: Kernel<"argmax"> = argKernel(true);
export const argmin: Kernel<"argmin"> = argKernel(false);

/** Running sums use a JS number (float32 accumulates in double); ints wrap; bool is a running `or`. */
export const cumsum: Kernel<"cumsum"> = (inputs, inShapes, _d, { axis, reverse }, out) => {
  const x = inputs[0];
  const shape = inShapes[0];
  const o = allocate(out.dtype, x.length);
  if (shape.length === 0) {
    o.set(x);
    return o;
  }
  const [pre, len, post] = around(shape, axis);
  const mode = isFloat(out.dtype) ? 0 : out.dtype === "bool" ? 2 : 1;
  const step = reverse ? -post : post;
  for (let p = 0; p < pre; p++) {
    for (let i = 0; i < post; i++) {
      let idx = p * len * post + i + (reverse ? (len - 1) * post : 0);
      let acc = 0;
      for (let k = 0; k < len; k++, idx += step) {
        const v = x[idx]!;
        acc = mode === 0 ? acc + v : mode === 1 ? (acc + v) | 0 : acc !== 0 || v !== 0 ? 1 : 0;
        o[idx] = acc;
      }
    }
  }
  return o;
};
