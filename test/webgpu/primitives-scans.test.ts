/**
 * The scan primitives' WGSL (backends/webgpu/codegen/primitives/scans.ts) in real plans: cumsum
 * (np.cumsum, forward and reverse, every axis), argmax/argmin (np.argmax/np.argmin: first index,
 * NaN wins, ±0 tie) and the integer and bool reductions the planner keeps as primitives (np.sum,
 * np.prod, np.max, np.min, np.any, np.all), over size-1 axes and empty arrays.
 *
 * Bit for bit the CPU backend's results: argmax/argmin, every integer and bool result, and float32
 * cumsums whose partial sums are exact in float32 (special values included). Other float32
 * cumsums add in float32 where the reference adds in float64: they must equal the kernel's order
 * emulated here with Math.fround bit for bit, and stay within the documented bound of the
 * reference, (γ(k−1, 2^-24) + γ(k−1, 2^-53))·Σ|x_i| + 2^-24·|S_k| at the k-th term of a line.
 */
import { describe, expect, it } from "vitest";
import { allocate, type DType, type TypedArray } from "../../src/core/dtype.js";
import { bind1 } from "../../src/core/trace.js";
import { type Array as GArray, np, withBackend } from "../../src/index.js";
import type { PrimitiveKernel } from "../../backends/plan/types.js";
import { reduceKernelOf, SHADERS } from "../../backends/webgpu/codegen/primitives/scans.js";
import { useWorkgroupReduce } from "../../backends/webgpu/codegen/reduce.js";
import { firstMismatch, random, sameValue } from "./expr-harness.js";
import { testGpu } from "./gpu.js";
import { bothWays as bothWaysOn, expectSame as expectSameOn, type Fn, planOf, type Run } from "./plan-harness.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

/**
 * f's plan run kernel by kernel on the device through exactly the primitive kernels `prims`
 * (reductions in the loop form unless `parallel`), and on the CPU backend.
 */
const bothWays = async (f: Fn, args: GArray[], prims: readonly string[], parallel = true): Promise<Run | undefined> =>
  "skip" in got ? undefined : bothWaysOn(got.device, f, args, { parallel }, prims);

/** Runs f both ways; every output must equal the reference's bit for bit. */
const expectSame = async (
  f: Fn,
  args: GArray[],
  prims: readonly string[],
  parallel = true,
): Promise<Run | undefined> => ("skip" in got ? undefined : expectSameOn(got.device, f, args, prims, { parallel }));

const cpu = <T>(f: () => T): T => withBackend("cpu", f);
const array = (data: ArrayLike<number>, shape: number[], dtype: DType = "float32"): GArray =>
  cpu(() => np.array(Array.from(data), { shape, dtype }));

/** Random values of `dtype`; float32 ones of many magnitudes and signs (their float32 sums round). */
function values(shape: number[], dtype: DType, seed: number): GArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const r = random(seed);
  const data = allocate(dtype, size);
  const ints: Record<string, number[]> = { int32: [2147483647, -2147483648, -1], uint32: [4294967295, 2147483648, 1] };
  for (let i = 0; i < size; i++) {
    if (dtype === "float32") data[i] = ((r() / 2 ** 32) * 2 - 1) * 2 ** ((r() % 24) - 12);
    else if (dtype === "bool") data[i] = r() % 3 === 0 ? 1 : 0;
    else if (i % 4 === 0) data[i] = ints[dtype]![(i / 4) % 3]!;
    else data[i] = dtype === "int32" ? r() | 0 : r();
  }
  return cpu(() => np.array(data, { shape, dtype }));
}

/** The kernel's float32 cumsum: per line, a float32 running sum from 0 in the reference's order. */
function emulateCumsum(x: TypedArray, shape: readonly number[], axis: number, reverse: boolean): Float32Array {
  const pre = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const n = shape[axis]!;
  const post = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(x.length);
  for (let p = 0; p < pre; p++)
    for (let q = 0; q < post; q++) {
      let acc = 0;
      for (let t = 0; t < n; t++) {
        const at = (p * n + (reverse ? n - 1 - t : t)) * post + q;
        acc = Math.fround(acc + x[at]!);
        out[at] = acc;
      }
    }
  return out;
}

