/**
 * Matrix-structure functions after jax.numpy: triangles (`tril`, `triu`), diagonals (`diag`,
 * `diagonal`, `trace`) and products of structure (`kron`, `inner`, `cross`). All are built from
 * slices, selects and products, so they are differentiable, batchable and jittable.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { normalizeAxis, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { asArray, promote } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { iota } from "./creation.js";
import { multiply, subtract } from "./elementwise.js";
import { sum } from "./reductions.js";
import { moveaxis } from "./shape.js";
import { tensordot } from "./linalg.js";
import { stack } from "./join.js";
import { filled, sliceAlong, staticInt } from "./surface-helpers.js";

/** The bool mask `col - row <op> k` over the last two axes, broadcast to `shape`. */
function triangleMask(shape: readonly number[], k: number, lower: boolean): Array {
  const nd = shape.length;
  const rc = [shape[nd - 2]!, shape[nd - 1]!];
  const offset = L.sub(iota(rc, 1), iota(rc, 0));
  const bound = L.full({ shape: rc, dtype: "int32" }, k);
  const mask = L.binary(lower ? "le" : "ge", offset, bound);
  return L.broadcastInDim(mask, shape, [nd - 2, nd - 1]);
}

function triangle(op: "tril" | "triu", x: ArrayOrScalar, k: number): Array {
  const a = asArray(x, op);
  const kk = staticInt(op, "k", k);
  if (a.ndim < 2)
    throw new RangeError(
      `${op}: the input must have at least two axes (a matrix or a stack of them), got shape ${shapeStr(a.shape)}`,
    );
  return L.select(triangleMask(a.shape, kk, op === "tril"), a, filled(a, 0));
}

/**
 * Lower triangle of the last two axes: elements above diagonal `k` become 0.
 * @example np.tril(np.ones([3, 3])) // [[1, 0, 0], [1, 1, 0], [1, 1, 1]]
 */
export const tril = (x: ArrayOrScalar, k = 0): Array => triangle("tril", x, k);

/**
 * Upper triangle of the last two axes: elements below diagonal `k` become 0.
 * @example np.triu(np.ones([3, 3]), 1) // [[0, 1, 1], [0, 0, 1], [0, 0, 0]]
 */
export const triu = (x: ArrayOrScalar, k = 0): Array => triangle("triu", x, k);

/** Options of `diagonal` and `trace`: the diagonal's offset and the two axes it runs over. */
export interface DiagonalOptions {
  offset?: number;
  axis1?: number;
  axis2?: number;
}

function diagonalOf(op: string, x: ArrayOrScalar, opts: DiagonalOptions): Array {
  checkOptions(op, opts, ["offset", "axis1", "axis2"]);
  const a = asArray(x, op);
  if (a.ndim < 2) throw new RangeError(`${op}: the input must have at least two axes, got shape ${shapeStr(a.shape)}`);
  const k = staticInt(op, "offset", opts.offset ?? 0);
  const ax1 = normalizeAxis(op, opts.axis1 ?? 0, a.ndim);
  const ax2 = normalizeAxis(op, opts.axis2 ?? 1, a.ndim);
  if (ax1 === ax2) throw new RangeError(`${op}: axis1 and axis2 must differ, both are axis ${ax1}`);
  const rest = a.shape.map((_, i) => i).filter((i) => i !== ax1 && i !== ax2);
  const m = L.transpose(a, [...rest, ax1, ax2]);
  const [n, w] = [a.shape[ax1]!, a.shape[ax2]!];
  const r0 = Math.min(n, Math.max(0, -k));
  const c0 = Math.min(w, Math.max(0, k));
  const d = Math.max(0, Math.min(n - r0, w - c0));
  const lead = rest.map((i) => a.shape[i]!);
  // The d×d block holding the diagonal, flattened: its diagonal is every (d+1)-th element.
  const block = sliceAlong(sliceAlong(m, lead.length, r0, r0 + d), lead.length + 1, c0, c0 + d);
  const flat = L.reshape(block, [...lead, d * d]);
  return sliceAlong(flat, lead.length, 0, d * d, d + 1);
}

/**
 * The diagonal over `axis1`/`axis2` (default 0 and 1), at `offset` above (> 0) or below (< 0) the
 * main one; those axes are removed and the diagonal becomes the last axis.
 * @example np.diagonal(np.array([[1, 2], [3, 4]])) // array([1, 4])
 */
export const diagonal = (x: ArrayOrScalar, opts: DiagonalOptions = {}): Array => diagonalOf("diagonal", x, opts);

/**
 * Sum along a diagonal (see `diagonal` for the options); booleans are counted as integers.
 * @example np.trace(np.array([[1, 2], [3, 4]])) // array(5)
 */
export const trace = (x: ArrayOrScalar, opts: DiagonalOptions = {}): Array => sum(diagonalOf("trace", x, opts), -1);

/**
 * A 1-D input becomes a square matrix with it on diagonal `k`; a 2-D input gives its `k`-th diagonal.
 * @example
 * np.diag(np.array([1, 2])); // [[1, 0], [0, 2]]
 * np.diag(np.array([[1, 2], [3, 4]]), 1); // array([2])
 */
