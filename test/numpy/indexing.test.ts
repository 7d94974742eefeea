import { describe, it, expect } from "vitest";
import { np, grad, jit, vmap } from "../../src/index.js";

const flat = (x: np.Array): number[] => Array.from(x.dataSync(), Number);
const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
const i32 = (v: number[] | number[][]) => np.array(v, { dtype: "int32" });
const X = () => np.arange(24).reshape([2, 3, 4]);
const { slice } = np;

/** Python's list slicing, written as a plain loop over candidate positions. */
function pySlice(n: number, start: number | null, stop: number | null, step: number | null): number[] {
  const st = step ?? 1;
  const fix = (v: number, lo: number, hi: number) => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  const out: number[] = [];
  if (st > 0) {
    const [a, b] = [start === null ? 0 : fix(start, 0, n), stop === null ? n : fix(stop, 0, n)];
    for (let i = a; i < b; i += st) out.push(i);
  } else {
    const [a, b] = [start === null ? n - 1 : fix(start, -1, n - 1), stop === null ? -1 : fix(stop, -1, n - 1)];
    for (let i = a; i > b; i += st) out.push(i);
  }
  return out;
}

describe("getIndex: basic indexing", () => {
  it("integers, negative integers and chained integers", () => {
    expect(X().get(1).tolist()).toEqual([
      [12, 13, 14, 15],
      [16, 17, 18, 19],
      [20, 21, 22, 23],
    ]);
    expect(X().get(-1, 0).tolist()).toEqual([12, 13, 14, 15]);
    expect(X().get(1, -1, 2).item()).toBe(22);
    expect(np.getIndex(X(), [0, 2]).shape).toEqual([4]);
    expect(X().get().shape).toEqual([2, 3, 4]);
  });
  it("1-D slices match Python for every start/stop/step combination", () => {
    const x = np.arange(7);
    const vals = [null, -9, -7, -3, -1, 0, 1, 3, 6, 7, 9];
    for (const step of [null, 1, 2, 3, -1, -2, -4])
      for (const start of vals)
        for (const stop of vals) expect(flat(x.get(slice(start, stop, step)))).toEqual(pySlice(7, start, stop, step));
  });
  it("multi-axis slices, negative steps, and hand-checked values", () => {
    expect(X().get("1, 1:3, ::-2").tolist()).toEqual([
      [19, 17],
      [23, 21],
    ]);
    expect(
      X()
        .get(slice(null, null, -1), 0, slice(1, null, 2))
        .tolist(),
    ).toEqual([
      [13, 15],
      [1, 3],
    ]);
    expect(X().get("..., ::-1").get(0, 0).tolist()).toEqual([3, 2, 1, 0]);
    expect(X().get(slice(5, 9)).shape).toEqual([0, 3, 4]);
    expect(
      np
        .arange(5)
        .get(slice(10, 1, -1))
        .tolist(),
    ).toEqual([4, 3, 2]);
  });
  it("null (new axis) and ellipsis", () => {
    expect(X().get(null).shape).toEqual([1, 2, 3, 4]);
    expect(X().get("...", null).shape).toEqual([2, 3, 4, 1]);
    expect(X().get(0, null, "...", null, 1).shape).toEqual([1, 3, 1]);
    expect(X().get("...", 2).tolist()).toEqual([
      [2, 6, 10],
      [14, 18, 22],
    ]);
    expect(X().get(1, "...").shape).toEqual([3, 4]);
    expect(np.array(5).get(null, "...").shape).toEqual([1]);
  });
  it("index strings parse into the same specs", () => {
    const x = X();
    expect(x.get("0, 1:3, ::-1, None, ...").tolist()).toEqual(
      x.get(0, slice(1, 3), slice(null, null, -1), null, "...").tolist(),
    );
    expect(x.get(" -1 , : , 1::2 ").tolist()).toEqual(x.get(-1, slice(), slice(1, null, 2)).tolist());
    expect(x.get("newaxis, 1", slice(0, 1)).shape).toEqual([1, 1, 4]);
    expect(x.get(":, [2, 0, -1]").tolist()).toEqual(x.get(slice(), [2, 0, -1]).tolist());
    expect(x.get("").shape).toEqual([2, 3, 4]);
  });
});

