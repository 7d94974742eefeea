/** Reductions over an axis, a list of axes, or everything (axis omitted / null). */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { normalizeAxes, normalizeAxis, shapeStr } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import type { ReducePrim } from "../core/primitives.js";
import * as L from "../core/ops.js";
import { asArray, castTo, toFloat } from "../core/convert.js";
import { checkOptions } from "../core/options.js";

export type Axis = number | readonly number[] | null | undefined;
export interface ReduceOptions {
  keepdims?: boolean;
}

function keep(y: Array, inShape: readonly number[], axes: readonly number[], keepdims?: boolean): Array {
  return keepdims
    ? L.reshape(
        y,
        inShape.map((d, i) => (axes.includes(i) ? 1 : d)),
      )
    : y;
}

function reducer(prim: ReducePrim, op: string, prep: (x: Array) => Array) {
  return (x: ArrayOrScalar, axis?: Axis, opts: ReduceOptions = {}): Array => {
    checkOptions(op, opts, ["keepdims"]);
    const a = prep(asArray(x, op));
    const axes = normalizeAxes(op, axis, a.ndim);
    if ((op === "max" || op === "min") && axes.some((ax) => a.shape[ax] === 0))
      throw new Error(`${op}: zero-size reduction over an empty axis of ${shapeStr(a.shape)} has no identity`);
    const y = axes.length ? bind1(prim, [a], { axes }) : a;
    return keep(y, a.shape, axes, opts.keepdims);
  };
}

// NumPy sums booleans as integers.
const sumPrep = (x: Array): Array => (x.dtype === "bool" ? castTo(x, "int32") : x);
const id = (x: Array): Array => x;

/** Sum of elements. @example np.sum(x, 0, { keepdims: true }) */
export const sum = reducer("reduce_sum", "sum", sumPrep);
/** Product of elements. @example np.prod(np.array([[1, 2], [3, 4]]), 0) // array([3., 8.]) */
export const prod = reducer("reduce_prod", "prod", sumPrep);
/** Maximum (NaN propagates). @example np.max(np.array([[1, 5], [3, 2]]), 1) // array([5., 3.]) */
export const max = reducer("reduce_max", "max", id);
/** Minimum (NaN propagates). @example np.min(np.array([[1, 5], [3, 2]]), 0) // array([1., 2.]) */
export const min = reducer("reduce_min", "min", id);

const toBool = (x: Array): Array => (x.dtype === "bool" ? x : L.binary("ne", x, L.fullLike(x, 0)));
/**
 * True where all elements along the axes are truthy.
 * @example np.all(np.array([[true, false], [true, true]]), 1) // array([false,  true])
 */
export const all = reducer("reduce_min", "all", toBool);
/**
 * True where any element along the axes is truthy.
 * @example np.any(np.array([[true, false], [false, false]]), 1) // array([ true, false])
 */
export const any = reducer("reduce_max", "any", toBool);

const count = (shape: readonly number[], axes: readonly number[]): number => axes.reduce((n, a) => n * shape[a]!, 1);

/** Arithmetic mean (float). @example np.mean(np.array([[1, 2], [3, 4]]), 0) // array([2., 3.]) */
export function mean(x: ArrayOrScalar, axis?: Axis, opts: ReduceOptions = {}): Array {
  checkOptions("mean", opts, ["keepdims"]);
  const a = toFloat(asArray(x, "mean"));
  const axes = normalizeAxes("mean", axis, a.ndim);
  const s = sum(a, axes, opts);
  return L.div(s, L.fullLike(s, count(a.shape, axes)));
}

/**
 * Variance with `ddof` delta degrees of freedom (default 0).
 * @example
 * np.var_(np.array([1, 2, 3, 4])); // array(1.25)
 * np.var_(np.array([1, 2, 3, 4]), null, { ddof: 1 }); // array(1.6666666)
 */
