/**
 * Random numbers for the curvature tools (start vectors for Lanczos / power iteration, random
 * directions for loss-landscape slices), drawn with graft's counter-based PRNG (`graft-ad/random`).
 * Callers pass a key (`random.key(seed)`, a uint32[2] array) or a plain integer seed, which
 * means `random.key(seed)`. Every draw splits the key, so results are reproducible per key/seed.
 */
import { Array } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import * as random from "../random/index.js";

/** A PRNG key (`random.key(seed)`) or an integer seed standing for `random.key(seed)`. */
export type KeyOrSeed = number | Array;

/** The key for a seed or key; `op` names the caller in errors. */
export function keyOf(k: KeyOrSeed, op: string): Array {
  if (typeof k === "number") {
    if (!Number.isSafeInteger(k)) throw new TypeError(`${op}: seed must be a finite integer, got ${k}`);
    return random.key(k);
  }
  if (!(k instanceof Array))
    throw new TypeError(
      `${op}: expected a PRNG key (random.key(seed)) or an integer seed; got ${k === null ? "null" : typeof k}`,
    );
  if (k.dtype !== "uint32" || k.ndim !== 1 || k.shape[0] !== 2)
    throw new TypeError(
      `${op}: a key must be a uint32[2] array from random.key(seed) or random.split; got ${k.dtype}[${k.shape.join(", ")}]`,
    );
  return k;
}

/** Successive independent draws from one key: each draw splits off a fresh subkey. */
export class KeyStream {
  private key: Array;
  constructor(k: KeyOrSeed, op: string) {
    this.key = keyOf(k, op);
  }
  /** A fresh subkey. */
  next(): Array {
    const ks = random.split(this.key, 2);
    this.key = ks.get(0);
    return ks.get(1);
  }
  /** Standard normal samples of `shape` and `dtype`, as a graft array. */
  normalArray(shape: readonly number[], dtype: DType): Array {
    return random.normal(this.next(), [...shape], { dtype: dtype as "float32" | "float64" });
  }
  /** `n` standard normal float64 samples on the host. */
  normals(n: number): Float64Array {
    return Float64Array.from(this.normalArray([n], "float64").dataSync() as Float64Array);
  }
}

/**
 * Resolves the `key` / `seed` options of a curvature function (default seed 0). Giving both is an
 * error.
 */
export function streamFrom(opts: { key?: Array | undefined; seed?: number | undefined }, op: string): KeyStream {
  if (opts.key !== undefined && opts.seed !== undefined)
    throw new TypeError(`${op}: pass either key or seed, not both`);
  return new KeyStream(opts.key ?? opts.seed ?? 0, op);
}