export function diag(v: ArrayOrScalar, k = 0): Array {
  const a = asArray(v, "diag");
  const kk = staticInt("diag", "k", k);
  if (a.ndim === 2) return diagonalOf("diag", a, { offset: kk });
  if (a.ndim !== 1)
    throw new RangeError(
      `diag: the input must be 1-D (to build a matrix) or 2-D (to read a diagonal), got shape ${shapeStr(a.shape)}`,
    );
  const n = a.shape[0]! + Math.abs(kk);
  // Padded so that element r of the padded vector is the one in row r.
  const padded = bind1("pad", [a], { lo: [Math.max(0, -kk)], hi: [Math.max(0, kk)], interior: [0], value: 0 });
  const spread = L.broadcastInDim(padded, [n, n], [0]);
  const onDiagonal = L.eq(L.sub(iota([n, n], 1), iota([n, n], 0)), L.full({ shape: [n, n], dtype: "int32" }, kk));
  return L.select(onDiagonal, spread, filled(spread, 0));
}

/**
 * The Kronecker product: blocks `a[i, j] * b` (ranks are matched by leading size-1 axes).
 * @example np.kron(np.eye(2), np.array([[1, 2], [3, 4]])).shape // [4, 4]
 */
export function kron(a: ArrayOrScalar, b: ArrayOrScalar): Array {
  let [x, y] = promote("kron", a, b) as [Array, Array];
  const nd = Math.max(x.ndim, y.ndim);
  const lift = (t: Array): Array => L.reshape(t, [...new globalThis.Array<number>(nd - t.ndim).fill(1), ...t.shape]);
  [x, y] = [lift(x), lift(y)];
  const xs = L.reshape(
    x,
    x.shape.flatMap((s) => [s, 1]),
  );
  const ys = L.reshape(
    y,
    y.shape.flatMap((s) => [1, s]),
  );
  return L.reshape(
    multiply(xs, ys),
    x.shape.map((s, i) => s * y.shape[i]!),
  );
}

/**
 * Sum of products over the last axes of both inputs (plain product when either is a scalar).
 * @example np.inner(np.array([1, 2, 3]), np.array([0, 1, 0])) // array(2)
 */
export function inner(a: ArrayOrScalar, b: ArrayOrScalar): Array {
  const [x, y] = promote("inner", a, b) as [Array, Array];
  if (x.ndim === 0 || y.ndim === 0) return multiply(x, y);
  if (x.shape[x.ndim - 1] !== y.shape[y.ndim - 1])
    throw new RangeError(
      `inner: the last axes must have the same size, got shapes ${shapeStr(x.shape)} and ${shapeStr(y.shape)}`,
    );
  return tensordot(x, y, [[x.ndim - 1], [y.ndim - 1]]);
}

/** Options of `cross`: where the vectors lie in each input and in the output (`axis` sets all three). */
export interface CrossOptions {
  axisa?: number;
  axisb?: number;
  axisc?: number;
  axis?: number;
}

/**
 * Cross product of 3-vectors (a 2-vector gets a zero third component; two 2-vectors give the
 * scalar z component), broadcasting over the other axes.
 * @example np.cross(np.array([1, 0, 0]), np.array([0, 1, 0])) // array([0, 0, 1])
 */
export function cross(a: ArrayOrScalar, b: ArrayOrScalar, opts: CrossOptions = {}): Array {
  checkOptions("cross", opts, ["axisa", "axisb", "axisc", "axis"]);
  let [x, y] = promote("cross", a, b) as [Array, Array];
  if (x.ndim === 0 || y.ndim === 0)
    throw new RangeError(
      `cross: both inputs need an axis holding the vectors, got shapes ${shapeStr(x.shape)} and ${shapeStr(y.shape)}`,
    );
  const axA = opts.axis ?? opts.axisa ?? -1;
  const axB = opts.axis ?? opts.axisb ?? -1;
  x = moveaxis(x, normalizeAxis("cross", axA, x.ndim), -1);
  y = moveaxis(y, normalizeAxis("cross", axB, y.ndim), -1);
  const [nx, ny] = [x.shape[x.ndim - 1]!, y.shape[y.ndim - 1]!];
  if ((nx !== 2 && nx !== 3) || (ny !== 2 && ny !== 3))
    throw new RangeError(`cross: the vectors must have 2 or 3 components, got ${nx} and ${ny}`);
  const part = (t: Array, i: number): Array => L.reshape(sliceAlong(t, t.ndim - 1, i, i + 1), t.shape.slice(0, -1));
  const parts = (t: Array, n: number): [Array, Array, Array] => {
    const [p0, p1] = [part(t, 0), part(t, 1)];
    return [p0, p1, n === 3 ? part(t, 2) : filled(p0, 0)];
  };
  const [a0, a1, a2] = parts(x, nx);
  const [b0, b1, b2] = parts(y, ny);
  const z = subtract(multiply(a0, b1), multiply(a1, b0));
  if (nx === 2 && ny === 2) return z;
  const c = stack([subtract(multiply(a1, b2), multiply(a2, b1)), subtract(multiply(a2, b0), multiply(a0, b2)), z], -1);
  return moveaxis(c, -1, normalizeAxis("cross", opts.axis ?? opts.axisc ?? -1, c.ndim));
}
