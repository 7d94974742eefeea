/**
 * Compiles a Program for the WebGPU backend: the shared kernel plan (backends/plan), one WGSL
 * compute shader per fused kernel, and a run that records every kernel's dispatch into the
 * command queue and returns the output buffers at once (the GPU catches up; reads wait for it).
 * Primitive kernels (gathers, sorts, control flow, integer reductions, …) have no WGSL yet: such a
 * Program is refused when it compiles, with an error that says how to run it on a CPU backend.
 */
import type { Executable } from "../../src/core/backend.js";
import type { Program } from "../../src/core/program.js";
import { planProgram } from "../plan/build.js";
import { planToText } from "../plan/print.js";
import type { Kernel, KernelPlan, PlanBuffer } from "../plan/types.js";
import { elementwiseShader } from "./codegen/elementwise.js";
import type { WgslKernel } from "./codegen/kernel.js";
import { matmulWithEpilogue } from "./codegen/dot.js";
import { reduceShader } from "./codegen/reduce.js";
import type { GpuContext } from "./context.js";
import type { DeviceMemory, GpuArray } from "./memory.js";
import type { Pipelines } from "./pipelines.js";
import type { CommandQueue } from "./queue.js";
import { deviceBytes, toDeviceBytes } from "./transfer.js";
import { checkAllocation } from "../../src/core/dtype.js";

export interface Runtime {
  readonly ctx: GpuContext;
  readonly memory: DeviceMemory;
  readonly queue: CommandQueue;
  readonly pipelines: Pipelines;
  /** Uploads host data into a new array buffer. */
  upload(bytes: Uint8Array<ArrayBuffer>, what: string): GpuArray;
}

export interface WebGpuExecutable extends Executable<GpuArray> {
  readonly plan: KernelPlan;
  asText(): string;
  /**
   * `run`, also naming the outputs whose buffers this run allocated (not inputs, constants or
   * arrays a nested step returned): a caller that holds the only reference may release them early.
   */
  runFresh(inputs: readonly GpuArray[]): { outputs: GpuArray[]; fresh: ReadonlySet<GpuArray> };
}

/** A kernel as its run records it: a shader dispatch, or JavaScript recording sub-Programs (control flow). */
type Step =
  | { readonly kind: "shader"; readonly pipeline: GPUComputePipeline; readonly kernel: WgslKernel }
  | {
      readonly kind: "host";
      readonly run: HostRunner;
      readonly inputs: readonly number[];
      readonly outputs: readonly number[];
    };

/** Runs a primitive that holds sub-Programs on GPU arrays (see control.ts). */
export type HostRunner = (inputs: readonly GpuArray[]) => GpuArray[];

/** Why a plan's primitive kernel cannot run on WebGPU yet, and what to do. */
export function unsupportedPrimitive(k: Kernel & { kind: "primitive" }, plan: KernelPlan): Error {
  const dtypes = k.inputs.map((id) => plan.buffers[id]!.dtype).join(", ");
  return new Error(
    `webgpu backend: '${k.prim}' (on ${dtypes || "no inputs"}) has no WebGPU kernel yet; run this function on a CPU ` +
      `backend: \`const host = await deviceGet(args)\`, then \`withBackend("wasm", () => f(...devicePut(host, "wasm")))\``,
  );
}

/**
 * How a primitive kernel runs on WebGPU: a WGSL shader (codegen/primitives), a JavaScript runner
 * over sub-Programs (control.ts), or undefined (refused).
 */
export type PrimitivePlanner = (
  k: Kernel & { kind: "primitive" },
  plan: KernelPlan,
) => { readonly shader: WgslKernel } | { readonly host: HostRunner } | undefined;

