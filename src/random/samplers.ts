/**
 * The implementation of `graft-ad/random`: keys and samplers following `jax.random` step for step.
 * Every function takes the threefry {@link Scheme} first; `index.ts` binds it.
 */
export { checkKey, checkShape, type FloatDType, type ShapeLike } from "./sampler-checks.js";
export { key, split, foldIn, bits, type KeyOptions } from "./keys.js";
export {
  uniform,
  normal,
  truncatedNormal,
  gumbel,
  exponential,
  type UniformOptions,
  type DTypeOptions,
} from "./continuous.js";
export {
  bernoulli,
  randint,
  categorical,
  permutation,
  shuffle,
  choice,
  type RandintOptions,
  type CategoricalOptions,
  type PermutationOptions,
  type ChoiceOptions,
} from "./discrete.js";
