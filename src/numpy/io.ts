/** Reading arrays back into JS values. */
import type { Array } from "../core/array.js";
import { isConcrete, readView } from "../core/concrete.js";
import type { TypedArray } from "../core/dtype.js";

/** x's elements, with a read error naming `op` (the caller) on backends that only read asynchronously. */
function hostData(x: Array, op: string): TypedArray | ArrayLike<number> {
  return isConcrete(x) ? readView(x, op) : x.dataSync();
}

/**
 * Nested JS arrays of numbers (booleans for bool arrays); a plain number for 0-d arrays.
 * @example
 * np.tolist(np.array([[1, 2], [3, 4]])); // [[1, 2], [3, 4]]
 * np.tolist(np.array([true, false])); // [true, false]
 */
export function tolist(x: Array): unknown {
  const data = hostData(x, "tolist");
  const conv = x.dtype === "bool" ? (v: number) => v !== 0 : (v: number) => v;
  const rec = (dim: number, off: number, stride: number): unknown => {
    if (dim === x.ndim) return conv(data[off]!);
    const n = x.shape[dim]!;
    const inner = n === 0 ? 0 : stride / n;
    return globalThis.Array.from({ length: n }, (_, i) => rec(dim + 1, off + i * inner, inner));
  };
  return rec(0, 0, x.size);
}

/**
 * The single element of a size-1 array as a JS number; bool arrays give 1 or 0 (so the result is
 * always a number in TypeScript — use `tolist()` for booleans).
 * @example np.array([[3]]).item() // 3
 */
export function item(x: Array): number {
  if (x.size !== 1)
    throw new TypeError(
      `item: only size-1 arrays have an item; this one has shape [${x.shape.join(", ")}] (size ${x.size})`,
    );
  return hostData(x, "item")[0]!;
}
