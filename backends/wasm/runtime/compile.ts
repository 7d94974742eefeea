/**
 * Compiles a kernel plan to one WebAssembly module (one exported function per fused kernel, the
 * matrix multiplication shared by its products) and returns the steps a run executes in order.
 * Primitive kernels (gathers, sorts, control flow, …) run in JavaScript on views of linear memory:
 * the reference kernels for plain primitives, and nested compiled Programs for control flow.
 */
import type { DType, TypedArray } from "../../../src/core/dtype.js";
import { itemSize } from "../../../src/core/dtype.js";
import type { ElementwiseKernel, DotKernel, Kernel, KernelPlan, View } from "../../plan/types.js";
import { importHost, hostImports } from "../codegen/host.js";
import { ModuleBuilder } from "../encoder/module.js";
import { I32, OP } from "../encoder/opcodes.js";
import { VectorMath } from "../math/index.js";
import { GEMM_PARAMS, type GemmDType, sharedGemm } from "./shared-gemm.js";
import { contiguousStrides } from "../../plan/views.js";
import { kernelWrites } from "../../plan/lifetimes.js";
import {
  emitLoopNest,
  type Emitters,
  type LoopSpec,
  loopRange,
  type Operand,
  RANGED_PARAMS,
} from "../kernels/loop-nest.js";
import { emitReduce } from "../kernels/reduce.js";
import { elementCost, gemmMayUseThreads, runGemmThreaded, threadedKernel } from "../threads/index.js";
import type { LinearMemory } from "./memory.js";

/** One step of a run: called with the frame's base address. */
export type Step = (base: number) => void;

/** How a run executes a primitive kernel: reads its inputs, returns its outputs (host arrays). */
export type PrimitiveRunner = (k: Kernel & { kind: "primitive" }) => (inputs: TypedArray[]) => TypedArray[];

export interface CompiledPlan {
  readonly steps: readonly Step[];
  /** For debugNans: which buffers each step writes (float buffers are checked after the step). */
  readonly writes: readonly number[][];
}

const dtypeOfView = (plan: KernelPlan, v: View): DType => plan.buffers[v.buffer]!.dtype;
const size = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

/** Builds and instantiates the module for `plan`; `runPrimitive` supplies JavaScript steps. */
export function compilePlan(plan: KernelPlan, mem: LinearMemory, runPrimitive: PrimitiveRunner): CompiledPlan {
  const m = new ModuleBuilder().importMemory(mem.importDescriptor);
  const host = importHost(m);
  // Products call the shared GEMM through an import (imports come before any function).
  const dotDtypes = [...new Set(plan.kernels.flatMap((k) => (k.kind === "dot" ? [k.dtype as GemmDType] : [])))];
  const gemmImports = new Map(dotDtypes.map((d) => [d, m.importFunc("gemm", d, GEMM_PARAMS, [])] as const));
  const e: Emitters = { m, host, math: new VectorMath(m) };
  const addr = (id: number): number => plan.buffers[id]!.offset;
  const operand = operandOf(plan);
  const gemmFor = (dtype: GemmDType): number => {
    const g = gemmImports.get(dtype);
    if (g === undefined) throw new Error(`internal error: no gemm import for ${dtype}`);
    return g;
  };
  // Each kernel becomes the list of exported function names its step calls, a step of its own
  // (a kernel split across the worker threads), or a JS step.
  const plans: ({ exports: string[]; threaded?: DotArgs } | { step: Step } | { js: Kernel & { kind: "primitive" } })[] =
    [];
  plan.kernels.forEach((k, ki) => {
    switch (k.kind) {
      case "elementwise": {
        const spec = elementwiseSpec(k, operand, plan);
        const threaded = threadedKernel(mem, elementCost(k.body), size(k.shape), (te) => {
          emitLoopNest(te, te.m.declare(RANGED_PARAMS, [], "k"), spec, true);
          return [{ name: "k", range: loopRange(spec) }];
        });
        if (threaded) {
          plans.push({ step: threaded.run });
          return;
        }
        emitLoopNest(e, m.declare([I32], [], `k${ki}`), spec);
        plans.push({ exports: [`k${ki}`] });
        return;
      }
      case "reduce": {
        const addresses = { inputs: k.inputs.map((v) => addr(v.buffer)), output: addr(k.output) };
        const threaded = threadedKernel(mem, elementCost(k.body), size(k.shape), (te) =>
          emitReduce(te, k, addresses, "k", true),
        );
        if (threaded) plans.push({ step: threaded.run });
        else plans.push({ exports: emitReduce(e, k, addresses, `k${ki}`).map((f) => f.name) });
        return;
      }
      case "dot": {
        const exports = emitDot(e, k, ki, plan, operand, gemmFor);
        // A product large enough for the worker threads gets a JavaScript step that splits it
        // across them (falling back to the module's own GEMM function), then the epilogue.
        if (gemmMayUseThreads(mem, k.batch, k.m, k.n, k.k))
          plans.push({ exports, threaded: dotArgs(k, plan, operand) });
        else plans.push({ exports });
        return;
      }
      case "primitive":
        plans.push({ js: k });
        return;
    }
  });
  const mod = new WebAssembly.Module(m.toBytes());
  const gemm = Object.fromEntries(dotDtypes.map((d) => [d, sharedGemm(mem, d)]));
  const inst = new WebAssembly.Instance(mod, { env: { memory: mem.memory }, gemm, ...hostImports() });
  const exps = inst.exports as Record<string, (base: number) => void>;
  const steps = plans.map((p, ki): Step => {
    if ("step" in p) return p.step;
    if ("exports" in p) {
      const fns = p.exports.map((n) => exps[n]!);
      const t = p.threaded;
      if (t) {
        const [gemm, ...epilogue] = fns as [Step, ...Step[]];
        return (base) => {
          if (!runGemmThreaded(mem, t.dtype, argsAt(t, base))) gemm(base);
          for (const fn of epilogue) fn(base);
        };
      }
      if (fns.length === 1) return fns[0]!;
      return (base) => {
        for (const fn of fns) fn(base);
      };
    }
    return primitiveStep(p.js, plan, mem, runPrimitive(p.js), ki);
  });
  return { steps, writes: plan.kernels.map(kernelWrites) };
}

