/**
 * np.linalg for the gradient / hessian / vmap / jit tables. Each op gets a well-conditioned matrix
 * built smoothly from the random input x [m, n], so derivatives are checked through the builder:
 * spd(x) = x xᵀ + (m + 1) I (eigenvalues ≥ m + 1) and general(x) = 2m I + tanh(x) cos(x)ᵀ / n
 * (off-diagonal row sums < m ≤ diagonal − m: strictly diagonally dominant, so nonsingular).
 */
import fc from "fast-check";
import { np, type Array } from "../src/index.js";
import { triangularSolve } from "../src/numpy/linalg/index.js";
import { arbIn, awayFrom0, REAL } from "./helpers.js";
import type { ProductSpec, UnarySpec } from "./ops.js";

/** The m×m identity, traced (np.eye would be a concrete constant of the wrong backend under withBackend). */
const eyeLike = (m: number, x: Array): Array =>
  np
    .iota([m, m], 0)
    .equal(np.iota([m, m], 1))
    .astype(x.dtype);
const spd = (x: Array): Array => np.matmul(x, x.T).add(eyeLike(x.shape[0]!, x).mul(x.shape[0]! + 1));
const general = (x: Array): Array => {
  const [m, n] = [x.shape[0]!, x.shape[1]!];
  return eyeLike(m, x)
    .mul(2 * m)
    .add(np.matmul(np.tanh(x), np.cos(x).T).div(n));
};

const u = (name: string, f: UnarySpec["f"], extra: Partial<UnarySpec> = {}): UnarySpec => ({
  name,
  f,
  dom: REAL,
  minRank: 2,
  ...extra,
});

export const LINALG_UNARY: UnarySpec[] = [
  u("linalg.cholesky(spd(x))", (x) => np.linalg.cholesky(spd(x))),
  u("linalg.solve(general(x), x)", (x) => np.linalg.solve(general(x), x)),
  u("linalg.inv(general(x))", (x) => np.linalg.inv(general(x))),
  u("linalg.det(general(x))", (x) => np.linalg.det(general(x))),
  u("linalg.slogdet(general(x)).logabsdet", (x) => np.linalg.slogdet(general(x)).logabsdet),
  u("linalg.matrixPower(general(x), 3)", (x) => np.linalg.matrixPower(general(x), 3)),
  u("linalg.matrixPower(general(x), -2)", (x) => np.linalg.matrixPower(general(x), -2)),
  u("triangularSolve(tril(general(x)), x, left lower)", (x) =>
    triangularSolve(general(x), x, { leftSide: true, lower: true }),
  ),
  u("triangularSolve(general(x), xᵀ, right upper transposeA)", (x) =>
    triangularSolve(general(x), x.T, { lower: false, transposeA: true }),
  ),
  u("linalg.norm(x, 3, -1)", (x) => np.linalg.norm(x, 3, -1), { dom: awayFrom0(), minRank: 1 }),
  u('linalg.norm(x, "fro")', (x) => np.linalg.norm(x, "fro"), { dom: awayFrom0() }),
];

const dim = fc.integer({ min: 1, max: 3 });
export const LINALG_PRODUCTS: ProductSpec[] = [
  {
    name: "linalg.solve(general(x), y) [m,k], [m,n]",
    f: (x, y) => np.linalg.solve(general(x), y),
    args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => fc.tuple(arbIn(REAL, [m, k]), arbIn(REAL, [m, n]))),
  },
  {
    name: "linalg.solve(spd(x), y) [m,k], [m]",
    f: (x, y) => np.linalg.solve(spd(x), y),
    args: fc.tuple(dim, dim).chain(([m, k]) => fc.tuple(arbIn(REAL, [m, k]), arbIn(REAL, [m]))),
  },
  {
    name: "linalg.cholesky(spd(x)) @ y [m,k], [m,n]",
    f: (x, y) => np.matmul(np.linalg.cholesky(spd(x)), y),
    args: fc.tuple(dim, dim, dim).chain(([m, k, n]) => fc.tuple(arbIn(REAL, [m, k]), arbIn(REAL, [m, n]))),
  },
];
