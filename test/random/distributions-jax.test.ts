/**
 * The distributions of `distributions-*.ts` against samples printed by JAX 0.10.2
 * (test/fixtures/random-distributions.json, from scripts/random-distributions-fixtures.py), for the
 * same keys: float32 and float64 (jax_enable_x64), the legacy threefry scheme, eagerly and under jit.
 *
 * Tolerance: each sample is the same function of the same random bits as JAX's, so the only
 * difference allowed is the rounding of transcendental functions (XLA's log/log1p/tan/pow/erfinv
 * are not always correctly rounded; graft's wasm backend uses ≤ 4-ulp vectorized versions under
 * jit). A few such roundings chained give at most some tens of ulps: 2^-17 relative for float32,
 * 2^-40 for float64 (float64 normal refines erfinv differently from XLA, README "random"). A
 * different rejection decision or key split would give an unrelated value, far outside these.
 * Integer samples must be equal. XLA on CPU flushes subnormal results to zero: where JAX gives 0, a
 * subnormal graft value (gamma(0.05) = d·V·u^20 can underflow so far) counts as equal.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { jit, np, random, type Array } from "../../src/index.js";
import type { RandomApi } from "../../src/random/index.js";

interface Sample {
  shape: number[];
  dtype: string;
  values: number[];
}
interface Fixture {
  jax_version: string;
  float32: Record<string, Sample>;
  float64: Record<string, Sample>;
  legacy: Record<string, Sample>;
}
const fixture: Fixture = JSON.parse(
  readFileSync(new URL("../fixtures/random-distributions.json", import.meta.url), "utf8"),
);

type Dt = "float32" | "float64";
type Case = (r: RandomApi, k: Array, dt: Dt) => Array;
const a = (v: number | number[] | number[][], dt: Dt) => np.array(v, { dtype: dt });

/** The graft calls matching the fixture's JAX expressions (see the generator script). */
const FLOAT_CASES: Record<string, Case> = {
  laplace: (r, k, dt) => r.laplace(k, [16], { dtype: dt }),
  logistic: (r, k, dt) => r.logistic(k, [16], { dtype: dt }),
  cauchy: (r, k, dt) => r.cauchy(k, [16], { dtype: dt }),
  lognormal: (r, k, dt) => r.lognormal(k, a(0.5, dt), [16], { dtype: dt }),
  lognormal_sigma_shape: (r, k, dt) => r.lognormal(k, a([0.1, 1, 2], dt), undefined, { dtype: dt }),
  gamma_vector: (r, k, dt) => r.gamma(k, a([0.05, 0.5, 1, 2.5, 10, 100], dt), undefined, { dtype: dt }),
  gamma_scalar: (r, k, dt) => r.gamma(k, a(2.5, dt), [16], { dtype: dt }),
  loggamma: (r, k, dt) => r.loggamma(k, a([0.01, 0.5, 3], dt), undefined, { dtype: dt }),
  beta: (r, k, dt) => r.beta(k, a(2, dt), a(5, dt), [8], { dtype: dt }),
  beta_arrays: (r, k, dt) => r.beta(k, a([0.5, 1, 3], dt), a([[1], [4]], dt), undefined, { dtype: dt }),
  dirichlet: (r, k, dt) => r.dirichlet(k, a([1, 2, 3], dt), [4], { dtype: dt }),
  chisquare: (r, k, dt) => r.chisquare(k, a(3, dt), [8], { dtype: dt }),
  t: (r, k, dt) => r.t(k, a(5, dt), [8], { dtype: dt }),
  multivariate_normal: (r, k, dt) =>
    r.multivariateNormal(
      k,
      a([1, -2, 0.5], dt),
      a(
        [
          [2, 0.3, 0.1],
          [0.3, 1, -0.2],
          [0.1, -0.2, 0.5],
        ],
        dt,
      ),
      [4],
      { dtype: dt },
    ),
  orthogonal: (r, k, dt) => r.orthogonal(k, 3, [], { dtype: dt }),
  orthogonal_batched: (r, k, dt) => r.orthogonal(k, 4, [2], { dtype: dt }),
  orthogonal_wide: (r, k, dt) => r.orthogonal(k, 2, [], { dtype: dt, m: 4 }),
  orthogonal_tall: (r, k, dt) => r.orthogonal(k, 4, [], { dtype: dt, m: 2 }),
  multivariate_normal_batched_cov: (r, k, dt) =>
    r.multivariateNormal(
      k,
      a([0, 1], dt),
      np.array(
        [
          [
            [1, 0.5],
            [0.5, 2],
          ],
          [
            [0.2, 0],
            [0, 3],
          ],
        ],
        { dtype: dt },
      ),
      undefined,
      { dtype: dt },
    ),
};
const INT_CASES: Record<string, Case> = {
  rademacher: (r, k) => r.rademacher(k, [16]),
  geometric: (r, k) => r.geometric(k, 0.3, [16]),
  geometric_p_array: (r, k) => r.geometric(k, np.array([0.05, 0.5, 0.95], { dtype: "float32" })),
  poisson_small: (r, k) => r.poisson(k, 3.5, [16]),
  poisson_large: (r, k) => r.poisson(k, 50, [16]),
  poisson_mixed: (r, k) => r.poisson(k, np.array([0, 0.5, 9.9, 10, 1000], { dtype: "float32" })),
};

