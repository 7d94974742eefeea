/**
 * More of `jax.nn`'s activations: `relu6`, `hardSigmoid`, `softSign`, `celu`, `mish`, `glu`. Each is
 * a composition of numpy ops, so grad/jvp/vmap/jit see through them.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { asArray, toFloat } from "../core/convert.js";
import { normalizeAxis } from "../core/shape.js";
import * as np from "../numpy/index.js";
import { softplus, sigmoid } from "./activations.js";

const floatArg = (x: ArrayOrScalar, op: string): Array => toFloat(asArray(x, op));

/**
 * ReLU capped at 6: min(max(x, 0), 6) (MobileNet's activation; `jax.nn.relu6`). The gradient is 1
 * strictly inside (0, 6) and 0 elsewhere, JAX's choice at the kinks.
 * @example nn.relu6(np.array([-1, 3, 9])) // [0, 3, 6]
 */
export const relu6 = (x: ArrayOrScalar): Array => {
  const a = floatArg(x, "relu6");
  // A where over the open interval (rather than clip) pins the kink gradients to 0, as JAX does.
  const inside = np.logicalAnd(np.greater(a, 0), np.less(a, 6));
  return np.where(inside, a, np.where(np.greaterEqual(a, 6), np.fullLike(a, 6), np.zerosLike(a)));
};

/**
 * Hard sigmoid: relu6(x + 3) / 6, a piecewise-linear sigmoid (`jax.nn.hard_sigmoid`).
 * @example nn.hardSigmoid(np.array([-4, 0, 4])) // [0, 0.5, 1]
 */
export const hardSigmoid = (x: ArrayOrScalar): Array => np.divide(relu6(np.add(floatArg(x, "hardSigmoid"), 3)), 6);

/**
 * Soft sign: x / (|x| + 1) (`jax.nn.soft_sign`).
 * @example nn.softSign(np.array([-1, 3])) // [-0.5, 0.75]
 */
export const softSign = (x: ArrayOrScalar): Array => {
  const a = floatArg(x, "softSign");
  return np.divide(a, np.add(np.abs(a), 1));
};

/**
 * CELU: max(x, 0) + α·expm1(min(x, 0)/α) (`jax.nn.celu`, Barron 2017); continuously
 * differentiable for every α > 0. The exponential sees only min(x, 0), so large x cannot overflow.
 * @example nn.celu(np.array([-1, 2]), 2) // [2·(e^-0.5 − 1), 2]
 */
export const celu = (x: ArrayOrScalar, alpha = 1): Array => {
  if (typeof alpha !== "number" || !(alpha > 0))
    throw new RangeError(
      `celu: alpha must be a positive number (the scale of the negative branch), got ${String(alpha)}`,
    );
  const a = floatArg(x, "celu");
  return np.add(np.maximum(a, 0), np.multiply(np.expm1(np.divide(np.minimum(a, 0), alpha)), alpha));
};

/**
 * Mish: x·tanh(softplus(x)) (Misra 2019; `jax.nn.mish`), using graft's overflow-free softplus.
 * @example nn.mish(np.array([0, 1])) // [0, 0.8650...]
 */
export const mish = (x: ArrayOrScalar): Array => {
  const a = floatArg(x, "mish");
  return np.multiply(a, np.tanh(softplus(a)));
};

/**
 * Gated linear unit: splits `x` in two halves a, b along `axis` (default -1) and returns a·sigmoid(b)
 * (`jax.nn.glu`); the axis must have even length, and the output has half of it.
 * @example nn.glu(np.array([1, 2, 0, 0])) // [0.5, 1]
 */
export const glu = (x: ArrayOrScalar, axis = -1): Array => {
  const a = floatArg(x, "glu");
  if (typeof axis !== "number")
    throw new TypeError(`glu: axis must be a number (the second argument, e.g. glu(x, -1)), got ${typeof axis}`);
  if (a.ndim === 0) throw new RangeError("glu: expected an array with at least one axis to split, got a scalar");
  const ax = normalizeAxis("glu", axis, a.ndim);
  const size = a.shape[ax]!;
  if (size % 2 !== 0)
    throw new RangeError(
      `glu: axis ${axis} has length ${size}, which is odd; glu splits it into two equal halves (value and gate), so it must be even`,
    );
  const [value, gate] = np.split(a, 2, ax) as [Array, Array];
  return np.multiply(value, sigmoid(gate));
};
