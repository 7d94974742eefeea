/** `np.linalg.norm`: vector norms (any p, ±∞, 0) and matrix norms (Frobenius, nuclear, 1, −1, 2, −2, ∞, −∞). */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { normalizeAxis, shapeStr } from "../../core/shape.js";
import { checkOptions } from "../../core/options.js";
import { abs, power } from "../elementwise.js";
import { norm as euclideanNorm } from "../linalg.js";
import { max, min, sum } from "../reductions.js";
import { expandDims, moveaxis, squeeze } from "../shape.js";
import { svd } from "./svd.js";
import { floatInput } from "./common.js";

/** The order of a norm, as JAX's `ord` (null: 2-norm of vectors, Frobenius norm of matrices). */
export type NormOrder = number | "fro" | "nuc" | null;

function vectorNorm(x: Array, ord: NormOrder, axis: number, keepdims: boolean): Array {
  const opts = { keepdims };
  if (ord === null || ord === 2) return euclideanNorm(x, axis, opts);
  if (typeof ord !== "number")
    throw new RangeError(`norm: ord=${JSON.stringify(ord)} is a matrix norm; a vector norm takes a number`);
  if (ord === Infinity) return max(abs(x), axis, opts);
  if (ord === -Infinity) return min(abs(x), axis, opts);
  if (ord === 0) return sum(x.notEqual(0).astype(x.dtype), axis, opts);
  if (ord === 1) return sum(abs(x), axis, opts);
  return power(sum(power(abs(x), ord), axis, opts), 1 / ord);
}

function matrixNorm(x: Array, ord: NormOrder, [row, col]: number[], keepdims: boolean): Array {
  let out: Array;
  if (ord === null || ord === "fro") return euclideanNorm(x, [row!, col!], { keepdims });
  const k = { keepdims: true };
  if (ord === 1 || ord === -1) {
    const colSums = sum(abs(x), row!, k);
    out = ord === 1 ? max(colSums, col!, k) : min(colSums, col!, k);
  } else if (ord === Infinity || ord === -Infinity) {
    const rowSums = sum(abs(x), col!, k);
    out = ord === Infinity ? max(rowSums, row!, k) : min(rowSums, row!, k);
  } else if (ord === 2 || ord === -2 || ord === "nuc") {
    // Singular values of the matrices spanned by (row, col), moved last; the two axes come back as 1s.
    const s = svd(moveaxis(moveaxis(x, row!, -1), col! > row! ? col! - 1 : col!, -1), { computeUv: false });
    const reduced = ord === 2 ? max(s, -1) : ord === -2 ? min(s, -1) : sum(s, -1);
    out = expandDims(
      reduced,
      [row!, col!].sort((a, b) => a - b),
    );
  } else
    throw new RangeError(
      `norm: matrix norm ord=${JSON.stringify(ord)} is not supported; use null/"fro", "nuc", 1, -1, 2, -2, ` +
        `Infinity or -Infinity`,
    );
  return keepdims ? out : squeeze(out, [row!, col!]);
}

/**
 * Vector or matrix norm (jnp.linalg.norm). With `axis` null: ord null flattens to the 2-norm; else
 * a 1-D input takes a vector norm and a 2-D one a matrix norm. An axis number is a vector norm, a
 * pair of axes a matrix norm. Vector ord: any number (sum |x|^p)^(1/p), Infinity, -Infinity, 0
 * (count of nonzeros); matrix ord: "fro", "nuc" (sum of singular values), 1, -1, 2 (largest singular
 * value), -2 (smallest), Infinity, -Infinity.
 *
 * @example np.linalg.norm(np.array([[1, -2], [3, 4]]), Infinity) // 7 (largest row sum of |x|)
 */
export function norm(
  x: ArrayOrScalar,
  ord: NormOrder = null,
  axis: number | readonly number[] | null = null,
  opts: { keepdims?: boolean } = {},
): Array {
  checkOptions("norm", opts, ["keepdims"]);
  const a = floatInput("norm", x);
  const keepdims = opts.keepdims ?? false;
  if (axis === null) {
    if (ord === null) return euclideanNorm(a, null, { keepdims });
    if (a.ndim !== 1 && a.ndim !== 2)
      throw new RangeError(
        `norm: ord=${JSON.stringify(ord)} needs a 1-D or 2-D input when axis is null, got ${shapeStr(a.shape)}; ` +
          `pass axis (one axis for a vector norm, two for a matrix norm)`,
      );
  }
  // Order matters for matrix norms (rows, then columns), so the axes are normalized one by one.
  const given = axis ?? (a.ndim === 1 ? [0] : [0, 1]);
  const axes = (typeof given === "number" ? [given] : [...given]).map((ax) => normalizeAxis("norm", ax, a.ndim));
  if (axes.length === 1) return vectorNorm(a, ord, axes[0]!, keepdims);
  if (axes.length === 2 && axes[0] !== axes[1]) return matrixNorm(a, ord, axes, keepdims);
  throw new RangeError(`norm: axis must be one axis or two distinct axes, got ${JSON.stringify(axis)}`);
}
