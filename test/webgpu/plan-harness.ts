/**
 * Real kernel plans on the test device without the WebGPU backend: a function is staged on the
 * CPU backend (`jit(f).lower(...)`), planned (backends/plan), and each of its fused kernels runs
 * as the generated WGSL through run-kernel.ts, host buffers standing in for the arena. The oracle
 * is the same function on the CPU backend.
 */
import { allocate, type TypedArray } from "../../src/core/dtype.js";
import { type Array as GArray, jit, np, withBackend } from "../../src/index.js";
import { planProgram } from "../../backends/plan/build.js";
import type { KernelPlan } from "../../backends/plan/types.js";
import { elementwiseShader } from "../../backends/webgpu/codegen/elementwise.js";
import type { WgslKernel } from "../../backends/webgpu/codegen/kernel.js";
import { type ReduceShaderOptions, reduceShader } from "../../backends/webgpu/codegen/reduce.js";
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

/** The WGSL kernel of each of the plan's kernels (throws on a kind without one). */
export function shadersOf(plan: KernelPlan, options: ReduceShaderOptions = {}): WgslKernel[] {
  return plan.kernels.map((k) => {
    if (k.kind === "elementwise") return elementwiseShader(k, plan);
    if (k.kind === "reduce") return reduceShader(k, plan, options);
    throw new Error(`the test plan has a ${k.kind} kernel`);
  });
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

/** f's outputs on the CPU backend (the reference) and on the device, as typed arrays. */
export async function bothWays(
  device: GPUDevice,
  f: Fn,
  args: readonly GArray[],
  options: ReduceShaderOptions = {},
): Promise<{ gpu: TypedArray[]; ref: TypedArray[]; plan: KernelPlan }> {
  const { plan, consts } = planOf(f, args);
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
  return { gpu, ref, plan };
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
