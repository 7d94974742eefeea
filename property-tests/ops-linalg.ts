/**
 * np.linalg for the gradient / hessian / vmap / jit tables. Each op gets a well-conditioned matrix
 * built smoothly from the random input x [m, n], so derivatives are checked through the builder:
 * spd(x) = x xᵀ + (m + 1) I (eigenvalues ≥ m + 1) and general(x) = 2m I + tanh(x) cos(x)ᵀ / n
 * (off-diagonal row sums < m ≤ diagonal − m: strictly diagonally dominant, so nonsingular).
 * The decompositions get well-separated spectra, so their factors are smooth and unique up to sign:
 * separatedSym(x) = diag(0, 4, 8, …) + tanh(x) tanh(x)ᵀ / (m n) (perturbation of 2-norm ≤ 1, so
 * eigenvalue gaps ≥ 2) and separatedRect(x) = E + tanh(x) / (m n) with E [m, n] holding 4, 8, 12 on
 * its diagonal (singular values ≥ 3, gaps ≥ 2). Factors enter through sign-invariant functions
 * (V ∘ V, U ∘ U, Q D and D R with D = sign(diag R)).
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

/** 4 (i + 1) where i = j on an [m, n] grid, else 0 (traced, as eyeLike). */
const spacedDiagonal = (m: number, n: number, x: Array): Array => {
  const i = np.iota([m, n], 0);
  return i
    .equal(np.iota([m, n], 1))
    .astype(x.dtype)
    .mul(i.add(1).astype(x.dtype).mul(4));
};
const separatedSym = (x: Array): Array => {
  const [m, n] = [x.shape[0]!, x.shape[1]!];
  const t = np.tanh(x);
  return spacedDiagonal(m, m, x)
    .sub(eyeLike(m, x).mul(4))
    .add(np.matmul(t, t.T).div(m * n));
};
const separatedRect = (x: Array): Array => {
  const [m, n] = [x.shape[0]!, x.shape[1]!];
  return spacedDiagonal(m, n, x).add(np.tanh(x).div(m * n));
};
/** sign(diag R) as a row to scale Q's columns (Q D) or a column to scale R's rows (D R). */
const qrSignNormalized = (a: Array): Array => {
  const { Q, R } = np.linalg.qr(a);
  const d = np.sign(np.diagonal(R));
  return np.concatenate([np.ravel(Q.mul(d)), np.ravel(R.mul(np.expandDims(d, -1)))]);
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
  u("linalg.qr(separatedRect(x)) as [Q D, D R]", (x) => qrSignNormalized(separatedRect(x))),
  u('linalg.qr(separatedRect(x), { mode: "r" }) as D R', (x) => {
    const R = np.linalg.qr(separatedRect(x), { mode: "r" });
    return R.mul(np.expandDims(np.sign(np.diagonal(R)), -1));
  }),
  u("linalg.eigvalsh(separatedSym(x))", (x) => np.linalg.eigvalsh(separatedSym(x))),
  u("linalg.eigh(separatedSym(x)): [λ, V ∘ V]", (x) => {
    const { eigenvalues, eigenvectors } = np.linalg.eigh(separatedSym(x));
    return np.concatenate([eigenvalues, np.ravel(np.square(eigenvectors))]);
  }),
  u("linalg.svd(separatedRect(x)): [S, U ∘ U, Vh ∘ Vh]", (x) => {
    const { U, S, Vh } = np.linalg.svd(separatedRect(x), { fullMatrices: false });
    return np.concatenate([S, np.ravel(np.square(U)), np.ravel(np.square(Vh))]);
  }),
  u("linalg.svd(separatedRect(x), computeUv false)", (x) => np.linalg.svd(separatedRect(x), { computeUv: false })),
  u("linalg.lstsq(separatedRect(x), sin x).solution", (x) => np.linalg.lstsq(separatedRect(x), np.sin(x)).solution),
  u("linalg.pinv(separatedRect(x))", (x) => np.linalg.pinv(separatedRect(x))),
  u("linalg.pinv(separatedSym(x) - 5, hermitian)", (x) =>
    np.linalg.pinv(separatedSym(x).sub(eyeLike(x.shape[0]!, x).mul(5)), { hermitian: true }),
  ),
  u("linalg.norm(separatedRect(x), 2 | -2 | nuc)", (x) =>
    np.stack([2, -2, "nuc"].map((o) => np.linalg.norm(separatedRect(x), o as 2 | -2 | "nuc"))),
  ),
  u("linalg.cond(separatedRect(x))", (x) => np.linalg.cond(separatedRect(x))),
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
