/// <reference types="@webgpu/types" preserve="true" />
/**
 * The WebGPU backend: arrays live in GPU buffers; jitted Programs are planned into fused kernels
 * (the plan the WebAssembly backend runs too) and generated as WGSL; eager operations run the same
 * way, one equation at a time. Reads are asynchronous (`await x.data()`): the API records GPU work
 * and returns at once, and a read waits for the GPU. Registered by `initWebGpu`, never the default
 * by itself.
 */
import { type Backend, type BufferInfo, registerBackend } from "../../src/core/backend.js";
import { clearCaches, LruCache, WeakCache } from "../../src/core/caches.js";
import type { TypedArray } from "../../src/core/dtype.js";
import type { PrimName, PrimParams } from "../../src/core/primitives.js";
import type { Program } from "../../src/core/program.js";
import { constantBuffers } from "../../src/core/concrete.js";
import { primitiveShader } from "./codegen/primitives/index.js";
import {
  compileForWebGpu,
  type PrimitivePlanner,
  type Runtime,
  unsupportedPrimitive,
  type WebGpuExecutable,
} from "./compile.js";
import { controlRunner } from "./control.js";
import { type GpuContext, openDevice } from "./context.js";
import { DeviceMemory, type GpuArray } from "./memory.js";
import { Pipelines } from "./pipelines.js";
import { CommandQueue } from "./queue.js";
import { deviceBytes, fromDeviceBytes, toDeviceBytes } from "./transfer.js";
import { runElementwise } from "./eager.js";
import { GENERIC_PRIMS, runGeneric } from "./eager-generic.js";
import { nodeGpu } from "./node-gpu.js";
import { singleEquationProgram } from "./single-equation.js";

export type { GpuArray } from "./memory.js";

/** Options of {@link initWebGpu}. */
export interface WebGpuOptions {
  /**
   * The GPU object. Default: `navigator.gpu` in browsers; in Node, `create([])` of the optional
   * `webgpu` package (`npm install webgpu`), loaded on first use.
   */
  readonly gpu?: GPU;
  readonly powerPreference?: GPUPowerPreference;
  /** Bytes of live array buffers before allocation fails (default: six times the device's largest buffer, at most 4 GiB). */
  readonly memoryBudget?: number;
}

/** What {@link initWebGpu} found. */
export interface WebGpuInfo {
  readonly adapter: string;
  readonly fallback: boolean;
  readonly limits: { readonly maxStorageBuffersPerShaderStage: number; readonly maxStorageBufferBindingSize: number };
}

/** The open device and everything made for it (pipelines, compiled Programs): replaced together by initWebGpu. */
type DeviceRuntime = Runtime & {
  readonly gpu: GPU;
  readonly compiled: WeakCache<Program, WebGpuExecutable>;
  readonly eager: LruCache<WebGpuExecutable>;
};

let runtime: DeviceRuntime | undefined;

function makeRuntime(ctx: GpuContext, gpu: GPU, budget: number): DeviceRuntime {
  const queue = new CommandQueue(ctx);
  const memory = new DeviceMemory(ctx.device, queue, budget, ctx.limits.maxStorageBufferBindingSize);
  return {
    gpu,
    ctx,
    queue,
    memory,
    pipelines: new Pipelines(ctx),
    compiled: new WeakCache<Program, WebGpuExecutable>(),
    eager: new LruCache<WebGpuExecutable>(() => 256),
    upload(bytes, what) {
      const buffer = memory.acquire(Math.max(4, bytes.byteLength), what);
      queue.write(buffer, bytes);
      return memory.adopt(buffer, Math.max(4, bytes.byteLength));
    },
  };
}

function rt(op: string): DeviceRuntime {
  if (!runtime) throw new Error(`${op}: the WebGPU backend is not initialized; call \`await initWebGpu()\` first`);
  return runtime;
}

function compile(program: Program, consts: readonly GpuArray[]): WebGpuExecutable {
  const r = rt("jit");
  let exe = r.compiled.get(program);
  if (!exe) {
    exe = compileForWebGpu(program, consts, r, primitivesOn(r));
    r.compiled.set(program, exe);
  }
  return exe;
}

/**
 * How primitive kernels run on this device: WGSL where there is a generator, control flow as
 * sub-Programs, and otherwise the shape-generic eager shader where one covers the equation
 * (integer and bool products, say, which the plan leaves to the backend).
 */
function primitivesOn(r: DeviceRuntime): PrimitivePlanner {
  const sub = (p: Program): WebGpuExecutable => compile(p, constantBuffers(p, webgpuBackend));
  return (k, plan) => {
    const shader = primitiveShader(k, plan);
    if (shader) return { shader };
    const host = controlRunner(k, plan, r, sub);
    if (host) return { host };
    if (!GENERIC_PRIMS.has(k.prim) || k.eqn.outputs.length !== 1) return undefined;
    const info = (a: { aval: BufferInfo }): BufferInfo => ({ shape: a.aval.shape, dtype: a.aval.dtype });
    const inInfo = k.eqn.inputs.map(info);
    const out = info(k.eqn.outputs[0]!);
    const run = (ins: readonly GpuArray[]): GpuArray[] => {
      const y = runGeneric(r, k.prim, k.eqn.params, ins, inInfo, out);
      if (!y) throw unsupportedPrimitive(k, plan);
      return [y];
    };
    return { host: run };
  };
}