describe("getIndex: one advanced index", () => {
  it("static lists and traced int arrays (negatives wrap)", () => {
    expect(X().get(1, [2, 0, -1]).tolist()).toEqual([
      [20, 21, 22, 23],
      [12, 13, 14, 15],
      [20, 21, 22, 23],
    ]);
    expect(
      X()
        .get(slice(), slice(), i32([3, -4]))
        .tolist(),
    ).toEqual([
      [
        [3, 0],
        [7, 4],
        [11, 8],
      ],
      [
        [15, 12],
        [19, 16],
        [23, 20],
      ],
    ]);
    expect(
      X().get(
        0,
        i32([
          [1, 2],
          [0, 0],
        ]),
      ).shape,
    ).toEqual([2, 2, 4]);
    expect(
      X()
        .get(i32([1, 0]))
        .get(0, 0)
        .tolist(),
    ).toEqual([12, 13, 14, 15]);
    expect(
      np
        .arange(5)
        .get(np.array(3, { dtype: "int32" }))
        .item(),
    ).toBe(3);
  });
  it("traced out-of-range indices are clamped like the gather primitive", () => {
    expect(
      np
        .arange(5)
        .get(i32([7, -9]))
        .tolist(),
    ).toEqual([4, 0]);
  });
  it("follows NumPy's placement rule: separated advanced indices move to the front", () => {
    // Shapes checked against NumPy 2.x.
    expect(X().get(0, slice(), [1, 2]).tolist()).toEqual([
      [1, 5, 9],
      [2, 6, 10],
    ]);
    expect(X().get(slice(), 0, [1, 2]).shape).toEqual([2, 2]);
    expect(X().get(0, null, [1, 2]).shape).toEqual([2, 1, 4]);
    expect(X().get(null, 0, [1, 2]).shape).toEqual([1, 2, 4]);
    expect(X().get(slice(), 0, "...", i32([[1, 2]])).shape).toEqual([1, 2, 2]);
    expect(X().get(slice(), 0, i32([[1, 2]])).shape).toEqual([2, 1, 2]);
  });
  it("errors: too many indices, out of bounds, malformed specs", () => {
    expect(() => X().get(0, 0, 0, 0)).toThrow(/too many indices for array of shape \[2, 3, 4\].*4 were indexed/);
    expect(() => X().get(2)).toThrow(np.IndexError);
    expect(() => X().get(0, -4)).toThrow(/index -4 is out of bounds for axis 1 with size 3/);
    expect(() => X().get(0, 0)).not.toThrow();
    expect(() => X().get(2)).toThrow(RangeError);
    expect(() => X().get([0, 5])).toThrow(/index 5 is out of bounds for axis 0 with size 2/);
    expect(() => X().get("...", "...")).toThrow(/single ellipsis/);
    expect(() => X().get([0, 1], [1, 2, 0])).toThrow(/could not be broadcast together with shapes \[2\], \[3\]/);
    expect(() => X().get(np.array([true, false, true]))).toThrow(/boolean index of shape \[3\] does not match/);
    expect(() => X().get(np.array([0, 1]))).toThrow(/must be int32 or uint32, got float32/);
    expect(() => X().get(1.5)).toThrow(/integers, got 1.5/);
    expect(() => X().get(slice(0, 2, 0))).toThrow(/step cannot be zero/);
    expect(() => X().get("0, a")).toThrow(/cannot parse index item "a"/);
    expect(() => X().get("1:2:3:4")).toThrow(/cannot parse/);
    expect(() => X().get([0.5])).toThrow(/flat lists of integers/);
  });
  it("never mutates its input", () => {
    const x = X();
    x.get(0, [1, 2]);
    x.at(0).set(-1);
    expect(flat(x)).toEqual(range(24));
  });
});

