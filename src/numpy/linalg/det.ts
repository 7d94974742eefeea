/**
 * `det` and `slogdet` from LU with partial pivoting, with Jacobi's formula as custom JVPs:
 * d det A = det A · tr(A⁻¹ dA), d log|det A| = tr(A⁻¹ dA).
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import type { CustomJvp } from "../../lax/control/custom-jvp.js";
import { selfReferentialJvp } from "./rule-chain.js";
import { abs, log, sign } from "../elementwise.js";
import { diagonal, trace } from "../matrix-shape.js";
import { prod, sum } from "../reductions.js";
import { zerosLike } from "../creation.js";
import { squareInput } from "./common.js";
import { luCore } from "./factor.js";
import { solve } from "./solve.js";

const lastTwo = { axis1: -2, axis2: -1 };

/** tr(A⁻¹ dA) for each matrix of the stack. */
const traceOfSolve = (A: Array, dA: Array): Array => trace(solve(A, dA), lastTwo);

const detRule: CustomJvp<[Array], Array> = selfReferentialJvp(
  (A: Array) => {
    const { lu, parity } = luCore(A);
    return prod(diagonal(lu, lastTwo), -1).mul(parity);
  },
  (self, [A], [dA]) => {
    const d = self(A);
    return [d, d.mul(traceOfSolve(A, dA))];
  },
);

const slogdetRule: CustomJvp<[Array], [Array, Array]> = selfReferentialJvp(
  (A: Array): [Array, Array] => {
    const { lu, parity } = luCore(A);
    const u = diagonal(lu, lastTwo);
    return [prod(sign(u), -1).mul(parity), sum(log(abs(u)), -1)];
  },
  (self, [A], [dA]) => {
    const out = self(A);
    return [out, [zerosLike(out[0]), traceOfSolve(A, dA)]];
  },
);

/**
 * The determinant of each matrix of a [..., n, n] (jnp.linalg.det); 0 for an exactly singular
 * matrix. The derivative is Jacobi's formula, NaN at singular matrices.
 *
 * @example np.linalg.det(np.array([[1, 2], [3, 4]])) // -2
 */
export function det(a: ArrayOrScalar): Array {
  const [A] = squareInput("det", a);
  return detRule(A);
}

/** The result of {@link slogdet}: det a = sign · exp(logabsdet). */
export interface SlogdetResult {
  sign: Array;
  logabsdet: Array;
}

/**
 * Sign and log |determinant| of each matrix of a [..., n, n] (jnp.linalg.slogdet), accurate where
 * det itself would overflow or underflow. A singular matrix gives sign 0 and logabsdet −∞.
 *
 * @example np.linalg.slogdet(np.array([[1, 2], [3, 4]])) // { sign: -1, logabsdet: log 2 }
 */
export function slogdet(a: ArrayOrScalar): SlogdetResult {
  const [A] = squareInput("slogdet", a);
  const [s, logabsdet] = slogdetRule(A);
  return { sign: s, logabsdet };
}
