/** Shared argument handling for the distributions of `distributions-*.ts`: parameter shapes and dtypes. */
import { Array, type ArrayOrScalar, describeValue } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import { broadcastShapes } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import type { Scheme } from "./threefry.js";
import { splitKeys } from "./threefry.js";
import { checkShape, param, type FloatDType, type ShapeLike } from "./sampler-checks.js";

/** The shape of a number or array parameter, after checking it is one. */
export function paramShape(op: string, name: string, v: unknown): readonly number[] {
  if (typeof v === "number") return [];
  if (v instanceof Array) return v.shape;
  throw new TypeError(`random.${op}: ${name} must be a number or an array, got ${describeValue(v)}`);
}

/**
 * The sample shape: `shape` when given (the parameters must broadcast to it), else the broadcast
 * shape of the parameters, as JAX's `_check_broadcast_shapes`.
 */
export function sampleShape(op: string, shape: ShapeLike | undefined, params: Record<string, unknown>): number[] {
  const shapes = Object.entries(params).map(([name, v]) => paramShape(op, name, v));
  if (shape === undefined) return [...broadcastShapes(`random.${op}`, ...shapes)];
  return checkShape(op, shape);
}

/** A float parameter as an array of `dtype` broadcast to `shape`; non-float arrays are converted. */
export function floatParam(op: string, name: string, v: ArrayOrScalar, dtype: FloatDType, shape: readonly number[]) {
  if (v instanceof Array && v.dtype === "bool")
    throw new TypeError(`random.${op}: ${name} must be numeric, got a bool array`);
  return param(op, name, v, dtype, shape);
}

/** The dtype of a probability parameter, as JAX promotes it: float32 for numbers, else its float dtype. */
export function probDType(op: string, p: ArrayOrScalar): FloatDType {
  if (typeof p === "number") return "float32";
  if (p instanceof Array && isFloat(p.dtype) && (p.dtype === "float32" || p.dtype === "float64")) return p.dtype;
  if (p instanceof Array && p.dtype !== "bool" && !isFloat(p.dtype)) return "float32";
  throw new TypeError(
    `random.${op}: p must be a number or a float32/float64 array, got ${p instanceof Array ? p.dtype : typeof p}`,
  );
}

/** `n` keys split from `k` (JAX's `_split(key, n)`), each of shape [2]. */
export function splitN(scheme: Scheme, k: Array, n: number): Array[] {
  const keys = splitKeys(scheme, k, [n]);
  return globalThis.Array.from({ length: n }, (_, i) =>
    L.reshape(bind1("slice", [keys], { start: [i, 0], limit: [i + 1, 2], strides: [1, 1] }), [2]),
  );
}

/** Whether any element of a bool array is true, as a 0-d bool (false for an empty array): a rejection loop's "keep going". */
export const anyTrue = (b: Array): Array =>
  b.size === 0
    ? L.scalar(0, "bool")
    : L.gt(
        L.reduceSum(
          L.convert(b, "int32"),
          b.shape.map((_, i) => i),
        ),
        L.scalar(0, "int32"),
      );
