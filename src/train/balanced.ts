/**
 * Class-balanced mini-batch order (the `balanceBy` option of `batches`, `epochs` and `fit`).
 *
 * Design: stratified batches, each class cycled through its own shuffled order.
 * - Every batch holds ⌊B/C⌋ examples of each of the C classes; the B mod C remaining slots go to
 *   classes in a per-epoch random rotation, so over an epoch the class counts differ by at most one
 *   (and every batch by at most one). Stratifying, rather than drawing each slot's class at random,
 *   removes the batch-to-batch noise in the class mix, which is what balancing is for.
 * - Within a class, examples are taken from a fresh random permutation of its members, and a new
 *   permutation starts when one runs out: a minority class is oversampled (repeated) but never
 *   repeats an example before all of its examples were used; a majority class is undersampled, a
 *   different random subset each epoch.
 * - An epoch has as many batches as an unbalanced one (⌈N/B⌉, or ⌊N/B⌋ with `dropLast`), all full,
 *   so `epochs` and `fit`'s step counts keep their meaning.
 *
 * Labels are read on the host (a JS list, a typed array, or a CPU/wasm array; read a WebGPU array
 * first with `await labels.data()`).
 */
import { Array as NDArray } from "../core/array.js";
import * as np from "../numpy/index.js";
import { permutationHost, splitKeys, uniformHost, type KeyLike } from "./keys.js";

/** Per-example class labels: integers 0..C-1, one per example. */
export type ClassLabels = NDArray | ArrayLike<number>;

/** The example indices of each class 0..C-1, checked: one label per example, no class empty. */
export function classMembers(fn: string, labels: ClassLabels, n: number): number[][] {
  if (labels instanceof NDArray && labels.ndim !== 1)
    throw new RangeError(`${fn}: balanceBy must be a 1-D list of class labels, got shape [${labels.shape.join(", ")}]`);
  const values = labels instanceof NDArray ? (labels.dataSync() as ArrayLike<number>) : labels;
  if (values === null || typeof values !== "object" || typeof values.length !== "number")
    throw new TypeError(`${fn}: balanceBy must be a list, typed array or 1-D array of integer class labels`);
  if (values.length !== n)
    throw new RangeError(
      `${fn}: balanceBy has ${values.length} labels but the data has ${n} examples; pass one class label per example`,
    );
  const members: number[][] = [];
  for (let i = 0; i < n; i++) {
    const c = Number(values[i]);
    if (!Number.isInteger(c) || c < 0 || c > 1e7)
      throw new RangeError(
        `${fn}: balanceBy labels must be integer class ids 0..C-1, got ${String(values[i])} at position ${i}`,
      );
    while (members.length <= c) members.push([]);
    members[c]!.push(i);
  }
  const empty = members.findIndex((m) => m.length === 0);
  if (empty >= 0)
    throw new RangeError(
      `${fn}: balanceBy: class ${empty} has no examples (labels run 0..${members.length - 1}), so batches cannot draw it; relabel the classes present as 0..C-1`,
    );
  return members;
}

/** How many slots of a batch each class gets: ⌊B/C⌋ each, plus the rotating extras. */
function slotsPerClass(numClasses: number, batchSize: number, numBatches: number, rotation: Int32Array): number[][] {
  const base = Math.floor(batchSize / numClasses);
  const extra = batchSize % numClasses;
  const out: number[][] = [];
  for (let b = 0; b < numBatches; b++) {
    const counts = new globalThis.Array<number>(numClasses).fill(base);
    for (let j = 0; j < extra; j++) counts[rotation[(b * extra + j) % numClasses]!]!++;
    out.push(counts);
  }
  return out;
}

/**
 * The example indices of one balanced epoch, batch after batch (int32[numBatches·B]).
 * One key split in two: the class rotation, and the uniforms whose per-class argsorts are the permutations.
 */
export function balancedOrder(
  key: KeyLike,
  members: readonly number[][],
  batchSize: number,
  numBatches: number,
  fn: string,
): NDArray {
  const numClasses = members.length;
  const [rotationKey, drawKey] = splitKeys(key, 2, fn) as [KeyLike, KeyLike];
  const counts = slotsPerClass(numClasses, batchSize, numBatches, permutationHost(rotationKey, numClasses, fn));
  const needed = members.map((_, c) => counts.reduce((s, row) => s + row[c]!, 0));
  // Whole passes over each class: enough permutations to cover its draws, all from one uniform draw.
  const passes = members.map((m, c) => Math.ceil(needed[c]! / m.length));
  const total = members.reduce((s, m, c) => s + m.length * passes[c]!, 0);
  const u = uniformHost(drawKey, total, fn);
  const streams: number[][] = [];
  let offset = 0;
  members.forEach((m, c) => {
    const stream: number[] = [];
    for (let p = 0; p < passes[c]!; p++, offset += m.length) {
      const order = m.map((_, i) => i).sort((a, b) => u[offset + a]! - u[offset + b]! || a - b);
      for (const i of order) stream.push(m[i]!);
    }
    streams.push(stream);
  });
  const out = new Int32Array(numBatches * batchSize);
  const next = new globalThis.Array<number>(numClasses).fill(0);
  let pos = 0;
  for (const row of counts)
    row.forEach((k, c) => {
      for (let j = 0; j < k; j++) out[pos++] = streams[c]![next[c]!++]!;
    });
  return np.array(out, { dtype: "int32" });
}
