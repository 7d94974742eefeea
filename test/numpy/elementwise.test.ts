import { describe, it, expect } from "vitest";
import { np, nn, type DType } from "../../src/index.js";

const flat = (x: np.Array): number[] => Array.from(x.dataSync(), Number);

/** Elementwise closeness against independently computed numbers (NaN and ±Inf must match exactly). */
function expectClose(x: np.Array, want: readonly number[] | number, rtol = 1e-6, atol = 1e-7): void {
  const got = flat(x);
  const w = typeof want === "number" ? [want] : want;
  expect(got.length, "size").toBe(w.length);
  got.forEach((g, i) => {
    const e = w[i]!;
    if (Number.isNaN(e)) expect(g, `index ${i}`).toBeNaN();
    else if (!Number.isFinite(e)) expect(g, `index ${i}`).toBe(e);
    else expect(Math.abs(g - e), `index ${i}: got ${g}, want ${e}`).toBeLessThanOrEqual(atol + rtol * Math.abs(e));
  });
}

/** erf by its Maclaurin series (accurate to double precision for |x| <= 3). */
function erf(x: number): number {
  let term = x;
  let sum = x;
  for (let n = 1; n < 200; n++) {
    term *= (-x * x) / n;
    sum += term / (2 * n + 1);
  }
  return (2 / Math.sqrt(Math.PI)) * sum;
}
const roundHalfEven = (v: number): number => {
  const f = Math.floor(v);
  const d = v - f;
  return d < 0.5 ? f : d > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
};

type Unary = (x: np.Array) => np.Array;
const unaryCases: [string, Unary, (v: number) => number, number[]][] = [
  ["exp", np.exp, Math.exp, [-2, -0.5, 0, 1, 3.5]],
  ["expm1", np.expm1, Math.expm1, [-1, 1e-6, 0, 0.5, 2]],
  ["log", np.log, Math.log, [0.125, 0.5, 1, 2, 10]],
  ["log1p", np.log1p, Math.log1p, [-0.5, 1e-6, 0, 1, 4]],
  ["log2", np.log2, Math.log2, [0.25, 1, 3, 8, 1024]],
  ["log10", np.log10, Math.log10, [0.01, 1, 5, 100, 1000]],
  ["sin", np.sin, Math.sin, [-3, -0.5, 0, 1, 2.5]],
  ["cos", np.cos, Math.cos, [-3, -0.5, 0, 1, 2.5]],
  ["tan", np.tan, Math.tan, [-1.25, -0.5, 0, 0.5, 1.25]],
  ["tanh", np.tanh, Math.tanh, [-20, -0.5, 0, 1, 20]],
  ["sinh", np.sinh, Math.sinh, [-3, -0.5, 0, 1, 2.5]],
  ["cosh", np.cosh, Math.cosh, [-3, -0.5, 0, 1, 2.5]],
  ["arcsin", np.arcsin, Math.asin, [-1, -0.5, 0, 0.25, 1]],
  ["arccos", np.arccos, Math.acos, [-1, -0.5, 0, 0.25, 1]],
  ["arctan", np.arctan, Math.atan, [-100, -0.5, 0, 1, 3]],
  ["erf", np.erf, erf, [-2, -0.5, 0, 0.25, 1.5]],
  ["sqrt", np.sqrt, Math.sqrt, [0, 0.25, 2, 9, 1e6]],
  ["rsqrt", np.rsqrt, (v) => 1 / Math.sqrt(v), [0.25, 1, 2, 9, 1e6]],
  ["reciprocal", np.reciprocal, (v) => 1 / v, [-4, -0.5, 0.25, 3, 1e3]],
  ["negative", np.negative, (v) => -v, [-4, -0.5, 0, 3, 1e3]],
  ["abs", np.abs, Math.abs, [-4, -0.5, 0, 3, 1e3]],
  ["sign", np.sign, Math.sign, [-4, -0.5, 0, 3, 1e3]],
  ["square", np.square, (v) => v * v, [-4, -0.5, 0, 3, 1e3]],
  ["floor", np.floor, Math.floor, [-2.5, -0.5, 0, 1.5, 2.75]],
  ["ceil", np.ceil, Math.ceil, [-2.5, -0.5, 0, 1.5, 2.75]],
  ["round", np.round, roundHalfEven, [-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.75, -2.25]],
];

