/**
 * The Threefry-2x32 hash (20 rounds, Random123) and JAX's key-derivation schemes built on it. The
 * hash itself is the `threefry2x32` primitive (one kernel pass, like JAX's `threefry2x32_p`); the
 * schemes around it are compositions of graft primitives, so everything here stages under `jit`
 * and batches under `vmap`.
 *
 * Two schemes are implemented, selected by {@link Scheme.partitionable}:
 * - partitionable (JAX's default since v0.5.0, `jax_threefry_partitionable=True`): the counter of
 *   element `i` is the 64-bit `i` split into (hi, lo); random bits are `y0 ^ y1`, and `split` keys
 *   are `(y0, y1)` of counters `0..n-1` (so `split(k, n)[i] == foldIn(k, i)`).
 * - original (JAX before v0.5.0): counters `iota(n)` are hashed in two halves
 *   (`threefry_2x32`), and keys/bits are read from the concatenated outputs.
 */
import type { Array } from "../core/array.js";
import { sizeOf } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";

/** Which of JAX's threefry derivation schemes to follow. */
export interface Scheme {
  readonly partitionable: boolean;
}
export const PARTITIONABLE: Scheme = Object.freeze({ partitionable: true });
export const ORIGINAL: Scheme = Object.freeze({ partitionable: false });

const U32 = "uint32";

/** A uint32 constant of `shape`. */
export const u32 = (shape: readonly number[], v: number): Array => L.full({ shape, dtype: U32 }, v >>> 0);
export const xor = (a: Array, b: Array): Array => L.binary("xor", a, b);
export const shiftRight = (a: Array, n: number): Array => L.binary("shift_right_logical", a, u32(a.shape, n));

/** `iota(n)` as uint32. */
const iotaU32 = (n: number): Array => bind1("iota", [], { shape: [n], dimension: 0, dtype: U32 });

/**
 * Threefry-2x32 applied elementwise: keys `k0`, `k1` are uint32 scalars (or arrays shaped like the
 * counters), counters `x0`, `x1` uint32 arrays of one shape S; returns the output words (y0, y1)
 * stacked in a last axis, shape [...S, 2] (the `threefry2x32` primitive).
 */
function threefryWords(k0: Array, k1: Array, x0: Array, x1: Array): Array {
  const S = x0.shape;
  const bk = (k: Array) => (k.ndim === 0 ? L.broadcastInDim(k, S, []) : k);
  return bind1("threefry2x32", [bk(k0), bk(k1), x0, x1], {});
}

/** Word `j` (0 or 1) of a [...S, 2] output of {@link threefryWords}, shape S. */
function word(y: Array, j: 0 | 1): Array {
  const S = y.shape.slice(0, -1);
  const sl = bind1("slice", [y], {
    start: [...S.map(() => 0), j],
    limit: [...S, j + 1],
    strides: y.shape.map(() => 1),
  });
  return L.reshape(sl, S);
}

/**
 * Threefry-2x32 applied elementwise: keys `k0`, `k1` are uint32 scalars, counters `x0`, `x1`
 * uint32 arrays of one shape; returns the two output words. Follows JAX's
 * `_threefry2x32_lowering` (five groups of four rounds, a key injection after each group).
 */
function threefryPair(k0: Array, k1: Array, x0: Array, x1: Array): [Array, Array] {
  const y = threefryWords(k0, k1, x0, x1);
  return [word(y, 0), word(y, 1)];
}

const sliceFlat = (x: Array, start: number, limit: number): Array =>
  start === 0 && limit === x.shape[0] ? x : bind1("slice", [x], { start: [start], limit: [limit], strides: [1] });
const concat = (xs: Array[]): Array => bind1("concatenate", xs, { axis: 0 });

/** The two words of a key array of shape [2], as uint32 scalars. */
function keyWords(key: Array): [Array, Array] {
  return [L.reshape(sliceFlat(key, 0, 1), []), L.reshape(sliceFlat(key, 1, 2), [])];
}

