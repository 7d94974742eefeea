/** The differentiable ops under test, each with the input domain where it is smooth. */
import fc from "fast-check";
import { nn, np, type Array } from "../src/index.js";
import { arbIn, awayFrom0, DISTINCT, grid, POSITIVE, REAL, type Domain } from "./helpers.js";
import { SORTING } from "./ops-sorting.js";
import { LINALG_PRODUCTS, LINALG_UNARY } from "./ops-linalg.js";
import { SURFACE_BINARY, SURFACE_PRODUCTS, SURFACE_UNARY } from "./ops-surface.js";
import { NN_PRODUCTS, NN_UNARY } from "./ops-nn.js";
import { CONV_PRODUCTS, CONV_UNARY } from "./ops-conv.js";
import { ADVANCED_INDEXING } from "./ops-indexing.js";

export interface UnarySpec {
  name: string;
  f: (x: Array) => Array;
  dom: Domain;
  /** Smallest input rank / axis size the op needs. */
  minRank?: number;
  minDim?: number;
}

export interface BinarySpec {
  name: string;
  f: (x: Array, y: Array) => Array;
  x: Domain;
  y: Domain;
}

const u = (name: string, f: (x: Array) => Array, dom: Domain = REAL, extra: Partial<UnarySpec> = {}): UnarySpec => ({
  name,
  f,
  dom,
  ...extra,
});
const ONE_TO = (hi: number): Domain => ({ min: -hi, max: hi });
/** Values kept ≥ 0.2 away from ±1 (clip bounds). */
const AWAY_FROM_1: Domain = { min: -3, max: 3, post: (v) => (Math.abs(Math.abs(v) - 1) < 0.2 ? v + 0.5 : v) };

/** Elementwise unary ops (any shape). */
export const ELEMENTWISE: UnarySpec[] = [
  u("sin", np.sin),
  u("cos", np.cos),
  u("tan", np.tan, ONE_TO(1.2)),
  u("tanh", np.tanh),
  u("exp", np.exp),
  u("expm1", np.expm1),
  u("log", np.log, POSITIVE),
  u("log1p", np.log1p, { min: -0.7, max: 4 }),
  u("log2", np.log2, POSITIVE),
  u("log10", np.log10, POSITIVE),
  u("sqrt", np.sqrt, POSITIVE),
  u("rsqrt", np.rsqrt, POSITIVE),
  u("sinh", np.sinh),
  u("cosh", np.cosh),
  u("arcsin", np.arcsin, ONE_TO(0.9)),
  u("arccos", np.arccos, ONE_TO(0.9)),
  u("arctan", np.arctan),
  u("erf", np.erf, ONE_TO(2)),
  u("sigmoid", nn.sigmoid, ONE_TO(5)),
  u("softplus", nn.softplus, ONE_TO(5)),
  // Around the switch between softplus's two branches (x = 30); finite differences must not straddle it.
  u("softplus (large x != 30)", nn.softplus, { min: 25, max: 35, post: (v) => (Math.abs(v - 30) < 0.2 ? v + 0.5 : v) }),
  u("relu (x != 0)", nn.relu, awayFrom0()),
  u("square", np.square),
  u("negative", np.negative),
  u("reciprocal", np.reciprocal, awayFrom0()),
  u("abs (x != 0)", np.abs, awayFrom0()),
  u("sign (x != 0)", np.sign, awayFrom0()),
  u("floor (zero grad)", np.floor, grid(0.25)),
  u("ceil (zero grad)", np.ceil, grid(0.25)),
  u("round (zero grad)", np.round, grid(0.25)),
  u("clip(-1, 1)", (x) => np.clip(x, -1, 1), AWAY_FROM_1),
  u("power(x, 3)", (x) => np.power(x, 3)),
  u("power(x, -2)", (x) => np.power(x, -2), awayFrom0()),
  u("power(x, 0.5)", (x) => np.power(x, 0.5), POSITIVE),
  u("x.pow(2.5)", (x) => x.pow(2.5), POSITIVE),
];

