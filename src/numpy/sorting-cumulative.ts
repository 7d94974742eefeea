/**
 * `cumprod`, `cummax`, `cummin` with NumPy's axis convention (omitted or null: over the flattened
 * array), on lax's associative-scan forms, so their derivatives are JAX's.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import * as L from "../core/ops.js";
import { asArray, castTo } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import * as C from "../lax/cumulative.js";

export interface CumulativeOptions {
  /** Accumulate from the end of the axis (graft's extension, as on `cumsum`). */
  reverse?: boolean;
}

function cumulative(op: string, run: typeof C.cumprod, boolTo: "int32" | "bool") {
  return (x: ArrayOrScalar, axis?: number | null, opts: CumulativeOptions = {}): Array => {
    checkOptions(op, opts, ["reverse"]);
    let a = asArray(x, op);
    if (a.dtype === "bool" && boolTo === "int32") a = castTo(a, "int32");
    if (axis === undefined || axis === null) {
      a = L.reshape(a, [a.size]);
      axis = 0;
    }
    return run(a, axis, opts);
  };
}

/**
 * Cumulative product (over the flattened array when axis is omitted); bool counts as int32.
 * @example
 * np.cumprod(np.array([1, 2, 3])); // [1, 2, 6]
 * np.cumprod(np.array([[1, 2], [3, 4]]), 1); // [[1, 2], [3, 12]]
 */
export const cumprod = cumulative("cumprod", C.cumprod, "int32");
/**
 * Running maximum (over the flattened array when axis is omitted); NaN propagates.
 * @example np.cummax(np.array([1, 3, 2, 5])); // [1, 3, 3, 5]
 */
export const cummax = cumulative("cummax", C.cummax, "bool");
/**
 * Running minimum (over the flattened array when axis is omitted); NaN propagates.
 * @example np.cummin(np.array([4, 2, 3, 1]), 0, { reverse: true }); // [1, 1, 1, 1]
 */
export const cummin = cumulative("cummin", C.cummin, "bool");
