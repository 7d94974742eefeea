/**
 * Loss-landscape slices (Li, Xu, Taylor, Studer & Goldstein, "Visualizing the Loss Landscape of
 * Neural Nets", NeurIPS 2018): random directions with filter normalization, and the loss along a
 * line θ + αd or over a plane θ + αd₁ + βd₂.
 */
import type { Array } from "../core/array.js";
import * as np from "../numpy/index.js";
import { unflatten } from "../tree/index.js";
import { jit } from "../../transforms/jit.js";
import { paramLeaves } from "./flat.js";
import type { LossFn } from "./hvp.js";
import { KeyStream, type KeyOrSeed } from "./rng.js";
import { checkOptions } from "../core/options.js";

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
 * (see `biases`). A filter whose parameters are all zero gets a zero direction.
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

/** Options of `lossSlice1d`. */
export interface Slice1dOptions {
  /** The step sizes α (default 21 points from −1 to 1). */
  alphas?: ArrayLike<number>;
}

/** Options of `lossSlice2d`. */
export interface Slice2dOptions {
  /** The steps α along d₁ (default 21 points from −1 to 1). */
  alphas?: ArrayLike<number>;
  /** The steps β along d₂ (default: the same as `alphas`). */
  betas?: ArrayLike<number>;
}

const linspace = (a: number, b: number, n: number): number[] =>
  globalThis.Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

function checkSteps(xs: ArrayLike<number> | undefined, what: string, op: string, fallback: number[]): number[] {
  if (xs === undefined) return fallback;
  if (xs === null || typeof xs !== "object" || typeof xs.length !== "number")
    throw new TypeError(`${op}: ${what} must be a list of numbers`);
  const out = globalThis.Array.from(xs, Number);
  if (out.length === 0) throw new RangeError(`${op}: ${what} is empty`);
  out.forEach((x, i) => {
    if (!Number.isFinite(x)) throw new RangeError(`${op}: ${what}[${i}] is ${xs[i]}; steps must be finite numbers`);
  });
  return out;
}

function checkDirection(params: unknown, d: unknown, what: string, op: string): void {
  const [p, pDef] = paramLeaves(params, op);
  const [dl, dDef] = paramLeaves(d, op, what);
  if (!pDef.equals(dDef))
    throw new Error(`${op}: ${what} must have the structure of params; got ${dDef} but params are ${pDef}`);
  // Same structure (checked above), so p[i] exists for every leaf of d.
  dl.forEach((x, i) => {
    if (x.shape.join() !== p[i]!.shape.join())
      throw new Error(`${op}: ${what} leaf ${i} has shape [${x.shape}] but its params leaf has shape [${p[i]!.shape}]`);
  });
}

/**
 * Moves every leaf of p by Σ cᵢ·dᵢ over the (direction, coefficient) pairs (coefficients as 0-d
 * float64 arrays, cast to each leaf's dtype). The directions have p's structure (checkDirection).
 */
function shift(p: unknown, moves: readonly (readonly [unknown, Array])[]): unknown {
  const [pl, def] = paramLeaves(p, "lossSlice");
  const dls = moves.map(([d, c]) => [paramLeaves(d, "lossSlice")[0], c] as const);
  return unflatten(
    def,
    pl.map((x, i) => dls.reduce((acc, [dl, c]) => acc.add(dl[i]!.astype(x.dtype).mul(c.astype(x.dtype))), x)),
  );
}

function scalarValue(v: unknown, op: string): number {
  const a = v as Array;
  if (typeof v === "number") return v;
  if (a === null || typeof a !== "object" || typeof a.item !== "function" || a.ndim !== 0)
    throw new TypeError(
      `${op}: f must return a scalar (a 0-d array or a number)${a && typeof a === "object" && "shape" in a ? `, got shape [${a.shape}]` : ""}`,
    );
  return Number(a.item());
}

/**
 * The loss along a line through `params`: `values[i] = f(θ + alphas[i]·d)`. The shifted loss is
 * compiled once (α is a traced argument), so long sweeps are cheap.
 *
 * @example
 * const d = randomDirection(0, params);
 * const { alphas, values } = lossSlice1d((p) => loss(p, x, y), params, d, { alphas: [-1, 0, 1] });
 */
export function lossSlice1d<P>(
  f: LossFn<P>,
  params: P,
  direction: P,
  opts: Slice1dOptions = {},
): { alphas: number[]; values: number[] } {
  const op = "lossSlice1d";
  checkOptions(op, opts, ["alphas"]);
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function of the params, got ${typeof f}`);
  checkDirection(params, direction, "direction", op);
  const alphas = checkSteps(opts.alphas, "alphas", op, linspace(-1, 1, 21));
  const at = jit((p: P, d: P, a: Array) => f(shift(p, [[d, a]]) as P));
  const values = alphas.map((a) => scalarValue(at(params, direction, np.array(a, { dtype: "float64" })), op));
  return { alphas, values };
}

/**
 * The loss over a plane through `params`: `values[i][j] = f(θ + alphas[i]·d1 + betas[j]·d2)`
 * (rows follow `alphas`, columns `betas`). Compiled once, like `lossSlice1d`.
 *
 * @example
 * const [d1, d2] = [randomDirection(1, params), randomDirection(2, params)];
 * const { values } = lossSlice2d(f, params, d1, d2, { alphas: [-1, 0, 1], betas: [-1, 0, 1] }); // 3×3
 */
export function lossSlice2d<P>(
  f: LossFn<P>,
  params: P,
  d1: P,
  d2: P,
  opts: Slice2dOptions = {},
): { alphas: number[]; betas: number[]; values: number[][] } {
  const op = "lossSlice2d";
  checkOptions(op, opts, ["alphas", "betas"]);
  if (typeof f !== "function") throw new TypeError(`${op}: f must be a function of the params, got ${typeof f}`);
  checkDirection(params, d1, "d1", op);
  checkDirection(params, d2, "d2", op);
  const alphas = checkSteps(opts.alphas, "alphas", op, linspace(-1, 1, 21));
  const betas = checkSteps(opts.betas, "betas", op, alphas);
  const at = jit((p: P, u: P, v: P, a: Array, b: Array) =>
    f(
      shift(p, [
        [u, a],
        [v, b],
      ]) as P,
    ),
  );
  const values = alphas.map((a) => {
    const aa = np.array(a, { dtype: "float64" });
    return betas.map((b) => scalarValue(at(params, d1, d2, aa, np.array(b, { dtype: "float64" })), op));
  });
  return { alphas, betas, values };
}
