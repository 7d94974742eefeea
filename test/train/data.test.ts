import { describe, it, expect } from "vitest";
import { np } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import {
  batches,
  epochs,
  kFold,
  numExamples,
  takeRows,
  trainTestSplit,
  trainValTestSplit,
} from "../../src/train/index.js";

type Array = np.Array;
const nums = (x: Array): number[] => Array.from(x.dataSync(), Number);
const sorted = (v: readonly number[]): number[] => [...v].sort((a, b) => a - b);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/** x[i] = [i, i + 0.5, -i] (float32[n, 3]), y[i] = 10 i (int32[n]): rows identify their example. */
function makeData(n: number): { x: Array; y: Array } {
  const x = np.array(range(n).map((i) => [i, i + 0.5, -i]));
  const y = np.array(
    range(n).map((i) => 10 * i),
    { dtype: "int32" },
  );
  return { x, y };
}

/** The example ids of a batch, checking that x and y rows stayed together. */
function ids(b: { x: Array; y: Array }): number[] {
  const rows = b.x.tolist() as number[][];
  const ys = nums(b.y);
  rows.forEach((r, i) => {
    expect(r).toEqual([r[0]!, r[0]! + 0.5, -r[0]!]);
    expect(ys[i]).toBe(10 * r[0]!);
  });
  return rows.map((r) => r[0]!);
}

describe("batches", () => {
  it("visits every example exactly once per epoch, in ceil(N/B) batches", () => {
    const data = makeData(10);
    const bt = batches(random.key(0), data, 3);
    expect(bt.length).toBe(4);
    expect(bt.numExamples).toBe(10);
    const all = bt.toArray();
    expect(all.map((b) => b.x.shape)).toEqual([
      [3, 3],
      [3, 3],
      [3, 3],
      [1, 3],
    ]);
    expect(all.map((b) => b.y.shape)).toEqual([[3], [3], [3], [1]]);
    expect(all.map((b) => b.y.dtype)).toEqual(["int32", "int32", "int32", "int32"]);
    const seen = all.flatMap(ids);
    expect(sorted(seen)).toEqual(range(10));
    expect(seen).not.toEqual(range(10)); // shuffled (10! orders; the identity is vanishingly unlikely)
    expect([0, 1, 2, 3].map((i) => bt.sizeOf(i))).toEqual([3, 3, 3, 1]);
    expect(bt.indices(0).dtype).toBe("int32");
    expect(nums(bt.indices(0))).toEqual(seen.slice(0, 3));
  });

  it("is iterable, indexable and deterministic given the key", () => {
    const data = makeData(12);
    const a = [...batches(7, data, 5)].flatMap(ids);
    const b = batches(random.key(7), data, 5);
    expect([0, 1, 2].flatMap((i) => ids(b.get(i)))).toEqual(a);
    expect(() => b.get(3)).toThrow(/out of range/);
    expect(() => b.get(-1)).toThrow(/out of range/);
  });

  it("gives different permutations for different keys", () => {
    const data = makeData(20);
    const orders = [0, 1, 2, 3].map((s) => JSON.stringify([...batches(s, data, 4)].flatMap(ids)));
    expect(new Set(orders).size).toBe(4);
  });

  it("dropLast drops the ragged batch; every batch is full and nothing repeats", () => {
    const data = makeData(10);
    const bt = batches(random.key(3), data, 4, { dropLast: true });
    expect(bt.length).toBe(2);
    const all = bt.toArray();
    expect(all.map((b) => b.x.shape[0])).toEqual([4, 4]);
    const seen = all.flatMap(ids);
    expect(new Set(seen).size).toBe(8);
    seen.forEach((i) => expect(i).toBeGreaterThanOrEqual(0));
    // A batch size that divides N drops nothing.
    expect(batches(1, makeData(8), 4, { dropLast: true }).toArray().flatMap(ids).length).toBe(8);
  });

  it("shuffle: false keeps the data order and needs no key", () => {
    const data = makeData(7);
    const bt = batches(null, data, 3, { shuffle: false });
    expect(bt.toArray().flatMap(ids)).toEqual(range(7));
    expect(bt.permutation).toBeNull();
  });

  it("works on nested pytrees and 1-D leaves; batch size N gives one batch", () => {
    const data = { inputs: [np.arange(6), np.ones([6, 2, 2])], label: np.arange(6).mul(2) };
    const all = [...batches(0, data, 6)];
    expect(all).toHaveLength(1);
    const [only] = all;
    if (only === undefined) throw new Error("batch size N gave no batch");
    expect(only.inputs[1]?.shape).toEqual([6, 2, 2]);
    const a = nums(only.inputs[0]!);
    expect(sorted(a)).toEqual(range(6));
    expect(nums(only.label)).toEqual(a.map((v) => 2 * v));
    expect(batches(0, data, 1).length).toBe(6);
  });

  it("rejects bad batch sizes, mismatched leading axes and non-array leaves with clear errors", () => {
    const data = makeData(5);
    expect(() => batches(0, data, 0)).toThrow(/batchSize must be an integer >= 1/);
    expect(() => batches(0, data, -2)).toThrow(/batchSize must be an integer >= 1/);
    expect(() => batches(0, data, 1.5)).toThrow(/batchSize must be an integer >= 1/);
    expect(() => batches(0, data, 6)).toThrow(/batch size 6 is larger than the data \(5 examples\)/);
    expect(() => batches(0, data, 6, { dropLast: true })).toThrow(/larger than the data/);
    expect(() => batches(0, { x: np.zeros([5, 2]), y: np.zeros([4]) }, 2)).toThrow(
      /leading axes differ: data\.x has 5 examples .* data\.y has 4/,
    );
    expect(() => batches(0, { x: np.zeros([5]), n: 3 }, 2)).toThrow(/data\.n is a number/);
    expect(() => batches(0, { x: np.zeros([5]), s: np.array(1) }, 2)).toThrow(/data\.s is a scalar/);
    expect(() => batches(0, {}, 2)).toThrow(/no arrays/);
    expect(() => batches(0, { x: np.zeros([0, 2]) }, 1)).toThrow(/empty/);
    expect(() => batches(null, data, 2)).toThrow(/needs a PRNG key/);
    expect(() => batches(1.5, data, 2)).toThrow(/seed must be an integer/);
  });
});

