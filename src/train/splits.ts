/**
 * Splitting a data set: train/test and train/validation/test splits of a pytree of arrays sharing a
 * leading (example) axis, and k-fold cross-validation indices. Shuffled splits permute the
 * examples with a PRNG key first, so the same key always gives the same split.
 */
import { checkCount, flattenData, gatherFlat, indexArray } from "./data.js";
import { permutationHost, type KeyLike } from "./keys.js";
import { checkOptions } from "../core/options.js";
import { optionKeys } from "../core/validate.js";

/** Options for {@link trainTestSplit}: give at most one of `testFraction` (default 0.25) and `testSize`. */
export interface SplitOptions {
  /** The fraction of examples held out, in (0, 1); the test set gets `round(N · testFraction)` of them. */
  readonly testFraction?: number;
  /** The number of examples held out (an integer in [1, N-1]). */
  readonly testSize?: number;
  /** Shuffle before splitting (default `true`; needs a key). `false` takes the last rows as the test set. */
  readonly shuffle?: boolean;
}

/** The two parts of a split and the indices (into the original data) that made them. */
export interface TrainTestSplit<D> {
  readonly train: D;
  readonly test: D;
  readonly trainIdx: Int32Array;
  readonly testIdx: Int32Array;
}

function holdoutSize(
  fn: string,
  n: number,
  fraction: number | undefined,
  size: number | undefined,
  what: string,
  dflt: number | null,
): number {
  if (fraction !== undefined && size !== undefined)
    throw new TypeError(`${fn}: give either ${what}Fraction or ${what}Size, not both`);
  let m: number;
  if (size !== undefined) {
    if (!Number.isInteger(size) || size < 1 || size > n - 1)
      throw new RangeError(`${fn}: ${what}Size must be an integer in [1, ${n - 1}] for ${n} examples, got ${size}`);
    m = size;
  } else {
    const f = fraction ?? dflt;
    if (f === null) throw new TypeError(`${fn}: give ${what}Fraction or ${what}Size`);
    if (!(typeof f === "number" && f > 0 && f < 1))
      throw new RangeError(`${fn}: ${what}Fraction must be in (0, 1), got ${String(f)}`);
    m = Math.round(n * f);
    if (m < 1 || m > n - 1)
      throw new RangeError(
        `${fn}: ${what}Fraction ${f} of ${n} examples leaves an empty split (${m} held out); use more data or a different fraction`,
      );
  }
  return m;
}

function orderFor(fn: string, key: KeyLike | null | undefined, n: number, shuffle: boolean): Int32Array {
  if (!shuffle) return Int32Array.from({ length: n }, (_, i) => i);
  if (key === null || key === undefined)
    throw new TypeError(
      `${fn}: shuffling needs a PRNG key (random.key(seed)) or an integer seed; pass { shuffle: false } for an ordered split`,
    );
  return permutationHost(key, n, fn);
}

/**
 * Splits `data` (a pytree of arrays sharing a leading axis) into a training and a test part. With
 * `shuffle` (default) the examples are permuted with `key` first; otherwise the last rows are the
 * test set. The same key always gives the same split; sizes are `N - m` and `m` with
 * `m = testSize ?? round(N · testFraction)`.
 *
 * @example
 * const split = trainTestSplit(random.key(0), { x: np.zeros([10, 3]), y: np.zeros([10]) }, { testFraction: 0.2 });
 * split.train.x.shape; // [8, 3]
 * split.test.y.shape; // [2]
 */
export function trainTestSplit<D>(
  key: KeyLike | null | undefined,
  data: D,
  opts: SplitOptions = {},
): TrainTestSplit<D> {
  const fn = "trainTestSplit";
  checkOptions(fn, opts, optionKeys<SplitOptions>()("testFraction", "testSize", "shuffle"));
  const flat = flattenData(data, fn);
  const n = flat.n;
  if (n < 2) throw new RangeError(`${fn}: need at least 2 examples to split, got ${n}`);
  const m = holdoutSize(fn, n, opts.testFraction, opts.testSize, "test", 0.25);
  const order = orderFor(fn, key, n, opts.shuffle ?? true);
  const shuffle = opts.shuffle ?? true;
  // Shuffled: the first m of the permutation are held out; ordered: the last m rows.
  const testIdx = shuffle ? order.slice(0, m) : order.slice(n - m);
  const trainIdx = shuffle ? order.slice(m) : order.slice(0, n - m);
  return {
    train: gatherFlat(flat, indexArray(trainIdx, n, fn)) as D,
    test: gatherFlat(flat, indexArray(testIdx, n, fn)) as D,
    trainIdx,
    testIdx,
  };
}

/** Options for {@link trainValTestSplit}. */
export interface ThreeWaySplitOptions {
  readonly valFraction?: number;
  readonly valSize?: number;
  readonly testFraction?: number;
  readonly testSize?: number;
  readonly shuffle?: boolean;
}

