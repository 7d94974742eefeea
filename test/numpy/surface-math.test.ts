import { describe, it, expect } from "vitest";
import { grad, jit, vmap, np, type Array } from "../../src/index.js";
import { FX, decode, expectFx, fxArray } from "./surface-fixture.js";

type Unary = (x: Array) => Array;
const UNARY: [string, Unary][] = [
  ["arcsinh", np.arcsinh],
  ["arccosh", np.arccosh],
  ["arctanh", np.arctanh],
  ["cbrt", np.cbrt],
  ["exp2", np.exp2],
  ["sinc", np.sinc],
  ["trunc", np.trunc],
];

describe("elementwise unary vs NumPy (float64, edge values: 0, ±1, huge, ±∞, NaN)", () => {
  it.each(UNARY)("%s", (name, f) => {
    const c = FX.unary[name];
    const y = f(fxArray(c.x));
    expect(y.dtype).toBe("float64");
    expectFx(y, c.y, 4e-15, 1e-300);
  });
  it("isinf", () => {
    const c = FX.unary.isinf;
    const y = np.isinf(fxArray(c.x));
    expect(y.dtype).toBe("bool");
    expectFx(y, c.y);
    expect(np.isinf(np.array([1, 2], { dtype: "int32" })).tolist()).toEqual([false, false]);
  });
});

describe("elementwise unary in float32", () => {
  it.each(Object.keys(FX.unary32))("%s", (name) => {
    const c = FX.unary32[name];
    const f = (np as unknown as Record<string, Unary>)[name]!;
    const y = f(fxArray(c.x, "float32"));
    expect(y.dtype).toBe("float32");
    expectFx(y, c.y, 1e-6, 1e-7);
  });
  it("integer inputs become float32, 0-d and empty inputs keep their shapes", () => {
    expect(np.cbrt(np.array([8, -27], { dtype: "int32" })).tolist()).toEqual([2, -3]);
    expect(np.exp2(3).dtype).toBe("float32");
    expect(np.arcsinh(np.array(0.5)).shape).toEqual([]);
    expect(np.sinc(np.zeros([0, 3])).shape).toEqual([0, 3]);
    expect(np.trunc(np.array([3, -3], { dtype: "int32" })).dtype).toBe("int32");
  });
});

describe("derivatives vs closed forms", () => {
  it.each(["arcsinh", "arccosh", "arctanh", "cbrt", "exp2", "sinc"])("%s", (name) => {
    const c = FX.derivatives[name];
    const f = (np as unknown as Record<string, Unary>)[name]!;
    const g = grad((x: Array) => np.sum(f(x)))(fxArray(c.x));
    expectFx(g, c.dy, 1e-12, 1e-14);
  });
  it("sinc at 0: first derivative 0, second −π²/3 (the series near 0, no NaN)", () => {
    const d1 = grad((x: Array) => np.sinc(x));
    expect(d1(np.array(0, { dtype: "float64" })).item()).toBe(0);
    const d2 = grad((x: Array) => d1(x));
    expect(d2(np.array(0, { dtype: "float64" })).item()).toBeCloseTo(FX.derivatives.sinc_second_at_0, 12);
  });
  it("arcsinh'(0) = 1 and arctanh'(0) = 1 (no kink from the sign handling); cbrt'(0) = +∞ as in JAX", () => {
    const z = np.array(0, { dtype: "float64" });
    expect(grad((x: Array) => np.arcsinh(x))(z).item()).toBe(1);
    expect(grad((x: Array) => np.arctanh(x))(z).item()).toBe(1);
    expect(grad((x: Array) => np.cbrt(x))(z).item()).toBe(Infinity);
  });
  it("gradients are finite past the overflow switch of arcsinh/arccosh", () => {
    const x = np.array([-1e200, 1e200, 1e30], { dtype: "float64" });
    const g = grad((v: Array) => np.sum(np.arcsinh(v)))(x);
    expectFx(g, [1e-200, 1e-200, 1e-30], 1e-12);
    const h = grad((v: Array) => np.sum(np.arccosh(v)))(np.array([1e200], { dtype: "float64" }));
    expectFx(h, [1e-200], 1e-12);
  });
  it("derivatives of trunc and floorDivide are zero", () => {
    const x = np.array([1.3, -2.7], { dtype: "float64" });
    expect(grad((v: Array) => np.sum(np.trunc(v)))(x).tolist()).toEqual([0, 0]);
    expect(grad((v: Array) => np.sum(np.floorDivide(v, 0.5)))(x).tolist()).toEqual([0, 0]);
  });
});

