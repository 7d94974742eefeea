/**
 * Integer-index normalization shared by the indexing modules (internal: not re-exported from the
 * numpy namespace, except {@link IndexError}).
 */
import { type Array, describeValue, isArray } from "../core/array.js";
import { isInt } from "../core/dtype.js";
import { fromTypedArray } from "../core/eval.js";
import * as L from "../core/ops.js";
import { castTo } from "../core/convert.js";

/** Raised for out-of-bounds integers, too many indices and malformed index strings (a RangeError, like Python's IndexError). */
export class IndexError extends RangeError {
  override name = "IndexError";
}

const int32Const = (vals: readonly number[]): Array => fromTypedArray(Int32Array.from(vals), [vals.length], "int32");

/**
 * Normalizes integer indices into [0, n): static lists are range-checked on the host (IndexError);
 * traced ones wrap negatives once (`where(i < 0, i + n, i)`) and are clamped, like the gather
 * primitive. `valid` (bool, the indices' shape; null for static lists) marks the traced indices
 * that were in [-n, n) before clamping; updates use it to drop out-of-range writes.
 */
export function normIndices(
  op: string,
  indices: Array | readonly number[],
  n: number,
  axis: number,
): { idx: Array; unique: boolean; valid: Array | null } {
  if (!isArray(indices)) {
    if (!globalThis.Array.isArray(indices))
      throw new TypeError(
        `${op}: indices must be an int32/uint32 array or a list of integers, got ${describeValue(indices)}`,
      );
    const vals = new globalThis.Array<number>(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const v: unknown = indices[i];
      if (!(i in indices) || typeof v !== "number" || !Number.isInteger(v))
        throw new TypeError(
          `${op}: index lists must hold integers, got ${i in indices ? describeValue(v) : "a hole"} at position ${i}`,
        );
      if (v < -n || v >= n) throw new IndexError(`${op}: index ${v} is out of bounds for axis ${axis} with size ${n}`);
      vals[i] = v < 0 ? v + n : v;
    }
    return { idx: int32Const(vals), unique: new Set(vals).size === vals.length, valid: null };
  }
  if (!isInt(indices.dtype)) throw new TypeError(`${op}: indices must be int32 or uint32, got ${indices.dtype}`);
  if (n === 0 && indices.size > 0) throw new IndexError(`${op}: cannot index axis ${axis} of size 0`);
  const unique = indices.size <= 1;
  if (indices.dtype === "uint32") {
    // Unsigned: no negative wrapping; compare and clamp before the cast so values >= 2^31 stay out of range.
    const c = (v: number) => L.fullLike(indices, v);
    return { idx: castTo(L.binary("min", indices, c(n - 1)), "int32"), unique, valid: L.binary("lt", indices, c(n)) };
  }
  const i = castTo(indices, "int32");
  const c = (v: number) => L.fullLike(i, v);
  const wrapped = L.select(L.binary("lt", i, c(0)), L.add(i, c(n)), i);
  const valid = L.binary("and", L.binary("ge", wrapped, c(0)), L.binary("lt", wrapped, c(n)));
  return { idx: L.binary("min", L.binary("max", wrapped, c(0)), c(Math.max(n - 1, 0))), unique, valid };
}