describe("at(): pure updates", () => {
  it("set / add / mul / min / max with static indices", () => {
    const x = np.arange(5);
    expect(x.at(slice(1, 3)).set(9).tolist()).toEqual([0, 9, 9, 3, 4]);
    expect(x.at(-1).add(10).tolist()).toEqual([0, 1, 2, 3, 14]);
    expect(
      x
        .at(slice(null, null, 2))
        .mul(np.array([2, 3, 4]))
        .tolist(),
    ).toEqual([0, 1, 6, 3, 16]);
    expect(x.at([0, 4]).min(2).tolist()).toEqual([0, 1, 2, 3, 2]);
    expect(x.at([0, 4]).max(2).tolist()).toEqual([2, 1, 2, 3, 4]);
    expect(x.at(2).get().item()).toBe(2);
    expect(flat(x)).toEqual(range(5));
  });
  it("value broadcasts to the selected shape; multi-axis selection", () => {
    const y = X()
      .at(1, slice(0, 2))
      .set(np.array([-1, -2, -3, -4]));
    expect(y.get(1).tolist()).toEqual([
      [-1, -2, -3, -4],
      [-1, -2, -3, -4],
      [20, 21, 22, 23],
    ]);
    expect(flat(y.get(0))).toEqual(range(12));
    expect(() =>
      X()
        .at(0)
        .set(np.ones([2])),
    ).toThrow(/cannot be broadcast|incompatible shapes/);
  });
  it("duplicates: add accumulates, set keeps the last, mul/min/max combine (static and traced)", () => {
    for (const idx of [[1, 1, 3], i32([1, 1, 3]), [1, -4, 3]]) {
      const z = np.zeros([5]);
      const v = np.array([1, 2, 3]);
      expect(z.at(idx).add(v).tolist()).toEqual([0, 3, 0, 3, 0]);
      expect(z.at(idx).set(v).tolist()).toEqual([0, 2, 0, 3, 0]);
      expect(np.ones([5]).mul(2).at(idx).mul(v).tolist()).toEqual([2, 4, 2, 6, 2]);
      expect(
        z
          .at(idx)
          .min(np.array([-1, -5, 3]))
          .tolist(),
      ).toEqual([0, -5, 0, 0, 0]);
      expect(z.at(idx).max(v).tolist()).toEqual([0, 2, 0, 3, 0]);
    }
  });
  it("duplicates along an advanced axis with other sliced axes", () => {
    const m = np.zeros([3, 2]);
    const v = np.array([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    expect(
      m
        .at(i32([2, 0, 2]))
        .set(v)
        .tolist(),
    ).toEqual([
      [3, 4],
      [0, 0],
      [5, 6],
    ]);
    expect(
      m
        .at(i32([2, 0, 2]))
        .add(v)
        .tolist(),
    ).toEqual([
      [3, 4],
      [0, 0],
      [6, 8],
    ]);
    expect(
      m
        .at(slice(), i32([1, 1]))
        .max(
          np.array([
            [1, 2],
            [4, 3],
            [0, -1],
          ]),
        )
        .tolist(),
    ).toEqual([
      [0, 2],
      [0, 4],
      [0, 0],
    ]);
  });
  it("casts values to x's dtype; bool arrays", () => {
    expect(np.arange(3, undefined, 1, { dtype: "int32" }).at(0).set(2.7).dtype).toBe("int32");
    expect(np.array([true, false, true]).at(0).set(0).tolist()).toEqual([false, false, true]);
  });
  it("gradients w.r.t. x and v", () => {
    const w = np.array([1, 10, 100, 1000, 10000]);
    const f = (x: np.Array, v: np.Array) => x.at([1, 1, 3]).set(v).mul(w).sum();
    expect(grad(f)(np.ones([5]), np.ones([3])).tolist()).toEqual([1, 0, 100, 0, 10000]);
    expect(grad(f, { argnums: 1 })(np.ones([5]), np.ones([3])).tolist()).toEqual([0, 10, 1000]);
    const g = (x: np.Array, v: np.Array) =>
      x
        .at(slice(0, 2))
        .add(v)
        .mul(w.get(slice(0, 3)))
        .sum();
    expect(grad(g, { argnums: [0, 1] })(np.ones([3]), np.array(2)).map(flat)).toEqual([[1, 10, 100], [11]]);
    const h = (x: np.Array, v: np.Array) =>
      x
        .at(i32([0, 2]))
        .mul(v)
        .sum();
    expect(grad(h, { argnums: [0, 1] })(np.array([1, 2, 3]), np.array([4, 5])).map(flat)).toEqual([
      [4, 1, 5],
      [1, 3],
    ]);
    const k = (x: np.Array) =>
      x
        .at([0, 1])
        .max(np.array([2, 2]))
        .sum();
    expect(flat(grad(k)(np.array([3, 1, 7])))).toEqual([1, 0, 1]);
  });
  it("traced out-of-range indices drop the update (JAX's default scatter mode); negatives wrap once", () => {
    const x = np.arange(3);
    expect(
      x
        .at(i32([5]))
        .set(9)
        .tolist(),
    ).toEqual([0, 1, 2]);
    expect(
      x
        .at(i32([3]))
        .set(9)
        .tolist(),
    ).toEqual([0, 1, 2]);
    expect(
      x
        .at(i32([-4]))
        .set(9)
        .tolist(),
    ).toEqual([0, 1, 2]);
    expect(
      x
        .at(i32([-3]))
        .set(9)
        .tolist(),
    ).toEqual([9, 1, 2]);
    expect(
      x
        .at(i32([-1, 7, -9, 0]))
        .set(np.array([5, 6, 7, 8]))
        .tolist(),
    ).toEqual([8, 1, 5]);
    expect(
      x
        .at(i32([5, 1, -4]))
        .add(10)
        .tolist(),
    ).toEqual([0, 11, 2]);
    expect(
      x
        .at(i32([5, 1, -4]))
        .mul(10)
        .tolist(),
    ).toEqual([0, 10, 2]);
    expect(
      x
        .at(i32([5, 1, -4]))
        .min(-1)
        .tolist(),
    ).toEqual([0, -1, 2]);
    expect(
      x
        .at(i32([5, 1, -4]))
        .max(10)
        .tolist(),
    ).toEqual([0, 10, 2]);
    // A dropped index that clamps onto an in-range duplicate must not hide (or be mistaken for) it.
    const v = np.array([1, 2, 3]);
    expect(
      np
        .zeros([3])
        .at(i32([2, 5, 2]))
        .set(v)
        .tolist(),
    ).toEqual([0, 0, 3]);
    expect(
      np
        .zeros([3])
        .at(i32([2, 9]))
        .set(np.array([1, 2]))
        .tolist(),
    ).toEqual([0, 0, 1]);
    expect(
      np
        .zeros([3])
        .at(i32([-7, 0, 0]))
        .set(v)
        .tolist(),
    ).toEqual([3, 0, 0]);
    expect(
      np
        .ones([3])
        .at(i32([2, 5, 2]))
        .mul(v)
        .tolist(),
    ).toEqual([1, 1, 3]);
    expect(
      np
        .zeros([3])
        .at(i32([2, 5, 2]))
        .min(np.array([-1, -5, 3]))
        .tolist(),
    ).toEqual([0, 0, -1]);
    expect(
      np
        .zeros([3])
        .at(i32([2, 5, 2]))
        .max(v)
        .tolist(),
    ).toEqual([0, 0, 3]);
    expect(
      np
        .zeros([3])
        .at(i32([2, 5, 2]))
        .add(v)
        .tolist(),
    ).toEqual([0, 0, 4]);
    // Along an axis with other sliced axes, and with the advanced dims moved to the front.
    const m = np.zeros([2, 3]);
    expect(
      m
        .at(slice(), i32([1, 3]))
        .set(
          np.array([
            [1, 2],
            [3, 4],
          ]),
        )
        .tolist(),
    ).toEqual([
      [0, 1, 0],
      [0, 3, 0],
    ]);
    expect(
      np
        .zeros([2, 3, 2])
        .at(0, slice(), i32([1, -3]))
        .add(1)
        .get(0)
        .tolist(),
    ).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
    ]);
    // Unsigned indices never wrap; large values stay out of range.
    const u = np.array([1, 4294967295, 2147483648], { dtype: "uint32" });
    expect(x.at(u).set(9).tolist()).toEqual([0, 9, 2]);
    expect(x.get(u).tolist()).toEqual([1, 2, 2]);
    // Static lists still throw; reads with traced indices still clamp.
    expect(() => x.at([5]).set(9)).toThrow(np.IndexError);
    expect(() => x.at([-4]).set(9)).toThrow(/index -4 is out of bounds for axis 0 with size 3/);
    expect(
      x
        .at(i32([5, -4]))
        .get()
        .tolist(),
    ).toEqual([2, 0]);
    // Bool arrays.
    expect(
      np
        .array([false, false])
        .at(i32([1, 2]))
        .set(true)
        .tolist(),
    ).toEqual([false, true]);
  });
  it("dropped updates: gradients are correct for in-range elements, zero for dropped values", () => {
    const w = np.array([1, 10, 100]);
    const idx = i32([1, 5, -4, 2]);
    const f = (x: np.Array, v: np.Array) => x.at(idx).set(v).mul(w).sum();
    expect(grad(f, { argnums: [0, 1] })(np.ones([3]), np.ones([4])).map(flat)).toEqual([
      [1, 0, 0],
      [10, 0, 0, 100],
    ]);
    const g = (x: np.Array, v: np.Array) => x.at(idx).add(v).mul(w).sum();
    expect(grad(g, { argnums: [0, 1] })(np.ones([3]), np.ones([4])).map(flat)).toEqual([
      [1, 10, 100],
      [10, 0, 0, 100],
    ]);
    const h = (x: np.Array, v: np.Array) => x.at(idx).mul(v).mul(w).sum();
    expect(grad(h, { argnums: [0, 1] })(np.array([2, 3, 4]), np.array([5, 6, 7, 8])).map(flat)).toEqual([
      [1, 50, 800],
      [30, 0, 0, 400],
    ]);
    const k = (x: np.Array, v: np.Array) =>
      x
        .at(i32([0, 3, 1]))
        .max(v)
        .sum();
    expect(grad(k, { argnums: [0, 1] })(np.array([3, 1, 7]), np.array([2, 9, 2])).map(flat)).toEqual([
      [1, 0, 1],
      [0, 0, 1],
    ]);
    expect(jit(f)(np.ones([3]), np.arange(4)).tolist()).toEqual(f(np.ones([3]), np.arange(4)).tolist());
  });
  it("dropped updates under vmap and jit (batched indices and values)", () => {
    const rows = np.arange(12).reshape([3, 4]);
    const idx = i32([
      [0, 9],
      [-5, 3],
      [-1, 4],
    ]);
    const f = (r: np.Array, j: np.Array) => r.at(j).set(np.array([-1, -2]));
    const out = vmap(f)(rows, idx);
    expect(out.tolist()).toEqual([
      [-1, 1, 2, 3],
      [4, 5, 6, -2],
      [8, 9, 10, -1],
    ]);
    for (let b = 0; b < 3; b++) expect(out.get(b).tolist()).toEqual(f(rows.get(b), idx.get(b)).tolist());
    const g = (j: np.Array) => np.zeros([4]).at(j).add(1);
    expect(vmap(g)(idx).tolist()).toEqual([
      [1, 0, 0, 0],
      [0, 0, 0, 1],
      [0, 0, 0, 1],
    ]);
    expect(jit(vmap(g))(idx).tolist()).toEqual(vmap(g)(idx).tolist());
    const h = (r: np.Array) => r.at(i32([4, 0])).max(np.array([100, 100]));
    expect(vmap(h)(rows).tolist()).toEqual([
      [100, 1, 2, 3],
      [100, 5, 6, 7],
      [100, 9, 10, 11],
    ]);
  });
  it("vmap of at equals a loop; jit equals eager", () => {
    const rows = np.arange(12).reshape([3, 4]);
    const idx = i32([3, 0, 0]);
    const f = (r: np.Array, j: np.Array) => r.at(j).set(-1).at(slice(1, 3)).add(r.get(j));
    const batched = vmap(f)(rows, idx);
    for (let b = 0; b < 3; b++) expect(batched.get(b).tolist()).toEqual(f(rows.get(b), idx.get(b)).tolist());
    expect(jit(f)(rows.get(1), np.array(2, { dtype: "int32" })).tolist()).toEqual(
      f(rows.get(1), np.array(2, { dtype: "int32" })).tolist(),
    );
    const g = (r: np.Array) => r.at(i32([0, 0, 2])).set(np.array([5, 6, 7]));
    expect(vmap(g)(rows).tolist()).toEqual([0, 1, 2].map((b) => g(rows.get(b)).tolist()));
  });
});

