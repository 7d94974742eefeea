/**
 * `unique`: sorted unique values (of the flattened array, or unique slices along `axis`, sorted
 * lexicographically), with JAX's optional first indices, inverse indices and counts. The output length depends on the values, so without a static
 * `size` the count is read back to the host (eagerly, on backends that read synchronously); with
 * `size` everything stays on the device and works under jit.
 */
import { type Array, type ArrayOrScalar, describeValue } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import { canReadSync, isConcrete, readView } from "../core/concrete.js";
import { ConcretizationError } from "../core/errors.js";
import * as L from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { asArray, castTo } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { argsortLast, sliceAxis } from "../lax/sort-helpers.js";

export interface UniqueOptions {
  /** Also return the index of each unique value's first occurrence. */
  returnIndex?: boolean;
  /** Also return, for each element of the flattened input, the index of its unique value. */
  returnInverse?: boolean;
  /** Also return how often each unique value occurs. */
  returnCounts?: boolean;
  /** Treat all NaNs as one value (default true, as JAX). */
  equalNan?: boolean;
  /**
   * Static output length: the first `size` unique values, padded with `fillValue` when there are
   * fewer. Needed under jit and on backends that read back only asynchronously (WebGPU).
   */
  size?: number;
  /** Padding value when `size` exceeds the number of unique values (default: the smallest value). */
  fillValue?: number | Array;
  /**
   * Unique slices along this axis (compared whole, sorted lexicographically) instead of unique
   * elements of the flattened array; `size` then counts slices and inverse indices are 1-D.
   */
  axis?: number;
}

/** JAX's `unique_all` fields; only the requested ones are set. */
export interface UniqueResult {
  values: Array;
  indices?: Array;
  inverseIndices?: Array;
  counts?: Array;
}

type NoExtras = UniqueOptions & { returnIndex?: false; returnInverse?: false; returnCounts?: false };

const SIZE_HINT =
  "unique's output length depends on the values; pass a static { size } (and optionally fillValue) " +
  "to fix it, which also works under jit and on backends that read back asynchronously";

/** The number of unique values as a JS number, or a clear error where it cannot be read now. */
function hostCount(count: Array): number {
  if (!isConcrete(count)) {
    const transform = (count as { trace?: { transform?: string } }).trace?.transform ?? "a transform";
    throw new ConcretizationError(`unique: ${SIZE_HINT}`, String(count.aval), transform);
  }
  if (!canReadSync(count)) readView(count, "unique", `${SIZE_HINT}.`);
  return readView(count, "unique")[0]!;
}

function checkSize(size: unknown): void {
  if (size !== undefined && (typeof size !== "number" || !Number.isInteger(size) || size < 0))
    throw new TypeError(`unique: size must be a non-negative integer (a JS number), got ${describeValue(size)}`);
}

/**
 * Row order that sorts the rows of `rows` [n, m] lexicographically, stably: one stable argsort per
 * column, from the last column to the first (an LSD radix sort).
 */
function lexicographicOrder(rows: Array): Array {
  const [n, m] = rows.shape as [number, number];
  let perm = bind1("iota", [], { shape: [n], dimension: 0, dtype: "int32" });
  for (let c = m - 1; c >= 0; c--) {
    const column = L.reshape(sliceAxis(rows, 1, c, c + 1), [n]);
    perm = bind1("gather", [perm, argsortLast(bind1("gather", [column, perm], { axis: 0 }))], { axis: 0 });
  }
  return perm;
}

/**
 * Sorted unique values of `x` (flattened; NaNs count as one value unless `equalNan: false`), or
 * with `axis` the unique slices along that axis in lexicographic order.
 * With `returnIndex` / `returnInverse` / `returnCounts` it returns `{ values, indices,
 * inverseIndices, counts }` (int32). With a static `size` it works under jit (JAX's padding).
 *
 * @example
 * np.unique(np.array([3, 4, 1, 3, 1])); // [1, 3, 4]
 * np.unique(np.array([3, 4, 1, 3, 1]), { size: 5, fillValue: 0 }); // [1, 3, 4, 0, 0]
 * np.unique(np.array([3, 1, 3]), { returnCounts: true }).counts; // [1, 2]
 * np.unique(np.array([[1, 2], [0, 9], [1, 2]]), { axis: 0 }); // [[0, 9], [1, 2]]
 */
