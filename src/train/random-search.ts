/** Random search: configurations sampled from a space, optionally k-fold cross-validated, sorted best first. */
import { splitKeys, type KeyLike } from "./keys.js";
import { checkMode, evaluateAll, makeScorer, sortResults } from "./search-scoring.js";
import { checkN, parseSpace, requireKey, sampleDims } from "./search-space.js";
import type {
  CrossValidation,
  CrossValidationData,
  CvEval,
  PlainEval,
  RandomSpace,
  SampledPoint,
  Score,
  SearchOptions,
  SearchResult,
} from "./search-types.js";
import { checkOptions } from "../core/options.js";

/** Options for {@link randomSearch}. */
export interface RandomSearchOptions extends SearchOptions {
  /** The PRNG key (or integer seed) for sampling (and for shuffling the folds with `kFold`). */
  readonly key: KeyLike;
}

/**
 * Random search: evaluates `n` configurations sampled from `space` (see {@link sampleSpace}) and
 * returns the table sorted by score (best first). With `{ kFold, data }` every configuration is
 * cross-validated on the same folds.
 *
 * @example randomSearch({ lr: { logUniform: [1e-5, 1e-1] }, hidden: { choice: [32, 64, 128] } }, 20, evaluate, { key: 0 })
 */
export function randomSearch<S extends RandomSpace, D>(
  space: S,
  n: number,
  evaluate: (hp: SampledPoint<S>, train: D, val: D, fold: number) => Score,
  opts: RandomSearchOptions & CrossValidationData<D>,
): SearchResult<SampledPoint<S>>[];
export function randomSearch<S extends RandomSpace>(
  space: S,
  n: number,
  evaluate: (hp: SampledPoint<S>) => Score,
  opts: RandomSearchOptions,
): SearchResult<SampledPoint<S>>[];
export function randomSearch<S extends RandomSpace, D>(
  space: S,
  n: number,
  evaluate: PlainEval<SampledPoint<S>> | CvEval<SampledPoint<S>, D>,
  opts: RandomSearchOptions & Partial<CrossValidation<D>>,
): SearchResult<SampledPoint<S>>[] {
  const fn = "randomSearch";
  checkOptions(fn, opts, ["mode", "key", "kFold", "data", "shuffle"]);
  const mode = checkMode(opts?.mode, fn);
  const dims = parseSpace(fn, space, false);
  checkN(fn, "n", n);
  const [sampleKey, foldKey] = splitKeys(requireKey(fn, opts?.key), 2, fn);
  const points = sampleDims(fn, dims, n, sampleKey!) as SampledPoint<S>[]; // splitKeys(·, 2) gives 2 keys
  const scorer = makeScorer(fn, evaluate, opts, opts.shuffle === false ? undefined : foldKey);
  return sortResults(evaluateAll(points, scorer), mode);
}
