/**
 * `nonzero`, `argwhere`, `flatnonzero`: the positions of nonzero entries. Their count depends on
 * the values, so without a static `size` the input is read back on the host (eagerly, on backends
 * that read synchronously); with `size` everything stays on the device and works under jit, as
 * JAX's `size` / `fill_value` arguments.
 */
import { type Array, type ArrayOrScalar, describeValue } from "../core/array.js";
import { canReadSync, isConcrete, readView } from "../core/concrete.js";
import { fromTypedArray } from "../core/eval.js";
import { ConcretizationError } from "../core/errors.js";
import * as L from "../core/ops.js";
import { sizeOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import { asArray, castTo } from "../core/convert.js";
import { argsortLast, sliceAxis } from "../lax/sort-helpers.js";

/** Options of `nonzero` / `argwhere` / `flatnonzero` (JAX's `size` and `fill_value`). */
export interface NonzeroOptions {
  /** Static output length: the first `size` positions, padded with `fillValue`. Needed under jit. */
  size?: number;
  /** Padding past the true count (default 0); for `nonzero` / `argwhere`, one number or one per axis. */
  fillValue?: number | readonly number[];
}

const SIZE_HINT =
  "the number of nonzero entries depends on the values; pass a static { size } (and optionally fillValue), " +
  "which also works under jit and on backends that read back asynchronously";

function checkOptions(op: string, opts: NonzeroOptions, ndim: number): number[] {
  for (const key of Object.keys(opts))
    if (key !== "size" && key !== "fillValue")
      throw new TypeError(`${op}: unknown option "${key}"; expected size or fillValue`);
  const { size, fillValue = 0 } = opts;
  if (size !== undefined && (typeof size !== "number" || !Number.isInteger(size) || size < 0))
    throw new TypeError(`${op}: size must be a non-negative integer, got ${describeValue(size)}`);
  const fills = typeof fillValue === "number" ? globalThis.Array<number>(ndim).fill(fillValue) : [...fillValue];
  if (fills.length !== ndim || fills.some((f) => typeof f !== "number" || !Number.isInteger(f)))
    throw new TypeError(
      `${op}: fillValue must be an integer or one integer per axis (${ndim}), got ${describeValue(fillValue)}`,
    );
  return fills;
}

/** The coordinates of the nonzero entries, read on the host (one int32 array per axis). */
function hostNonzero(op: string, a: Array): Array[] {
  if (!isConcrete(a)) {
    const transform = (a as { trace?: { transform?: string } }).trace?.transform ?? "a transform";
    throw new ConcretizationError(`${op}: ${SIZE_HINT}`, String(a.aval), transform);
  }
  if (!canReadSync(a)) readView(a, op, `${SIZE_HINT}.`);
  const view = readView(a, op);
  const coords = a.shape.map((): number[] => []);
  for (let flat = 0; flat < view.length; flat++) {
    const v = view[flat]!;
    if (v === 0) continue;
    let rest = flat;
    for (let d = a.ndim - 1; d >= 0; d--) {
      coords[d]!.push(rest % a.shape[d]!);
      rest = Math.floor(rest / a.shape[d]!);
    }
  }
  return coords.map((c) => fromTypedArray(Int32Array.from(c), [c.length], "int32"));
}

/** The first `size` coordinates of the nonzero entries, padded with `fills`, traced (no host read). */
function sizedNonzero(a: Array, size: number, fills: readonly number[]): Array[] {
  const n = a.size;
  const flat = L.reshape(a, [n]);
  const nz = a.dtype === "bool" ? flat : L.binary("ne", flat, L.fullLike(flat, 0));
  // A stable argsort of "is zero" lists the nonzero positions first, in order.
  let pos = argsortLast(castTo(L.unary("not", nz), "int32"));
  pos =
    size <= n ? sliceAxis(pos, 0, 0, size) : bind1("pad", [pos], { lo: [0], hi: [size - n], interior: [0], value: 0 });
  const count = L.reduceSum(castTo(nz, "int32"), [0]);
  const valid = L.binary(
    "lt",
    bind1("iota", [], { shape: [size], dimension: 0, dtype: "int32" }),
    L.broadcastInDim(count, [size], []),
  );
  const int = (v: number) => L.full({ shape: [size], dtype: "int32" }, v);
  return a.shape.map((dim, d) => {
    const stride = sizeOf(a.shape.slice(d + 1));
    const q = stride === 1 ? pos : L.binary("div", pos, int(stride));
    const coord = d === 0 ? q : L.binary("rem", q, int(dim));
    return L.select(valid, coord, int(fills[d]!));
  });
}

/**
 * JAX's `nonzero`: one int32 array per axis with the coordinates of the nonzero entries (C order).
 * With `size` the output has that static length (padded with `fillValue`, default 0) and works
 * under jit; without it the input is read on the host.
 *
 * @example np.nonzero(np.array([0, 3, 0, 5]))                          // [[1, 3]]
 * @example np.nonzero(np.array([0, 3, 0, 5]), { size: 3, fillValue: -1 }) // [[1, 3, -1]]
 */
export function nonzero(x: ArrayOrScalar, opts: NonzeroOptions = {}): Array[] {
  const a = asArray(x, "nonzero");
  if (a.ndim === 0)
    throw new TypeError("nonzero: a 0-d array has no axes to index; use np.atleast1d(x) or np.flatnonzero(x)");
  const fills = checkOptions("nonzero", opts, a.ndim);
  return opts.size === undefined ? hostNonzero("nonzero", a) : sizedNonzero(a, opts.size, fills);
}

/**
 * JAX's `argwhere`: the coordinates of the nonzero entries as rows, shape [count, ndim] (int32);
 * `size` / `fillValue` as in {@link nonzero}.
 *
 * @example np.argwhere(np.array([[0, 3], [5, 0]])) // [[0, 1], [1, 0]]
 */
export function argwhere(x: ArrayOrScalar, opts: NonzeroOptions = {}): Array {
  const a = asArray(x, "argwhere");
  if (a.ndim === 0) throw new TypeError("argwhere: expected an array with at least one axis, got a 0-d array");
  checkOptions("argwhere", opts, a.ndim);
  const cols = nonzero(a, opts).map((c) => L.reshape(c, [c.size, 1]));
  return cols.length === 1 ? cols[0]! : bind1("concatenate", cols, { axis: 1 });
}

/**
 * JAX's `flatnonzero`: the positions of the nonzero entries of the flattened array (int32);
 * `size` / `fillValue` as in {@link nonzero}.
 *
 * @example np.flatnonzero(np.array([[0, 3], [5, 0]])) // [1, 2]
 */
export function flatnonzero(x: ArrayOrScalar, opts: NonzeroOptions = {}): Array {
  const a = asArray(x, "flatnonzero");
  checkOptions("flatnonzero", opts, 1);
  return nonzero(L.reshape(a, [a.size]), opts)[0]!;
}
