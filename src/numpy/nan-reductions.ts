/**
 * NaN-ignoring reductions after jax.numpy (`nansum`, `nanmean`, `nanmax`, `nanmin`) and
 * `nanToNum`. NaNs are replaced by the reduction's identity with a select, so gradients flow to
 * the non-NaN elements only.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import { normalizeAxes, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { asArray, castTo } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { all, type Axis, max, mean, min, type ReduceOptions, sum } from "./reductions.js";
import { filled, maxFiniteOf } from "./surface-helpers.js";

const isNan = (x: Array): Array => L.binary("ne", x, x);
/** x with NaNs replaced by `fill` (integers have no NaN and pass through). */
const withoutNan = (x: Array, fill: number): Array => (isFloat(x.dtype) ? L.select(isNan(x), filled(x, fill), x) : x);

/**
 * Sum ignoring NaNs (0 when every element is NaN).
 * @example np.nansum(np.array([1, NaN, 2])) // array(3.)
 */
export function nansum(x: ArrayOrScalar, axis?: Axis, opts: ReduceOptions = {}): Array {
  checkOptions("nansum", opts, ["keepdims"]);
  return sum(withoutNan(asArray(x, "nansum"), 0), axis, opts);
}

/**
 * Mean of the non-NaN elements (NaN when there are none).
 * @example np.nanmean(np.array([1, NaN, 3])) // array(2.)
 */
export function nanmean(x: ArrayOrScalar, axis?: Axis, opts: ReduceOptions = {}): Array {
  checkOptions("nanmean", opts, ["keepdims"]);
  const a = asArray(x, "nanmean");
  if (!isFloat(a.dtype)) return mean(a, axis, opts);
  const count = sum(castTo(L.unary("not", isNan(a)), a.dtype), axis, opts);
  return L.div(nansum(a, axis, opts), count);
}

function nanExtreme(op: "nanmax" | "nanmin", x: ArrayOrScalar, axis: Axis, opts: ReduceOptions): Array {
  checkOptions(op, opts, ["keepdims"]);
  const a = asArray(x, op);
  const axes = normalizeAxes(op, axis, a.ndim);
  if (axes.some((ax) => a.shape[ax] === 0))
    throw new RangeError(`${op}: zero-size reduction over an empty axis of ${shapeStr(a.shape)} has no identity`);
  const reduce = op === "nanmax" ? max : min;
  if (!isFloat(a.dtype)) return reduce(a, axes, opts);
  const out = reduce(withoutNan(a, op === "nanmax" ? -Infinity : Infinity), axes, opts);
  // Only an all-NaN slice stays NaN.
  return L.select(all(isNan(a), axes, opts), filled(out, Number.NaN), out);
}

/**
 * Maximum ignoring NaNs (NaN where a slice is all NaN).
 * @example np.nanmax(np.array([1, NaN, 3])) // array(3.)
 */
export const nanmax = (x: ArrayOrScalar, axis?: Axis, opts: ReduceOptions = {}): Array =>
  nanExtreme("nanmax", x, axis, opts);

/**
 * Minimum ignoring NaNs (NaN where a slice is all NaN).
 * @example np.nanmin(np.array([1, NaN, 3])) // array(1.)
 */
export const nanmin = (x: ArrayOrScalar, axis?: Axis, opts: ReduceOptions = {}): Array =>
  nanExtreme("nanmin", x, axis, opts);

/** Replacements for `nanToNum`: NaN → `nan` (0), +∞ → `posinf`, −∞ → `neginf` (the dtype's extremes). */
export interface NanToNumOptions {
  nan?: number;
  posinf?: number;
  neginf?: number;
}

/**
 * Replaces NaN and ±∞ with finite numbers (integer inputs pass through).
 * @example np.nanToNum(np.array([NaN, Infinity, -Infinity, 1])) // array([ 0., 3.4028235e+38, -3.4028235e+38, 1.])
 */
export function nanToNum(x: ArrayOrScalar, opts: NanToNumOptions = {}): Array {
  checkOptions("nanToNum", opts, ["nan", "posinf", "neginf"]);
  for (const [k, v] of Object.entries(opts))
    if (typeof v !== "number") throw new TypeError(`nanToNum: ${k} must be a number, got ${typeof v}`);
  const a = asArray(x, "nanToNum");
  if (!isFloat(a.dtype)) return a;
  const big = maxFiniteOf(a);
  let out = withoutNan(a, opts.nan ?? 0);
  out = L.select(L.eq(out, filled(out, Infinity)), filled(out, opts.posinf ?? big), out);
  return L.select(L.eq(out, filled(out, -Infinity)), filled(out, opts.neginf ?? -big), out);
}
