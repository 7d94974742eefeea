/** nn additions (issue 11) for the gradient / hessian / vmap / jit tables, on domains where they are smooth. */
import fc from "fast-check";
import { nn, np } from "../src/index.js";
import { arbIn, awayFrom0, DISTINCT, REAL, type Domain } from "./helpers.js";
import type { ProductSpec, UnarySpec } from "./ops.js";

const u = (name: string, f: UnarySpec["f"], dom: Domain = REAL, extra: Partial<UnarySpec> = {}): UnarySpec => ({
  name,
  f,
  dom,
  ...extra,
});
/** Values in [lo, hi] kept ≥ 0.2 from every kink (finite differences and second derivatives must not straddle one). */
const awayFrom = (lo: number, hi: number, kinks: readonly number[]): Domain => ({
  min: lo,
  max: hi,
  post: (v) => (kinks.some((k) => Math.abs(v - k) < 0.2) ? v + 0.5 : v),
});

export const NN_UNARY: UnarySpec[] = [
  u("nn.relu6 (x != 0, 6)", nn.relu6, awayFrom(-2, 8, [0, 6])),
  u("nn.hardSigmoid (x != ±3)", nn.hardSigmoid, awayFrom(-5, 5, [-3, 3])),
  // |x| has a kink at 0, which softSign's second derivative sees.
  u("nn.softSign (x != 0)", nn.softSign, awayFrom0()),
  // celu is C¹ but its second derivative jumps at 0 (1/α to 0).
  u("nn.celu (x != 0)", (x) => nn.celu(x), awayFrom0()),
  u("nn.celu(α = 2) (x != 0)", (x) => nn.celu(x, 2), awayFrom0()),
  u("nn.mish", nn.mish),
  // glu needs an even axis: gate x by sin(x) along a doubled last axis.
  u("nn.glu([x, sin x], -1)", (x) => nn.glu(np.concatenate([x, np.sin(x)], -1)), REAL, { minRank: 1 }),
  // Distinct values keep the variance away from 0, where the fast formula's clip at 0 has a kink.
  u("nn.standardize(-1)", (x) => nn.standardize(x), DISTINCT, { minRank: 1, minDim: 2 }),
  u('nn.standardize(0, "stable")', (x) => nn.standardize(x, { axis: 0, algorithm: "stable" }), DISTINCT, {
    minRank: 1,
    minDim: 2,
  }),
];

const dim = fc.integer({ min: 1, max: 3 });
const ins = (...shapes: number[][]) => fc.tuple(...shapes.map((s) => arbIn(REAL, s)));

export const NN_PRODUCTS: ProductSpec[] = [
  {
    name: "nn.dotProductAttention(q, kv, kv) [B,T,N,H]",
    f: (q, kv) => nn.dotProductAttention(q, kv, kv),
    args: fc.tuple(dim, dim, dim, dim, dim).chain(([b, t, s, n, h]) => ins([b, t, n, h], [b, s, n, h])),
  },
  {
    name: "nn.dotProductAttention causal, grouped heads (N = 2K)",
    f: (q, kv) => nn.dotProductAttention(q, kv, kv.mul(0.5), { isCausal: true }),
    args: fc.tuple(dim, dim, dim).chain(([t, k, h]) => ins([t, 2 * k, h], [t, k, h])),
  },
];
