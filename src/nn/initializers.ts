/**
 * Parameter initializers, as in `jax.nn.initializers`: each is a function
 * `(key, shape, dtype = "float32") => Array`.
 *
 * Fans follow JAX's `variance_scaling`: for a shape of rank ≥ 2 the last axis is fan-out, the
 * second-to-last fan-in, and any other axes form the receptive field, which multiplies both
 * (a conv kernel `[kh, kw, in, out]` has fan_in = kh·kw·in, fan_out = kh·kw·out). A rank-1 shape
 * `[n]` has fan_in = fan_out = n, a scalar 1.
 *
 * | initializer | distribution | variance |
 * |---|---|---|
 * | `glorotUniform` (Xavier) | U[−√(6/(fan_in+fan_out)), +√(6/(fan_in+fan_out))] | 2/(fan_in+fan_out) |
 * | `glorotNormal` (Xavier) | truncated normal | 2/(fan_in+fan_out) |
 * | `heUniform` (Kaiming) | U[−√(6/fan_in), +√(6/fan_in)] | 2/fan_in |
 * | `heNormal` (Kaiming) | truncated normal, N(0, 2/fan_in) (He et al. 2015) | 2/fan_in |
 * | `lecunNormal` | truncated normal, N(0, 1/fan_in) (LeCun et al. 1998) | 1/fan_in |
 * | `lecunUniform` | uniform | 1/fan_in |
 *
 * The truncated normals are cut at ±2 standard deviations of the underlying normal and rescaled
 * (÷ 0.8796…) so that the variance is exactly the one in the table.
 *
 * @example
 * import { nn, random } from "graft-ad";
 * const w = nn.initializers.heNormal(random.key(0), [784, 256]);    // variance 2/784
 * const b = nn.initializers.zeros(random.key(1), [256]);
 * const q = nn.initializers.orthogonal()(random.key(2), [64, 64]);   // qᵀq = I
 */
import type { Array } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import { checkOptions } from "../core/options.js";
import * as np from "../numpy/index.js";
import * as random from "../random/index.js";
import type { Key } from "../random/index.js";

export type { Key } from "../random/index.js";

/** An initializer: a fresh array of `shape` and `dtype` drawn using `key`. */
export type Initializer = (key: Key, shape: readonly number[], dtype?: DType) => Array;