/** Reductions and axis-wise ops (axis variants included). */
export const REDUCTIONS: UnarySpec[] = [
  u("sum()", (x) => np.sum(x)),
  u("sum(0)", (x) => np.sum(x, 0), REAL, { minRank: 1 }),
  u("sum(-1, keepdims)", (x) => np.sum(x, -1, { keepdims: true }), REAL, { minRank: 1 }),
  u("mean()", (x) => np.mean(x)),
  u("mean([0, -1])", (x) => np.mean(x, [0, -1]), REAL, { minRank: 2 }),
  u("prod()", (x) => np.prod(x), awayFrom0({ min: -1.2, max: 1.2 })),
  u("prod(0)", (x) => np.prod(x, 0), awayFrom0({ min: -1.2, max: 1.2 }), { minRank: 1 }),
  u("max()", (x) => np.max(x), DISTINCT),
  u("max(-1)", (x) => np.max(x, -1), DISTINCT, { minRank: 1 }),
  u("min()", (x) => np.min(x), DISTINCT),
  u("min(0, keepdims)", (x) => np.min(x, 0, { keepdims: true }), DISTINCT, { minRank: 1 }),
  u("var()", (x) => np.var_(x)),
  u("var(-1, ddof=1)", (x) => np.var_(x, -1, { ddof: 1 }), REAL, { minRank: 1, minDim: 2 }),
  u("std()", (x) => np.std(x), DISTINCT, { minRank: 1, minDim: 2 }),
  u("std(0, keepdims)", (x) => np.std(x, 0, { keepdims: true }), DISTINCT, { minRank: 1, minDim: 2 }),
  u("logsumexp()", (x) => np.logsumexp(x)),
  u("logsumexp(-1, keepdims)", (x) => np.logsumexp(x, -1, { keepdims: true }), REAL, { minRank: 1 }),
  u("softmax(-1)", (x) => nn.softmax(x), REAL, { minRank: 1 }),
  u("softmax(0)", (x) => nn.softmax(x, 0), REAL, { minRank: 1 }),
  u("logSoftmax(-1)", (x) => nn.logSoftmax(x), REAL, { minRank: 1 }),
  u("cumsum()", (x) => np.cumsum(x)),
  u("cumsum(0)", (x) => np.cumsum(x, 0), REAL, { minRank: 1 }),
];

/** Shape ops (linear, so any input works). */
export const SHAPE_OPS: UnarySpec[] = [
  u("transpose()", (x) => np.transpose(x)),
  u("transpose(perm)", (x) =>
    np.transpose(
      x,
      x.shape.map((_, i) => (i + 1) % x.ndim),
    ),
  ),
  u("reshape(-1)", (x) => np.reshape(x, [-1])),
  u("reshape([1, -1, 1])", (x) => np.reshape(x, [1, -1, 1])),
  u("x.T", (x) => x.T),
  u("expandDims(0)", (x) => np.expandDims(x, 0)),
  u("squeeze()", (x) => np.squeeze(np.expandDims(x, 0))),
  u("broadcastTo([2, ...])", (x) => np.broadcastTo(x, [2, ...x.shape])),
  u("moveaxis(0, -1)", (x) => np.moveaxis(x, 0, -1), REAL, { minRank: 1 }),
  u("swapaxes(0, -1)", (x) => np.swapaxes(x, 0, -1), REAL, { minRank: 1 }),
  u("ravel", np.ravel),
];