describe("getIndex under transforms", () => {
  it("grad of a gathered sum scatters back (duplicates accumulate)", () => {
    const f = (x: np.Array) =>
      x
        .get(slice(), [2, 0, 2])
        .mul(np.array([1, 2, 3]))
        .sum();
    expect(grad(f)(np.ones([2, 3])).tolist()).toEqual([
      [2, 0, 4],
      [2, 0, 4],
    ]);
    const g = (x: np.Array) => x.get("::-2, 1").sum();
    expect(grad(g)(np.ones([3, 2])).tolist()).toEqual([
      [0, 1],
      [0, 0],
      [0, 1],
    ]);
  });
  it("vmap of getIndex equals a loop (batched array and batched index)", () => {
    const x = np.arange(24).reshape([2, 3, 4]);
    const j = i32([
      [2, 0],
      [1, -1],
    ]);
    const f = (a: np.Array, i: np.Array) => a.get("::-1", null).get(i, slice(1, 3));
    const out = vmap(f)(x, j);
    for (let b = 0; b < 2; b++) expect(out.get(b).tolist()).toEqual(f(x.get(b), j.get(b)).tolist());
    const g = (a: np.Array) => a.get("1:, ::2");
    expect(vmap(g)(x).tolist()).toEqual([g(x.get(0)).tolist(), g(x.get(1)).tolist()]);
  });
  it("jit equals eager", () => {
    const f = (a: np.Array, i: np.Array) => a.get("1, ::-1, 1:3").sum(0).add(a.get(0, i).sum());
    expect(jit(f)(X(), i32([2, -1])).tolist()).toEqual(f(X(), i32([2, -1])).tolist());
  });
});