const checkShape = (op: string, shape: readonly number[]): void => {
  if (!globalThis.Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0))
    throw new Error(`${op}: shape must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
};

/** All zeros (the key is ignored). @example nn.initializers.zeros(key, [3]) */
export const zeros: Initializer = (_key, shape, dtype = "float32") => {
  checkShape("zeros", shape);
  return np.zeros(shape, { dtype });
};

/** All ones (the key is ignored). @example nn.initializers.ones(key, [3]) */
export const ones: Initializer = (_key, shape, dtype = "float32") => {
  checkShape("ones", shape);
  return np.ones(shape, { dtype });
};

/** An initializer filling with `value` (the key is ignored). @example nn.initializers.constant(0.1)(key, [3]) */
export const constant =
  (value: number): Initializer =>
  (_key, shape, dtype = "float32") => {
    checkShape("constant", shape);
    return np.full(shape, value, { dtype });
  };

/** An initializer drawing from N(0, std²) (default std 0.01, JAX's default). @example nn.initializers.normal(0.02)(key, [3, 3]) */
export const normal =
  (std = 1e-2): Initializer =>
  (key, shape, dtype = "float32") => {
    checkShape("normal", shape);
    return np.multiply(random.normal(key, shape, { dtype }), std);
  };

/**
 * An initializer drawing from U[0, scale) (default scale 0.01) — JAX's `uniform`, which is *not*
 * centred (mean scale/2, variance scale²/12). For a symmetric range use {@link varianceScaling}
 * with `"uniform"`, or {@link uniformRange}.
 * @example nn.initializers.uniform(1)(key, [3]) // in [0, 1)
 */
export const uniform =
  (scale = 1e-2): Initializer =>
  (key, shape, dtype = "float32") => {
    checkShape("uniform", shape);
    return random.uniform(key, shape, { dtype, minval: 0, maxval: scale });
  };

/** An initializer drawing from U[minval, maxval). @example nn.initializers.uniformRange(-0.1, 0.1)(key, [3]) */
export const uniformRange =
  (minval: number, maxval: number): Initializer =>
  (key, shape, dtype = "float32") => {
    checkShape("uniformRange", shape);
    return random.uniform(key, shape, { dtype, minval, maxval });
  };

/** Which fan a {@link varianceScaling} initializer divides by. */
export type FanMode = "fanIn" | "fanOut" | "fanAvg";
/** The distribution of a {@link varianceScaling} initializer. */
export type VarianceScalingDistribution = "truncatedNormal" | "normal" | "uniform";

/** Axis options for computing fans (JAX's `in_axis`, `out_axis`, `batch_axis`). */
export interface FanOptions {
  /** The fan-in axis or axes (default -2). */
  inAxis?: number | readonly number[];
  /** The fan-out axis or axes (default -1). */
  outAxis?: number | readonly number[];
  /** Axes excluded from both fans and the receptive field (default none). */
  batchAxis?: readonly number[];
}

const FAN_OPTIONS = ["inAxis", "outAxis", "batchAxis"] as const;

const axisOf = (a: number, rank: number): number => {
  const n = a < 0 ? a + rank : a;
  if (!(n >= 0 && n < rank)) throw new Error(`initializer: axis ${a} out of range for a rank-${rank} shape`);
  return n;
};
const axesOf = (ax: number | readonly number[], rank: number): number[] =>
  (typeof ax === "number" ? [ax] : [...ax]).map((a) => axisOf(a, rank));
const prodOf = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * [fan_in, fan_out] of a parameter shape (JAX's convention, described at the top of this module).
 * @example computeFans([3, 3, 16, 32]) // [144, 288]
 */
export function computeFans(shape: readonly number[], opts: FanOptions = {}): [number, number] {
  checkOptions("computeFans", opts, FAN_OPTIONS);
  const rank = shape.length;
  if (rank < 2 && (opts.inAxis === undefined || opts.outAxis === undefined))
    throw new RangeError(
      `computeFans: a ${rank}-d shape [${shape.join(", ")}] has no fan-in and fan-out axes (JAX needs at least 2-d ` +
        "weights); pass { inAxis, outAxis } to choose them, or initialize biases with nn.initializers.zeros or normal",
    );
  const inAx = axesOf(opts.inAxis ?? -2, rank);
  const outAx = axesOf(opts.outAxis ?? -1, rank);
  const batchAx = axesOf(opts.batchAxis ?? [], rank);
  const inSize = prodOf(inAx.map((a) => shape[a]!));
  const outSize = prodOf(outAx.map((a) => shape[a]!));
  const batchSize = prodOf(batchAx.map((a) => shape[a]!));
  const receptive = prodOf(shape) / (inSize * outSize * batchSize);
  return [inSize * receptive, outSize * receptive];
}

/** Options of {@link varianceScaling}. */
export interface VarianceScalingOptions extends FanOptions {}

/** σ of a standard normal truncated to [−2, 2]; dividing by it restores unit variance. */
const TRUNCATED_STD = 0.87962566103423978;

/**
 * JAX's `variance_scaling`: samples with variance `scale / n`, where n is fan_in, fan_out or their
 * average (`mode`), from a truncated normal (±2σ, rescaled to the exact variance), a normal, or a
 * uniform U[−√(3·var), √(3·var)].
 * @example nn.initializers.varianceScaling(2, "fanIn", "normal")(key, [256, 128]) // var 2/256
 */
export function varianceScaling(
  scale: number,
  mode: FanMode,
  distribution: VarianceScalingDistribution,
  opts: VarianceScalingOptions = {},
): Initializer {
  checkOptions("varianceScaling", opts, FAN_OPTIONS);
  if (!(scale > 0)) throw new Error(`varianceScaling: scale must be positive, got ${scale}`);
  return (key, shape, dtype = "float32") => {
    checkShape("varianceScaling", shape);
    const [fanIn, fanOut] = computeFans(shape, opts);
    const denom =
      mode === "fanIn" ? fanIn : mode === "fanOut" ? fanOut : mode === "fanAvg" ? (fanIn + fanOut) / 2 : NaN;
    if (Number.isNaN(denom))
      throw new Error(`varianceScaling: mode must be "fanIn", "fanOut" or "fanAvg", got ${JSON.stringify(mode)}`);
    const variance = scale / Math.max(1, denom);
    switch (distribution) {
      case "truncatedNormal":
        return np.multiply(random.truncatedNormal(key, -2, 2, shape, { dtype }), Math.sqrt(variance) / TRUNCATED_STD);
      case "normal":
        return np.multiply(random.normal(key, shape, { dtype }), Math.sqrt(variance));
      case "uniform": {
        const limit = Math.sqrt(3 * variance);
        return random.uniform(key, shape, { dtype, minval: -limit, maxval: limit });
      }
      default:
        throw new Error(
          `varianceScaling: distribution must be "truncatedNormal", "normal" or "uniform", got ${JSON.stringify(distribution)}`,
        );
    }
  };
}

/**
 * Xavier/Glorot uniform: U[−√(6/(fan_in+fan_out)), √(6/(fan_in+fan_out))], variance 2/(fan_in+fan_out).
 * @example
 * const w = nn.initializers.glorotUniform(random.key(0), [256, 128]);
 * np.max(np.abs(w)).item(); // 0.124994... < √(6/384) = 0.125
 */
export const glorotUniform: Initializer = varianceScaling(1, "fanAvg", "uniform");
/**
 * Xavier/Glorot normal: truncated normal with variance 2/(fan_in+fan_out).
 * @example np.var_(nn.initializers.glorotNormal(random.key(0), [256, 128])).item() // 0.005228... ≈ 2/384
 */
export const glorotNormal: Initializer = varianceScaling(1, "fanAvg", "truncatedNormal");
/** Alias of {@link glorotUniform}. @example nn.initializers.xavierUniform === nn.initializers.glorotUniform // true */
export const xavierUniform = glorotUniform;
/** Alias of {@link glorotNormal}. @example nn.initializers.xavierNormal === nn.initializers.glorotNormal // true */
export const xavierNormal = glorotNormal;
/**
 * He/Kaiming uniform: U[−√(6/fan_in), √(6/fan_in)], variance 2/fan_in.
 * @example
 * const w = nn.initializers.heUniform(random.key(0), [256, 128]);
 * np.max(np.abs(w)).item(); // 0.153085... < √(6/256) = 0.153093...
 */
export const heUniform: Initializer = varianceScaling(2, "fanIn", "uniform");
/**
 * He/Kaiming normal: truncated normal with variance 2/fan_in (He et al. 2015: N(0, 2/d) for d inputs).
 * @example np.var_(nn.initializers.heNormal(random.key(0), [256, 128])).item() // 0.007842... ≈ 2/256
 */
export const heNormal: Initializer = varianceScaling(2, "fanIn", "truncatedNormal");
/** Alias of {@link heUniform}. @example nn.initializers.kaimingUniform === nn.initializers.heUniform // true */
export const kaimingUniform = heUniform;
/** Alias of {@link heNormal}. @example nn.initializers.kaimingNormal === nn.initializers.heNormal // true */
export const kaimingNormal = heNormal;
/**
 * LeCun normal: truncated normal with variance 1/fan_in (LeCun et al. 1998: N(0, 1/d) for d inputs).
 * @example np.var_(nn.initializers.lecunNormal(random.key(0), [256, 128])).item() // 0.003921... ≈ 1/256
 */
export const lecunNormal: Initializer = varianceScaling(1, "fanIn", "truncatedNormal");
/**
 * LeCun uniform: U[−√(3/fan_in), √(3/fan_in)], variance 1/fan_in.
 * @example
 * const w = nn.initializers.lecunUniform(random.key(0), [256, 128]);
 * np.max(np.abs(w)).item(); // 0.108248... < √(3/256) = 0.108253...
 */
export const lecunUniform: Initializer = varianceScaling(1, "fanIn", "uniform");

/** Options of {@link orthogonal}. */
export interface OrthogonalOptions {
  /** Multiplies the orthogonal matrix (default 1). */
  scale?: number;
  /** The axis holding the columns (default -1); the other axes are flattened into rows. */
  columnAxis?: number;
}

/**
 * Orthogonal initializer (Saxe et al.; JAX's `orthogonal`). A Gaussian matrix of rows × cols
 * (cols = `shape[columnAxis]`, rows = the product of the other axes) is orthonormalised by QR
 * (classical Gram–Schmidt with re-orthogonalisation, in float64, with np ops), signs fixed so R has
 * a positive diagonal (which makes the result Haar-distributed). With rows ≥ cols the columns are
 * orthonormal (QᵀQ = I); with rows < cols the rows are (QQᵀ = I).
 * @example const q = nn.initializers.orthogonal()(key, [4, 4]); // np.matmul(q.T, q) ≈ I
 */
export function orthogonal(opts: OrthogonalOptions = {}): Initializer {
  checkOptions("orthogonal", opts, ["scale", "columnAxis"]);
  const scale = opts.scale ?? 1;
  return (key, shape, dtype = "float32") => {
    checkShape("orthogonal", shape);
    if (shape.length < 2) throw new Error(`orthogonal: needs a shape of rank >= 2, got [${shape.join(", ")}]`);
    const rank = shape.length;
    const colAx = axisOf(opts.columnAxis ?? -1, rank);
    const nCols = shape[colAx]!;
    const nRows = prodOf(shape) / nCols;
    const tall = nRows >= nCols;
    const [m, n] = tall ? [nRows, nCols] : [nCols, nRows];
    const a = np.astype(random.normal(key, [m, n], { dtype: dtype === "float64" ? "float64" : "float32" }), "float64");
    let q = gramSchmidt(a); // m × n, orthonormal columns
    if (!tall) q = np.transpose(q); // nRows × nCols with orthonormal rows
    const rest = shape.filter((_, i) => i !== colAx);
    const out = np.moveaxis(np.reshape(q, [...rest, nCols]), -1, colAx);
    return np.astype(np.multiply(out, scale), dtype);
  };
}

/**
 * Q of the thin QR decomposition A = QR (A: m × n, m ≥ n) with R's diagonal positive: classical
 * Gram–Schmidt, each column orthogonalised twice against the earlier ones ("twice is enough").
 */
function gramSchmidt(a: Array): Array {
  const [m, n] = a.shape as [number, number];
  if (m === 0 || n === 0) return a;
  const cols: Array[] = [];
  for (let j = 0; j < n; j++) {
    let v = np.reshape(np.getIndex(a, [np.slice(), j]), [m, 1]);
    if (cols.length > 0) {
      const qPrev = np.concatenate(cols, 1); // m × j
      for (let pass = 0; pass < 2; pass++) v = np.subtract(v, np.matmul(qPrev, np.matmul(np.transpose(qPrev), v)));
    }
    cols.push(np.divide(v, np.sqrt(np.sum(np.square(v)))));
  }
  return np.concatenate(cols, 1);
}
