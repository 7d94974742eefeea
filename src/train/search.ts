/**
 * Hyperparameter search: grid search, random search and the two-stage coarse-to-fine search on a
 * log scale, each scored on validation data (optionally k-fold cross-validated: every configuration
 * is trained on k-1 folds and validated on the remaining one, k times, and the scores averaged).
 * Results come back as a table sorted best first; `formatTable` prints it.
 *
 * Grid search scales exponentially with the number of hyperparameters and spends most of its
 * budget on unimportant ones; random search covers each dimension with every sample, so it finds
 * good values faster when only a few hyperparameters matter. Scale-like hyperparameters (learning
 * rates, weight decay) should be searched on a log scale (`logUniform`).
 */
export type {
  SearchMode,
  SearchOptions,
  SearchResult,
  Score,
  GridSpace,
  GridPoint,
  Distribution,
  RandomSpace,
  SampledPoint,
  CoarseSpace,
  CoarsePoint,
  CrossValidation,
  CrossValidationData,
} from "./search-types.js";
export { gridPoints, sampleSpace } from "./search-space.js";
export { gridSearch } from "./grid-search.js";
export { randomSearch, type RandomSearchOptions } from "./random-search.js";
export { coarseToFine, type CoarseToFineOptions, type CoarseToFineResults } from "./coarse-to-fine.js";
export { formatTable, type FormatTableOptions } from "./format-table.js";