/** γ(n, u) = n·u / (1 − n·u). */
const gamma = (n: number, u: number): number => (n * u) / (1 - n * u);

/**
 * Float32 cumsum of x along `axis`: bit for bit the emulated float32 order, and within
 * (γ(k−1, 2^-24) + γ(k−1, 2^-53))·Σ|x_i| + 2^-24·|S_k| (taken as 2^-23·|ref| + 2^-149) of the reference.
 */
async function checkFloatCumsum(x: GArray, axis: number, reverse: boolean): Promise<void> {
  const run = await bothWays((a) => np.cumsum(a, axis, { reverse }), [x], ["cumsum"]);
  if (!run) return;
  const v = x.dataSync();
  const shape = x.shape;
  const want = emulateCumsum(v, shape, axis, reverse);
  const label = `cumsum along ${axis} of [${shape}]${reverse ? " reversed" : ""}`;
  expect(firstMismatch(run.gpu[0]!, want, sameValue, (i) => `${label} [${i}]`)).toBeUndefined();
  // Σ|x_i| over each prefix (float64, exact enough), and the term count k.
  const abs = emulateCumsum(Float64Array.from(v, Math.abs), shape, axis, reverse);
  const post = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const n = shape[axis]!;
  const ref = run.ref[0]!;
  let worst = 0;
  run.gpu[0]!.forEach((g, i) => {
    const t = Math.floor(i / post) % n;
    const k = reverse ? n - t : t + 1;
    const bound = (gamma(k - 1, 2 ** -24) + gamma(k - 1, 2 ** -53)) * abs[i]! * 1.01 + 2 ** -23 * Math.abs(ref[i]!);
    const err = Math.abs(g - ref[i]!);
    expect(err, `${label} [${i}]: |${g} - ${ref[i]}| > ${bound}`).toBeLessThanOrEqual(bound + 2 ** -149);
    if (err > 0) worst++;
  });
  // Long lines of mixed magnitudes do round differently from float64: the test sees both sides.
  if (n > 100) expect(worst).toBeGreaterThan(0);
}

const DTYPES = ["float32", "int32", "uint32", "bool"] as const;

