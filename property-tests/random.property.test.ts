/**
 * graft/random over random seeds: threefry against a plain-JS reference, key-derivation identities,
 * and sample statistics (n = 20000) within about 5 standard errors of the exact values.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { np, random, vmap, type Array } from "../src/index.js";
import { erf } from "../backends/cpu/kernels/elementwise.js";
import { assertProperty } from "./seed.js";

const N = 20000;
const flat = (x: Array): number[] => globalThis.Array.from(x.dataSync() as ArrayLike<number>);
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const variance = (xs: readonly number[]) => {
  const m = mean(xs);
  return xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
};
const arbSeed = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
const arbKey = arbSeed.map((s) => random.key(s));

/** Threefry-2x32 (20 rounds) on JS numbers, written from the Random123 specification. */
function threefryRef(k0: number, k1: number, x0: number, x1: number): [number, number] {
  const rotl = (x: number, r: number) => ((x << r) | (x >>> (32 - r))) >>> 0;
  const ks = [k0 >>> 0, k1 >>> 0, (k0 ^ k1 ^ 0x1bd11bda) >>> 0];
  const R = [
    [13, 15, 26, 6],
    [17, 29, 16, 24],
  ];
  let a = (x0 + ks[0]!) >>> 0;
  let b = (x1 + ks[1]!) >>> 0;
  for (let i = 0; i < 5; i++) {
    for (const r of R[i % 2]!) {
      a = (a + b) >>> 0;
      b = (rotl(b, r) ^ a) >>> 0;
    }
    a = (a + ks[(i + 1) % 3]!) >>> 0;
    b = (b + ks[(i + 2) % 3]! + i + 1) >>> 0;
  }
  return [a, b];
}

describe("threefry and key derivation", () => {
  it("threefry2x32 matches the reference on random keys and counters", () => {
    const u32 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
    assertProperty(
      fc.property(u32, u32, fc.array(fc.tuple(u32, u32), { minLength: 1, maxLength: 6 }), (k0, k1, pairs) => {
        const n = pairs.length;
        const counts = [...pairs.map((p) => p[0]), ...pairs.map((p) => p[1])];
        const out = flat(
          random.threefry2x32(np.array([k0, k1], { dtype: "uint32" }), np.array(counts, { dtype: "uint32" })),
        );
        pairs.forEach(([x0, x1], i) => expect([out[i], out[n + i]]).toEqual(threefryRef(k0, k1, x0, x1)));
      }),
      30,
    );
  });

  it("partitionable bits are y0 ^ y1 of counters (0, i); split(k, n)[i] == foldIn(k, i)", () => {
    assertProperty(
      fc.property(arbKey, fc.integer({ min: 1, max: 6 }), (k, n) => {
        const [k0, k1] = flat(k) as [number, number];
        const bits = flat(random.bits(k, [n]));
        bits.forEach((b, i) => {
          const [y0, y1] = threefryRef(k0, k1, 0, i);
          expect(b).toBe((y0 ^ y1) >>> 0);
        });
        const keys = random.split(k, n).tolist() as number[][];
        keys.forEach((row, i) => expect(row).toEqual(flat(random.foldIn(k, i))));
      }),
      20,
    );
  });

  it("vmap over a batch of keys equals sampling each key", () => {
    assertProperty(
      fc.property(arbKey, fc.integer({ min: 1, max: 4 }), (k, b) => {
        const keys = random.split(k, b);
        const f = (kk: Array) => random.normal(kk, [3]);
        const batched = vmap(f)(keys).tolist();
        expect(batched).toEqual(globalThis.Array.from({ length: b }, (_, i) => f(keys.get(i)).tolist()));
      }),
      10,
    );
  });
});

