import { describe, it, expect } from "vitest";
import { grad, jit, vmap, np, type Array } from "../../src/index.js";
import { FX, expectFx, fxArray, indexed } from "./surface-fixture.js";

const f64 = (v: unknown) => np.array(v as number[], { dtype: "float64" });

describe("tril / triu", () => {
  it.each(Object.keys(FX.tri))("%s vs NumPy on a [2, 3, 4] stack", (key) => {
    const c = FX.tri[key];
    const f = key.startsWith("tril") ? np.tril : np.triu;
    expectFx(f(fxArray(c.x), c.k), c.out);
  });
  it("keeps dtype; gradient is the mask; needs 2 axes", () => {
    const x = np.array(
      [
        [1, 2],
        [3, 4],
      ],
      { dtype: "int32" },
    );
    expect(np.tril(x).dtype).toBe("int32");
    expect(grad((v: Array) => np.sum(np.triu(v)))(np.ones([2, 2], { dtype: "float64" })).tolist()).toEqual([
      [1, 1],
      [0, 1],
    ]);
    expect(() => np.tril(np.ones([3]))).toThrow(/tril: the input must have at least two axes.*\[3\]/);
    expect(() => np.triu(np.ones([2, 2]), 0.5)).toThrow(/triu: k must be an integer/);
  });
});

