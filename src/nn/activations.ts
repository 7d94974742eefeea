/** Activations built from numpy ops, written in their numerically stable forms. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { bind1 } from "../core/trace.js";
import * as np from "../numpy/index.js";
import { toFloat, asArray } from "../core/convert.js";
import { checkOptions } from "../core/options.js";
import { normalizeAxis } from "../core/shape.js";
import { customJvp, type CustomJvp } from "../lax/control/custom-jvp.js";

/** Logistic sigmoid 1 / (1 + e^-x), stable for large |x|. @example nn.sigmoid(np.array([0])) // 0.5 */
export const sigmoid = (x: ArrayOrScalar): Array => bind1("logistic", [toFloat(asArray(x, "sigmoid"))], {});
/** max(x, 0), NaN propagating as in JAX. @example nn.relu(np.array([-1, 2])) // [0, 2] */
export const relu = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "relu");
  // Selecting 0 where x <= 0 (not x where x > 0) keeps NaN, and the derivative at 0 stays 0 (JAX's).
  return np.where(np.lessEqual(a, 0), np.zerosLike(a), a);
};
let softplusRule: CustomJvp<[Array], Array> | undefined;
/**
 * log(1 + eˣ) as two smooth branches, each fed an argument where its formula cannot overflow
 * (x + log1p(e⁻ˣ) for x > 0, log1p(eˣ) otherwise): differentiating this form gives σ(x) and its
 * derivatives exactly, also at 0 — the rule's primal half is this body, so higher derivatives see it.
 */
const softplusBody = (v: Array): Array => {
  const pos = np.greater(v, 0);
  const vPos = np.where(pos, v, 0);
  const vNeg = np.where(pos, 0, v);
  return np.where(pos, np.add(vPos, np.log1p(np.exp(np.negative(vPos)))), np.log1p(np.exp(vNeg)));
};
const makeSoftplus = (): CustomJvp<[Array], Array> => {
  const f: CustomJvp<[Array], Array> = customJvp(softplusBody).defJvp(([v], [t]) => [f(v), np.multiply(t, sigmoid(v))]);
  return f;
};

/**
 * log(1 + e^x), computed in two branches (x + log1p(e^-x) above 0, log1p(e^x) below) so it neither
 * overflows nor underflows. Its derivative is a custom JVP rule, sigmoid(x): exact and smooth
 * everywhere.
 * @example nn.softplus(np.array([0, 100])) // [0.6931..., 100]
 */
export const softplus = (x: ArrayOrScalar): Array => {
  const a = toFloat(asArray(x, "softplus"));
  softplusRule ??= makeSoftplus();
  return softplusRule(a);
};
/** The axis argument as a number (an options object here is a common slip: `softmax(x, { axis })`). */
function checkAxisArg(op: string, axis: unknown): number {
  if (typeof axis !== "number")
    throw new TypeError(
      `${op}: axis must be a number (the second argument, e.g. ${op}(x, 0)), got ${axis === null ? "null" : typeof axis}`,
    );
  return axis;
}

/**
 * log-softmax along `axis` (default -1): x - logsumexp(x).
 * @example nn.logSoftmax(np.array([1, 2, 3])) // [-2.4076..., -1.4076..., -0.4076...]
 */
export const logSoftmax = (x: ArrayOrScalar, axis = -1): Array => {
  const a = toFloat(asArray(x, "logSoftmax"));
  if (a.ndim > 0) normalizeAxis("logSoftmax", checkAxisArg("logSoftmax", axis), a.ndim);
  return np.subtract(a, np.logsumexp(a, axis, { keepdims: true }));
};
/**
 * softmax along `axis` (default -1), stable for large logits. An empty input gives an empty output.
 * @example nn.softmax(np.array([1000, 1000])) // [0.5, 0.5]
 */
export const softmax = (x: ArrayOrScalar, axis = -1): Array => {
  const a = toFloat(asArray(x, "softmax"));
  if (a.ndim > 0) normalizeAxis("softmax", checkAxisArg("softmax", axis), a.ndim);
  // Nothing to normalize (and the max of an empty axis has no value): the result is empty too.
  if (a.size === 0 && a.ndim > 0) return a;
  const m = np.stopGradient(np.max(a, axis, { keepdims: true }));
  const e = np.exp(np.subtract(a, m));
  return np.divide(e, np.sum(e, axis, { keepdims: true }));
};
export { logsumexp } from "../numpy/reductions.js";

