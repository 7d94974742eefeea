/**
 * relu6, hardSigmoid, softSign, celu, mish, glu, oneHot, standardize and dotProductAttention
 * against jax.nn 0.10.2 (test/fixtures/nn-extra.json, from scripts/nn-extra-fixtures.py with x64).
 * JAX runs attention's softmax in float32 even for float64 inputs, so the attention references are
 * a float64 NumPy transcription of JAX's formula, checked by the script against JAX (to 1e-5).
 *
 * Tolerances, relative to 1 + |value|: float64 1e-12 — the same formulas in float64, leaving only
 * last-bit differences of exp/tanh/log1p kernels and of summation order in the attention matmuls
 * (a few ulps of 2.2e-16 each). float32 inputs 2e-6 — the float32 rounding of the inputs and of a
 * handful of ops (6e-8 each), with no cancellation beyond what the float64 values show.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { np, nn } from "../../src/index.js";
import { expectClose } from "../helpers.js";

type Nested = number | Nested[];
const fx = JSON.parse(readFileSync(new URL("../fixtures/nn-extra.json", import.meta.url), "utf8")) as Record<
  string,
  Nested
> & { attn: Record<string, Nested | boolean[][][][]> };

const flatten = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flatten) : [v]);
const f64 = (v: Nested) => np.array(v as number[], { dtype: "float64" });
const f32 = (v: Nested) => np.array(v as number[], { dtype: "float32" });
const TOL64 = 1e-12;
const TOL32 = 2e-6;

describe("elementwise activations vs jax.nn", () => {
  const cases: [string, (x: np.Array) => np.Array][] = [
    ["relu6", nn.relu6],
    ["hardSigmoid", nn.hardSigmoid],
    ["softSign", nn.softSign],
    ["celu", (x) => nn.celu(x)],
    ["celu_alpha2", (x) => nn.celu(x, 2)],
    ["mish", nn.mish],
  ];
  for (const [name, f] of cases) {
    it(`${name} float64 and float32`, () => {
      const want = flatten(fx[name]!);
      const y64 = f(f64(fx.x!));
      expect(y64.dtype).toBe("float64");
      expectClose(y64, want, TOL64);
      const y32 = f(f32(fx.x!));
      expect(y32.dtype).toBe("float32");
      expectClose(y32, want, TOL32);
    });
  }

  it("glu along the last axis and along axis 0", () => {
    const x = f64(fx.glu_x!);
    const last = nn.glu(x);
    expect(last.shape).toEqual([2, 3, 2]);
    expectClose(last, flatten(fx.glu_last!), TOL64);
    const first = nn.glu(x, 0);
    expect(first.shape).toEqual([1, 3, 4]);
    expectClose(first, flatten(fx.glu_axis0!), TOL64);
  });
});

describe("oneHot vs jax.nn.one_hot", () => {
  const labels = np.array(fx.oneHot_labels as number[][], { dtype: "int32" });
  it("class axis last, first and in the middle; out-of-range and negative labels give zeros", () => {
    const last = nn.oneHot(labels, 4);
    expect([last.shape, last.dtype]).toEqual([[2, 3, 4], "float32"]);
    expectClose(last, flatten(fx.oneHot_last!), 0);
    const first = nn.oneHot(labels, 4, { axis: 0 });
    expect(first.shape).toEqual([4, 2, 3]);
    expectClose(first, flatten(fx.oneHot_axis0!), 0);
    const middle = nn.oneHot(labels, 4, { axis: 1 });
    expect(middle.shape).toEqual([2, 4, 3]);
    expectClose(middle, flatten(fx.oneHot_axis1!), 0);
  });
  it("dtype option", () => {
    const y = nn.oneHot(labels, 4, { dtype: "int32" });
    expect(y.dtype).toBe("int32");
    expectClose(y, flatten(fx.oneHot_last!), 0);
  });
});

describe("standardize vs jax.nn.standardize", () => {
  const x = f64(fx.standardize_x!);
  it("default axis -1, axis 0, both axes with epsilon, given mean and variance", () => {
    expectClose(nn.standardize(x), flatten(fx.standardize_last!), TOL64);
    expectClose(nn.standardize(x, { axis: 0 }), flatten(fx.standardize_axis0!), TOL64);
    expectClose(nn.standardize(x, { axis: [0, 1], epsilon: 0.5 }), flatten(fx.standardize_all_eps!), TOL64);
    expectClose(nn.standardize(x, { mean: 1, variance: 4 }), flatten(fx.standardize_given!), TOL64);
    expectClose(nn.standardize(x, { axis: 0, algorithm: "stable" }), flatten(fx.standardize_stable!), TOL64);
  });
  it("float32", () => {
    const y = nn.standardize(f32(fx.standardize_x!));
    expect(y.dtype).toBe("float32");
    // E[x²] − mean² cancels: x ~ N(2, 9) loses ~log2(1 + 4/9) < 1 bit, so float32 keeps ~1e-6.
    expectClose(y, flatten(fx.standardize_last!), 1e-5);
  });
});

describe("dotProductAttention vs jax.nn.dot_product_attention", () => {
  const a = fx.attn;
  const q = f64(a.q as Nested);
  const k = f64(a.k as Nested);
  const v = f64(a.v as Nested);
  it("plain (scale 1/√H) and an explicit scale", () => {
    const y = nn.dotProductAttention(q, k, v);
    expect(y.shape).toEqual([2, 4, 4, 3]);
    expectClose(y, flatten(a.plain as Nested), TOL64);
    expectClose(nn.dotProductAttention(q, k, v, { scale: 0.7 }), flatten(a.scaled as Nested), TOL64);
  });
  it("bias and a boolean mask, including a fully masked row (uniform, not NaN)", () => {
    const mask = np.array(a.mask as unknown as boolean[][][][], { dtype: "bool" });
    const y = nn.dotProductAttention(q, k, v, { bias: f64(a.bias as Nested), mask });
    expectClose(y, flatten(a.bias_mask as Nested), TOL64);
  });
  it("grouped-query attention: 4 query heads over 2 key/value heads", () => {
    const y = nn.dotProductAttention(q, f64(a.kg as Nested), f64(a.vg as Nested));
    expectClose(y, flatten(a.gqa as Nested), TOL64);
  });
  it("unbatched [T, N, H] inputs", () => {
    const y = nn.dotProductAttention(q.get(0), k.get(0), v.get(0));
    expect(y.shape).toEqual([4, 4, 3]);
    expectClose(y, flatten(a.unbatched as Nested), TOL64);
  });
  it("isCausal", () => {
    const y = nn.dotProductAttention(f64(a.qs as Nested), f64(a.ks as Nested), f64(a.vs as Nested), { isCausal: true });
    expectClose(y, flatten(a.causal as Nested), TOL64);
  });
  it("float32", () => {
    const y = nn.dotProductAttention(f32(a.q as Nested), f32(a.k as Nested), f32(a.v as Nested));
    expect(y.dtype).toBe("float32");
    expectClose(y, flatten(a.plain as Nested), 1e-5);
  });
});
