/**
 * The Optax 0.2.8 additions against real Optax: test/fixtures/optax-trajectories.json holds, for
 * every case, the updates of 8 steps and the final params that Optax computed from a fixed
 * gradient sequence on a pytree { b: [3], w: [3, 4] } (scripts/optax-fixtures.py; float32 with
 * JAX's defaults, float64 with x64 on). The same gradients are replayed through graft.
 *
 * Tolerances, relative to 1 + |value|: float64 1e-12 — the same formulas in the same order leave
 * only last-bit differences of transcendental kernels (sqrt, pow), a few ulps (2.2e-16) per op over
 * 8 steps, with no cancellation beyond 1 − β (β ≤ 0.999 loses ≤ 3 digits: 1e-13). float32 2e-5 —
 * the same ulp reasoning at 6e-8 per op, plus the 1 − β₂ᵗ cancellation (0.999 in float32 is off by
 * 1.3e-5 relative after subtraction; Optax and graft round it differently, e.g. where Optax forms
 * β₂ᵗ from a weakly typed Python float), halved by the square root.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { expectTreesClose, np, optim, type DT } from "./_util.js";

type Leaves = { b: number[]; w: number[][] };
interface Case {
  name: string;
  dtype: DT;
  kind: "plain" | "nans" | "lookahead";
  updates: unknown[];
  final: unknown;
}
const fixture = JSON.parse(readFileSync(new URL("../fixtures/optax-trajectories.json", import.meta.url), "utf8")) as {
  optax: string;
  steps: number;
  params0: Leaves;
  grads: Leaves[];
  nanGrads: { b: (number | null)[]; w: (number | null)[] }[];
  cases: Case[];
};

const O = optim;
const sgdAdv = (rho: number) => O.chain(O.normalize(), O.sgd(rho));
const factories: Record<string, () => optim.GradientTransformation> = {
  lamb: () => O.lamb(0.05),
  "lamb-wd": () => O.lamb(0.05, { b1: 0.8, b2: 0.99, weightDecay: 0.1 }),
  lars: () => O.lars(0.1),
  "lars-wd-nesterov": () =>
    O.lars(0.1, { weightDecay: 0.01, trustCoefficient: 0.01, eps: 1e-6, momentum: 0.8, nesterov: true }),
  radam: () => O.radam(0.05),
  "radam-b2": () => O.radam(0.05, { b2: 0.9, threshold: 4 }),
  "radam-nesterov": () => O.radam(0.05, { b2: 0.9, nesterov: true }),
  adabelief: () => O.adabelief(0.05),
  "adabelief-nesterov": () => O.adabelief(0.05, { eps: 1e-8, epsRoot: 0, nesterov: true }),
  yogi: () => O.yogi(0.05),
  "yogi-b": () => O.yogi(0.05, { b1: 0.5, b2: 0.9, eps: 1e-2 }),
  adafactor: () => O.adafactor(),
  "adafactor-factored": () =>
    O.adafactor(0.05, { minDimSizeToFactor: 2, clippingThreshold: 0.5, momentum: 0.9, weightDecayRate: 0.01 }),
  "adafactor-noscale": () =>
    O.adafactor(0.05, {
      minDimSizeToFactor: 2,
      multiplyByParameterScale: false,
      clippingThreshold: null,
      decayRate: 0.5,
    }),
  scaleByTrustRatio: () => O.scaleByTrustRatio(),
  "scaleByTrustRatio-opts": () => O.scaleByTrustRatio({ minNorm: 0.5, trustCoefficient: 0.1, eps: 0.01 }),
  adaptiveGradClip: () => O.adaptiveGradClip(0.05),
  "adaptiveGradClip-eps": () => O.adaptiveGradClip(0.5, { eps: 2 }),
  zeroNans: () => O.zeroNans(),
  ema: () => O.ema(0.9),
  "ema-nodebias": () => O.ema(0.7, { debias: false }),
  "lookahead-sgd": () => O.lookahead(O.sgd(0.1), { syncPeriod: 3, slowStepSize: 0.5 }),
  "lookahead-adam-reset": () => O.lookahead(O.adam(0.05), { syncPeriod: 2, slowStepSize: 0.3, resetState: true }),
  "sam-sgd": () => O.sam(O.sgd(0.1), sgdAdv(0.05), { syncPeriod: 2 }),
  "sam-adam-3": () => O.sam(O.adam(0.05), sgdAdv(0.05), { syncPeriod: 3, resetState: false }),
};

const toTree = (t: Leaves, dtype: DT) => ({ b: np.array(t.b, { dtype }), w: np.array(t.w, { dtype }) });
const nanTree = (t: { b: (number | null)[]; w: (number | null)[] }, dtype: DT) => ({
  b: np.array(
    t.b.map((v) => v ?? Number.NaN),
    { dtype },
  ),
  w: np
    .array(
      t.w.map((v) => v ?? Number.NaN),
      { dtype },
    )
    .reshape([3, 4]),
});
/** A fixture tree (objects of nested number lists) as arrays of `dtype`. */
function convert(t: unknown, dtype: DT): unknown {
  if (t !== null && typeof t === "object" && !globalThis.Array.isArray(t))
    return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, convert(v, dtype)]));
  return np.array(t as number[], { dtype });
}

const TOL: Record<DT, number> = { float32: 2e-5, float64: 1e-12 };

describe(`Optax ${fixture.optax} trajectories`, () => {
  it("the fixture covers every factory in both dtypes", () => {
    const names = new Set(fixture.cases.map((c) => `${c.name}/${c.dtype}`));
    for (const n of Object.keys(factories))
      for (const d of ["float32", "float64"]) expect(names.has(`${n}/${d}`), `${n}/${d}`).toBe(true);
  });

  it.each(fixture.cases)("$name ($dtype)", (c) => {
    const make = factories[c.name];
    expect(make, c.name).toBeDefined();
    const opt = make!();
    const start = toTree(fixture.params0, c.dtype);
    let params: unknown = c.kind === "lookahead" ? { fast: start, slow: start } : start;
    let state = opt.init(params);
    for (let i = 0; i < fixture.steps; i++) {
      const g = c.kind === "nans" ? nanTree(fixture.nanGrads[i]!, c.dtype) : toTree(fixture.grads[i]!, c.dtype);
      const [u, next] = opt.update(g, state, params);
      expectTreesClose(u, convert(c.updates[i], c.dtype), TOL[c.dtype], `updates of step ${i + 1}`);
      params = O.applyUpdates(params, u);
      state = next;
    }
    expectTreesClose(params, convert(c.final, c.dtype), TOL[c.dtype], "final params");
  });
});
