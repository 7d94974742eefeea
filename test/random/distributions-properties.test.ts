/**
 * Distributional checks of the random distributions (fixed seeds, so deterministic), plus vmap/jit
 * agreement, derivatives and error messages. The JAX bit-compatibility is in distributions-jax.
 *
 * Moment bounds: for n independent samples the sample mean has standard error σ/√n; each bound
 * below is 5 standard errors (a fixed-seed test that fails only on a real bias: a correct sampler
 * exceeds it with probability < 10⁻⁶). Kolmogorov–Smirnov bounds use the 0.1% critical value
 * 1.95/√n.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, jvp, np, random, vmap, type Array } from "../../src/index.js";

const N = 4000;
const values = (x: Array) => globalThis.Array.from(x.dataSync() as ArrayLike<number>);
const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
const variance = (v: number[]) => {
  const m = mean(v);
  return v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1);
};
/** |sample mean − μ| within 5 standard errors, for a distribution with variance σ². */
function expectMean(v: number[], mu: number, sigma2: number): void {
  expect(Math.abs(mean(v) - mu)).toBeLessThan(5 * Math.sqrt(sigma2 / v.length));
}
/** The Kolmogorov–Smirnov statistic of samples against a CDF, below the 0.1% critical value. */
function expectKs(v: number[], cdf: (x: number) => number): void {
  const s = [...v].sort((a, b) => a - b);
  let d = 0;
  s.forEach((x, i) => {
    const f = cdf(x);
    d = Math.max(d, Math.abs(f - i / s.length), Math.abs((i + 1) / s.length - f));
  });
  expect(d).toBeLessThan(1.95 / Math.sqrt(s.length));
}