/** The WebGPU backend object (registered as "webgpu" by initWebGpu). */
export const webgpuBackend: Backend<GpuArray> & {
  compile(program: Program, consts: readonly GpuArray[]): WebGpuExecutable;
} = {
  name: "webgpu",
  upload(data: TypedArray, info: BufferInfo): GpuArray {
    const what = `an array of shape [${info.shape.join(", ")}] and dtype ${info.dtype}`;
    return rt("upload").upload(toDeviceBytes(data, info.dtype, what), what);
  },
  allocate(info: BufferInfo): GpuArray {
    const r = rt("allocate");
    toDeviceBytes(
      new Uint8Array(0),
      info.dtype,
      `an array of shape [${info.shape.join(", ")}] and dtype ${info.dtype}`,
    );
    const bytes = deviceBytes(info.shape.reduce((a, b) => a * b, 1));
    const buffer = r.memory.acquire(bytes, "allocate");
    r.queue.clear(buffer, bytes);
    return r.memory.adopt(buffer, bytes);
  },
  async download(buf: GpuArray, info: BufferInfo): Promise<TypedArray> {
    const r = rt("data");
    r.ctx.check("data");
    const bytes = await r.queue.readback(buf.buffer, buf.bytes);
    r.ctx.check("data");
    return fromDeviceBytes(
      bytes,
      info.dtype,
      info.shape.reduce((a, b) => a * b, 1),
    );
  },
  whenReady: async (): Promise<void> => {
    if (!runtime) return;
    const r = runtime;
    await r.queue.submitted();
    await r.ctx.device.queue.onSubmittedWorkDone();
    r.ctx.check("blockUntilReady");
  },
  executePrimitive<P extends PrimName>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly GpuArray[],
    inInfo: readonly BufferInfo[],
    out: BufferInfo,
  ): GpuArray {
    const r = rt(prim);
    r.ctx.check(prim);
    const p = params as Readonly<Record<string, unknown>>;
    // Shape-generic shaders first (no compilation per shape); the one-equation Program covers the rest.
    const fast = runElementwise(r, prim, p, inputs, inInfo, out) ?? runGeneric(r, prim, p, inputs, inInfo, out);
    if (fast) return fast;
    const { program, key } = singleEquationProgram(prim, params, inInfo, out);
    let exe = r.eager.get(key);
    if (!exe) {
      exe = compileForWebGpu(program, [], r, primitivesOn(r));
      r.eager.set(key, exe);
    }
    return exe.run(inputs)[0]!;
  },
  compile,
};

/**
 * Opens a WebGPU device and registers the "webgpu" backend (it does not become the default:
 * `setDefaultBackend("webgpu")` or `withBackend("webgpu", …)` afterwards). Calling it again
 * replaces the device (after a loss, say); arrays made on the old device cannot be used after that.
 * @example
 * await initWebGpu(); // browsers: navigator.gpu; Node: the optional `webgpu` package
 * setDefaultBackend("webgpu");
 */
export async function initWebGpu(options: WebGpuOptions = {}): Promise<WebGpuInfo> {
  const gpu = options.gpu ?? (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu ?? (await nodeGpu());
  if (!gpu)
    throw new Error(
      "initWebGpu: no GPU object: this browser has no navigator.gpu (WebGPU disabled or unsupported); " +
        "in Node, install the optional `webgpu` package (npm install webgpu) or pass initWebGpu({ gpu })",
    );
  const ctx = await openDevice(gpu, options.powerPreference ? { powerPreference: options.powerPreference } : {});
  const budget = options.memoryBudget ?? Math.min(2 ** 32, ctx.limits.maxBufferSize * 6);
  // Arrays graft caches (the scalars JS numbers become, say) may belong to an earlier device,
  // open or closed.
  clearCaches();
  runtime = makeRuntime(ctx, gpu, budget);
  registerBackend(webgpuBackend);
  return {
    adapter: [ctx.adapterInfo.vendor, ctx.adapterInfo.architecture, ctx.adapterInfo.description]
      .filter((s) => s)
      .join(" / "),
    fallback: ctx.fallback,
    limits: {
      maxStorageBuffersPerShaderStage: ctx.limits.maxStorageBuffersPerShaderStage,
      maxStorageBufferBindingSize: ctx.limits.maxStorageBufferBindingSize,
    },
  };
}

/** Releases the device (tests and scripts that must exit); the backend needs initWebGpu again. */
export function closeWebGpu(): void {
  if (!runtime) return;
  runtime.queue.submit();
  runtime.queue.close(
    new Error("the WebGPU device was closed (closeWebGpu) before this read; call initWebGpu() again"),
  );
  runtime.ctx.device.destroy();
  runtime = undefined;
  clearCaches();
}

/**
 * Counters of the WebGPU backend (for tests and benchmarks): dispatches, pipelines compiled, live
 * arrays and bytes, and `holds` (whileLoop predicates read back, one per evaluation).
 */
export function webGpuStats(): {
  dispatches: number;
  pipelines: number;
  liveArrays: number;
  liveBytes: number;
  holds: number;
} {
  if (!runtime) return { dispatches: 0, pipelines: 0, liveArrays: 0, liveBytes: 0, holds: 0 };
  return {
    holds: runtime.queue.holds,
    dispatches: runtime.queue.dispatches,
    pipelines: runtime.pipelines.created,
    liveArrays: runtime.memory.liveArrays,
    liveBytes: runtime.memory.liveBytes,
  };
}
