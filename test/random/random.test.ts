/**
 * graft/random against JAX: the threefry2x32 known-answer vectors (Random123, as in JAX's own
 * tests), values printed in JAX's documentation, and values printed by runs of JAX; then
 * determinism, independence of streams, jit/vmap equivalence, validation and edge cases.
 */
import { describe, expect, it } from "vitest";
import { defaultBackend, grad, jit, np, random, vmap, type Array } from "../../src/index.js";
import { KAT } from "./threefry-kat.js";

const u32 = (v: readonly number[]) => np.array(v, { dtype: "uint32" });
const list = (x: Array) => x.tolist() as number[];
const flat = (x: Array) => globalThis.Array.from(x.dataSync() as ArrayLike<number>);

/**
 * The same random bits give the same samples. On the reference backend eager and jitted runs use
 * the same kernels, so samples are identical; on the wasm backend jitted code uses the vectorized
 * transcendentals (≤ 4 ulp each, README "Backends"), and float samples built from a few of them
 * agree to 2^-20 relative. Integer and bool samples are identical everywhere.
 */
function expectSameSamples(got: Array, want: Array): void {
  expect(got.shape).toEqual(want.shape);
  expect(got.dtype).toBe(want.dtype);
  if (defaultBackend() === "cpu" || !got.dtype.startsWith("float")) {
    expect(got.tolist()).toEqual(want.tolist());
    return;
  }
  const a = flat(got);
  const b = flat(want);
  a.forEach((v, i) =>
    expect(Math.abs(v - b[i]!), `element ${i}: ${v} vs ${b[i]}`).toBeLessThanOrEqual(
      2 ** -20 * Math.max(1, Math.abs(b[i]!)),
    ),
  );
}
const F = Math.fround;
/**
 * Values as NumPy prints float32 arrays (shortest round-trip digits, at most 8 after the point):
 * each printed value is the float32 itself or that float32 rounded to 8 decimals.
 */
function expectPrinted(x: Array, printed: readonly number[]): void {
  const got = flat(x);
  expect(got.length).toBe(printed.length);
  got.forEach((v, i) => {
    const p = printed[i]!;
    if (!(F(p) === v || Math.abs(v - p) <= 5e-9)) expect.fail(`element ${i}: got ${v}, JAX printed ${p}`);
  });
}

describe("threefry2x32 known-answer vectors (Random123; JAX's test_threefry_2x32)", () => {
  const cases = KAT;
  for (const [key, count, expected] of cases) {
    it(`key ${key.map((v) => v.toString(16))}, counts ${count.map((v) => v.toString(16))}`, () => {
      expect(list(random.threefry2x32(u32(key), u32(count)))).toEqual(expected);
      expect(list(jit(random.threefry2x32)(u32(key), u32(count)))).toEqual(expected);
    });
  }

  it("odd counts are padded with a 0 and pairs are (first half, second half)", () => {
    const k = u32([0x13198a2e, 0x03707344]);
    const three = list(random.threefry2x32(k, u32([0x243f6a88, 0x85a308d3, 7])));
    const pairs = list(random.threefry2x32(k, u32([0x243f6a88, 0x85a308d3, 7, 0])));
    expect(three).toEqual([pairs[0], pairs[1], pairs[2]]);
  });
});

describe("values published by JAX", () => {
  it("PRNGKey(0) = [0, 0], PRNGKey(42) = [0, 42]", () => {
    expect(list(random.key(0))).toEqual([0, 0]);
    expect(list(random.key(42))).toEqual([0, 42]);
    expect(random.key(0).dtype).toBe("uint32");
  });

  it("legacy (jax_threefry_partitionable=False) split(PRNGKey(0)) (JAX docs)", () => {
    expect(random.legacy.split(random.key(0)).tolist()).toEqual([
      [4146024105, 967050713],
      [2718843009, 1272950319],
    ]);
  });

  it("uniform(key(0)) and uniform of its split subkey (jax.random module docs, current and pre-0.5 versions)", () => {
    const k = random.key(0);
    expectPrinted(random.uniform(k), [0.947667]);
    expectPrinted(random.uniform(random.split(k).get(1)), [0.00729382]);
    expectPrinted(random.legacy.uniform(k), [0.41845703]);
    expectPrinted(random.legacy.uniform(random.legacy.split(k).get(1)), [0.10536897]);
  });

  it("legacy normal(PRNGKey(0), (10,)) (the JAX quickstart)", () => {
    expectPrinted(
      random.legacy.normal(random.key(0), [10]),
      [
        -0.3721109, 0.26423115, -0.18252768, -0.7368197, -0.44030377, -0.1521442, -0.67135346, -0.5908641, 0.73168886,
        0.5673026,
      ],
    );
  });
});

