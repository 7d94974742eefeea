import { describe, it, expect } from "vitest";
import { np, nn, jit } from "../../src/index.js";
import * as random from "../../src/random/index.js";
import { flat, expectClose } from "../helpers.js";

const I = nn.initializers;

function stats(x: np.Array): { mean: number; variance: number; min: number; max: number } {
  const v = flat(x);
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const variance = v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
  return { mean, variance, min: Math.min(...v), max: Math.max(...v) };
}
const expectRel = (got: number, want: number, rel: number, what: string) =>
  expect(Math.abs(got - want) / want, `${what}: got ${got}, want ${want}`).toBeLessThan(rel);

describe("computeFans (JAX variance_scaling conventions)", () => {
  it("dense, conv and low-rank shapes", () => {
    expect(I.computeFans([300, 200])).toEqual([300, 200]);
    expect(I.computeFans([3, 3, 16, 32])).toEqual([144, 288]); // receptive field 9
    // JAX refuses weights below 2-d; graft takes explicit fan axes there.
    expect(() => I.computeFans([7])).toThrow(
      /a 1-d shape \[7\] has no fan-in and fan-out axes.*pass \{ inAxis, outAxis \}/,
    );
    expect(() => I.computeFans([])).toThrow(/a 0-d shape/);
    expect(() => I.computeFans([7], { inAxis: 0 })).toThrow(/1-d shape/);
    expect(I.computeFans([7], { inAxis: 0, outAxis: [] })).toEqual([7, 1]);
    expect(() => I.glorotNormal(random.key(0), [5])).toThrow(/1-d shape \[5\]/);
    expect(I.computeFans([5, 16, 32], { batchAxis: [0] })).toEqual([16, 32]);
  });
});

describe("initializers: shapes, dtypes and promised variances", () => {
  const key = random.key(42);
  const shape = [400, 300]; // fan_in 400, fan_out 300, 120k samples
  const [fi, fo] = [400, 300];
  const cases: [string, nn.initializers.Initializer, number, number | null][] = [
    // name, init, variance, uniform bound (null for the normals)
    ["glorotUniform", I.glorotUniform, 2 / (fi + fo), Math.sqrt(6 / (fi + fo))],
    ["glorotNormal", I.glorotNormal, 2 / (fi + fo), null],
    ["heUniform", I.heUniform, 2 / fi, Math.sqrt(6 / fi)],
    ["heNormal", I.heNormal, 2 / fi, null],
    ["lecunNormal", I.lecunNormal, 1 / fi, null],
    ["lecunUniform", I.lecunUniform, 1 / fi, Math.sqrt(3 / fi)],
    ["normal(0.05)", I.normal(0.05), 0.05 ** 2, null],
    ["varianceScaling(3, fanOut, normal)", I.varianceScaling(3, "fanOut", "normal"), 3 / fo, null],
  ];
  for (const [name, init, variance, bound] of cases) {
    it(`${name}: variance ${variance.toPrecision(3)}`, () => {
      const w = init(key, shape);
      expect(w.shape).toEqual(shape);
      expect(w.dtype).toBe("float32");
      const s = stats(w);
      expectRel(s.variance, variance, 0.04, `${name} variance`);
      expect(Math.abs(s.mean)).toBeLessThan(0.02 * Math.sqrt(variance));
      if (bound !== null) {
        expect(s.max).toBeLessThanOrEqual(bound);
        expect(s.min).toBeGreaterThanOrEqual(-bound);
        expect(s.max).toBeGreaterThan(0.98 * bound);
      }
      if (name.endsWith("Normal")) {
        // truncated at 2σ of the underlying normal: |w| ≤ 2·√var/0.8796
        const cut = (2 * Math.sqrt(variance)) / 0.87962566103423978;
        expect(Math.max(s.max, -s.min)).toBeLessThanOrEqual(cut * (1 + 1e-5));
      }
    });
  }

  it("fans use the receptive field for conv kernels", () => {
    const w = I.heNormal(key, [3, 3, 32, 64]); // fan_in = 9·32 = 288
    expectRel(stats(w).variance, 2 / 288, 0.05, "conv heNormal variance");
    const g = I.glorotUniform(key, [3, 3, 32, 64]); // fan_avg = 9·(32+64)/2 = 432
    expectRel(stats(g).variance, 1 / 432, 0.05, "conv glorotUniform variance");
  });

  it("uniform(scale) is JAX's U[0, scale)", () => {
    const s = stats(I.uniform(2)(key, [200, 200]));
    expect(s.min).toBeGreaterThanOrEqual(0);
    expect(s.max).toBeLessThan(2);
    expectRel(s.mean, 1, 0.02, "mean");
    expectRel(s.variance, 4 / 12, 0.04, "variance");
  });

  it("zeros, ones, constant; dtype argument", () => {
    expectClose(I.zeros(key, [2, 2]), [0, 0, 0, 0]);
    expectClose(I.ones(key, [3]), [1, 1, 1]);
    expectClose(I.constant(0.5)(key, [2]), [0.5, 0.5]);
    expect(I.zeros(key, [2], "float64").dtype).toBe("float64");
    expect(I.constant(3)(key, [1], "int32").dtype).toBe("int32");
    expect(I.heNormal(key, [4, 4], "float64").dtype).toBe("float64");
  });

  it("works under jit (the key traced)", () => {
    const k = random.key(11);
    const eager = flat(I.glorotUniform(k, [6, 5]));
    const jitted = jit((kk: typeof k) => I.glorotUniform(kk, [6, 5]))(k);
    expectClose(jitted, eager, 1e-6);
    const q = jit((kk: typeof k) => I.orthogonal()(kk, [8, 8]))(k);
    expectClose(np.matmul(q.T, q), flat(np.eye(8)), 1e-5);
  });

  it("is deterministic in the key and differs across keys", () => {
    const a = flat(I.glorotNormal(random.key(1), [8, 8]));
    const b = flat(I.glorotNormal(random.key(1), [8, 8]));
    const c = flat(I.glorotNormal(random.key(2), [8, 8]));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });
});

