/**
 * WGSL for the plan's reductions: the prologue expression over `shape`, combined along `axes`
 * into an output contiguous over the kept dimensions. The combiner is the elementwise operation
 * itself (add, mul, max, min from expr.ts: Math.max/min's NaN and ±0 rules, wrapping integers,
 * bool or/and), starting from the reference's identity (0, 1, the dtype's lowest or highest).
 * Every output accumulates in a fixed order, so results are reproducible run to run:
 * - one invocation per output element, looping over the reduced elements in row-major order
 *   (float32 sums round at every step in float32, where the reference sums in float64);
 * - with few outputs and many reduced elements (useWorkgroupReduce decides), one workgroup of
 *   256 per output: invocation t accumulates reduced elements t, t + 256, … in order, then a tree
 *   in workgroup memory combines t + s into t for s = 128, 64, …, 1 (test/webgpu/reduce.test.ts
 *   emulates both orders bit for bit).
 * Dispatch: flatDispatch over the outputs (64 per workgroup), or one workgroup per output.
 * Bindings: the buffers the prologue reads (read, in order of first use), then the output.
 */
import type { DType } from "../../../src/core/dtype.js";
import type { ExprNode, KernelPlan, ReduceKernel, ReduceOp } from "../../plan/types.js";
import {
  address,
  declareBindings,
  type Dims,
  flatIndexLines,
  indent,
  mergeDims,
  splitIndex,
  usedInputs,
} from "./elementwise.js";
import { emitWgslExpr, OPAQUE_ZERO } from "./expr.js";
import { f32Bits } from "./expr/helpers.js";
import { flatDispatch, type WgslKernel, wgslType } from "./kernel.js";

/** Invocations per output in the workgroup-parallel form (a power of two). */
export const REDUCE_WORKGROUP = 256;

export interface ReduceShaderOptions {
  /** Whether the workgroup-parallel form may be used at all. Default true. */
  readonly parallel?: boolean;
  /**
   * A software (fallback) adapter: it runs invocations as SIMD lanes of a few CPU threads, where
   * barriers are costly and a loop per output is faster unless there are only a handful of
   * outputs (lavapipe, 2 cores: a full sum of 2^20 takes 1.6 ms in the workgroup form and 11 ms
   * looping; 128 sums of 8192, 4.4 ms and 1.1 ms). GpuContext.fallback says which.
   */
  readonly fallbackAdapter?: boolean;
}

const COMBINE: Record<ReduceOp, "add" | "mul" | "max" | "min"> = { sum: "add", prod: "mul", max: "max", min: "min" };

/** The reference's starting values (backends/cpu/kernels/reduce.ts). */
export function identity(op: ReduceOp, dtype: DType): string {
  const t = wgslType(dtype, "a reduction");
  if (op === "sum") return `${t}(0)`;
  if (op === "prod") return `${t}(1)`;
  const max = op === "max";
  switch (dtype) {
    case "float32":
      return `bitcast<f32>(${f32Bits(max ? -Infinity : Infinity)} ^ rz)`;
    case "int32":
      return max ? "bitcast<i32>(0x80000000u)" : "2147483647i";
    case "uint32":
      return max ? "0u" : "0xffffffffu";
    default:
      return max ? "0u" : "1u";
  }
}

/** True when the workgroup-parallel form is the better one: many reduced elements per output. */
export function useWorkgroupReduce(k: ReduceKernel, options: ReduceShaderOptions = {}): boolean {
  if (options.parallel === false) return false;
  const reduced = new Set(k.axes);
  let nOut = 1;
  let nRed = 1;
  k.shape.forEach((n, d) => {
    if (reduced.has(d)) nRed *= n;
    else nOut *= n;
  });
  if (options.fallbackAdapter) return nOut <= 4 && nRed >= 4096;
  const live = k.shape.map((n, d) => (n === 1 ? -1 : d)).filter((d) => d >= 0);
  const innermostReduced = live.length > 0 && reduced.has(live[live.length - 1]!);
  // Reading along the innermost dimension keeps a workgroup's loads contiguous; otherwise an
  // invocation per output (adjacent outputs adjacent in memory) reads better unless outputs are few.
  return nRed >= 1024 && (innermostReduced || nOut <= 4096);
}

