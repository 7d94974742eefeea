/** Argument validation shared by the `graft-ad/random` samplers: keys, shapes, float dtypes and broadcast parameters. */
import { Array, type ArrayOrScalar, describeValue } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import { broadcastShapes, shapeEqual, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { foreignArrayNote } from "../core/validate.js";

/** A float dtype accepted by the continuous samplers. */
export type FloatDType = "float32" | "float64";
/** A shape: a list of non-negative integers, or one integer for a 1-D shape. */
export type ShapeLike = number | readonly number[];

export function checkKey(op: string, key: unknown): Array {
  if (!(key instanceof Array))
    throw new TypeError(
      `random.${op}: expected a PRNG key (a uint32[2] array from random.key), got ${describeValue(key)}${foreignArrayNote(key)}`,
    );
  if (key.dtype !== "uint32" || key.ndim === 0 || key.shape[key.ndim - 1] !== 2)
    throw new TypeError(
      `random.${op}: expected a PRNG key (a uint32[2] array from random.key), got ${key.dtype}${shapeStr(key.shape)}`,
    );
  if (key.ndim !== 1)
    throw new TypeError(
      `random.${op}: expected a single PRNG key of shape [2], got a batch of keys ${key.dtype}${shapeStr(key.shape)}; map over the keys with vmap`,
    );
  return key;
}

export function checkShape(op: string, shape: unknown): number[] {
  const s = typeof shape === "number" ? [shape] : shape;
  if (!globalThis.Array.isArray(s) || !s.every((d) => Number.isInteger(d) && d >= 0))
    throw new TypeError(
      `random.${op}: shape must be a non-negative integer or a list of them, got ${JSON.stringify(shape)}`,
    );
  return [...(s as number[])];
}

export function checkFloatDType(op: string, dtype: unknown): FloatDType {
  if (dtype !== "float32" && dtype !== "float64")
    throw new TypeError(
      `random.${op}: dtype must be a float dtype ("float32" or "float64"), got ${JSON.stringify(dtype)}`,
    );
  return dtype;
}

/** A parameter as an array of `dtype`, broadcast to `shape` (it must broadcast to exactly `shape`). */
export function param(op: string, name: string, v: ArrayOrScalar, dtype: DType, shape: readonly number[]): Array {
  if (typeof v === "number") return L.full({ shape, dtype }, v);
  if (!(v instanceof Array)) throw new TypeError(`random.${op}: ${name} must be a number or an array, got ${typeof v}`);
  const a = L.convert(v, dtype);
  const b = broadcastShapes(`random.${op}`, shape, a.shape);
  if (!shapeEqual(b, shape))
    throw new Error(
      `random.${op}: ${name} of shape ${shapeStr(a.shape)} does not broadcast to the sample shape ${shapeStr(shape)}`,
    );
  return L.broadcastInDim(
    a,
    shape,
    a.shape.map((_, i) => i + shape.length - a.ndim),
  );
}
