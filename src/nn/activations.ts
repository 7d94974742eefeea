/** Activations built from numpy ops, written in their numerically stable forms. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { bind1 } from "../core/trace.js";
import * as np from "../numpy/index.js";
import { toFloat, asArray } from "../numpy/convert.js";
import { customJvp } from "../control/custom-jvp.js";

/** Logistic sigmoid 1 / (1 + e^-x), stable for large |x|. @example nn.sigmoid(np.array([0])) // 0.5 */
export const sigmoid = (x: ArrayOrScalar): Array => bind1("logistic", [toFloat(asArray(x, "sigmoid"))], {});
/** max(x, 0). */
export const relu = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "relu");
  return np.where(np.greater(a, 0), a, np.zerosLike(a));
};
let softplusRule: ((x: Array) => Array) | undefined;

/**
 * log(1 + e^x), computed as max(x, 0) + log1p(e^-|x|) so it neither overflows nor underflows.
 * Its derivative is a custom JVP rule, sigmoid(x): exact and smooth everywhere (autodiff of the
 * piecewise form would see a kink at 0 and get second derivatives wrong there).
 */
export const softplus = (x: ArrayOrScalar): Array => {
  const a = toFloat(asArray(x, "softplus"));
  softplusRule ??= customJvp((v: Array) => np.add(np.maximum(v, 0), np.log1p(np.exp(np.negative(np.abs(v)))))).defJvp(([v], [t]) => [
    softplusRule!(v),
    np.multiply(t, sigmoid(v)),
  ]);
  return softplusRule(a);
};
/** log-softmax along `axis` (default -1): x - logsumexp(x). */
export const logSoftmax = (x: ArrayOrScalar, axis = -1): Array => {
  const a = toFloat(asArray(x, "logSoftmax"));
  return np.subtract(a, np.logsumexp(a, axis, { keepdims: true }));
};
/** softmax along `axis` (default -1), stable for large logits. */
export const softmax = (x: ArrayOrScalar, axis = -1): Array => {
  const a = toFloat(asArray(x, "softmax"));
  const m = np.stopGradient(np.max(a, axis, { keepdims: true }));
  const e = np.exp(np.subtract(a, m));
  return np.divide(e, np.sum(e, axis, { keepdims: true }));
};
export { logsumexp } from "../numpy/reductions.js";