const floatArg = (x: ArrayOrScalar, op: string): Array => toFloat(asArray(x, op));

/**
 * Hyperbolic tangent, (e^x - e^-x) / (e^x + e^-x); saturates to ±1 without overflow.
 * @example nn.tanh(np.array([0, 1e4])) // [0, 1]
 */
export const tanh = (x: ArrayOrScalar): Array => np.tanh(floatArg(x, "tanh"));

/**
 * Leaky ReLU: x for x ≥ 0, `negativeSlope`·x otherwise (= max(αx, x) for 0 ≤ α ≤ 1; Maas et al. 2013).
 * @example nn.leakyRelu(np.array([-2, 3])) // [-0.02, 3]
 */
export const leakyRelu = (x: ArrayOrScalar, negativeSlope = 0.01): Array => {
  const a = floatArg(x, "leakyRelu");
  return np.where(np.greaterEqual(a, 0), a, np.multiply(a, negativeSlope));
};

/**
 * ELU: x for x > 0, α·(e^x − 1) otherwise. The exponential only ever sees min(x, 0), so a large
 * positive x cannot overflow it (and poison the gradient of the unused branch with inf·0).
 * @example nn.elu(np.array([-1, 2])) // [e^-1 - 1, 2]
 */
export const elu = (x: ArrayOrScalar, alpha = 1): Array => {
  const a = floatArg(x, "elu");
  return np.where(np.greater(a, 0), a, np.multiply(np.expm1(np.minimum(a, 0)), alpha));
};

/** SELU's α (Klambauer et al., 2017). */
export const SELU_ALPHA = 1.6732632423543772;
/** SELU's scale λ (Klambauer et al., 2017). */
export const SELU_SCALE = 1.0507009873554805;

/**
 * Scaled ELU: λ·elu(x, α) with the self-normalising constants λ ≈ 1.0507, α ≈ 1.6733.
 * @example nn.selu(np.array([1])) // [1.0507...]
 */
export const selu = (x: ArrayOrScalar): Array => np.multiply(elu(floatArg(x, "selu"), SELU_ALPHA), SELU_SCALE);

/** Options of {@link gelu}. */
export interface GeluOptions {
  /** Use the tanh approximation (default true, as `jax.nn.gelu`); false gives the exact erf form. */
  approximate?: boolean;
}

/**
 * GELU, x·Φ(x). By default the tanh approximation, as `jax.nn.gelu`:
 * ½x(1 + tanh(√(2/π)(x + 0.044715x³))); with `{ approximate: false }` the exact ½x(1 + erf(x/√2)).
 * @example nn.gelu(np.array([1])) // [0.8412...]; nn.gelu(np.array([1]), { approximate: false }) // [0.8413...]
 */
export const gelu = (x: ArrayOrScalar, opts: GeluOptions = {}): Array => {
  checkOptions("gelu", opts, ["approximate"]);
  const a = floatArg(x, "gelu");
  if (opts.approximate ?? true) {
    const inner = np.multiply(np.add(a, np.multiply(np.power(a, 3), 0.044715)), Math.sqrt(2 / Math.PI));
    return np.multiply(np.multiply(a, 0.5), np.add(np.tanh(inner), 1));
  }
  return np.multiply(np.multiply(a, 0.5), np.add(np.erf(np.multiply(a, Math.SQRT1_2)), 1));
};

/**
 * SiLU / swish: x·sigmoid(x).
 * @example nn.silu(np.array([0, 1])) // [0, 0.7311]
 */
export const silu = (x: ArrayOrScalar): Array => {
  const a = floatArg(x, "silu");
  return np.multiply(a, sigmoid(a));
};
/** Alias of {@link silu}. */
export const swish = silu;

/**
 * Hard tanh: x clipped to [-1, 1].
 * @example nn.hardTanh(np.array([-3, 0.5, 2])) // [-1, 0.5, 1]
 */
export const hardTanh = (x: ArrayOrScalar): Array => np.clip(floatArg(x, "hardTanh"), -1, 1);

/**
 * log(sigmoid(x)) = -softplus(-x), finite for every finite x (log of the sigmoid itself would give
 * -inf once sigmoid underflows).
 * @example nn.logSigmoid(np.array([-1e4])) // [-1e4]
 */
export const logSigmoid = (x: ArrayOrScalar): Array => np.negative(softplus(np.negative(floatArg(x, "logSigmoid"))));