describe("epochs", () => {
  it("gives one permutation per epoch from split keys, each covering the data once", () => {
    const data = makeData(9);
    const eps = [...epochs(random.key(5), data, 4, 3)];
    expect(eps.length).toBe(3);
    const orders = eps.map((bt) => bt.toArray().flatMap(ids));
    for (const o of orders) expect(sorted(o)).toEqual(range(9));
    expect(new Set(orders.map((o) => JSON.stringify(o))).size).toBe(3);
    // Deterministic given the key.
    const again = [...epochs(random.key(5), data, 4, 3)].map((bt) => bt.toArray().flatMap(ids));
    expect(again).toEqual(orders);
    expect([...epochs(0, data, 4, 0)]).toEqual([]);
  });

  it("validates eagerly", () => {
    expect(() => epochs(0, makeData(3), 4, 2)).toThrow(/larger than the data/);
    expect(() => epochs(0, makeData(3), 1, -1)).toThrow(/numEpochs must be an integer >= 0/);
    expect(() => epochs(undefined, makeData(3), 1, 2)).toThrow(/needs a PRNG key/);
    expect(
      [...epochs(undefined, makeData(3), 2, 2, { shuffle: false })].map((bt) => bt.toArray().flatMap(ids)),
    ).toEqual([range(3), range(3)]);
  });
});

describe("takeRows and numExamples", () => {
  it("gathers the same rows from every leaf", () => {
    const data = makeData(6);
    const t = takeRows(data, [4, 0, -1]);
    expect(ids(t)).toEqual([4, 0, 5]);
    expect(ids(takeRows(data, new Int32Array([2, 2])))).toEqual([2, 2]);
    expect(ids(takeRows(data, np.array([1, 3], { dtype: "int32" })))).toEqual([1, 3]);
    expect(numExamples(data)).toBe(6);
  });

  it("rejects out-of-range indices and float index arrays", () => {
    const data = makeData(4);
    expect(() => takeRows(data, [0, 4])).toThrow(/index 4 at position 1 is out of range for 4 examples/);
    expect(() => takeRows(data, [0.5])).toThrow(/out of range/);
    expect(() => takeRows(data, np.array([0, 1]))).toThrow(/int32/);
    expect(() => numExamples({ a: np.zeros([2]), b: np.zeros([3]) })).toThrow(/leading axes differ/);
  });
});