describe("unary ops against Math.*", () => {
  it.each(unaryCases)("%s (float32)", (_name, f, ref, xs) => {
    const y = f(np.array(xs));
    expect(y.dtype).toBe("float32");
    expect(y.shape).toEqual([xs.length]);
    expectClose(
      y,
      xs.map((v) => ref(Math.fround(v))),
      2e-6,
      1e-7,
    );
  });

  it.each(unaryCases)("%s (float64, 2-D)", (_name, f, ref, xs) => {
    const y = f(np.array([xs, xs], { dtype: "float64" }));
    expect(y.dtype).toBe("float64");
    expect(y.shape).toEqual([2, xs.length]);
    const want = xs.map(ref);
    expectClose(y, [...want, ...want], 1e-12, 1e-15);
  });

  it("array methods are the same functions", () => {
    const x = np.array([0.5, 2]);
    expectClose(x.exp().log().sqrt().square(), [0.5, 2], 1e-6);
    expectClose(x.neg().abs().reciprocal(), [2, 0.5]);
    expectClose(x.sin().mul(x.sin()).add(x.cos().square()), [1, 1], 1e-6);
    expectClose(x.tanh(), [Math.tanh(0.5), Math.tanh(2)]);
  });

  it("integer inputs: float math becomes float32, sign-like ops keep the dtype", () => {
    const i = np.array([-4, 0, 9], { dtype: "int32" });
    expect(np.sqrt(np.abs(i)).dtype).toBe("float32");
    expectClose(np.sqrt(np.abs(i)), [2, 0, 3]);
    expect(np.exp(i).dtype).toBe("float32");
    expect(np.abs(i).dtype).toBe("int32");
    expect(flat(np.abs(i))).toEqual([4, 0, 9]);
    expect(flat(np.negative(i))).toEqual([4, 0, -9]);
    expect(flat(np.sign(i))).toEqual([-1, 0, 1]);
    expect(np.square(i).dtype).toBe("int32");
    expect(flat(np.square(i))).toEqual([16, 0, 81]);
    expect(np.floor(i).dtype).toBe("int32");
    expect(flat(np.round(i))).toEqual([-4, 0, 9]);
    expect(np.reciprocal(np.array([2, 4], { dtype: "int32" })).dtype).toBe("float32");
    expectClose(np.reciprocal(np.array([2, 4], { dtype: "int32" })), [0.5, 0.25]);
  });

  it("IEEE special values", () => {
    expectClose(np.log(np.array([0, -1])), [-Infinity, NaN]);
    expectClose(np.sqrt(np.array([-1, Infinity])), [NaN, Infinity]);
    expectClose(np.exp(np.array([100, -200, -Infinity, NaN])), [Infinity, 0, 0, NaN]);
    expectClose(np.arcsin(np.array([2])), [NaN]);
    expectClose(np.sign(np.array([NaN, -Infinity])), [NaN, -1]);
    expectClose(np.tanh(np.array([Infinity, -Infinity])), [1, -1]);
    expectClose(np.log1p(np.array([-1])), [-Infinity]);
    expectClose(np.abs(np.array([-Infinity, NaN])), [Infinity, NaN]);
  });
});