describe("values printed by runs of JAX (outside its documentation)", () => {
  // jax 0.4.x (partitionable off): an odd count exercises threefry_2x32's padding.
  it("legacy normal(key(0), (3, 3))", () => {
    expectPrinted(
      random.legacy.normal(random.key(0), [3, 3]),
      [-0.3721109, 0.26423115, -0.18252768, -0.7368197, 0.44973662, -0.1521442, -0.67135346, -0.5908641, 0.73168886],
    );
  });
  // Current JAX (partitionable on).
  it("split(key(42)), normal/uniform(key(0), (3,)), randint, choice, permutation", () => {
    expect(random.split(random.key(42)).tolist()).toEqual([
      [1832780943, 270669613],
      [64467757, 2916123636],
    ]);
    expectPrinted(random.normal(random.key(0), [3]), [1.6226422, 2.0252647, -0.43359444]);
    expectPrinted(random.uniform(random.key(0), [3]), [0.947667, 0.9785799, 0.33229148]);
    expect(list(random.randint(random.key(1), [5], 0, 10))).toEqual([6, 7, 0, 3, 8]);
    expect(list(random.choice(random.key(2), np.array([10, 20, 30, 40], { dtype: "int32" }), [3]))).toEqual([
      40, 10, 20,
    ]);
    expect(list(random.permutation(random.key(3), np.arange(5, { dtype: "int32" })))).toEqual([0, 4, 2, 1, 3]);
  });
  it("normal(key(0), (24,)), including XLA's fused multiply-adds in erfinv's polynomial", () => {
    expectPrinted(
      random.normal(random.key(0), [24]),
      [
        1.6226422, 2.0252647, -0.43359444, -0.07861735, 0.1760909, -0.97208923, -0.49529874, 0.4943786, 0.6643493,
        -0.9501635, 2.1795304, -1.9551506, 0.35857072, 0.15779513, 1.2770847, 1.5104648, 0.970656, 0.59960806,
        0.0247007, -1.9164772, -1.8593491, 1.728144, 0.04719035, 0.814128,
      ],
    );
  });
});

describe("keys", () => {
  it("seeds follow JAX: x64 disabled by default, two's complement words with x64", () => {
    expect(list(random.key(-1))).toEqual([0, 4294967295]);
    expect(list(random.key(-2))).toEqual([0, 4294967294]);
    expect(list(random.key(2 ** 31 - 1 + 100))).toEqual([0, 2147483747]);
    expect(list(random.key(-1, { x64: true }))).toEqual([4294967295, 4294967295]);
    expect(list(random.key(-(2 ** 31) - 100, { x64: true }))).toEqual([4294967295, 2147483548]);
    expect(list(random.key(2 ** 40 + 5, { x64: true }))).toEqual([256, 5]);
    expect(list(random.key(2n ** 62n + 3n, { x64: true }))).toEqual([2 ** 30, 3]);
    expect(list(random.key(np.array(7, { dtype: "int32" })))).toEqual([0, 7]);
    expect(vmap((s: Array) => random.key(s))(np.array([1, 2], { dtype: "int32" })).tolist()).toEqual([
      [0, 1],
      [0, 2],
    ]);
  });

  it("rejects bad seeds", () => {
    expect(() => random.key(1.5)).toThrow(/integer/);
    expect(() => random.key(2 ** 60)).toThrow(/bigint/);
    expect(() => random.key(2n ** 64n)).toThrow(/64-bit/);
    expect(() => random.key(np.array([1, 2], { dtype: "int32" }))).toThrow(/integer scalar/);
  });

  it("split gives num keys or a shape of keys; partitionable split(k, n)[i] == foldIn(k, i)", () => {
    const k = random.key(7);
    expect(random.split(k, 5).shape).toEqual([5, 2]);
    expect(random.split(k, [2, 3]).shape).toEqual([2, 3, 2]);
    expect(random.split(k, 0).shape).toEqual([0, 2]);
    const ks = random.split(k, 4).tolist() as number[][];
    for (let i = 0; i < 4; i++) expect(list(random.foldIn(k, i))).toEqual(ks[i]);
    expect(flat(random.split(k, [2, 3]))).toEqual(flat(random.split(k, 6)));
    expect(flat(random.legacy.split(k, [2, 3]))).toEqual(flat(random.legacy.split(k, 6)));
  });

  it("foldIn wraps negative data and accepts traced integer scalars", () => {
    const k = random.key(3);
    expect(list(random.foldIn(k, -1))).toEqual(list(random.foldIn(k, 4294967295)));
    expect(list(jit((d: Array) => random.foldIn(k, d))(np.array(12, { dtype: "int32" })))).toEqual(
      list(random.foldIn(k, 12)),
    );
    expect(list(random.legacy.foldIn(k, 5))).toEqual(list(random.foldIn(k, 5)));
    expect(() => random.foldIn(k, 2 ** 32)).toThrow(/32-bit/);
  });

  it("validates keys", () => {
    expect(() => random.uniform(np.array([0, 0]))).toThrow(/uint32\[2\].*float32\[2\]/);
    expect(() => random.normal(u32([1, 2, 3]))).toThrow(/PRNG key/);
    expect(() => random.split(random.split(random.key(0), 3))).toThrow(/batch of keys uint32\[3, 2\].*vmap/);
    expect(() => random.bits(5 as unknown as Array)).toThrow(/PRNG key/);
  });
});