export function reduceShader(k: ReduceKernel, plan: KernelPlan, options: ReduceShaderOptions = {}): WgslKernel {
  const root = k.body[k.body.length - 1];
  if (!root || root.dtype !== k.dtype)
    throw new Error("internal error: a reduction's prologue must end in a value of its dtype");
  if (plan.buffers[k.output]!.dtype !== k.dtype)
    throw new Error("internal error: a reduction's output has another dtype");
  const type = wgslType(k.dtype, "a reduction");
  const reduced = new Set(k.axes);
  const { bindings, decls, slot } = declareBindings(
    plan,
    usedInputs(k.body, k.inputs).map((v) => v.buffer),
    [k.output],
  );
  const full: Dims = { shape: k.shape, strides: k.inputs.map((v) => v.strides) };
  // Index nodes need the original dimensions; otherwise merge within kept and within reduced ones.
  const dims = k.body.some((n) => n.kind === "index")
    ? { ...full, origin: k.shape.map((_, d) => d) }
    : mergeDims(full, (a, b) => reduced.has(a) === reduced.has(b));
  const all = dims.shape.map((_, j) => j);
  const kept = all.filter((j) => !reduced.has(dims.origin[j]!));
  const red = all.filter((j) => reduced.has(dims.origin[j]!));
  const size = (js: readonly number[]): number => js.reduce((a, j) => a * dims.shape[j]!, 1);
  const nOut = size(kept);
  const nRed = size(red);
  const idx = (j: number): string => `d${j}`;
  const body = emitWgslExpr(k.body, {
    loadInput: (i) => {
      const v = k.inputs[i]!;
      return `b${slot.get(v.buffer)}[${address(v.offset, dims.strides[i]!, idx)}]`;
    },
    index: (d) => idx(d),
    opaqueZero: "rz",
  });
  const combiner = emitWgslExpr(combineBody(k.op, k.dtype), {
    loadInput: (i) => (i === 0 ? "a" : "b"),
    index: () => {
      throw new Error("internal error: index in a reduction's combiner");
    },
    opaqueZero: "z",
  });
  const combineFn = [
    `fn reduce_combine(a: ${type}, b: ${type}, z: u32) -> ${type} {`,
    indent(combiner.code),
    `  return ${combiner.values[2]};`,
    "}",
  ];
  const value = body.values[body.values.length - 1]!;
  const out = `b${slot.get(k.output)}`;
  const split = (flat: string, js: readonly number[]): string =>
    splitIndex(
      flat,
      js.map((j) => dims.shape[j]!),
      js.map(idx),
    );
  const step = `${body.code}\nacc = reduce_combine(acc, ${value}, rz);`;
  const start = [`let rz = ${OPAQUE_ZERO};`, `var acc: ${type} = ${identity(k.op, k.dtype)};`].join("\n");
  const parallel = useWorkgroupReduce(k, options) && nOut > 0;
  let main: string[];
  if (!parallel) {
    // One invocation per output: nested loops over the reduced dimensions, outermost first.
    let loop = step;
    for (const j of [...red].reverse())
      loop = `for (var ${idx(j)} = 0u; ${idx(j)} < ${dims.shape[j]}u; ${idx(j)}++) {\n${indent(loop)}\n}`;
    main = [
      "@compute @workgroup_size(64)",
      "fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) nwg: vec3u) {",
      indent(flatIndexLines(nOut)),
      indent(split("i", kept)),
      indent(start),
      indent(loop),
      `  ${out}[i] = acc;`,
      "}",
    ];
  } else {
    const w = REDUCE_WORKGROUP;
    main = [
      `var<workgroup> part: array<${type}, ${w}>;`,
      `@compute @workgroup_size(${w})`,
      "fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) t: u32,",
      "        @builtin(num_workgroups) nwg: vec3u) {",
      "  let o = wid.y * nwg.x + wid.x;",
      // Uniform per workgroup, so the barriers below stay in uniform control flow.
      `  if (o >= ${nOut}u) { return; }`,
      indent(split("o", kept)),
      indent(start),
      `  for (var r = t; r < ${nRed}u; r += ${w}u) {`,
      indent(indent(`${split("r", red)}\n${step}`)),
      "  }",
      ...workgroupTreeCombine(w),
      `  if (t == 0u) { ${out}[o] = part[0]; }`,
      "}",
    ];
  }
  const helpers = new Set([...body.helpers, ...combiner.helpers]);
  const code = [...helpers, ...combineFn, decls, ...main.filter((l) => l !== ""), ""].join("\n");
  return { code, bindings, workgroups: parallel ? flatDispatch(nOut, 1) : flatDispatch(nOut) };
}

/** The combiner as an expression over inputs 0 (accumulator) and 1 (value). */
export function combineBody(op: ReduceOp, dtype: DType): ExprNode[] {
  return [
    { kind: "input", input: 0, dtype },
    { kind: "input", input: 1, dtype },
    { kind: "op", prim: COMBINE[op], args: [0, 1], params: {}, dtype },
  ];
}

/**
 * WGSL lines that store each thread's `acc` in `part` and combine a workgroup of `w` threads by
 * halving, leaving the result in `part[0]` (every thread reaches every barrier).
 */
export function workgroupTreeCombine(w: number): string[] {
  return [
    "  part[t] = acc;",
    "  workgroupBarrier();",
    `  for (var s = ${w / 2}u; s > 0u; s >>= 1u) {`,
    "    if (t < s) { part[t] = reduce_combine(part[t], part[t + s], rz); }",
    "    workgroupBarrier();",
    "  }",
  ];
}