describe("binary arithmetic with broadcasting", () => {
  const a = [
    [1, 2, 3],
    [4, 5, 6],
  ];
  const b = [10, -20, 0.5];
  const bc = (f: (p: number, q: number) => number) => a.flatMap((row) => row.map((v, j) => f(v, b[j]!)));

  const cases: [string, (x: np.ArrayOrScalar, y: np.ArrayOrScalar) => np.Array, (p: number, q: number) => number][] = [
    ["add", np.add, (p, q) => p + q],
    ["subtract", np.subtract, (p, q) => p - q],
    ["multiply", np.multiply, (p, q) => p * q],
    ["divide", np.divide, (p, q) => p / q],
    ["maximum", np.maximum, Math.max],
    ["minimum", np.minimum, Math.min],
    ["power", np.power, Math.pow],
    ["arctan2", np.arctan2, Math.atan2],
  ];
  it.each(cases)("%s: [2,3] with [3]", (_n, f, ref) => {
    const y = f(np.array(a), np.array(b));
    expect(y.shape).toEqual([2, 3]);
    expectClose(y, bc(ref), 2e-6);
  });
  it.each(cases)("%s: [2,1] with [1,3] gives [2,3]", (_n, f, ref) => {
    const y = f(np.array([[2], [3]]), np.array([[1, 2, 0.5]]));
    expect(y.shape).toEqual([2, 3]);
    expectClose(
      y,
      [2, 3].flatMap((p) => [1, 2, 0.5].map((q) => ref(p, q))),
      2e-6,
    );
  });
  it.each(cases)("%s: scalar on either side", (_n, f, ref) => {
    expectClose(f(np.array([1, 2]), 3), [ref(1, 3), ref(2, 3)], 2e-6);
    expectClose(f(3, np.array([1, 2])), [ref(3, 1), ref(3, 2)], 2e-6);
  });

  it("methods broadcast too", () => {
    const x = np.array([[1], [2]]);
    expect(x.add(np.array([1, 2, 3])).tolist()).toEqual([
      [2, 3, 4],
      [3, 4, 5],
    ]);
    expect(x.sub(1).mul(2).div(4).tolist()).toEqual([[0], [0.5]]);
    expect(x.pow(3).tolist()).toEqual([[1], [8]]);
    expect(x.maximum(1.5).minimum(1.75).tolist()).toEqual([[1.5], [1.75]]);
  });

  it("arctan2 covers all four quadrants", () => {
    const ys = [1, 1, -1, -1, 0, 0];
    const xs = [1, -1, -1, 1, -1, 1];
    expectClose(
      np.arctan2(np.array(ys), np.array(xs)),
      ys.map((y, i) => Math.atan2(y, xs[i]!)),
    );
  });

  it("division: IEEE for floats, float32 result for ints", () => {
    expectClose(np.divide(np.array([1, -1, 0]), 0), [Infinity, -Infinity, NaN]);
    const q = np.divide(np.array([1, 3], { dtype: "int32" }), np.array([2, 2], { dtype: "int32" }));
    expect(q.dtype).toBe("float32");
    expectClose(q, [0.5, 1.5]);
  });

  it("mod takes the sign of the divisor (NumPy), for floats and ints", () => {
    const xs = [-3, 3, -3, 3, 5.5, -5.5, 7];
    const ys = [2, -2, -2, 2, 2, 2, 7];
    const ref = xs.map((x, i) => x - Math.floor(x / ys[i]!) * ys[i]!);
    expectClose(np.mod(np.array(xs), np.array(ys)), ref);
    const xi = [-3, 3, -3, 3, 7, -7];
    const yi = [2, -2, -2, 2, 3, 3];
    const r = np.mod(np.array(xi, { dtype: "int32" }), np.array(yi, { dtype: "int32" }));
    expect(r.dtype).toBe("int32");
    expect(flat(r)).toEqual(xi.map((x, i) => x - Math.floor(x / yi[i]!) * yi[i]!));
    expect(flat(np.array([5, -5]).mod(3))).toEqual([2, 1]);
  });

  it("power: integer exponents are exact for any sign of the base; fractional powers of negatives are NaN", () => {
    expectClose(np.power(np.array([-2, -1.5, 3]), 3), [-8, -3.375, 27]);
    expectClose(np.power(np.array([-2, 4]), -2), [0.25, 0.0625]);
    expectClose(np.power(np.array([-2, 4]), 0.5), [NaN, 2]);
    expectClose(np.power(np.array([0]), 0), [1]);
    const ip = np.power(np.array([2, 3], { dtype: "int32" }), 3);
    expect(ip.dtype).toBe("int32");
    expect(flat(ip)).toEqual([8, 27]);
    const ia = np.power(np.array([2, 3], { dtype: "int32" }), np.array([3, 2], { dtype: "int32" }));
    expect(ia.dtype).toBe("int32");
    expect(flat(ia)).toEqual([8, 9]);
    expectClose(np.power(2, np.array([0.5, -1])), [Math.SQRT2, 0.5]);
  });

  it("maximum/minimum propagate NaN", () => {
    expectClose(np.maximum(np.array([NaN, 1]), np.array([1, NaN])), [NaN, NaN]);
    expectClose(np.minimum(np.array([NaN, 1, -Infinity]), np.array([1, NaN, 0])), [NaN, NaN, -Infinity]);
  });

  it("int arithmetic stays int32 and wraps like int32", () => {
    const x = np.array([2147483647, -5], { dtype: "int32" });
    const y = x.add(1);
    expect(y.dtype).toBe("int32");
    expect(flat(y)).toEqual([-2147483648, -4]);
    expect(flat(np.array([7, -7], { dtype: "int32" }).mul(3))).toEqual([21, -21]);
  });

  it("incompatible broadcast throws naming the op and shapes", () => {
    expect(() => np.add(np.ones([2, 3]), np.ones([4]))).toThrow(/add.*\[2, 3\].*\[4\]/);
    expect(() => np.multiply(np.ones([2, 3]), np.ones([3, 2]))).toThrow(/multiply/);
  });
});