describe("distributions: shape of the samples", () => {
  const k = random.key(3);
  it("laplace, logistic and cauchy follow their CDFs (KS)", () => {
    expectKs(values(random.laplace(k, [N])), (x) => (x < 0 ? Math.exp(x) / 2 : 1 - Math.exp(-x) / 2));
    expectKs(values(random.logistic(k, [N])), (x) => 1 / (1 + Math.exp(-x)));
    expectKs(values(random.cauchy(k, [N])), (x) => 0.5 + Math.atan(x) / Math.PI);
  });
  it("lognormal: log of the samples is normal with standard deviation sigma", () => {
    const v = values(random.lognormal(k, 0.5, [N])).map(Math.log);
    expectMean(v, 0, 0.25);
    expect(Math.abs(variance(v) - 0.25)).toBeLessThan(5 * 0.25 * Math.sqrt(2 / N));
  });
  it("rademacher is ±1 with mean 0; geometric has mean 1/p and values ≥ 1", () => {
    const r = values(random.rademacher(k, [N]));
    expect(new Set(r)).toEqual(new Set([-1, 1]));
    expectMean(r, 0, 1);
    const g = values(random.geometric(k, 0.25, [N]));
    expect(Math.min(...g)).toBe(1);
    expectMean(g, 4, (1 - 0.25) / 0.25 ** 2);
  });
  for (const a of [0.3, 1, 5]) {
    it(`gamma(${a}) has mean and variance a (both the boosted a < 1 path and a ≥ 1)`, () => {
      const v = values(jit((kk: Array) => random.gamma(kk, a, [N]))(k));
      expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
      expectMean(v, a, a);
      const lv = values(jit((kk: Array) => random.loggamma(kk, a, [N]))(k));
      expect(lv.map(Math.exp)).toEqual(v.map((x) => expect.closeTo(x, 5)));
    });
  }
  it("beta(2, 5) has mean 2/7; chisquare(3) mean 3; t(5) mean 0 and variance 5/3", () => {
    expectMean(values(random.beta(k, 2, 5, [N])), 2 / 7, (2 * 5) / (7 * 7 * 8));
    expectMean(values(random.chisquare(k, 3, [N])), 3, 6);
    const t = values(random.t(k, 5, [N]));
    expectMean(t, 0, 5 / 3);
  });
  it("dirichlet rows sum to 1 and have mean alpha / sum(alpha)", () => {
    const x = random.dirichlet(k, np.array([1, 2, 3]), [N]);
    expect(x.shape).toEqual([N, 3]);
    const rows = x.tolist() as number[][];
    for (const r of rows) expect(r[0]! + r[1]! + r[2]!).toBeCloseTo(1, 6);
    expectMean(
      rows.map((r) => r[2]!),
      0.5,
      (0.5 * 0.5) / 7,
    );
  });
  for (const lam of [3.5, 50])
    it(`poisson(${lam}) has mean and variance lam (${lam < 10 ? "Knuth" : "rejection"} branch)`, () => {
      const v = values(random.poisson(k, lam, [N]));
      expect(v.every((x) => Number.isInteger(x) && x >= 0)).toBe(true);
      expectMean(v, lam, lam);
      // The sample variance has standard error λ·√((2 + 1/λ)/n) ≤ λ·√(2.3/n) for λ ≥ 3.5.
      expect(Math.abs(variance(v) - lam)).toBeLessThan(5 * lam * Math.sqrt(2.3 / N));
    });
  it("orthogonal gives orthonormal columns (rows when n < m), float32 and float64", () => {
    for (const [n, m, dt, tol] of [
      [5, 5, "float32", 1e-5],
      [6, 3, "float64", 1e-13],
      [2, 4, "float32", 1e-5],
    ] as const) {
      const Q = random.orthogonal(k, n, [3], { dtype: dt, m });
      expect(Q.shape).toEqual([3, n, m]);
      const G = n >= m ? np.matmul(np.swapaxes(Q, -1, -2), Q) : np.matmul(Q, np.swapaxes(Q, -1, -2));
      const I = np.eye(Math.min(n, m), Math.min(n, m), { dtype: dt });
      expect(np.max(np.abs(G.sub(I))).item()).toBeLessThan(tol);
    }
  });
  it("orthogonal is Haar: an entry of a random 3×3 orthogonal matrix is uniform on [-1, 1] (KS)", () => {
    // A column of a Haar matrix is uniform on the sphere S², whose coordinates are uniform (Archimedes).
    const q00 = values(random.orthogonal(k, 3, [N]).reshape([N, 9])).filter((_, i) => i % 9 === 0);
    expectKs(q00, (x) => (x + 1) / 2);
  });
  it("multivariateNormal has the given mean and covariance", () => {
    const cov = [
      [2, 0.6],
      [0.6, 1],
    ];
    const x = random.multivariateNormal(k, np.array([1, -1]), np.array(cov), [N]).tolist() as number[][];
    const x0 = x.map((r) => r[0]!);
    const x1 = x.map((r) => r[1]!);
    expectMean(x0, 1, 2);
    expectMean(x1, -1, 1);
    // x0 - 0.3·x1 is independent of x1 for this covariance (cov(x0, x1) / var(x1) = 0.6): its
    // variance is 2 - 0.36 = 1.64, and the mean of (x0 - 1)(x1 + 1) is 0.6 (variance 2·1 + 0.36).
    const cross = x.map((r) => (r[0]! - 1) * (r[1]! + 1));
    expectMean(cross, 0.6, 2 + 0.36);
  });
});

describe("distributions under vmap and jit", () => {
  const keys = random.split(random.key(11), 3);
  const calls: Record<string, (k: Array) => Array> = {
    gamma: (k) => random.gamma(k, np.array([0.5, 2, 9]), undefined),
    beta: (k) => random.beta(k, 2, np.array([1, 3])),
    dirichlet: (k) => random.dirichlet(k, np.array([0.5, 1, 2])),
    t: (k) => random.t(k, 3, [2]),
    laplace: (k) => random.laplace(k, [4], { dtype: "float64" }),
    geometric: (k) => random.geometric(k, 0.4, [4]),
    poisson: (k) => random.poisson(k, np.array([2, 30])),
    multivariateNormal: (k) =>
      random.multivariateNormal(
        k,
        np.array([0, 1]),
        np.array([
          [1, 0.2],
          [0.2, 1],
        ]),
        [3],
      ),
  };
  for (const [name, f] of Object.entries(calls))
    it(`${name}: vmap over keys gives each key's samples, and jit the eager ones`, () => {
      const batched = vmap(f)(keys).tolist() as unknown[];
      for (let i = 0; i < 3; i++) {
        const one = f(keys.get(i)).tolist() as unknown;
        expect(batched[i]).toEqual(one);
      }
      const a = values(jit(f)(keys.get(0)));
      values(f(keys.get(0))).forEach((v, i) => expect(a[i]).toBeCloseTo(v, 5));
    });
});

