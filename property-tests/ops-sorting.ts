/** Sorting, order statistics and cumulative scans for the gradient / hessian / vmap / jit tables (smooth where values are distinct). */
import { lax, np } from "../src/index.js";
import { DISTINCT, REAL } from "./helpers.js";
import type { UnarySpec } from "./ops.js";

const u = (name: string, f: UnarySpec["f"], dom = DISTINCT, extra: Partial<UnarySpec> = {}): UnarySpec => ({
  name,
  f,
  dom,
  ...extra,
});

export const SORTING: UnarySpec[] = [
  u("sort()", (x) => np.sort(x, null)),
  u("sort(-1)", (x) => np.sort(x), DISTINCT, { minRank: 1 }),
  u("sort(0, descending)", (x) => np.sort(x, 0, { descending: true }), DISTINCT, { minRank: 1 }),
  u("topK(x, 2) values", (x) => lax.topK(x, 2)[0], DISTINCT, { minRank: 1, minDim: 2 }),
  u("quantile(0.3)", (x) => np.quantile(x, 0.3)),
  u("quantile([0.1, 0.75], -1, keepdims)", (x) => np.quantile(x, [0.1, 0.75], -1, { keepdims: true }), DISTINCT, {
    minRank: 1,
  }),
  u('quantile(0.4, 0, "nearest")', (x) => np.quantile(x, 0.4, 0, { method: "nearest" }), DISTINCT, { minRank: 1 }),
  u("median()", (x) => np.median(x)),
  u("percentile(90, 0)", (x) => np.percentile(x, 90, 0), DISTINCT, { minRank: 1 }),
  u("cumprod()", (x) => np.cumprod(x), REAL),
  u("cumprod(0, reverse)", (x) => np.cumprod(x, 0, { reverse: true }), REAL, { minRank: 1 }),
  u("cummax(-1)", (x) => np.cummax(x, -1), DISTINCT, { minRank: 1 }),
  u("cummin(0, reverse)", (x) => np.cummin(x, 0, { reverse: true }), DISTINCT, { minRank: 1 }),
  u("associativeScan(x*y + x)", (x) => lax.associativeScan((a, b) => a.mul(b).add(a), x), REAL, { minRank: 1 }),
];
