/**
 * nn additions beyond the JAX value checks (nn-extra-jax.test.ts): derivatives (checkGrads against
 * finite differences), vmap/jit composition, the embedding layer, and error messages.
 */
import { describe, expect, it } from "vitest";
import { grad, jit, np, nn, vmap } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import { checkGrads } from "../../src/testing/index.js";
import { expectClose, f64, flat } from "../helpers.js";

describe("derivatives", () => {
  it("activations, away from their kinks (orders 1-2)", () => {
    const pts = f64([-2.3, -0.7, 0.35, 1.8, 4.2]);
    for (const f of [nn.relu6, nn.hardSigmoid, nn.softSign, (x: np.Array) => nn.celu(x, 1.5), nn.mish])
      checkGrads(f, [pts], { order: 2 });
    checkGrads((x: np.Array) => nn.glu(x, 0), [f64([0.3, -1.2, 0.8, 2.1])], { order: 2 });
  });
  it("relu6 takes JAX's zero gradient at its kinks 0 and 6, and 1 inside", () => {
    expectClose(grad((x: np.Array) => np.sum(nn.relu6(x)))(f64([0, 6, 3, -1, 7])), [0, 0, 1, 0, 0], 0);
  });
  it("standardize and dotProductAttention (orders 1-2)", () => {
    const x = random.normal(random.key(0), [2, 4], { dtype: "float64" });
    checkGrads((v: np.Array) => nn.standardize(v), [x], { order: 2 });
    checkGrads((v: np.Array) => nn.standardize(v, { axis: 0, algorithm: "stable" }), [x], { order: 2 });
    const keys = random.split(random.key(1), 3);
    const q = random.normal(keys.get(0), [1, 3, 2, 2], { dtype: "float64" });
    const k = random.normal(keys.get(1), [1, 4, 1, 2], { dtype: "float64" });
    const v = random.normal(keys.get(2), [1, 4, 1, 2], { dtype: "float64" });
    const mask = np.array([[[[true, false, true, true]]]]);
    checkGrads((a: np.Array, b: np.Array, c: np.Array) => nn.dotProductAttention(a, b, c, { mask }), [q, k, v], {
      order: 2,
    });
  });
});

describe("composition", () => {
  it("vmap over a batch equals the batched call; jit equals eager", () => {
    const q = random.normal(random.key(2), [3, 4, 2, 2], { dtype: "float64" });
    const eager = nn.dotProductAttention(q, q, q, { isCausal: true });
    const mapped = vmap((a: np.Array) => nn.dotProductAttention(a, a, a, { isCausal: true }))(q);
    expectClose(mapped, flat(eager), 1e-12);
    const jitted = jit((a: np.Array) => nn.dotProductAttention(a, a, a, { isCausal: true }))(q);
    expectClose(jitted, flat(eager), 1e-12);
    const labels = np.array(
      [
        [1, 0],
        [2, 5],
      ],
      { dtype: "int32" },
    );
    expectClose(jit((l: np.Array) => nn.oneHot(l, 3))(labels), flat(nn.oneHot(labels, 3)), 0);
    const s = random.normal(random.key(3), [3, 5], { dtype: "float64" });
    expectClose(vmap((r: np.Array) => nn.standardize(r))(s), flat(nn.standardize(s)), 1e-12);
  });
  it("causal attention: query 0 attends only to key 0, so it returns value 0", () => {
    const q = random.normal(random.key(4), [1, 3, 1, 2], { dtype: "float64" });
    const v = random.normal(random.key(5), [1, 3, 1, 2], { dtype: "float64" });
    const y = nn.dotProductAttention(q, q, v, { isCausal: true });
    expectClose(y.get(0, 0), flat(v.get(0, 0)), 1e-15);
  });
});