const i32 = (v: number[]) => np.array(v, { dtype: "int32" });
/** Indexing, joining and einsum (inputs have rank >= 1 and axes of size >= 2 where noted). */
export const INDEXING: UnarySpec[] = [
  u("get(0)", (x) => x.get(0), REAL, { minRank: 1 }),
  u('get("..., ::-1")', (x) => x.get("..., ::-1"), REAL, { minRank: 1 }),
  u("get(slice(1), null)", (x) => x.get(np.slice(1), null), REAL, { minRank: 1, minDim: 2 }),
  u("get([1, 0, 1]) (static, duplicates)", (x) => x.get([1, 0, 1]), REAL, { minRank: 1, minDim: 2 }),
  u("get(int32 array)", (x) => x.get(i32([-1, 0, 0])), REAL, { minRank: 1, minDim: 2 }),
  u("at(0).set(x[1])", (x) => x.at(0).set(x.get(1).mul(2)), REAL, { minRank: 1, minDim: 2 }),
  u("at([0, 0]).add(sin x[1])", (x) => x.at([0, 0]).add(x.get(1).sin()), REAL, { minRank: 1, minDim: 2 }),
  u("at(-1).mul(x[0])", (x) => x.at(-1).mul(x.get(0)), REAL, { minRank: 1, minDim: 2 }),
  u("take([1, 0, 1], 0)", (x) => np.take(x, [1, 0, 1], 0), REAL, { minRank: 1, minDim: 2 }),
  u("take flat", (x) => np.take(x, i32([0, -1])), REAL, { minRank: 1 }),
  u("takeAlongAxis(argsort-like, -1)", (x) => np.takeAlongAxis(x, np.zerosLike(x).astype("int32").add(1), -1), REAL, {
    minRank: 1,
    minDim: 2,
  }),
  u(
    "dynamicSlice",
    (x) =>
      np.dynamicSlice(
        x,
        x.shape.map(() => 1),
        x.shape.map((d) => d - 1),
      ),
    REAL,
    { minRank: 1, minDim: 2 },
  ),
  u(
    "dynamicUpdateSlice(x, x[:1]²)",
    (x) =>
      np.dynamicUpdateSlice(
        x,
        x.get(np.slice(0, 1)).square(),
        x.shape.map(() => 1),
      ),
    REAL,
    { minRank: 1, minDim: 2 },
  ),
  u("concatenate([x, sin x], 0)", (x) => np.concatenate([x, x.sin()], 0), REAL, { minRank: 1 }),
  u("concatenate(axis=null)", (x) => np.concatenate([x, x.square()], null)),
  u("stack([x, x²], -1)", (x) => np.stack([x, x.square()], -1)),
  u("vstack / hstack", (x) => np.hstack([np.vstack([x, x.cos()]), np.vstack([x.sin(), x])]), REAL, { minRank: 1 }),
  u("split(x, [1], 0) (list output), rotated", (x) => np.concatenate(np.split(x, [1], 0).reverse(), 0), REAL, {
    minRank: 1,
    minDim: 2,
  }),
  u("tile(x, 2)", (x) => np.tile(x, 2)),
  u("repeat(x, 2, 0)", (x) => np.repeat(x, 2, 0), REAL, { minRank: 1 }),
  u("repeat(x, 3)", (x) => np.repeat(x, 3)),
  u("pad constant", (x) => np.pad(x, 1, { constantValues: 0.5 })),
  u("pad edge", (x) => np.pad(x, 2, { mode: "edge" }), REAL, { minRank: 1 }),
  u("pad reflect", (x) => np.pad(x, 1, { mode: "reflect" }), REAL, { minRank: 1, minDim: 2 }),
  u("pad symmetric", (x) => np.pad(x, 2, { mode: "symmetric" }), REAL, { minRank: 1 }),
  u("pad wrap", (x) => np.pad(x, 2, { mode: "wrap" }), REAL, { minRank: 1 }),
  u("flip()", (x) => np.flip(x)),
  u("flip(0)", (x) => np.flip(x, 0), REAL, { minRank: 1 }),
  u('einsum("...i->...")', (x) => np.einsum("...i->...", x), REAL, { minRank: 1 }),
  u('einsum("ij->ji")', (x) => np.einsum("ij->ji", x), REAL, { minRank: 2 }),
  u('einsum("ij,ij->i")', (x) => np.einsum("ij,ij->i", x, x.sin()), REAL, { minRank: 2 }),
  u('einsum("ii->") on x xᵀ', (x) => np.einsum("ii->", np.matmul(x, x.T)), REAL, { minRank: 2 }),
  ...ADVANCED_INDEXING,
];

/** Every single-input op above. */
export const UNARY_ALL: UnarySpec[] = [
  ...ELEMENTWISE,
  ...REDUCTIONS,
  ...SHAPE_OPS,
  ...INDEXING,
  ...SORTING,
  ...SURFACE_UNARY,
  ...LINALG_UNARY,
  ...NN_UNARY,
  ...CONV_UNARY,
];

