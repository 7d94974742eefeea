import { describe, it, expect } from "vitest";
import { np, type DType } from "../../src/index.js";

/** Flat JS numbers of an array (independent of tolist). */
const flat = (x: np.Array): number[] => Array.from(x.dataSync(), Number);

describe("Array basics", () => {
  it("reports shape, ndim, size and dtype", () => {
    const x = np.array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(x.shape).toEqual([2, 3]);
    expect(x.ndim).toBe(2);
    expect(x.size).toBe(6);
    expect(x.dtype).toBe("float32");
    const s = np.array(7);
    expect(s.shape).toEqual([]);
    expect(s.ndim).toBe(0);
    expect(s.size).toBe(1);
    const e = np.zeros([3, 0, 2]);
    expect(e.size).toBe(0);
    expect(e.ndim).toBe(3);
  });

  it("prints NumPy-like text", () => {
    expect(
      np
        .array([
          [1, 2],
          [3, 4],
        ])
        .toString(),
    ).toBe("array([[1., 2.],\n       [3., 4.]])");
    expect(np.array(3.5).toString()).toBe("array(3.5)");
    expect(np.array([1, 10]).toString()).toBe("array([ 1., 10.])");
    expect(np.array([NaN, 1, Infinity, -Infinity]).toString()).toBe("array([ nan,   1.,  inf, -inf])");
    // NumPy pads every element to the widest on both sides of the point: "2. " (was " 2." before).
    expect(np.array([1.5, 2], { dtype: "float64" }).toString()).toBe("array([1.5, 2. ], dtype=float64)");
    expect(np.array([1, 2], { dtype: "uint32" }).toString()).toContain("dtype=uint32");
    // Integers print without a decimal point.
    expect(np.array([1, -2, 3], { dtype: "int32" }).toString()).toMatch(/^array\(\[ 1, -2, {2}3\]/);
    expect(np.array([true, false]).toString()).toMatch(/true.*false/);
    // 3-D arrays separate their 2-D blocks with a blank line, like NumPy.
    expect(np.zeros([2, 1, 1]).toString()).toBe("array([[[0.]],\n\n       [[0.]]])");
    expect(String(np.array([0.25]))).toBe("array([0.25])");
  });

  it("reads contents back: dataSync, data, tolist, item", async () => {
    const x = np.array([
      [1, 2],
      [3, 4],
    ]);
    const d = x.dataSync();
    expect(d).toBeInstanceOf(Float32Array);
    expect(Array.from(d)).toEqual([1, 2, 3, 4]);
    const d2 = await x.data();
    expect(Array.from(d2)).toEqual([1, 2, 3, 4]);
    expect(x.tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(np.array(5).tolist()).toBe(5);
    expect(np.array([true, false]).tolist()).toEqual([true, false]);
    expect(np.array([[7]]).item()).toBe(7);
    expect(np.array([true]).item()).toBe(1);
    expect(np.array([1, 2], { dtype: "int32" }).dataSync()).toBeInstanceOf(Int32Array);
    expect(np.zeros([2, 0]).tolist()).toEqual([[], []]);
    expect(() => x.item()).toThrow(/size-1.*shape \[2, 2\]/);
  });

  it("converts size-1 arrays with Number() like NumPy scalars", () => {
    expect(Number(np.array([2.5]))).toBe(2.5);
    expect(() => Number(np.array([1, 2]))).toThrow(/size-1/);
  });

  it("is immutable: dataSync/data return copies", async () => {
    const x = np.array([1, 2, 3]);
    const d = x.dataSync();
    d[0] = 100;
    expect(flat(x)).toEqual([1, 2, 3]);
    const d2 = await x.data();
    d2[1] = 100;
    expect(flat(x)).toEqual([1, 2, 3]);
    // Creating from a typed array copies it too.
    const src = new Float32Array([1, 2]);
    const y = np.array(src);
    src[0] = 9;
    expect(flat(y)).toEqual([1, 2]);
    // Ops return new arrays and leave their inputs alone.
    const z = x.add(1);
    expect(z).not.toBe(x);
    expect(flat(x)).toEqual([1, 2, 3]);
  });
});

describe("weak typing and dtype promotion", () => {
  const arr = (dtype: DType) => np.array(dtype === "bool" ? [true, false] : [1, 2], { dtype });

  it("JS numbers are weak and defer to the array's dtype", () => {
    expect(np.array([1, 2]).mul(2).dtype).toBe("float32");
    expect(np.array([1, 2]).mul(2.5).dtype).toBe("float32");
    expect(np.array([1, 2], { dtype: "float64" }).add(1).dtype).toBe("float64");
    expect(np.array([1, 2], { dtype: "float64" }).add(1.5).dtype).toBe("float64");
    expect(np.array([1, 2], { dtype: "int32" }).add(1).dtype).toBe("int32");
    expect(np.array([1, 2], { dtype: "uint32" }).add(1).dtype).toBe("uint32");
    const i = np.array([1, 2], { dtype: "int32" }).add(1.5);
    expect(i.dtype).toBe("float32");
    expect(flat(i)).toEqual([2.5, 3.5]);
    // A strong result of a weak and a strong operand is strong.
    expect(np.array([1, 2]).mul(2).weakType).toBe(false);
    // Two JS numbers give a weak result.
    const w = np.add(1, 2.5);
    expect(w.weakType).toBe(true);
    expect(w.dtype).toBe("float32");
    expect(w.item()).toBe(3.5);
  });

  it("values keep float64 precision when a weak scalar joins a float64 array", () => {
    const x = np.array([1], { dtype: "float64" }).add(0.1);
    expect(x.dataSync()[0]).toBe(1.1);
  });

  it("bool + bool stays bool with 0/1 contents", () => {
    const r = np.add(np.array([true, true, false]), np.array([true, false, false]));
    expect(r.dtype).toBe("bool");
    expect(r.tolist()).toEqual([true, true, false]);
    expect(flat(r)).toEqual([1, 1, 0]);
  });

  it("uint32 + int32 is int32; int32 + float32 is float32", () => {
    expect(np.add(arr("uint32"), arr("int32")).dtype).toBe("int32");
    expect(np.add(arr("int32"), arr("float32")).dtype).toBe("float32");
  });

  // JAX's lattice (x64 disabled for ints): the independent reference table.
  const table: [DType, DType, DType][] = [
    ["bool", "bool", "bool"],
    ["bool", "int32", "int32"],
    ["bool", "uint32", "uint32"],
    ["bool", "float32", "float32"],
    ["bool", "float64", "float64"],
    ["int32", "int32", "int32"],
    ["int32", "uint32", "int32"],
    ["int32", "float32", "float32"],
    ["int32", "float64", "float64"],
    ["uint32", "uint32", "uint32"],
    ["uint32", "float32", "float32"],
    ["uint32", "float64", "float64"],
    ["float32", "float32", "float32"],
    ["float32", "float64", "float64"],
    ["float64", "float64", "float64"],
  ];
  it.each(table)("promote(%s, %s) = %s, symmetric", (a, b, want) => {
    expect(np.add(arr(a), arr(b)).dtype).toBe(want);
    expect(np.add(arr(b), arr(a)).dtype).toBe(want);
    expect(np.multiply(arr(a), arr(b)).dtype).toBe(want);
  });

  const weakTable: [DType, number, DType][] = [
    ["bool", 1, "int32"],
    ["bool", 1.5, "float32"],
    ["int32", 2, "int32"],
    ["int32", 2.5, "float32"],
    ["uint32", 2, "uint32"],
    ["uint32", 2.5, "float32"],
    ["float32", 2, "float32"],
    ["float64", 2, "float64"],
    ["float64", 2.5, "float64"],
  ];
  it.each(weakTable)("%s array op JS number %s gives %s", (a, s, want) => {
    expect(np.add(arr(a), s).dtype).toBe(want);
    expect(np.add(s, arr(a)).dtype).toBe(want);
  });
});

describe("creation functions", () => {
  it("array from nested lists, numbers and booleans", () => {
    const x = np.array([
      [[1], [2]],
      [[3], [4]],
    ]);
    expect(x.shape).toEqual([2, 2, 1]);
    expect(flat(x)).toEqual([1, 2, 3, 4]);
    expect(np.array([true, false]).dtype).toBe("bool");
    expect(np.array(2).dtype).toBe("float32");
    expect(np.array([1.7, -1.7], { dtype: "int32" }).tolist()).toEqual([1, -1]);
    expect(np.array([1, 2, 3], { dtype: "float64" }).dtype).toBe("float64");
    expect(np.array([1, 2, 3, 4], { shape: [2, 2] }).tolist()).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("array from typed arrays keeps their dtype", () => {
    expect(np.array(new Float64Array([1, 2])).dtype).toBe("float64");
    expect(np.array(new Int32Array([1, 2])).dtype).toBe("int32");
    expect(np.array(new Uint32Array([1, 2])).dtype).toBe("uint32");
    expect(np.array(new Float32Array([1, 2])).dtype).toBe("float32");
    const m = np.array(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
    expect(m.shape).toEqual([2, 3]);
    expect(m.tolist()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(np.array(new Int32Array([3]), { dtype: "float32" }).dtype).toBe("float32");
    // float32 rounding of float64 input
    expect(np.array([0.1]).dataSync()[0]).toBe(Math.fround(0.1));
  });

  it("zeros, ones, full", () => {
    const z = np.zeros([2, 3]);
    expect(z.shape).toEqual([2, 3]);
    expect(z.dtype).toBe("float32");
    expect(flat(z)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(flat(np.ones([2], { dtype: "int32" }))).toEqual([1, 1]);
    expect(np.ones([2], { dtype: "int32" }).dtype).toBe("int32");
    const f = np.full([2, 2], 7);
    expect(flat(f)).toEqual([7, 7, 7, 7]);
    expect(np.full([1], true).dtype).toBe("bool");
    expect(np.full([], 3).shape).toEqual([]);
    expect(() => np.zeros([-1])).toThrow(/non-negative integer/);
  });

  it("arange", () => {
    expect(flat(np.arange(5))).toEqual([0, 1, 2, 3, 4]);
    expect(flat(np.arange(2, 5))).toEqual([2, 3, 4]);
    expect(flat(np.arange(1, 2, 0.25))).toEqual([1, 1.25, 1.5, 1.75]);
    expect(flat(np.arange(5, 0, -2))).toEqual([5, 3, 1]);
    expect(np.arange(3, 1).size).toBe(0);
    expect(np.arange(3, undefined, 1, { dtype: "int32" }).dtype).toBe("int32");
    expect(() => np.arange(0, 3, 0)).toThrow(/step/);
  });

  it("linspace", () => {
    const l = flat(np.linspace(0, 1, 5, { dtype: "float64" }));
    expect(l).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const e = flat(np.linspace(0, 1, 4, { endpoint: false, dtype: "float64" }));
    expect(e).toEqual([0, 0.25, 0.5, 0.75]);
    expect(np.linspace(0, 1).size).toBe(50);
    expect(flat(np.linspace(2, 3, 1))).toEqual([2]);
    const x = flat(np.linspace(-1, 1, 3));
    expect(x).toEqual([-1, 0, 1]);
  });

  it("eye", () => {
    expect(np.eye(3).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(np.eye(2, 3, { k: 1 }).tolist()).toEqual([
      [0, 1, 0],
      [0, 0, 1],
    ]);
    expect(np.eye(3, 2, { k: -1 }).tolist()).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
    ]);
    expect(np.eye(2, 2, { dtype: "int32" }).dtype).toBe("int32");
  });

  it("zerosLike, onesLike, fullLike keep shape and dtype", () => {
    const x = np.array([[1, 2, 3]], { dtype: "int32" });
    const z = np.zerosLike(x);
    expect(z.shape).toEqual([1, 3]);
    expect(z.dtype).toBe("int32");
    expect(flat(z)).toEqual([0, 0, 0]);
    expect(flat(np.onesLike(x))).toEqual([1, 1, 1]);
    const f = np.fullLike(x, 4);
    expect(f.dtype).toBe("int32");
    expect(flat(f)).toEqual([4, 4, 4]);
    expect(np.fullLike(x, 0.5, { dtype: "float64" }).dtype).toBe("float64");
    expect(flat(np.fullLike(x, 0.5, { dtype: "float64" }))).toEqual([0.5, 0.5, 0.5]);
  });
});