export function unique(x: ArrayOrScalar, opts?: NoExtras): Array;
export function unique(x: ArrayOrScalar, opts: UniqueOptions): UniqueResult;
export function unique(x: ArrayOrScalar, opts: UniqueOptions = {}): Array | UniqueResult {
  checkOptions("unique", opts, [
    "returnIndex",
    "returnInverse",
    "returnCounts",
    "equalNan",
    "size",
    "fillValue",
    "axis",
  ]);
  checkSize(opts.size);
  const input = asArray(x, "unique");
  // Work on rows [n, m]: the slices along `axis`, or the elements (m = 1) without one.
  let sliceShape: number[] = [];
  let axis: number | undefined;
  let a: Array;
  if (opts.axis === undefined) a = L.reshape(input, [input.size, 1]);
  else {
    if (
      typeof opts.axis !== "number" ||
      !Number.isInteger(opts.axis) ||
      opts.axis < -input.ndim ||
      opts.axis >= input.ndim
    )
      throw new RangeError(
        `unique: axis must be an integer in [${-input.ndim}, ${input.ndim}) for an input of shape [${input.shape.join(", ")}], got ${typeof opts.axis === "number" ? opts.axis : describeValue(opts.axis)}`,
      );
    axis = opts.axis < 0 ? opts.axis + input.ndim : opts.axis;
    const moved = L.moveAxis(input, axis, 0);
    sliceShape = moved.shape.slice(1);
    a = L.reshape(moved, [moved.shape[0]!, sliceShape.reduce((p, d) => p * d, 1)]);
  }
  const [n, m] = a.shape as [number, number];
  // Rows [k, m] back to the output layout: [k] without an axis, else k slices along `axis`.
  const unrows = (rows: Array): Array => {
    const k = rows.shape[0]!;
    if (axis === undefined) return L.reshape(rows, [k]);
    return L.moveAxis(L.reshape(rows, [k, ...sliceShape]), 0, axis);
  };
  const extras = opts.returnIndex || opts.returnInverse || opts.returnCounts;
  const int = (shape: number[], v: number) => L.full({ shape, dtype: "int32" }, v);
  const fillValue = opts.fillValue === undefined ? undefined : asArray(opts.fillValue, "unique");
  if (fillValue && fillValue.ndim !== 0)
    throw new TypeError(`unique: fillValue must be a scalar, got shape [${fillValue.shape.join(", ")}]`);
  // valid: [k] per row; rows [k, m].
  const fill = (values: Array, valid: Array): Array =>
    fillValue === undefined
      ? values
      : L.select(
          L.broadcastInDim(valid, values.shape, [0]),
          values,
          L.broadcastInDim(castTo(fillValue, values.dtype), values.shape, []),
        );
  if (n === 0) {
    const size = opts.size ?? 0;
    if (size > 0 && opts.fillValue === undefined)
      throw new Error("unique: an empty input with a nonzero size needs a fillValue for the padding");
    const values =
      size > 0 ? fill(L.full({ shape: [size, m], dtype: a.dtype }, 0), L.full({ shape: [size], dtype: "bool" }, 0)) : a;
    if (!extras) return unrows(values);
    return pick(
      opts,
      unrows(values),
      int([size], 0),
      int(axis === undefined ? [...input.shape] : [0], 0),
      int([size], 0),
    );
  }
  const perm = m === 1 ? argsortLast(L.reshape(a, [n])) : lexicographicOrder(a);
  const s = bind1("gather", [a, perm], { axis: 0 });
  const next = sliceAxis(s, 0, 1, n);
  const prev = sliceAxis(s, 0, 0, n - 1);
  let differsAt = L.binary("ne", next, prev);
  if (isFloat(a.dtype) && opts.equalNan !== false)
    differsAt = L.binary(
      "and",
      differsAt,
      L.unary("not", L.binary("and", L.binary("ne", next, next), L.binary("ne", prev, prev))),
    );
  // Two rows differ where any of their entries does.
  const differs = L.binary(
    "gt",
    L.reduceSum(castTo(differsAt, "int32"), [1]),
    L.full({ shape: [n - 1], dtype: "int32" }, 0),
  );
  const mask = bind1("concatenate", [L.full({ shape: [1], dtype: "bool" }, 1), differs], { axis: 0 });
  const maskInt = castTo(mask, "int32");
  const count = L.reduceSum(maskInt, [0]);
  const size = opts.size ?? hostCount(count);
  // Positions of the group starts in order (a stable argsort of "not a start"), then JAX's nonzero
  // padding: 0 past the number of groups.
  const starts = argsortLast(castTo(L.unary("not", mask), "int32"));
  const firstPositions = (m: number): [Array, Array] => {
    const p =
      m <= n ? sliceAxis(starts, 0, 0, m) : bind1("pad", [starts], { lo: [0], hi: [m - n], interior: [0], value: 0 });
    const valid = L.binary(
      "lt",
      bind1("iota", [], { shape: [m], dimension: 0, dtype: "int32" }),
      L.broadcastInDim(count, [m], []),
    );
    return [L.select(valid, p, int([m], 0)), valid];
  };
  const [ind, valid] = firstPositions(size);
  const values = unrows(fill(bind1("gather", [s, ind], { axis: 0 }), valid));
  if (!extras) return values;
  const indices = bind1("gather", [perm, ind], { axis: 0 });
  const groupOfSorted = L.sub(bind1("cumsum", [maskInt], { axis: 0, reverse: false }), int([n], 1));
  const flatInverse = bind1("scatter_add", [int([n], 0), perm, groupOfSorted], { axis: 0 });
  // Without an axis the inverse indices take the input's shape, as in JAX (and NumPy 2).
  const inverse = axis === undefined ? L.reshape(flatInverse, input.shape) : flatInverse;
  const [ext, extValid] = firstPositions(size + 1);
  const bounds = L.select(extValid, ext, int([size + 1], n));
  const counts = L.sub(sliceAxis(bounds, 0, 1, size + 1), sliceAxis(bounds, 0, 0, size));
  return pick(opts, values, indices, inverse, counts);
}

function pick(opts: UniqueOptions, values: Array, indices: Array, inverse: Array, counts: Array): UniqueResult {
  const out: UniqueResult = { values };
  if (opts.returnIndex) out.indices = indices;
  if (opts.returnInverse) out.inverseIndices = inverse;
  if (opts.returnCounts) out.counts = counts;
  return Object.freeze(out);
}
