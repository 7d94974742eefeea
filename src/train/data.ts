/**
 * Data handling for training loops: mini-batches over a pytree of arrays that share a leading
 * (example) axis, reshuffled every epoch; train/test (and train/val/test) splits; k-fold
 * cross-validation indices; and `takeRows` to gather examples by index.
 *
 * Shuffling follows the usual SGD recipe: each epoch draws a fresh permutation π of 0..N-1 and
 * sweeps it sequentially, batch i taking examples π[i·B .. (i+1)·B), so every example is seen exactly
 * once per epoch (⌈N/B⌉ steps, or ⌊N/B⌋ with `dropLast`). The permutation comes from a PRNG key;
 * use a different key per epoch (`epochs` splits one for you).
 */
import { Array as NDArray } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree, type PyTreeDef } from "../tree/index.js";
import { permutationArray, permutationHost, splitKeys, type KeyLike } from "./keys.js";

/** Row indices: a JS list, an `Int32Array` (or any array-like of integers), or an int32 graft array. */
export type Indices = NDArray | ArrayLike<number>;

interface Flat {
  leaves: NDArray[];
  def: PyTreeDef;
  n: number;
}

function describeLeaf(x: unknown): string {
  if (x instanceof NDArray) return `array of shape [${x.shape.join(", ")}]`;
  if (x === null) return "null";
  if (globalThis.Array.isArray(x)) return "list";
  return typeof x;
}

/** Flattens `data` and checks that every leaf is an array with the same leading (example) axis. */
function flattenData(data: unknown, fn: string): Flat {
  const [withPaths, def] = tree.flattenWithPath(data);
  if (withPaths.length === 0)
    throw new TypeError(
      `${fn}: the data has no arrays (expected a pytree of arrays sharing a leading axis, e.g. { x, y })`,
    );
  const rawLeaves = withPaths.map(([, leaf]) => leaf);
  const paths = withPaths.map(([p]) => `data${p}`);
  const leaves: NDArray[] = [];
  let n = -1;
  let firstPath = "";
  rawLeaves.forEach((leaf, i) => {
    if (!(leaf instanceof NDArray))
      throw new TypeError(
        `${fn}: every leaf of the data must be a graft array with a leading example axis; ${paths[i]} is a ${describeLeaf(leaf)}`,
      );
    if (leaf.ndim === 0)
      throw new TypeError(`${fn}: ${paths[i]} is a scalar (shape []); every leaf needs a leading example axis`);
    const m = leaf.shape[0]!;
    if (n < 0) {
      n = m;
      firstPath = paths[i]!;
    } else if (m !== n) {
      throw new RangeError(
        `${fn}: the leading axes differ: ${firstPath} has ${n} examples (shape [${leaves[0]!.shape.join(", ")}]) but ${paths[i]} has ${m} (shape [${leaf.shape.join(", ")}])`,
      );
    }
    leaves.push(leaf);
  });
  return { leaves, def, n };
}

/** The number of examples in `data` (its shared leading-axis length); throws if the leading axes differ. */
export function numExamples(data: unknown): number {
  return flattenData(data, "numExamples").n;
}

function checkCount(fn: string, name: string, v: number, min: number): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    throw new RangeError(`${fn}: ${name} must be an integer >= ${min}, got ${String(v)}`);
}

function indexArray(idx: Indices, n: number, fn: string): NDArray {
  if (idx instanceof NDArray) {
    if (idx.ndim !== 1) throw new RangeError(`${fn}: indices must be 1-D, got shape [${idx.shape.join(", ")}]`);
    if (idx.dtype !== "int32" && idx.dtype !== "uint32")
      throw new TypeError(`${fn}: index arrays must be int32, got ${idx.dtype}`);
    return idx;
  }
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i]!;
    if (!Number.isInteger(v) || v < -n || v >= n)
      throw new RangeError(`${fn}: index ${v} at position ${i} is out of range for ${n} examples`);
    out[i] = v < 0 ? v + n : v;
  }
  return np.array(out, { dtype: "int32" });
}

