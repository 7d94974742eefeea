/**
 * The few PRNG operations the training utilities need, on top of `graft-ad/random`: a key from a seed
 * or a key, `n` independent sub-keys, a permutation of `0..n-1`, and uniform floats read back to
 * the host (hyperparameter sampling happens in JS).
 */
import { Array as NDArray } from "../core/array.js";
import * as random from "../random/index.js";

/** A PRNG key, as made by `random.key(seed)` and `random.split`. */
export type Key = ReturnType<typeof random.key>;
/** A key, or a JS integer seed that `random.key` turns into one. */
export type KeyLike = Key | number;

/** `random.key(seed)` for a number; a key passes through. */
export function toKey(key: KeyLike, fn: string): Key {
  if (typeof key === "number") {
    if (!Number.isInteger(key)) throw new TypeError(`${fn}: a seed must be an integer, got ${key}`);
    return random.key(key);
  }
  if (key === undefined || key === null)
    throw new TypeError(`${fn}: a PRNG key (random.key(seed)) or an integer seed is required`);
  return key;
}

/** `n` independent keys from `random.split(key, n)`, as a JS list. */
export function splitKeys(key: KeyLike, n: number, fn: string): Key[] {
  const k = toKey(key, fn);
  if (n === 0) return [];
  // random.split returns a stacked [n, 2] key array: one row per key.
  const out = random.split(k, n);
  return globalThis.Array.from({ length: n }, (_, i) => out.get(i) as Key);
}

/** A uniformly random permutation of `0..n-1` as an int32 array (device-side; no readback). */
export function permutationArray(key: KeyLike, n: number, fn: string): NDArray {
  const perm = random.permutation(toKey(key, fn), n) as unknown;
  if (!(perm instanceof NDArray)) throw new TypeError(`${fn}: random.permutation did not return an array`);
  return perm.dtype === "int32" ? perm : perm.astype("int32");
}

/** The same permutation read back to the host. */
export function permutationHost(key: KeyLike, n: number, fn: string): Int32Array {
  return Int32Array.from(permutationArray(key, n, fn).dataSync() as ArrayLike<number>);
}

/** `n` uniform floats in [0, 1) read back to the host (float64 on the JS side). */
export function uniformHost(key: KeyLike, n: number, fn: string): number[] {
  if (n === 0) return [];
  const u = random.uniform(toKey(key, fn), [n], { minval: 0, maxval: 1 }) as unknown;
  if (!(u instanceof NDArray)) throw new TypeError(`${fn}: random.uniform did not return an array`);
  const data = u.dataSync() as ArrayLike<number>;
  // float32 rounding can produce exactly 1 from values just below it; keep the half-open interval.
  return globalThis.Array.from(data, (v) => (v >= 1 ? 1 - 2 ** -24 : Math.max(v, 0)));
}
