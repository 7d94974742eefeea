/** Activations built from numpy ops, written in their numerically stable forms. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { bind1 } from "../core/trace.js";
import * as np from "../numpy/index.js";
import { toFloat, asArray } from "../numpy/convert.js";

/** Logistic sigmoid 1 / (1 + e^-x), stable for large |x|. @example nn.sigmoid(np.array([0])) // 0.5 */
export const sigmoid = (x: ArrayOrScalar): Array => bind1("logistic", [toFloat(asArray(x, "sigmoid"))], {});
/** max(x, 0). */
export const relu = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "relu");
  return np.where(np.greater(a, 0), a, np.zerosLike(a));
};
/**
 * log(1 + e^x). Past x = 30, log1p(e^x) equals x to within float64 precision, so that branch
 * returns x; the other branch clamps its input so e^x never overflows (an overflow there would
 * turn the unused branch's derivative into NaN). Unlike max(x, 0) + log1p(e^-|x|), this form is
 * smooth at 0, so second derivatives are exact everywhere.
 */
export const softplus = (x: ArrayOrScalar): Array => {
  const a = toFloat(asArray(x, "softplus"));
  const big = np.greater(a, 30);
  return np.where(big, a, np.log1p(np.exp(np.where(big, np.zerosLike(a), a))));
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
