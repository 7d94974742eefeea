/** `matrixPower`: integer powers of square matrices by repeated squaring (negative powers via inv). */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { matmul } from "../linalg.js";
import { broadcastTo } from "../shape.js";
import { squareInput, identity } from "./common.js";
import { inv } from "./solve.js";

/**
 * a raised to the integer power n for each matrix of a [..., n, n] (jnp.linalg.matrix_power):
 * n = 0 gives the identity, n < 0 inverts first (±∞/NaN for a singular matrix). Built from matmul
 * (about 2·log₂|n| products), so it differentiates and batches like them.
 *
 * @example np.linalg.matrixPower(np.array([[1, 1], [0, 1]]), 3) // [[1, 3], [0, 1]]
 */
export function matrixPower(a: ArrayOrScalar, n: number): Array {
  if (typeof n !== "number" || !Number.isInteger(n))
    throw new TypeError(`matrixPower: the exponent must be an integer (a JS number), got ${String(n)}`);
  const [A, size] = squareInput("matrixPower", a);
  if (n === 0) return broadcastTo(identity(size, A.dtype), A.shape);
  let base = n < 0 ? inv(A) : A;
  let result: Array | undefined;
  for (let k = Math.abs(n); k > 0; k = Math.floor(k / 2)) {
    if (k % 2 === 1) result = result === undefined ? base : matmul(result, base);
    if (k > 1) base = matmul(base, base);
  }
  return result!;
}
