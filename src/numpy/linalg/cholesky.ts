/**
 * `cholesky` with JAX's derivative: for A = L Lᵀ, dL = L Φ(L⁻¹ sym(dA) L⁻ᵀ), Φ taking the lower
 * triangle with the diagonal halved. The rule uses triangular solves, so derivatives of every order
 * avoid differentiating the factorization loop.
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import type { CustomJvp } from "../../lax/control/custom-jvp.js";
import { selfReferentialJvp } from "./rule-chain.js";
import { matmul } from "../linalg.js";
import { tril } from "../matrix-shape.js";
import { mT, squareInput, identity } from "./common.js";
import { choleskyCore } from "./factor.js";
import { triangularSolve } from "./triangular-solve.js";

const symmetrize = (x: Array): Array => x.add(mT(x)).mul(0.5);

const choleskyRule: CustomJvp<[Array], Array> = selfReferentialJvp(
  (A: Array) => choleskyCore(symmetrize(A)),
  (self, [A], [dA]) => {
    const L = self(A);
    const n = A.shape[A.ndim - 1]!;
    // L⁻¹ S L⁻ᵀ as two left solves: Y = L⁻¹ S, then L⁻¹ Yᵀ (S is symmetric, so Yᵀ = S L⁻ᵀ).
    const Y = triangularSolve(L, symmetrize(dA), { leftSide: true, lower: true });
    const inner = triangularSolve(L, mT(Y), { leftSide: true, lower: true });
    const phi = tril(inner).mul(identity(n, A.dtype).mul(-0.5).add(1));
    return [L, matmul(L, phi)];
  },
);

/**
 * The lower Cholesky factor L of each symmetric positive-definite matrix in a [..., n, n]
 * (A = L Lᵀ), as jnp.linalg.cholesky: the input is symmetrized as (A + Aᵀ)/2 first. If a matrix is
 * not positive definite its factor holds NaN (no exception, also under jit): test with
 * `np.isfinite(L).all()`.
 *
 * @example np.linalg.cholesky(np.array([[4, 2], [2, 5]])) // [[2, 0], [1, 2]]
 */
export function cholesky(a: ArrayOrScalar): Array {
  const [A] = squareInput("cholesky", a);
  return choleskyRule(A);
}
