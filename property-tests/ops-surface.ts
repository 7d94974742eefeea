/**
 * The everyday np surface (issue 11) for the gradient / hessian / vmap / jit tables: elementwise
 * math, NaN reductions, matrix structure, grids and shifts, and the structured products.
 */
import fc from "fast-check";
import { np, type Array } from "../src/index.js";
import { arbIn, awayFrom0, DISTINCT, grid, REAL, type Domain } from "./helpers.js";
import type { BinarySpec, ProductSpec, UnarySpec } from "./ops.js";

const u = (name: string, f: UnarySpec["f"], dom: Domain = REAL, extra: Partial<UnarySpec> = {}): UnarySpec => ({
  name,
  f,
  dom,
  ...extra,
});
const ONE_TO = (hi: number): Domain => ({ min: -hi, max: hi });
/** Entries of x with NaN in place of the first element, so the nan-reductions have something to skip. */
const withNan = (x: Array): Array => np.where(np.equal(np.reshape(np.arange(x.size), x.shape), 0), Number.NaN, x);

/** Single-input entries. */
export const SURFACE_UNARY: UnarySpec[] = [
  u("arcsinh", np.arcsinh),
  u("arcsinh (large)", np.arcsinh, { min: 5e7, max: 2e8 }),
  u("arccosh", np.arccosh, { min: 1.2, max: 5 }),
  u("arctanh", np.arctanh, ONE_TO(0.8)),
  u("cbrt (x != 0)", np.cbrt, awayFrom0()),
  u("exp2", np.exp2),
  u("sinc", np.sinc),
  u("sinc (near 0)", np.sinc, ONE_TO(0.05)),
  u("trunc (zero grad)", np.trunc, grid(0.25)),
  u("round(x, 1) (zero grad)", (x) => np.round(x, 1), grid(0.33)),
  u("nanToNum", (x) => np.nanToNum(x)),
  u("nansum()", (x) => np.nansum(withNan(x))),
  u("nanmean(0)", (x) => np.nanmean(withNan(x), 0), REAL, { minRank: 1, minDim: 2 }),
  u("nanmax(-1)", (x) => np.nanmax(withNan(x), -1), DISTINCT, { minRank: 1, minDim: 2 }),
  u("nanmin()", (x) => np.nanmin(withNan(x)), DISTINCT, { minRank: 1, minDim: 2 }),
  u("tril", (x) => np.tril(x), REAL, { minRank: 2 }),
  u("triu(x, 1)", (x) => np.triu(x, 1), REAL, { minRank: 2 }),
  u("diag(ravel x, -1)", (x) => np.diag(np.ravel(x), -1)),
  u("diagonal(offset 1)", (x) => np.diagonal(x, { offset: 1 }), REAL, { minRank: 2 }),
  u("trace(x xᵀ)", (x) => np.trace(np.matmul(x, x.T)), REAL, { minRank: 2 }),
  u("kron(x, sin x)", (x) => np.kron(x, x.sin())),
  u("roll(x, 1)", (x) => np.roll(x, 1)),
  u("roll(x, [1, -1], [0, -1])", (x) => np.roll(x, [1, -1], [0, -1]), REAL, { minRank: 1 }),
  u("diff(x, 2, 0, prepend)", (x) => np.diff(x, 2, 0, { prepend: 0.5 }), REAL, { minRank: 1 }),
  u("meshgrid(ravel x, cos ravel x)", (x) => np.stack(np.meshgrid(np.ravel(x), np.ravel(x).cos()))),
];

/** Elementwise binary entries (broadcast-compatible shapes). */
export const SURFACE_BINARY: BinarySpec[] = [
  { name: "hypot", f: np.hypot, x: awayFrom0(), y: REAL },
  { name: "logaddexp", f: np.logaddexp, x: REAL, y: REAL },
  { name: "logaddexp2", f: np.logaddexp2, x: REAL, y: REAL },
  // x ∈ Z + 0.25, y ∈ ±{0.5, 1, 2}: x / y stays ≥ 0.125 away from the integers where floor jumps.
  {
    name: "floorDivide (zero grad)",
    f: np.floorDivide,
    x: grid(0.25),
    y: { min: -2, max: 2, post: (v) => [-2, -1, -0.5, 0.5, 1, 2][Math.min(5, Math.floor(((v + 2) / 4) * 6))]! },
  },
];

const dim = fc.integer({ min: 1, max: 3 });
const ins = (...shapes: number[][]) => fc.tuple(...shapes.map((s) => arbIn(REAL, s)));

/** Two-input structured products. */
export const SURFACE_PRODUCTS: ProductSpec[] = [
  { name: "inner [m,k]·[n,k]", f: np.inner, args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => ins([m, k], [n, k])) },
  { name: "kron [m,k]⊗[n]", f: np.kron, args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => ins([m, k], [n])) },
  { name: "cross [m,3]×[3]", f: (x, y) => np.cross(x, y), args: dim.chain((m) => ins([m, 3], [3])) },
  { name: "cross [2]×[m,2] (z)", f: (x, y) => np.cross(x, y), args: dim.chain((m) => ins([2], [m, 2])) },
];
