/**
 * Small helpers shared by the everyday-surface modules (matrix-shape, grid-shift, math-extra,
 * nan-reductions, counting). Internal: not re-exported from the `np` namespace.
 */
import type { Array } from "../core/array.js";
import { notStaticError } from "../core/errors.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { isFloat } from "../core/dtype.js";

/** A static JS integer argument, or a clear error naming the op and the argument. */
export function staticInt(op: string, name: string, v: unknown): number {
  if (typeof v !== "number") throw notStaticError(op, name, v);
  if (!Number.isInteger(v)) throw new TypeError(`${op}: ${name} must be an integer, got ${v}`);
  return v;
}

/** `x[start:stop]` along one axis (static bounds, already in range). */
export function sliceAlong(x: Array, axis: number, start: number, stop: number, stride = 1): Array {
  const begin = x.shape.map(() => 0);
  const limit = [...x.shape];
  const strides = x.shape.map(() => 1);
  begin[axis] = start;
  limit[axis] = stop;
  strides[axis] = stride;
  return bind1("slice", [x], { start: begin, limit, strides });
}

/** A scalar of x's dtype (weak when x is) broadcast to x's shape. */
export const filled = (x: Array, value: number): Array => L.fullLike(x, value);

/**
 * `cond ? f(x) : g(x)` where each branch only ever sees inputs from its own region (the other
 * elements get `fill`), so neither the value nor the gradient of the unused branch can be NaN or
 * infinite there: the "double where" that keeps reverse mode finite.
 */
export function safeSelect(
  cond: Array,
  x: Array,
  onTrue: (v: Array) => Array,
  onFalse: (v: Array) => Array,
  fillTrue = 1,
  fillFalse = 1,
): Array {
  const t = onTrue(L.select(cond, x, filled(x, fillTrue)));
  const f = onFalse(L.select(cond, filled(x, fillFalse), x));
  return L.select(cond, t, f);
}

/** The machine epsilon of a float dtype (float32 for anything else). */
export const epsOf = (x: Array): number => (x.dtype === "float64" ? 2 ** -52 : 2 ** -23);

/** The largest finite value of a float dtype. */
export const maxFiniteOf = (x: Array): number =>
  x.dtype === "float64" ? Number.MAX_VALUE : isFloat(x.dtype) ? 3.4028234663852886e38 : Number.NaN;
