/**
 * random.binomial and random.multinomial against JAX 0.10.2 (test/fixtures/random-extra.json, from
 * scripts/random-extra-fixtures.py) for the same keys, float32 and float64 (jax_enable_x64), eagerly,
 * under jit and under vmap; then distributional checks and error paths.
 *
 * Equality is exact: the samples are integer counts computed from the same random bits by the same
 * rejection/inversion decisions, so any difference in a key split, a loop round or an acceptance
 * test gives a different integer. (An acceptance bound within float rounding of the threshold could
 * in principle flip on XLA's log vs graft's; none does in these cases.)
 *
 * Distributional checks (independent of JAX): with N samples, the sample mean must lie within
 * 5 standard errors of n·p (σ/√N), the sample variance within 5 of its standard errors
 * (≈ σ²·√(2/(N−1)) plus the excess-kurtosis term), and Pearson's χ² over the support must stay below
 * the 1 − 10⁻⁶ quantile of χ²(df) (Wilson–Hilferty): a correct sampler fails each with
 * probability ≈ 10⁻⁶, a biased one (a wrong acceptance bound, an off-by-one count) by far.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jit, np, random, vmap, type Array } from "../../src/index.js";

interface Sample {
  shape: number[];
  values: (number | string | null)[];
}
const fixture: { jax_version: string; float32: Record<string, Sample>; float64: Record<string, Sample> } = JSON.parse(
  readFileSync(new URL("../fixtures/random-extra.json", import.meta.url), "utf8"),
);
/** JSON has no NaN or ∞: the generator writes null for NaN and Python's "inf"/"-inf" strings. */
const decode = (v: number | string | null): number =>
  v === null ? Number.NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number);

type Dt = "float32" | "float64";
const a = (v: number | number[] | number[][], dt: Dt) => np.array(v, { dtype: dt });

/** The graft calls matching the generator's JAX expressions. */
const CASES: Record<string, (k: Array, dt: Dt) => Array> = {
  binomial_small: (k, dt) => random.binomial(k, 10, 0.3, [16], { dtype: dt }),
  binomial_large: (k, dt) => random.binomial(k, 100, 0.4, [16], { dtype: dt }),
  binomial_high_p: (k, dt) => random.binomial(k, 50, 0.9, [16], { dtype: dt }),
  binomial_large_high_p: (k, dt) => random.binomial(k, 1000, 0.75, [16], { dtype: dt }),
  binomial_huge: (k, dt) => random.binomial(k, 1e6, 0.2, [8], { dtype: dt }),
  binomial_edges: (k, dt) =>
    random.binomial(k, a([0, 7, 7, 5.5, 20, 3000], dt), a([0.5, 0, 1, 0.5, 0.5, 0.5], dt), undefined, { dtype: dt }),
  binomial_invalid: (k, dt) =>
    random.binomial(
      k,
      a([-1, Number.NaN, Infinity, 5, 5, 5, Infinity], dt),
      a([0.5, 0.5, 0.5, 1.5, -0.5, Number.NaN, 0.9], dt),
      undefined,
      { dtype: dt },
    ),
  binomial_broadcast: (k, dt) =>
    random.binomial(k, a([[10], [200]], dt), a([0.1, 0.5, 0.9], dt), undefined, { dtype: dt }),
  binomial_shape: (k, dt) => random.binomial(k, a([5, 60], dt), a(0.3, dt), [3, 2], { dtype: dt }),
  multinomial: (k, dt) => random.multinomial(k, a(20, dt), a([0.2, 0.3, 0.5], dt), { dtype: dt }),
  multinomial_large: (k, dt) => random.multinomial(k, a(5000, dt), a([0.1, 0.2, 0.3, 0.4], dt), { dtype: dt }),
  multinomial_batch: (k, dt) =>
    random.multinomial(
      k,
      a([10, 1000], dt),
      a(
        [
          [0.5, 0.25, 0.25],
          [0.1, 0.1, 0.8],
        ],
        dt,
      ),
      { dtype: dt },
    ),
  multinomial_shape: (k, dt) => random.multinomial(k, a(30, dt), a([0.2, 0.8], dt), { shape: [4, 2], dtype: dt }),
  multinomial_unnormalised: (k, dt) => random.multinomial(k, a(100, dt), a([1, 2, 0, 3], dt), { dtype: dt }),
};

