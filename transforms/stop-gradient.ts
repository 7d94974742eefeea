/** `stopGradient` over pytrees: the value passes through, derivatives are zero. */
import { Array } from "../src/core/array.js";
import { bind1 } from "../src/core/trace.js";
import { map } from "../src/tree/index.js";
import { toArray } from "../src/interpreters/args.js";

/**
 * Returns `x` unchanged but cuts it out of differentiation (every leaf's derivative is zero).
 *
 * @example grad((x: Array) => stopGradient(x).mul(x).sum())(np.array([3])) // array([3.])
 */
export function stopGradient<T>(x: T): T {
  return map(
    (l: unknown) => bind1("stop_gradient", [l instanceof Array ? l : toArray(l, "stopGradient", "leaves")], {}),
    x,
  ) as T;
}
