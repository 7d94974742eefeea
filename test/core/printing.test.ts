/**
 * Printing never crashes and follows NumPy's repr (numpy 2.x defaults: threshold 1000, edgeitems 3,
 * linewidth 75, precision 8), with graft's default dtypes (float32, int32, bool) implied. Expected
 * strings were checked against `python3 -c 'import numpy as np; print(repr(...))'`.
 */
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { cpuBackend, devicePut, jit, np } from "../../src/index.js";
import { registerBackend, type Backend } from "../../src/core/backend.js";
import type { TypedArray } from "../../src/core/dtype.js";

/** Runs `f` and returns its result with the time it took, in milliseconds. */
function timed<T>(f: () => T): [T, number] {
  const t0 = performance.now();
  const out = f();
  return [out, performance.now() - t0];
}

describe("printing never crashes", () => {
  it("a huge empty array prints a summary with its shape (was a fatal V8 abort / Invalid string length)", () => {
    const [s, ms] = timed(() => np.zeros([1e9, 0]).toString());
    expect(s).toBe("array([], shape=(1000000000, 0), dtype=float32)");
    expect(ms).toBeLessThan(1000);
    expect(np.zeros([1e8, 0]).toString()).toBe("array([], shape=(100000000, 0), dtype=float32)");
    expect(np.zeros([3, 0], { dtype: "int32" }).toString()).toBe("array([], shape=(3, 0), dtype=int32)");
    // NumPy prints the dtype of every empty array, and no shape for shape (0,).
    expect(np.zeros([0]).toString()).toBe("array([], dtype=float32)");
  });

  it("a large 1-d array is summarized with edge items (was Maximum call stack size exceeded)", () => {
    const [s, ms] = timed(() => np.zeros([200000]).toString());
    expect(s).toBe("array([0., 0., 0., ..., 0., 0., 0.], shape=(200000,))");
    expect(ms).toBeLessThan(1000);
  });

  it("console.log / util.inspect of a [300, 1000] array summarizes rows and columns", () => {
    expect(inspect(np.ones([300, 1000]))).toBe(
      [
        "array([[1., 1., 1., ..., 1., 1., 1.],",
        "       [1., 1., 1., ..., 1., 1., 1.],",
        "       [1., 1., 1., ..., 1., 1., 1.],",
        "       ...,",
        "       [1., 1., 1., ..., 1., 1., 1.],",
        "       [1., 1., 1., ..., 1., 1., 1.],",
        "       [1., 1., 1., ..., 1., 1., 1.]], shape=(300, 1000))",
      ].join("\n"),
    );
  });

  it("summaries fit the format to the printed elements only and wrap at 75 columns", () => {
    expect(np.arange(2000).reshape(2, 1000).toString()).toBe(
      [
        "array([[0.000e+00, 1.000e+00, 2.000e+00, ..., 9.970e+02, 9.980e+02,",
        "        9.990e+02],",
        "       [1.000e+03, 1.001e+03, 1.002e+03, ..., 1.997e+03, 1.998e+03,",
        "        1.999e+03]], shape=(2, 1000))",
      ].join("\n"),
    );
    expect(np.arange(3000, { dtype: "int32" }).reshape(3, 1000).toString()).toBe(
      [
        "array([[   0,    1,    2, ...,  997,  998,  999],",
        "       [1000, 1001, 1002, ..., 1997, 1998, 1999],",
        "       [2000, 2001, 2002, ..., 2997, 2998, 2999]], shape=(3, 1000))",
      ].join("\n"),
    );
    // Many axes: every axis longer than 6 is cut, and blocks are separated by blank lines.
    const s = np.zeros([7, 7, 7, 7]).toString();
    expect(s.startsWith("array([[[[0., 0., 0., ..., 0., 0., 0.],")).toBe(true);
    expect(s.endsWith("\n         [0., 0., 0., ..., 0., 0., 0.]]]], shape=(7, 7, 7, 7))")).toBe(true);
    expect(s.split("\n").length).toBe(307); // as NumPy's, with the dtype (implied here) left out
  });

  it("arrays whose every axis is short still print in bounded size (the values are left out past 2**20)", () => {
    const shape = new Array<number>(21).fill(2);
    const [s, ms] = timed(() => np.zeros(shape, { dtype: "bool" }).toString());
    // The extras go on their own line when they would make the line longer than 75 columns.
    expect(s).toBe(`array(...,\n      shape=(${shape.join(", ")}), dtype=bool)`);
    expect(ms).toBeLessThan(2000);
  });

  it("long rows wrap like NumPy", () => {
    expect(np.linspace(0, 1, 30).toString()).toBe(
      [
        "array([0.        , 0.03448276, 0.06896552, 0.10344828, 0.13793103,",
        "       0.1724138 , 0.20689656, 0.2413793 , 0.27586207, 0.31034482,",
        "       0.3448276 , 0.37931034, 0.41379312, 0.44827586, 0.4827586 ,",
        "       0.51724136, 0.55172414, 0.5862069 , 0.62068963, 0.6551724 ,",
        "       0.6896552 , 0.7241379 , 0.7586207 , 0.79310346, 0.82758623,",
        "       0.86206895, 0.8965517 , 0.9310345 , 0.9655172 , 1.        ])",
      ].join("\n"),
    );
  });

  it("every element is padded to the widest printed one on both sides of the point (NumPy's padding)", () => {
    // Was "array([      1., 0.41997])": the integer part was right-aligned to the widest element.
    expect(np.array([1, 0.41997]).toString()).toBe("array([1.     , 0.41997])");
    expect(
      np
        .array([
          [1, 0.41997],
          [100.5, 2],
        ])
        .toString(),
    ).toBe("array([[  1.     ,   0.41997],\n       [100.5    ,   2.     ]])");
    expect(np.array([1.5, 2], { dtype: "float64" }).toString()).toBe("array([1.5, 2. ], dtype=float64)");
    expect(np.array([1, 10]).toString()).toBe("array([ 1., 10.])");
    expect(np.array([NaN, 1, Infinity, -Infinity]).toString()).toBe("array([ nan,   1.,  inf, -inf])");
    expect(np.array([1e-5, 1]).toString()).toBe("array([1.e-05, 1.e+00])");
    expect(np.array([1 / 3]).toString()).toBe("array([0.33333334])");
    expect(np.array([1 / 3], { dtype: "float64" }).toString()).toBe("array([0.33333333], dtype=float64)");
    // Ties round half to even, as NumPy's dragon4 does.
    expect(np.array([0.001953125, 1], { dtype: "float64" }).toString()).toBe(
      "array([0.00195312, 1.        ], dtype=float64)",
    );
    expect(np.array([1, -10, 100], { dtype: "int32" }).toString()).toBe("array([  1, -10, 100])");
    expect(np.array([true, false]).toString()).toBe("array([ true, false])");
    expect(np.array(true).toString()).toBe("array(true)");
  });

  it("toString and inspection never throw: a backend that cannot read synchronously prints a placeholder", () => {
    const asyncOnly: Backend<TypedArray> = {
      ...cpuBackend,
      name: "async-only-test",
      adopt: undefined,
      downloadSync: undefined,
    };
    registerBackend(asyncOnly);
    const y = devicePut(np.array([1, 2]), "async-only-test");
    const expected =
      "array(<values on the 'async-only-test' backend: read them with await x.data()>, shape=(2,), dtype=float32)";
    expect(y.toString()).toBe(expected);
    expect(inspect(y)).toBe(expected);
    expect(`${y}`).toBe(expected);
  });

  it("tracers print without reading data", () => {
    let printed = "";
    jit((x: np.Array) => {
      printed = `${x} / ${inspect(x)}`;
      return x;
    })(np.ones([2]));
    expect(printed).toMatch(/^Traced<f32\[2\]> \(inside jit\) \/ Traced<f32\[2\]> \(inside jit\)$/);
  });
});
