/**
 * Mini-batching loses and repeats nothing: for random N, batch sizes, keys and dropLast, the union
 * of one epoch's batches is a permutation of 0..N-1 (or, with dropLast, ⌊N/B⌋·B distinct examples
 * in full batches); rows of different leaves stay together. k-fold validation parts partition
 * 0..N-1, and train/test splits partition the data with the requested sizes.
 */
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { np } from "../src/index.js";
import * as random from "../src/random/index.js";
import { batches, kFold, trainTestSplit } from "../src/train/index.js";
import { assertProperty } from "./seed.js";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const sorted = (v: readonly number[]): number[] => [...v].sort((a, b) => a - b);
const nums = (x: np.Array): number[] => Array.from(x.dataSync(), Number);

/** N in [1, 40], a batch size in [1, N], a seed, dropLast. */
const arbSetup = fc
  .integer({ min: 1, max: 40 })
  .chain((n) =>
    fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.boolean()),
  );

describe("batches: every example exactly once per epoch", () => {
  it("the union of the batches is a permutation of 0..N-1 (nothing lost or repeated)", () => {
    assertProperty(
      fc.property(arbSetup, ([n, bs, seed, dropLast]) => {
        const data = {
          id: np.arange(n, undefined, undefined, { dtype: "int32" }),
          twice: np.arange(n).mul(2).reshape([n, 1]),
        };
        const bt = batches(random.key(seed), data, bs, { dropLast });
        const all = bt.toArray();
        const ids = all.flatMap((b) => {
          const id = nums(b.id);
          expect(nums(b.twice)).toEqual(id.map((i) => 2 * i)); // leaves stay aligned
          return id;
        });
        if (dropLast) {
          expect(all.length).toBe(Math.floor(n / bs));
          expect(all.every((b) => b.id.shape[0] === bs)).toBe(true);
          expect(new Set(ids).size).toBe(ids.length);
          expect(ids.length).toBe(Math.floor(n / bs) * bs);
          for (const i of ids) expect(i >= 0 && i < n).toBe(true);
        } else {
          expect(all.length).toBe(Math.ceil(n / bs));
          expect(all.slice(0, -1).every((b) => b.id.shape[0] === bs)).toBe(true);
          expect(sorted(ids)).toEqual(range(n));
        }
      }),
      25,
    );
  });

  it("k-fold validation parts partition 0..N-1 and each train part is the complement", () => {
    const arb = fc
      .integer({ min: 2, max: 40 })
      .chain((n) =>
        fc.tuple(
          fc.constant(n),
          fc.integer({ min: 2, max: n }),
          fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }),
        ),
      );
    assertProperty(
      fc.property(arb, ([n, k, seed]) => {
        const folds = kFold(n, k, seed === undefined ? {} : { key: random.key(seed) });
        expect(folds.length).toBe(k);
        expect(sorted(folds.flatMap(([, v]) => [...v]))).toEqual(range(n));
        for (const [tr, va] of folds) {
          expect(sorted([...tr, ...va])).toEqual(range(n));
          expect(Math.abs(va.length - n / k)).toBeLessThan(1);
        }
      }),
      25,
    );
  });

  it("train/test splits partition the data with the requested test size", () => {
    const arb = fc
      .integer({ min: 2, max: 40 })
      .chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 1, max: n - 1 }), fc.integer({ min: 0, max: 1000 })));
    assertProperty(
      fc.property(arb, ([n, m, seed]) => {
        const s = trainTestSplit(seed, { id: np.arange(n, undefined, undefined, { dtype: "int32" }) }, { testSize: m });
        expect(s.test.id.shape).toEqual([m]);
        expect(s.train.id.shape).toEqual([n - m]);
        expect(sorted([...nums(s.train.id), ...nums(s.test.id)])).toEqual(range(n));
      }),
      15,
    );
  });
});
