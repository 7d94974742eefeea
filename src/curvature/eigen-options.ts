/** Options and result types of the Hessian eigenvalue solvers, and their validation. */
import type { Array } from "../core/array.js";
import type { FlatSpace } from "./flat.js";
import { streamFrom, type KeyStream } from "./rng.js";

/** Options of `topHessianEigenvalues` / `smallestHessianEigenvalues`. */
export interface HessianEigenOptions {
  /** How many eigenvalues (default 1); at most the number of parameters. */
  k?: number;
  /** `"lanczos"` (default): Lanczos with full reorthogonalization. `"power"`: power iteration with deflation on a shifted Hessian. */
  method?: "lanczos" | "power";
  /**
   * Lanczos: the largest Krylov dimension, i.e. at most this many Hessian-vector products
   * (default min(n, max(100, 4k + 40)); n = number of parameters). Power: the most iterations per
   * eigenvalue (default 1000).
   */
  iters?: number;
  /**
   * Convergence tolerance on the eigen-residual ‖Hv − λv‖ relative to the largest |eigenvalue| seen
   * (default 1e-8 when every parameter is float64, 1e-5 otherwise). Iteration stops early once
   * every requested pair meets it.
   */
  tol?: number;
  /** A PRNG key (`random.key(seed)`) for the random start vectors. */
  key?: Array;
  /** An integer seed for the start vectors, meaning `random.key(seed)` (default 0). Give `key` or `seed`, not both. */
  seed?: number;
  /** Also return the eigenvectors, each as a pytree shaped like params, unit norm over all leaves (default false). */
  eigenvectors?: boolean;
}

/** Result of an eigenvalue computation. */
export interface HessianEigenResult<P> {
  /** Top: largest first (descending). Smallest: most negative first (ascending). */
  eigenvalues: number[];
  /** With `eigenvectors: true`: unit eigenvectors shaped like params, matching `eigenvalues`. */
  eigenvectors?: P[];
  /** ‖Hv − λv‖ for each pair (Lanczos: the standard estimate |βₘ·sₘ|; power: measured). */
  residuals: number[];
  /** Whether every requested pair met `tol` (or the Krylov space was exhausted, which is exact). */
  converged: boolean;
  /** Hessian-vector products used. */
  hvps: number;
  /** The method used. */
  method: "lanczos" | "power";
}

const KNOWN_OPTIONS = new Set(["k", "method", "iters", "tol", "key", "seed", "eigenvectors"]);

export interface Resolved {
  k: number;
  method: "lanczos" | "power";
  iters: number;
  tol: number;
  stream: KeyStream;
  eigenvectors: boolean;
}

/** Validates options against the problem size n; `needK` false for the extremes (k is ignored there). */
export function resolveOptions(
  opts: HessianEigenOptions,
  space: FlatSpace<unknown>,
  op: string,
  extraKeys: readonly string[] = [],
): Resolved {
  if (opts === null || typeof opts !== "object")
    throw new TypeError(`${op}: options must be an object, got ${opts === null ? "null" : typeof opts}`);
  for (const name of Object.keys(opts))
    if (!KNOWN_OPTIONS.has(name) && !extraKeys.includes(name))
      throw new TypeError(
        `${op}: unknown option '${name}'; expected one of ${[...KNOWN_OPTIONS, ...extraKeys].join(", ")}`,
      );
  const n = space.size;
  if (n === 0) throw new RangeError(`${op}: params has no parameters (an empty pytree)`);
  const k = opts.k ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${op}: k must be a positive integer, got ${k}`);
  if (k > n)
    throw new RangeError(
      `${op}: k = ${k} is larger than the number of parameters (${n}); the Hessian has only ${n} eigenvalues`,
    );
  const method = opts.method ?? "lanczos";
  if (method !== "lanczos" && method !== "power")
    throw new TypeError(`${op}: method must be "lanczos" or "power", got ${JSON.stringify(method)}`);
  const iters = opts.iters ?? (method === "lanczos" ? Math.min(n, Math.max(100, 4 * k + 40)) : 1000);
  if (!Number.isInteger(iters) || iters < 1)
    throw new RangeError(`${op}: iters must be a positive integer, got ${iters}`);
  if (method === "lanczos" && Math.min(iters, n) < k)
    throw new RangeError(`${op}: iters = ${iters} Lanczos steps cannot give k = ${k} eigenvalues; use iters >= k`);
  const allF64 = space.dtypes.every((d) => d === "float64");
  const tol = opts.tol ?? (allF64 ? 1e-8 : 1e-5);
  if (typeof tol !== "number" || !(tol > 0) || !Number.isFinite(tol))
    throw new RangeError(`${op}: tol must be a positive finite number, got ${tol}`);
  if (opts.eigenvectors !== undefined && typeof opts.eigenvectors !== "boolean")
    throw new TypeError(`${op}: eigenvectors must be a boolean`);
  return { k, method, iters, tol, stream: streamFrom(opts, op), eigenvectors: opts.eigenvectors ?? false };
}