/** A view as a loop operand: its buffer's arena offset plus the view's. */
export const operandOf =
  (plan: KernelPlan) =>
  (v: View): Operand => {
    const dtype = dtypeOfView(plan, v);
    return { offset: plan.buffers[v.buffer]!.offset + v.offset * itemSize(dtype), strides: v.strides, dtype };
  };

/** The loop nest of an elementwise kernel: its views as operands at their arena offsets. */
export function elementwiseSpec(k: ElementwiseKernel, operand: (v: View) => Operand, plan: KernelPlan): LoopSpec {
  const strides = contiguousStrides(k.shape);
  return {
    shape: k.shape,
    reads: k.inputs.map(operand),
    body: k.body,
    writes: k.outputs.map((o) => ({
      offset: plan.buffers[o.buffer]!.offset + (o.view?.offset ?? 0) * itemSize(plan.buffers[o.buffer]!.dtype),
      strides: o.view?.strides ?? strides,
      dtype: plan.buffers[o.buffer]!.dtype,
      node: o.node,
    })),
  };
}

/** A product's gemm arguments; those at POINTER_ARGS are offsets into the frame (plus its base). */
interface DotArgs {
  readonly dtype: "float32" | "float64";
  readonly args: readonly number[];
}

/** Where A, B and C go among gemm's arguments. */
const POINTER_ARGS = new Set([4, 8, 12]);

/** The one source of a product's gemm arguments, for its wasm function and its threaded step. */
function dotArgs(k: DotKernel, plan: KernelPlan, operand: (v: View) => Operand): DotArgs {
  const [bsA, rsA, csA] = k.lhs.strides as [number, number, number];
  const [bsB, rsB, csB] = k.rhs.strides as [number, number, number];
  const { batch, m, n } = k;
  const [lhs, rhs] = [operand(k.lhs).offset, operand(k.rhs).offset];
  const out = plan.buffers[k.output]!.offset;
  return {
    dtype: k.dtype as "float32" | "float64",
    args: [batch, m, n, k.k, lhs, rsA, csA, bsA, rhs, rsB, csB, bsB, out, n, m * n, 0],
  };
}

/** A threaded product's arguments at a frame's base. */
const argsAt = (d: DotArgs, base: number): number[] => d.args.map((v, i) => (POINTER_ARGS.has(i) ? base + v : v));

/**
 * A product: the shared GEMM writes C, then the epilogue (if any) runs in place over C viewed as
 * [batch·m, n] — C is still in cache for the small products of training steps.
 */
function emitDot(
  e: Emitters,
  k: DotKernel,
  ki: number,
  plan: KernelPlan,
  operand: (v: View) => Operand,
  gemmFor: (d: "float32" | "float64") => number,
): string[] {
  const dtype = k.dtype as "float32" | "float64";
  const gemm = gemmFor(dtype);
  const out = plan.buffers[k.output]!.offset;
  const name = `k${ki}`;
  const f = e.m.declare([I32], [], name);
  e.m.define(f, (_f, c) => {
    dotArgs(k, plan, operand).args.forEach((v, i) => {
      if (POINTER_ARGS.has(i)) c.get(0).i32(v).op(OP.i32_add);
      else c.i32(v);
    });
    c.call(gemm);
  });
  const names = [name];
  if (k.epilogue) {
    const rows = k.batch * k.m;
    const flat = [rows, k.n];
    const cOperand: Operand = { offset: out, strides: contiguousStrides(flat), dtype };
    const epi = e.m.declare([I32], [], `${name}_epilogue`);
    emitLoopNest(e, epi, {
      shape: flat,
      reads: [cOperand, ...k.epilogue.inputs.slice(1).map(operand)],
      body: k.epilogue.body,
      writes: [{ ...cOperand, node: k.epilogue.body.length - 1 }],
    });
    names.push(`${name}_epilogue`);
  }
  return names;
}

/** A primitive kernel: inputs read from the frame, outputs written back into it. */
function primitiveStep(
  k: Kernel & { kind: "primitive" },
  plan: KernelPlan,
  mem: LinearMemory,
  run: (inputs: TypedArray[]) => TypedArray[],
  ki: number,
): Step {
  const ins = k.inputs.map((id) => plan.buffers[id]!);
  const outs = k.outputs.map((id) => plan.buffers[id]!);
  return (base) => {
    // Copies, not views: a nested run (a loop body) may grow memory, which detaches views.
    const inputs = ins.map((b) => mem.read(base + b.offset, b.dtype, b.size));
    const results = run(inputs);
    outs.forEach((b, i) => {
      const r = results[i];
      if (!r || r.length !== b.size)
        throw new Error(`internal error: kernel ${ki} (${k.prim}) gave ${r?.length} elements, expected ${b.size}`);
      mem.write(base + b.offset, r, b.dtype);
    });
  };
}