describe("orthogonal", () => {
  const gram = (q: np.Array) => np.matmul(q.T, q).astype("float64");
  const eye = (n: number) => flat(np.eye(n));

  it("square: QᵀQ = I and QQᵀ = I", () => {
    const q = I.orthogonal()(random.key(3), [32, 32]);
    expect(q.shape).toEqual([32, 32]);
    expect(q.dtype).toBe("float32");
    expectClose(gram(q), eye(32), 1e-5);
    expectClose(np.matmul(q, q.T), eye(32), 1e-5);
  });

  it("tall: orthonormal columns; wide: orthonormal rows; scale multiplies", () => {
    const tall = I.orthogonal()(random.key(4), [50, 20]);
    expectClose(gram(tall), eye(20), 1e-5);
    const wide = I.orthogonal()(random.key(5), [10, 30]);
    expectClose(np.matmul(wide, wide.T), eye(10), 1e-5);
    const scaled = I.orthogonal({ scale: 2 })(random.key(6), [6, 6]);
    expectClose(gram(scaled), flat(np.eye(6).mul(4)), 1e-5);
    const q64 = I.orthogonal()(random.key(7), [16, 16], "float64");
    expect(q64.dtype).toBe("float64");
    expectClose(gram(q64), eye(16), 1e-12);
  });

  it("higher rank: columns on the last axis, the rest flattened into rows", () => {
    const q = I.orthogonal()(random.key(8), [3, 3, 4, 8]); // rows 36, cols 8
    expect(q.shape).toEqual([3, 3, 4, 8]);
    expectClose(gram(q.reshape([36, 8])), eye(8), 1e-5);
    const q0 = I.orthogonal({ columnAxis: 0 })(random.key(9), [5, 12]); // cols on axis 0 → rows of length 12 … orthonormal
    expect(q0.shape).toEqual([5, 12]);
    expectClose(np.matmul(q0, q0.T), eye(5), 1e-5);
    expect(() => I.orthogonal()(random.key(0), [5])).toThrow(/rank >= 2/);
  });
});
