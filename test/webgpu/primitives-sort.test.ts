/**
 * `argsort` in WGSL (backends/webgpu/codegen/primitives/sort.ts): real plans of argsort (staged on
 * the CPU backend and planned), every kernel run on the test device — the argsort primitive kernel
 * through its generated shader, fused elementwise kernels through theirs — and the indices compared
 * exactly with the CPU backend's (the reference's stable order: ties by position, −0 equal to +0,
 * NaN last). float32 edges (±0, ±∞, NaN of both signs, subnormals, extremes), int32 and uint32
 * extremes, bool; sorting along the first, a middle and the last axis; lines of length 1, long
 * lines with many ties, and empty arrays.
 */
import { describe, expect, it } from "vitest";
import { allocate, type DType } from "../../src/core/dtype.js";
import { bind1 } from "../../src/core/trace.js";
import { type Array as GArray, jit, np, withBackend } from "../../src/index.js";
import { planProgram } from "../../backends/plan/build.js";
import { argsortShader, SHADERS } from "../../backends/webgpu/codegen/primitives/sort.js";
import { firstMismatch, random } from "./expr-harness.js";
import { testGpu } from "./gpu.js";
import { bothWays } from "./plan-harness.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

type Fn = (...xs: GArray[]) => GArray;

const argsort =
  (axis: number): Fn =>
  (x) =>
    bind1("argsort", [x], { axis });

/** argsort of x along each axis on the device equals the reference, index for index. */
async function check(x: GArray, axes: readonly number[] = x.shape.map((_, d) => d), pre?: (x: GArray) => GArray) {
  for (const axis of axes) {
    const f: Fn = pre ? (a) => argsort(axis)(pre(a)) : argsort(axis);
    if ("skip" in got) throw new Error(got.skip);
    const { gpu: outs, ref: refs, plan } = await bothWays(got.device, f, [x]);
    if (!("buffer" in plan.outputs[0]!)) throw new Error("the test plan's output is a literal");
    const [gpu, ref] = [outs[0]!, refs[0]!];
    expect(plan.kernels.filter((k) => k.kind === "primitive" && k.prim === "argsort")).toHaveLength(1);
    expect(gpu).toBeInstanceOf(Int32Array);
    const where = (i: number) => `${x.dtype}[${x.shape.join(", ")}] axis ${axis}, output ${i}`;
    expect(firstMismatch(gpu, ref, Object.is, where)).toBeUndefined();
  }
}

/** An array of `shape` whose elements are drawn from `pool` (seeded). */
function pick(shape: number[], dtype: DType, pool: readonly number[], seed: number): GArray {
  const r = random(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const data = allocate(dtype, n);
  for (let i = 0; i < n; i++) data[i] = pool[r() % pool.length]!;
  return withBackend("cpu", () => np.array(data, { shape, dtype }));
}

const f32 = (bits: number): number => new Float32Array(new Uint32Array([bits]).buffer)[0]!;
const FLOAT_EDGES = [
  0,
  -0,
  1,
  -1,
  0.5,
  -2,
  Infinity,
  -Infinity,
  Number.NaN,
  f32(0xffc00000), // a NaN with the sign bit
  f32(0x7f800001), // a signalling-pattern NaN
  1e-45,
  -1e-45,
  f32(0x007fffff), // the largest subnormal
  3.4028234663852886e38,
  -3.4028234663852886e38,
  1.1754943508222875e-38,
];

describe.skipIf(skip !== undefined)(`WGSL argsort${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("float32 edges (±0, ±∞, NaN of both signs, subnormals, extremes) along every axis of rank 1, 2 and 3", async () => {
    await check(pick([200], "float32", FLOAT_EDGES, 1));
    await check(pick([6, 41], "float32", FLOAT_EDGES, 2));
    await check(pick([5, 7, 9], "float32", FLOAT_EDGES, 3));
    // Only zeros of both signs (one tie class), only NaNs, and everything equal.
    await check(pick([3, 64], "float32", [0, -0], 4), [1]);
    await check(pick([3, 64], "float32", [Number.NaN, f32(0xffc00000)], 5), [1]);
    await check(
      withBackend("cpu", () => np.full([2, 50], 7, { dtype: "float32" })),
      [0, 1],
    );
  });

  it("float32: long lines with many ties, many short lines, and a fused prologue producing −0", async () => {
    const r = random(6);
    const ties = Float32Array.from({ length: 50 * 300 }, () => ((r() % 9) - 4) / 2);
    await check(
      withBackend("cpu", () => np.array(ties, { shape: [50, 300] })),
      [0, 1],
    );
    const distinct = Float32Array.from({ length: 2500 }, () => (r() / 2 ** 32 - 0.5) * 1e3);
    await check(withBackend("cpu", () => np.array(distinct, { shape: [2500] })));
    await check(
      withBackend("cpu", () => np.array(distinct, { shape: [625, 4] })),
      [1],
    );
    // x * −1 turns the zeros into −0 (and the rest reverses); the planner materializes it first.
    await check(pick([4, 30], "float32", FLOAT_EDGES, 7), [1], (a) => a.mul(-1));
  });

  it("int32 and uint32 extremes, and bool", async () => {
    const INT = [-(2 ** 31), 2 ** 31 - 1, -(2 ** 31) + 1, 2 ** 31 - 2, 0, -1, 1, 1000, -1000];
    await check(pick([4, 33], "int32", INT, 8));
    await check(pick([3, 5, 6], "int32", INT, 9));
    const UINT = [0, 0xffffffff, 0x80000000, 0x7fffffff, 0x80000001, 1, 2];
    await check(pick([33, 4], "uint32", UINT, 10));
    await check(pick([2, 3, 40], "uint32", UINT, 11));
    await check(pick([3, 50], "bool", [0, 1], 12));
    await check(pick([17], "bool", [1], 13));
  });

  it("lines of length 1 and empty arrays", async () => {
    const x = pick([5, 1], "float32", FLOAT_EDGES, 14);
    await check(x); // axis 0: lines of 5; axis 1: lines of 1
    await check(pick([1, 5], "int32", [3, -3, 0], 15));
    await check(pick([1], "float32", [Number.NaN], 16));
    await check(pick([2, 1, 3], "uint32", [0, 9], 17), [1]);
    for (const shape of [[0], [3, 0], [0, 4], [2, 0, 3]])
      await check(withBackend("cpu", () => np.zeros(shape, { dtype: "float32" })));
  });

  it("the shader: one input and one output binding, every dtype's key; others refused", () => {
    const program = withBackend("cpu", () => jit(argsort(0)).lower(pick([4], "int32", [1], 18)).program);
    const plan = planProgram(program);
    const k = plan.kernels.find((kk) => kk.kind === "primitive")!;
    expect(k.kind === "primitive" && k.prim).toBe("argsort");
    if (k.kind !== "primitive") return;
    const s = argsortShader(k, plan);
    expect(s.bindings).toEqual([
      { buffer: k.inputs[0], access: "read" },
      { buffer: k.outputs[0], access: "read_write" },
    ]);
    expect(s.code).toContain("b ^ 0x80000000u");
    expect(() => SHADERS.argsort!({ ...k, prim: "threefry2x32" }, plan)).toThrow(/internal error/);
  });
});
