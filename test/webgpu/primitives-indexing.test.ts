/**
 * The indexing primitives' WGSL (backends/webgpu/codegen/primitives/indexing.ts) in real plans:
 * gather (np.take, np.takeAlongAxis, raw gathers with out-of-range and negative indices),
 * scatter_add (x.at[...].add, the gradient of take, raw scatters with clamped and repeated
 * indices, both kernel forms), dynamic_slice and dynamic_update_slice (clamped starts), over every
 * dtype WGSL holds, axes first, middle and last, size-1 axes and empty arrays. Every result must
 * equal the CPU backend's bit for bit — scatter_add of float32 too: it adds in the reference's
 * order, rounding to float32 at each step as the reference's Float32Array does.
 */
import { describe, expect, it } from "vitest";
import { allocate, type DType } from "../../src/core/dtype.js";
import { UnsupportedDTypeError } from "../../src/core/errors.js";
import { bind1 } from "../../src/core/trace.js";
import { type Array as GArray, grad, np, withBackend } from "../../src/index.js";
import type { PrimitiveKernel } from "../../backends/plan/types.js";
import { SCATTER_LANES, SHADERS } from "../../backends/webgpu/codegen/primitives/indexing.js";
import { random } from "./expr-harness.js";
import { testGpu } from "./gpu.js";
import { arr, expectSame as expectSameOn, type Fn, planOf, type Run } from "./plan-harness.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

/** f's plan run kernel by kernel on the device, through exactly the primitive kernels `prims`; its outputs equal the CPU backend's bit for bit. */
const expectSame = async (f: Fn, args: GArray[], prims: readonly string[]): Promise<Run | undefined> =>
  "skip" in got ? undefined : expectSameOn(got.device, f, args, prims);

const cpu = <T>(f: () => T): T => withBackend("cpu", f);
const ints = (data: number[], shape = [data.length]): GArray => cpu(() => np.array(data, { shape, dtype: "int32" }));
const scalar = (v: number): GArray => cpu(() => np.array(v, { dtype: "int32" }));

/** Values of `dtype` with its edge cases: NaN, ±0, ±∞, subnormals; int and uint extremes. */
function values(shape: number[], dtype: DType, seed: number): GArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const r = random(seed);
  const data = allocate(dtype, size);
  const edges: Record<string, number[]> = {
    float32: [Number.NaN, -0, 0, Infinity, -Infinity, 1e-45, -3e-39, 3.4028235e38],
    int32: [2147483647, -2147483648, -1, 0],
    uint32: [4294967295, 2147483648, 0, 1],
    bool: [0, 1],
  };
  for (let i = 0; i < size; i++) {
    const e = edges[dtype]!;
    if (i % 5 === 0) data[i] = e[(i / 5) % e.length]!;
    else if (dtype === "float32") data[i] = ((r() / 2 ** 32) * 2 - 1) * 2 ** ((r() % 20) - 10);
    else if (dtype === "bool") data[i] = r() & 1;
    else data[i] = dtype === "int32" ? r() | 0 : r();
  }
  return cpu(() => np.array(data, { shape, dtype }));
}

/** Float32 updates that round when added (so a wrong order shows), some huge, some tiny. */
function roundingUpdates(shape: number[], seed: number): GArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const r = random(seed);
  const data = Float32Array.from({ length: size }, (_, i) =>
    i % 7 === 3 ? (r() % 2 ? 1e8 : -1e8) : ((r() / 2 ** 32) * 2 - 1) * 2 ** ((r() % 16) - 8),
  );
  return cpu(() => np.array(data, { shape }));
}

const DTYPES = ["float32", "int32", "uint32", "bool"] as const;
/** Every case for float32 and int32; for uint32 and bool (the same address code), a few. */
const wide = (dtype: DType): boolean => dtype === "float32" || dtype === "int32";
/** Raw indices, clamped by the primitive: far out of range both ways, negative, in range. */
const WILD = [-2147483648, -7, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 100, 2147483647];
/** [starts, window sizes] of a [5, 6, 4] operand: in range, past the end, wrapped and clamped, empty. */
const WINDOWS: [number[], number[]][] = [
  [
    [1, 2, 0],
    [2, 3, 4],
  ],
  [
    [4, 5, 3],
    [3, 3, 2],
  ],
  [
    [-1, -100, 100],
    [1, 6, 1],
  ],
  [
    [2147483647, -2147483648, 2],
    [5, 0, 4],
  ],
];

