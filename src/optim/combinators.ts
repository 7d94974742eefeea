/**
 * Combinators: gradient transformations built from other ones — `chain`, `masked`,
 * `multiTransform`, `injectHyperparams`, `applyIfFinite` and `multiSteps`. Every decision that
 * depends on array values (a NaN in the gradients, the k-th micro-batch) is made with `np.where`,
 * so each combinator stays traceable under `jit`.
 */
export { chain } from "./chain.js";
export {
  masked,
  multiTransform,
  type LabelSpec,
  type MaskedState,
  type MaskSpec,
  type MultiTransformState,
} from "./masked.js";
export {
  injectHyperparams,
  setHyperparams,
  type InjectableValue,
  type InjectHyperparamsState,
} from "./inject-hyperparams.js";
export { applyIfFinite, type ApplyIfFiniteState } from "./apply-if-finite.js";
export { multiSteps, multiStepsHasUpdated, type MultiStepsState } from "./multi-steps.js";
