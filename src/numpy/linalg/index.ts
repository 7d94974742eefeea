/**
 * The `np.linalg` namespace (jax.numpy.linalg), written in-graph so every function works under jit,
 * vmap and grad, batches over leading axes, and has JAX's derivative rules.
 */
import { cholesky } from "./cholesky.js";
import { det, slogdet } from "./det.js";
import { eigh, eigvalsh } from "./eigh.js";
import { lstsq } from "./lstsq.js";
import { matrixPower } from "./matrix-power.js";
import { norm } from "./norm.js";
import { cond, matrixRank, pinv } from "./pinv.js";
import { qr } from "./qr.js";
import { inv, solve } from "./solve.js";
import { svd } from "./svd.js";
import { triangularSolve } from "./triangular-solve.js";

export type { SlogdetResult } from "./det.js";
export type { EighOptions, EighResult } from "./eigh.js";
export type { LstsqResult } from "./lstsq.js";
export type { NormOrder } from "./norm.js";
export type { MatrixRankOptions, PinvOptions } from "./pinv.js";
export type { QrOptions, QrResult } from "./qr.js";
export type { SvdOptions, SvdResult } from "./svd.js";
export type { TriangularSolveOptions } from "./triangular-solve.js";
export { triangularSolve };

/**
 * jnp.linalg: `cholesky`, `solve`, `inv`, `det`, `slogdet`, `matrixPower`, `norm`, `qr`, `eigh`,
 * `eigvalsh`, `svd`, `lstsq`, `pinv`, `matrixRank`, `cond`.
 */
export const linalg = Object.freeze({
  cholesky,
  solve,
  inv,
  det,
  slogdet,
  matrixPower,
  norm,
  qr,
  eigh,
  eigvalsh,
  svd,
  lstsq,
  pinv,
  matrixRank,
  cond,
});

/** The triangular solve of jax.lax.linalg, for `lax.linalg`. */
export const laxLinalg = Object.freeze({ triangularSolve });