export function var_(x: ArrayOrScalar, axis?: Axis, opts: ReduceOptions & { ddof?: number } = {}): Array {
  checkOptions("var", opts, ["keepdims", "ddof"]);
  const a = toFloat(asArray(x, "var"));
  const axes = normalizeAxes("var", axis, a.ndim);
  const centered = L.sub(
    a,
    L.broadcastInDim(
      mean(a, axes, { keepdims: true }),
      a.shape,
      a.shape.map((_, i) => i),
    ),
  );
  const ss = sum(L.mul(centered, centered), axes, { keepdims: opts.keepdims ?? false });
  return L.div(ss, L.fullLike(ss, count(a.shape, axes) - (opts.ddof ?? 0)));
}
/** Standard deviation: sqrt(var). @example np.std(np.array([2, 4, 4, 4, 5, 5, 7, 9])) // array(2.) */
export function std(x: ArrayOrScalar, axis?: Axis, opts: ReduceOptions & { ddof?: number } = {}): Array {
  checkOptions("std", opts, ["keepdims", "ddof"]);
  return L.sqrt(var_(x, axis, opts));
}

function argReduce(prim: "argmax" | "argmin") {
  return (x: ArrayOrScalar, axis?: number | null, opts: ReduceOptions = {}): Array => {
    checkOptions(prim, opts, ["keepdims"]);
    let a = asArray(x, prim);
    if (axis === undefined || axis === null) {
      a = L.reshape(a, [a.size]);
      axis = 0;
    }
    const ax = normalizeAxis(prim, axis, a.ndim);
    if (a.shape[ax] === 0) throw new Error(`${prim}: attempt to get ${prim} of an empty axis of ${shapeStr(a.shape)}`);
    return keep(bind1(prim, [a], { axis: ax }), a.shape, [ax], opts.keepdims);
  };
}
/**
 * Index of the maximum (first one; flattened when axis is omitted).
 * @example
 * np.argmax(np.array([[1, 5], [7, 2]])); // array(2)
 * np.argmax(np.array([[1, 5], [7, 2]]), 1); // array([1, 0])
 */
export const argmax = argReduce("argmax");
/** Index of the minimum. @example np.argmin(np.array([3, 1, 2])) // array(1) */
export const argmin = argReduce("argmin");

/**
 * Cumulative sum (over the flattened array when axis is omitted).
 * @example
 * np.cumsum(np.array([1, 2, 3])); // array([1., 3., 6.])
 * np.cumsum(np.array([1, 2, 3]), 0, { reverse: true }); // array([6., 5., 3.])
 */
export function cumsum(x: ArrayOrScalar, axis?: number | null, opts: { reverse?: boolean } = {}): Array {
  checkOptions("cumsum", opts, ["reverse"]);
  let a = sumPrep(asArray(x, "cumsum"));
  if (axis === undefined || axis === null) {
    a = L.reshape(a, [a.size]);
    axis = 0;
  }
  return bind1("cumsum", [a], { axis: normalizeAxis("cumsum", axis, a.ndim), reverse: opts.reverse ?? false });
}

/**
 * log(sum(exp(x))) computed stably: the max is subtracted first (and treated as a constant for
 * differentiation, which is exact because the result does not depend on it).
 *
 * @example np.logsumexp(np.array([1000, 1000])) // array(1000.6932): 1000 + log 2, no overflow
 */
export function logsumexp(x: ArrayOrScalar, axis?: Axis, opts: ReduceOptions = {}): Array {
  checkOptions("logsumexp", opts, ["keepdims"]);
  const a = toFloat(asArray(x, "logsumexp"));
  const axes = normalizeAxes("logsumexp", axis, a.ndim);
  if (a.size === 0) return keep(L.fullLike(sum(a, axes), -Infinity), a.shape, axes, opts.keepdims);
  const m0 = bind1("stop_gradient", [max(a, axes, { keepdims: true })], {});
  const m = L.select(L.unary("isfinite", m0), m0, L.fullLike(m0, 0));
  const mb = L.broadcastInDim(
    m,
    a.shape,
    a.shape.map((_, i) => i),
  );
  const s = L.log(sum(L.exp(L.sub(a, mb)), axes, { keepdims: true }));
  const out = L.add(s, m);
  return opts.keepdims
    ? out
    : L.reshape(
        out,
        a.shape.filter((_, i) => !axes.includes(i)),
      );
}
