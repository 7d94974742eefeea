/** `np.convolve` and `np.correlate`: 1-d discrete convolution and correlation, on lax.convGeneralDilated. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { asArray, promote, toFloat } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { convGeneralDilated } from "../lax/conv.js";

export interface ConvolveOptions {
  /** "full" (every overlap, the default for convolve), "same" (the length of the longer input), or "valid" (full overlaps only; the default for correlate). */
  mode?: "full" | "same" | "valid";
}

const MODES = ["full", "same", "valid"] as const;

function conv1d(op: "convolve" | "correlate", a: ArrayOrScalar, v: ArrayOrScalar, opts: ConvolveOptions): Array {
  checkOptions(op, opts, ["mode"]);
  const mode = opts.mode ?? (op === "convolve" ? "full" : "valid");
  if (!MODES.includes(mode)) throw new Error(`${op}: mode must be 'full', 'same' or 'valid', got '${String(mode)}'`);
  let [x, y] = promote(op, toFloat(asArray(a, op)), toFloat(asArray(v, op))) as [Array, Array];
  if (x.ndim !== 1 || y.ndim !== 1)
    throw new Error(
      `${op}: only 1-d inputs are supported, got shapes [${x.shape.join(", ")}] and [${y.shape.join(", ")}]`,
    );
  if (x.size === 0 || y.size === 0)
    throw new Error(`${op}: inputs cannot be empty, got shapes [${x.shape.join(", ")}] and [${y.shape.join(", ")}]`);
  // The longer input slides under the shorter one; correlate then reads its result backwards.
  const swapped = x.shape[0]! < y.shape[0]!;
  if (swapped) [x, y] = [y, x];
  if (op === "convolve") y = bind1("rev", [y], { axes: [0] });
  const m = y.shape[0]!;
  const pad: [number, number] =
    mode === "valid" ? [0, 0] : mode === "same" ? [Math.floor(m / 2), m - Math.floor(m / 2) - 1] : [m - 1, m - 1];
  const out = convGeneralDilated(L.reshape(x, [1, 1, x.shape[0]!]), L.reshape(y, [1, 1, m]), [1], [pad]);
  const flat = L.reshape(out, [out.shape[2]!]);
  return op === "correlate" && swapped ? bind1("rev", [flat], { axes: [0] }) : flat;
}

/**
 * Discrete 1-d convolution of `a` and `v` (NumPy's `np.convolve`): mode "full" (default), "same"
 * or "valid". Integer inputs give floats, as in JAX.
 *
 * @example
 * np.convolve(np.array([1, 2, 3]), np.array([0, 1, 0.5])); // [0, 1, 2.5, 4, 1.5]
 */
export function convolve(a: ArrayOrScalar, v: ArrayOrScalar, opts: ConvolveOptions = {}): Array {
  return conv1d("convolve", a, v, opts);
}

/**
 * Cross-correlation of two 1-d sequences (NumPy's `np.correlate`): mode "valid" (default), "same"
 * or "full". Integer inputs give floats, as in JAX.
 *
 * @example
 * np.correlate(np.array([1, 2, 3]), np.array([0, 1, 0.5])); // [3.5]
 */
export function correlate(a: ArrayOrScalar, v: ArrayOrScalar, opts: ConvolveOptions = {}): Array {
  return conv1d("correlate", a, v, opts);
}
