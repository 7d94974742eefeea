/** `dotProductAttention`: scaled dot-product attention in `jax.nn.dot_product_attention`'s layout. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { asArray, toFloat } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import * as np from "../numpy/index.js";
import { softmax } from "./activations.js";

/** Options of {@link dotProductAttention}. */
export interface DotProductAttentionOptions {
  /** Added to the logits; broadcastable to `[B, N, T, S]`. */
  bias?: ArrayOrScalar;
  /** Boolean, broadcastable to `[B, N, T, S]`: `false` entries are excluded from the softmax. */
  mask?: ArrayOrScalar;
  /** Multiplies the logits (default 1/√H). */
  scale?: number;
  /** Let query t attend only to keys s ≤ t (a lower-triangular T×S mask; default false). */
  isCausal?: boolean;
}

const shapeStr = (a: Array): string => `[${a.shape.join(", ")}]`;

/**
 * JAX's stand-in for −∞ on masked logits (−0.7·max of the dtype): a fully masked row then gets a
 * uniform softmax instead of NaN.
 */
const largeNegative = (dtype: string): number =>
  dtype === "float64" ? -0.7 * Number.MAX_VALUE : -0.7 * 3.4028234663852886e38;

/** Adds a batch axis to 3-D `[T, N, H]` inputs; checks ranks. */
function batched(name: string, a: Array): Array {
  if (a.ndim === 4) return a;
  if (a.ndim === 3) return np.expandDims(a, 0);
  throw new RangeError(
    `dotProductAttention: ${name} must be [B, T, N, H] or unbatched [T, N, H] (rank 4 or 3), got shape ${shapeStr(a)}`,
  );
}

/**
 * softmax(scale · q·kᵀ + bias, masked) · v over `[B, T, N, H]` queries and `[B, S, K, H]` keys and
 * values (B batch, T/S query/key length, N/K heads, H head size; a 3-D input drops B), returning
 * `[B, T, N, H]`. K may divide N (grouped-query / multi-query attention: query head n uses key-value
 * head ⌊n / (N/K)⌋). Masked positions get JAX's large negative logit, so a fully masked row is uniform.
 * @example
 * const q = random.normal(random.key(0), [2, 5, 4, 8]);
 * nn.dotProductAttention(q, q, q, { isCausal: true }).shape // [2, 5, 4, 8]
 */
export function dotProductAttention(
  query: ArrayOrScalar,
  key: ArrayOrScalar,
  value: ArrayOrScalar,
  opts: DotProductAttentionOptions = {},
): Array {
  checkOptions("dotProductAttention", opts, ["bias", "mask", "scale", "isCausal"]);
  const q0 = toFloat(asArray(query, "dotProductAttention"));
  const k0 = toFloat(asArray(key, "dotProductAttention"));
  const v0 = toFloat(asArray(value, "dotProductAttention"));
  if (q0.ndim !== k0.ndim || q0.ndim !== v0.ndim)
    throw new RangeError(
      `dotProductAttention: query, key and value must have the same rank, got ${shapeStr(q0)}, ${shapeStr(k0)}, ${shapeStr(v0)}`,
    );
  const unbatched = q0.ndim === 3;
  const q = batched("query", q0);
  const k = batched("key", k0);
  const v = batched("value", v0);
  const [b, t, n, h] = q.shape as [number, number, number, number];
  const [bk, s, kh, hk] = k.shape as [number, number, number, number];
  if (bk !== b || hk !== h || k.shape.some((d, i) => d !== v.shape[i]))
    throw new RangeError(
      `dotProductAttention: key and value must both be [B, S, K, H] with query's B=${b} and H=${h}, got key ${shapeStr(k0)}, value ${shapeStr(v0)}`,
    );
  if (kh === 0 || n % kh !== 0)
    throw new RangeError(
      `dotProductAttention: the number of query heads (${n}) must be a multiple of the key/value heads (${kh})`,
    );
  const scale = opts.scale ?? 1 / Math.sqrt(h);
  if (typeof scale !== "number")
    throw new TypeError(`dotProductAttention: scale must be a number, got ${typeof scale}`);
  // Grouped-query attention: repeating each key/value head N/K times gives query head n the kv head ⌊n/G⌋.
  const group = n / kh;
  const kFull = group === 1 ? k : np.repeat(k, group, 2);
  const vFull = group === 1 ? v : np.repeat(v, group, 2);
  // [B, N, T, H] · [B, N, H, S] → logits [B, N, T, S].
  let logits = np.multiply(np.matmul(np.transpose(q, [0, 2, 1, 3]), np.transpose(kFull, [0, 2, 3, 1])), scale);
  if (opts.bias !== undefined) logits = np.add(logits, asArray(opts.bias, "dotProductAttention"));
  let keep: Array | null = null;
  if (opts.mask !== undefined) {
    const m = asArray(opts.mask, "dotProductAttention");
    if (m.dtype !== "bool")
      throw new TypeError(
        `dotProductAttention: mask must be a boolean array (true = attend), got ${m.dtype}; use np.notEqual(m, 0) to convert`,
      );
    keep = m;
  }
  if (opts.isCausal) {
    const causal = np.greaterEqual(np.reshape(np.arange(t), [t, 1]), np.reshape(np.arange(s), [1, s]));
    keep = keep === null ? causal : np.logicalAnd(keep, causal);
  }
  if (keep !== null) logits = np.where(keep, logits, largeNegative(logits.dtype));
  const probs = softmax(logits, -1);
  // [B, N, T, S] · [B, N, S, H] → [B, N, T, H] → [B, T, N, H].
  const out = np.transpose(np.matmul(probs, np.transpose(vFull, [0, 2, 1, 3])), [0, 2, 1, 3]);
  return unbatched ? np.squeeze(out, 0) : out;
}
