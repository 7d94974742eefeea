/**
 * Data handling for training loops: mini-batches over a pytree of arrays that share a leading
 * (example) axis, reshuffled every epoch, and `takeRows` to gather examples by index. The
 * train/test (and train/val/test) splits and k-fold cross-validation indices are in splits.ts.
 *
 * Shuffling follows the usual SGD recipe: each epoch draws a fresh permutation π of 0..N-1 and
 * sweeps it sequentially, batch i taking examples π[i·B .. (i+1)·B), so every example is seen exactly
 * once per epoch (⌈N/B⌉ steps, or ⌊N/B⌋ with `dropLast`). The permutation comes from a PRNG key;
 * use a different key per epoch (`epochs` splits one for you).
 *
 * With `balanceBy: labels` the batches are class-balanced instead (balanced.ts: stratified, each
 * class cycled through its own shuffled order; as many batches per epoch, all full).
 */
import { Array as NDArray } from "../core/array.js";
import * as np from "../numpy/index.js";
import { tree, type PyTreeDef } from "../tree/index.js";
import { permutationArray, splitKeys, type Key, type KeyLike } from "./keys.js";
import { checkOptions } from "../core/options.js";
import { optionKeys } from "../core/validate.js";
import { balancedOrder, classMembers, type ClassLabels } from "./balanced.js";

/** Row indices: a JS list, an `Int32Array` (or any array-like of integers), or an int32 graft array. */
export type Indices = NDArray | ArrayLike<number>;

/** A data pytree's leaves (arrays sharing a leading axis of length `n`) and structure. */
export interface Flat {
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
export function flattenData(data: unknown, fn: string): Flat {
  const [withPaths, def] = tree.flattenWithPath(data);
  if (withPaths.length === 0)
    throw new TypeError(
      `${fn}: the data has no arrays (expected a pytree of arrays sharing a leading axis, e.g. { x, y })`,
    );
  const leaves: NDArray[] = [];
  let first: { path: string; leaf: NDArray; n: number } | undefined;
  for (const [p, leaf] of withPaths) {
    const path = `data${p}`;
    if (!(leaf instanceof NDArray))
      throw new TypeError(
        `${fn}: every leaf of the data must be a graft array with a leading example axis; ${path} is a ${describeLeaf(leaf)}`,
      );
    const [m] = leaf.shape;
    if (m === undefined)
      throw new TypeError(`${fn}: ${path} is a scalar (shape []); every leaf needs a leading example axis`);
    if (first === undefined) first = { path, leaf, n: m };
    else if (m !== first.n)
      throw new RangeError(
        `${fn}: the leading axes differ: ${first.path} has ${first.n} examples (shape [${first.leaf.shape.join(", ")}]) but ${path} has ${m} (shape [${leaf.shape.join(", ")}])`,
      );
    leaves.push(leaf);
  }
  return { leaves, def, n: first?.n ?? -1 };
}

/**
 * The number of examples in `data` (its shared leading-axis length); throws if the leading axes differ.
 * @example numExamples({ x: np.zeros([10, 3]), y: np.zeros([10]) }) // 10
 */
export function numExamples(data: unknown): number {
  return flattenData(data, "numExamples").n;
}

export function checkCount(fn: string, name: string, v: number, min: number): void {
  if (typeof v !== "number" || !Number.isInteger(v) || v < min)
    throw new RangeError(`${fn}: ${name} must be an integer >= ${min}, got ${String(v)}`);
}

export function indexArray(idx: Indices, n: number, fn: string): NDArray {
  if (idx instanceof NDArray) {
    if (idx.ndim !== 1) throw new RangeError(`${fn}: indices must be 1-D, got shape [${idx.shape.join(", ")}]`);
    if (idx.dtype !== "int32" && idx.dtype !== "uint32")
      throw new TypeError(`${fn}: index arrays must be int32, got ${idx.dtype}`);
    return idx;
  }
  const out = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    const v = idx[i];
    if (v === undefined || !Number.isInteger(v) || v < -n || v >= n)
      throw new RangeError(`${fn}: index ${v} at position ${i} is out of range for ${n} examples`);
    out[i] = v < 0 ? v + n : v;
  }
  return np.array(out, { dtype: "int32" });
}