describe.skipIf(skip !== undefined)(`WGSL scans and arg-reductions${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("cumsum of int32 and uint32 wraps, and a bool running sum is `or`, as the reference; every axis, both directions", async () => {
    for (const dtype of ["int32", "uint32", "bool"] as const) {
      const x = values([4, 7, 5], dtype, dtype.length);
      for (const axis of [0, 1, 2])
        for (const reverse of [false, true]) {
          await expectSame((a) => np.cumsum(a, axis, { reverse }), [x], ["cumsum"]);
          // np.cumsum converts bool to int32 first: the raw primitive keeps bool.
          if (dtype === "bool") await expectSame((a) => bind1("cumsum", [a], { axis, reverse }), [x], ["cumsum"]);
        }
      await expectSame((a) => np.cumsum(a), [x], ["cumsum"]);
    }
  });

  it("cumsum of float32: the float32 running sum in the reference's order, within the bound of the float64 one", async () => {
    const x = values([6, 130, 5], "float32", 3);
    for (const axis of [0, 1, 2]) for (const reverse of [false, true]) await checkFloatCumsum(x, axis, reverse);
    await checkFloatCumsum(values([2, 3000], "float32", 4), 1, false);
    await checkFloatCumsum(values([700, 3], "float32", 5), 0, true);
  });

  it("cumsum of float32 with exact partial sums and special values equals the reference bit for bit", async () => {
    const nan = Number.NaN;
    // Lines along the last axis: signed zeros (0 + −0 = +0), ±∞ and NaN, exact integers.
    const lines = [
      [-0, -0, -0, 5, -5, -0],
      [Infinity, 1, -Infinity, 2, 3, 4],
      [1, nan, 2, 3, -Infinity, 0],
      [-Infinity, -1e30, -0, 1e30, 7, -7],
      [0.5, 0.25, -0.75, 8388608, 1, -8388608],
    ];
    const x = array(lines.flat(), [5, 6]);
    for (const reverse of [false, true]) {
      await expectSame((a) => np.cumsum(a, 1, { reverse }), [x], ["cumsum"]);
      await expectSame((a) => np.cumsum(a.T, 0, { reverse }), [x], ["cumsum"]);
    }
    // The documented difference: a float32 partial sum overflows where float64's would not.
    const run = await bothWays((a) => np.cumsum(a), [array([3e38, 3e38, -3e38], [3])], ["cumsum"]);
    if (run) {
      expect(Array.from(run.ref[0]!)).toEqual([Math.fround(3e38), Infinity, Math.fround(3e38)]);
      expect(Array.from(run.gpu[0]!)).toEqual([Math.fround(3e38), Infinity, Infinity]);
    }
  });

  it("cumsum over size-1 axes and empty arrays", async () => {
    const cases: [number[], number][] = [
      [[3, 1, 4], 1],
      [[1, 5], 0],
      [[1], 0],
      [[0, 4], 1],
      [[4, 0], 1],
      [[2, 0, 3], 0],
      [[3, 1], 0],
      [[2, 3, 0], 1],
    ];
    for (const [j, [shape, axis]] of cases.entries()) {
      const dtype = DTYPES[j % DTYPES.length]!;
      for (const reverse of [false, true])
        await expectSame((a) => bind1("cumsum", [a], { axis, reverse }), [values(shape, dtype, 9)], ["cumsum"]);
    }
  });

  it("argmax and argmin: the first extreme; NaN wins (the first NaN), ±0 tie, subnormals order; every dtype and axis", async () => {
    const nan = Number.NaN;
    const lines = [
      [1, 3, 3, -2, -2, 0],
      [-0, 0, -0, 0, -0, 0],
      [0, -0, 0, -0, 0, -0],
      [2, nan, 5, nan, -9, 1],
      [nan, 7, nan, 0, 0, 0],
      [-Infinity, -Infinity, Infinity, Infinity, 1, 1],
      [1, 2, 3, 4, 5, nan],
      [4, 4, 4, 4, 4, 4],
      // Subnormals order as values (no flushing to zero).
      [-1e-45, 0, 1e-45, -0, 1e-40, -1e-40],
    ];
    const x = array(lines.flat(), [9, 6]);
    for (const f of [np.argmax, np.argmin]) {
      await expectSame((a) => f(a, 1), [x], [f === np.argmax ? "argmax" : "argmin"]);
      await expectSame((a) => f(a.T, 0), [x], [f === np.argmax ? "argmax" : "argmin"]);
    }
    for (const dtype of DTYPES) {
      // Few distinct values, so ties are common.
      const r = random(dtype.length + 40);
      const edges: Record<string, number[]> = {
        float32: [nan, -0, 0, Infinity, -Infinity, 1.5, -1.5],
        int32: [2147483647, -2147483648, -1, 0, 5],
        uint32: [4294967295, 0, 2147483648, 7],
        bool: [0, 1],
      };
      const e = edges[dtype]!;
      const shape = [5, 9, 6];
      const size = 270;
      const data = Array.from({ length: size }, (_, i) =>
        dtype === "float32" && i % 7 !== 0 ? e[1 + (r() % (e.length - 1))]! : e[r() % e.length]!,
      );
      const y = array(data, shape, dtype);
      for (const f of [np.argmax, np.argmin]) {
        const prim = f === np.argmax ? "argmax" : "argmin";
        for (const axis of [0, 2]) await expectSame((a) => f(a, axis), [y], [prim]);
        await expectSame((a) => f(a), [y], [prim]);
        if (dtype === "uint32" || dtype === "bool") continue;
        // A size-1 axis; no lines at all.
        await expectSame((a) => f(a, 1, { keepdims: true }), [array(data.slice(0, 30), [5, 1, 6], dtype)], [prim]);
        await expectSame((a) => f(a, 1), [array([], [0, 4], dtype)], [prim]);
      }
    }
  });

  it("integer and bool reductions (planned as primitives) wrap and saturate as the reference, both reduce forms", async () => {
    const reducers: [string, (a: GArray, axes: number | number[] | null) => GArray][] = [
      ["reduce_sum", (a, ax) => np.sum(a, ax)],
      ["reduce_prod", (a, ax) => np.prod(a, ax)],
      ["reduce_max", (a, ax) => np.max(a, ax)],
      ["reduce_min", (a, ax) => np.min(a, ax)],
    ];
    for (const [dtype, axesList] of [
      ["int32", [1, [0, 2], null]],
      ["uint32", [0, 2]],
    ] as const) {
      const x = values([6, 5, 7], dtype, 20 + dtype.length);
      for (const [prim, f] of reducers)
        for (const axes of axesList) await expectSame((a) => f(a, axes as number | number[] | null), [x], [prim]);
      // Long rows: the workgroup form (when allowed) and the loop.
      const long = values([3, 5000], dtype, 30);
      for (const [prim, f] of dtype === "int32" ? reducers.slice(0, 2) : reducers.slice(2))
        for (const parallel of [true, false]) {
          const run = await expectSame((a) => f(a, 1), [long], [prim], parallel);
          if (run) expect(useWorkgroupReduce(reduceKernelOf(run.primitives[0]!), { parallel })).toBe(parallel);
        }
    }
    const b = values([6, 5, 7], "bool", 40);
    for (const axes of [1, null]) {
      await expectSame((a) => np.any(a, axes), [b], ["reduce_max"]);
      await expectSame((a) => np.all(a, axes), [b], ["reduce_min"]);
      // Bool sums and products (raw: np.sum converts bool to int32 first): or and and.
      const ax = axes === null ? [0, 1, 2] : typeof axes === "number" ? [axes] : axes;
      await expectSame((a) => bind1("reduce_sum", [a], { axes: ax }), [b], ["reduce_sum"]);
      await expectSame((a) => bind1("reduce_prod", [a], { axes: ax }), [b], ["reduce_prod"]);
    }
    await expectSame((a) => np.sum(a, 0), [b], ["reduce_sum"]);
    // Empty reductions give the identity; empty outputs; a size-1 axis; a scalar.
    for (const [prim, f] of reducers.slice(0, 2))
      await expectSame((a) => f(a, 1), [values([3, 0], "int32", 1)], [prim]);
    for (const [prim, f] of reducers) {
      await expectSame((a) => f(a, 1), [values([0, 4], "int32", 2)], [prim]);
      await expectSame((a) => f(a, 1), [values([4, 1, 2], "uint32", 3)], [prim]);
    }
    await expectSame((a) => bind1("reduce_max", [a], { axes: [] }), [array([-7], [], "int32")], ["reduce_max"]);
  });

  it("binds the input, then the output; refuses float64 and an empty arg-reduction axis", () => {
    const { plan } = planOf((a) => np.cumsum(a, 0), [values([4, 3], "int32", 50)]);
    const k = plan.kernels.find((kk): kk is PrimitiveKernel => kk.kind === "primitive")!;
    expect(SHADERS.cumsum!(k, plan).bindings).toEqual([
      { buffer: k.inputs[0], access: "read" },
      { buffer: k.outputs[0], access: "read_write" },
    ]);
    const x64 = cpu(() => np.array([1, 2, 3], { dtype: "float64" }));
    const p64 = planOf((a) => np.argmax(a), [x64]).plan;
    const k64 = p64.kernels.find((kk): kk is PrimitiveKernel => kk.kind === "primitive")!;
    expect(() => SHADERS.argmax!(k64, p64)).toThrow(/float64/);
    const empty = planOf((a) => bind1("argmin", [a], { axis: 1 }), [array([], [3, 0])]).plan;
    const ke = empty.kernels.find((kk): kk is PrimitiveKernel => kk.kind === "primitive")!;
    expect(() => SHADERS.argmin!(ke, empty)).toThrow(/empty/);
  });
});
