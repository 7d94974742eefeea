/**
 * `multivariateNormal` following `jax.random.multivariate_normal` (0.10.2) with its default
 * `method: "cholesky"`: mean + L·z for L the Cholesky factor of `cov` and z standard normal of
 * shape `[...shape, n]`. JAX's "svd" and "eigh" methods need factorizations graft lacks.
 *
 * The factor is computed here, column by column (O(n²) graft ops, for the small n of a sampler's
 * covariance), so the sampler does not depend on the linear-algebra module.
 */
import { Array, type ArrayOrScalar } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import { broadcastShapes, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { checkOptions } from "../core/options.js";
import { bind1 } from "../core/trace.js";
import type { Scheme } from "./threefry.js";
import { normal } from "./continuous.js";
import { checkFloatDType, checkKey, checkShape, param, type ShapeLike } from "./sampler-checks.js";

export interface MultivariateNormalOptions {
  /** float32 (default) or float64. */
  dtype?: DType;
  /** How to factor `cov`: only "cholesky" (JAX's default) is supported. */
  method?: "cholesky";
}

const asArray = (op: string, name: string, v: unknown): Array => {
  if (v instanceof Array) return v;
  throw new TypeError(`random.${op}: ${name} must be an array, got ${typeof v}`);
};

/** Entry `i` of the last axis of `x` [..., n], as [...]. */
function lastIndex(x: Array, i: number): Array {
  const start = x.shape.map((_, a) => (a === x.ndim - 1 ? i : 0));
  const limit = x.shape.map((d, a) => (a === x.ndim - 1 ? i + 1 : d));
  const strides = x.shape.map(() => 1);
  return L.reshape(bind1("slice", [x], { start, limit, strides }), x.shape.slice(0, -1));
}

/**
 * The lower Cholesky factor of each [..., n, n] matrix, of (A + Aᵀ)/2 as `jnp.linalg.cholesky`
 * symmetrizes it; NaN where a matrix is not positive definite.
 */
function choleskyFactor(A: Array): Array {
  const n = A.shape[A.ndim - 1]!;
  const nd = A.ndim;
  const perm = A.shape.map((_, i) => (i < nd - 2 ? i : i === nd - 2 ? nd - 1 : nd - 2));
  const sym = L.mul(L.add(A, L.transpose(A, perm)), L.fullLike(A, 0.5));
  const colShape = A.shape.slice(0, -1); // [..., n]
  const batchDims = colShape.slice(0, -1).map((_, i) => i);
  const rowIndex = bind1("iota", [], { shape: colShape, dimension: colShape.length - 1, dtype: "int32" });
  const spread = (x: Array): Array => L.broadcastInDim(x, colShape, batchDims);
  const cols: Array[] = [];
  for (let j = 0; j < n; j++) {
    // Column j of A, less Σ_{k<j} L[:, k]·L[j, k].
    let s = lastIndex(sym, j);
    for (const ck of cols) s = L.sub(s, L.mul(ck, spread(lastIndex(ck, j))));
    const cj = L.div(s, spread(L.sqrt(lastIndex(s, j))));
    const below = L.binary("ge", rowIndex, L.full({ shape: colShape, dtype: "int32" }, j));
    cols.push(L.select(below, cj, L.fullLike(cj, 0)));
  }
  if (n === 0) return sym;
  const stacked = cols.map((c) => L.reshape(c, [...colShape, 1]));
  return bind1("concatenate", stacked, { axis: nd - 1 });
}

export function multivariateNormal(
  scheme: Scheme,
  k: Array,
  mean: ArrayOrScalar,
  cov: ArrayOrScalar,
  shape?: ShapeLike,
  opts: MultivariateNormalOptions = {},
): Array {
  const op = "multivariateNormal";
  checkOptions(`random.${op}`, opts, ["dtype", "method"]);
  checkKey(op, k);
  const dtype = checkFloatDType(op, opts.dtype ?? "float32");
  const method = opts.method ?? "cholesky";
  if (method !== "cholesky")
    throw new Error(
      `random.${op}: method ${JSON.stringify(method)} is not supported (graft has no SVD or eigendecomposition); use method "cholesky" (the default)`,
    );
  const m = asArray(op, "mean", mean);
  const c = asArray(op, "cov", cov);
  if (m.ndim < 1) throw new Error(`random.${op}: mean must have ndim >= 1, got shape ${shapeStr(m.shape)}`);
  const n = m.shape[m.ndim - 1]!;
  if (c.ndim < 2 || c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n)
    throw new Error(
      `random.${op}: cov must have shape [..., n, n] for n=${n} (mean's last dimension), got ${shapeStr(c.shape)}`,
    );
  const s =
    shape === undefined
      ? broadcastShapes(`random.${op}`, m.shape.slice(0, -1), c.shape.slice(0, -2))
      : checkShape(op, shape);
  const batch = s.map((_, i) => i);
  // Factor cov at its own batch shape, then broadcast the factor to the samples.
  const factor = param(op, "cov", choleskyFactor(L.convert(c, dtype)), dtype, [...s, n, n]);
  const mu = param(op, "mean", m, dtype, [...s, n]);
  const z = normal(scheme, k, [...s, n], { dtype });
  const zRows = L.broadcastInDim(z, [...s, n, n], [...batch, s.length + 1]);
  return L.add(mu, L.reduceSum(L.mul(factor, zRows), [s.length + 1]));
}
