import { describe, expect, it } from "vitest";
import * as np from "../../src/numpy/index.js";
import * as random from "../../src/random/index.js";
import { flatten } from "../../src/tree/index.js";
import { lossSlice1d, lossSlice2d, randomDirection } from "../../src/curvature/index.js";
import { NormalStream } from "./_spectra.js";

type Array = np.Array;

const flat = (x: Array): number[] => Array.from(x.dataSync(), Number);
const close = (got: readonly number[], want: readonly number[], tol = 1e-10): void => {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) =>
    expect(Math.abs(g - want[i]!), `index ${i}: got ${g}, want ${want[i]}`).toBeLessThanOrEqual(
      tol * (1 + Math.abs(want[i]!)),
    ),
  );
};
/** Norms of the slices of x along `axis` (each slice over all other axes). */
function sliceNorms(x: Array, axis: number): number[] {
  const ax = axis < 0 ? axis + x.ndim : axis;
  const other = Array.from({ length: x.ndim }, (_, a) => a).filter((a) => a !== ax);
  return flat(x.square().sum(other).sqrt());
}
const randn = (shape: number[], seed: number, dtype: "float32" | "float64" = "float64"): Array =>
  np.array(new NormalStream(seed).normals(shape.reduce((a, b) => a * b, 1)), { shape, dtype });

describe("randomDirection", () => {
  const params = {
    dense: { w: randn([4, 5], 1), b: randn([5], 2) },
    conv: randn([3, 2, 2, 2], 3),
    scale: np.array(2, { dtype: "float64" }),
  };

  it("filter normalization: every filter's norm equals the parameters' filter norm; biases zero", () => {
    const d = randomDirection(0, params);
    expect(flatten(d)[1].equals(flatten(params)[1])).toBe(true);
    close(sliceNorms(d.dense.w, 0), sliceNorms(params.dense.w, 0), 1e-12);
    close(sliceNorms(d.conv, 0), sliceNorms(params.conv, 0), 1e-12);
    close(flat(d.dense.b), [0, 0, 0, 0, 0]);
    close(flat(d.scale), [0]);
    expect(d.dense.w.dtype).toBe("float64");
    // it is random: not a rescaled copy of the parameters
    const cos =
      flat(d.dense.w).reduce((s, x, i) => s + x * flat(params.dense.w)[i]!, 0) /
      (Math.hypot(...flat(d.dense.w)) * Math.hypot(...flat(params.dense.w)));
    expect(Math.abs(cos)).toBeLessThan(0.9);
  });

  it("filterAxis picks columns; biases: 'normalize' matches whole-leaf norms", () => {
    const d = randomDirection(5, params, { filterAxis: -1, biases: "normalize" });
    close(sliceNorms(d.dense.w, -1), sliceNorms(params.dense.w, -1), 1e-12);
    close(sliceNorms(d.conv, -1), sliceNorms(params.conv, -1), 1e-12);
    close([Math.hypot(...flat(d.dense.b))], [Math.hypot(...flat(params.dense.b))], 1e-12);
    close([Math.abs(d.scale.item() as number)], [2]);
  });

  it("is deterministic per seed (and per key), different across seeds; dtypes follow params", () => {
    const a = randomDirection(7, params);
    const b = randomDirection(7, params);
    const c = randomDirection(8, params);
    expect(flat(a.dense.w)).toEqual(flat(b.dense.w));
    expect(flat(a.dense.w)).not.toEqual(flat(c.dense.w));
    const key = random.key(3);
    expect(flat(randomDirection(key, params).conv)).toEqual(flat(randomDirection(key, params).conv));
    expect(flat(randomDirection(3, params).conv)).toEqual(flat(randomDirection(key, params).conv)); // seed s = random.key(s)
    const p32 = { w: randn([3, 3], 4, "float32") };
    const d32 = randomDirection(1, p32);
    expect(d32.w.dtype).toBe("float32");
    close(sliceNorms(d32.w, 0), sliceNorms(p32.w, 0), 1e-6);
  });

  it("without filter normalization: plain N(0, 1) noise everywhere", () => {
    const big = { w: np.zeros([200, 50], { dtype: "float64" }), b: np.zeros([50], { dtype: "float64" }) };
    const d = randomDirection(3, big, { filterNormalized: false });
    const xs = flat(d.w);
    const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
    const variance = xs.reduce((a, b) => a + (b - mean) ** 2, 0) / xs.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    expect(flat(d.b).some((x) => x !== 0)).toBe(true);
  });

  it("a zero filter gets a zero direction (no NaN)", () => {
    const p = {
      w: np.array(
        [
          [0, 0, 0],
          [1, 2, 2],
        ],
        { dtype: "float64" },
      ),
    };
    const d = randomDirection(2, p);
    close(flat(d.w).slice(0, 3), [0, 0, 0]);
    close([Math.hypot(...flat(d.w).slice(3))], [3], 1e-12);
  });

  it("rejects bad options", () => {
    expect(() => randomDirection(0, params, { filterAxis: 4 })).toThrow(/filterAxis 4 is out of range/);
    expect(() => randomDirection(0, params, { filterAxis: 0.5 })).toThrow(/filterAxis must be an integer/);
    expect(() => randomDirection(0, params, { biases: "keep" } as never)).toThrow(/biases must be/);
    expect(() => randomDirection(0, params, { filterNormalised: true } as never)).toThrow(
      /unknown option 'filterNormalised'/,
    );
    expect(() => randomDirection(1.5, params)).toThrow(/seed must be a finite integer/);
    expect(() => randomDirection(np.array([0, 1], { dtype: "int32" }), params)).toThrow(/uint32\[2\]/);
    expect(() => randomDirection(0, { w: np.ones([2], { dtype: "int32" }) })).toThrow(/dtype int32/);
  });
});

