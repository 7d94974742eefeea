/**
 * lax.reduceWindow against jax.lax.reduce_window 0.10.2 and np.convolve / np.correlate against
 * jnp.convolve / jnp.correlate (test/fixtures/conv.json, from scripts/conv-fixtures.py with x64).
 *
 * Tolerances, relative to 1 + |value|: float64 1e-12 (max/min are exact; sums and products of at
 * most 9 terms differ only in order); float32 2e-6 (float32 rounding of inputs and of short sums).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { grad, jit, lax, np, vmap } from "../../src/index.js";
import type { ConvPadding, ReduceWindowOp } from "../../src/lax/control/index.js";
import { expectClose } from "../helpers.js";

type Nested = number | Nested[];
interface RwCase {
  name: string;
  x: Nested;
  op: ReduceWindowOp;
  init: number | null;
  initInf: number;
  window: number[];
  strides: number[];
  padding: ConvPadding;
  baseDilation: number[] | null;
  windowDilation: number[] | null;
  out: Nested;
  outShape: number[];
  cotangent: Nested;
  grad: Nested | null;
}
interface ConvolveCase {
  a: number[];
  v: number[];
  [key: string]: number[];
}
const fx = JSON.parse(readFileSync(new URL("../fixtures/conv.json", import.meta.url), "utf8")) as {
  reduceWindow: RwCase[];
  maxPoolTie: { x: number[][]; grad: number[][] };
  convolve: ConvolveCase[];
};
const flatten = (v: Nested): number[] => (Array.isArray(v) ? v.flatMap(flatten) : [v]);

const rwOf = (c: RwCase) => (x: np.Array) =>
  lax.reduceWindow(x, c.init ?? c.initInf * Number.POSITIVE_INFINITY, c.op, c.window, c.strides, c.padding, {
    ...(c.baseDilation ? { baseDilation: c.baseDilation } : {}),
    ...(c.windowDilation ? { windowDilation: c.windowDilation } : {}),
  });

describe("reduceWindow vs jax.lax.reduce_window", () => {
  for (const c of fx.reduceWindow) {
    it(`${c.name}: values${c.grad ? " and gradient" : ""} (float64), float32 under jit`, () => {
      const f = rwOf(c);
      const x = np.array(c.x as number[], { dtype: "float64" });
      const y = f(x);
      expect(y.shape).toEqual(c.outShape);
      expectClose(y, flatten(c.out), 1e-12);
      if (c.grad) {
        const ct = np.array(c.cotangent as number[], { dtype: "float64" });
        expectClose(grad((a: np.Array) => np.sum(np.multiply(f(a), ct)))(x), flatten(c.grad), 1e-12);
      }
      expectClose(jit(f)(np.array(c.x as number[], { dtype: "float32" })), flatten(c.out), 2e-6);
    });
  }

  it("max-pool ties send the whole gradient to the first maximum in window order, as JAX does", () => {
    const x = np.array(fx.maxPoolTie.x, { dtype: "float64" });
    const g = grad((a: np.Array) => np.sum(lax.reduceWindow(a, Number.NEGATIVE_INFINITY, "max", [2, 2], [2, 2])))(x);
    expectClose(g, fx.maxPoolTie.grad.flat(), 0);
  });

  it("NaN propagates through max and min like lax.max / lax.min", () => {
    const x = np.array([1, Number.NaN, 3, 2], { dtype: "float32" });
    expect(Array.from(lax.reduceWindow(x, Number.NEGATIVE_INFINITY, "max", [2]).dataSync())).toEqual([
      Number.NaN,
      Number.NaN,
      3,
    ]);
    expect(Array.from(lax.reduceWindow(x, Number.POSITIVE_INFINITY, "min", [2]).dataSync())).toEqual([
      Number.NaN,
      Number.NaN,
      2,
    ]);
  });

  it("vmap over a leading axis equals the per-example results; int32 sums stay int32", () => {
    const c = fx.reduceWindow.find((k) => k.name === "max explicit pad dilations")!;
    const f = rwOf(c);
    const x = np.array(c.x as number[], { dtype: "float64" });
    const xs = np.stack([x, np.negative(x)]);
    const want = [0, 1].flatMap((i) => Array.from(f(xs.get(i)).dataSync(), Number));
    expectClose(vmap(f)(xs), want, 0);
    const s = lax.reduceWindow(np.arange(6, { dtype: "int32" }), 0, "sum", [3], [3]);
    expect(s.dtype).toBe("int32");
    expect(Array.from(s.dataSync())).toEqual([3, 12]);
  });

  it("bad input: clear errors naming reduceWindow", () => {
    const x = np.ones([4, 4]);
    expect(() => lax.reduceWindow(x, 0, "mean" as ReduceWindowOp, [2, 2])).toThrow(/reduceWindow: op must be one of/);
    expect(() => lax.reduceWindow(x, 0, "sum", [2])).toThrow(/reduceWindow: windowDimensions needs 2 integers/);
    expect(() => lax.reduceWindow(x, 0, "sum", [2, 2], [0, 1])).toThrow(/windowStrides needs 2 integers >= 1/);
    expect(() => lax.reduceWindow(x, 0, "sum", [2, 2], [1, 1], "FULL" as ConvPadding)).toThrow(/padding must be/);
    expect(() => lax.reduceWindow(np.array([true, false]), 0, "sum", [1])).toThrow(/bool operands/);
  });
});

describe("np.convolve and np.correlate vs jnp", () => {
  fx.convolve.forEach((c, i) => {
    it(`case ${i} (lengths ${c.a.length}, ${c.v.length}): every mode, float64 and float32`, () => {
      for (const mode of ["full", "same", "valid"] as const) {
        for (const [name, f] of [
          ["convolve", np.convolve],
          ["correlate", np.correlate],
        ] as const) {
          const want = c[`${name}_${mode}`]!;
          expectClose(
            f(np.array(c.a, { dtype: "float64" }), np.array(c.v, { dtype: "float64" }), { mode }),
            want,
            1e-12,
          );
          expectClose(
            f(np.array(c.a, { dtype: "float32" }), np.array(c.v, { dtype: "float32" }), { mode }),
            want,
            2e-6,
          );
        }
      }
    });
  });

  it("defaults (convolve full, correlate valid), integer inputs give float32, gradient flows to both", () => {
    const a = np.array([1, 2, 3]);
    const v = np.array([0, 1, 0.5]);
    expectClose(np.convolve(a, v), [0, 1, 2.5, 4, 1.5], 0);
    expectClose(np.correlate(a, v), [3.5], 0);
    expect(np.convolve(np.array([1, 2], { dtype: "int32" }), np.array([1, 1], { dtype: "int32" })).dtype).toBe(
      "float32",
    );
    // d/da sum(convolve(a, v)) = sum(v) for every entry of a (each a_i meets every v_j once in full mode).
    const [ga, gv] = grad((x: np.Array, y: np.Array) => np.sum(np.convolve(x, y)), { argnums: [0, 1] })(a, v);
    expectClose(ga, [1.5, 1.5, 1.5], 1e-6);
    expectClose(gv, [6, 6, 6], 1e-6);
  });

  it("bad input: clear errors", () => {
    expect(() => np.convolve(np.ones([2, 2]), np.ones([2]))).toThrow(/convolve: only 1-d inputs/);
    expect(() => np.correlate(np.ones([2]), np.ones([0]))).toThrow(/correlate: inputs cannot be empty/);
    expect(() => np.convolve(np.ones([2]), np.ones([2]), { mode: "wide" as "full" })).toThrow(/mode must be/);
  });
});
