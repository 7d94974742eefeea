/**
 * `eigh` / `eigvalsh` by parallel cyclic Jacobi (jacobi.ts), in-graph, with the standard
 * symmetric-eigenproblem derivative as a custom JVP.
 */
import type { Array, ArrayOrScalar } from "../../core/array.js";
import { checkOptions } from "../../core/options.js";
import { customJvp, type CustomJvp } from "../../lax/control/custom-jvp.js";
import { argsort } from "../sorting.js";
import { matmul } from "../linalg.js";
import { tril, triu } from "../matrix-shape.js";
import { sum } from "../reductions.js";
import { broadcastTo, expandDims } from "../shape.js";
import { diagOf, identity, mT, permutationMatrix, squareInput } from "./common.js";
import { jacobiLoop, jacobiRotation } from "./jacobi.js";
import { selfReferentialJvp } from "./rule-chain.js";

/** Eigenvalues (ascending) and eigenvectors (columns) of each symmetric matrix of A [..., n, n]. */
export function eighCore(A: Array): [Array, Array] {
  const n = A.shape[A.ndim - 1]!;
  const [D, V] = jacobiLoop(
    n,
    (r: Array, [M, V]: [Array, Array]): [Array, Array] => {
      const J = jacobiRotation(M, r);
      return [matmul(mT(J), matmul(M, J)), matmul(V, J)];
    },
    [A, broadcastTo(identity(n, A.dtype), A.shape)] as [Array, Array],
  );
  const w = diagOf(D);
  const P = permutationMatrix(argsort(w, -1), A.dtype);
  return [sum(expandDims(w, -1).mul(P), -2), matmul(V, P)];
}

/** eigh of a symmetric A with dλ = diag(Vᵀ dA V), dV = V (F ∘ Vᵀ dA V), F_ij = 1/(λ_j − λ_i) off the diagonal. */
const eighRule: CustomJvp<[Array], [Array, Array]> = selfReferentialJvp(eighCore, (self, [A], [dA]) => {
  const [w, V] = self(A);
  const n = A.shape[A.ndim - 1]!;
  const eye = identity(n, A.dtype);
  const VtdAV = matmul(mT(V), matmul(dA, V));
  const F = expandDims(w, -2).sub(expandDims(w, -1)).add(eye).reciprocal().sub(eye);
  return [
    [w, V],
    [diagOf(VtdAV), matmul(V, F.mul(VtdAV))],
  ];
});

/** Eigenvalues only, with dλ = diag(Vᵀ dA V): no gap division, so repeated eigenvalues stay finite. */
const eigvalsRule: CustomJvp<[Array], Array> = customJvp((A: Array) => eighCore(A)[0]).defJvp(([A], [dA]) => {
  const [w, V] = eighRule(A);
  return [w, diagOf(matmul(mT(V), matmul(dA, V)))];
});

/** Options of {@link eigh} (JAX's). */
export interface EighOptions {
  /** The triangle read when `symmetrizeInput` is false: "L" (default) or "U". */
  UPLO?: "L" | "U";
  /** Use (a + aᵀ)/2 (default true, as JAX): then both triangles count, and derivatives are symmetric. */
  symmetrizeInput?: boolean;
}

/** The result of {@link eigh}: a = V diag(λ) Vᵀ. */
export interface EighResult {
  /** Ascending, [..., n]. */
  eigenvalues: Array;
  /** Orthonormal eigenvectors as columns, [..., n, n] (each column's sign is arbitrary). */
  eigenvectors: Array;
}

function symmetricInput(op: string, a: ArrayOrScalar, opts: EighOptions): Array {
  checkOptions(op, opts, ["UPLO", "symmetrizeInput"]);
  const uplo = opts.UPLO ?? "L";
  if (uplo !== "L" && uplo !== "U") throw new RangeError(`${op}: UPLO must be "L" or "U", got ${JSON.stringify(uplo)}`);
  const [A] = squareInput(op, a);
  if (opts.symmetrizeInput ?? true) return A.add(mT(A)).mul(0.5);
  // One triangle mirrored onto the other: the rest of a is not read (and gets no derivative).
  return uplo === "L" ? tril(A).add(mT(tril(A, -1))) : triu(A).add(mT(triu(A, 1)));
}

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors of each symmetric matrix of a [..., n, n]
 * (jnp.linalg.eigh), by cyclic Jacobi rotations (accurate to a few ulps of ‖a‖; O(n³) per sweep,
 * ⌈log₂ n⌉ + 4 sweeps). Derivatives are the standard formulas; the eigenvector derivative divides
 * by eigenvalue gaps, so it is infinite/NaN for repeated eigenvalues (as in JAX: only functions
 * invariant to the choice of basis in a degenerate eigenspace have a derivative there).
 *
 * @example
 * const { eigenvalues, eigenvectors } = np.linalg.eigh(np.array([[2, 1], [1, 2]])); // eigenvalues [1, 3]
 */
export function eigh(a: ArrayOrScalar, opts: EighOptions = {}): EighResult {
  const [eigenvalues, eigenvectors] = eighRule(symmetricInput("eigh", a, opts));
  return { eigenvalues, eigenvectors };
}

/**
 * The eigenvalues (ascending) of each symmetric matrix of a [..., n, n] (jnp.linalg.eigvalsh);
 * options as {@link eigh}. Its derivative diag(Vᵀ da V) has no gap division, so it stays finite at
 * repeated eigenvalues (there it is one valid directional derivative of the sorted spectrum).
 *
 * @example np.linalg.eigvalsh(np.array([[2, 1], [1, 2]])) // [1, 3]
 */
export function eigvalsh(a: ArrayOrScalar, opts: EighOptions = {}): Array {
  return eigvalsRule(symmetricInput("eigvalsh", a, opts));
}
