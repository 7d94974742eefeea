/**
 * Sorting, searching, unique and quantiles under jit / vmap / grad, on edge inputs (empty, int,
 * negative axes) and on bad input (each error names the op and what to do).
 */
import { describe, expect, test } from "vitest";
import { ConcretizationError, grad, jit, jvp, lax, np, vmap } from "../../src/index.js";
import { expectClose, f64, flat } from "../helpers.js";

const f64n = (v: number[][]): np.Array => np.array(v, { dtype: "float64" });
const i32 = (v: number[], shape?: number[]) => np.array(v, { dtype: "int32", ...(shape ? { shape } : {}) });

describe("jit and vmap agree with eager", () => {
  const x = f64n([
    [0.5, -2, 3, 0.5, 1],
    [4, 4, -1, 0, 2],
  ]);
  test("sort / argsort / topK / quantile under jit", () => {
    for (const f of [
      (a: np.Array) => np.sort(a, 0),
      (a: np.Array) => np.argsort(a, -1, { descending: true }),
      (a: np.Array) => lax.topK(a, 3)[0],
      (a: np.Array) => lax.topK(a, 3)[1],
      (a: np.Array) => np.quantile(a, [0.1, 0.9], -1, { method: "nearest" }),
      (a: np.Array) => np.median(a, [0, 1], { keepdims: true }),
      (a: np.Array) => np.cummax(a, -1, { reverse: true }),
    ])
      expect(jit(f)(x).tolist()).toEqual(f(x).tolist());
  });
  test("searchsorted under jit reads nothing back and matches eager", () => {
    const a = f64([-1, 0, 0, 2, 5]);
    const v = f64n([
      [0, 3],
      [-7, 9],
    ]);
    const f = (s: np.Array, q: np.Array) => np.searchsorted(s, q, { side: "right" });
    expect(jit(f)(a, v).tolist()).toEqual([
      [3, 4],
      [0, 5],
    ]);
    // Every sorted-array length up to 9, every insertion point (ties included): a binary search
    // with too few unrolled steps would stop short for some length.
    for (let n = 0; n <= 9; n++) {
      const s = f64(Array.from({ length: n }, (_, i) => Math.floor(i / 2)));
      const q = f64(Array.from({ length: 2 * n + 3 }, (_, i) => i / 4 - 0.5));
      const sv = flat(s);
      const want = flat(q).map((t) => sv.filter((e) => e < t).length);
      expect(flat(jit((s: np.Array, q: np.Array) => np.searchsorted(s, q))(s, q)), `n=${n}`).toEqual(want);
    }
  });
  test("vmap over rows equals row by row", () => {
    const rows = [0, 1].map((i) => x.get(i));
    const ops = [
      (r: np.Array) => np.sort(r),
      (r: np.Array) => np.argsort(r, -1, { descending: true }),
      (r: np.Array) => lax.topK(r, 2)[1],
      (r: np.Array) => np.searchsorted(np.sort(r), 0.75),
      (r: np.Array) => np.quantile(r, 0.3),
      (r: np.Array) => np.cumprod(r),
      (r: np.Array) => np.unique(r, { size: 4, fillValue: -9 }),
    ];
    for (const f of ops) expect(vmap(f)(x).tolist()).toEqual(rows.map((r) => f(r).tolist()));
  });
});

describe("derivatives", () => {
  test("sort's JVP gathers the tangent by the sorting permutation", () => {
    const x = f64([3, -1, 2, 0]);
    const t = f64([10, 20, 30, 40]);
    const [y, dy] = jvp((a: np.Array) => np.sort(a), [x], [t]);
    expect(y.tolist()).toEqual([-1, 0, 2, 3]);
    expect(dy.tolist()).toEqual([20, 40, 30, 10]);
    const [, dd] = jvp((a: np.Array) => np.sort(a, -1, { descending: true }), [x], [t]);
    expect(dd.tolist()).toEqual([10, 30, 40, 20]);
  });
  test("topK's values gradient lands on the chosen entries", () => {
    const g = grad((a: np.Array) =>
      lax
        .topK(a, 2)[0]
        .mul(f64([1, 10]))
        .sum(),
    )(f64([0.5, 3, -1, 2]));
    expect(g.tolist()).toEqual([0, 1, 0, 10]);
  });
  test("cumprod's gradient: d/dx_j sum_i prod_{k<=i} x_k, including a zero entry", () => {
    const x = [1.5, 0, -2, 3];
    const g = grad((a: np.Array) => np.cumprod(a).sum())(f64(x));
    const want = x.map((_, j) => {
      let s = 0;
      for (let i = j; i < x.length; i++) s += x.slice(0, i + 1).reduce((p, v, k) => (k === j ? p : p * v), 1);
      return s;
    });
    expectClose(g, want, 1e-12);
  });
  test("cummax splits the tangent evenly on ties (JAX's max rule through its scan)", () => {
    // out = [x0, max(x0, x1), max(x0, x1, x2)] with x0 = x1 tied above x2: each tie shares 1/2.
    const g = grad((a: np.Array) => np.cummax(a).sum())(f64([1, 1, 0]));
    expect(g.tolist()).toEqual([2, 1, 0]);
    expect(grad((a: np.Array) => np.cummin(a).sum())(f64([2, 1, 3])).tolist()).toEqual([1, 2, 0]);
  });
  test("quantile's linear gradient weights the two neighbouring order statistics", () => {
    // n = 5, q = 0.3: position 1.2 between the 2nd (0.8) and 3rd (0.2) smallest.
    const x = f64([9, 1, 5, 3, 7]);
    expectClose(grad((a: np.Array) => np.quantile(a, 0.3))(x), [0, 0, 0.2, 0.8, 0], 1e-12);
    expectClose(grad((a: np.Array) => np.median(a))(f64([4, 1, 3, 2])), [0, 0, 0.5, 0.5], 1e-12);
  });
});

