/**
 * The `np.linalg` namespace (jax.numpy.linalg), written in-graph so every function works under jit,
 * vmap and grad, batches over leading axes, and has JAX's derivative rules.
 */
import { cholesky } from "./cholesky.js";
import { det, slogdet } from "./det.js";
import { matrixPower } from "./matrix-power.js";
import { norm } from "./norm.js";
import { inv, solve } from "./solve.js";
import { triangularSolve } from "./triangular-solve.js";

export type { SlogdetResult } from "./det.js";
export type { NormOrder } from "./norm.js";
export type { TriangularSolveOptions } from "./triangular-solve.js";
export { triangularSolve };

/** jnp.linalg: `cholesky`, `solve`, `inv`, `det`, `slogdet`, `matrixPower`, `norm`. */
export const linalg = Object.freeze({ cholesky, solve, inv, det, slogdet, matrixPower, norm });

/** The triangular solve of jax.lax.linalg, for `lax.linalg`. */
export const laxLinalg = Object.freeze({ triangularSolve });
