/**
 * Class-balanced mini-batches (`balanceBy`): per-batch and per-epoch class counts follow the design
 * in src/train/balanced.ts (⌊B/C⌋ per class per batch plus rotating extras; a class never repeats
 * an example before using all of its examples), determinism by key, and errors.
 */
import { describe, expect, it } from "vitest";
import { np } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import { batches, epochs, fit, type Batches } from "../../src/train/index.js";

type Array = np.Array;
const nums = (x: Array): number[] => Array.from(x.dataSync(), Number);

// 20 examples: class 0 has 14, class 1 has 4, class 2 has 2 (imbalanced 7 : 2 : 1).
const labels = [0, 0, 1, 0, 0, 0, 2, 0, 1, 0, 0, 0, 1, 0, 0, 2, 0, 0, 1, 0];
const x = np.arange(20, { dtype: "float32" });
const y = np.array(labels, { dtype: "int32" });

const classCounts = (idx: number[], numClasses = 3): number[] => {
  const c = new Array<number>(numClasses).fill(0);
  for (const i of idx) c[labels[i]!]!++;
  return c;
};
const allIndices = (bt: Batches<unknown>): number[][] =>
  Array.from({ length: bt.length }, (_, i) => nums(bt.indices(i)));

describe("batches with balanceBy", () => {
  it("B divisible by C: every batch holds B/C examples of each class; N/B full batches", () => {
    const bt = batches(random.key(1), { x, y }, 6, { balanceBy: labels });
    expect(bt.length).toBe(4); // ⌈20/6⌉, like an unbalanced epoch, but all full
    for (let i = 0; i < bt.length; i++) {
      expect(bt.sizeOf(i)).toBe(6);
      const b = bt.get(i);
      expect(b.x.shape).toEqual([6]);
      // The gathered rows are the indexed examples (x[i] = i), and their labels match y.
      expect(nums(b.x)).toEqual(nums(bt.indices(i)));
      expect(nums(b.y)).toEqual(nums(bt.indices(i)).map((j) => labels[j]!));
      expect(classCounts(nums(bt.indices(i)))).toEqual([2, 2, 2]);
    }
  });

  it("B not divisible by C: ⌊B/C⌋ or ⌈B/C⌉ per batch, and per-epoch counts differ by at most 1", () => {
    const bt = batches(random.key(2), { x, y }, 4, { balanceBy: y });
    expect(bt.length).toBe(5);
    const epochCounts = [0, 0, 0];
    for (const idx of allIndices(bt)) {
      const c = classCounts(idx);
      expect(c.every((k) => k === 1 || k === 2)).toBe(true);
      expect(c.reduce((a, b) => a + b)).toBe(4);
      c.forEach((k, j) => (epochCounts[j]! += k));
    }
    // 5 batches × 1 extra slot = 5 extras over 3 classes: counts 5+{1,2}: [7, 7, 6] in some order.
    expect(epochCounts.reduce((a, b) => a + b)).toBe(20);
    expect(Math.max(...epochCounts) - Math.min(...epochCounts)).toBeLessThanOrEqual(1);
  });

  it("a minority class repeats no example before all its examples were drawn; majority classes draw without repeats", () => {
    const bt = batches(random.key(3), { x, y }, 6, { balanceBy: labels, dropLast: true });
    const drawn = allIndices(bt).flat();
    const ofClass = (c: number) => drawn.filter((i) => labels[i] === c);
    // Class 2 (2 examples) is drawn 6 times: each consecutive pair of draws covers both examples.
    const c2 = ofClass(2);
    expect(c2.length).toBe(6);
    for (let p = 0; p < 6; p += 2) expect(new Set(c2.slice(p, p + 2)).size).toBe(2);
    // Class 1 (4 examples) drawn 6 times: the first 4 are all distinct.
    expect(new Set(ofClass(1).slice(0, 4)).size).toBe(4);
    // Class 0 (14 examples) drawn 6 times: no repeats at all.
    expect(new Set(ofClass(0)).size).toBe(6);
  });

  it("balances over many epochs: each class is drawn equally often, every example of a class about equally", () => {
    const perExample = new Array<number>(20).fill(0);
    for (const bt of epochs(random.key(4), { x, y }, 6, 50, { balanceBy: labels }))
      for (const idx of allIndices(bt)) for (const i of idx) perExample[i]!++;
    const perClass = classCounts([]).map((_, c) =>
      perExample.filter((_, i) => labels[i] === c).reduce((a, b) => a + b),
    );
    expect(perClass).toEqual([400, 400, 400]); // 50 epochs × 4 batches × 2 per class
    // Whole passes within a class: per epoch, class 2 is drawn 8 times = 4 passes over its 2 examples
    // (4 each), class 1 8 times = 2 passes over its 4 (2 each); over 50 epochs 200 and 100 exactly.
    expect([perExample[6], perExample[15]]).toEqual([200, 200]);
    for (const i of [2, 8, 12, 18]) expect(perExample[i]).toBe(100);
  });

  it("is deterministic by key and differs between keys", () => {
    const a = allIndices(batches(random.key(7), { x, y }, 5, { balanceBy: labels }));
    const b = allIndices(batches(random.key(7), { x, y }, 5, { balanceBy: labels }));
    const c = allIndices(batches(random.key(8), { x, y }, 5, { balanceBy: labels }));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    // An integer seed is random.key(seed).
    expect(allIndices(batches(7, { x, y }, 5, { balanceBy: labels }))).toEqual(a);
  });

  it("errors: label count, bad labels, an empty class, shuffle: false, no key", () => {
    expect(() => batches(0, { x, y }, 4, { balanceBy: labels.slice(1) })).toThrow(
      /batches: balanceBy has 19 labels but the data has 20 examples/,
    );
    expect(() => batches(0, { x, y }, 4, { balanceBy: labels.map((l) => l + 0.5) })).toThrow(
      /batches: balanceBy labels must be integer class ids 0..C-1, got 0.5 at position 0/,
    );
    expect(() => batches(0, { x, y }, 4, { balanceBy: labels.map((l) => (l === 1 ? 3 : l)) })).toThrow(
      /batches: balanceBy: class 1 has no examples \(labels run 0..3\)/,
    );
    expect(() => batches(0, { x, y }, 4, { balanceBy: np.zeros([20, 1]) })).toThrow(/1-D list of class labels/);
    expect(() => batches(0, { x, y }, 4, { balanceBy: labels, shuffle: false })).toThrow(
      /batches: balanceBy draws class-balanced batches at random, which needs shuffling/,
    );
    expect(() => batches(null, { x, y }, 4, { balanceBy: labels })).toThrow(/shuffling needs a PRNG key/);
    expect(() => epochs(0, { x, y }, 4, 2, { balanceBy: [1] })).toThrow(/epochs: balanceBy has 1 labels/);
  });
});

describe("fit with balanceBy", () => {
  it("each step sees a balanced batch, reproducibly by key", () => {
    const seen = (key: number): number[][] => {
      const steps: number[][] = [];
      fit({
        params: 0,
        optState: 0,
        step: (p: number, s: number, b: { x: Array; y: Array }) => {
          steps.push(nums(b.y));
          return [p, s, {}];
        },
        data: { x, y },
        batchSize: 6,
        epochs: 2,
        key,
        balanceBy: labels,
        log: false,
      });
      return steps;
    };
    const a = seen(5);
    expect(a.length).toBe(8);
    for (const ys of a) expect([0, 1, 2].map((c) => ys.filter((v) => v === c).length)).toEqual([2, 2, 2]);
    expect(seen(5)).toEqual(a);
  });

  it("checks the labels up front", () => {
    const step = (p: number, s: number): [number, number, Record<string, never>] => [p, s, {}];
    expect(() =>
      fit({
        params: 0,
        optState: 0,
        step,
        data: { x, y },
        batchSize: 4,
        epochs: 1,
        key: 0,
        balanceBy: [0, 1],
        log: false,
      }),
    ).toThrow(/fit: balanceBy has 2 labels but the data has 20 examples/);
  });
});
