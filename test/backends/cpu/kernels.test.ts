import { describe, it, expect } from "vitest";
import { cpuKernels } from "../../../backends/cpu/kernels/index.js";
import type { KernelTable } from "../../../backends/cpu/kernels/kernel.js";
import { erf } from "../../../backends/cpu/kernels/elementwise.js";
import { allocate, type DType, type TypedArray } from "../../../src/core/dtype.js";
import { sizeOf, stridesOf, type Shape } from "../../../src/core/shape.js";
import type { PrimParams } from "../../../src/core/primitives.js";

type Prim = keyof KernelTable;
interface Arr {
  data: TypedArray;
  shape: Shape;
  dtype: DType;
}

function arr(dtype: DType, shape: Shape, values: readonly number[]): Arr {
  const data = allocate(dtype, sizeOf(shape));
  if (values.length !== data.length) throw new Error("test helper: wrong value count");
  data.set(values);
  return { data, shape, dtype };
}
const f32 = (shape: Shape, v: readonly number[]): Arr => arr("float32", shape, v);
const f64 = (shape: Shape, v: readonly number[]): Arr => arr("float64", shape, v);
const i32 = (shape: Shape, v: readonly number[]): Arr => arr("int32", shape, v);
const u32 = (shape: Shape, v: readonly number[]): Arr => arr("uint32", shape, v);
const bool = (shape: Shape, v: readonly number[]): Arr => arr("bool", shape, v);

function call<P extends Prim>(
  prim: P,
  ins: readonly Arr[],
  params: PrimParams[P],
  shape: Shape,
  dtype: DType,
): TypedArray {
  const kernel: KernelTable[P] = cpuKernels[prim];
  const before = ins.map((a) => Array.from(a.data));
  // Kernels take one entry per operand (tuples for fixed-arity primitives); each case passes its primitive's count.
  type Args = Parameters<KernelTable[P]>;
  const out = kernel(
    ins.map((a) => a.data) as unknown as Args[0],
    ins.map((a) => a.shape) as unknown as Args[1],
    ins.map((a) => a.dtype) as unknown as Args[2],
    params,
    { shape, dtype },
  );
  ins.forEach((a, i) => expect(Array.from(a.data), `${prim} must not write its inputs`).toEqual(before[i]));
  expect(out.length).toBe(sizeOf(shape));
  return out;
}
const E = {} as Record<string, never>;
type UnaryName =
  | "neg"
  | "abs"
  | "sign"
  | "round"
  | "floor"
  | "ceil"
  | "logistic"
  | "erf"
  | "not"
  | "isfinite"
  | "rsqrt"
  | "exp";
const un = (p: UnaryName, x: Arr, dt: DType = x.dtype): number[] => Array.from(call(p, [x], E, x.shape, dt));
function bin(
  p: "add" | "sub" | "mul" | "div" | "rem" | "pow" | "max" | "min" | "and" | "or" | "atan2",
  a: Arr,
  b: Arr,
): number[] {
  return Array.from(call(p, [a, b], E, a.shape, a.dtype));
}
const cmp = (p: "eq" | "ne" | "lt" | "le" | "gt" | "ge", a: Arr, b: Arr): number[] =>
  Array.from(call(p, [a, b], E, a.shape, "bool"));

let seed = 12345;
const rand = (): number => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 4294967296;
};
const randArr = (dtype: DType, shape: Shape, scale = 10): Arr =>
  arr(
    dtype,
    shape,
    Array.from({ length: sizeOf(shape) }, () =>
      dtype === "int32" ? Math.floor((rand() - 0.5) * 2 * scale) : (rand() - 0.5) * scale,
    ),
  );
const unravel = (i: number, shape: Shape): number[] => stridesOf(shape).map((s, d) => Math.floor(i / s) % shape[d]!);
const ravel = (idx: readonly number[], shape: Shape): number =>
  idx.reduce((acc, v, d) => acc + v * stridesOf(shape)[d]!, 0);