describe("trainTestSplit", () => {
  it("splits into disjoint parts of the requested sizes that cover the data", () => {
    const data = makeData(10);
    const s = trainTestSplit(random.key(1), data, { testFraction: 0.2 });
    expect(s.train.x.shape).toEqual([8, 3]);
    expect(s.test.y.shape).toEqual([2]);
    const tr = ids(s.train);
    const te = ids(s.test);
    expect(sorted([...tr, ...te])).toEqual(range(10));
    expect([...s.trainIdx]).toEqual(tr);
    expect([...s.testIdx]).toEqual(te);
    // Deterministic by key; another key gives another split.
    expect(ids(trainTestSplit(random.key(1), data, { testFraction: 0.2 }).test)).toEqual(te);
    const others = [2, 3, 4, 5].map((k) => JSON.stringify(sorted(ids(trainTestSplit(k, data, { testSize: 5 }).test))));
    expect(new Set(others).size).toBeGreaterThan(1);
  });

  it("testSize, the 0.25 default, and rounding", () => {
    const data = makeData(10);
    expect(trainTestSplit(0, data, { testSize: 3 }).test.x.shape[0]).toBe(3);
    expect(trainTestSplit(0, data).test.x.shape[0]).toBe(3); // round(2.5) = 3
    expect(trainTestSplit(0, makeData(7), { testFraction: 0.3 }).test.x.shape[0]).toBe(2); // round(2.1)
  });

  it("shuffle: false holds out the last rows", () => {
    const s = trainTestSplit(null, makeData(5), { testSize: 2, shuffle: false });
    expect(ids(s.train)).toEqual([0, 1, 2]);
    expect(ids(s.test)).toEqual([3, 4]);
  });

  it("errors: both sizes, fractions outside (0, 1), empty parts, no key", () => {
    const data = makeData(10);
    expect(() => trainTestSplit(0, data, { testFraction: 0.2, testSize: 2 })).toThrow(
      /either testFraction or testSize/,
    );
    expect(() => trainTestSplit(0, data, { testFraction: 0 })).toThrow(/testFraction must be in \(0, 1\)/);
    expect(() => trainTestSplit(0, data, { testFraction: 1 })).toThrow(/testFraction must be in \(0, 1\)/);
    expect(() => trainTestSplit(0, data, { testFraction: 0.01 })).toThrow(/empty split/);
    expect(() => trainTestSplit(0, data, { testSize: 10 })).toThrow(/testSize must be an integer in \[1, 9\]/);
    expect(() => trainTestSplit(0, data, { testSize: 0 })).toThrow(/testSize/);
    expect(() => trainTestSplit(0, makeData(1))).toThrow(/at least 2 examples/);
    expect(() => trainTestSplit(null, data)).toThrow(/needs a PRNG key/);
  });
});

describe("trainValTestSplit", () => {
  it("makes three disjoint parts covering the data", () => {
    const s = trainValTestSplit(random.key(2), makeData(20), { valFraction: 0.2, testFraction: 0.1 });
    expect([s.train.x.shape[0], s.val.x.shape[0], s.test.x.shape[0]]).toEqual([14, 4, 2]);
    expect(sorted([...ids(s.train), ...ids(s.val), ...ids(s.test)])).toEqual(range(20));
    const o = trainValTestSplit(null, makeData(6), { valSize: 2, testSize: 1, shuffle: false });
    expect([ids(o.train), ids(o.val), ids(o.test)]).toEqual([[0, 1, 2], [3, 4], [5]]);
    expect(() => trainValTestSplit(0, makeData(4), { valSize: 2, testSize: 2 })).toThrow(/no training data/);
  });
});

describe("kFold", () => {
  const checkPartition = (n: number, k: number, folds: ReturnType<typeof kFold>) => {
    expect(folds.length).toBe(k);
    const vals = folds.flatMap(([, v]) => [...v]);
    expect(sorted(vals)).toEqual(range(n)); // every example validated exactly once
    for (const [tr, va] of folds) {
      expect(sorted([...tr, ...va])).toEqual(range(n)); // train is the complement
      expect(va.length === Math.floor(n / k) || va.length === Math.ceil(n / k)).toBe(true);
    }
  };

  it("partitions 0..n-1 into k validation folds (sizes differ by at most one)", () => {
    const folds = kFold(10, 3);
    checkPartition(10, 3, folds);
    expect(folds.map(([, v]) => [...v])).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect([...folds[1]![0]]).toEqual([0, 1, 2, 3, 7, 8, 9]);
    checkPartition(5, 5, kFold(5, 5)); // leave-one-out
  });

  it("shuffles with a key, deterministically", () => {
    const a = kFold(12, 4, { key: random.key(0) });
    checkPartition(12, 4, a);
    expect(a.map(([, v]) => [...v])).not.toEqual(kFold(12, 4).map(([, v]) => [...v]));
    expect(kFold(12, 4, { key: random.key(0) }).map(([, v]) => [...v])).toEqual(a.map(([, v]) => [...v]));
    expect(kFold(12, 4, { key: 0, shuffle: false }).map(([, v]) => [...v])).toEqual(
      kFold(12, 4).map(([, v]) => [...v]),
    );
  });

  it("errors: k < 2, k > n, non-integers, shuffle without a key", () => {
    expect(() => kFold(10, 1)).toThrow(/k must be at least 2/);
    expect(() => kFold(10, 0)).toThrow(/k must be at least 2/);
    expect(() => kFold(3, 4)).toThrow(/k = 4 folds is more than the 3 examples/);
    expect(() => kFold(10, 2.5)).toThrow(/k must be an integer/);
    expect(() => kFold(0, 2)).toThrow(/n must be an integer >= 1/);
    expect(() => kFold(10, 2, { shuffle: true })).toThrow(/needs a PRNG key/);
  });
});
