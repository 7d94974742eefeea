/** `oneHot`: integer labels to one-hot vectors (`jax.nn.one_hot`). */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { asArray } from "../core/convert.js";
import { DTYPES, type DType } from "../core/dtype.js";
import { checkOptions } from "../core/options.js";
import { normalizeAxis } from "../core/shape.js";
import * as np from "../numpy/index.js";

/** Options of {@link oneHot}. */
export interface OneHotOptions {
  /** The output dtype (default float32, as JAX's default float). */
  dtype?: DType;
  /** Where the new class axis goes in the output (default -1, last). */
  axis?: number;
}

/**
 * One-hot encoding: `out[..., c] = (x[...] == c)` for c in 0..numClasses-1, with the class axis
 * inserted at `axis`. As in `jax.nn.one_hot`, a label outside [0, numClasses) — negative ones
 * included — gives a row of zeros (no error: the check would need the values, unavailable under jit).
 * @example nn.oneHot(np.array([0, 2, -1]), 3) // [[1, 0, 0], [0, 0, 1], [0, 0, 0]]
 */
export function oneHot(x: ArrayOrScalar, numClasses: number, opts: OneHotOptions = {}): Array {
  checkOptions("oneHot", opts, ["dtype", "axis"]);
  if (typeof numClasses !== "number" || !Number.isInteger(numClasses) || numClasses < 0)
    throw new RangeError(
      `oneHot: numClasses must be a non-negative integer (the length of the class axis), got ${String(numClasses)}`,
    );
  const dtype = opts.dtype ?? "float32";
  if (!DTYPES.includes(dtype))
    throw new TypeError(`oneHot: dtype must be one of ${DTYPES.join(", ")}, got ${JSON.stringify(dtype)}`);
  const labels = asArray(x, "oneHot");
  const classAxis = normalizeAxis("oneHot", opts.axis ?? -1, labels.ndim + 1);
  // Compare labels (a length-1 class axis) with the class ids (length-1 everywhere else): broadcasting
  // builds the one-hot block; out-of-range labels match no class id.
  const classIdShape = globalThis.Array.from({ length: labels.ndim + 1 }, (_, i) => (i === classAxis ? numClasses : 1));
  const classIds = np.reshape(
    np.arange(numClasses, { dtype: labels.dtype === "bool" ? "int32" : labels.dtype }),
    classIdShape,
  );
  return np.equal(np.expandDims(labels, classAxis), classIds).astype(dtype);
}
