/** Types shared by the hyperparameter searches: spaces, points, results, scores and cross-validation settings. */
import type { Array as NDArray } from "../core/array.js";
import type { KeyLike } from "./keys.js";

/** Whether lower (`"min"`, e.g. a loss; the default) or higher (`"max"`, e.g. accuracy) scores are better. */
export type SearchMode = "min" | "max";

/** A grid: each hyperparameter's candidate values. */
export type GridSpace = Readonly<Record<string, readonly unknown[]>>;
/** One grid point: a value for each hyperparameter. */
export type GridPoint<S extends GridSpace> = { -readonly [K in keyof S]: S[K][number] };

/** A distribution to sample one hyperparameter from. `int` is inclusive of both ends. */
export type Distribution =
  | { readonly uniform: readonly [number, number] }
  | { readonly logUniform: readonly [number, number] }
  | { readonly int: readonly [number, number] }
  | { readonly choice: readonly unknown[] };
/** A random-search space: one distribution per hyperparameter. */
export type RandomSpace = Readonly<Record<string, Distribution>>;
/** A sampled point: numbers, and the chosen value for `choice` dimensions. */
export type SampledPoint<S extends RandomSpace> = {
  -readonly [K in keyof S]: S[K] extends { readonly choice: readonly (infer V)[] } ? V : number;
};
/** A coarse-to-fine space: distributions, or `[lo, hi]` as shorthand for `{ logUniform: [lo, hi] }`. */
export type CoarseSpace = Readonly<Record<string, Distribution | readonly [number, number]>>;
export type CoarsePoint<S extends CoarseSpace> = {
  -readonly [K in keyof S]: S[K] extends { readonly choice: readonly (infer V)[] } ? V : number;
};

/** One evaluated configuration. */
export interface SearchResult<P> {
  readonly params: P;
  /** The validation score (the mean over folds with cross-validation). */
  readonly score: number;
  /** The per-fold scores (cross-validation only). */
  readonly scores?: readonly number[];
  /** Coarse-to-fine only: the stage that evaluated it. */
  readonly stage?: "coarse" | "fine";
  /** Coarse-to-fine only: 0 for the coarse stage, 1, 2, ... for the fine rounds. */
  readonly round?: number;
}

/** A score: a number or a size-1 array (read back). Promises are not accepted. */
export type Score = number | NDArray;

/** Options shared by the searches. */
export interface SearchOptions {
  readonly mode?: SearchMode;
}

/**
 * k-fold cross-validation inside a search: `data` is split into `kFold` folds once (shuffled with
 * `key` when given) and the same folds score every configuration.
 */
export interface CrossValidation<D> {
  readonly kFold: number;
  readonly data: D;
  /** Shuffles the examples before cutting folds (random search and coarse-to-fine also sample with it). */
  readonly key?: KeyLike;
  /** Shuffle before cutting folds (default: true when a key is given). */
  readonly shuffle?: boolean;
}

/** Cross-validation settings for searches whose `key` option is shared with sampling. */
export interface CrossValidationData<D> {
  readonly kFold: number;
  readonly data: D;
  readonly shuffle?: boolean;
}

export type PlainEval<P> = (hp: P) => Score;
export type CvEval<P, D> = (hp: P, train: D, val: D, fold: number) => Score;