export function compileForWebGpu(
  program: Program,
  consts: readonly GpuArray[],
  rt: Runtime,
  primitives: PrimitivePlanner,
): WebGpuExecutable {
  const storage = rt.ctx.limits.maxStorageBuffersPerShaderStage;
  // Room for the outputs and an epilogue's operands beside a kernel's inputs.
  const plan = planProgram(program, { maxInputs: Math.max(2, storage - 3), maxOps: 64, fuseDotEpilogue: true });
  const steps: Step[] = plan.kernels.map((k): Step => {
    let kernel: WgslKernel;
    switch (k.kind) {
      case "elementwise":
        kernel = elementwiseShader(k, plan);
        break;
      case "reduce":
        kernel = reduceShader(k, plan, { fallbackAdapter: rt.ctx.fallback });
        break;
      case "dot":
        kernel = matmulWithEpilogue(k, plan, rt.ctx.fallback);
        break;
      case "primitive": {
        const how = primitives(k, plan);
        if (!how) throw unsupportedPrimitive(k, plan);
        if ("host" in how) return { kind: "host", run: how.host, inputs: k.inputs, outputs: k.outputs };
        kernel = how.shader;
        break;
      }
    }
    if (kernel.bindings.length > storage)
      throw new Error(
        `internal error: a WebGPU kernel binds ${kernel.bindings.length} buffers, more than the device's ${storage}`,
      );
    return { kind: "shader", pipeline: rt.pipelines.get(kernel.code), kernel };
  });
  rt.ctx.check("jit");
  const nInputs = program.inVars.length;
  return {
    program,
    plan,
    asText: () => planToText(plan),
    run(inputs: readonly GpuArray[]): GpuArray[] {
      return this.runFresh(inputs).outputs;
    },
    runFresh(inputs: readonly GpuArray[]): { outputs: GpuArray[]; fresh: ReadonlySet<GpuArray> } {
      rt.ctx.check("jit");
      if (inputs.length !== nInputs)
        throw new Error(`webgpu backend: Program expects ${nInputs} inputs, got ${inputs.length}`);
      const bufs = new Map<number, GPUBuffer>();
      const temps: GPUBuffer[] = [];
      // Arrays a host step returned (already owned by the collector): their buffers are never released here.
      const owned = new Map<number, GpuArray>();
      const outputIds = new Set(plan.outputs.flatMap((o) => ("buffer" in o ? [o.buffer] : [])));
      const outputTemp = (buffer: GPUBuffer): boolean =>
        [...owned].some(([id, a]) => outputIds.has(id) && a.buffer === buffer);
      const arrayOf = (id: number): GpuArray => {
        const b = plan.buffers[id]!;
        if (b.role === "input") return inputs[b.index!]!;
        if (b.role === "const") return consts[b.index!]!;
        return owned.get(id) ?? { buffer: bufferOf(b), bytes: deviceBytes(b.size) };
      };
      const bufferOf = (b: PlanBuffer): GPUBuffer => {
        let g = bufs.get(b.id) ?? owned.get(b.id)?.buffer;
        if (g) return g;
        if (b.role === "input") g = inputs[b.index!]!.buffer;
        else if (b.role === "const") g = consts[b.index!]!.buffer;
        else {
          checkAllocation("jit", [b.size], b.dtype);
          g = rt.memory.acquire(deviceBytes(b.size), "jit");
          if (!outputIds.has(b.id)) temps.push(g);
        }
        bufs.set(b.id, g);
        return g;
      };
      try {
        for (const s of steps) {
          if (s.kind === "host") {
            const outs = s.run(s.inputs.map(arrayOf));
            s.outputs.forEach((id, i) => owned.set(id, outs[i]!));
            continue;
          }
          const entries = s.kernel.bindings.map((bd, binding) => {
            const b = plan.buffers[bd.buffer]!;
            return { binding, resource: { buffer: bufferOf(b), offset: 0, size: deviceBytes(b.size) } };
          });
          const group = rt.ctx.device.createBindGroup({ layout: s.pipeline.getBindGroupLayout(0), entries });
          rt.queue.dispatch(s.pipeline, group, s.kernel.workgroups);
        }
      } finally {
        // A host step may hand back one of its inputs — a temporary of this run — as an output of
        // the whole Program: that buffer now belongs to the result and must not be recycled.
        for (const t of temps) if (!outputTemp(t)) rt.memory.release(t);
      }
      const adoptedTemps = new Map<GPUBuffer, GpuArray>();
      const adopted = new Map<number, GpuArray>(
        [...owned].map(([id, a]) => {
          if (!outputIds.has(id) || !temps.includes(a.buffer)) return [id, a];
          let own = adoptedTemps.get(a.buffer);
          if (!own) {
            own = rt.memory.adopt(a.buffer, a.bytes);
            adoptedTemps.set(a.buffer, own);
          }
          return [id, own];
        }),
      );
      const fresh = new Set<GpuArray>();
      const outputs = plan.outputs.map((o) => {
        if (!("buffer" in o)) {
          const one = new (o.dtype === "float32" ? Float32Array : o.dtype === "int32" ? Int32Array : Uint32Array)([
            o.literal,
          ]);
          const lit = rt.upload(
            toDeviceBytes(one, o.dtype === "bool" ? "uint32" : o.dtype, "jit output"),
            "jit output",
          );
          fresh.add(lit);
          return lit;
        }
        const b = plan.buffers[o.buffer]!;
        if (b.role === "input") return inputs[b.index!]!;
        if (b.role === "const") return consts[b.index!]!;
        let a = adopted.get(b.id);
        if (!a) {
          // An output no kernel wrote (a zero-size array) still needs a buffer.
          const g = bufs.get(b.id) ?? rt.memory.acquire(deviceBytes(b.size), "jit");
          a = rt.memory.adopt(g, deviceBytes(b.size));
          adopted.set(b.id, a);
          fresh.add(a);
        }
        return a;
      });
      return { outputs, fresh };
    },
  };
}
