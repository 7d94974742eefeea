// Shared helpers of the second-order optimizers: argument checks, flattening a parameter pytree into one vector, and the flat objective.
import { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree } from "../tree/index.js";
import type { Params } from "./types.js";

/** An objective: a scalar-valued function of a pytree of float arrays. */
export type Objective<T = Params> = (params: T) => Array | number;

export type FloatDType = "float32" | "float64";

// ----------------------------------------------------------------------------------------------
// argument checks

export function rangeError(op: string, msg: string): never {
  throw new RangeError(`${op}: ${msg}`);
}
export function checkNonNeg(op: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !(v >= 0) || !Number.isFinite(v))
    rangeError(op, `${what} must be a finite number >= 0, got ${String(v)}`);
  return v;
}
export function checkPos(op: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !(v > 0) || !Number.isFinite(v))
    rangeError(op, `${what} must be a finite number > 0, got ${String(v)}`);
  return v;
}
export function checkInt(op: string, what: string, v: unknown, min: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    rangeError(op, `${what} must be an integer >= ${min}, got ${String(v)}`);
  return v;
}
export function checkFn(op: string, what: string, f: unknown): void {
  if (typeof f !== "function")
    throw new TypeError(`${op}: ${what} must be a function, got ${f === null ? "null" : typeof f}`);
}

// ----------------------------------------------------------------------------------------------
// flattening a parameter pytree into one vector

export interface Flattener<T> {
  n: number;
  dtype: FloatDType;
  ravel(t: unknown, what?: string): Array;
  unravel(v: Array): T;
}

export function flattener<T>(op: string, params: T): Flattener<T> {
  const [leaves, def] = tree.flatten(params);
  if (leaves.length === 0) throw new TypeError(`${op}: the parameters contain no arrays`);
  leaves.forEach((l, i) => {
    if (!(l instanceof Array) || (l.dtype !== "float32" && l.dtype !== "float64"))
      throw new TypeError(
        `${op}: every parameter leaf must be a float32 or float64 Array; leaf ${i} is ${l instanceof Array ? l.dtype : typeof l}`,
      );
  });
  const arrs = leaves as Array[];
  const shapes = arrs.map((a) => a.shape);
  const dtypes = arrs.map((a) => a.dtype as FloatDType);
  const sizes = arrs.map((a) => a.size);
  const dtype: FloatDType = dtypes.includes("float64") ? "float64" : "float32";
  const n = sizes.reduce((a, b) => a + b, 0);
  if (n === 0) throw new TypeError(`${op}: the parameters have no elements`);
  const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
  return {
    n,
    dtype,
    ravel(t: unknown, what = "the gradient"): Array {
      const [ls, d] = tree.flatten(t);
      if (!d.equals(def))
        throw new TypeError(
          `${op}: ${what} must have the parameters' structure ${def.toString()}, got ${d.toString()}`,
        );
      const flat = ls.map((l, i) => {
        const a = l instanceof Array ? l : np.asArray(l as number, op);
        if (a.size !== sizes[i])
          throw new TypeError(
            `${op}: leaf ${i} of ${what} has shape [${a.shape.join(", ")}], expected [${shapes[i]!.join(", ")}]`,
          );
        return a.reshape([a.size]).astype(dtype);
      });
      return flat.length === 1 ? flat[0]! : np.concatenate(flat);
    },
    unravel(v: Array): T {
      const parts = arrs.map((_, i) => {
        const piece = arrs.length === 1 ? v : v.get(np.slice(offsets[i]!, offsets[i]! + sizes[i]!));
        return piece.reshape([...shapes[i]!]).astype(dtypes[i]!);
      });
      return tree.unflatten<T>(def, parts);
    },
  };
}

/** f on the flat vector, checked to return a scalar. */
export function flatObjective<T>(op: string, f: Objective<T>, fl: Flattener<T>): (v: Array) => Array {
  return (v: Array): Array => {
    const out = f(fl.unravel(v));
    const a = out instanceof Array ? out : typeof out === "number" ? np.asArray(out, op) : undefined;
    if (a === undefined)
      throw new TypeError(`${op}: the objective must return a scalar Array, got ${out === null ? "null" : typeof out}`);
    if (a.size !== 1)
      throw new TypeError(
        `${op}: the objective must return a scalar, got shape [${a.shape.join(", ")}] (for least squares use levenbergMarquardt or method "lm")`,
      );
    const s = a.reshape([]);
    return s.dtype === "float32" || s.dtype === "float64" ? s : s.astype(fl.dtype);
  };
}

export const num = (a: Array): number => Number(a.item());
export const infNorm = (v: Array): number => num(np.max(np.abs(v)));
export const dotNum = (a: Array, b: Array): number => num(np.vdot(a, b));
