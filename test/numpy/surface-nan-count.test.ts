import { describe, it, expect } from "vitest";
import { ConcretizationError, grad, jit, vmap, np, type Array } from "../../src/index.js";
import { FX, expectFx, fxArray, indexed } from "./surface-fixture.js";

type Reducer = (x: Array, axis?: number | null) => Array;
const REDUCERS: Record<string, Reducer> = {
  nansum: np.nansum,
  nanmean: np.nanmean,
  nanmax: np.nanmax,
  nanmin: np.nanmin,
};

describe("NaN-ignoring reductions vs NumPy (a row of all NaN, +∞)", () => {
  const cases = Object.keys(REDUCERS).flatMap((fn) => ["all", "0", "1"].map((ax) => [fn, ax] as const));
  it.each(cases)("%s axis=%s", (fn, ax) => {
    const y = REDUCERS[fn]!(fxArray(FX.nan.x), ax === "all" ? null : Number(ax));
    expectFx(y, FX.nan[`${fn}_${ax}`], 1e-15);
  });
  it("float32, keepdims, negative axes, integer inputs", () => {
    const x = fxArray(FX.nan.x, "float32");
    expect(np.nanmean(x, -1, { keepdims: true }).shape).toEqual([3, 1]);
    expectFx(np.nanmax(x, -2), FX.nan.nanmax_0);
    const ints = np.array(
      [
        [1, 5],
        [3, 2],
      ],
      { dtype: "int32" },
    );
    expect(np.nansum(ints, 0).tolist()).toEqual([4, 7]);
    expect(np.nanmin(ints).item()).toBe(1);
    expect(np.nanmean(ints).dtype).toBe("float32");
  });
  it("empty inputs: nansum is 0, nanmean is NaN, nanmax refuses", () => {
    expect(np.nansum(np.zeros([0])).item()).toBe(0);
    expect(np.nanmean(np.zeros([0])).item()).toBeNaN();
    expect(() => np.nanmax(np.zeros([0, 2]), 0)).toThrow(/nanmax: zero-size reduction over an empty axis of \[0, 2\]/);
  });
  it("gradients flow to the non-NaN elements only", () => {
    const x = np.array([1, Number.NaN, 3, 7], { dtype: "float64" });
    expect(grad((v: Array) => np.nansum(v))(x).tolist()).toEqual([1, 0, 1, 1]);
    expectFx(grad((v: Array) => np.nanmean(v))(x), [1 / 3, 0, 1 / 3, 1 / 3], 1e-15);
    expect(grad((v: Array) => np.nanmax(v))(x).tolist()).toEqual([0, 0, 0, 1]);
    expect(grad((v: Array) => np.nanmin(v))(x).tolist()).toEqual([1, 0, 0, 0]);
  });
});

describe("nanToNum", () => {
  it("float64 / float32 defaults are the dtype's extremes (NumPy's values)", () => {
    expectFx(np.nanToNum(fxArray(FX.nanToNum.x)), FX.nanToNum.f64);
    expectFx(np.nanToNum(fxArray(FX.nanToNum.x, "float32")), FX.nanToNum.f32);
  });
  it("custom replacements, integers pass through, gradient 1 on finite entries and 0 elsewhere", () => {
    expectFx(np.nanToNum(fxArray(FX.nanToNum.x), { nan: -1, posinf: 9, neginf: -9 }), FX.nanToNum.custom);
    const ints = np.array([1, 2], { dtype: "int32" });
    expect(np.nanToNum(ints)).toBe(ints);
    expect(grad((v: Array) => np.sum(np.nanToNum(v)))(fxArray(FX.nanToNum.x)).tolist()).toEqual([0, 0, 0, 1, 1]);
    expect(() => np.nanToNum(ints, { nan: "0" as never })).toThrow(/nanToNum: nan must be a number, got string/);
  });
});