describe("elementwise", () => {
  it("float32 arithmetic rounds to float32", () => {
    const a = f32([3], [0.1, -2.5, 1e30]);
    const b = f32([3], [0.2, 4, 1e30]);
    expect(bin("add", a, b)).toEqual([Math.fround(Math.fround(0.1) + Math.fround(0.2)), 1.5, Math.fround(2e30)]);
    expect(bin("mul", a, b)).toEqual([Math.fround(Math.fround(0.1) * Math.fround(0.2)), -10, Infinity]);
    expect(bin("div", a, f32([3], [0, -0, 3]))).toEqual([Infinity, Infinity, Math.fround(Math.fround(1e30) / 3)]);
    expect(bin("sub", a, b)).toEqual([Math.fround(Math.fround(0.1) - Math.fround(0.2)), -6.5, 0]);
  });

  it("int32 and uint32 arithmetic wraps", () => {
    expect(bin("add", i32([2], [2147483647, -2147483648]), i32([2], [1, -1]))).toEqual([-2147483648, 2147483647]);
    expect(bin("mul", i32([2], [65536, 123456789]), i32([2], [65536, 987654321]))).toEqual([
      0,
      Number(BigInt.asIntN(32, 123456789n * 987654321n)),
    ]);
    expect(bin("sub", u32([2], [0, 5]), u32([2], [1, 3]))).toEqual([4294967295, 2]);
    expect(bin("add", u32([1], [4294967295]), u32([1], [2]))).toEqual([1]);
    expect(bin("mul", u32([1], [4000000000]), u32([1], [3]))).toEqual([Number(BigInt.asUintN(32, 12000000000n))]);
    expect(un("neg", i32([2], [-2147483648, 5]))).toEqual([-2147483648, -5]);
    expect(un("neg", u32([2], [1, 0]))).toEqual([4294967295, 0]);
    expect(un("abs", i32([3], [-2147483648, -7, 7]))).toEqual([-2147483648, 7, 7]);
  });

  it("integer div truncates, rem takes the dividend's sign, and x/0 = x%0 = 0", () => {
    const a = i32([6], [-7, 7, 7, -7, 5, -2147483648]);
    const b = i32([6], [2, -2, 2, -2, 0, -1]);
    expect(bin("div", a, b)).toEqual([-3, -3, 3, 3, 0, -2147483648]);
    expect(bin("rem", a, b)).toEqual([-1, 1, 1, -1, 0, 0]);
    expect(bin("div", u32([2], [4294967295, 9]), u32([2], [2, 0]))).toEqual([2147483647, 0]);
  });

  it("float rem is fmod; pow, atan2, max/min propagate NaN", () => {
    expect(bin("rem", f64([3], [-7.5, 7.5, 1]), f64([3], [2, -2, 0]))).toEqual([-1.5, 1.5, NaN]);
    expect(bin("pow", f64([3], [2, -2, 4]), f64([3], [10, 3, 0.5]))).toEqual([1024, -8, 2]);
    expect(bin("max", f64([3], [NaN, 1, -0]), f64([3], [1, NaN, -3]))).toEqual([NaN, NaN, -0]);
    expect(bin("min", f32([2], [NaN, 1]), f32([2], [1, -2]))).toEqual([NaN, -2]);
    expect(bin("atan2", f64([2], [1, -1]), f64([2], [-1, -1]))).toEqual([(3 * Math.PI) / 4, (-3 * Math.PI) / 4]);
  });

  it("integer pow uses wrapping repeated squaring; negative exponents give 0 except for ±1", () => {
    const a = i32([7], [3, 2, 2, -1, 1, 5, -3]);
    const b = i32([7], [4, 31, -1, -3, -5, 0, 3]);
    expect(bin("pow", a, b)).toEqual([81, -2147483648, 0, -1, 1, 1, -27]);
    expect(bin("pow", i32([1], [7]), i32([1], [20]))).toEqual([Number(BigInt.asIntN(32, 7n ** 20n))]);
    expect(Array.from(call("integer_pow", [i32([3], [-3, 7, 65536])], { y: 2 }, [3], "int32"))).toEqual([9, 49, 0]);
    expect(Array.from(call("integer_pow", [f32([3], [1.5, -2, 0])], { y: 3 }, [3], "float32"))).toEqual([3.375, -8, 0]);
    expect(Array.from(call("integer_pow", [f64([2], [2, -4])], { y: -2 }, [2], "float64"))).toEqual([0.25, 0.0625]);
    expect(Array.from(call("integer_pow", [f64([1], [0])], { y: 0 }, [1], "float64"))).toEqual([1]);
  });

  it("and/or/not are logical on bool and bitwise on ints; float and is rejected", () => {
    expect(bin("and", bool([4], [0, 1, 0, 1]), bool([4], [0, 0, 1, 1]))).toEqual([0, 0, 0, 1]);
    expect(bin("or", bool([4], [0, 1, 0, 1]), bool([4], [0, 0, 1, 1]))).toEqual([0, 1, 1, 1]);
    expect(bin("and", i32([2], [12, -1]), i32([2], [10, 5]))).toEqual([8, 5]);
    expect(bin("or", u32([1], [0x80000000]), u32([1], [1]))).toEqual([0x80000001]);
    expect(un("not", bool([2], [0, 1]))).toEqual([1, 0]);
    expect(un("not", i32([2], [0, 5]))).toEqual([-1, -6]);
    expect(un("not", u32([1], [0]))).toEqual([4294967295]);
    expect(() => bin("and", f32([1], [1]), f32([1], [1]))).toThrow(/and/);
    expect(bin("add", bool([3], [1, 1, 0]), bool([3], [1, 0, 0]))).toEqual([1, 1, 0]);
  });

  it("comparisons return bool with IEEE NaN semantics and unsigned order for uint32", () => {
    const a = f32([3], [1, NaN, 2]);
    const b = f32([3], [1, NaN, 3]);
    expect(cmp("eq", a, b)).toEqual([1, 0, 0]);
    expect(cmp("ne", a, b)).toEqual([0, 1, 1]);
    expect(cmp("lt", a, b)).toEqual([0, 0, 1]);
    expect(cmp("le", a, b)).toEqual([1, 0, 1]);
    expect(cmp("gt", a, b)).toEqual([0, 0, 0]);
    expect(cmp("ge", a, b)).toEqual([1, 0, 0]);
    expect(cmp("gt", u32([1], [4294967295]), u32([1], [1]))).toEqual([1]);
  });

  it("unary float ops: round half to even, sign, logistic tails, rsqrt, isfinite", () => {
    expect(un("round", f64([8], [0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4, -2.6]))).toEqual([0, 2, 2, -0, -2, -2, 2, -3]);
    expect(un("sign", f32([5], [NaN, 0, -0, -3, 5]))).toEqual([NaN, 0, -0, -1, 1]);
    expect(un("floor", f32([2], [-1.5, 1.5]))).toEqual([-2, 1]);
    expect(un("ceil", f32([2], [-1.5, 1.5]))).toEqual([-1, 2]);
    const lg = un("logistic", f64([4], [1000, -1000, 0, -30]));
    expect(lg.slice(0, 3)).toEqual([1, 0, 0.5]);
    expect(lg[3]).toBeCloseTo(Math.exp(-30) / (1 + Math.exp(-30)), 25);
    expect(un("rsqrt", f64([2], [4, 0]))).toEqual([0.5, Infinity]);
    expect(un("isfinite", f32([4], [1, NaN, Infinity, -Infinity]), "bool")).toEqual([1, 0, 0, 0]);
    expect(un("exp", f32([1], [1]))).toEqual([Math.fround(Math.E)]);
    expect(un("round", i32([1], [7]))).toEqual([7]);
  });

  it("erf matches reference values to 1e-12 and is odd", () => {
    const ref: Array<[number, number]> = [
      [1e-10, 1.1283791670955126e-10],
      [0.01, 0.011283415555849616],
      [0.1, 0.1124629160182849],
      [0.5, 0.5204998778130465],
      [1, 0.8427007929497149],
      [1.5, 0.9661051464753108],
      [2, 0.9953222650189527],
      [2.4999, 0.9995928300996666],
      [2.5, 0.999593047982555],
      [3, 0.9999779095030014],
      [3.5, 0.9999992569016276],
      [4, 0.9999999845827421],
      [5, 0.9999999999984626],
    ];
    for (const [x, v] of ref) {
      expect(Math.abs(erf(x) - v)).toBeLessThan(1e-12 * Math.max(1, Math.abs(v)) + 1e-25);
      expect(erf(-x)).toBe(-erf(x));
    }
    expect([erf(0), erf(10), erf(-Infinity)]).toEqual([0, 1, -1]);
    expect(un("erf", f32([2], [0.5, NaN]))).toEqual([Math.fround(0.5204998778130465), NaN]);
  });

  it("select, stop_gradient and zero-size operands", () => {
    expect(
      Array.from(call("select", [bool([3], [1, 0, 1]), i32([3], [1, 2, 3]), i32([3], [-1, -2, -3])], E, [3], "int32")),
    ).toEqual([1, -2, 3]);
    const x = f32([2], [1, 2]);
    const y = call("stop_gradient", [x], E, [2], "float32");
    expect(Array.from(y)).toEqual([1, 2]);
    expect(y).not.toBe(x.data);
    expect(bin("add", f32([0, 3], []), f32([0, 3], []))).toEqual([]);
  });

  it("convert: truncation, NaN → 0, saturation, modular int reinterpretation, nonzero → bool", () => {
    const x = f64([7], [1.9, -1.9, NaN, 1e10, -1e10, Infinity, -0.5]);
    expect(Array.from(call("convert", [x], { dtype: "int32" }, [7], "int32"))).toEqual([
      1, -1, 0, 2147483647, -2147483648, 2147483647, 0,
    ]);
    expect(Array.from(call("convert", [x], { dtype: "uint32" }, [7], "uint32"))).toEqual([
      1, 0, 0, 4294967295, 0, 4294967295, 0,
    ]);
    expect(Array.from(call("convert", [i32([2], [-1, 5])], { dtype: "uint32" }, [2], "uint32"))).toEqual([
      4294967295, 5,
    ]);
    expect(Array.from(call("convert", [u32([1], [4294967295])], { dtype: "int32" }, [1], "int32"))).toEqual([-1]);
    expect(Array.from(call("convert", [f32([4], [NaN, 0, -0, 0.1])], { dtype: "bool" }, [4], "bool"))).toEqual([
      1, 0, 0, 1,
    ]);
    expect(Array.from(call("convert", [f64([1], [0.1])], { dtype: "float32" }, [1], "float32"))).toEqual([
      Math.fround(0.1),
    ]);
    expect(Array.from(call("convert", [bool([2], [1, 0])], { dtype: "float32" }, [2], "float32"))).toEqual([1, 0]);
    expect(Array.from(call("convert", [i32([1], [16777217])], { dtype: "float32" }, [1], "float32"))).toEqual([
      16777216,
    ]);
  });
});

