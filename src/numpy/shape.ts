/** Reshaping and axis manipulation. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { checkStaticShape, normalizeAxes, normalizeAxis, shapeStr, sizeOf } from "../core/shape.js";
import * as L from "../core/ops.js";
import { asArray, broadcastArray } from "../core/convert.js";
import { broadcastShapes } from "../core/shape.js";

/** New shape, one entry may be -1 (inferred). @example np.reshape(np.arange(6), [2, -1]) */
export function reshape(x: ArrayOrScalar, shape: readonly number[]): Array {
  const a = asArray(x, "reshape");
  checkStaticShape("reshape", shape, true);
  const unknown = shape.filter((d) => d === -1).length;
  if (unknown > 1 || shape.some((d) => !Number.isInteger(d) || d < -1))
    throw new Error(
      `reshape: invalid shape ${shapeStr(shape)} (only one -1 allowed, other sizes non-negative integers)`,
    );
  const known = sizeOf(shape.filter((d) => d !== -1));
  let out = [...shape];
  if (unknown) {
    if (known === 0 || a.size % known !== 0)
      throw new Error(
        `reshape: cannot reshape ${a.dtype}${shapeStr(a.shape)} (size ${a.size}) into ${shapeStr(shape)}`,
      );
    out = shape.map((d) => (d === -1 ? a.size / known : d));
  }
  if (sizeOf(out) !== a.size)
    throw new Error(
      `reshape: cannot reshape ${a.dtype}${shapeStr(a.shape)} (size ${a.size}) into ${shapeStr(shape)} (size ${sizeOf(out)})`,
    );
  return L.reshape(a, out);
}

/** Permutes axes (reverses them by default). @example np.transpose(x, [1, 0, 2]) */
export function transpose(x: ArrayOrScalar, axes?: readonly number[]): Array {
  const a = asArray(x, "transpose");
  if (axes === undefined)
    return L.transpose(
      a,
      a.shape.map((_, i) => a.ndim - 1 - i),
    );
  if (axes.length !== a.ndim)
    throw new Error(
      `transpose: axes ${JSON.stringify(axes)} must list each of the ${a.ndim} axes of ${shapeStr(a.shape)} once`,
    );
  const perm = axes.map((ax) => normalizeAxis("transpose", ax, a.ndim));
  if (new Set(perm).size !== perm.length) throw new Error(`transpose: axes ${JSON.stringify(axes)} repeat an axis`);
  return L.transpose(a, perm);
}

/**
 * Moves axis `source` to `destination`, keeping the others in order.
 * @example np.moveaxis(np.zeros([2, 3, 4]), 0, -1).shape // [3, 4, 2]
 */
export function moveaxis(x: Array, source: number, destination: number): Array {
  return L.moveAxis(x, normalizeAxis("moveaxis", source, x.ndim), normalizeAxis("moveaxis", destination, x.ndim));
}

/** Swaps two axes. @example np.swapaxes(np.zeros([2, 3, 4]), 0, 2).shape // [4, 3, 2] */
export function swapaxes(x: Array, a: number, b: number): Array {
  const perm = x.shape.map((_, i) => i);
  const [i, j] = [normalizeAxis("swapaxes", a, x.ndim), normalizeAxis("swapaxes", b, x.ndim)];
  [perm[i], perm[j]] = [perm[j]!, perm[i]!];
  return L.transpose(x, perm);
}

/** Inserts size-1 axes at the given positions (of the result). @example np.expandDims(x, 0) */
export function expandDims(x: ArrayOrScalar, axis: number | readonly number[]): Array {
  const a = asArray(x, "expandDims");
  const list = typeof axis === "number" ? [axis] : axis;
  const nd = a.ndim + list.length;
  const axes = normalizeAxes("expandDims", list, nd);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < nd; i++) shape.push(axes.includes(i) ? 1 : a.shape[k++]!);
  return L.reshape(a, shape);
}

/**
 * Removes size-1 axes (all of them, or the given ones, which must have size 1).
 * @example
 * np.squeeze(np.zeros([1, 3, 1])).shape; // [3]
 * np.squeeze(np.zeros([1, 3, 1]), 0).shape; // [3, 1]
 */
export function squeeze(x: ArrayOrScalar, axis?: number | readonly number[]): Array {
  const a = asArray(x, "squeeze");
  const axes =
    axis === undefined ? a.shape.flatMap((d, i) => (d === 1 ? [i] : [])) : normalizeAxes("squeeze", axis, a.ndim);
  for (const ax of axes)
    if (a.shape[ax] !== 1)
      throw new Error(`squeeze: axis ${ax} of ${shapeStr(a.shape)} has size ${a.shape[ax]}, not 1`);
  return L.reshape(
    a,
    a.shape.filter((_, i) => !axes.includes(i)),
  );
}

/** Broadcasts to `shape` under NumPy rules. @example np.broadcastTo(np.array([1, 2]), [3, 2]) */
export function broadcastTo(x: ArrayOrScalar, shape: readonly number[]): Array {
  const a = asArray(x, "broadcastTo");
  const out = broadcastShapes("broadcastTo", a.shape, shape);
  if (out.length !== shape.length || out.some((d, i) => d !== shape[i]))
    throw new Error(`broadcastTo: cannot broadcast ${shapeStr(a.shape)} to ${shapeStr(shape)}`);
  return broadcastArray(a, shape);
}

/** Flattens to 1-D. @example np.ravel(np.array([[1, 2], [3, 4]])) // array([1., 2., 3., 4.]) */
export const ravel = (x: ArrayOrScalar): Array => reshape(x, [-1]);