describe("streams", () => {
  const k = random.key(123);
  it("the same key gives the same numbers", () => {
    expect(flat(random.normal(k, [50]))).toEqual(flat(random.normal(k, [50])));
    expect(flat(random.bits(k, [7]))).toEqual(flat(random.bits(random.key(123), [7])));
  });

  it("split and foldIn give different streams", () => {
    const [a, b] = [0, 1].map((i) => random.split(k).get(i));
    const streams = [k, a!, b!, random.foldIn(k, 2), random.foldIn(k, 3), random.key(124)].map((kk) =>
      flat(random.bits(kk, [8])).join(),
    );
    expect(new Set(streams).size).toBe(streams.length);
    expect(flat(random.legacy.bits(k, [8]))).not.toEqual(flat(random.bits(k, [8])));
  });

  it("partitionable bits do not depend on the shape's layout (counters are flat indices)", () => {
    expect(flat(random.bits(k, [2, 3]))).toEqual(flat(random.bits(k, [6])));
    expect(flat(random.bits(k, [6])).slice(0, 4)).toEqual(flat(random.bits(k, [4])));
  });
});

describe("jit and vmap", () => {
  const samplers: [string, (k: Array) => Array][] = [
    ["bits", (k) => random.bits(k, [5])],
    ["split", (k) => random.split(k, 3)],
    ["uniform", (k) => random.uniform(k, [5], { minval: -2, maxval: 3 })],
    ["uniform f64", (k) => random.uniform(k, [5], { dtype: "float64" })],
    ["normal", (k) => random.normal(k, [2, 3])],
    ["truncatedNormal", (k) => random.truncatedNormal(k, -1, 2, [6])],
    ["bernoulli", (k) => random.bernoulli(k, 0.3, [6])],
    ["randint", (k) => random.randint(k, [6], -5, 17)],
    [
      "categorical",
      (k) =>
        random.categorical(
          k,
          np.array([
            [0, 1, 2],
            [2, 0, -1],
          ]),
          { shape: [4, 2] },
        ),
    ],
    ["permutation", (k) => random.permutation(k, 9)],
    ["choice", (k) => random.choice(k, 10, [4], { replace: false })],
    ["choice p", (k) => random.choice(k, 4, [6], { p: [0.1, 0.2, 0.3, 0.4] })],
    ["legacy normal", (k) => random.legacy.normal(k, [5])],
    ["legacy permutation", (k) => random.legacy.permutation(k, 7)],
  ];
  const keys = random.split(random.key(9), 3);
  for (const [name, f] of samplers) {
    it(`${name}: jit(f)(k) == f(k) and vmap(f)(keys) stacks f over the keys`, () => {
      const k = keys.get(0);
      expectSameSamples(jit(f)(k), f(k));
      const batched = vmap(f)(keys);
      [0, 1, 2].forEach((i) => expectSameSamples(batched.get(i), f(keys.get(i))));
      expectSameSamples(jit(vmap(f))(keys), batched);
    });
  }

  it("a batch of keys under vmap gives independent samples", () => {
    const u = vmap((k: Array) => random.uniform(k, [4]))(random.split(random.key(1), 8));
    expect(u.shape).toEqual([8, 4]);
    expect(new Set(flat(u)).size).toBe(32);
  });
});

