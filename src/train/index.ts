/**
 * `graft-ad/train`: the training loop and what goes around it — mini-batches reshuffled every epoch,
 * train/validation/test splits and k-fold cross-validation, a `fit` loop with metrics history,
 * progress lines and early stopping, classification metrics, loss-curve SVGs, and hyperparameter
 * search (grid, random, coarse-to-fine on a log scale).
 *
 * @example
 * import { train, random } from "graft-ad";
 * const { train: tr, test } = train.trainTestSplit(random.key(0), { x, y }, { testFraction: 0.2 });
 * const result = train.fit({ params, optState, step, data: tr, batchSize: 32, epochs: 10, key: random.key(1) });
 * console.log(train.lossCurveSvg(result.history, { title: "training loss" }));
 */
export type { Key, KeyLike } from "./keys.js";
export { batches, epochs, takeRows, numExamples, Batches, type BatchOptions, type Indices } from "./data.js";
export {
  trainTestSplit,
  trainValTestSplit,
  kFold,
  type SplitOptions,
  type TrainTestSplit,
  type ThreeWaySplitOptions,
  type TrainValTestSplit,
  type Fold,
  type KFoldOptions,
} from "./splits.js";
export {
  fit,
  fitAsync,
  type FitOptions,
  type FitResult,
  type StepFn,
  type History,
  type StepRecord,
  type EpochRecord,
  type EarlyStoppingOptions,
} from "./fit.js";
export { evaluateBatches, readMetrics, readMetricsAsync, type Metrics, type MetricValue } from "./read-metrics.js";
export { formatNumber } from "./format-number.js";
export { accuracy, topKAccuracy, meanLoss, type AccuracyOptions } from "./metrics.js";
export { lossCurveSvg, type LossCurveOptions } from "./svg.js";
export { writeLossCurveSvg } from "./svg-node.js";
export {
  gridSearch,
  gridPoints,
  randomSearch,
  sampleSpace,
  coarseToFine,
  formatTable,
  type SearchMode,
  type SearchOptions,
  type SearchResult,
  type Score,
  type GridSpace,
  type GridPoint,
  type Distribution,
  type RandomSpace,
  type SampledPoint,
  type CoarseSpace,
  type CoarsePoint,
  type CrossValidation,
  type CrossValidationData,
  type RandomSearchOptions,
  type CoarseToFineOptions,
  type CoarseToFineResults,
  type FormatTableOptions,
} from "./search.js";
