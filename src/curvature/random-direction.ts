/**
 * Random directions in parameter space for loss-landscape slices, with the filter normalization of
 * Li, Xu, Taylor, Studer & Goldstein ("Visualizing the Loss Landscape of Neural Nets", NeurIPS 2018).
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { unflatten } from "../tree/index.js";
import { paramLeaves } from "./flat.js";
import { KeyStream, type KeyOrSeed } from "./rng.js";

/** Options of `randomDirection`. */
export interface RandomDirectionOptions {
  /**
   * Li et al.'s filter normalization (default true): every filter of the direction is rescaled to
   * the norm of the matching filter of the parameters, so the slice's scale is comparable across
   * layers and networks (and invariant to the rescalings ReLU networks allow). Without it the
   * direction is plain N(0, 1) noise in every leaf.
   */
  filterNormalized?: boolean;
  /**
   * Which axis of a (≥ 2-D) leaf indexes its filters (default 0: rows, as in a PyTorch
   * [out, in] weight or an [out, in, kh, kw] convolution kernel). For `x @ W` layers with W
   * [in, out], a neuron is a column: pass -1.
   */
  filterAxis?: number;
  /**
   * With filter normalization, what 0-D and 1-D leaves (biases, norm scales) get (default
   * `"zero"`, as in the paper): `"zero"` leaves them out of the direction; `"normalize"` treats the
   * whole leaf as one filter.
   */
  biases?: "zero" | "normalize";
}

const DIRECTION_OPTIONS = new Set(["filterNormalized", "filterAxis", "biases"]);

/**
 * A random direction in parameter space, shaped like `params` (same structure, shapes, dtypes),
 * from a seed or PRNG key. With `filterNormalized` (the default) each filter d_f (a slice along
 * `filterAxis` of a ≥ 2-D leaf) is rescaled to d_f · ‖θ_f‖ / ‖d_f‖, and 0-D/1-D leaves are zero
 * (see `biases`). A filter whose parameters are all zero gets a zero direction. Where the default
 * backend reads only asynchronously (WebGPU) the noise is drawn on the CPU and copied to it, so
 * give a seed or a host key there (the noise is the same as on "cpu").
 *
 * @example
 * const d = randomDirection(0, { w: np.ones([3, 4]), b: np.zeros([4]) });
 * // each row of d.w has norm 2 (= ‖row of w‖ = sqrt(4)); d.b is zero
 */
export function randomDirection<P>(keyOrSeed: KeyOrSeed, params: P, opts: RandomDirectionOptions = {}): P {
  const op = "randomDirection";
  if (opts === null || typeof opts !== "object") throw new TypeError(`${op}: options must be an object`);
  for (const name of Object.keys(opts))
    if (!DIRECTION_OPTIONS.has(name))
      throw new TypeError(`${op}: unknown option '${name}'; expected one of ${[...DIRECTION_OPTIONS].join(", ")}`);
  const filterNormalized = opts.filterNormalized ?? true;
  const filterAxis = opts.filterAxis ?? 0;
  const biases = opts.biases ?? "zero";
  if (typeof filterNormalized !== "boolean") throw new TypeError(`${op}: filterNormalized must be a boolean`);
  if (!Number.isInteger(filterAxis)) throw new TypeError(`${op}: filterAxis must be an integer, got ${filterAxis}`);
  if (biases !== "zero" && biases !== "normalize")
    throw new TypeError(`${op}: biases must be "zero" or "normalize", got ${JSON.stringify(biases)}`);
  const stream = new KeyStream(keyOrSeed, op);
  const [leaves, def] = paramLeaves(params, op);
  const out = leaves.map((theta, i) => {
    if (theta.dtype !== "float32" && theta.dtype !== "float64")
      throw new TypeError(`${op}: params leaf ${i} has dtype ${theta.dtype}; directions need float parameters`);
    const d = stream.normalArray(theta.shape, theta.dtype);
    if (!filterNormalized) return d;
    if (theta.ndim <= 1) return biases === "zero" ? np.zerosLike(theta) : matchNorm(d, theta, []);
    const axis = filterAxis < 0 ? filterAxis + theta.ndim : filterAxis;
    if (axis < 0 || axis >= theta.ndim)
      throw new RangeError(
        `${op}: filterAxis ${filterAxis} is out of range for params leaf ${i} of shape [${theta.shape}]`,
      );
    return matchNorm(d, theta, [axis]);
  });
  return unflatten(def, out) as P;
}

/** d rescaled so that its norm over all axes but `keep` matches theta's (0 where d's is 0). */
function matchNorm(d: Array, theta: Array, keep: number[]): Array {
  const axes = globalThis.Array.from({ length: d.ndim }, (_, a) => a).filter((a) => !keep.includes(a));
  const n = (x: Array): Array => (axes.length === 0 ? x.abs() : x.square().sum(axes, { keepdims: true }).sqrt());
  const nd = n(d);
  const safe = np.where(nd.equal(0), np.onesLike(nd), nd);
  return d.mul(n(theta).div(safe));
}