const TINY: Record<Dt, number> = { float32: 2 ** -126, float64: 2 ** -1022 };
const REL: Record<Dt, number> = { float32: 2 ** -17, float64: 2 ** -40 };

/**
 * multivariateNormal's mean + L·z is a sum whose rounding (Cholesky, dot order) is relative to its
 * O(1) terms, not to the result, which can be near 0; orthogonal's entries come from a different
 * QR algorithm (Gram–Schmidt, not Householder), whose rounding is relative to the unit column
 * norms. Their errors are measured against max(|x|, 1).
 */
const SCALE_FLOOR = (name: string) => (name.startsWith("multivariate_normal") || name.startsWith("orthogonal") ? 1 : 0);

function expectMatches(got: Array, want: Sample, rel: number, floor: number): void {
  expect(got.shape).toEqual(want.shape);
  const g = globalThis.Array.from(got.dataSync() as ArrayLike<number>);
  g.forEach((v, i) => {
    const w = want.values[i]!;
    if (w === 0 && Math.abs(v) < TINY[got.dtype as Dt]) return;
    if (!(Math.abs(v - w) <= rel * Math.max(Math.abs(w), floor))) expect.fail(`element ${i}: graft ${v}, JAX ${w}`);
  });
}

function check(scheme: "current" | "legacy", dt: Dt, name: string, call: Case, seed: number, jitted: boolean) {
  const table = scheme === "legacy" ? fixture.legacy : dt === "float32" ? fixture.float32 : fixture.float64;
  const want = table[`${name}/${seed}`];
  if (want === undefined) throw new Error(`fixture has no ${name}/${seed}`);
  const r = scheme === "legacy" ? random.legacy : (random as unknown as RandomApi);
  const k = random.key(seed);
  const got = jitted ? jit((kk: Array) => call(r, kk, dt))(k) : call(r, k, dt);
  if (want.dtype.startsWith("int")) {
    expect(got.dtype).toBe("int32");
    expect(got.shape).toEqual(want.shape);
    expect(globalThis.Array.from(got.dataSync() as ArrayLike<number>)).toEqual(want.values);
  } else {
    expect(got.dtype).toBe(dt);
    expectMatches(got, want, REL[dt], SCALE_FLOOR(name));
  }
}

describe(`random distributions against JAX ${fixture.jax_version}`, () => {
  for (const seed of [0, 7]) {
    for (const dt of ["float32", "float64"] as const)
      for (const [name, call] of Object.entries(FLOAT_CASES))
        it(`${name} ${dt} key(${seed})`, () => check("current", dt, name, call, seed, false));
    for (const [name, call] of Object.entries(INT_CASES))
      it(`${name} key(${seed})`, () => check("current", "float32", name, call, seed, false));
    for (const name of ["gamma_vector", "laplace"])
      it(`legacy ${name} key(${seed})`, () => check("legacy", "float32", name, FLOAT_CASES[name]!, seed, false));
  }
  for (const name of [
    "laplace",
    "cauchy",
    "gamma_vector",
    "beta_arrays",
    "dirichlet",
    "t",
    "multivariate_normal",
    "orthogonal_wide",
  ])
    it(`${name} float32 under jit`, () => check("current", "float32", name, FLOAT_CASES[name]!, 0, true));
  it("geometric under jit", () => check("current", "float32", "geometric", INT_CASES.geometric!, 7, true));
  it("poisson under jit", () => check("current", "float32", "poisson_mixed", INT_CASES.poisson_mixed!, 7, true));
});