function gatherFlat(flat: Flat, idx: NDArray): unknown {
  return tree.unflatten(
    flat.def,
    flat.leaves.map((leaf) => np.take(leaf, idx, 0)),
  );
}

/**
 * The examples `idx` of every leaf of `data` (rows along the leading axis), as a pytree of the
 * same structure.
 *
 * @example
 * const { x, y } = takeRows({ x, y }, [0, 2, 5]); // x.shape[0] === 3
 */
export function takeRows<D>(data: D, idx: Indices): D {
  const flat = flattenData(data, "takeRows");
  return gatherFlat(flat, indexArray(idx, flat.n, "takeRows")) as D;
}

/** Options for {@link batches} and {@link epochs}. */
export interface BatchOptions {
  /** Draw a fresh permutation from the key (default `true`); `false` keeps the data order. */
  readonly shuffle?: boolean;
  /** Drop the last, smaller batch when the batch size does not divide the data (default `false`). */
  readonly dropLast?: boolean;
}

/**
 * One epoch of mini-batches: iterable (`for (const b of batches)`), indexable (`get(i)`) and with a
 * `length`. Batches are gathered lazily, one at a time.
 */
export class Batches<D> implements Iterable<D> {
  /** The number of batches: ⌈N/B⌉, or ⌊N/B⌋ with `dropLast`. */
  readonly length: number;

  /** @internal */
  constructor(
    private readonly flat: Flat,
    /** The batch size B. */
    readonly batchSize: number,
    /** The permutation of the examples for this epoch (int32[N]), or `null` when not shuffled. */
    readonly permutation: NDArray | null,
    dropLast: boolean,
  ) {
    this.length = dropLast ? Math.floor(flat.n / batchSize) : Math.ceil(flat.n / batchSize);
  }

  /** The number of examples N in the data. */
  get numExamples(): number {
    return this.flat.n;
  }

  /** The number of examples in batch `i` (B, except possibly the last). */
  sizeOf(i: number): number {
    this.check(i);
    return Math.min(this.batchSize, this.flat.n - i * this.batchSize);
  }

  /** The example indices of batch `i` (into the original data). */
  indices(i: number): NDArray {
    this.check(i);
    const start = i * this.batchSize;
    const stop = Math.min(start + this.batchSize, this.flat.n);
    return this.permutation
      ? this.permutation.get(np.slice(start, stop))
      : np.arange(start, stop, 1, { dtype: "int32" });
  }

  /** Batch `i`: a pytree shaped like the data, with `sizeOf(i)` examples per leaf. */
  get(i: number): D {
    this.check(i);
    const start = i * this.batchSize;
    const stop = Math.min(start + this.batchSize, this.flat.n);
    if (this.permutation) return gatherFlat(this.flat, this.permutation.get(np.slice(start, stop))) as D;
    return tree.unflatten(
      this.flat.def,
      this.flat.leaves.map((leaf) => leaf.get(np.slice(start, stop))),
    );
  }

  /** All batches as a list (gathers them all at once). */
  toArray(): D[] {
    return globalThis.Array.from(this);
  }

  *[Symbol.iterator](): Iterator<D> {
    for (let i = 0; i < this.length; i++) yield this.get(i);
  }

  private check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length)
      throw new RangeError(`Batches: batch index ${i} is out of range (${this.length} batches)`);
  }
}

function makeBatches<D>(
  key: KeyLike | null | undefined,
  flat: Flat,
  batchSize: number,
  opts: BatchOptions,
  fn: string,
): Batches<D> {
  const shuffle = opts.shuffle ?? true;
  if (!shuffle) return new Batches<D>(flat, batchSize, null, opts.dropLast ?? false);
  if (key === null || key === undefined)
    throw new TypeError(
      `${fn}: shuffling needs a PRNG key (random.key(seed)) or an integer seed; pass { shuffle: false } to keep the data order`,
    );
  return new Batches<D>(flat, batchSize, permutationArray(key, flat.n, fn), opts.dropLast ?? false);
}

