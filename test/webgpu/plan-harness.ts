/**
 * Real kernel plans on the test device without the WebGPU backend: a function is staged on the
 * CPU backend (`jit(f).lower(...)`), planned (backends/plan), and each of its kernels runs as the
 * generated WGSL through run-kernel.ts, host buffers standing in for the arena: elementwise and
 * reduce kernels, and primitive kernels through `primitiveShader` (codegen/primitives/index.ts).
 * The oracle is the same function on the CPU backend.
 */
import { expect } from "vitest";
import { allocate, type TypedArray } from "../../src/core/dtype.js";
import { type Array as GArray, jit, np, withBackend } from "../../src/index.js";
import { planProgram } from "../../backends/plan/build.js";
import type { Kernel, KernelPlan, PrimitiveKernel } from "../../backends/plan/types.js";
import { elementwiseShader } from "../../backends/webgpu/codegen/elementwise.js";
import type { WgslKernel } from "../../backends/webgpu/codegen/kernel.js";
import { primitiveShader } from "../../backends/webgpu/codegen/primitives/index.js";
import { reductionShader } from "../../backends/webgpu/codegen/primitives/scans.js";
import { type ReduceShaderOptions, reduceShader } from "../../backends/webgpu/codegen/reduce.js";
import { firstMismatch, sameValue } from "./expr-harness.js";
import { type HostBuffer, runKernel } from "./run-kernel.js";

export type Fn = (...xs: GArray[]) => GArray | GArray[];

/** The plan of `f` for these arguments (arrays on the CPU backend). */
export function planOf(f: Fn, args: readonly GArray[]): { plan: KernelPlan; consts: TypedArray[] } {
  const program = withBackend("cpu", () => jit(f).lower(...args).program);
  return {
    plan: planProgram(program),
    consts: program.consts.map((c) => (c as GArray).dataSync()),
  };
}

/**
 * The WGSL kernel of one of the plan's kernels (throws on a kind or primitive without one).
 * `options` go to reduce kernels and to the integer reductions planned as primitives (reduce_*).
 */
export function shaderOf(k: Kernel, plan: KernelPlan, options: ReduceShaderOptions = {}): WgslKernel {
  if (k.kind === "elementwise") return elementwiseShader(k, plan);
  if (k.kind === "reduce") return reduceShader(k, plan, options);
  if (k.kind === "primitive") {
    const s = k.prim.startsWith("reduce_") ? reductionShader(k, plan, options) : primitiveShader(k, plan);
    if (!s) throw new Error(`the test plan has a primitive kernel of ${k.prim}, which has no WGSL generator`);
    return s;
  }
  throw new Error(`the test plan has a ${k.kind} kernel`);
}

/** The WGSL kernel of each of the plan's kernels (throws on a kind or primitive without one). */
export function shadersOf(plan: KernelPlan, options: ReduceShaderOptions = {}): WgslKernel[] {
  return plan.kernels.map((k) => shaderOf(k, plan, options));
}

/** The plan's primitive kernels, in plan order. */
export function primitivesOf(plan: KernelPlan): PrimitiveKernel[] {
  return plan.kernels.filter((k): k is PrimitiveKernel => k.kind === "primitive");
}

/** Runs every kernel of the plan in order; returns the plan's outputs. */
export async function runPlan(
  device: GPUDevice,
  plan: KernelPlan,
  inputs: readonly TypedArray[],
  consts: readonly TypedArray[],
  options: ReduceShaderOptions = {},
): Promise<TypedArray[]> {
  const bufs: Record<number, HostBuffer> = {};
  for (const b of plan.buffers) {
    const data =
      b.role === "input" ? inputs[b.index!]! : b.role === "const" ? consts[b.index!]! : allocate(b.dtype, b.size);
    bufs[b.id] = { dtype: b.dtype, data };
  }
  for (const kernel of shadersOf(plan, options)) {
    const out = await runKernel(device, kernel, bufs);
    for (const [id, data] of Object.entries(out)) bufs[Number(id)] = { dtype: bufs[Number(id)]!.dtype, data };
  }
  return plan.outputs.map((o) => {
    if ("buffer" in o) return bufs[o.buffer]!.data;
    const a = allocate(o.dtype, 1);
    a[0] = o.literal;
    return a;
  });
}

/** One run of f both ways: the device's outputs, the reference's, the plan and its primitive kernels. */
export interface Run {
  readonly gpu: TypedArray[];
  readonly ref: TypedArray[];
  readonly plan: KernelPlan;
  readonly primitives: PrimitiveKernel[];
}

/**
 * f's outputs on the CPU backend (the reference) and on the device, as typed arrays. With `prims`,
 * first expects the plan's primitive kernels to be exactly these (in any order), and after the
 * run the device's outputs to be as many and as long as the reference's.
 */
export async function bothWays(
  device: GPUDevice,
  f: Fn,
  args: readonly GArray[],
  options: ReduceShaderOptions = {},
  prims?: readonly string[],
): Promise<Run> {
  const { plan, consts } = planOf(f, args);
  const primitives = primitivesOf(plan);
  if (prims) expect(primitives.map((k) => k.prim).sort()).toEqual([...prims].sort());
  const gpu = await runPlan(
    device,
    plan,
    args.map((a) => a.dataSync()),
    consts,
    options,
  );
  const ref = withBackend("cpu", () => {
    const r = f(...args);
    return (Array.isArray(r) ? r : [r]).map((a) => a.dataSync());
  });
  if (prims) expect(gpu.map((g) => g.length)).toEqual(ref.map((r) => r.length));
  return { gpu, ref, plan, primitives };
}

/**
 * f both ways through exactly the primitive kernels `prims` (in any order); every output must
 * equal the reference's bit for bit (NaNs of any payload alike).
 */
export async function expectSame(
  device: GPUDevice,
  f: Fn,
  args: readonly GArray[],
  prims: readonly string[],
  options: ReduceShaderOptions = {},
): Promise<Run> {
  const run = await bothWays(device, f, args, options, prims);
  run.ref.forEach((r, j) => {
    expect(firstMismatch(run.gpu[j]!, r, sameValue, (i) => `output ${j}[${i}]`)).toBeUndefined();
  });
  return run;
}

/** Deterministic values in [-2, 2) (scaled), as an array of `shape` on the CPU backend. */
export function arr(shape: number[], seed: number, dtype: "float32" | "int32" | "bool" = "float32", scale = 1): GArray {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const v = (s / 2 ** 30 - 2) * scale;
    return dtype === "int32" ? Math.round(v * 1000) : dtype === "bool" ? Number(v > 0) : v;
  });
  return withBackend("cpu", () => np.array(data, { shape, dtype }));
}
