/** Products: matmul (batched, broadcasting), dot, outer, tensordot, vdot. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { broadcastShapes, normalizeAxes, normalizeAxis, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { checkOptions } from "../core/options.js";
import { multiply } from "./elementwise.js";
import { asArray, promote, broadcastArray, toFloat } from "../core/convert.js";
import { sum } from "./reductions.js";
import { customJvp, type CustomJvp } from "../lax/control/custom-jvp.js";

const range = (a: number, b: number): number[] =>
  globalThis.Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);

/**
 * Matrix product with NumPy semantics: 1-D operands are promoted to matrices and the added axis
 * removed afterwards; leading (batch) axes broadcast.
 *
 * @example np.matmul(np.ones([5, 2, 3]), np.ones([3, 4])) // shape [5, 2, 4]
 */
export function matmul(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  let [a, b] = promote("matmul", x, y) as [Array, Array];
  if (a.ndim === 0 || b.ndim === 0)
    throw new Error(
      `matmul: operands must have at least one axis, got ${shapeStr(a.shape)} and ${shapeStr(b.shape)}; use multiply for scalars`,
    );
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  if (aVec) a = L.reshape(a, [1, a.shape[0]!]);
  if (bVec) b = L.reshape(b, [b.shape[0]!, 1]);
  const k = a.shape[a.ndim - 1]!;
  if (k !== b.shape[b.ndim - 2])
    throw new Error(
      `matmul: inner dimensions do not match: ${shapeStr(aVec ? [k] : a.shape)} @ ${shapeStr(bVec ? [b.shape[0]!] : b.shape)} ` +
        `(the last axis of the first operand, ${k}, must equal the ${bVec ? "only" : "second-to-last"} axis of the second, ${b.shape[b.ndim - 2]})`,
    );
  const batch = broadcastShapes("matmul (batch axes)", a.shape.slice(0, -2), b.shape.slice(0, -2));
  a = broadcastArray(a, [...batch, ...a.shape.slice(-2)]);
  b = broadcastArray(b, [...batch, ...b.shape.slice(-2)]);
  const nb = batch.length;
  let out = L.dotGeneral(a, b, [[nb + 1], [nb]], [range(0, nb), range(0, nb)]);
  if (aVec || bVec)
    out = L.reshape(out, [...batch, ...(aVec ? [] : [a.shape[nb]!]), ...(bVec ? [] : [b.shape[nb + 1]!])]);
  return out;
}

/**
 * NumPy's dot: inner product for vectors, matrix product for matrices, and for N-D a sum over the
 * last axis of `x` and the second-to-last of `y`.
 *
 * @example
 * np.dot(np.array([1, 2]), np.array([3, 4])); // array(11.)
 * np.dot(np.array([[1, 2], [3, 4]]), np.array([1, 1])); // array([3., 7.])
 */
export function dot(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  const [a, b] = promote("dot", x, y) as [Array, Array];
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  const ca = a.ndim - 1;
  const cb = b.ndim === 1 ? 0 : b.ndim - 2;
  if (a.shape[ca] !== b.shape[cb])
    throw new Error(
      `dot: shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)} are not aligned: ${a.shape[ca]} (axis ${ca}) != ${b.shape[cb]} (axis ${cb})`,
    );
  return L.dotGeneral(a, b, [[ca], [cb]], [[], []]);
}

/** Inner product of flattened vectors. @example np.vdot(np.array([[1, 2], [3, 4]]), np.ones([2, 2])) // array(10.) */
export function vdot(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  const [a, b] = promote("vdot", x, y) as [Array, Array];
  if (a.size !== b.size) throw new Error(`vdot: sizes differ: ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`);
  return L.dotGeneral(L.reshape(a, [a.size]), L.reshape(b, [b.size]), [[0], [0]], [[], []]);
}

/**
 * Outer product of flattened vectors: out[i, j] = x[i] * y[j].
 * @example np.outer(np.array([1, 2]), np.array([1, 10, 100])).tolist() // [[1, 10, 100], [2, 20, 200]]
 */
export function outer(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  const [a, b] = promote("outer", x, y) as [Array, Array];
  return L.dotGeneral(L.reshape(a, [a.size, 1]), L.reshape(b, [1, b.size]), [[1], [0]], [[], []]);
}

/**
 * Sums products over the last `axes` axes of x and the first of y, or over explicit axis lists.
 *
 * @example np.tensordot(a, b, [[1, 2], [0, 1]])
 */
export function tensordot(
  x: ArrayOrScalar,
  y: ArrayOrScalar,
  axes: number | readonly [readonly number[], readonly number[]] = 2,
): Array {
  const [a, b] = promote("tensordot", x, y) as [Array, Array];
  let ca: number[], cb: number[];
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0 || axes > a.ndim || axes > b.ndim)
      throw new RangeError(
        `tensordot: axes=${axes} is invalid for shapes ${shapeStr(a.shape)} and ${shapeStr(b.shape)}`,
      );
    ca = range(a.ndim - axes, a.ndim);
    cb = range(0, axes);
  } else {
    ca = axes[0].map((ax) => normalizeAxis("tensordot", ax, a.ndim));
    cb = axes[1].map((ax) => normalizeAxis("tensordot", ax, b.ndim));
    if (ca.length !== cb.length) throw new Error(`tensordot: axis lists differ in length: ${JSON.stringify(axes)}`);
  }
  ca.forEach((d, i) => {
    if (a.shape[d] !== b.shape[cb[i]!])
      throw new Error(
        `tensordot: size mismatch on contracted axes: ${shapeStr(a.shape)} axis ${d} (${a.shape[d]}) vs ${shapeStr(b.shape)} axis ${cb[i]} (${b.shape[cb[i]!]})`,
      );
  });
  return L.dotGeneral(a, b, [ca, cb], [[], []]);
}

const normRules = new Map<string, (x: Array) => Array>();

/**
 * The Euclidean (Frobenius) norm over `axis` (all axes by default). Its derivative is a custom
 * JVP rule, x·t / ‖x‖, taken as 0 where ‖x‖ = 0, so gradients at the origin are 0 instead of
 * the NaN that autodiff of sqrt(sum(x²)) gives there.
 *
 * @example grad((x: Array) => np.norm(x))(np.zeros([3])) // array([0., 0., 0.])
 */
export function norm(
  x: ArrayOrScalar,
  axis?: number | readonly number[] | null,
  opts: { keepdims?: boolean } = {},
): Array {
  checkOptions("norm", opts, ["keepdims"]);
  const a = toFloat(asArray(x, "norm"));
  const axes = normalizeAxes("norm", axis, a.ndim);
  const keepdims = opts.keepdims ?? false;
  const key = `${axes.join(",")}|${keepdims}`;
  let rule = normRules.get(key);
  if (!rule) {
    const value = (v: Array): Array => L.sqrt(sum(L.mul(v, v), axes, { keepdims }));
    const f: CustomJvp<[Array], Array> = customJvp(value).defJvp(([v], [t]) => {
      const n = f(v);
      const dot = sum(L.mul(v, t), axes, { keepdims });
      const zero = L.fullLike(n, 0);
      const isZero = L.eq(n, zero);
      return [n, L.select(isZero, zero, L.div(dot, L.select(isZero, L.fullLike(n, 1), n)))];
    });
    normRules.set(key, (rule = f));
  }
  return rule(a);
}
