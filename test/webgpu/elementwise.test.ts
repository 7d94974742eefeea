/**
 * Fused elementwise kernels (backends/webgpu/codegen/elementwise.ts) of real plans against the
 * CPU backend: views (broadcasts, transposes, reversed and strided slices), strided outputs (pad,
 * concatenate), index nodes (arange), integer and bool kernels, rank 0 and empty shapes, a 2-D
 * dispatch; and hand-built kernels for what plans rarely show (several outputs, two views of one
 * buffer). Operations are exact ones, so results must be bit-identical.
 */
import { describe, expect, it } from "vitest";
import type { TypedArray } from "../../src/core/dtype.js";
import { type Array as GArray, np } from "../../src/index.js";
import type { ElementwiseKernel, KernelPlan, PlanBuffer } from "../../backends/plan/types.js";
import { elementwiseShader } from "../../backends/webgpu/codegen/elementwise.js";
import { WGSL_ULP_BOUNDS } from "../../backends/webgpu/codegen/expr.js";
import { firstMismatch, sameValue, ulpError } from "./expr-harness.js";
import { testGpu } from "./gpu.js";
import { arr, bothWays, type Fn } from "./plan-harness.js";
import { runKernel } from "./run-kernel.js";

const got = await testGpu();
const skip = "skip" in got ? got.skip : undefined;

/** Runs f both ways and expects equal outputs (within `ulps` when given); returns the plan. */
async function expectSame(f: Fn, args: GArray[], ulps = 0): Promise<KernelPlan | undefined> {
  if ("skip" in got) return undefined;
  const { gpu, ref, plan } = await bothWays(got.device, f, args);
  expect(plan.kernels.every((k) => k.kind === "elementwise")).toBe(true);
  expect(gpu.length).toBe(ref.length);
  ref.forEach((r, j) => {
    const ok = ulps === 0 ? sameValue : (g: number, w: number) => ulpError(g, w) <= ulps;
    expect(firstMismatch(gpu[j]!, r, ok, (i) => `output ${j}[${i}]`)).toBeUndefined();
  });
  return plan;
}

const buffer = (id: number, dtype: PlanBuffer["dtype"], size: number): PlanBuffer => ({
  id,
  dtype,
  size,
  role: "temp",
  offset: 0,
  def: -1,
  lastUse: -1,
});

