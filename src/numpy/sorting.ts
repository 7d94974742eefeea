/**
 * Sorting: `sort`, `argsort` (on the stable argsort primitive; NaN last, as NumPy and JAX) and
 * `searchsorted` (an unrolled binary search, so it runs under jit without reading values back).
 */
import { type Array, type ArrayOrScalar, isArray } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import { normalizeAxis, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { asArray, promote } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { alongLast, argsortLast, takeAlongLast } from "../lax/sort-helpers.js";
import { take } from "./take.js";

export interface SortOptions {
  /** Largest first (NaN first); equal elements still keep their input order. Default false. */
  descending?: boolean;
  /** Accepted for JAX compatibility: graft's sort is always stable. */
  stable?: boolean;
}

function sortPrep(op: string, x: ArrayOrScalar, axis: number | null, opts: SortOptions): [Array, number, boolean] {
  checkOptions(op, opts, ["descending", "stable"]);
  if (opts.descending !== undefined && typeof opts.descending !== "boolean")
    throw new TypeError(`${op}: descending must be a boolean, got ${typeof opts.descending}`);
  if (opts.stable !== undefined && typeof opts.stable !== "boolean")
    throw new TypeError(`${op}: stable must be a boolean, got ${typeof opts.stable}`);
  let a = asArray(x, op);
  if (axis === null) a = L.reshape(a, [a.size]);
  return [a, normalizeAxis(op, axis ?? 0, a.ndim), opts.descending ?? false];
}

/**
 * Indices (int32) that sort `x` along `axis` (default -1; `null` sorts the flattened array):
 * stable, NaN last; with `descending`, largest first and NaN first, equal elements in input order.
 *
 * @example
 * np.argsort(np.array([3, 1, 2])); // [1, 2, 0]
 * np.argsort(np.array([1, 3, 1]), -1, { descending: true }); // [1, 0, 2]
 */
export function argsort(x: ArrayOrScalar, axis: number | null = -1, opts: SortOptions = {}): Array {
  const [a, ax, descending] = sortPrep("argsort", x, axis, opts);
  return alongLast(a, ax, (y) => argsortLast(y, descending));
}

/**
 * `x` sorted along `axis` (default -1; `null` flattens), NaN last (first when `descending`).
 * Differentiable: the tangent is permuted like the values.
 *
 * @example
 * np.sort(np.array([[3, 1], [0, 2]])); // [[1, 3], [0, 2]]
 * np.sort(np.array([3, 1, 2]), -1, { descending: true }); // [3, 2, 1]
 */
export function sort(x: ArrayOrScalar, axis: number | null = -1, opts: SortOptions = {}): Array {
  const [a, ax, descending] = sortPrep("sort", x, axis, opts);
  return alongLast(a, ax, (y) => {
    const up = takeAlongLast(y, argsortLast(y));
    // JAX reverses the ascending sort, so equal values (±0) come out in reverse input order.
    return descending ? bind1("rev", [up], { axes: [up.ndim - 1] }) : up;
  });
}

export interface SearchSortedOptions {
  /** "left" (default): the first index i with v <= a[i]; "right": the first with v < a[i]. */
  side?: "left" | "right";
  /** Indices that sort `a` (e.g. from argsort), when `a` itself is not sorted. */
  sorter?: Array | readonly number[];
}

/** a < b with NaN above everything (the order sort uses). */
function sortLess(a: Array, b: Array): Array {
  if (!isFloat(a.dtype)) return L.binary("lt", a, b);
  const aNan = L.binary("ne", a, a);
  const bNan = L.binary("ne", b, b);
  return L.binary("or", L.binary("lt", a, b), L.binary("and", bNan, L.unary("not", aNan)));
}

/**
 * Insertion indices (int32, shaped like `v`) that keep the sorted 1-D array `a` sorted (NaN
 * sorts last): a binary search of ⌈log2(n+1)⌉ gather steps per value, which stays on the device
 * under jit.
 *
 * @example
 * np.searchsorted(np.array([1, 2, 2, 3]), np.array([2, 5])); // [1, 4]
 * np.searchsorted(np.array([1, 2, 2, 3]), 2, { side: "right" }); // 3
 */
export function searchsorted(a: ArrayOrScalar, v: ArrayOrScalar, opts: SearchSortedOptions = {}): Array {
  checkOptions("searchsorted", opts, ["side", "sorter"]);
  const side = opts.side ?? "left";
  if (side !== "left" && side !== "right")
    throw new TypeError(`searchsorted: side must be "left" or "right", got ${JSON.stringify(side)}`);
  let [sorted, values] = promote("searchsorted", a, v);
  if (sorted!.ndim !== 1)
    throw new RangeError(`searchsorted: a must be 1-D (a sorted vector), got shape ${shapeStr(sorted!.shape)}`);
  if (opts.sorter !== undefined) {
    const sorter = opts.sorter;
    const m = isArray(sorter) ? sorter.size : sorter.length;
    if (m !== sorted!.size || (isArray(sorter) && sorter.ndim !== 1))
      throw new RangeError(`searchsorted: sorter must hold one index per element of a (${sorted!.size}), got ${m}`);
    sorted = take(sorted!, opts.sorter, 0);
  }
  const vals = values!;
  const n = sorted!.size;
  const flat = L.reshape(vals, [vals.size]);
  const int = (x: number) => L.full({ shape: flat.shape, dtype: "int32" }, x);
  let lo = int(0);
  let hi = int(n);
  for (let width = n; width > 0; width >>= 1) {
    const mid = L.binary("shift_right_logical", L.add(lo, hi), int(1));
    const probe = bind1("gather", [sorted!, L.binary("min", mid, int(n - 1))], { axis: 0 });
    // left: move right while a[mid] < v; right: while a[mid] <= v, i.e. not (v < a[mid]).
    const goRight = side === "left" ? sortLess(probe, flat) : L.unary("not", sortLess(flat, probe));
    const active = L.binary("lt", lo, hi);
    lo = L.select(L.binary("and", active, goRight), L.add(mid, int(1)), lo);
    hi = L.select(L.binary("and", active, L.unary("not", goRight)), mid, hi);
  }
  return L.reshape(lo, vals.shape);
}