describe("lossSlice1d / lossSlice2d", () => {
  // f(θ) = ½ θᵀAθ + bᵀθ over the flattened params {u: [2], v: [2, 2]} (keys sorted: u, then v)
  const A6 = [
    [4, 1, 0, 0.5, 0, 0],
    [1, 3, 0.2, 0, 0, 0],
    [0, 0.2, 2, 0.1, 0, 0],
    [0.5, 0, 0.1, 1, 0.3, 0],
    [0, 0, 0, 0.3, 5, 0],
    [0, 0, 0, 0, 0, 2],
  ];
  const bvec = [1, -1, 0.5, 0, 2, -0.5];
  const Am = np.array(A6, { dtype: "float64" });
  const bm = np.array(bvec, { dtype: "float64" });
  type P = { u: Array; v: Array };
  const vec = (p: P) => np.concatenate([p.u, p.v.reshape([-1])]);
  const f = (p: P): Array => {
    const x = vec(p);
    return x.mul(np.matmul(Am, x)).sum().div(2).add(bm.mul(x).sum());
  };
  const host = (p: P) => [...flat(p.u), ...flat(p.v)];
  const fHost = (x: number[]) =>
    0.5 * x.reduce((s, xi, i) => s + xi * A6[i]!.reduce((t, a, j) => t + a * x[j]!, 0), 0) +
    x.reduce((s, xi, i) => s + bvec[i]! * xi, 0);
  const Ax = (x: number[]) => A6.map((r) => r.reduce((t, a, j) => t + a * x[j]!, 0));
  const dotv = (x: number[], y: number[]) => x.reduce((s, xi, i) => s + xi * y[i]!, 0);
  const theta: P = {
    u: np.array([0.3, -0.7], { dtype: "float64" }),
    v: np.array(
      [
        [1, 0.5],
        [-0.2, 0.1],
      ],
      { dtype: "float64" },
    ),
  };
  const d1: P = {
    u: np.array([1, 0.5], { dtype: "float64" }),
    v: np.array(
      [
        [0.2, -1],
        [0.3, 0.7],
      ],
      { dtype: "float64" },
    ),
  };
  const d2: P = {
    u: np.array([-0.4, 0.9], { dtype: "float64" }),
    v: np.array(
      [
        [0.6, 0.1],
        [-0.5, 0.2],
      ],
      { dtype: "float64" },
    ),
  };

  it("1-D slice equals the closed form f(θ) + α gᵀd + ½ α² dᵀAd", () => {
    const t = host(theta);
    const d = host(d1);
    const g = Ax(t).map((y, i) => y + bvec[i]!);
    const curv = dotv(d, Ax(d));
    const alphas = [-2, -1, -0.25, 0, 0.5, 1.5, 3];
    const out = lossSlice1d(f, theta, d1, { alphas });
    expect(out.alphas).toEqual(alphas);
    close(
      out.values,
      alphas.map((a) => fHost(t) + a * dotv(g, d) + 0.5 * a * a * curv),
    );
    // default grid: 21 points on [-1, 1]
    const def = lossSlice1d(f, theta, d1);
    expect(def.alphas).toHaveLength(21);
    close([def.alphas[0]!, def.alphas[10]!, def.alphas[20]!], [-1, 0, 1]);
    close([def.values[10]!], [fHost(t)]);
  });

  it("2-D slice equals the closed form, including the cross term αβ d₁ᵀAd₂", () => {
    const t = host(theta);
    const u = host(d1);
    const w = host(d2);
    const g = Ax(t).map((y, i) => y + bvec[i]!);
    const alphas = [-1, 0, 2];
    const betas = [-0.5, 0.5, 1, 4];
    const out = lossSlice2d(f, theta, d1, d2, { alphas, betas });
    expect(out.values).toHaveLength(3);
    out.values.forEach((row, i) => {
      const a = alphas[i]!;
      close(
        row,
        betas.map(
          (b) =>
            fHost(t) +
            a * dotv(g, u) +
            b * dotv(g, w) +
            0.5 * a * a * dotv(u, Ax(u)) +
            a * b * dotv(u, Ax(w)) +
            0.5 * b * b * dotv(w, Ax(w)),
        ),
      );
    });
    // betas default to alphas
    const sq = lossSlice2d(f, theta, d1, d2, { alphas: [0, 1] });
    expect(sq.betas).toEqual([0, 1]);
    close([sq.values[0]![0]!], [fHost(t)]);
  });

  it("works with filter-normalized directions and float32 params", () => {
    const p = {
      w: np.array([
        [1, 2],
        [3, 4],
      ]),
      b: np.array([0.5, -0.5]),
    };
    const loss = (q: typeof p) => q.w.square().sum().add(q.b.sum());
    const d = randomDirection(0, p);
    const out = lossSlice1d(loss, p, d, { alphas: [0, 1] });
    // d.b = 0, and ‖w + d‖² = ‖w‖² + 2⟨w, d⟩ + ‖d‖² with ‖d‖ = ‖w‖ (row norms match)
    const wd = flat(p.w).reduce((s, x, i) => s + x * flat(d.w)[i]!, 0);
    close(out.values, [30, 30 + 2 * wd + 30], 1e-5);
  });

  it("rejects mismatched directions, bad steps and non-scalar losses", () => {
    expect(() => lossSlice1d(f, theta, { u: d1.u } as unknown as P)).toThrow(
      /direction must have the structure of params/,
    );
    expect(() => lossSlice1d(f, theta, { u: d1.u, v: np.ones([4], { dtype: "float64" }) })).toThrow(
      /direction leaf 1 has shape \[4\]/,
    );
    expect(() => lossSlice2d(f, theta, d1, { u: d1.u } as unknown as P)).toThrow(/d2 must have the structure/);
    expect(() => lossSlice1d(f, theta, d1, { alphas: [] })).toThrow(/alphas is empty/);
    expect(() => lossSlice1d(f, theta, d1, { alphas: [0, NaN] })).toThrow(/alphas\[1\]/);
    expect(() => lossSlice2d(f, theta, d1, d2, { betas: [Infinity] })).toThrow(/betas\[0\]/);
    expect(() => lossSlice1d((p: P) => p.u, theta, d1, { alphas: [0] })).toThrow(/must return a scalar/);
  });
});