/** Reference reduction by full index enumeration. */
function naiveReduce(x: Arr, axes: number[], init: number, f: (a: number, b: number) => number): number[] {
  const outShape = x.shape.filter((_, d) => !axes.includes(d));
  const out = new Array<number>(sizeOf(outShape)).fill(init);
  for (let i = 0; i < x.data.length; i++) {
    const j = ravel(
      unravel(i, x.shape).filter((_, d) => !axes.includes(d)),
      outShape,
    );
    out[j] = f(out[j]!, x.data[i]!);
  }
  return out;
}

describe("reductions", () => {
  it("reduce_sum/max/min/prod over every subset of axes match a naive reference", () => {
    const x = randArr("float64", [3, 4, 5]);
    const subsets = [[], [0], [1], [2], [0, 1], [0, 2], [1, 2], [0, 1, 2]];
    for (const axes of subsets) {
      const outShape = x.shape.filter((_, d) => !axes.includes(d));
      const got = (p: "reduce_sum" | "reduce_max" | "reduce_min" | "reduce_prod") =>
        Array.from(call(p, [x], { axes }, outShape, "float64"));
      const sum = naiveReduce(x, axes, 0, (a, b) => a + b);
      got("reduce_sum").forEach((v, i) => expect(v).toBeCloseTo(sum[i]!, 10));
      expect(got("reduce_max")).toEqual(naiveReduce(x, axes, -Infinity, Math.max));
      expect(got("reduce_min")).toEqual(naiveReduce(x, axes, Infinity, Math.min));
      const prod = naiveReduce(x, axes, 1, (a, b) => a * b);
      got("reduce_prod").forEach((v, i) => expect(v / prod[i]!).toBeCloseTo(1, 10));
    }
  });

  it("float32 sums accumulate in double; int sums and products wrap", () => {
    expect(Array.from(call("reduce_sum", [f32([3], [16777216, 1, 1])], { axes: [0] }, [], "float32"))).toEqual([
      16777218,
    ]);
    expect(Array.from(call("reduce_sum", [i32([2], [2147483647, 1])], { axes: [0] }, [], "int32"))).toEqual([
      -2147483648,
    ]);
    expect(Array.from(call("reduce_sum", [u32([2, 2], [4294967295, 3, 1, 3])], { axes: [0] }, [2], "uint32"))).toEqual([
      0, 6,
    ]);
    expect(Array.from(call("reduce_prod", [i32([3], [65536, 65536, 3])], { axes: [0] }, [], "int32"))).toEqual([0]);
    expect(Array.from(call("reduce_prod", [i32([2, 2], [-3, 4, 5, 6])], { axes: [1] }, [2], "int32"))).toEqual([
      -12, 30,
    ]);
  });

  it("max/min propagate NaN, empty axes give the identity, bool max/min are any/all", () => {
    expect(Array.from(call("reduce_max", [f32([2, 3], [1, NaN, 3, 4, 5, 6])], { axes: [1] }, [2], "float32"))).toEqual([
      NaN,
      6,
    ]);
    expect(Array.from(call("reduce_min", [f64([2, 2], [NaN, 0, 1, 2])], { axes: [0] }, [2], "float64"))).toEqual([
      NaN,
      0,
    ]);
    expect(Array.from(call("reduce_max", [f32([2, 0], [])], { axes: [1] }, [2], "float32"))).toEqual([
      -Infinity,
      -Infinity,
    ]);
    expect(Array.from(call("reduce_max", [i32([0], [])], { axes: [0] }, [], "int32"))).toEqual([-2147483648]);
    expect(Array.from(call("reduce_min", [u32([0], [])], { axes: [0] }, [], "uint32"))).toEqual([4294967295]);
    expect(Array.from(call("reduce_sum", [f32([0, 2], [])], { axes: [0] }, [2], "float32"))).toEqual([0, 0]);
    const b = bool([2, 3], [0, 1, 0, 1, 1, 1]);
    expect(Array.from(call("reduce_max", [b], { axes: [1] }, [2], "bool"))).toEqual([1, 1]);
    expect(Array.from(call("reduce_min", [b], { axes: [1] }, [2], "bool"))).toEqual([0, 1]);
    expect(Array.from(call("reduce_min", [bool([0], [])], { axes: [0] }, [], "bool"))).toEqual([1]);
    expect(Array.from(call("reduce_sum", [f64([], [7])], { axes: [] }, [], "float64"))).toEqual([7]);
  });

  it("argmax/argmin return the first extreme, or the first NaN", () => {
    const x = f32([2, 4], [1, 3, 3, -1, 2, NaN, 5, NaN]);
    expect(Array.from(call("argmax", [x], { axis: 1 }, [2], "int32"))).toEqual([1, 1]);
    expect(Array.from(call("argmin", [x], { axis: 1 }, [2], "int32"))).toEqual([3, 1]);
    expect(Array.from(call("argmax", [x], { axis: 0 }, [4], "int32"))).toEqual([1, 1, 1, 1]);
    expect(Array.from(call("argmin", [i32([3, 2], [5, -1, 2, -1, 2, -4])], { axis: 0 }, [2], "int32"))).toEqual([1, 2]);
    expect(Array.from(call("argmax", [f64([2], [NaN, 1])], { axis: 0 }, [], "int32"))).toEqual([0]);
  });

  it("cumsum forwards and in reverse, along inner and outer axes", () => {
    const x = i32([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(Array.from(call("cumsum", [x], { axis: 1, reverse: false }, [2, 3], "int32"))).toEqual([1, 3, 6, 4, 9, 15]);
    expect(Array.from(call("cumsum", [x], { axis: 1, reverse: true }, [2, 3], "int32"))).toEqual([6, 5, 3, 15, 11, 6]);
    expect(Array.from(call("cumsum", [x], { axis: 0, reverse: false }, [2, 3], "int32"))).toEqual([1, 2, 3, 5, 7, 9]);
    expect(Array.from(call("cumsum", [x], { axis: 0, reverse: true }, [2, 3], "int32"))).toEqual([5, 7, 9, 4, 5, 6]);
    expect(Array.from(call("cumsum", [i32([2], [2147483647, 1])], { axis: 0, reverse: false }, [2], "int32"))).toEqual([
      2147483647, -2147483648,
    ]);
    expect(
      Array.from(call("cumsum", [f32([3], [16777216, 1, 1])], { axis: 0, reverse: false }, [3], "float32")),
    ).toEqual([16777216, 16777216, 16777218]);
  });
});

describe("dot_general", () => {
  it("handles batch and contracting dims in any order (vs a naive loop)", () => {
    // lhs [c1=2, b=3, m=4, c0=5]; rhs [c0=5, n=6, b=3, c1=2] → out [b, m, n].
    const lhs = randArr("float64", [2, 3, 4, 5]);
    const rhs = randArr("float64", [5, 6, 3, 2]);
    const out = call(
      "dot_general",
      [lhs, rhs],
      {
        contracting: [
          [3, 0],
          [0, 3],
        ],
        batch: [[1], [2]],
      },
      [3, 4, 6],
      "float64",
    );
    for (let b = 0; b < 3; b++)
      for (let m = 0; m < 4; m++)
        for (let n = 0; n < 6; n++) {
          let s = 0;
          for (let c0 = 0; c0 < 5; c0++)
            for (let c1 = 0; c1 < 2; c1++)
              s += lhs.data[ravel([c1, b, m, c0], lhs.shape)]! * rhs.data[ravel([c0, n, b, c1], rhs.shape)]!;
          expect(out[ravel([b, m, n], [3, 4, 6])]).toBeCloseTo(s, 10);
        }
  });

  it("float32 results are the double-accumulated sum rounded once; transposed lhs works", () => {
    const a = randArr("float32", [7, 3]); // contracting dim 0: a^T b
    const b = randArr("float32", [7, 4]);
    const out = call("dot_general", [a, b], { contracting: [[0], [0]], batch: [[], []] }, [3, 4], "float32");
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 4; j++) {
        let s = 0;
        for (let k = 0; k < 7; k++) s += a.data[k * 3 + i]! * b.data[k * 4 + j]!;
        expect(Math.abs(out[i * 4 + j]! - s)).toBeLessThanOrEqual(Math.abs(s) * 2 ** -24 + 1e-12);
      }
    // Accumulating in float32 would lose both 1s.
    const one = { contracting: [[0], [0]] as [number[], number[]], batch: [[], []] as [number[], number[]] };
    expect(
      Array.from(call("dot_general", [f32([3], [16777216, 1, 1]), f32([3], [1, 1, 1])], one, [], "float32")),
    ).toEqual([16777218]);
  });

  it("int32 dot wraps like 32-bit arithmetic; bool dot is any(and)", () => {
    const a = i32([2, 2], [65536, 3, -7, 2147483647]);
    const b = i32([2, 2], [65536, 1, 5, 2]);
    const got = Array.from(call("dot_general", [a, b], { contracting: [[1], [0]], batch: [[], []] }, [2, 2], "int32"));
    const want: number[] = [];
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 2; j++) {
        let s = 0n;
        for (let k = 0; k < 2; k++) s += BigInt(a.data[i * 2 + k]!) * BigInt(b.data[k * 2 + j]!);
        want.push(Number(BigInt.asIntN(32, s)));
      }
    expect(got).toEqual(want);
    const p = bool([2, 2], [1, 0, 0, 0]);
    const q = bool([2, 2], [0, 1, 1, 0]);
    expect(
      Array.from(call("dot_general", [p, q], { contracting: [[1], [0]], batch: [[], []] }, [2, 2], "bool")),
    ).toEqual([0, 1, 0, 0]);
  });

  it("zero-size dims: K = 0 gives zeros, M = 0 gives an empty result", () => {
    const none = { contracting: [[1], [0]] as [number[], number[]], batch: [[], []] as [number[], number[]] };
    expect(Array.from(call("dot_general", [f32([2, 0], []), f32([0, 3], [])], none, [2, 3], "float32"))).toEqual([
      0, 0, 0, 0, 0, 0,
    ]);
    expect(
      Array.from(call("dot_general", [f32([0, 2], []), f32([2, 3], [0, 0, 0, 0, 0, 0])], none, [0, 3], "float32")),
    ).toEqual([]);
  });

  it("multiplies 256x256 float32 matrices (speed is measured by bench/, not here)", () => {
    const a = randArr("float32", [256, 256]);
    const b = randArr("float32", [256, 256]);
    const params = { contracting: [[1], [0]] as [number[], number[]], batch: [[], []] as [number[], number[]] };
    const run = (): TypedArray =>
      cpuKernels.dot_general([a.data, b.data], [a.shape, b.shape], ["float32", "float32"], params, {
        shape: [256, 256],
        dtype: "float32",
      });
    const out = run();
    let s = 0;
    for (let k = 0; k < 256; k++) s += a.data[17 * 256 + k]! * b.data[k * 256 + 200]!;
    expect(Math.abs(out[17 * 256 + 200]! - s)).toBeLessThanOrEqual(Math.abs(s) * 2 ** -24 + 1e-9);
  });
});