describe.skipIf(skip !== undefined)(`WGSL indexing primitives${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("gather: np.take along every axis with traced indices (negatives wrap), scalar indices, takeAlongAxis", async () => {
    for (const dtype of DTYPES) {
      const x = values([5, 7, 3], dtype, dtype.length);
      const idx = ints([4, -1, 0, 0, -5, 2], [2, 3]);
      for (const axis of wide(dtype) ? [0, 1, 2] : [1])
        await expectSame((a, i) => np.take(a, i, axis), [x, idx], ["gather"]);
      await expectSame((a, i) => np.take(a, i), [x, ints([104, 0, -1, 7])], ["gather"]);
      await expectSame((a, i) => np.take(a, i, 1), [x, scalar(-2)], ["gather"]);
    }
    const x = arr([6, 9], 3);
    const along = ints([0, 8, -1, 3, 3, 2, 1, 0, 5, 4, 6, 7], [6, 2]);
    await expectSame((a, i) => np.takeAlongAxis(a, i, 1), [x, along], ["gather"]);
    await expectSame(
      (a, i) => np.takeAlongAxis(a, i, 0),
      [x, ints([...along.dataSync(), 0, 1, -6, 5, 4, 2], [2, 9])],
      ["gather"],
    );
  });

  it("gather clamps raw indices into [0, n-1]; size-1 axes; empty operands and empty index lists", async () => {
    const raw = (axis: number) => (a: GArray, i: GArray) => bind1("gather", [a, i], { axis });
    for (const dtype of DTYPES) {
      const x = values([4, 9, 5], dtype, 7 + dtype.length);
      for (const axis of dtype === "float32" ? [0, 1, 2] : [2])
        await expectSame(raw(axis), [x, ints(WILD)], ["gather"]);
    }
    await expectSame(raw(1), [arr([3, 1, 4], 1), ints(WILD, [2, 7])], ["gather"]);
    await expectSame(raw(0), [arr([1], 2), ints([-3, 0, 3])], ["gather"]);
    // Gathering from an empty axis gives zeros; no indices, no output.
    await expectSame(raw(1), [arr([2, 0, 3], 3), ints([0, 5, -1])], ["gather"]);
    await expectSame(raw(0), [arr([5, 2], 4), ints([])], ["gather"]);
    // Indices and operand in one buffer (bound once).
    await expectSame((a) => bind1("gather", [a, a], { axis: 0 }), [ints([3, -1, 0, 9, 2])], ["gather"]);
  });

  it("scatter_add: x.at[i].add with repeated, negative and dropped indices; the gradient of take", async () => {
    // (bool goes through int32; the raw scatters below cover uint32.)
    for (const dtype of ["float32", "int32", "bool"] as const) {
      const x = values([6, 4], dtype, 20 + dtype.length);
      const v = values([7, 4], dtype, 30 + dtype.length);
      // The positions are gathered, then the updates scattered.
      await expectSame((a, i, u) => a.at(i).add(u), [x, ints([2, -1, 2, 0, 9, -9, 2]), v], ["gather", "scatter_add"]);
    }
    const w = arr([5, 3, 4], 5);
    const take = (axis: number, i: GArray) => grad((a: GArray) => np.take(a, i, axis).mul(w).sum());
    await expectSame((a, i) => take(0, i)(a), [arr([3, 3, 4], 6), ints([2, 0, 2, 2, 1])], ["scatter_add"]);
    await expectSame((a, i) => take(1, i)(a), [arr([5, 4, 4], 7), ints([3, 3, -1])], ["scatter_add"]);
  });

  it("scatter_add of raw indices along every axis: clamped, repeated, in the reference's order bit for bit", async () => {
    const raw = (axis: number) => (a: GArray, i: GArray, u: GArray) => bind1("scatter_add", [a, i, u], { axis });
    for (const dtype of DTYPES) {
      const shape = [3, 9, 4];
      for (const axis of wide(dtype) ? [0, 1, 2] : [1]) {
        const x = values(shape, dtype, axis + 40);
        const ushape = shape.map((n, d) => (d === axis ? WILD.length : n));
        const u = dtype === "float32" ? roundingUpdates(ushape, axis + 50) : values(ushape, dtype, axis + 50);
        await expectSame(raw(axis), [x, ints(WILD), u], ["scatter_add"]);
      }
    }
    // Size-1 axis, no indices, empty operand.
    await expectSame(raw(1), [arr([2, 1, 3], 8), ints([0, 4, -2, 0]), roundingUpdates([2, 4, 3], 9)], ["scatter_add"]);
    await expectSame(raw(0), [arr([4, 2], 10), ints([]), arr([0, 2], 11)], ["scatter_add"]);
    await expectSame(raw(1), [arr([3, 0], 12), ints([1, 2]), arr([3, 2], 13)], ["scatter_add"]);
  });

  it("scatter_add in blocks of rows (outputs beyond SCATTER_LANES): the same results", async () => {
    if ("skip" in got) return;
    const raw = (axis: number) => (a: GArray, i: GArray, u: GArray) => bind1("scatter_add", [a, i, u], { axis });
    const r = random(77);
    // Repeated indices (a third clamp to 0, a third among 20 rows) and scattered ones.
    const idx = (m: number, n: number) =>
      ints(Array.from({ length: m }, (_, j) => (j % 3 === 0 ? -5 : j % 3 === 1 ? r() % 20 : r() % (n + 3))));
    // A flat array (one column: each invocation owns a block of 3 rows), a wide one (3 rows a block).
    const runs = [
      await expectSame(
        raw(0),
        [arr([SCATTER_LANES * 3 - 5], 14), idx(200, 3 * SCATTER_LANES), roundingUpdates([200], 15)],
        ["scatter_add"],
      ),
      await expectSame(raw(0), [arr([700, 130], 16), idx(40, 700), roundingUpdates([40, 130], 17)], ["scatter_add"]),
      await expectSame(
        raw(1),
        [values([130, 700], "int32", 18), idx(40, 700), values([130, 40], "int32", 19)],
        ["scatter_add"],
      ),
    ];
    // Each ran in the block form: fewer invocations than outputs.
    for (const run of runs) {
      const k = run!.primitives[0]!;
      const w = SHADERS.scatter_add!(k, run!.plan);
      expect(w.workgroups[0] * w.workgroups[1] * 64).toBeLessThan(k.eqn.outputs[0]!.aval.size / 2);
      expect(w.code).toContain("r1");
    }
  });

  it("dynamic_slice: traced starts wrap once and clamp so the window fits; every dtype, full and empty windows", async () => {
    for (const dtype of DTYPES) {
      const x = values([5, 6, 4], dtype, 60 + dtype.length);
      const f = (sizes: number[]) => (a: GArray, s0: GArray, s1: GArray, s2: GArray) =>
        np.dynamicSlice(a, [s0, s1, s2], sizes);
      for (const [starts, sizes] of WINDOWS)
        if (wide(dtype) || sizes[1] !== 3) await expectSame(f(sizes), [x, ...starts.map(scalar)], ["dynamic_slice"]);
    }
    // Raw starts below zero clamp to 0; a size-1 axis; a scalar operand (no starts).
    const raw = (sizes: number[]) => (a: GArray, s0: GArray, s1: GArray) =>
      bind1("dynamic_slice", [a, s0, s1], { sizes });
    await expectSame(raw([2, 1]), [arr([4, 1], 20), scalar(-3), scalar(5)], ["dynamic_slice"]);
    await expectSame(raw([1, 2]), [arr([3, 4], 21), scalar(2), scalar(-2147483648)], ["dynamic_slice"]);
    await expectSame((a) => bind1("dynamic_slice", [a], { sizes: [] }), [arr([], 22)], ["dynamic_slice"]);
    // One start buffer for two axes (bound once).
    await expectSame(
      (a, s) => bind1("dynamic_slice", [a, s, s], { sizes: [2, 2] }),
      [arr([5, 5], 23), scalar(2)],
      ["dynamic_slice"],
    );
  });

  it("dynamic_update_slice: the window replaced at clamped starts; every dtype, empty and whole updates", async () => {
    for (const dtype of DTYPES) {
      const x = values([5, 6, 4], dtype, 70 + dtype.length);
      const f = (a: GArray, u: GArray, s0: GArray, s1: GArray, s2: GArray) => np.dynamicUpdateSlice(a, u, [s0, s1, s2]);
      for (const [starts, ushape] of [
        ...WINDOWS,
        [
          [3, 3, 3],
          [5, 6, 4],
        ],
      ] as [number[], number[]][])
        if (wide(dtype) || ushape[1] !== 3)
          await expectSame(f, [x, values(ushape, dtype, 80), ...starts.map(scalar)], ["dynamic_update_slice"]);
    }
    const raw = (a: GArray, u: GArray, s0: GArray, s1: GArray) => bind1("dynamic_update_slice", [a, u, s0, s1], {});
    await expectSame(raw, [arr([4, 1], 24), arr([2, 1], 25), scalar(-3), scalar(5)], ["dynamic_update_slice"]);
    await expectSame(raw, [arr([0, 3], 26), arr([0, 2], 27), scalar(1), scalar(1)], ["dynamic_update_slice"]);
    await expectSame(
      (a, u) => bind1("dynamic_update_slice", [a, u], {}),
      [arr([], 28), arr([], 29)],
      ["dynamic_update_slice"],
    );
  });

  it("binds inputs in order (a repeated buffer once), then the output; float64 is refused", () => {
    const x = arr([4, 3], 30);
    const { plan } = planOf((a, s) => bind1("dynamic_slice", [a, s, s], { sizes: [2, 2] }), [x, scalar(1)]);
    const k = plan.kernels.find((kk): kk is PrimitiveKernel => kk.kind === "primitive")!;
    expect(SHADERS.dynamic_slice!(k, plan).bindings).toEqual([
      { buffer: k.inputs[0], access: "read" },
      { buffer: k.inputs[1], access: "read" },
      { buffer: k.outputs[0], access: "read_write" },
    ]);
    const x64 = cpu(() => np.array([1, 2, 3], { dtype: "float64" }));
    const p64 = planOf((a, i) => np.take(a, i), [x64, ints([0, 2])]).plan;
    const g = p64.kernels.find((kk): kk is PrimitiveKernel => kk.kind === "primitive" && kk.prim === "gather")!;
    expect(() => SHADERS.gather!(g, p64)).toThrow(UnsupportedDTypeError);
  });
});