describe("diag / diagonal / trace", () => {
  it.each(Object.keys(FX.diag))("diag %s vs NumPy", (key) => {
    const c = FX.diag[key];
    expectFx(np.diag(fxArray(c.v), c.k), c.out);
  });
  it.each(indexed(FX.diagonal))("diagonal/trace case %i vs NumPy", (_i, c) => {
    const opts = { offset: c.offset as number, axis1: c.axis1 as number, axis2: c.axis2 as number };
    expectFx(np.diagonal(fxArray(c.x!), opts), c.out!);
    expectFx(np.trace(fxArray(c.x!), opts), c.trace!);
  });
  it("gradients: trace → identity, diag(v) → ones", () => {
    expect(grad((m: Array) => np.trace(m))(np.zeros([2, 3], { dtype: "float64" })).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(grad((v: Array) => np.sum(np.diag(v, -1)))(f64([1, 2])).tolist()).toEqual([1, 1]);
    expect(
      np.trace(
        np.array([
          [true, false],
          [true, true],
        ]),
      ).dtype,
    ).toBe("int32");
  });
  it("errors", () => {
    expect(() => np.diag(np.ones([2, 2, 2]))).toThrow(/diag: the input must be 1-D .* or 2-D .*\[2, 2, 2\]/);
    expect(() => np.diagonal(np.ones([3]))).toThrow(/diagonal: the input must have at least two axes/);
    expect(() => np.diagonal(np.ones([3, 3]), { axis1: 1, axis2: -1 })).toThrow(/axis1 and axis2 must differ/);
    expect(() => np.trace(np.ones([3, 3]), { axis1: 2 })).toThrow(/trace: axis 2 is out of range/);
    expect(() => np.diagonal(np.ones([3, 3]), { offset: 1, k: 2 } as never)).toThrow(/unknown option 'k'/);
  });
});

describe("kron / inner / cross", () => {
  it.each(indexed(FX.kron))("kron case %i vs NumPy", (_i, c) => {
    expectFx(np.kron(fxArray(c.a!), fxArray(c.b!)), c.out!);
  });
  it.each(indexed(FX.inner))("inner case %i vs NumPy", (_i, c) => {
    expectFx(np.inner(fxArray(c.a!), fxArray(c.b!)), c.out!);
  });
  it.each(indexed(FX.cross))("cross case %i vs NumPy", (_i, c) => {
    const opts = Object.fromEntries(["axis", "axisa", "axisb", "axisc"].filter((k) => k in c).map((k) => [k, c[k]]));
    expectFx(np.cross(fxArray(c.a!), fxArray(c.b!), opts), c.out!);
  });
  it("scalar inner is a product; gradients of cross and kron", () => {
    expect(np.inner(3, np.array([1, 2])).tolist()).toEqual([3, 6]);
    const a = f64([1, 2, 3]);
    const b = f64([4, 5, 6]);
    // d/da Σ(a × b) = b × (1, 1, 1)
    expectFx(
      grad((v: Array) => np.sum(np.cross(v, b)))(a),
      np.cross(b, np.ones([3], { dtype: "float64" })).tolist() as number[],
    );
    expectFx(grad((v: Array) => np.sum(np.kron(v, b)))(a), [15, 15, 15]);
  });
  it("errors", () => {
    expect(() => np.cross(np.ones([4]), np.ones([3]))).toThrow(
      /cross: the vectors must have 2 or 3 components, got 4 and 3/,
    );
    expect(() => np.inner(np.ones([2]), np.ones([3]))).toThrow(/inner: the last axes must have the same size/);
  });
});

describe("roll / diff / meshgrid", () => {
  it.each(indexed(FX.roll))("roll case %i vs NumPy", (_i, c) => {
    expectFx(np.roll(fxArray(c.x!), c.shift as number, c.axis as number | null), c.out!);
  });
  it("roll with a traced shift under jit equals the static roll; empty axes and 0-d", () => {
    const x = np.arange(10, { dtype: "float64" }).reshape(2, 5);
    const f = jit((v: Array, s: Array) => np.roll(v, s, 1));
    for (const s of [-7, -1, 0, 3, 12])
      expect(f(x, np.array(s, { dtype: "int32" })).tolist()).toEqual(np.roll(x, s, 1).tolist());
    expect(np.roll(np.zeros([0, 3]), 2, 0).shape).toEqual([0, 3]);
    expect(np.roll(np.array(5), 3).tolist()).toBe(5);
    expect(grad((v: Array) => np.sum(np.roll(v, 1).mul(f64([1, 2, 3]))))(f64([0, 0, 0])).tolist()).toEqual([2, 3, 1]);
  });
  it("roll errors", () => {
    expect(() => np.roll(np.ones([3]), [1, 2, 3], [0, 0])).toThrow(/roll: 3 shifts and 2 axes do not broadcast/);
    expect(() => np.roll(np.ones([3]), np.array([1.5]), 0)).toThrow(/roll: an array shift must be an integer scalar/);
    expect(() => np.roll(np.ones([3]), 1, 1)).toThrow(/roll: axis 1 is out of range/);
  });
  it.each(indexed(FX.diff))("diff case %i vs NumPy", (_i, c) => {
    const opts = {
      ...(c.prepend === undefined ? {} : { prepend: typeof c.prepend === "number" ? c.prepend : fxArray(c.prepend!) }),
      ...(c.append === undefined ? {} : { append: fxArray(c.append!) }),
    };
    expectFx(np.diff(fxArray(c.x!), c.n as number, c.axis as number, opts), c.out!);
  });
  it("diff on bool, n = 0, errors", () => {
    expectFx(np.diff(np.array(FX.diffBool.x)), FX.diffBool.out);
    const x = f64([1, 2]);
    expect(np.diff(x, 0)).toBe(x);
    expect(() => np.diff(np.array(1))).toThrow(/diff: the input must have at least one axis/);
    expect(() => np.diff(x, -1)).toThrow(/diff: n \(the order\) must be non-negative, got -1/);
  });
  it("meshgrid xy / ij / sparse vs NumPy", () => {
    const ins = FX.meshgrid.inputs.map((v: number[]) => fxArray(v));
    np.meshgrid(...ins).forEach((g, i) => expectFx(g, FX.meshgrid.xy[i]));
    np.meshgrid(...ins, { indexing: "ij" }).forEach((g, i) => expectFx(g, FX.meshgrid.ij[i]));
    expect(np.meshgrid(...ins, { sparse: true }).map((g) => g.shape)).toEqual(FX.meshgrid.xySparseShapes);
    expect(np.meshgrid(ins[0]).map((g) => g.shape)).toEqual([[3]]);
    expect(() => np.meshgrid(np.ones([2, 2]))).toThrow(/meshgrid: every input must be 1-D/);
    expect(() => np.meshgrid(ins[0], { indexing: "yx" } as never)).toThrow(/meshgrid: indexing must be "xy" or "ij"/);
  });
});

describe("under vmap and jit", () => {
  it("vmap over a batch of matrices matches per-item results", () => {
    const xs = np.arange(18, { dtype: "float64" }).reshape(2, 3, 3);
    const f = (m: Array) =>
      np.concatenate([np.diagonal(m, { offset: 1 }), np.ravel(np.tril(m)), np.ravel(np.diff(np.roll(m, 1, 0), 1, 0))]);
    const batched = vmap(f)(xs);
    [0, 1].forEach((i) => expect(batched.get(i).tolist()).toEqual(f(xs.get(i)).tolist()));
    expect(jit(f)(xs.get(0)).tolist()).toEqual(f(xs.get(0)).tolist());
    expect(vmap((v: Array) => np.trace(np.kron(np.diag(v), np.eye(2))))(xs.get(0)).tolist()).toEqual([6, 24, 42]);
  });
});
