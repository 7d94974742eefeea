/** `standardize`: zero mean, unit variance along axes (`jax.nn.standardize`). */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { asArray, castTo, toFloat } from "../core/convert.js";
import { isFloat } from "../core/dtype.js";
import { checkOptions } from "../core/options.js";
import * as np from "../numpy/index.js";

/** Options of {@link standardize}. */
export interface StandardizeOptions {
  /** The axis or axes to normalize over (default -1); `null` normalizes over all axes. */
  axis?: number | readonly number[] | null;
  /** A precomputed mean (broadcastable to x with the reduced axes kept); default: the mean of x. */
  mean?: ArrayOrScalar;
  /** A precomputed variance (broadcastable likewise); default: mean(x²) − mean², using `mean`. */
  variance?: ArrayOrScalar;
  /** Added to the variance before the square root (default 1e-5). */
  epsilon?: number;
  /**
   * How the default variance is computed (JAX's `algorithm`): `"fast"` (default, as JAX) is
   * E[x²] − mean², clipped at 0 (it can cancel); `"stable"` is the two-pass E[(x − mean)²].
   */
  algorithm?: "fast" | "stable";
}

/**
 * (x − mean) / √(variance + ε) along `axis`, as `jax.nn.standardize`: the variance defaults to
 * E[x²] − mean² clipped at 0 (JAX's default "fast" formula; `{ algorithm: "stable" }` gives the two-pass
 * E[(x − mean)²]); with a given `mean` and no `variance`, it uses the given mean, as JAX does.
 * @example nn.standardize(np.array([1, 2, 3])) // [-1.2247..., 0, 1.2247...]
 */
export function standardize(x: ArrayOrScalar, opts: StandardizeOptions = {}): Array {
  checkOptions("standardize", opts, ["axis", "mean", "variance", "epsilon", "algorithm"]);
  const algorithm = opts.algorithm ?? "fast";
  if (algorithm !== "fast" && algorithm !== "stable")
    throw new RangeError(`standardize: algorithm must be "fast" or "stable", got ${JSON.stringify(algorithm)}`);
  const epsilon = opts.epsilon ?? 1e-5;
  if (typeof epsilon !== "number" || !(epsilon >= 0))
    throw new RangeError(`standardize: epsilon must be a number >= 0, got ${String(epsilon)}`);
  const a = toFloat(asArray(x, "standardize"));
  const axis = opts.axis === undefined ? -1 : opts.axis;
  if (a.ndim === 0 && axis !== null)
    throw new RangeError("standardize: x is a scalar, so it has no axis to normalize over; pass { axis: null }");
  // A given statistic takes x's float dtype unless it is a float array itself: a JS number (weak
  // int32 for `4`) would otherwise round ε into float32 when added.
  const given = (v: ArrayOrScalar): Array => {
    const b = asArray(v, "standardize");
    return b.weakType || !isFloat(b.dtype) ? castTo(b, a.dtype) : b;
  };
  const mean = opts.mean === undefined ? np.mean(a, axis, { keepdims: true }) : given(opts.mean);
  let variance: Array;
  if (opts.variance !== undefined) variance = given(opts.variance);
  else if (algorithm === "stable") variance = np.mean(np.square(np.subtract(a, mean)), axis, { keepdims: true });
  else variance = np.maximum(np.subtract(np.mean(np.square(a), axis, { keepdims: true }), np.square(mean)), 0);
  return np.multiply(np.subtract(a, mean), np.rsqrt(np.add(variance, epsilon)));
}