describe("sample statistics (n = 20000)", () => {
  it("uniform: mean (a+b)/2, variance (b-a)²/12, inside [a, b)", () => {
    assertProperty(
      fc.property(
        arbKey,
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        (k, a, w) => {
          const lo = Math.fround(a);
          const hi = Math.fround(a + w);
          const x = flat(random.uniform(k, [N], { minval: lo, maxval: hi }));
          const span = hi - lo;
          expect(Math.min(...x)).toBeGreaterThanOrEqual(lo);
          expect(Math.max(...x)).toBeLessThan(hi);
          expect(Math.abs(mean(x) - (lo + hi) / 2)).toBeLessThan((5 * span) / Math.sqrt(12 * N));
          expect(Math.abs(variance(x) - span ** 2 / 12)).toBeLessThan(
            5 * span ** 2 * Math.sqrt((1 / 80 - 1 / 144) / N),
          );
        },
      ),
      5,
    );
  });

  it("normal: mean 0, variance 1, P(|x| < 1) ≈ 0.6827", () => {
    assertProperty(
      fc.property(arbKey, fc.boolean(), (k, legacy) => {
        const x = flat((legacy ? random.legacy : random).normal(k, [N]));
        expect(Math.abs(mean(x))).toBeLessThan(5 / Math.sqrt(N));
        expect(Math.abs(variance(x) - 1)).toBeLessThan(5 * Math.sqrt(2 / N));
        const inside = x.filter((v) => Math.abs(v) < 1).length / N;
        expect(Math.abs(inside - erf(1 / Math.SQRT2))).toBeLessThan(5 * Math.sqrt(0.25 / N));
      }),
      5,
    );
  });

  it("bernoulli: mean p", () => {
    assertProperty(
      fc.property(arbKey, fc.double({ min: 0.02, max: 0.98, noNaN: true }), (k, p) => {
        const x = flat(random.bernoulli(k, p, [N]));
        expect(Math.abs(mean(x) - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N));
      }),
      5,
    );
  });

  it("truncatedNormal: inside (lower, upper) with the truncated normal's mean and variance", () => {
    const phi = (x: number) => Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI);
    const Phi = (x: number) => 0.5 * (1 + erf(x / Math.SQRT2));
    assertProperty(
      fc.property(
        arbKey,
        fc.double({ min: -3, max: 2, noNaN: true }),
        fc.double({ min: 0.2, max: 3, noNaN: true }),
        (k, a0, w) => {
          const a = Math.fround(a0);
          const b = Math.fround(a0 + w);
          const x = flat(random.truncatedNormal(k, a, b, [N]));
          expect(Math.min(...x)).toBeGreaterThan(a);
          expect(Math.max(...x)).toBeLessThan(b);
          const Z = Phi(b) - Phi(a);
          const mu = (phi(a) - phi(b)) / Z;
          const v = 1 + (a * phi(a) - b * phi(b)) / Z - mu * mu;
          expect(Math.abs(mean(x) - mu)).toBeLessThan(5 * Math.sqrt(v / N));
          expect(Math.abs(variance(x) - v)).toBeLessThan(6 * v * Math.sqrt(2 / N) + 1e-3);
        },
      ),
      5,
    );
  });

  it("randint: inside [lo, hi) and roughly uniform (chi-square)", () => {
    assertProperty(
      fc.property(arbKey, fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 1, max: 12 }), (k, lo, w) => {
        const x = flat(random.randint(k, [N], lo, lo + w));
        const counts = new globalThis.Array(w).fill(0);
        expect(x.every((v) => v >= lo && v < lo + w)).toBe(true);
        for (const v of x) counts[v - lo]++;
        const e = N / w;
        const chi2 = counts.reduce((s, c) => s + (c - e) ** 2 / e, 0);
        const df = Math.max(1, w - 1);
        expect(chi2).toBeLessThan(df + 8 * Math.sqrt(2 * df) + 10);
      }),
      8,
    );
  });

  it("categorical: frequencies match softmax(logits)", () => {
    assertProperty(
      fc.property(
        arbKey,
        fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: 2, maxLength: 6 }),
        (k, logits) => {
          const x = flat(random.categorical(k, np.array(logits), { shape: [N] }));
          const z = logits.map((l) => Math.exp(Math.fround(l)));
          const total = z.reduce((a, b) => a + b, 0);
          logits.forEach((_, i) => {
            const p = z[i]! / total;
            const f = x.filter((v) => v === i).length / N;
            expect(Math.abs(f - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / N) + 1e-3);
          });
        },
      ),
      5,
    );
  });
});

describe("permutations", () => {
  it("permutation(n) is a permutation of 0..n-1 (both schemes, up to two sorting rounds)", () => {
    assertProperty(
      fc.property(arbKey, fc.integer({ min: 0, max: 300 }), fc.boolean(), (k, n, legacy) => {
        const p = flat((legacy ? random.legacy : random).permutation(k, n));
        expect([...p].sort((a, b) => a - b)).toEqual([...globalThis.Array(n).keys()]);
      }),
      10,
    );
    // n > 1625 takes two rounds of sorting.
    const p = flat(random.permutation(random.key(5), 1700));
    expect([...p].sort((a, b) => a - b)).toEqual([...globalThis.Array(1700).keys()]);
  });

  it("choice without replacement draws distinct entries; positions of a permutation are uniform", () => {
    assertProperty(
      fc.property(arbKey, fc.integer({ min: 1, max: 40 }), (k, n) => {
        const m = Math.ceil(n / 2);
        const c = flat(random.choice(k, n, [m], { replace: false }));
        expect(new Set(c).size).toBe(m);
        expect(c.every((v) => v >= 0 && v < n)).toBe(true);
      }),
      10,
    );
    // Where element 0 lands in permutations of 4, over 4000 keys: uniform over the 4 positions.
    const keys = random.split(random.key(11), 4000);
    const perms = vmap((kk: Array) => random.permutation(kk, 4))(keys).tolist() as number[][];
    const pos = [0, 0, 0, 0];
    for (const q of perms) {
      const at = q.indexOf(0);
      expect(at).toBeGreaterThanOrEqual(0);
      pos[at] = (pos[at] ?? 0) + 1;
    }
    for (const c of pos) expect(Math.abs(c / 4000 - 0.25)).toBeLessThan(5 * Math.sqrt(0.1875 / 4000));
  });
});