export function gatherFlat(flat: Flat, idx: NDArray): unknown {
  return tree.unflatten(
    flat.def,
    flat.leaves.map((leaf) => np.take(leaf, idx, 0, { mode: "clip" })), // indexArray checked the range
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
  /**
   * Class labels 0..C-1, one per example: draw class-balanced batches (each class ⌊B/C⌋ times per
   * batch, the B mod C extra slots rotating; minority classes repeated, majority ones subsampled).
   * Needs a key; read on the host (a list, typed array or CPU/wasm array).
   */
  readonly balanceBy?: ClassLabels;
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
    /**
     * The example order for this epoch, swept batch by batch: a permutation (int32[N]), the drawn
     * indices of a class-balanced epoch (int32[length·B], with repeats), or `null` when not shuffled.
     */
    readonly permutation: NDArray | null,
    dropLast: boolean,
  ) {
    this.total = permutation ? permutation.shape[0]! : flat.n;
    this.length = dropLast ? Math.floor(this.total / batchSize) : Math.ceil(this.total / batchSize);
  }

  /** The number of example slots swept in this epoch (N, or length·B for balanced batches). */
  private readonly total: number;

  /** The number of examples N in the data. */
  get numExamples(): number {
    return this.flat.n;
  }

  /** The number of examples in batch `i` (B, except possibly the last). */
  sizeOf(i: number): number {
    this.check(i);
    return Math.min(this.batchSize, this.total - i * this.batchSize);
  }

  /** The example indices of batch `i` (into the original data). */
  indices(i: number): NDArray {
    this.check(i);
    const start = i * this.batchSize;
    const stop = Math.min(start + this.batchSize, this.total);
    return this.permutation
      ? this.permutation.get(np.slice(start, stop))
      : np.arange(start, stop, 1, { dtype: "int32" });
  }

  /** Batch `i`: a pytree shaped like the data, with `sizeOf(i)` examples per leaf. */
  get(i: number): D {
    this.check(i);
    const start = i * this.batchSize;
    const stop = Math.min(start + this.batchSize, this.total);
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

const BATCH_OPTIONS = optionKeys<BatchOptions>()("shuffle", "dropLast", "balanceBy");

function makeBatches<D>(
  key: KeyLike | null | undefined,
  flat: Flat,
  batchSize: number,
  opts: BatchOptions,
  fn: string,
  members: readonly number[][] | null = null,
): Batches<D> {
  const shuffle = opts.shuffle ?? true;
  const dropLast = opts.dropLast ?? false;
  if (!shuffle) return new Batches<D>(flat, batchSize, null, dropLast);
  if (key === null || key === undefined)
    throw new TypeError(
      `${fn}: shuffling needs a PRNG key (random.key(seed)) or an integer seed; pass { shuffle: false } to keep the data order`,
    );
  if (members) {
    const numBatches = dropLast ? Math.floor(flat.n / batchSize) : Math.ceil(flat.n / batchSize);
    return new Batches<D>(flat, batchSize, balancedOrder(key, members, batchSize, numBatches, fn), dropLast);
  }
  return new Batches<D>(flat, batchSize, permutationArray(key, flat.n, fn), dropLast);
}

/** The class members for `balanceBy` (checked), or `null` without it; balancing draws, so it needs shuffling. */
export function balanceMembers(fn: string, opts: BatchOptions, n: number): number[][] | null {
  if (opts.balanceBy === undefined) return null;
  if (opts.shuffle === false)
    throw new TypeError(
      `${fn}: balanceBy draws class-balanced batches at random, which needs shuffling; drop shuffle: false (and pass a key)`,
    );
  return classMembers(fn, opts.balanceBy, n);
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
 * With `balanceBy: labels` (integer classes 0..C-1, one per example) the batches are class-balanced:
 * each holds ⌊B/C⌋ examples of every class plus rotating extras (see balanced.ts for the design).
 *
 * Errors: `batchSize` not an integer >= 1; `batchSize` larger than the data; leaves whose leading
 * axes differ; a leaf that is not an array or is a scalar; no key while shuffling; `balanceBy` with
 * a label count other than N, non-integer labels, a class id with no examples, or `shuffle: false`.
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
  checkOptions("batches", opts, BATCH_OPTIONS);
  const flat = checkBatchArgs("batches", data, batchSize);
  const members = balanceMembers("batches", opts, flat.n);
  return makeBatches<D>(key, flat, batchSize, opts, "batches", members);
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
  checkOptions("epochs", opts, BATCH_OPTIONS);
  const flat = checkBatchArgs("epochs", data, batchSize);
  checkCount("epochs", "numEpochs", numEpochs, 0);
  const members = balanceMembers("epochs", opts, flat.n);
  let keys: Key[] | null = null;
  if (opts.shuffle ?? true) {
    if (key === null || key === undefined)
      throw new TypeError(
        "epochs: shuffling needs a PRNG key (random.key(seed)) or an integer seed; pass { shuffle: false } to keep the data order",
      );
    keys = splitKeys(key, numEpochs, "epochs");
  }
  const epochKeys = keys;
  return {
    *[Symbol.iterator]() {
      if (epochKeys) for (const k of epochKeys) yield makeBatches<D>(k, flat, batchSize, opts, "epochs", members);
      else for (let e = 0; e < numEpochs; e++) yield makeBatches<D>(null, flat, batchSize, opts, "epochs");
    },
  };
}