describe.skipIf(skip !== undefined)(`WGSL elementwise kernels${skip ? ` (skipped: ${skip})` : ""}`, () => {
  it("reads through broadcasts, transposes, reversed views and strided slices", async () => {
    await expectSame(
      (a, b) =>
        np
          .transpose(a)
          .mul(b)
          .add(np.flip(np.transpose(a), 0)),
      [arr([37, 29], 1), arr([29, 1], 2)],
    );
    await expectSame((a, b) => a.reshape([5, 7, 9]).add(b).mul(2), [arr([315], 3), arr([7, 1], 4)]);
    await expectSame(
      (a) => a.get("1:30:3, ::-2").mul(a.get("2:12, 0:29:2")).sub(a.get("-10:, 3:18")),
      [arr([37, 29], 5)],
    );
    await expectSame(
      (c, d) =>
        np
          .transpose(c, [2, 0, 1])
          .sub(d)
          .mul(np.flip(d, [0, 2])),
      [arr([4, 6, 5], 6), arr([5, 4, 1], 7)],
    );
  });

  it("writes strided parts of larger buffers: pad and concatenate", async () => {
    const g = (a: GArray) =>
      np.pad(a.mul(3).add(1), [
        [2, 3],
        [1, 4],
      ]);
    await expectSame(g, [arr([19, 13], 8)]);
    await expectSame((a, b) => np.concatenate([a.mul(2), b.sub(1), a], 1), [arr([23, 17], 9), arr([23, 5], 10)]);
    await expectSame((a, b) => np.concatenate([np.flip(a, 0), b], 0), [arr([3, 8], 11), arr([6, 8], 12)]);
  });

  it("index nodes: arange fused into int32 and float32 expressions, and over two dimensions", async () => {
    await expectSame((a) => a.mul(3).add(np.arange(0, 999, 1, { dtype: "int32" })), [arr([999], 13, "int32")]);
    await expectSame((a) => a.add(np.arange(0, 70_000, 1, { dtype: "float32" }).mul(0.5)), [arr([70_000], 14)]);
    await expectSame(
      () =>
        np
          .arange(0, 7, 1, { dtype: "int32" })
          .reshape([7, 1])
          .mul(np.arange(0, 5, 1, { dtype: "int32" })),
      [],
    );
  });

  it("int32 and bool kernels: wrapping arithmetic, comparisons, where, logical operations", async () => {
    const a = arr([400], 15, "int32", 2e6);
    const b = arr([400], 16, "int32");
    await expectSame((x, y) => x.mul(x).add(y.mul(2147483)).sub(x), [a, b]);
    await expectSame((x, y) => np.where(np.greater(x, y), x.sub(y), y.mul(-3)), [a, b]);
    await expectSame(
      (p, q) => np.logicalAnd(p, np.logicalNot(q)).astype("int32").add(np.notEqual(p, q).astype("int32")),
      [arr([300], 17, "bool"), arr([300], 18, "bool")],
    );
  });

  it("rank-0 and empty shapes", async () => {
    await expectSame((x) => x.mul(2).add(1), [np.array(1.5)]);
    await expectSame((x) => x.mul(2).add(1), [arr([0, 3], 19)]);
  });

  it("a transcendental of exactly computed operands is within its ulp bound", async () => {
    await expectSame(
      (a, b) => np.exp(np.transpose(a).add(b)),
      [arr([37, 29], 20), arr([29, 1], 21)],
      WGSL_ULP_BOUNDS.exp,
    );
  });

  it("hand-built: two views of one buffer (bound once), several outputs, an output through a transposed view", async () => {
    if ("skip" in got) return;
    // x: [3, 4] in buffer 0; out1 = x + rev(x) contiguous; out2 = x·2 written transposed into [4, 3].
    const k: ElementwiseKernel = {
      kind: "elementwise",
      shape: [3, 4],
      inputs: [
        { buffer: 0, offset: 0, strides: [4, 1] },
        { buffer: 0, offset: 11, strides: [-4, -1] },
      ],
      body: [
        { kind: "input", input: 0, dtype: "float32" },
        { kind: "input", input: 1, dtype: "float32" },
        { kind: "op", prim: "add", args: [0, 1], params: {}, dtype: "float32" },
        { kind: "literal", value: 2, dtype: "float32" },
        { kind: "op", prim: "mul", args: [0, 3], params: {}, dtype: "float32" },
      ],
      outputs: [
        { buffer: 1, node: 2 },
        { buffer: 2, node: 4, view: { offset: 0, strides: [1, 3] } },
      ],
    };
    const plan: KernelPlan = {
      buffers: [buffer(0, "float32", 12), buffer(1, "float32", 12), buffer(2, "float32", 12)],
      kernels: [k],
      outputs: [],
      arenaBytes: 0,
    };
    const w = elementwiseShader(k, plan);
    expect(w.bindings).toEqual([
      { buffer: 0, access: "read" },
      { buffer: 1, access: "read_write" },
      { buffer: 2, access: "read_write" },
    ]);
    const x = Float32Array.from({ length: 12 }, (_, i) => i * 1.5 - 4);
    const out = await runKernel(got.device, w, {
      0: { dtype: "float32", data: x },
      1: { dtype: "float32", data: new Float32Array(12) },
      2: { dtype: "float32", data: new Float32Array(12) },
    });
    expect(Array.from(out[1]!)).toEqual(Array.from(x, (v, i) => v + x[11 - i]!));
    const t = new Float32Array(12);
    for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) t[c * 3 + r] = x[r * 4 + c]! * 2;
    expect(Array.from(out[2]!)).toEqual(Array.from(t));
    // A buffer both read and written is refused.
    expect(() => elementwiseShader({ ...k, outputs: [{ buffer: 0, node: 2 }] }, plan)).toThrow(/both read and written/);
  });

  it("covers more than 65535 workgroups (a 2-D grid) with every element once", async () => {
    if ("skip" in got) return;
    const n = 65535 * 64 + 1000;
    const k: ElementwiseKernel = {
      kind: "elementwise",
      shape: [n],
      inputs: [{ buffer: 0, offset: 0, strides: [1] }],
      body: [
        { kind: "input", input: 0, dtype: "uint32" },
        { kind: "index", dim: 0, dtype: "uint32" },
        { kind: "op", prim: "add", args: [0, 1], params: {}, dtype: "uint32" },
      ],
      outputs: [{ buffer: 1, node: 2 }],
    };
    const plan: KernelPlan = {
      buffers: [buffer(0, "uint32", n), buffer(1, "uint32", n)],
      kernels: [k],
      outputs: [],
      arenaBytes: 0,
    };
    const w = elementwiseShader(k, plan);
    expect(w.workgroups[1]).toBeGreaterThan(1);
    const x = new Uint32Array(n).fill(7);
    const out = (
      await runKernel(got.device, w, {
        0: { dtype: "uint32", data: x },
        1: { dtype: "uint32", data: new Uint32Array(n) },
      })
    )[1] as TypedArray;
    let bad = 0;
    for (let i = 0; i < n; i++) if (out[i] !== i + 7) bad++;
    expect(bad).toBe(0);
  });
});