describe("embedding", () => {
  it("init: a [numEmbeddings, features] table with variance ≈ 1/features; apply gathers rows", () => {
    const layer = nn.embedding(500, 16);
    const { params, state, outputShape } = layer.init(random.key(0), [2, 3]);
    expect([params.embedding.shape, params.embedding.dtype, state, outputShape]).toEqual([
      [500, 16],
      "float32",
      null,
      [2, 3, 16],
    ]);
    // 8000 draws of variance 1/16: the sample variance's standard error is ≈ 1/16·√(2/8000) ≈ 1e-3.
    expect(Math.abs(np.var_(params.embedding).item() - 1 / 16)).toBeLessThan(5e-3);
    const ids = np.array(
      [
        [3, 0, 499],
        [3, 7, 1],
      ],
      { dtype: "int32" },
    );
    const y = layer.apply(params, ids);
    expect(y.shape).toEqual([2, 3, 16]);
    expect(flat(y.get(0, 2))).toEqual(flat(params.embedding.get(499)));
    expect(flat(y.get(1, 0))).toEqual(flat(params.embedding.get(3)));
    // Out-of-range ids follow np.take: -1 is the last row, 500 is clamped to it.
    const edge = layer.apply(params, np.array([-1, 500], { dtype: "int32" }));
    expect(flat(edge)).toEqual([...flat(params.embedding.get(499)), ...flat(params.embedding.get(499))]);
  });
  it("the gradient scatters-adds into the rows used (id 3 twice)", () => {
    const layer = nn.embedding(5, 2, { embeddingInit: (_k, shape, dtype) => np.zeros(shape, { dtype }) });
    const { params } = layer.init(random.key(0), [3]);
    const ids = np.array([3, 1, 3], { dtype: "int32" });
    const g = grad((p: typeof params) => np.sum(layer.apply(p, ids)))(params);
    expect(flat(g.embedding)).toEqual([0, 0, 1, 1, 0, 0, 2, 2, 0, 0]);
  });
  it("composes with sequential and dense", () => {
    const model = nn.sequential(nn.embedding(10, 4), nn.dense(3));
    const { params, outputShape } = model.init(random.key(1), [5]);
    expect(outputShape).toEqual([5, 3]);
    expect(model.apply(params, np.arange(5, { dtype: "int32" })).shape).toEqual([5, 3]);
  });
  it("errors", () => {
    expect(() => nn.embedding(0, 4)).toThrow(/embedding: numEmbeddings must be a positive integer/);
    expect(() => nn.embedding(4, 2.5)).toThrow(/embedding: features must be a positive integer/);
    expect(() => nn.embedding(4, 2, { init: 1 } as never)).toThrow(/embedding/);
    const layer = nn.embedding(4, 2);
    const { params } = layer.init(random.key(0), [2]);
    expect(() => layer.apply(params, np.array([1, 2]))).toThrow(
      /embedding\(4, 2\): ids must be an int32 or uint32 array, got float32; convert them with ids.astype\("int32"\)/,
    );
  });
});

describe("errors", () => {
  it("activations", () => {
    expect(() => nn.glu(np.ones([2, 3]))).toThrow(/glu: axis -1 has length 3, which is odd/);
    expect(() => nn.glu(np.array(1))).toThrow(/glu: expected an array with at least one axis/);
    expect(() => nn.glu(np.ones([2]), 2)).toThrow(/glu/);
    expect(() => nn.celu(np.ones([2]), 0)).toThrow(/celu: alpha must be a positive number/);
  });
  it("oneHot", () => {
    expect(() => nn.oneHot(np.array([1]), -1)).toThrow(/oneHot: numClasses must be a non-negative integer/);
    expect(() => nn.oneHot(np.array([1]), 2.5)).toThrow(/oneHot: numClasses must be a non-negative integer/);
    expect(() => nn.oneHot(np.array([1]), 3, { axis: 2 })).toThrow(/oneHot/);
    expect(() => nn.oneHot(np.array([1]), 3, { dtype: "float16" as never })).toThrow(/oneHot: dtype must be one of/);
    expect(() => nn.oneHot(np.array([1]), 3, { depth: 3 } as never)).toThrow(/oneHot/);
  });
  it("standardize", () => {
    expect(() => nn.standardize(np.array(2))).toThrow(/standardize: x is a scalar.*axis: null/);
    expect(() => nn.standardize(np.ones([2]), { epsilon: -1 })).toThrow(/standardize: epsilon must be a number >= 0/);
    expect(() => nn.standardize(np.ones([2]), { algorithm: "exact" as never })).toThrow(
      /standardize: algorithm must be "fast" or "stable"/,
    );
  });
  it("dotProductAttention", () => {
    const q = np.ones([1, 2, 4, 3]);
    expect(() => nn.dotProductAttention(np.ones([2, 3]), np.ones([2, 3]), np.ones([2, 3]))).toThrow(
      /dotProductAttention: query must be \[B, T, N, H\] or unbatched \[T, N, H\]/,
    );
    expect(() => nn.dotProductAttention(q, np.ones([2, 4, 3]), np.ones([2, 4, 3]))).toThrow(/same rank/);
    expect(() => nn.dotProductAttention(q, np.ones([1, 5, 4, 2]), np.ones([1, 5, 4, 2]))).toThrow(
      /key and value must both be \[B, S, K, H\] with query's B=1 and H=3/,
    );
    expect(() => nn.dotProductAttention(q, np.ones([1, 5, 3, 3]), np.ones([1, 5, 3, 3]))).toThrow(
      /the number of query heads \(4\) must be a multiple of the key\/value heads \(3\)/,
    );
    expect(() => nn.dotProductAttention(q, q, q, { mask: np.ones([2, 2]) })).toThrow(
      /dotProductAttention: mask must be a boolean array/,
    );
  });
});