describe("distributions: derivatives", () => {
  const k = random.key(5);
  it("lognormal is differentiable in sigma: d/dσ exp(σz) = z·exp(σz)", () => {
    const z = random.normal(k, [3]);
    const gr = grad((s: Array) => random.lognormal(k, s, [3]).sum())(np.array(0.7));
    const want = values(z).reduce((acc, zi) => acc + zi * Math.exp(0.7 * zi), 0);
    expect(gr.item()).toBeCloseTo(want, 4);
  });
  it("gamma, beta and t are differentiable in their shape parameters (implicit gradients; values in gamma-grad.test.ts)", () => {
    expect(Number.isFinite(grad((a: Array) => random.gamma(k, a, [2]).sum())(np.array(2.0)).item())).toBe(true);
    expect(Number.isFinite(grad((a: Array) => random.beta(k, a, 2, [2]).sum())(np.array(2.0)).item())).toBe(true);
    const [, tan] = jvp((d: Array) => random.t(k, d, [2]), [np.array(4.0)], [np.array(1.0)]);
    expect(values(tan as Array).every(Number.isFinite)).toBe(true);
  });
});

describe("distributions: errors", () => {
  const k = random.key(0);
  it("names the op and what it got", () => {
    expect(() => random.laplace(k, [2], { dtype: "int32" })).toThrow(/random\.laplace: dtype must be a float dtype/);
    expect(() => random.gamma(k, np.array([1, 2]), [3])).toThrow(/random\.gamma/);
    expect(() => random.dirichlet(k, 2)).toThrow(/random\.dirichlet: alpha must be an array of shape \[\.\.\., n\]/);
    expect(() => random.geometric(k, 1.5)).toThrow(/random\.geometric: p must be a probability in \(0, 1\], got 1\.5/);
    expect(() => random.rademacher(k, [2], { dtype: "bool" })).toThrow(/random\.rademacher: dtype must be "int32"/);
    expect(() => random.beta(random.split(k, 2), 1, 1)).toThrow(/random\.beta: expected a single PRNG key/);
    expect(() => random.t(k, "5" as unknown as number)).toThrow(/random\.t: df must be a number or an array/);
    expect(() => random.orthogonal(k, -2)).toThrow(/random\.orthogonal: n must be a non-negative integer, got -2/);
    expect(() => random.poisson(k, -1)).toThrow(/random\.poisson: lam must be a non-negative rate, got -1/);
    expect(() => random.poisson(k, 2, [2], { dtype: "float32" })).toThrow(/random\.poisson: dtype must be "int32"/);
    const eye2 = np.array([
      [1, 0],
      [0, 1],
    ]);
    expect(() => random.multivariateNormal(k, np.array([0, 0]), eye2, [2], { method: "svd" as never })).toThrow(
      /random\.multivariateNormal: method "svd" is not supported/,
    );
    expect(() => random.multivariateNormal(k, np.array([0, 0, 0]), eye2)).toThrow(
      /random\.multivariateNormal: cov must have shape \[\.\.\., n, n\] for n=3/,
    );
    expect(() => random.dirichlet(k, np.array([1, 2]), [3, 1])).not.toThrow();
    expect(() =>
      random.dirichlet(
        k,
        np.array([
          [1, 2],
          [3, 4],
          [5, 6],
        ]),
        [2],
      ),
    ).toThrow(/random\.dirichlet/);
    expect(() => random.cauchy(k, [2], { dtype: "float32", extra: 1 } as never)).toThrow(/random\.cauchy/);
  });
});