describe("hypot, logaddexp, logaddexp2", () => {
  it.each(["hypot", "logaddexp", "logaddexp2"])("%s vs NumPy (overflow, ±∞, NaN)", (name) => {
    const c = FX.binary[name];
    const f = (np as unknown as Record<string, (x: Array, y: Array) => Array>)[name]!;
    expectFx(f(fxArray(c.x), fxArray(c.y)), c.out, 4e-15, 1e-300);
  });
  it.each(["hypot", "logaddexp", "logaddexp2"])("%s gradients vs closed forms", (name) => {
    const c = FX.binaryGrads[name];
    const f = (np as unknown as Record<string, (x: Array, y: Array) => Array>)[name]!;
    const [gx, gy] = grad((x: Array, y: Array) => np.sum(f(x, y)), { argnums: [0, 1] })(fxArray(c.x), fxArray(c.y));
    expectFx(gx!, c.dx, 1e-12, 1e-15);
    expectFx(gy!, c.dy, 1e-12, 1e-15);
  });
  it("exact derivatives at ties, the origin and infinity", () => {
    const g = grad((x: Array, y: Array) => np.logaddexp(x, y), { argnums: [0, 1] });
    const [a, b] = g(np.array(2, { dtype: "float64" }), np.array(2, { dtype: "float64" }));
    expect(a!.item()).toBeCloseTo(0.5, 15);
    expect(b!.item()).toBeCloseTo(0.5, 15);
    const [c, d] = g(np.array(Infinity, { dtype: "float64" }), np.array(1, { dtype: "float64" }));
    expect([c!.item(), d!.item()]).toEqual([1, 0]);
    const h = grad((x: Array, y: Array) => np.hypot(x, y), { argnums: [0, 1] });
    const [e, f] = h(np.array(0, { dtype: "float64" }), np.array(0, { dtype: "float64" }));
    expect([e!.item(), f!.item()]).toEqual([0, 0]);
    const [p, q] = h(np.array(-2, { dtype: "float64" }), np.array(2, { dtype: "float64" }));
    expect(p!.item()).toBeCloseTo(-Math.SQRT1_2, 14);
    expect(q!.item()).toBeCloseTo(Math.SQRT1_2, 14);
  });
  it("float32: no overflow where the naive formulas overflow", () => {
    expect(np.hypot(np.array([3e30]), np.array([4e30])).item()).toBeCloseTo(5e30, -25);
    expect(np.logaddexp(np.array([100]), np.array([100])).item()).toBeCloseTo(100 + Math.LN2, 4);
    expect(np.logaddexp2(3, 3).item()).toBe(4);
  });
  it("broadcasting and dtype promotion", () => {
    const y = np.hypot(np.array([[3], [6]]), np.array([4, 8]));
    expect(y.shape).toEqual([2, 2]);
    expectFx(
      y,
      [
        [5, Math.hypot(3, 8)],
        [Math.hypot(6, 4), 10],
      ],
      1e-6,
    );
    expect(np.logaddexp(np.array([1], { dtype: "int32" }), 2).dtype).toBe("float32");
  });
});

describe("floorDivide (Python //)", () => {
  it("int32 vs NumPy, including division by zero (0, as NumPy and graft's integer division)", () => {
    const c = FX.floorDivide.int;
    const y = np.floorDivide(fxArray(c.x, "int32"), fxArray(c.y, "int32"));
    expect(y.dtype).toBe("int32");
    expectFx(y, c.out);
  });
  it("float64 vs NumPy, including ±∞ and x/0", () => {
    const c = FX.floorDivide.float;
    expectFx(np.floorDivide(fxArray(c.x), fxArray(c.y)), c.out);
  });
  it("uint32, bool and scalars", () => {
    expect(np.floorDivide(np.array([7, 9], { dtype: "uint32" }), 2).tolist()).toEqual([3, 4]);
    expect(np.floorDivide(-7, 2).item()).toBe(-4);
    expect(np.floorDivide(np.array([true, true]), np.array([true, false])).dtype).toBe("int32");
  });
});

