/**
 * Counting after jax.numpy: `bincount` and `histogram`. Both add weights into bins with one
 * scatter-add, so they are linear (and differentiable) in the weights and run under jit once the
 * output length is static.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { isInt } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { ConcretizationError } from "../core/errors.js";
import { canReadSync, isConcrete, readView } from "../core/concrete.js";
import * as L from "../core/ops.js";
import { asArray, castTo, promote, toFloat } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { array, iota } from "./creation.js";
import { max, min, sum } from "./reductions.js";
import { diff } from "./grid-shift.js";
import { filled, sliceAlong, staticInt } from "./surface-helpers.js";

/** Adds `updates[i]` into bin `index[i]` of a fresh length-`n` vector (indices already in range). */
const scatterInto = (n: number, index: Array, updates: Array): Array =>
  bind1("scatter_add", [L.full({ shape: [n], dtype: updates.dtype }, 0), castTo(index, "int32"), updates], {
    axis: 0,
  });

/** Options of `bincount`: per-element weights, a minimum length, and JAX's static `length` for jit. */
export interface BincountOptions {
  weights?: ArrayOrScalar;
  minlength?: number;
  length?: number;
}

/** max(x) + 1 read from a concrete x, or an error saying to pass `length`. */
function lengthFromValues(x: Array, minlength: number): number {
  if (!isConcrete(x)) {
    const transform = (x as { trace?: { transform?: string } }).trace?.transform ?? "a transformation";
    throw new ConcretizationError(
      "bincount: the output length max(x) + 1 depends on x's values; pass a static { length } to use it under a transformation",
      String(x.aval),
      transform,
    );
  }
  if (!canReadSync(x)) readView(x, "bincount", "Pass a static { length } instead: then no value is read.");
  let top = -1;
  for (const v of readView(x, "bincount")) top = Math.max(top, Number(v));
  return Math.max(minlength, top + 1);
}

/**
 * Counts (or sums `weights` of) each non-negative integer in a 1-D array: out[i] = Σ weights[x == i].
 * Negative values count in bin 0 and values ≥ `length` are dropped, as in JAX. Under jit pass
 * `length`, since max(x) cannot be read from a traced value.
 * @example
 * np.bincount(np.array([0, 1, 1, 3], { dtype: "int32" })); // array([1, 2, 0, 1])
 * jit((x: Array) => np.bincount(x, { length: 5 }))(x); // shape [5]
 */
export function bincount(x: ArrayOrScalar, opts: BincountOptions = {}): Array {
  checkOptions("bincount", opts, ["weights", "minlength", "length"]);
  let a = asArray(x, "bincount");
  if (a.dtype === "bool") a = castTo(a, "int32");
  if (!isInt(a.dtype))
    throw new TypeError(`bincount: x must hold integers, got ${a.dtype}; convert it with x.astype("int32")`);
  if (a.ndim !== 1) throw new RangeError(`bincount: x must be 1-D, got shape ${shapeStr(a.shape)}`);
  const minlength = staticInt("bincount", "minlength", opts.minlength ?? 0);
  if (minlength < 0) throw new RangeError(`bincount: minlength must be non-negative, got ${minlength}`);
  const length =
    opts.length === undefined ? lengthFromValues(a, minlength) : staticInt("bincount", "length", opts.length);
  if (length < 0) throw new RangeError(`bincount: length must be non-negative, got ${length}`);
  let w: Array;
  if (opts.weights === undefined) w = L.full({ shape: a.shape, dtype: "int32" }, 1);
  else {
    w = asArray(opts.weights, "bincount");
    if (w.dtype === "bool") w = castTo(w, "int32");
    if (w.ndim !== 1 || w.shape[0] !== a.shape[0])
      throw new RangeError(`bincount: weights must have x's shape ${shapeStr(a.shape)}, got ${shapeStr(w.shape)}`);
  }
  if (length === 0) return L.full({ shape: [0], dtype: w.dtype }, 0);
  const idx = a.dtype === "uint32" ? a : L.binary("max", a, filled(a, 0));
  // scatter_add clamps indices, so values past the end would land in the last bin: zero them instead.
  const inRange = L.binary("lt", idx, filled(idx, length));
  return scatterInto(length, L.select(inRange, idx, filled(idx, 0)), L.select(inRange, w, filled(w, 0)));
}

/** Options of `histogram`: bin count or edges, the range for counted bins, weights, density. */
export interface HistogramOptions {
  bins?: number | readonly number[] | Array;
  range?: readonly [number, number];
  weights?: ArrayOrScalar;
  density?: boolean;
}

