import { describe, it, expect } from "vitest";
import type { np } from "../../src/index.js";
import * as random from "../../src/random/index.js";

const words = (k: np.Array): number[] => Array.from(k.dataSync(), Number);

describe("random.key seeds outside the 32-bit range", () => {
  it("random.key(2 ** 32) is an error, not a copy of random.key(0)", () => {
    expect(() => random.key(2 ** 32)).toThrow(RangeError);
    expect(() => random.key(2 ** 32)).toThrow(/outside the 32-bit range \[-2\^31, 2\^32\)/);
    expect(() => random.key(2 ** 32)).toThrow(/x64: true/);
  });

  it("rejects both ends, numbers and bigints alike", () => {
    for (const seed of [2 ** 32, 2 ** 40, -(2 ** 31) - 1, 2n ** 32n, -(2n ** 31n) - 1n])
      expect(() => random.key(seed), String(seed)).toThrow(/32-bit range/);
  });

  it("non-integers, NaN and infinities name the valid range", () => {
    for (const seed of [0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY])
      expect(() => random.key(seed), String(seed)).toThrow(/must be an integer in \[-2\^31, 2\^32\)/);
  });

  it("the edges of the range are accepted (negative seeds wrap, as in JAX)", () => {
    expect(words(random.key(2 ** 32 - 1))).toEqual([0, 4294967295]);
    expect(words(random.key(-(2 ** 31)))).toEqual([0, 2147483648]);
    expect(words(random.key(2n ** 32n - 1n))).toEqual([0, 4294967295]);
    expect(words(random.key(0))).toEqual([0, 0]);
  });

  it("with { x64: true } a 64-bit seed keeps its high word", () => {
    expect(words(random.key(2 ** 32, { x64: true }))).toEqual([1, 0]);
    expect(words(random.key(2 ** 32, { x64: true }))).not.toEqual(words(random.key(0, { x64: true })));
  });
});

describe("random.foldIn data", () => {
  const k = random.key(0);
  it("outside the 32-bit range, non-integers and NaN are errors naming the range", () => {
    for (const d of [2 ** 32, -(2 ** 31) - 1, 0.5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => random.foldIn(k, d), String(d)).toThrow(/32-bit integer \(in \[-2\^31, 2\^32\)\)/);
  });
  it("the edges are accepted and -1 wraps to 2^32 - 1", () => {
    expect(words(random.foldIn(k, -1))).toEqual(words(random.foldIn(k, 2 ** 32 - 1)));
    expect(() => random.foldIn(k, -(2 ** 31))).not.toThrow();
  });
});
