/** PRNG key construction and derivation following `jax.random`: `key`, `split`, `foldIn` and raw `bits`. */
import { Array } from "../core/array.js";
import { isInt } from "../core/dtype.js";
import { shapeStr } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { array as npArray } from "../numpy/creation.js";
import { bits32, foldInWord, splitKeys, u32, type Scheme } from "./threefry.js";
import { checkKey, checkShape, type ShapeLike } from "./sampler-checks.js";
import { checkOptions } from "../core/options.js";

export interface KeyOptions {
  /**
   * Build the key as JAX does with `jax_enable_x64=True`: the seed as a 64-bit two's-complement
   * integer split into [high word, low word]. By default (JAX's default, x64 disabled) the key is
   * [0, seed mod 2^32].
   */
  x64?: boolean;
}

export function key(seed: number | bigint | Array, opts: KeyOptions = {}): Array {
  checkOptions("random.key", opts, ["x64"]);
  if (seed instanceof Array) {
    if (seed.ndim !== 0 || !(isInt(seed.dtype) || seed.dtype === "bool"))
      throw new TypeError(
        `random.key: a seed array must be an integer scalar, got ${seed.dtype}${shapeStr(seed.shape)}`,
      );
    // An int32/uint32 seed array has no high word (JAX shifts a 32-bit seed right by 32: 0).
    return bind1("concatenate", [u32([1], 0), L.reshape(L.convert(seed, "uint32"), [1])], { axis: 0 });
  }
  let s: bigint;
  if (typeof seed === "bigint") s = seed;
  else if (typeof seed === "number") {
    if (!Number.isInteger(seed))
      throw new TypeError(
        `random.key: the seed must be an integer in [-2^31, 2^32) (or a 64-bit integer with { x64: true }), got ${seed}`,
      );
    if (!Number.isSafeInteger(seed))
      throw new RangeError(`random.key: the seed ${seed} is not exactly representable; pass a bigint`);
    s = BigInt(seed);
  } else
    throw new TypeError(
      `random.key: the seed must be an integer (number or bigint) or an integer scalar array, got ${typeof seed}`,
    );
  if (s < -(2n ** 63n) || s >= 2n ** 63n)
    throw new RangeError(`random.key: the seed ${s} does not fit in a signed 64-bit integer`);
  // Without x64 only the low 32 bits would be kept, so key(2 ** 32) would silently equal key(0).
  if (!opts.x64 && (s < -(2n ** 31n) || s >= 2n ** 32n))
    throw new RangeError(
      `random.key: the seed ${s} is outside the 32-bit range [-2^31, 2^32) (from -2147483648 to 4294967295); pass { x64: true } for a 64-bit seed`,
    );
  const u = BigInt.asUintN(opts.x64 ? 64 : 32, s);
  return npArray([Number(u >> 32n), Number(u & 0xffffffffn)], { dtype: "uint32" });
}

export function split(scheme: Scheme, k: Array, num: ShapeLike = 2): Array {
  checkKey("split", k);
  return splitKeys(scheme, k, checkShape("split", num));
}

export function foldIn(k: Array, data: number | Array): Array {
  checkKey("foldIn", k);
  let d: Array;
  if (typeof data === "number") {
    if (!Number.isInteger(data) || data < -(2 ** 31) || data >= 2 ** 32)
      throw new RangeError(`random.foldIn: data must be a 32-bit integer (in [-2^31, 2^32)), got ${data}`);
    d = u32([], data);
  } else if (data instanceof Array) {
    if (data.ndim !== 0 || !isInt(data.dtype))
      throw new TypeError(`random.foldIn: data must be an integer scalar, got ${data.dtype}${shapeStr(data.shape)}`);
    d = L.convert(data, "uint32");
  } else throw new TypeError(`random.foldIn: data must be an integer or an integer scalar array, got ${typeof data}`);
  return foldInWord(k, d);
}

export function bits(scheme: Scheme, k: Array, shape: ShapeLike = []): Array {
  checkKey("bits", k);
  return bits32(scheme, k, checkShape("bits", shape));
}