/** Edges of `bins` equal bins over [lo, hi] (widened by ±0.5 when lo == hi), the last exactly hi. */
function uniformEdges(a: Array, bins: number, range: readonly [number, number] | undefined): Array {
  let lo: Array;
  let hi: Array;
  if (range) {
    if (!(range[0] <= range[1]))
      throw new RangeError(`histogram: range must be [lo, hi] with lo <= hi, got [${range.join(", ")}]`);
    [lo, hi] = [L.full({ shape: [], dtype: a.dtype }, range[0]), L.full({ shape: [], dtype: a.dtype }, range[1])];
  } else if (a.size === 0)
    [lo, hi] = [L.full({ shape: [], dtype: a.dtype }, 0), L.full({ shape: [], dtype: a.dtype }, 1)];
  else [lo, hi] = [min(a), max(a)];
  const same = L.eq(lo, hi);
  [lo, hi] = [L.select(same, L.sub(lo, filled(lo, 0.5)), lo), L.select(same, L.add(hi, filled(hi, 0.5)), hi)];
  const steps = castTo(iota([bins + 1], 0), a.dtype);
  const width = L.div(L.sub(hi, lo), L.full({ shape: [], dtype: a.dtype }, bins));
  const spread = (s: Array): Array => L.broadcastInDim(s, [bins + 1], []);
  const edges = L.add(spread(lo), L.mul(steps, spread(width)));
  const isLast = L.eq(iota([bins + 1], 0), L.full({ shape: [bins + 1], dtype: "int32" }, bins));
  return L.select(isLast, spread(hi), edges);
}

/**
 * Histogram of all elements: `[counts, edges]`, bins closed on the left except the last, which
 * also holds its right edge; values outside the range (and NaN) are not counted. As in JAX the
 * counts have the (float) dtype of the weights, and the range defaults to [min, max], computed on
 * the device so it works under jit.
 * @example
 * const [counts, edges] = np.histogram(np.array([0, 1, 1, 2, 5]), { bins: 5 });
 * counts; // array([1., 2., 1., 0., 1.]); edges: array([0., 1., 2., 3., 4., 5.])
 */
export function histogram(x: ArrayOrScalar, opts: HistogramOptions = {}): [Array, Array] {
  checkOptions("histogram", opts, ["bins", "range", "weights", "density"]);
  let a = toFloat(asArray(x, "histogram"));
  let w: Array;
  if (opts.weights === undefined) w = filled(a, 1);
  else {
    const given = asArray(opts.weights, "histogram");
    if (given.ndim !== a.ndim || given.shape.some((d, i) => d !== a.shape[i]))
      throw new RangeError(
        `histogram: weights must have the shape of the data, ${shapeStr(a.shape)}, got ${shapeStr(given.shape)}`,
      );
    [a, w] = promote("histogram", a, toFloat(given)) as [Array, Array];
  }
  a = L.reshape(a, [a.size]);
  w = L.reshape(w, [w.size]);
  const bins = opts.bins ?? 10;
  let edges: Array;
  if (typeof bins === "number") {
    const n = staticInt("histogram", "bins", bins);
    if (n < 1) throw new RangeError(`histogram: bins must be a positive integer, got ${n}`);
    edges = uniformEdges(a, n, opts.range);
  } else {
    edges = castTo(
      globalThis.Array.isArray(bins) ? array(bins as number[]) : asArray(bins as Array, "histogram"),
      a.dtype,
    );
    if (edges.ndim !== 1 || edges.shape[0]! < 2)
      throw new RangeError(
        `histogram: bin edges must be 1-D with at least 2 entries, got shape ${shapeStr(edges.shape)}`,
      );
  }
  const ne = edges.shape[0]!;
  // searchsorted(edges, a, "right"): how many edges are <= each value.
  const ge = L.binary("ge", L.broadcastInDim(a, [a.size, ne], [0]), L.broadcastInDim(edges, [a.size, ne], [1]));
  let idx = sum(castTo(ge, "int32"), 1);
  const last = L.broadcastInDim(sliceAlong(edges, 0, ne - 1, ne), [a.size], [0]);
  idx = L.select(L.eq(a, last), filled(idx, ne - 1), idx);
  // Bin 0 (below the range) and bin ne (above it) are scattered into and then cut off.
  let counts = sliceAlong(scatterInto(ne + 1, idx, w), 0, 1, ne);
  if (opts.density) counts = L.div(L.div(counts, diff(edges)), L.broadcastInDim(sum(counts), [ne - 1], []));
  return [counts, edges];
}