describe("comparisons and logic", () => {
  const x = [1, NaN, 3, -Infinity];
  const y = [1, NaN, 2, 0];
  const cmp: [string, (a: np.ArrayOrScalar, b: np.ArrayOrScalar) => np.Array, (p: number, q: number) => boolean][] = [
    ["equal", np.equal, (p, q) => p === q],
    ["notEqual", np.notEqual, (p, q) => p !== q],
    ["less", np.less, (p, q) => p < q],
    ["lessEqual", np.lessEqual, (p, q) => p <= q],
    ["greater", np.greater, (p, q) => p > q],
    ["greaterEqual", np.greaterEqual, (p, q) => p >= q],
  ];
  it.each(cmp)("%s follows IEEE (NaN compares false except !=)", (_n, f, ref) => {
    const r = f(np.array(x), np.array(y));
    expect(r.dtype).toBe("bool");
    expect(r.tolist()).toEqual(x.map((p, i) => ref(p, y[i]!)));
  });
  it.each(cmp)("%s broadcasts and accepts ints and scalars", (_n, f, ref) => {
    const r = f(np.array([[1], [2], [3]], { dtype: "int32" }), np.array([1, 2, 3], { dtype: "int32" }));
    expect(r.shape).toEqual([3, 3]);
    expect(r.tolist()).toEqual([1, 2, 3].map((p) => [1, 2, 3].map((q) => ref(p, q))));
    expect(f(np.array([1, 2, 3]), 2).tolist()).toEqual([1, 2, 3].map((p) => ref(p, 2)));
  });

  it("logicalAnd/Or/Not use truthiness of any dtype", () => {
    const a = np.array([0, 1, 2, 0]);
    const b = np.array([true, true, false, false]);
    expect(np.logicalAnd(a, b).tolist()).toEqual([false, true, false, false]);
    expect(np.logicalOr(a, b).tolist()).toEqual([true, true, true, false]);
    expect(np.logicalNot(a).tolist()).toEqual([true, false, false, true]);
    expect(np.logicalNot(np.array([0, 3], { dtype: "int32" })).tolist()).toEqual([true, false]);
    expect(np.logicalAnd(np.array([[1], [0]]), np.array([1, 1])).tolist()).toEqual([
      [true, true],
      [false, false],
    ]);
  });

  it("isnan and isfinite", () => {
    const v = np.array([1, NaN, Infinity, -Infinity, 0]);
    expect(np.isnan(v).tolist()).toEqual([false, true, false, false, false]);
    expect(np.isfinite(v).tolist()).toEqual([true, false, false, false, true]);
    expect(np.isfinite(np.array([1, 2], { dtype: "int32" })).tolist()).toEqual([true, true]);
    expect(np.isnan(np.array([1], { dtype: "int32" })).tolist()).toEqual([false]);
  });

  it("where broadcasts condition and branches", () => {
    const c = np.array([true, false, true]);
    expect(np.where(c, np.array([1, 2, 3]), np.array([10, 20, 30])).tolist()).toEqual([1, 20, 3]);
    expect(np.where(c, 1, 0).tolist()).toEqual([1, 0, 1]);
    expect(np.where(np.array([[1], [0]]), np.array([1, 2]), -1).tolist()).toEqual([
      [1, 2],
      [-1, -1],
    ]);
    const x = np.array([-1, 2, -3]);
    expect(np.where(x.greater(0), x, x.neg()).tolist()).toEqual([1, 2, 3]);
  });

  it("clip with either bound null", () => {
    const x = np.array([-2, 0.5, 3]);
    expect(np.clip(x, -1, 1).tolist()).toEqual([-1, 0.5, 1]);
    expect(np.clip(x, null, 1).tolist()).toEqual([-2, 0.5, 1]);
    expect(np.clip(x, 0, null).tolist()).toEqual([0, 0.5, 3]);
    expect(x.clip(np.array([0, 0, 0]), 2).tolist()).toEqual([0, 0.5, 2]);
  });
});

