/** Test problems and helpers shared by the second-order optimizer tests. */
import { np } from "../../src/index.js";

type Array = np.Array;
type FloatDType = "float32" | "float64";

export const vals = (x: Array): number[] => Array.from(x.dataSync(), Number);
export const maxErr = (x: Array, want: readonly number[]): number =>
  Math.max(...vals(x).map((v, i) => Math.abs(v - want[i]!)));

// ---------------------------------------------------------------------------------------------
// test problems

export const rosen = (p: Array): Array => {
  const x = p.get(0);
  const y = p.get(1);
  return x.neg().add(1).square().add(y.sub(x.square()).square().mul(100));
};
/** Rosenbrock as least squares: ½‖r‖² with r = (10(y − x²), 1 − x) is rosen / 2... times 2. */
export const rosenResiduals = (p: Array): Array =>
  np.stack([p.get(1).sub(p.get(0).square()).mul(10), p.get(0).neg().add(1)]);

/** ½ (x − x*)ᵀ A (x − x*) with A = Q diag(λ) Qᵀ, λ log-spaced in [1, κ], Q a Householder reflection. */
export function illConditioned(n: number, kappa: number, dtype: FloatDType) {
  const v = Array.from({ length: n }, (_, i) => Math.sin(i + 1) + 0.5);
  const vv = v.reduce((s, a) => s + a * a, 0);
  const Q = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv));
  const lam = Array.from({ length: n }, (_, i) => kappa ** (i / (n - 1)));
  const A = Q.map((qi) => Q.map((qj) => qi.reduce((s, q, k) => s + q * lam[k]! * qj[k]!, 0)));
  const xStar = Array.from({ length: n }, (_, i) => (i % 2 ? -1 : 1) * (1 + i / 2));
  const Aa = np.array(A, { dtype });
  const xs = np.array(xStar, { dtype });
  const f = (x: Array): Array => {
    const e = x.sub(xs);
    return np.vdot(e, np.matmul(Aa, e)).mul(0.5);
  };
  return { f, A, xStar, x0: np.zeros([n], { dtype }) };
}