describe("samplers", () => {
  const k = random.key(2024);
  it("uniform respects bounds, dtypes and array bounds", () => {
    const u = flat(random.uniform(k, [1000], { minval: -3, maxval: -1 }));
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-3);
    expect(Math.max(...u)).toBeLessThan(-1);
    const d = random.uniform(k, [1000], { dtype: "float64" });
    expect(d.dtype).toBe("float64");
    // float64 draws carry 52 random bits: not float32 values.
    expect(flat(d).some((v) => F(v) !== v)).toBe(true);
    const per = random.uniform(k, [2, 3], { minval: np.array([0, 10, 20]), maxval: np.array([1, 11, 21]) });
    (per.tolist() as number[][]).forEach((row) => row.forEach((v, j) => expect(Math.floor(v)).toBe(10 * j)));
    expect(random.uniform(k).shape).toEqual([]);
    expect(random.normal(k, [0, 3]).shape).toEqual([0, 3]);
  });

  it("uniform is differentiable in its bounds", () => {
    const f = (lo: Array, hi: Array) => random.uniform(k, [100], { minval: lo, maxval: hi }).sum();
    const u = flat(random.uniform(k, [100]));
    const s = u.reduce((a, b) => a + b, 0);
    expect(grad(f, { argnums: 1 })(np.array(0), np.array(1)).item()).toBeCloseTo(s, 3);
    expect(grad(f, { argnums: 0 })(np.array(0), np.array(1)).item()).toBeCloseTo(100 - s, 3);
  });

  it("truncatedNormal stays strictly inside (lower, upper), including infinite and tight bounds", () => {
    for (const [lo, hi] of [
      [-2, 2],
      [0.5, 0.5000001],
      [-Infinity, -3],
      [3, Infinity],
      [-1e-30, 1e-30],
    ] as const) {
      const x = flat(random.truncatedNormal(k, lo, hi, [500]));
      for (const v of x) {
        expect(v).toBeGreaterThan(F(lo));
        expect(v).toBeLessThan(F(hi));
      }
    }
    const b = random.truncatedNormal(k, np.array([-1, 0]), np.array([0, 1]), [3, 2]);
    (b.tolist() as number[][]).forEach((row) => expect(row[0]! <= 0 && row[1]! >= 0).toBe(true));
    expect(random.truncatedNormal(k, np.zeros([4]), 1).shape).toEqual([4]);
  });

  it("bernoulli: p = 0 and p = 1 are exact, shapes follow p", () => {
    expect(flat(random.bernoulli(k, 0, [50])).every((v) => v === 0)).toBe(true);
    expect(flat(random.bernoulli(k, 1, [50])).every((v) => v === 1)).toBe(true);
    const b = random.bernoulli(k, np.array([0, 1, 0]));
    expect(b.dtype).toBe("bool");
    expect(b.tolist()).toEqual([false, true, false]);
  });

  it("randint: ranges, uint32, array bounds, the full int32 range", () => {
    const r = flat(random.randint(k, [2000], -3, 4));
    expect(new Set(r)).toEqual(new Set([-3, -2, -1, 0, 1, 2, 3]));
    const u = random.randint(k, [100], 2 ** 32 - 10, 2 ** 32 - 1, { dtype: "uint32" });
    expect(u.dtype).toBe("uint32");
    expect(flat(u).every((v) => v >= 2 ** 32 - 10 && v < 2 ** 32 - 1)).toBe(true);
    const full = flat(random.randint(k, [100], -(2 ** 31), 2 ** 31));
    expect(full.some((v) => v < 0) && full.some((v) => v > 0)).toBe(true);
    const arr = random.randint(
      k,
      [3, 2],
      np.array([0, 100], { dtype: "int32" }),
      np.array([10, 110], { dtype: "int32" }),
    );
    (arr.tolist() as number[][]).forEach(([a, b]) => expect(a! >= 0 && a! < 10 && b! >= 100 && b! < 110).toBe(true));
    expect(flat(random.randint(k, [10], 5, 6))).toEqual(new globalThis.Array(10).fill(5));
  });

  it("categorical: never picks a -inf logit, respects axis and shape", () => {
    const logits = np.log(
      np.array([
        [0.5, 0, 0.5],
        [0, 1, 0],
      ]),
    );
    const c = random.categorical(k, logits, { shape: [200, 2] });
    expect(c.shape).toEqual([200, 2]);
    (c.tolist() as number[][]).forEach(([a, b]) => {
      expect(a === 0 || a === 2).toBe(true);
      expect(b).toBe(1);
    });
    expect(random.categorical(k, np.zeros([3, 5]), { axis: 0 }).shape).toEqual([5]);
    expect(() => random.categorical(k, np.zeros([3, 5]), { shape: [4] })).toThrow(
      /must end with the batch shape \[3\]/,
    );
  });

  it("permutation and shuffle", () => {
    const p = flat(random.permutation(k, 50));
    expect([...p].sort((a, b) => a - b)).toEqual([...globalThis.Array(50).keys()]);
    expect(p).not.toEqual([...globalThis.Array(50).keys()]);
    const x = np.arange(12).reshape(3, 4);
    const rows = random.permutation(k, x).tolist() as number[][];
    expect(rows.map((r) => r[0]! / 4).sort()).toEqual([0, 1, 2]);
    rows.forEach((r) => expect(r).toEqual([r[0]!, r[0]! + 1, r[0]! + 2, r[0]! + 3]));
    const cols = random.permutation(k, x, { axis: 1 }).tolist() as number[][];
    cols.forEach((r, i) => expect([...r].sort((a, b) => a - b)).toEqual([0, 1, 2, 3].map((j) => 4 * i + j)));
    // independent / shuffle: every row permuted on its own.
    const ind = random.shuffle(k, np.tile(np.arange(30), [4, 1]), { axis: 1 }).tolist() as number[][];
    ind.forEach((r) => expect([...r].sort((a, b) => a - b)).toEqual([...globalThis.Array(30).keys()]));
    expect(new Set(ind.map((r) => r.join())).size).toBeGreaterThan(1);
    expect(random.permutation(k, 1).tolist()).toEqual([0]);
    expect(random.permutation(k, 0).shape).toEqual([0]);
  });

  it("choice with and without replacement, with p, along an axis", () => {
    const noRep = flat(random.choice(k, 20, [20], { replace: false }));
    expect(new Set(noRep).size).toBe(20);
    const pNoRep = flat(random.choice(k, 5, [3], { replace: false, p: [0.1, 0, 0.3, 0.3, 0.3] }));
    expect(new Set(pNoRep).size).toBe(3);
    expect(pNoRep).not.toContain(1);
    const withP = flat(random.choice(k, 3, [200], { p: [0, 1, 0] }));
    expect(withP.every((v) => v === 1)).toBe(true);
    const rowsPicked = random.choice(k, np.arange(12).reshape(4, 3), [2], { axis: 1, replace: false });
    expect(rowsPicked.shape).toEqual([4, 2]);
    expect(random.choice(k, np.arange(5), [2, 2]).shape).toEqual([2, 2]);
    expect(random.choice(k, 5, [0]).shape).toEqual([0]);
  });
});

