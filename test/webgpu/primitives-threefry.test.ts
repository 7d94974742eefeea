/**
 * `threefry2x32` in WGSL (backends/webgpu/codegen/primitives/threefry.ts): real plans staged on the
 * CPU backend and planned, every kernel run on the test device (the threefry2x32 primitive kernel
 * through its generated shader, elementwise kernels through theirs), the output words compared bit
 * for bit with the CPU backend's and with Random123's known-answer vectors for threefry2x32_20.
 * Many keys and counters (0, 0xffffffff, sign-bit patterns, random words), rank 0 to 3 operands,
 * one buffer passed as several operands, empty shapes, and random.threefry2x32 / bits / split.
 */
import { describe, expect, it } from "vitest";
import { bind1 } from "../../src/core/trace.js";
import { type Array as GArray, jit, np, random, withBackend } from "../../src/index.js";
import { planProgram } from "../../backends/plan/build.js";
import { SHADERS, threefryShader } from "../../backends/webgpu/codegen/primitives/threefry.js";
import { firstMismatch, random as xorshift } from "./expr-harness.js";
import { testGpu } from "./gpu.js";
import { bothWays } from "./plan-harness.js";
import { KAT } from "../random/threefry-kat.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

type Fn = (...xs: GArray[]) => GArray;

/** f on the device equals the reference bit for bit, through exactly one threefry2x32 kernel. */
async function check(f: Fn, args: readonly GArray[], what: string): Promise<Uint32Array> {
  if ("skip" in got) throw new Error(got.skip);
  const { gpu: outs, ref: refs, plan } = await bothWays(got.device, f, args);
  if (!("buffer" in plan.outputs[0]!)) throw new Error("the test plan's output is a literal");
  const [gpu, ref] = [outs[0]!, refs[0]!];
  expect(plan.kernels.filter((k) => k.kind === "primitive" && k.prim === "threefry2x32")).toHaveLength(1);
  expect(gpu).toBeInstanceOf(Uint32Array);
  expect(gpu.length).toBe(ref.length);
  expect(firstMismatch(gpu, ref, Object.is, (i) => `${what}: word ${i}`)).toBeUndefined();
  return gpu as Uint32Array;
}

const tf: Fn = (k0, k1, x0, x1) => bind1("threefry2x32", [k0!, k1!, x0!, x1!], {});
const u32 = (data: ArrayLike<number>, shape: number[]): GArray =>
  withBackend("cpu", () => np.array(Uint32Array.from(data), { shape, dtype: "uint32" }));

/** Words mixing edges (0, 1, 0xffffffff, sign-bit patterns, the key-schedule constant) and random ones. */
function words(n: number, seed: number): Uint32Array {
  const EDGES = [0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0xfffffffe, 0x1bd11bda, 0xe42ee425];
  const r = xorshift(seed);
  return Uint32Array.from({ length: n }, () => (r() % 4 === 0 ? EDGES[r() % EDGES.length]! : r()));
}

describe.skipIf(skip !== undefined)(`WGSL threefry2x32${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("Random123's known-answer vectors, as a vector of three and as scalars", async () => {
    const col = (j: 0 | 1, w: 0 | 1) =>
      u32(
        KAT.map((c) => c[j][w]!),
        [3],
      );
    const y = await check(tf, [col(0, 0), col(0, 1), col(1, 0), col(1, 1)], "KAT [3]");
    expect(Array.from(y)).toEqual(KAT.flatMap((c) => c[2]));
    for (const [key, count, want] of KAT) {
      const s = (v: number) => u32([v], []);
      const y1 = await check(tf, [s(key[0]!), s(key[1]!), s(count[0]!), s(count[1]!)], "KAT scalar");
      expect(Array.from(y1)).toEqual(want);
    }
  });

  it("many keys and counters (edges and random words), ranks 1 to 3", async () => {
    for (const [shape, seed] of [
      [[4096], 1],
      [[33, 65], 2],
      [[3, 5, 7], 3],
    ] as [number[], number][]) {
      const n = shape.reduce((a, b) => a * b, 1);
      const ops = [0, 1, 2, 3].map((j) => u32(words(n, seed * 10 + j), shape));
      await check(tf, ops, `[${shape.join(", ")}]`);
    }
    // Every combination of edge words as key and counter.
    const E = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff];
    const combos = E.flatMap((a) => E.flatMap((b) => E.flatMap((c) => E.map((d) => [a, b, c, d]))));
    const ops = [0, 1, 2, 3].map((j) =>
      u32(
        combos.map((c) => c[j]!),
        [combos.length],
      ),
    );
    await check(tf, ops, "edge combinations");
  });

  it("one buffer as several operands is bound once; empty shapes", async () => {
    const a = u32(words(100, 4), [100]);
    const b = u32(words(100, 5), [100]);
    await check((p, q) => tf(p!, p!, q!, q!), [a, b], "(a, a, b, b)");
    await check((p, q) => tf(q!, p!, q!, p!), [a, b], "(b, a, b, a)");
    await check((p) => tf(p!, p!, p!, p!), [a], "(a, a, a, a)");
    for (const shape of [[0], [3, 0]]) {
      const e = u32([], shape);
      const y = await check(tf, [e, e, e, e], `[${shape.join(", ")}]`);
      expect(y.length).toBe(0);
    }
  });

  it("random.threefry2x32, random.bits and random.split staged and planned", async () => {
    const key = withBackend("cpu", () => random.key(42));
    const counts = u32(words(31, 6), [31]); // odd: the counts are padded with a 0
    await check((k, c) => random.threefry2x32(k!, c!), [key, counts], "random.threefry2x32");
    await check((k) => random.bits(k!, [7, 9]), [key], "random.bits");
    await check((k) => random.split(k!, 5), [key], "random.split");
    const zero = withBackend("cpu", () => random.key(0));
    const y = await check((k, c) => random.threefry2x32(k!, c!), [zero, u32([0, 0], [2])], "threefry(key(0), [0, 0])");
    expect(Array.from(y)).toEqual(KAT[1]![2]);
  });

  it("the shader: operand buffers bound once each in operand order, then the output", () => {
    const a = u32([1, 2], [2]);
    const b = u32([3, 4], [2]);
    const plan = planProgram(
      withBackend("cpu", () => jit((p: GArray, q: GArray) => tf(q, p, q, p)).lower(a, b).program),
    );
    const k = plan.kernels.find((kk) => kk.kind === "primitive")!;
    if (k.kind !== "primitive") throw new Error("no primitive kernel");
    const s = threefryShader(k, plan);
    expect(s.bindings).toEqual([
      { buffer: k.inputs[0], access: "read" },
      { buffer: k.inputs[1], access: "read" },
      { buffer: k.outputs[0], access: "read_write" },
    ]);
    expect(k.inputs[0]).toBe(k.inputs[2]);
    expect(() => SHADERS.threefry2x32!({ ...k, prim: "argsort" }, plan)).toThrow(/internal error/);
  });
});
