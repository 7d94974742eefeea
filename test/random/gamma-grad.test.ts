/**
 * Derivatives of random.gamma (and loggamma, beta, dirichlet, chisquare) with respect to the shape
 * parameter: implicit reparameterization, dz/da = −(∂P/∂a)/(∂P/∂z) at the sample, as
 * `jax.random.gamma`'s (`lax.random_gamma_grad`). References: JAX 0.10.2
 * (test/fixtures/random-extra.json, scripts/random-extra-fixtures.py).
 *
 * Tolerances. float64: the series and continued fraction run to a relative change of 2⁻⁵³, so
 * graft and XLA agree to ~10⁻¹⁰; 10⁻⁹ relative. float32: the target accuracy is 10⁻⁴ relative to
 * the float64 value at the same inputs (S·(log z − ψ(a+1)) + dS/da cancels partly, costing up to a
 * few digits of float32's 7); JAX's own float32 values are within 10⁻⁵ of float64 on these cases.
 *
 * Two places where JAX's float32 value is not the reference: XLA on CPU flushes subnormal results to
 * zero, so a gamma(0.05) sample that is subnormal in graft is 0 in JAX (and so is its gradient):
 * where JAX has 0, a graft value below 10⁻³⁰ (z·O(10³)) counts as equal; and JAX's loggamma
 * gradient divides by exp(log z) clamped to the smallest normal float32 (`finfo.tiny`), so where
 * log z < log(2⁻¹²⁶) JAX's value is off (graft's is computed in log space); those elements are
 * skipped, and the float64 fixture (no underflow) checks the same formula there.
 *
 * A finite difference of the sampler in `a` at a fixed key is NOT a check of this gradient: the
 * rejection sampler's pathwise derivative is a different transport map (it does not keep the CDF
 * value fixed). Independent checks are instead the expectations it must reproduce: E[dz/da] =
 * dE[z]/da = 1, E[2z·dz/da] = dE[z²]/da = 2a + 1, and for loggamma E[d log z/da] = ψ'(a).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { grad, jit, jvp, np, random, vmap, type Array } from "../../src/index.js";
import { gammaSampleGrad } from "../../src/random/special.js";

interface Entry {
  shape: number[];
  values: number[];
  alpha?: number[];
  samples?: number[];
  a?: number[];
  x?: number[];
}
const fixture: { jax_version: string; float32: Record<string, Entry>; float64: Record<string, Entry> } = JSON.parse(
  readFileSync(new URL("../fixtures/random-extra.json", import.meta.url), "utf8"),
);
type Dt = "float32" | "float64";
const REL: Record<Dt, number> = { float32: 1e-4, float64: 1e-9 };
const vals = (x: Array): number[] => globalThis.Array.from(x.dataSync() as ArrayLike<number>);

function expectClose(got: number[], want: number[], rel: number, label: string, skip = (_i: number) => false): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    const w = want[i]!;
    if (skip(i) || (w === 0 && Math.abs(g) < 1e-30)) return;
    expect(Math.abs(g - w), `${label}[${i}]: graft ${g}, reference ${w}`).toBeLessThanOrEqual(rel * Math.abs(w));
  });
}

/** The graft calls matching the generator's jax.grad expressions. */
const GRAD_CASES: Record<string, (k: Array, dt: Dt) => (a: Array) => Array> = {
  gamma_grad: (k, dt) => (a) => np.sum(random.gamma(k, a, undefined, { dtype: dt })),
  loggamma_grad: (k, dt) => (a) => np.sum(random.loggamma(k, a, undefined, { dtype: dt })),
  beta_grad_a: (k, dt) => (a) => np.sum(random.beta(k, a, np.array(2, { dtype: dt }), undefined, { dtype: dt })),
  dirichlet_grad: (k, dt) => (a) =>
    np.sum(np.multiply(random.dirichlet(k, a, undefined, { dtype: dt }), np.array([1, 2, 3], { dtype: dt }))),
  chisquare_grad: (k, dt) => (a) => np.sum(random.chisquare(k, a, undefined, { dtype: dt })),
};