describe("isclose, allclose, logicalXor, round(decimals)", () => {
  it.each(["default", "equalNan", "tolerances"])("isclose %s vs NumPy", (name) => {
    const c = FX.isclose[name];
    const opts = name === "equalNan" ? { equalNan: true } : name === "tolerances" ? { rtol: c.rtol, atol: c.atol } : {};
    const y = np.isclose(fxArray(c.a), fxArray(c.b), opts);
    expect(y.dtype).toBe("bool");
    expectFx(y, c.out);
  });
  it("allclose returns a 0-d bool array (JAX), usable under jit", () => {
    const t = np.allclose(np.array([1, 2], { dtype: "float64" }), np.array([1, 2.000001], { dtype: "float64" }));
    expect(t.shape).toEqual([]);
    expect(t.dtype).toBe("bool");
    expect(Boolean(t.item())).toBe(FX.isclose.allcloseTrue);
    const f = jit((a: Array, b: Array) => np.allclose(a, b))(np.array([1, 2]), np.array([1, 2.1]));
    expect(Boolean(f.item())).toBe(FX.isclose.allcloseFalse);
  });
  it("isclose on integers compares with tolerances after promotion to float", () => {
    expect(
      np.isclose(np.array([100000, 5], { dtype: "int32" }), np.array([100001, 6], { dtype: "int32" })).tolist(),
    ).toEqual([true, false]);
  });
  it("logicalXor", () => {
    const c = FX.logicalXor;
    expectFx(np.logicalXor(fxArray(c.x, "int32"), fxArray(c.y, "float32")), c.out);
  });
  it.each(["0", "1", "2", "-1", "-2"])("round(x, %s) vs NumPy", (d) => {
    const c = FX.round[d];
    expectFx(np.round(fxArray(c.x), Number(d)), c.out, 1e-15);
  });
  it("round keeps integers, refuses negative decimals on them", () => {
    expect(np.round(np.array([15], { dtype: "int32" }), 1).tolist()).toEqual([15]);
    expect(() => np.round(np.array([15], { dtype: "int32" }), -1)).toThrow(
      /round: integer inputs support only decimals >= 0/,
    );
  });
});

describe("errors name the op and the fix", () => {
  it("bad options and arguments", () => {
    expect(() => np.isclose(1, 2, { rtol: -1 })).toThrow(/isclose: rtol must be a non-negative number/);
    expect(() => np.isclose(1, 2, { tol: 1 } as never)).toThrow(/isclose: unknown option 'tol'/);
    expect(() => np.round(np.array([1.5]), 0.5)).toThrow(/round: decimals must be an integer/);
    expect(() => np.hypot("a" as never, 1)).toThrow(/hypot: expected a graft array/);
    expect(() => np.hypot(np.zeros([2]), np.zeros([3]))).toThrow(/hypot/);
  });
});

describe("under jit and vmap", () => {
  it("jit matches eager", () => {
    const x = fxArray(FX.derivatives.sinc.x);
    const f = (v: Array) =>
      np.stack([np.arcsinh(v), np.cbrt(v), np.sinc(v), np.exp2(v), np.trunc(v), np.hypot(v, 2), np.logaddexp(v, 1)]);
    expectFx(jit(f)(x), f(x).tolist() as number[][], 1e-15);
  });
  it("vmap matches a loop, gradient under vmap", () => {
    const x = np.array(
      [
        [0.5, -1, 2],
        [3, 0.1, -0.2],
      ],
      { dtype: "float64" },
    );
    const f = (v: Array) => np.logaddexp2(v, np.hypot(v, 1));
    const rows = [0, 1].map((i) => f(x.get(i)).tolist() as number[]);
    expectFx(vmap(f)(x), rows, 1e-15);
    const g = vmap(grad((v: Array) => np.sum(np.arcsinh(v))))(x);
    expectFx(
      g,
      (x.tolist() as number[][]).map((r) => r.map((v) => 1 / Math.sqrt(1 + v * v))),
      1e-14,
    );
    expect(decode([[1, 2]]).shape).toEqual([1, 2]);
  });
});