describe("shape ops", () => {
  it("broadcast_in_dim maps operand dims and stretches size-1 dims", () => {
    expect(
      Array.from(
        call("broadcast_in_dim", [f32([3], [1, 2, 3])], { shape: [2, 3], broadcastDimensions: [1] }, [2, 3], "float32"),
      ),
    ).toEqual([1, 2, 3, 1, 2, 3]);
    expect(
      Array.from(
        call(
          "broadcast_in_dim",
          [i32([2, 1], [7, 8])],
          { shape: [2, 3], broadcastDimensions: [0, 1] },
          [2, 3],
          "int32",
        ),
      ),
    ).toEqual([7, 7, 7, 8, 8, 8]);
    expect(
      Array.from(
        call("broadcast_in_dim", [f64([], [5])], { shape: [2, 2], broadcastDimensions: [] }, [2, 2], "float64"),
      ),
    ).toEqual([5, 5, 5, 5]);
    expect(
      Array.from(
        call("broadcast_in_dim", [f64([2], [1, 2])], { shape: [2, 0], broadcastDimensions: [0] }, [2, 0], "float64"),
      ),
    ).toEqual([]);
  });

  it("reshape copies; transpose matches a naive permutation", () => {
    const x = f32([2, 3], [1, 2, 3, 4, 5, 6]);
    const r = call("reshape", [x], { shape: [3, 2] }, [3, 2], "float32");
    expect(Array.from(r)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r).not.toBe(x.data);
    const y = randArr("int32", [2, 3, 4]);
    const perm = [2, 0, 1];
    const outShape = perm.map((p) => y.shape[p]!);
    const t = call("transpose", [y], { permutation: perm }, outShape, "int32");
    for (let i = 0; i < t.length; i++) {
      const o = unravel(i, outShape);
      const src = [0, 0, 0];
      perm.forEach((p, d) => (src[p] = o[d]!));
      expect(t[i]).toBe(y.data[ravel(src, y.shape)]);
    }
  });

  it("slice with strides, rev, concatenate, iota", () => {
    const x = i32(
      [4, 5],
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect(Array.from(call("slice", [x], { start: [1, 0], limit: [4, 5], strides: [2, 3] }, [2, 2], "int32"))).toEqual([
      5, 8, 15, 18,
    ]);
    expect(Array.from(call("slice", [x], { start: [2, 2], limit: [2, 4], strides: [1, 1] }, [0, 2], "int32"))).toEqual(
      [],
    );
    const y = i32([2, 3], [1, 2, 3, 4, 5, 6]);
    expect(Array.from(call("rev", [y], { axes: [1] }, [2, 3], "int32"))).toEqual([3, 2, 1, 6, 5, 4]);
    expect(Array.from(call("rev", [y], { axes: [0, 1] }, [2, 3], "int32"))).toEqual([6, 5, 4, 3, 2, 1]);
    const z = i32([2, 1], [-1, -2]);
    expect(Array.from(call("concatenate", [y, z, i32([2, 0], [])], { axis: 1 }, [2, 4], "int32"))).toEqual([
      1, 2, 3, -1, 4, 5, 6, -2,
    ]);
    expect(Array.from(call("concatenate", [y, y], { axis: 0 }, [4, 3], "int32"))).toEqual([
      1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6,
    ]);
    expect(Array.from(call("iota", [], { shape: [2, 3], dimension: 1, dtype: "int32" }, [2, 3], "int32"))).toEqual([
      0, 1, 2, 0, 1, 2,
    ]);
    expect(Array.from(call("iota", [], { shape: [2, 3], dimension: 0, dtype: "float32" }, [2, 3], "float32"))).toEqual([
      0, 0, 0, 1, 1, 1,
    ]);
  });

  it("pad with lo/hi/interior, a fill value, and negative (cropping) edges", () => {
    const x = i32([2, 2], [1, 2, 3, 4]);
    // dim 0: lo 1, hi 0, interior 1 → 1 + 2 + 1 = 4; dim 1: lo 0, hi 2, interior 2 → 2 + 2 + 2 = 6.
    expect(
      Array.from(call("pad", [x], { lo: [1, 0], hi: [0, 2], interior: [1, 2], value: 9 }, [4, 6], "int32")),
    ).toEqual([9, 9, 9, 9, 9, 9, 1, 9, 9, 2, 9, 9, 9, 9, 9, 9, 9, 9, 3, 9, 9, 4, 9, 9]);
    expect(
      Array.from(
        call("pad", [f32([4], [1, 2, 3, 4])], { lo: [-1], hi: [-2], interior: [0], value: 0 }, [1], "float32"),
      ),
    ).toEqual([2]);
    expect(
      Array.from(call("pad", [f32([3], [1, 2, 3])], { lo: [-1], hi: [1], interior: [1], value: 0 }, [5], "float32")),
    ).toEqual([0, 2, 0, 3, 0]);
  });
});

describe("indexing", () => {
  it("gather clamps indices and splices the index shape in at axis", () => {
    const x = i32([2, 3], [1, 2, 3, 4, 5, 6]);
    const idx = i32([2, 2], [-1, 5, 1, 0]);
    expect(Array.from(call("gather", [x, idx], { axis: 1 }, [2, 2, 2], "int32"))).toEqual([1, 3, 2, 1, 4, 6, 5, 4]);
    expect(Array.from(call("gather", [x, i32([1], [1])], { axis: 0 }, [1, 3], "int32"))).toEqual([4, 5, 6]);
  });

  it("scatter_add accumulates repeated (clamped) indices into a copy of the operand", () => {
    const x = f32([3, 2], [1, 1, 1, 1, 1, 1]);
    const idx = i32([3], [0, 0, 9]);
    const upd = f32([3, 2], [1, 2, 3, 4, 5, 6]);
    expect(Array.from(call("scatter_add", [x, idx, upd], { axis: 0 }, [3, 2], "float32"))).toEqual([5, 7, 1, 1, 6, 7]);
    expect(
      Array.from(
        call(
          "scatter_add",
          [i32([1, 3], [0, 0, 0]), i32([2], [2, -4]), i32([1, 2], [5, 6])],
          { axis: 1 },
          [1, 3],
          "int32",
        ),
      ),
    ).toEqual([6, 0, 5]);
  });

  it("dynamic_slice and dynamic_update_slice clamp starts so the window fits", () => {
    const x = i32(
      [3, 4],
      Array.from({ length: 12 }, (_, i) => i),
    );
    const s = (v: number): Arr => i32([], [v]);
    expect(Array.from(call("dynamic_slice", [x, s(1), s(1)], { sizes: [2, 2] }, [2, 2], "int32"))).toEqual([
      5, 6, 9, 10,
    ]);
    expect(Array.from(call("dynamic_slice", [x, s(5), s(-3)], { sizes: [2, 3] }, [2, 3], "int32"))).toEqual([
      4, 5, 6, 8, 9, 10,
    ]);
    const u = i32([2, 2], [-1, -2, -3, -4]);
    expect(Array.from(call("dynamic_update_slice", [x, u, s(7), s(1)], E, [3, 4], "int32"))).toEqual([
      0, 1, 2, 3, 4, -1, -2, 7, 8, -3, -4, 11,
    ]);
    expect(Array.from(call("dynamic_update_slice", [x, u, s(0), s(-9)], E, [3, 4], "int32"))).toEqual([
      -1, -2, 2, 3, -3, -4, 6, 7, 8, 9, 10, 11,
    ]);
  });
});

describe("argsort kernel and primitive", () => {
  it("is stable, puts NaN last, works along any axis, under vmap and jit", async () => {
    const { np, vmap, jit } = await import("../../../src/index.js");
    const { bind1 } = await import("../../../src/core/trace.js");
    const argsort = (x: InstanceType<typeof np.Array>, axis: number) => bind1("argsort", [x], { axis });
    expect(argsort(np.array([3, 1, NaN, 1, 2]), 0).tolist()).toEqual([1, 3, 4, 0, 2]);
    const m = np.array([
      [3, 1, 2],
      [0, 5, 4],
    ]);
    expect(argsort(m, 1).tolist()).toEqual([
      [1, 2, 0],
      [0, 2, 1],
    ]);
    expect(argsort(m, 0).tolist()).toEqual([
      [1, 0, 0],
      [0, 1, 1],
    ]);
    expect(vmap((r: InstanceType<typeof np.Array>) => argsort(r, 0))(m).tolist()).toEqual([
      [1, 2, 0],
      [0, 2, 1],
    ]);
    expect(jit((r: InstanceType<typeof np.Array>) => argsort(r, 1))(m).tolist()).toEqual([
      [1, 2, 0],
      [0, 2, 1],
    ]);
  });
});
