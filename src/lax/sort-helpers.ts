/**
 * Building blocks shared by the sorting functions (lax.topK, np.sort, np.argsort, np.unique,
 * np.quantile): stable ascending/descending argsorts along the last axis and a gather along it.
 * All are compositions of primitives, so they batch, jit and (through the gather) differentiate.
 */
import type { Array } from "../core/array.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Reverses `x` along its last axis. */
export const revLast = (x: Array): Array => (x.ndim === 0 ? x : bind1("rev", [x], { axes: [x.ndim - 1] }));

/**
 * Static slice `[start, limit)` with `stride` along `axis` (the other axes whole).
 * @example sliceAxis(x, 0, 1, x.shape[0], 2) // x[1::2]
 */
export function sliceAxis(x: Array, axis: number, start: number, limit: number, stride = 1): Array {
  const s = x.shape.map((_, i) => (i === axis ? start : 0));
  const l = x.shape.map((d, i) => (i === axis ? Math.max(start, limit) : d));
  const st = x.shape.map((_, i) => (i === axis ? stride : 1));
  return bind1("slice", [x], { start: s, limit: l, strides: st });
}

/**
 * `out[..., j] = x[..., idx[..., j]]`: idx (int32, in range) has x's leading axes and any last-axis
 * length. One flat gather with per-row offsets, so its derivative is a gather/scatter of the tangent.
 */
export function takeAlongLast(x: Array, idx: Array): Array {
  const n = x.shape[x.ndim - 1]!;
  const k = idx.shape[idx.ndim - 1]!;
  const rows = sizeOf(x.shape.slice(0, -1));
  if (rows * k === 0) return L.full({ shape: idx.shape, dtype: x.dtype }, 0);
  const offs = L.mul(
    bind1("iota", [], { shape: [rows, k], dimension: 0, dtype: "int32" }),
    L.full({ shape: [rows, k], dtype: "int32" }, n),
  );
  const flatIdx = L.add(L.reshape(idx, [rows, k]), offs);
  return L.reshape(bind1("gather", [L.reshape(x, [rows * n]), flatIdx], { axis: 0 }), idx.shape);
}

/**
 * Stable argsort along the last axis (NaN last). Descending is JAX's: the ascending stable sort of
 * the reversed vector, reversed back, so NaN comes first and equal keys keep their input order.
 */
export function argsortLast(x: Array, descending = false): Array {
  const axis = x.ndim - 1;
  if (!descending) return bind1("argsort", [x], { axis });
  const n = x.shape[axis]!;
  const up = revLast(bind1("argsort", [revLast(x)], { axis }));
  return L.sub(L.full(up.aval, n - 1), up);
}

/** Moves `axis` to the end, applies `f` (which keeps the rank), and moves it back. */
export function alongLast(x: Array, axis: number, f: (y: Array) => Array): Array {
  const last = x.ndim - 1;
  return L.moveAxis(f(L.moveAxis(x, axis, last)), last, axis);
}
