/**
 * The types of indexing and of pure indexed updates (`x.get(...)`, `x.at(...)`), apart from the
 * Array class they describe; the numpy layer implements them.
 */
import type { Array, ArrayOrScalar } from "./array.js";

/**
 * One entry of an index: an integer, a slice, null (new axis), "..." (ellipsis), an integer array or
 * list, a boolean mask (a bool array, or a JS list of booleans), or an index string.
 */
export type IndexSpec = number | Slice | null | "..." | Array | readonly number[] | readonly boolean[] | string;

/** A Python-style slice; missing or null fields take NumPy's defaults (which depend on the step's sign). */
export interface Slice {
  readonly start?: number | null;
  readonly stop?: number | null;
  readonly step?: number | null;
}

/** Options of `x.at(...).get`: JAX's `mode` ("clip" or "fill") and `fill_value`. */
export interface AtGetOptions {
  /**
   * Out-of-range traced indices: by default (JAX's) the clamped element is read but carries no
   * gradient; "clip" reads it with its gradient; "fill" reads `fillValue` instead.
   */
  mode?: "clip" | "fill";
  /** The value for "fill" (default NaN for floats, int32's minimum, uint32's maximum, true for bool). */
  fillValue?: number;
}

/** Options of `x.at(...).set/add/mul/min/max`: JAX's scatter `mode`. */
export interface AtUpdateOptions {
  /** Out-of-range traced indices: "drop" the update (default, as JAX) or "clip" it onto the edge. */
  mode?: "drop" | "clip";
}

/** Pure indexed updates (JAX's `x.at[idx]`): every method returns a new array; `x` is never modified. */
export interface IndexUpdater {
  get(opts?: AtGetOptions): Array;
  set(v: ArrayOrScalar, opts?: AtUpdateOptions): Array;
  add(v: ArrayOrScalar, opts?: AtUpdateOptions): Array;
  mul(v: ArrayOrScalar, opts?: AtUpdateOptions): Array;
  min(v: ArrayOrScalar, opts?: AtUpdateOptions): Array;
  max(v: ArrayOrScalar, opts?: AtUpdateOptions): Array;
}