/** Elementwise binary ops; inputs are drawn with broadcast-compatible shapes. */
export const BINARY: BinarySpec[] = [
  { name: "add", f: np.add, x: REAL, y: REAL },
  { name: "subtract", f: np.subtract, x: REAL, y: REAL },
  { name: "multiply", f: np.multiply, x: REAL, y: REAL },
  { name: "divide", f: np.divide, x: REAL, y: awayFrom0() },
  { name: "power", f: np.power, x: POSITIVE, y: ONE_TO(1.7) },
  { name: "power (y = 0)", f: np.power, x: POSITIVE, y: { min: 0, max: 0 } },
  { name: "maximum", f: np.maximum, x: grid(0.25), y: grid(0.75) },
  { name: "minimum", f: np.minimum, x: grid(0.25), y: grid(0.75) },
  { name: "arctan2", f: np.arctan2, x: awayFrom0(), y: awayFrom0() },
  // y ∈ ±{0.5, 1, 2}·…, x ∈ Z + 0.25: x / y stays ≥ 0.125 away from the jumps at integers.
  {
    name: "mod",
    f: np.mod,
    x: grid(0.25),
    y: { min: -2, max: 2, post: (v) => [-2, -1, -0.5, 0.5, 1, 2][Math.min(5, Math.floor(((v + 2) / 4) * 6))]! },
  },
  { name: "where(x > 0, x, y)", f: (x, y) => np.where(np.greater(x, 0), x, y), x: awayFrom0(), y: REAL },
  { name: "x.mul(y).add(x.div(2))", f: (x, y) => x.mul(y).add(x.div(2)), x: REAL, y: REAL },
  ...SURFACE_BINARY,
];

const dim = fc.integer({ min: 1, max: 3 });
export const ins = (...shapes: number[][]) => fc.tuple(...shapes.map((s) => arbIn(REAL, s)));
export interface ProductSpec {
  name: string;
  f: (x: Array, y: Array) => Array;
  args: fc.Arbitrary<Array[]>;
}
/** Products with random compatible shapes (1..3 per axis). */
export const PRODUCTS: ProductSpec[] = [
  { name: "matmul [m,k]@[k,n]", f: np.matmul, args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => ins([m, k], [k, n])) },
  {
    name: "matmul batched [b,m,k]@[k,n]",
    f: np.matmul,
    args: fc.tuple(dim, dim, dim, dim).chain(([b, m, k, n]) => ins([b, m, k], [k, n])),
  },
  { name: "matmul [k]@[k,n]", f: np.matmul, args: fc.tuple(dim, dim).chain(([k, n]) => ins([k], [k, n])) },
  { name: "matmul [m,k]@[k]", f: np.matmul, args: fc.tuple(dim, dim).chain(([m, k]) => ins([m, k], [k])) },
  { name: "x.matmul(y) [k]@[k]", f: (x, y) => x.matmul(y), args: dim.chain((k) => ins([k], [k])) },
  { name: "dot [m,k]·[k,n]", f: np.dot, args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => ins([m, k], [k, n])) },
  { name: "dot [k]·[k]", f: np.dot, args: dim.chain((k) => ins([k], [k])) },
  {
    name: "dot N-D [2,m,k]·[k,n]",
    f: np.dot,
    args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => ins([2, m, k], [k, n])),
  },
  {
    name: "tensordot axes=1",
    f: (x, y) => np.tensordot(x, y, 1),
    args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => ins([m, k], [k, n])),
  },
  {
    name: "tensordot axes=2",
    f: (x, y) => np.tensordot(x, y, 2),
    args: fc.tuple(dim, dim, dim).chain(([a, b, n]) => ins([2, a, b], [a, b, n])),
  },
  {
    name: "tensordot [[0],[1]]",
    f: (x, y) => np.tensordot(x, y, [[0], [1]]),
    args: fc.tuple(dim, dim, dim).chain(([k, m, n]) => ins([k, m], [n, k])),
  },
  { name: "outer", f: np.outer, args: fc.tuple(dim, dim).chain(([m, n]) => ins([m], [n])) },
  {
    name: 'einsum("ij,jk->ik")',
    f: (x, y) => np.einsum("ij,jk->ik", x, y),
    args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => ins([m, k], [k, n])),
  },
  {
    name: 'einsum("bij,bjk->bik")',
    f: (x, y) => np.einsum("bij,bjk->bik", x, y),
    args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => ins([2, m, k], [2, k, n])),
  },
  {
    name: 'einsum("i,ij,j->")',
    f: (x, y) => np.einsum("i,ij,j->", x, y, x.get(np.slice(0, 1)).add(y.get(0))),
    args: fc.tuple(dim, dim).chain(([m, n]) => ins([m], [m, n])),
  },
  {
    name: 'einsum("ij,kj")',
    f: (x, y) => np.einsum("ij,kj", x, y),
    args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => ins([m, k], [n, k])),
  },
  { name: "vdot", f: np.vdot, args: fc.tuple(dim, dim).chain(([m, n]) => ins([m, n], [m, n])) },
  ...SURFACE_PRODUCTS,
  ...LINALG_PRODUCTS,
  ...NN_PRODUCTS,
  ...CONV_PRODUCTS,
];