describe("edge inputs", () => {
  test("empty arrays", () => {
    expect(np.sort(f64([])).shape).toEqual([0]);
    expect(np.argsort(np.zeros([2, 0])).shape).toEqual([2, 0]);
    expect(np.sort(np.zeros([0, 3]), 0).shape).toEqual([0, 3]);
    expect(np.cumprod(f64([])).shape).toEqual([0]);
    expect(np.cummax(np.zeros([0, 2]), 0).shape).toEqual([0, 2]);
    expect(np.searchsorted(f64([]), f64([1, 2])).tolist()).toEqual([0, 0]);
    expect(lax.topK(f64([1, 2]), 0)[0].shape).toEqual([0]);
    expect(np.unique(f64([])).shape).toEqual([0]);
    expect(np.unique(f64([]), { size: 2, fillValue: 7 }).tolist()).toEqual([7, 7]);
  });
  test("int dtypes keep their dtype; bool cumprod counts as int32", () => {
    const x = i32([5, -3, 5, 0]);
    expect(np.sort(x).dtype).toBe("int32");
    expect(np.sort(x).tolist()).toEqual([-3, 0, 5, 5]);
    expect(np.cummax(x).dtype).toBe("int32");
    expect(lax.topK(np.array([1, 7, 7, 2], { dtype: "uint32" }), 2)[1].tolist()).toEqual([1, 2]);
    const b = np.array([true, true, false, true]);
    expect(np.cumprod(b).dtype).toBe("int32");
    expect(np.cumprod(b).tolist()).toEqual([1, 1, 0, 0]);
    expect(np.cummax(np.array([false, true, false])).tolist()).toEqual([false, true, true]);
    expect(np.unique(x).tolist()).toEqual([-3, 0, 5]);
  });
  test("negative axes", () => {
    const x = f64n([
      [3, 1],
      [2, 4],
      [0, 5],
    ]);
    expect(np.sort(x, -2).tolist()).toEqual(np.sort(x, 0).tolist());
    expect(lax.topK(x, 2, { axis: -2 })[1].tolist()).toEqual([
      [0, 2],
      [1, 1],
    ]);
    expect(lax.cumsum(x, -2).tolist()).toEqual([
      [3, 1],
      [5, 5],
      [5, 10],
    ]);
    expect(np.quantile(x, 0.5, -2).tolist()).toEqual([2, 4]);
  });
  test("unique keeps -0 and 0 as one value and NaNs as one unless equalNan is false", () => {
    const x = f64([Number.NaN, 0, -0, Number.NaN, 1]);
    expect(flat(np.unique(x)).map(String)).toEqual(["0", "1", "NaN"]);
    expect(flat(np.unique(x, { equalNan: false })).map(String)).toEqual(["0", "1", "NaN", "NaN"]);
  });
});

describe("errors", () => {
  test("unique without size under jit names the size option", () => {
    expect(() => jit((a: np.Array) => np.unique(a))(f64([1, 2]))).toThrow(ConcretizationError);
    expect(() => jit((a: np.Array) => np.unique(a))(f64([1, 2]))).toThrow(/size/);
  });
  test("bad arguments", () => {
    const x = f64([1, 2, 3]);
    expect(() => lax.topK(x, 4)).toThrow(/topK: k must be an integer in \[0, 3\]/);
    expect(() => lax.topK(f64(2), 1)).toThrow(/topK: needs an array of rank >= 1/);
    expect(() => np.searchsorted(np.zeros([2, 2]), 1)).toThrow(/searchsorted: a must be 1-D/);
    expect(() => np.searchsorted(x, 1, { side: "middle" as "left" })).toThrow(/side must be "left" or "right"/);
    expect(() => np.searchsorted(x, 1, { sorter: [0, 1] })).toThrow(/sorter must hold one index per element/);
    expect(() => np.quantile(x, 1.5)).toThrow(/quantile: q must be in \[0, 1\]/);
    expect(() => np.percentile(x, [50, 101])).toThrow(/percentile: q must be in \[0, 100\]/);
    expect(() => np.quantile(x, 0.5, null, { method: "cubic" as "linear" })).toThrow(/method must be one of/);
    expect(() => np.quantile(x, np.zeros([2, 2]))).toThrow(/q must be a scalar or 1-D/);
    expect(() => np.quantile(f64([]), 0.5)).toThrow(/empty axis/);
    expect(() => np.unique(x, { size: -1 })).toThrow(/unique: size must be a non-negative integer/);
    expect(() => np.unique(f64([]), { size: 2 })).toThrow(/needs a fillValue/);
    expect(() => np.sort(x, 1)).toThrow(/sort: axis 1 is out of range/);
    expect(() => np.argsort(x, 0, { descending: 1 as unknown as boolean })).toThrow(/descending must be a boolean/);
    expect(() => np.cumprod(x, 0, { reverse: true, exclusive: true } as object)).toThrow(/unknown option 'exclusive'/);
  });
});