function expectFixture(got: Array, dt: Dt, name: string, seed: number): void {
  const want = (dt === "float32" ? fixture.float32 : fixture.float64)[`${name}/${seed}`];
  if (want === undefined) throw new Error(`fixture has no ${name}/${seed}`);
  expect(got.dtype).toBe(dt);
  expect(got.shape).toEqual(want.shape);
  expect(globalThis.Array.from(got.dataSync() as ArrayLike<number>)).toEqual(want.values.map(decode));
}

describe(`random.binomial / random.multinomial against JAX ${fixture.jax_version}`, () => {
  for (const seed of [0, 7])
    for (const dt of ["float32", "float64"] as const)
      for (const [name, call] of Object.entries(CASES))
        it(`${name} ${dt} key(${seed})`, () => expectFixture(call(random.key(seed), dt), dt, name, seed));

  for (const name of ["binomial_edges", "binomial_broadcast", "multinomial_batch", "multinomial_unnormalised"])
    it(`${name} under jit`, () =>
      expectFixture(jit((k: Array) => CASES[name]!(k, "float32"))(random.key(7)), "float32", name, 7));

  it("vmap over keys gives each key's own samples (binomial and multinomial)", () => {
    const keys = np.stack([random.key(0), random.key(7)]);
    const bin = vmap((k: Array) => CASES.binomial_large!(k, "float32"))(keys);
    const mult = vmap((k: Array) => CASES.multinomial_batch!(k, "float32"))(keys);
    [0, 7].forEach((seed, i) => {
      expectFixture(bin.get(i), "float32", "binomial_large", seed);
      expectFixture(mult.get(i), "float32", "multinomial_batch", seed);
    });
  });

  it("legacy (non-partitionable) scheme runs and gives valid counts", () => {
    const x = random.legacy.binomial(random.key(0), 40, 0.6, [50]).dataSync() as Float32Array;
    expect(x.every((v) => Number.isInteger(v) && v >= 0 && v <= 40)).toBe(true);
  });
});

/** The 1 − 10⁻⁶ quantile of χ²(df), by the Wilson–Hilferty approximation (z = 4.753). */
const chi2Threshold = (df: number): number => df * (1 - 2 / (9 * df) + 4.753 * Math.sqrt(2 / (9 * df))) ** 3;

/** Binomial(n, p) probabilities 0..n, by the ratio recurrence in float64. */
function binomialPmf(n: number, p: number): number[] {
  const out = [(1 - p) ** n];
  for (let k = 0; k < n; k++) out.push((out[k]! * (n - k) * p) / ((k + 1) * (1 - p)));
  return out;
}

function checkBinomialLaw(x: ArrayLike<number>, n: number, p: number): void {
  const N = x.length;
  const mean = n * p;
  const variance = n * p * (1 - p);
  let m = 0;
  for (let i = 0; i < N; i++) m += x[i]!;
  m /= N;
  let v = 0;
  for (let i = 0; i < N; i++) v += (x[i]! - m) ** 2;
  v /= N - 1;
  expect(Math.abs(m - mean), `mean ${m} vs ${mean}`).toBeLessThan(5 * Math.sqrt(variance / N));
  // Var of the sample variance: σ⁴·(2/(N−1) + κ/N), κ = (1 − 6pq)/(npq) the excess kurtosis.
  const kurt = (1 - 6 * p * (1 - p)) / variance;
  const seVar = variance * Math.sqrt(2 / (N - 1) + kurt / N);
  expect(Math.abs(v - variance), `variance ${v} vs ${variance}`).toBeLessThan(5 * seVar);
  // Pearson χ² over bins with expected count ≥ 5 (the tails pooled into the end bins).
  const pmf = binomialPmf(n, p);
  const counts = new Float64Array(n + 1);
  for (let i = 0; i < N; i++) counts[x[i]!]! += 1;
  const bins: [number, number][] = [];
  let acc: [number, number] = [0, 0];
  for (let k = 0; k <= n; k++) {
    acc = [acc[0] + counts[k]!, acc[1] + pmf[k]! * N];
    if (acc[1] >= 5) {
      bins.push(acc);
      acc = [0, 0];
    }
  }
  if (acc[1] > 0) bins[bins.length - 1] = [bins[bins.length - 1]![0] + acc[0], bins[bins.length - 1]![1] + acc[1]];
  const chi2 = bins.reduce((s, [o, e]) => s + (o - e) ** 2 / e, 0);
  expect(chi2, `χ² over ${bins.length} bins`).toBeLessThan(chi2Threshold(bins.length - 1));
}