/** The three parts of a train/validation/test split and their indices. */
export interface TrainValTestSplit<D> {
  readonly train: D;
  readonly val: D;
  readonly test: D;
  readonly trainIdx: Int32Array;
  readonly valIdx: Int32Array;
  readonly testIdx: Int32Array;
}

/**
 * Train / validation / test split: fit on `train`, choose hyperparameters on `val`, and report the
 * final number once on `test`. Fractions are of the whole data set (`valFraction` default 0.15,
 * `testFraction` default 0.15).
 *
 * @example
 * const s = trainValTestSplit(random.key(0), { x: np.arange(20) });
 * [s.train.x.shape, s.val.x.shape, s.test.x.shape]; // [[14], [3], [3]]
 */
export function trainValTestSplit<D>(
  key: KeyLike | null | undefined,
  data: D,
  opts: ThreeWaySplitOptions = {},
): TrainValTestSplit<D> {
  const fn = "trainValTestSplit";
  checkOptions(
    fn,
    opts,
    optionKeys<ThreeWaySplitOptions>()("valFraction", "valSize", "testFraction", "testSize", "shuffle"),
  );
  const flat = flattenData(data, fn);
  const n = flat.n;
  if (n < 3) throw new RangeError(`${fn}: need at least 3 examples, got ${n}`);
  const nTest = holdoutSize(fn, n, opts.testFraction, opts.testSize, "test", 0.15);
  const nVal = holdoutSize(fn, n, opts.valFraction, opts.valSize, "val", 0.15);
  if (nTest + nVal > n - 1)
    throw new RangeError(`${fn}: ${nVal} validation + ${nTest} test examples leave no training data (${n} examples)`);
  const shuffle = opts.shuffle ?? true;
  const order = orderFor(fn, key, n, shuffle);
  const testIdx = shuffle ? order.slice(0, nTest) : order.slice(n - nTest);
  const valIdx = shuffle ? order.slice(nTest, nTest + nVal) : order.slice(n - nTest - nVal, n - nTest);
  const trainIdx = shuffle ? order.slice(nTest + nVal) : order.slice(0, n - nTest - nVal);
  const take = (idx: Int32Array) => gatherFlat(flat, indexArray(idx, n, fn)) as D;
  return { train: take(trainIdx), val: take(valIdx), test: take(testIdx), trainIdx, valIdx, testIdx };
}

/** One cross-validation fold: the training indices and the held-out validation indices. */
export type Fold = readonly [trainIdx: Int32Array, valIdx: Int32Array];

/** Options for {@link kFold}. */
export interface KFoldOptions {
  /** The key for shuffling (required when `shuffle` is true). */
  readonly key?: KeyLike | null;
  /** Permute the examples before cutting folds (default: `true` when a key is given). */
  readonly shuffle?: boolean;
}

/**
 * k-fold cross-validation over `n` examples: `k` pairs `[trainIdx, valIdx]`. The validation parts
 * partition 0..n-1 (every example is validated on exactly once); each fold trains on the other
 * k-1 parts. Fold sizes differ by at most one (the first `n % k` folds get the extra example).
 * Errors: `k < 2`, `k > n`.
 *
 * @example kFold(5, 2).map(([trainIdx, valIdx]) => [...valIdx]) // [[0, 1, 2], [3, 4]]
 */
export function kFold(n: number, k: number, opts: KFoldOptions = {}): Fold[] {
  const fn = "kFold";
  checkOptions(fn, opts, optionKeys<KFoldOptions>()("key", "shuffle"));
  checkCount(fn, "n", n, 1);
  if (typeof k !== "number" || !Number.isInteger(k))
    throw new RangeError(`${fn}: k must be an integer, got ${String(k)}`);
  if (k < 2)
    throw new RangeError(`${fn}: k must be at least 2 (one fold to validate on, the rest to train on), got ${k}`);
  if (k > n) throw new RangeError(`${fn}: k = ${k} folds is more than the ${n} examples; use k <= ${n}`);
  const shuffle = opts.shuffle ?? (opts.key !== undefined && opts.key !== null);
  const order = orderFor(fn, opts.key, n, shuffle);
  const base = Math.floor(n / k);
  const extra = n % k;
  const folds: Fold[] = [];
  // Fold i validates on order[start, stop): the first n % k folds have one example more.
  let start = 0;
  for (let i = 0; i < k; i++) {
    const stop = start + base + (i < extra ? 1 : 0);
    const val = order.slice(start, stop);
    const train = new Int32Array(n - val.length);
    train.set(order.subarray(0, start), 0);
    train.set(order.subarray(stop), start);
    folds.push(Object.freeze([train, val] as const));
    start = stop;
  }
  return folds;
}