describe("astype and stopGradient", () => {
  it("astype converts with truncation / truthiness", () => {
    const x = np.array([1.7, -1.7, 0, 2.5]);
    const i = x.astype("int32");
    expect(i.dtype).toBe("int32");
    expect(flat(i)).toEqual([1, -1, 0, 2]);
    expect(x.astype("bool").tolist()).toEqual([true, true, false, true]);
    expect(np.array([true, false]).astype("float32").tolist()).toEqual([1, 0]);
    expect(np.array([3], { dtype: "int32" }).astype("float64").dtype).toBe("float64");
    const targets: DType[] = ["float32", "float64", "int32", "uint32", "bool"];
    for (const t of targets) expect(np.array([1, 2]).astype(t).dtype).toBe(t);
    expect(() => np.astype(x, "int8" as never)).toThrow(/astype: unknown dtype "int8"; expected one of/);
  });

  it("stopGradient passes the value through", () => {
    const x = np.array([1, 2]);
    expect(np.stopGradient(x).tolist()).toEqual([1, 2]);
  });
});

describe("nn activations", () => {
  const xs = [-1e4, -50, -1, 0, 0.5, 30, 1e4];
  const sig = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
  const sp = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

  it("sigmoid is finite and correct at ±1e4", () => {
    expectClose(nn.sigmoid(np.array(xs)), xs.map(sig), 1e-6, 1e-30);
    expectClose(nn.sigmoid(np.array(xs, { dtype: "float64" })), xs.map(sig), 1e-13, 1e-300);
    expect(nn.sigmoid(np.array([1], { dtype: "int32" })).dtype).toBe("float32");
  });
  it("relu", () => {
    expect(nn.relu(np.array([-2, 0, 3])).tolist()).toEqual([0, 0, 3]);
    const r = nn.relu(np.array([-2, 5], { dtype: "int32" }));
    expect(r.dtype).toBe("int32");
    expect(flat(r)).toEqual([0, 5]);
  });
  it("softplus neither overflows nor underflows at ±1e4", () => {
    expectClose(nn.softplus(np.array(xs)), xs.map(sp), 1e-6, 1e-30);
    expectClose(nn.softplus(np.array(xs, { dtype: "float64" })), xs.map(sp), 1e-13, 1e-300);
  });
});