describe(`gamma implicit gradients against JAX ${fixture.jax_version}`, () => {
  for (const dt of ["float32", "float64"] as const) {
    it(`lax.random_gamma_grad(a, x) on a grid, ${dt} (vs the float64 values)`, () => {
      const g = fixture.float64.random_gamma_grad!;
      const got = gammaSampleGrad(np.array(g.a!, { dtype: dt }), np.log(np.array(g.x!, { dtype: dt })), false);
      expect(got.dtype).toBe(dt);
      expectClose(vals(got), g.values, REL[dt], "random_gamma_grad");
    });
    for (const seed of [0, 7])
      for (const [name, f] of Object.entries(GRAD_CASES))
        it(`jax.grad of ${name.replace("_grad", "")} ${dt} key(${seed})`, () => {
          const want = (dt === "float32" ? fixture.float32 : fixture.float64)[`${name}/${seed}`]!;
          const k = random.key(seed);
          const alpha = np.array(want.alpha!, { dtype: dt });
          const got = grad(f(k, dt))(alpha);
          expect(got.dtype).toBe(dt);
          const logz = name === "loggamma_grad" ? vals(random.loggamma(k, alpha, undefined, { dtype: dt })) : [];
          const clamped = (i: number) => dt === "float32" && logz[i] !== undefined && logz[i]! < Math.log(2 ** -126);
          expectClose(vals(got), want.values, REL[dt], name, clamped);
        });
  }

  for (const seed of [0, 7])
    it(`float32 gamma gradients are within 1e-4 of the float64 gradient at the same samples, key(${seed})`, () => {
      const truth = fixture.float64[`gamma_grad_f32_truth/${seed}`]!;
      const k = random.key(seed);
      const alpha = np.array(truth.alpha!, { dtype: "float32" });
      // The samples are JAX's up to float32 rounding of transcendental functions (distributions-jax.test.ts).
      expectClose(vals(random.gamma(k, alpha)), truth.samples!, 2 ** -17, "samples");
      expectClose(vals(grad(GRAD_CASES.gamma_grad!(k, "float32"))(alpha)), truth.values, 1e-4, "dz/da");
    });

  it("jit, vmap over keys and jvp give the same gradients", () => {
    const alpha = np.array(fixture.float32["gamma_grad/0"]!.alpha!, { dtype: "float32" });
    const f = (k: Array) => grad(GRAD_CASES.gamma_grad!(k, "float32"))(alpha);
    // Equal up to the roundings of wasm's vectorized transcendental functions under jit (≤ 4 ulp).
    const eager = vals(f(random.key(0)));
    expectClose(vals(jit(f)(random.key(0))), eager, 1e-5, "jit");
    const batched = vmap(f)(np.stack([random.key(0), random.key(7)]));
    expectClose(vals(batched.get(0)), eager, 1e-5, "vmap[0]");
    expectClose(vals(batched.get(1)), vals(f(random.key(7))), 1e-5, "vmap[1]");
    const [, tangent] = jvp((a: Array) => random.gamma(random.key(0), a), [alpha], [np.onesLike(alpha)]);
    expectClose(vals(tangent as Array), eager, 1e-6, "jvp");
  });

  it("second derivatives in a are NaN (JAX has no rule for them), first derivatives stay finite", () => {
    const k = random.key(3);
    const d1 = grad((a: Array) => np.sum(random.gamma(k, a, [3])));
    expect(vals(d1(np.array(2.0))).every(Number.isFinite)).toBe(true);
    expect(Number.isNaN(grad((a: Array) => d1(a))(np.array(2.0)).item())).toBe(true);
  });
});

/** ψ'(x), x > 0: recurrence up to x ≥ 10, then 1/x + 1/2x² + 1/6x³ − 1/30x⁵ + 1/42x⁷ − 1/30x⁹. */
function trigamma(x0: number): number {
  let x = x0;
  let s = 0;
  while (x < 10) {
    s += 1 / (x * x);
    x += 1;
  }
  const i = 1 / x;
  const i2 = i * i;
  return s + i + i2 / 2 + i * i2 * (1 / 6 - i2 * (1 / 30 - i2 * (1 / 42 - i2 / 30)));
}

/** |mean of xs − want| within 5 standard errors (a correct estimator fails with probability ~6·10⁻⁷). */
function expectMean(xs: number[], want: number, label: string): void {
  const n = xs.length;
  const m = xs.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (n - 1));
  expect(Math.abs(m - want), `${label}: mean ${m}, want ${want} (sd ${sd})`).toBeLessThan((5 * sd) / Math.sqrt(n));
}

describe("gamma implicit gradients reproduce derivatives of expectations", () => {
  // 3000 samples keep the reference CPU interpreter's run under a minute per case; the 5-σ bounds
  // scale with √N.
  const N = 3000;
  for (const a of [0.3, 2.5, 40])
    it(`a = ${a}: E[dz/da] = 1, E[2z·dz/da] = 2a + 1, E[d log z/da] = ψ'(a) over ${N} samples`, () => {
      const k = random.key(17);
      const full = np.full([N], a);
      const z = vals(random.gamma(k, full));
      const dz = vals(grad((al: Array) => np.sum(random.gamma(k, al)))(full));
      expectMean(dz, 1, "dz/da");
      expectMean(
        dz.map((d, i) => 2 * z[i]! * d),
        2 * a + 1,
        "d(z²)/da",
      );
      const dlog = vals(grad((al: Array) => np.sum(random.loggamma(k, al)))(full));
      expectMean(dlog, trigamma(a), "d log z/da");
    }, 180_000);
});