function checkBatchArgs(fn: string, data: unknown, batchSize: number): Flat {
  checkCount(fn, "batchSize", batchSize, 1);
  const flat = flattenData(data, fn);
  if (flat.n === 0) throw new RangeError(`${fn}: the data is empty (0 examples)`);
  if (batchSize > flat.n)
    throw new RangeError(
      `${fn}: batch size ${batchSize} is larger than the data (${flat.n} examples); use a batch size <= ${flat.n}`,
    );
  return flat;
}

/**
 * The mini-batches of one epoch over `data`, a pytree of arrays sharing a leading axis (e.g.
 * `{ x, y }`). With `shuffle` (the default) the examples are permuted by `random.permutation(key, N)`
 * and swept in order, so every example appears exactly once per epoch. Pass a different key per
 * epoch (split it, or use {@link epochs}) to get a new order each epoch.
 *
 * Errors: `batchSize` not an integer >= 1; `batchSize` larger than the data; leaves whose leading
 * axes differ; a leaf that is not an array or is a scalar; no key while shuffling.
 *
 * @example
 * for (const { x, y } of batches(random.key(0), { x, y }, 32)) { ... }
 */
export function batches<D>(
  key: KeyLike | null | undefined,
  data: D,
  batchSize: number,
  opts: BatchOptions = {},
): Batches<D> {
  const flat = checkBatchArgs("batches", data, batchSize);
  return makeBatches<D>(key, flat, batchSize, opts, "batches");
}

/**
 * `numEpochs` epochs of mini-batches: `random.split(key, numEpochs)` gives one key per epoch, so
 * each epoch has its own permutation. Yields one {@link Batches} per epoch (lazily).
 *
 * @example
 * for (const epoch of epochs(random.key(0), { x, y }, 32, 10)) for (const batch of epoch) step(batch);
 */
export function epochs<D>(
  key: KeyLike | null | undefined,
  data: D,
  batchSize: number,
  numEpochs: number,
  opts: BatchOptions = {},
): Iterable<Batches<D>> {
  const flat = checkBatchArgs("epochs", data, batchSize);
  checkCount("epochs", "numEpochs", numEpochs, 0);
  const shuffle = opts.shuffle ?? true;
  if (shuffle && (key === null || key === undefined))
    throw new TypeError(
      "epochs: shuffling needs a PRNG key (random.key(seed)) or an integer seed; pass { shuffle: false } to keep the data order",
    );
  const keys = shuffle ? splitKeys(key!, numEpochs, "epochs") : null;
  return {
    *[Symbol.iterator]() {
      for (let e = 0; e < numEpochs; e++) yield makeBatches<D>(keys ? keys[e]! : null, flat, batchSize, opts, "epochs");
    },
  };
}

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
 */
export function trainTestSplit<D>(
  key: KeyLike | null | undefined,
  data: D,
  opts: SplitOptions = {},
): TrainTestSplit<D> {
  const fn = "trainTestSplit";
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
 */
export function trainValTestSplit<D>(
  key: KeyLike | null | undefined,
  data: D,
  opts: ThreeWaySplitOptions = {},
): TrainValTestSplit<D> {
  const fn = "trainValTestSplit";
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
 */
export function kFold(n: number, k: number, opts: KFoldOptions = {}): Fold[] {
  const fn = "kFold";
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
  const bounds: number[] = [0];
  for (let i = 0; i < k; i++) bounds.push(bounds[i]! + base + (i < extra ? 1 : 0));
  const folds: Fold[] = [];
  for (let i = 0; i < k; i++) {
    const val = order.slice(bounds[i]!, bounds[i + 1]!);
    const train = new Int32Array(n - val.length);
    train.set(order.subarray(0, bounds[i]!), 0);
    train.set(order.subarray(bounds[i + 1]!), bounds[i]!);
    folds.push(Object.freeze([train, val] as const));
  }
  return folds;
}
