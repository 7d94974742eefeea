/**
 * `orthogonal` following `jax.random.orthogonal` (0.10.2): Q of the QR factorization of a standard
 * normal `[...shape, max(n, m), min(n, m)]` draw, with columns signed so that R's diagonal is
 * positive (Mezzadri 2007), transposed when n < m. That Q is unique, so graft computes it by
 * Gram–Schmidt with re-orthogonalization (O(min(n, m)²) graft ops) instead of Householder QR:
 * the same matrix as JAX's up to rounding.
 */
import type { Array } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import * as L from "../core/ops.js";
import { bind1 } from "../core/trace.js";
import { checkOptions } from "../core/options.js";
import type { Scheme } from "./threefry.js";
import { normal } from "./continuous.js";
import { checkFloatDType, checkKey, checkShape, type ShapeLike } from "./sampler-checks.js";

export interface OrthogonalOptions {
  /** float32 (default) or float64. */
  dtype?: DType;
  /** Number of columns (default n): the result is [...shape, n, m] with orthonormal rows or columns. */
  m?: number;
}

/** Column `j` of `x` [..., p, q], as [..., p]. */
function column(x: Array, j: number): Array {
  const last = x.ndim - 1;
  const start = x.shape.map((_, a) => (a === last ? j : 0));
  const limit = x.shape.map((d, a) => (a === last ? j + 1 : d));
  const strides = x.shape.map(() => 1);
  return L.reshape(bind1("slice", [x], { start, limit, strides }), x.shape.slice(0, -1));
}

function checkDim(name: string, v: unknown): number {
  if (!Number.isInteger(v) || (v as number) < 0)
    throw new TypeError(`random.orthogonal: ${name} must be a non-negative integer, got ${JSON.stringify(v)}`);
  return v as number;
}

export function orthogonal(
  scheme: Scheme,
  k: Array,
  n: number,
  shape: ShapeLike = [],
  opts: OrthogonalOptions = {},
): Array {
  checkOptions("random.orthogonal", opts, ["dtype", "m"]);
  checkKey("orthogonal", k);
  const rows = checkDim("n", n);
  const cols = checkDim("m", opts.m ?? n);
  const s = checkShape("orthogonal", shape);
  const dtype = checkFloatDType("orthogonal", opts.dtype ?? "float32");
  const [p, q] = [Math.max(rows, cols), Math.min(rows, cols)];
  const z = normal(scheme, k, [...s, p, q], { dtype });
  const colShape = [...s, p];
  const batchDims = s.map((_, i) => i);
  const dot = (a: Array, b: Array): Array =>
    L.broadcastInDim(L.reduceSum(L.mul(a, b), [colShape.length - 1]), colShape, batchDims);
  const qs: Array[] = [];
  for (let j = 0; j < q; j++) {
    let v = column(z, j);
    // Twice is enough: a second pass removes what rounding left of the earlier directions.
    for (let pass = 0; pass < 2; pass++) for (const qk of qs) v = L.sub(v, L.mul(dot(qk, v), qk));
    qs.push(L.div(v, L.sqrt(dot(v, v))));
  }
  const Q =
    q === 0
      ? z
      : bind1(
          "concatenate",
          qs.map((c) => L.reshape(c, [...colShape, 1])),
          { axis: s.length + 1 },
        );
  return rows < cols ? L.moveAxis(Q, s.length + 1, s.length) : Q;
}