/**
 * JAX's `threefry_2x32(key, count)`: the flattened counts (padded with one 0 when odd) are hashed
 * as pairs (first half, second half), and the outputs are concatenated in that order.
 */
export function threefry2x32Counts(key: Array, count: Array): Array {
  const [k0, k1] = keyWords(key);
  const n = count.size;
  if (n === 0) return count;
  let flat = L.reshape(count, [n]);
  if (n % 2 === 1) flat = concat([flat, u32([1], 0)]);
  const h = Math.ceil(n / 2); // flat has 2h elements
  // [h, 2] words → (all y0, then all y1): the concatenation JAX returns.
  const y = threefryWords(k0, k1, sliceFlat(flat, 0, h), sliceFlat(flat, h, 2 * h));
  const ys = L.reshape(L.transpose(y, [1, 0]), [2 * h]);
  return L.reshape(sliceFlat(ys, 0, n), count.shape);
}

const MAX_COUNT = 2 ** 32 - 1;
function checkSize(op: string, n: number): void {
  if (n >= MAX_COUNT) throw new RangeError(`${op}: cannot generate ${n} values (at most 2^32 - 2 per call)`);
}

/** `[0..n)` reshaped to `shape` as 64-bit counters (hi, lo): hi is 0 below 2^32. */
function iota2x32(shape: readonly number[]): [Array, Array] {
  const n = sizeOf(shape);
  return [u32(shape, 0), L.reshape(iotaU32(n), shape)];
}

/** `num`-shaped keys (shape `[...shape, 2]`) split from `key`. */
export function splitKeys(scheme: Scheme, key: Array, shape: readonly number[]): Array {
  const n = sizeOf(shape);
  checkSize("split", 2 * n);
  if (n === 0) return u32([...shape, 2], 0);
  if (scheme.partitionable) {
    const [k0, k1] = keyWords(key);
    const [hi, lo] = iota2x32(shape);
    return threefryWords(k0, k1, hi, lo);
  }
  return L.reshape(threefry2x32Counts(key, iotaU32(2 * n)), [...shape, 2]);
}

/** JAX's `fold_in`: `threefry_2x32(key, [0, data])` (the same in both schemes). */
export function foldInWord(key: Array, data: Array): Array {
  const [k0, k1] = keyWords(key);
  return L.reshape(threefryWords(k0, k1, u32([1], 0), L.reshape(data, [1])), [2]);
}

/** 32 random bits per element of `shape` (JAX's `random_bits(key, 32, shape)`). */
export function bits32(scheme: Scheme, key: Array, shape: readonly number[]): Array {
  const n = sizeOf(shape);
  checkSize("bits", n);
  if (n === 0) return u32(shape, 0);
  if (scheme.partitionable) {
    const [k0, k1] = keyWords(key);
    const [hi, lo] = iota2x32(shape);
    const [y0, y1] = threefryPair(k0, k1, hi, lo);
    return xor(y0, y1);
  }
  return L.reshape(threefry2x32Counts(key, iotaU32(n)), shape);
}

/**
 * 64 random bits per element of `shape` as (high word, low word), as JAX's
 * `random_bits(key, 64, shape)` with `jax_enable_x64` computes them.
 */
export function bits64(scheme: Scheme, key: Array, shape: readonly number[]): [Array, Array] {
  const n = sizeOf(shape);
  checkSize("bits", 2 * n);
  if (n === 0) return [u32(shape, 0), u32(shape, 0)];
  const [k0, k1] = keyWords(key);
  if (scheme.partitionable) {
    const [hi, lo] = iota2x32(shape);
    return threefryPair(k0, k1, hi, lo);
  }
  // threefry_2x32(key, iota(2n)) split in halves: [0, n) pairs with [n, 2n), no padding.
  const first = iotaU32(n);
  const [y0, y1] = threefryPair(k0, k1, first, L.add(first, u32([n], n)));
  return [L.reshape(y0, shape), L.reshape(y1, shape)];
}