describe("take / takeAlongAxis", () => {
  it("take along an axis, or flattened", () => {
    const m = np.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(np.take(m, [2, 0], 1).tolist()).toEqual([
      [3, 1],
      [6, 4],
    ]);
    expect(m.take([5, -6, 1]).tolist()).toEqual([6, 1, 2]);
    expect(np.take(m, i32([[1, 0]]), 0).shape).toEqual([1, 2, 3]);
    // JAX's default mode "fill": a negative index in range wraps, an out-of-range one reads NaN.
    expect(np.take(m, i32([-1, 9]), -1).tolist()).toEqual([
      [3, Number.NaN],
      [6, Number.NaN],
    ]);
    expect(np.take(m, i32([-1, 9]), -1, { mode: "clip" }).tolist()).toEqual([
      [1, 3],
      [4, 6],
    ]);
    expect(np.take(m, [6]).tolist()).toEqual([Number.NaN]);
    expect(() => np.take(m, [0], 2)).toThrow(/axis 2 is out of range/);
    expect(() => np.take(m, np.array([0]))).toThrow(/int32 or uint32/);
  });
  it("grad and vmap of take", () => {
    const f = (x: np.Array) => np.take(x, [1, 1, 0], 0).sum();
    expect(grad(f)(np.ones([3, 2])).tolist()).toEqual([
      [1, 1],
      [2, 2],
      [0, 0],
    ]);
    const xs = np.arange(6).reshape([2, 3]);
    const is = i32([
      [2, 2],
      [0, 1],
    ]);
    const out = vmap((x: np.Array, i: np.Array) => np.take(x, i))(xs, is);
    expect(out.tolist()).toEqual([
      [2, 2],
      [3, 4],
    ]);
    expect(vmap((x: np.Array) => x.take([0, 2]))(xs).tolist()).toEqual([
      [0, 2],
      [3, 5],
    ]);
    expect(vmap((i: np.Array) => np.take(np.arange(5), i))(i32([4, -1])).tolist()).toEqual([4, 4]);
    const tal = (x: np.Array, i: np.Array) => np.takeAlongAxis(x, i, 0);
    expect(
      vmap(tal, { inAxes: [null, 0] })(
        np.arange(3),
        i32([
          [1, 2],
          [0, 0],
        ]),
      ).tolist(),
    ).toEqual([
      [1, 2],
      [0, 0],
    ]);
    expect(jit(tal)(np.arange(3), i32([2, 1])).tolist()).toEqual([2, 1]);
  });
  it("takeAlongAxis matches a naive loop and broadcasts", () => {
    const x = np.array([
      [10, 30, 20],
      [60, 40, 50],
    ]);
    const idx = [
      [0, 2, 2, 1],
      [1, 1, 0, -1],
    ];
    const out = np.takeAlongAxis(x, i32(idx), 1);
    const xs = x.tolist() as number[][];
    expect(out.tolist()).toEqual(idx.map((row, r) => row.map((j) => xs[r]![(j + 3) % 3]!)));
    expect(np.takeAlongAxis(x, i32([[1, 0, 1]]), 0).tolist()).toEqual([[60, 30, 50]]);
    expect(np.takeAlongAxis(x, np.argmax(x, 1).reshape([-1, 1]), 1).tolist()).toEqual([[30], [60]]);
    expect(np.takeAlongAxis(x, i32([[1], [2]]), 1).tolist()).toEqual([[30], [50]]);
    expect(np.takeAlongAxis(np.array([[1, 2, 3]]), i32([[0], [2]]), 1).tolist()).toEqual([[1], [3]]);
    expect(np.takeAlongAxis(x, [5, 0], null).tolist()).toEqual([50, 10]);
    expect(() => np.takeAlongAxis(x, i32([1, 0]), 1)).toThrow(/same rank/);
  });
  it("grad of takeAlongAxis", () => {
    const f = (x: np.Array) =>
      np
        .takeAlongAxis(
          x,
          i32([
            [0, 0],
            [2, 1],
          ]),
          1,
        )
        .mul(
          np.array([
            [1, 2],
            [3, 4],
          ]),
        )
        .sum();
    expect(grad(f)(np.ones([2, 3])).tolist()).toEqual([
      [3, 0, 0],
      [0, 4, 3],
    ]);
  });
});