describe("bincount", () => {
  it.each(indexed(FX.bincount))("case %i vs NumPy (JAX clipping)", (_i, c) => {
    const opts = {
      ...(c.weights ? { weights: fxArray(c.weights!) } : {}),
      ...(c.minlength === undefined ? {} : { minlength: c.minlength as number }),
      ...(c.length === undefined ? {} : { length: c.length as number }),
    };
    const y = np.bincount(fxArray(c.x!, "int32"), opts);
    expect(y.dtype).toBe(c.weights ? "float64" : "int32");
    expectFx(y, c.out!);
  });
  it("under jit with a static length; without one it explains what to pass", () => {
    const x = np.array([0, 2, 2, 9], { dtype: "int32" });
    expect(jit((v: Array) => np.bincount(v, { length: 4 }))(x).tolist()).toEqual([1, 0, 2, 0]);
    expect(() => jit((v: Array) => np.bincount(v))(x)).toThrow(ConcretizationError);
    expect(() => jit((v: Array) => np.bincount(v))(x)).toThrow(/pass a static \{ length \}/);
    expect(
      vmap((v: Array) => np.bincount(v, { length: 3 }))(
        np.array(
          [
            [0, 1],
            [2, 2],
          ],
          { dtype: "int32" },
        ),
      ).tolist(),
    ).toEqual([
      [1, 1, 0],
      [0, 0, 2],
    ]);
  });
  it("is linear in the weights (gradient = the weights' bins), empty input, errors", () => {
    const x = np.array([1, 0, 1], { dtype: "int32" });
    const g = grad((w: Array) => np.sum(np.bincount(x, { weights: w }).mul(np.array([10, 20], { dtype: "float64" }))))(
      np.ones([3], { dtype: "float64" }),
    );
    expect(g.tolist()).toEqual([20, 10, 20]);
    expect(np.bincount(np.zeros([0], { dtype: "int32" }), { minlength: 2 }).tolist()).toEqual([0, 0]);
    expect(() => np.bincount(np.array([1.5]))).toThrow(/bincount: x must hold integers, got float32/);
    expect(() => np.bincount(np.zeros([2, 2], { dtype: "int32" }))).toThrow(/bincount: x must be 1-D/);
    expect(() => np.bincount(x, { weights: np.ones([2]) })).toThrow(/bincount: weights must have x's shape \[3\]/);
    expect(() => np.bincount(x, { length: -1 })).toThrow(/bincount: length must be non-negative/);
  });
});

describe("histogram", () => {
  it.each(indexed(FX.histogram))("case %i vs NumPy", (_i, c) => {
    const opts = {
      ...(c.bins === undefined ? {} : { bins: c.bins as number }),
      ...(c.edgesIn === undefined ? {} : { bins: c.edgesIn as number[] }),
      ...(c.range === undefined ? {} : { range: c.range as [number, number] }),
      ...(c.weights === undefined ? {} : { weights: fxArray(c.weights!) }),
      ...(c.density === undefined ? {} : { density: c.density as boolean }),
    };
    const [counts, edges] = np.histogram(fxArray(c.x!), opts);
    expectFx(counts, c.counts!, 1e-14);
    expectFx(edges, c.edges!, 1e-15);
  });
  it("runs under jit (range from the traced data) and is linear in the weights", () => {
    const x = np.array([0, 1, 1, 2, 5], { dtype: "float64" });
    const [c, e] = jit((v: Array) => np.histogram(v, { bins: 5 }))(x);
    expect(c.tolist()).toEqual([1, 2, 1, 0, 1]);
    expect(e.tolist()).toEqual([0, 1, 2, 3, 4, 5]);
    const g = grad((w: Array) =>
      np.sum(np.histogram(x, { bins: 5, weights: w })[0].mul(np.arange(5, { dtype: "float64" }))),
    )(np.ones([5], { dtype: "float64" }));
    expect(g.tolist()).toEqual([0, 1, 1, 2, 4]);
  });
  it("counts are float like JAX; errors", () => {
    expect(np.histogram(np.array([1, 2], { dtype: "int32" }))[0].dtype).toBe("float32");
    expect(() => np.histogram(np.ones([3]), { bins: 0 })).toThrow(/histogram: bins must be a positive integer/);
    expect(() => np.histogram(np.ones([3]), { range: [2, 1] })).toThrow(/histogram: range must be \[lo, hi\]/);
    expect(() => np.histogram(np.ones([3]), { weights: np.ones([2]) })).toThrow(
      /histogram: weights must have the shape/,
    );
    expect(() => np.histogram(np.ones([3]), { bins: [1] })).toThrow(/histogram: bin edges must be 1-D with at least 2/);
  });
});
