/**
 * Grids and shifts after jax.numpy: `meshgrid`, `roll` (static or traced shifts) and `diff`
 * (n-th differences with prepend/append). Built from broadcasts, slices and concatenations.
 */
import { type Array, type ArrayOrScalar, isArray } from "../core/array.js";
import { isInt } from "../core/dtype.js";
import { normalizeAxis, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { asArray, castTo } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { mod, notEqual, subtract } from "./elementwise.js";
import { concatenate } from "./join.js";
import { broadcastTo } from "./shape.js";
import { dynamicSlice } from "./take.js";
import { sliceAlong, staticInt } from "./surface-helpers.js";

/** Options of `meshgrid`: "xy" (Cartesian, the default) or "ij" (matrix) indexing, and sparse output. */
export interface MeshgridOptions {
  indexing?: "xy" | "ij";
  sparse?: boolean;
}

const isMeshgridOptions = (v: unknown): v is MeshgridOptions =>
  typeof v === "object" && v !== null && !isArray(v) && !globalThis.Array.isArray(v);

/**
 * Coordinate grids from 1-D coordinate vectors; with "xy" indexing the first two output axes are
 * swapped (NumPy's Cartesian convention). A trailing options object sets indexing and sparse.
 * @example
 * const [X, Y] = np.meshgrid(np.array([1, 2, 3]), np.array([4, 5]));
 * X.shape; // [2, 3]
 * np.meshgrid(np.array([1, 2, 3]), np.array([4, 5]), { indexing: "ij" })[0].shape; // [3, 2]
 */
export function meshgrid(...args: (ArrayOrScalar | MeshgridOptions)[]): Array[] {
  const last = args[args.length - 1];
  const opts: MeshgridOptions = isMeshgridOptions(last) ? last : {};
  const inputs = (isMeshgridOptions(last) ? args.slice(0, -1) : args) as ArrayOrScalar[];
  checkOptions("meshgrid", opts, ["indexing", "sparse"]);
  const indexing = opts.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij")
    throw new TypeError(`meshgrid: indexing must be "xy" or "ij", got ${JSON.stringify(indexing)}`);
  const xs = inputs.map((x) => asArray(x, "meshgrid"));
  const bad = xs.findIndex((x) => x.ndim !== 1);
  if (bad >= 0)
    throw new RangeError(
      `meshgrid: every input must be 1-D, got shapes ${xs.map((x) => shapeStr(x.shape)).join(", ")}; ravel them first`,
    );
  const swap = indexing === "xy" && xs.length >= 2;
  const order = xs.map((_, i) => (swap && i < 2 ? 1 - i : i));
  const ordered = order.map((i) => xs[i]!);
  const full = ordered.map((x) => x.shape[0]!);
  const grids = ordered.map((x, axis) => {
    const shape = opts.sparse ? full.map((n, i) => (i === axis ? n : 1)) : full;
    return L.broadcastInDim(x, shape, [axis]);
  });
  return xs.map((_, j) => grids[order.indexOf(j)]!);
}

/** Rolls by a static shift along one axis: the last `s` elements wrap to the front. */
function rollStatic(x: Array, axis: number, shift: number): Array {
  const n = x.shape[axis]!;
  if (n === 0) return x;
  const cut = ((-shift % n) + n) % n;
  if (cut === 0) return x;
  return concatenate([sliceAlong(x, axis, cut, n), sliceAlong(x, axis, 0, cut)], axis);
}

/** Rolls by a traced integer shift: a window of length n read from x concatenated with itself. */
function rollTraced(x: Array, axis: number, shift: Array): Array {
  const n = x.shape[axis]!;
  if (n === 0) return x;
  const start = mod(subtract(n, mod(shift, n)), n);
  const twice = concatenate([x, x], axis);
  return dynamicSlice(
    twice,
    x.shape.map((_, i) => (i === axis ? start : 0)),
    x.shape,
  );
}

/**
 * Shifts elements along axes, wrapping around; `axis` omitted or null rolls the flattened array.
 * `shift` and `axis` may be lists (broadcast against each other); a traced integer scalar shift
 * works under jit.
 * @example
 * np.roll(np.array([1, 2, 3, 4]), 1); // array([4, 1, 2, 3])
 * np.roll(np.array([[1, 2], [3, 4]]), [1, 1], [0, 1]); // [[4, 3], [2, 1]]
 */
export function roll(
  x: ArrayOrScalar,
  shift: number | readonly number[] | Array,
  axis?: number | readonly number[] | null,
): Array {
  const a = asArray(x, "roll");
  if (axis === undefined || axis === null) return L.reshape(roll(L.reshape(a, [a.size]), shift, 0), a.shape);
  const axes = (typeof axis === "number" ? [axis] : axis).map((ax) => normalizeAxis("roll", ax, a.ndim));
  if (isArray(shift)) {
    if (shift.ndim !== 0 || !isInt(shift.dtype))
      throw new TypeError(
        `roll: an array shift must be an integer scalar, got ${shift.dtype}${shapeStr(shift.shape)}; pass a list of numbers for several shifts`,
      );
    const s = castTo(shift, "int32");
    return axes.reduce((acc, ax) => rollTraced(acc, ax, s), a);
  }
  const shifts = (typeof shift === "number" ? [shift] : shift).map((s) => staticInt("roll", "shift", s));
  if (shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1)
    throw new RangeError(
      `roll: ${shifts.length} shifts and ${axes.length} axes do not broadcast; give one shift per axis (or a single one)`,
    );
  const count = Math.max(shifts.length, axes.length);
  let out = a;
  for (let i = 0; i < count; i++)
    out = rollStatic(out, axes[axes.length === 1 ? 0 : i]!, shifts[shifts.length === 1 ? 0 : i]!);
  return out;
}

/** Options of `diff`: values joined before/after the input along the axis before differencing. */
export interface DiffOptions {
  prepend?: ArrayOrScalar;
  append?: ArrayOrScalar;
}

/**
 * The n-th discrete difference along `axis` (default last): `x[1:] - x[:-1]`, n times; booleans
 * give `x[1:] != x[:-1]`. Scalars in `prepend`/`append` are broadcast to one slice of the axis.
 * @example
 * np.diff(np.array([1, 4, 9, 16])); // array([3, 5, 7])
 * np.diff(np.array([1, 4, 9, 16]), 2); // array([2, 2])
 */
export function diff(x: ArrayOrScalar, n = 1, axis = -1, opts: DiffOptions = {}): Array {
  checkOptions("diff", opts, ["prepend", "append"]);
  let a = asArray(x, "diff");
  const order = staticInt("diff", "n", n);
  if (order < 0) throw new RangeError(`diff: n (the order) must be non-negative, got ${order}`);
  if (order === 0) return a;
  if (a.ndim === 0) throw new RangeError("diff: the input must have at least one axis, got a scalar (shape [])");
  const ax = normalizeAxis("diff", axis, a.ndim);
  const edge = (v: ArrayOrScalar): Array => {
    const e = asArray(v, "diff");
    return e.ndim === 0
      ? broadcastTo(
          e,
          a.shape.map((d, i) => (i === ax ? 1 : d)),
        )
      : e;
  };
  const parts = [
    ...(opts.prepend === undefined ? [] : [edge(opts.prepend)]),
    a,
    ...(opts.append === undefined ? [] : [edge(opts.append)]),
  ];
  if (parts.length > 1) a = concatenate(parts, ax);
  for (let k = 0; k < order; k++) {
    const len = a.shape[ax]!;
    const hi = sliceAlong(a, ax, Math.min(1, len), len);
    const lo = sliceAlong(a, ax, 0, Math.max(0, len - 1));
    a = a.dtype === "bool" ? notEqual(hi, lo) : subtract(hi, lo);
  }
  return a;
}