describe("random.binomial / random.multinomial sample their distributions", () => {
  const N = 20000;
  // inversion (n·p ≤ 10), BTRS (n·p > 10), and p > ½ through both (the count is n − sample of 1 − p).
  for (const [n, p] of [
    [20, 0.2],
    [60, 0.35],
    [25, 0.85],
    [200, 0.7],
  ] as const)
    it(`binomial(${n}, ${p}): mean, variance and χ² over ${N} samples`, () => {
      checkBinomialLaw(random.binomial(random.key(11), n, p, [N]).dataSync() as Float32Array, n, p);
    });

  it("multinomial counts sum to n, and each category is binomial(n, p_i) (p normalised)", () => {
    const n = 40;
    const w = [1, 3, 0, 4];
    const x = random.multinomial(random.key(5), n, np.array(w), { shape: [N, 4] }).dataSync() as Float32Array;
    for (let i = 0; i < N; i++) expect(x[4 * i]! + x[4 * i + 1]! + x[4 * i + 2]! + x[4 * i + 3]!).toBe(n);
    for (const c of [0, 1, 3]) {
      const col = Float64Array.from({ length: N }, (_, i) => x[4 * i + c]!);
      checkBinomialLaw(col, n, w[c]! / 8);
    }
    expect(globalThis.Array.from({ length: N }, (_, i) => x[4 * i + 2]).every((v) => v === 0)).toBe(true);
  });
});

describe("random.binomial / random.multinomial argument errors", () => {
  const k = random.key(0);
  it("rejects a non-float dtype, a bool parameter and a batch of keys", () => {
    expect(() => random.binomial(k, 5, 0.5, [2], { dtype: "int32" as "float32" })).toThrow(
      /binomial: dtype must be a float/,
    );
    expect(() => random.binomial(k, np.array([true]), 0.5)).toThrow(/binomial: n must be a number or a real array/);
    expect(() => random.binomial(random.split(k, 2), 5, 0.5)).toThrow(/binomial: .*batch of keys/);
  });
  it("rejects parameters that do not broadcast to the shape", () => {
    expect(() => random.binomial(k, np.array([1, 2, 3]), 0.5, [2])).toThrow(
      /random\.binomial: incompatible shapes .*\[2\] and \[3\]/,
    );
  });
  it("multinomial: p must have an outcome axis and the shape must end with it", () => {
    expect(() => random.multinomial(k, 5, 0.5)).toThrow(/multinomial: p must be an array of shape \[\.\.\., k\]/);
    expect(() => random.multinomial(k, 5, np.array([0.5, 0.5]), { shape: [4] })).toThrow(
      /multinomial: shape \[4\] must end with p's number of outcomes 2/,
    );
    expect(() => random.multinomial(k, np.array([1, 2, 3]), np.array([0.5, 0.5]))).toThrow(
      /multinomial: n of shape \[3\]/,
    );
    expect(() => random.multinomial(k, 5, np.array([0.5, 0.5]), { size: 3 } as never)).toThrow(/random\.multinomial/);
  });
});