describe("validation", () => {
  const k = random.key(0);
  it("gives clear errors", () => {
    expect(() => random.uniform(k, [2], { minval: 1, maxval: 1 })).toThrow(/maxval must be greater than minval/);
    expect(() => random.randint(k, [2], 5, 3)).toThrow(/maxval must be greater than minval/);
    expect(() => random.randint(k, [2], 0.5, 3)).toThrow(/minval must be an integer/);
    expect(() => random.randint(k, [2], 0, 3, { dtype: "float32" })).toThrow(/dtype must be "int32" or "uint32"/);
    expect(() => random.bernoulli(k, 1.5)).toThrow(/p must be a probability in \[0, 1\]/);
    expect(() => random.bernoulli(k, -0.1)).toThrow(/p must be a probability/);
    expect(() => random.bernoulli(k, np.array([1], { dtype: "int32" }))).toThrow(/float dtype/);
    expect(() => random.choice(k, 3, [4], { replace: false })).toThrow(
      /larger sample \(size 4\) than the population \(size 3\)/,
    );
    expect(() => random.choice(k, 3, [2], { p: [0.5, 0.5] })).toThrow(/p must have shape \[3\]/);
    expect(() => random.choice(k, 3, [2], { p: [0.5, -0.5, 1] })).toThrow(/non-negative/);
    expect(() => random.normal(k, [2], { dtype: "int32" })).toThrow(/float dtype/);
    expect(() => random.normal(k, [2.5])).toThrow(/shape must be a non-negative integer or a list of them/);
    expect(() => random.uniform(k, [3], { minval: np.zeros([2]) })).toThrow(/broadcast/);
    expect(() => random.truncatedNormal(k, 1, -1)).toThrow(/upper must be greater than lower/);
    expect(() => random.permutation(k, -1)).toThrow(/non-negative integer/);
  });
});
