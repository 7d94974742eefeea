/**
 * Gathers along one axis (`take`, `takeAlongAxis`) and dynamic windows (`dynamicSlice`,
 * `dynamicUpdateSlice`), lowered to the gather / dynamic_slice / dynamic_update_slice primitives, so
 * they are differentiable, batchable and jittable. Static JS index lists are range-checked on the
 * host; traced indices stay traced.
 */
import { type Array, type ArrayOrScalar, isArray } from "../core/array.js";
import { isInt } from "../core/dtype.js";
import { broadcastShapes, normalizeAxis, shapeStr, sizeOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { asArray, broadcastArray, castTo } from "../core/convert.js";
import { applyFill, gatherMode, modeIndices, type TakeOptions } from "./indexing-modes.js";

export type { GatherMode, TakeOptions } from "./indexing-modes.js";

/**
 * Elements at `indices` along `axis` (of the flattened array when omitted); the result's shape is
 * `x.shape[:axis] + indices.shape + x.shape[axis+1:]`, so a scalar index (a JS integer or a 0-d
 * int array) drops that axis, like JAX. Out-of-range indices follow JAX's `mode`: "fill" (the
 * default: negatives in [-n, 0) wrap once, others read `fillValue`, NaN for floats, with a zero
 * gradient), "clip" (clamped into [0, n-1], negatives to 0) or "wrap" (modulo n).
 *
 * @example np.take(np.array([[1, 2], [3, 4]]), [1, 0], 1) // [[2, 1], [4, 3]]
 * @example np.take(np.array([[1, 2], [3, 4]]), 0, 1)      // [1, 3]
 * @example np.take(np.array([1, 2, 3]), [5, -1], null, { mode: "clip" }) // [3, 1]
 */
export function take(
  x: ArrayOrScalar,
  indices: Array | readonly number[] | number,
  axis?: number | null,
  opts?: TakeOptions,
): Array {
  const mode = gatherMode("take", opts);
  let a = asArray(x, "take");
  if (axis === undefined || axis === null) a = L.reshape(a, [a.size]);
  const ax = axis === undefined || axis === null ? 0 : normalizeAxis("take", axis, a.ndim);
  // A scalar index gathers one element along the axis, which is then dropped.
  const scalarIndex = typeof indices === "number" || (isArray(indices) && indices.ndim === 0);
  const list =
    typeof indices === "number"
      ? [indices]
      : isArray(indices) && indices.ndim === 0
        ? L.reshape(indices, [1])
        : indices;
  const { idx, valid } = modeIndices("take", list, a.shape[ax]!, mode);
  const out = applyFill(
    bind1("gather", [a, idx], { axis: ax }),
    valid,
    opts?.fillValue,
    idx.shape.map((_, j) => ax + j),
  );
  return scalarIndex ? L.reshape(out, [...a.shape.slice(0, ax), ...a.shape.slice(ax + 1)]) : out;
}

/**
 * NumPy's take_along_axis: `out[..., j, ...] = x[..., indices[..., j, ...], ...]` along `axis`;
 * `indices` has x's rank and broadcasts against x on the other axes. `axis = null` flattens x.
 * Out-of-range indices follow `mode` as in {@link take}: "fill" (default) or "clip" (JAX's
 * take_along_axis has no "wrap"; unlike take, its clip mode wraps negatives in [-n, 0) first).
 *
 * @example np.takeAlongAxis(x, np.argmax(x, 1).reshape([-1, 1]), 1) // the row maxima, shape [n, 1]
 */
export function takeAlongAxis(
  x: ArrayOrScalar,
  indices: Array | readonly number[],
  axis: number | null,
  opts?: TakeOptions,
): Array {
  const mode = gatherMode("takeAlongAxis", opts, ["fill", "clip"]);
  let a = asArray(x, "takeAlongAxis");
  if (axis === null) a = L.reshape(a, [a.size]);
  const ax = axis === null ? 0 : normalizeAxis("takeAlongAxis", axis, a.ndim);
  // JAX's take_along_axis wraps negative indices once even in clip mode (take does not).
  const { idx, valid } = modeIndices("takeAlongAxis", indices, a.shape[ax]!, mode === "clip" ? "wrapClip" : mode);
  const ind = isArray(indices) ? L.reshape(idx, indices.shape) : idx;
  if (ind.ndim !== a.ndim)
    throw new Error(
      `takeAlongAxis: indices ${shapeStr(ind.shape)} must have the same rank as the array ${shapeStr(a.shape)}`,
    );
  const other = (s: readonly number[]) => s.map((n, i) => (i === ax ? 1 : n));
  const B = broadcastShapes("takeAlongAxis", other(a.shape), other(ind.shape));
  const A = a.shape[ax]!,
    K = ind.shape[ax]!;
  const xb = L.moveAxis(
    broadcastArray(
      a,
      B.map((n, i) => (i === ax ? A : n)),
    ),
    ax,
    a.ndim - 1,
  );
  const ib = L.moveAxis(
    broadcastArray(
      ind,
      B.map((n, i) => (i === ax ? K : n)),
    ),
    ax,
    a.ndim - 1,
  );
  const R = sizeOf(xb.shape.slice(0, -1));
  const offs = L.mul(
    bind1("iota", [], { shape: [R, K], dimension: 0, dtype: "int32" }),
    L.full({ shape: [R, K], dtype: "int32" }, A),
  );
  const g = bind1("gather", [L.reshape(xb, [R * A]), L.add(L.reshape(ib, [R, K]), offs)], { axis: 0 });
  const out = L.moveAxis(L.reshape(g, ib.shape), a.ndim - 1, ax);
  return applyFill(out, valid && L.reshape(valid, ind.shape), opts?.fillValue);
}

function startIndex(op: string, s: number | Array, n: number): Array {
  if (typeof s === "number") {
    if (!Number.isInteger(s)) throw new TypeError(`${op}: start indices must be integers, got ${s}`);
    return L.scalar(s < 0 ? s + n : s, "int32");
  }
  if (s.ndim !== 0 || !isInt(s.dtype))
    throw new TypeError(`${op}: start indices must be integer scalars, got ${s.dtype}${shapeStr(s.shape)}`);
  const i = castTo(s, "int32");
  return L.select(L.binary("lt", i, L.scalar(0, "int32")), L.add(i, L.scalar(n, "int32")), i);
}

/**
 * The window of `sizes` starting at `startIndices` (JS numbers or traced int scalars; negative
 * starts wrap once, then starts are clamped so the window fits, like `lax.dynamic_slice`).
 *
 * @example np.dynamicSlice(x, [i, 0], [2, x.shape[1]])
 */
export function dynamicSlice(
  x: ArrayOrScalar,
  startIndices: readonly (number | Array)[],
  sizes: readonly number[],
): Array {
  const a = asArray(x, "dynamicSlice");
  if (startIndices.length !== a.ndim || sizes.length !== a.ndim)
    throw new Error(
      `dynamicSlice: need one start index and one size per axis of ${shapeStr(a.shape)}, got ${startIndices.length} and ${sizes.length}`,
    );
  sizes.forEach((s, i) => {
    if (!Number.isInteger(s) || s < 0 || s > a.shape[i]!)
      throw new RangeError(`dynamicSlice: size ${s} does not fit axis ${i} of size ${a.shape[i]}`);
  });
  return bind1("dynamic_slice", [a, ...startIndices.map((s, i) => startIndex("dynamicSlice", s, a.shape[i]!))], {
    sizes: [...sizes],
  });
}

/**
 * `x` with the window at `startIndices` replaced by `update` (cast to x's dtype; starts wrap and
 * clamp as in `dynamicSlice`).
 *
 * @example np.dynamicUpdateSlice(np.zeros([4]), np.ones([2]), [1]) // [0, 1, 1, 0]
 */
export function dynamicUpdateSlice(
  x: ArrayOrScalar,
  update: ArrayOrScalar,
  startIndices: readonly (number | Array)[],
): Array {
  const a = asArray(x, "dynamicUpdateSlice");
  const u = castTo(asArray(update, "dynamicUpdateSlice"), a.dtype, a.weakType);
  if (u.ndim !== a.ndim || startIndices.length !== a.ndim || u.shape.some((n, i) => n > a.shape[i]!))
    throw new Error(
      `dynamicUpdateSlice: update ${shapeStr(u.shape)} with ${startIndices.length} start indices does not fit ${shapeStr(a.shape)}`,
    );
  return bind1(
    "dynamic_update_slice",
    [a, u, ...startIndices.map((s, i) => startIndex("dynamicUpdateSlice", s, a.shape[i]!))],
    {},
  );
}
