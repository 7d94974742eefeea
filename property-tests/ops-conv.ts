/** Convolution and pooling (issue 11) for the gradient / hessian / vmap / jit tables. */
import fc from "fast-check";
import { lax, nn, np } from "../src/index.js";
import { arbIn, DISTINCT, REAL, type Domain } from "./helpers.js";
import type { ProductSpec, UnarySpec } from "./ops.js";

const u = (name: string, f: UnarySpec["f"], dom: Domain = REAL, extra: Partial<UnarySpec> = {}): UnarySpec => ({
  name,
  f,
  dom,
  ...extra,
});
/** A window of at most 2 along every axis (any input shape). */
const windowOf = (x: np.Array): number[] => x.shape.map((n) => Math.min(2, n));

export const CONV_UNARY: UnarySpec[] = [
  u(
    'lax.reduceWindow "sum" (window ≤ 2, SAME)',
    (x) => lax.reduceWindow(x, 0, "sum", windowOf(x), undefined, "SAME"),
    REAL,
    {
      minRank: 1,
    },
  ),
  // Distinct values: a max pool is smooth only away from ties.
  u(
    'lax.reduceWindow "max" (window ≤ 2, stride 2, window dilation)',
    (x) =>
      lax.reduceWindow(x, Number.NEGATIVE_INFINITY, "max", windowOf(x), windowOf(x), "VALID", {
        windowDilation: x.shape.map((n) => (n >= 3 ? 2 : 1)),
      }),
    DISTINCT,
    { minRank: 1 },
  ),
  u("nn.avgPool([2], SAME) [..., w, c]", (x) => nn.avgPool(x, [2], { padding: "SAME", countIncludePad: false }), REAL, {
    minRank: 2,
  }),
];

const dim = fc.integer({ min: 1, max: 3 });
const ins = (...shapes: number[][]) => fc.tuple(...shapes.map((s) => arbIn(REAL, s)));

export const CONV_PRODUCTS: ProductSpec[] = [
  {
    name: "lax.conv 1-d NCW, VALID [n,c,w+k-1]*[o,c,k]",
    f: (x, w) => lax.conv(x, w, [1], "VALID"),
    args: fc.tuple(dim, dim, dim, dim, dim).chain(([n, c, o, k, w]) => ins([n, c, w + k - 1], [o, c, k])),
  },
  {
    name: "lax.convGeneralDilated NHWC/HWIO, SAME, stride 2, rhs dilation",
    f: (x, w) =>
      lax.convGeneralDilated(x, w, [2, 1], "SAME", { rhsDilation: [1, 2], dimensionNumbers: ["NHWC", "HWIO", "NHWC"] }),
    args: fc.tuple(dim, dim, dim, dim).chain(([n, c, o, k]) => ins([n, 4, 3, c], [k, 2, c, o])),
  },
  {
    name: "lax.convGeneralDilated feature groups 2, lhs dilation, explicit padding",
    f: (x, w) => lax.convGeneralDilated(x, w, [1], [[1, -1]], { lhsDilation: [2], featureGroupCount: 2 }),
    args: fc.tuple(dim, dim, dim).chain(([n, i, og]) => ins([n, 2 * i, 3], [2 * og, i, 2])),
  },
  {
    name: "lax.convGeneralDilated batch groups 2",
    f: (x, w) => lax.convGeneralDilated(x, w, [1], "VALID", { batchGroupCount: 2 }),
    args: fc.tuple(dim, dim, dim).chain(([n, c, og]) => ins([2 * n, c, 3], [2 * og, c, 2])),
  },
  {
    name: "np.convolve full / np.correlate same",
    f: (a, v) => np.add(np.convolve(a, v), np.pad(np.correlate(a, v, { mode: "same" }), [[0, v.shape[0]! - 1]])),
    args: fc.tuple(dim, dim).chain(([m, n]) => ins([m + n], [n])),
  },
];