describe("dynamicSlice / dynamicUpdateSlice", () => {
  it("static and traced starts; negatives wrap, then starts clamp", () => {
    const x = np.arange(10);
    expect(np.dynamicSlice(x, [2], [3]).tolist()).toEqual([2, 3, 4]);
    expect(np.dynamicSlice(x, [np.array(8, { dtype: "int32" })], [3]).tolist()).toEqual([7, 8, 9]);
    expect(np.dynamicSlice(x, [-2], [2]).tolist()).toEqual([8, 9]);
    const m = np.arange(12).reshape([3, 4]);
    const f = (i: np.Array) => np.dynamicSlice(m, [i, 1], [2, 2]);
    expect(jit(f)(np.array(1, { dtype: "int32" })).tolist()).toEqual([
      [5, 6],
      [9, 10],
    ]);
    expect(vmap(f)(i32([0, 2])).tolist()).toEqual([
      f(np.array(0, { dtype: "int32" })).tolist(),
      f(np.array(2, { dtype: "int32" })).tolist(),
    ]);
    expect(np.dynamicUpdateSlice(np.zeros([4]), np.ones([2]), [1]).tolist()).toEqual([0, 1, 1, 0]);
    expect(np.dynamicUpdateSlice(np.zeros([4]), np.ones([2]), [np.array(5, { dtype: "int32" })]).tolist()).toEqual([
      0, 0, 1, 1,
    ]);
    expect(
      np
        .dynamicUpdateSlice(m, np.array([[-1, -2]]), [2, 2])
        .get(2)
        .tolist(),
    ).toEqual([8, 9, -1, -2]);
  });
  it("gradients", () => {
    const f = (x: np.Array) =>
      np
        .dynamicSlice(x, [1], [2])
        .mul(np.array([2, 3]))
        .sum();
    expect(grad(f)(np.ones([4])).tolist()).toEqual([0, 2, 3, 0]);
    const g = (x: np.Array, u: np.Array) => np.dynamicUpdateSlice(x, u, [2]).mul(np.arange(4)).sum();
    expect(grad(g, { argnums: [0, 1] })(np.ones([4]), np.ones([2])).map(flat)).toEqual([
      [0, 1, 0, 0],
      [2, 3],
    ]);
  });
  it("errors", () => {
    expect(() => np.dynamicSlice(np.zeros([3]), [0, 0], [1])).toThrow(/one start index and one size per axis/);
    expect(() => np.dynamicSlice(np.zeros([3]), [0], [4])).toThrow(/size 4 does not fit axis 0 of size 3/);
    expect(() => np.dynamicSlice(np.zeros([3]), [np.array(0)], [1])).toThrow(/integer scalars/);
    expect(() => np.dynamicSlice(np.zeros([3]), [0.5], [1])).toThrow(/must be integers/);
    expect(() => np.dynamicUpdateSlice(np.zeros([3]), np.ones([4]), [0])).toThrow(/does not fit/);
  });
});
