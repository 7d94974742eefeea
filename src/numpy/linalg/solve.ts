/**
 * `solve` and `inv` by LU with partial pivoting, with the standard derivative
 * dX = A⁻¹ (dB − dA X) as a custom JVP (inv's follows: d(A⁻¹) = −A⁻¹ dA A⁻¹).
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { broadcastShapes, shapeStr } from "../../core/shape.js";
import { promote } from "../../core/convert.js";
import type { CustomJvp } from "../../lax/control/custom-jvp.js";
import { selfReferentialJvp } from "./rule-chain.js";
import { matmul } from "../linalg.js";
import { broadcastTo, expandDims, squeeze } from "../shape.js";
import { floatInput, squareInput, identity } from "./common.js";
import { luCore, luSolveCore } from "./factor.js";

/** A X = B for A [..., n, n] and B [..., n, m] of the same batch shape. */
const solveMatrix: CustomJvp<[Array, Array], Array> = selfReferentialJvp(
  (A: Array, B: Array) => luSolveCore(luCore(A), B),
  (self, [A, B], [dA, dB]) => {
    const X = self(A, B);
    return [X, self(A, dB.sub(matmul(dA, X)))];
  },
);

/**
 * Solves a x = b for each matrix of a [..., n, n] (jnp.linalg.solve). b is a vector [n] (1-D) or a
 * stack of matrices [..., n, m]; leading batch axes broadcast. A singular matrix gives ±∞/NaN in
 * the result (no exception, also under jit), as in JAX.
 *
 * @example np.linalg.solve(np.array([[3, 1], [1, 2]]), np.array([9, 8])) // [2, 3]
 */
export function solve(a: ArrayOrScalar, b: ArrayOrScalar): Array {
  let [A, n] = squareInput("solve", a, "a");
  let B = floatInput("solve", b, "b");
  const vector = B.ndim === 1;
  if (vector ? B.shape[0] !== n : B.ndim < 2 || B.shape[B.ndim - 2] !== n)
    throw new TypeError(
      `solve: b must be a vector [${n}] or a stack of matrices [..., ${n}, m] matching a ${shapeStr(A.shape)}, ` +
        `got ${shapeStr(B.shape)}`,
    );
  [A, B] = promote("solve", A, B) as [Array, Array];
  if (vector) B = expandDims(B, -1);
  const batch = broadcastShapes("solve (batch axes)", A.shape.slice(0, -2), B.shape.slice(0, -2));
  A = broadcastTo(A, [...batch, n, n]);
  B = broadcastTo(B, [...batch, n, B.shape[B.ndim - 1]!]);
  const X = solveMatrix(A, B);
  return vector ? squeeze(X, -1) : X;
}

/**
 * The inverse of each matrix of a [..., n, n] (jnp.linalg.inv). A singular matrix gives ±∞/NaN
 * entries (no exception), as in JAX.
 *
 * @example np.linalg.inv(np.array([[2, 0], [0, 4]])) // [[0.5, 0], [0, 0.25]]
 */
export function inv(a: ArrayOrScalar): Array {
  const [A, n] = squareInput("inv", a);
  return solveMatrix(A, broadcastTo(identity(n, A.dtype), A.shape));
}
