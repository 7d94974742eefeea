/**
 * `graft-ad/testing`: tools for testing code that uses graft's transforms.
 *
 * - {@link checkGrads}: JAX-style gradient checking of `jvp`/`vjp` (and, recursively, their own
 *   derivatives) against float64 central differences.
 * - {@link numericalJacobian}: a float64 central-difference Jacobian laid out like `jacfwd`.
 * - fast-check arbitraries: {@link arbShape}, {@link arbArray}, {@link arbArrayOfShape},
 *   {@link arbPytree}, {@link arbBroadcastableShapes}.
 *
 * @example
 * import { np, type Array } from "graft-ad";
 * import { checkGrads, numericalJacobian, arbArray } from "graft-ad/testing";
 * import fc from "fast-check";
 *
 * checkGrads((x: Array) => x.tanh().mul(x).sum(), [np.array([0.3, -1.2])], { order: 2 });
 * numericalJacobian((x: Array) => x.square(), [np.array([1, 2])]); // ≈ diag(2x), float64
 * // includeErrorInReport: fast-check's message then holds the full GradCheckError text
 * // (by default fast-check 4 only attaches it as the error's `cause`)
 * fc.assert(fc.property(arbArray({ dtype: "float64", min: -2, max: 2 }), (x) => {
 *   checkGrads((y: Array) => y.sin(), [x], { order: 1 });
 * }), { includeErrorInReport: true });
 */
export {
  checkGrads,
  GradCheckError,
  type CheckGradsOptions,
  type GradCheckFailure,
  type GradCheckMode,
} from "./check-grads.js";
export { numericalJacobian, type NumericalJacobianOptions } from "./numerical.js";
export {
  arbShape,
  arbArray,
  arbArrayOfShape,
  arbPytree,
  arbBroadcastableShapes,
  type ShapeOptions,
  type ArrayOptions,
  type PytreeOptions,
  type Pytree,
} from "./arbitraries.js";
