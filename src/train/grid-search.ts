/** Grid search: every combination of a grid, optionally k-fold cross-validated, sorted best first. */
import { checkMode, evaluateAll, makeScorer, sortResults } from "./search-scoring.js";
import { gridPoints } from "./search-space.js";
import type {
  CrossValidation,
  CvEval,
  GridPoint,
  GridSpace,
  PlainEval,
  Score,
  SearchOptions,
  SearchResult,
} from "./search-types.js";
import { checkOptions } from "../core/options.js";

/**
 * Evaluates every combination of the grid and returns the table sorted by score (best first).
 * With `{ kFold, data, key }`, `evaluate(hparams, trainData, valData, fold)` runs once per fold and
 * the scores are averaged.
 *
 * @example gridSearch({ lr: [1e-3, 1e-2, 1e-1], hidden: [32, 64] }, ({ lr, hidden }) => valLoss(lr, hidden))
 */
export function gridSearch<S extends GridSpace, D>(
  space: S,
  evaluate: (hp: GridPoint<S>, train: D, val: D, fold: number) => Score,
  opts: SearchOptions & CrossValidation<D>,
): SearchResult<GridPoint<S>>[];
export function gridSearch<S extends GridSpace>(
  space: S,
  evaluate: (hp: GridPoint<S>) => Score,
  opts?: SearchOptions,
): SearchResult<GridPoint<S>>[];
export function gridSearch<S extends GridSpace, D>(
  space: S,
  evaluate: PlainEval<GridPoint<S>> | CvEval<GridPoint<S>, D>,
  opts?: SearchOptions & Partial<CrossValidation<D>>,
): SearchResult<GridPoint<S>>[] {
  const fn = "gridSearch";
  checkOptions(fn, opts, ["mode", "kFold", "data", "key", "shuffle"]);
  const mode = checkMode(opts?.mode, fn);
  const points = gridPoints(space);
  const scorer = makeScorer(fn, evaluate, opts, opts?.key);
  return sortResults(evaluateAll(points, scorer), mode);
}
