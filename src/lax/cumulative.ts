/**
 * `lax.cumsum`, `lax.cumprod`, `lax.cummax`, `lax.cummin`: inclusive cumulative reductions along
 * an axis. cumsum is its own (linear) primitive; the others are associative scans of mul / max /
 * min, as JAX differentiates them, so their derivatives are JAX's (ties in max/min split evenly).
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { normalizeAxis } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { asArray } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { associativeScan } from "./associative-scan.js";

export interface CumulativeOptions {
  /** Accumulate from the end of the axis instead of the start. */
  reverse?: boolean;
}

function prep(op: string, x: ArrayOrScalar, axis: number, opts: CumulativeOptions): [Array, number, boolean] {
  checkOptions(op, opts, ["reverse"]);
  if (opts.reverse !== undefined && typeof opts.reverse !== "boolean")
    throw new TypeError(`${op}: reverse must be a boolean, got ${typeof opts.reverse}`);
  const a = asArray(x, op);
  if (a.ndim === 0) throw new RangeError(`${op}: needs an array of rank >= 1, got a scalar (rank 0)`);
  return [a, normalizeAxis(op, axis, a.ndim), opts.reverse ?? false];
}

function byScan(op: string, combine: (a: Array, b: Array) => Array) {
  return (x: ArrayOrScalar, axis = 0, opts: CumulativeOptions = {}): Array => {
    const [a, ax, reverse] = prep(op, x, axis, opts);
    return associativeScan(combine, a, { axis: ax, reverse });
  };
}

/**
 * Inclusive cumulative sum along `axis` (default 0), from the end when `reverse`; keeps the dtype.
 * @example lax.cumsum(np.array([1, 2, 3])); // [1, 3, 6]
 */
export function cumsum(x: ArrayOrScalar, axis = 0, opts: CumulativeOptions = {}): Array {
  const [a, ax, reverse] = prep("cumsum", x, axis, opts);
  return bind1("cumsum", [a], { axis: ax, reverse });
}

/**
 * Inclusive cumulative product along `axis` (default 0), from the end when `reverse`.
 * @example lax.cumprod(np.array([1, 2, 3]), 0, { reverse: true }); // [6, 6, 3]
 */
export const cumprod = byScan("cumprod", L.mul);

/**
 * Running maximum along `axis` (default 0; NaN propagates), from the end when `reverse`.
 * @example lax.cummax(np.array([1, 3, 2])); // [1, 3, 3]
 */
export const cummax = byScan("cummax", (a, b) => L.binary("max", a, b));

/**
 * Running minimum along `axis` (default 0; NaN propagates), from the end when `reverse`.
 * @example lax.cummin(np.array([3, 1, 2])); // [3, 1, 1]
 */
export const cummin = byScan("cummin", (a, b) => L.binary("min", a, b));
