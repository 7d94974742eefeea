/**
 * The WebAssembly backend: Programs are planned into fused kernels (backends/plan), emitted as
 * SIMD128 WebAssembly and run over a linear memory that is scratch space (host typed arrays own
 * the data, as on the reference backend, so arrays need no manual memory management). Eager
 * operations on large arrays run shape-generic kernels; small ones and primitives without a
 * generated kernel run the reference kernels.
 */
import type { Backend, BufferInfo, Executable } from "../../src/core/backend.js";
import { WeakCache } from "../../src/core/caches.js";
import type { TypedArray } from "../../src/core/dtype.js";
import { holdsPrograms, type Program } from "../../src/core/program.js";
import type { PrimName, PrimParams } from "../../src/core/primitives.js";
import { cpuBackend, hostArrayBuffers, runKernel } from "../cpu/index.js";
import { subProgramRunner } from "../cpu/control.js";
import { compileProgram } from "../cpu/interpreter.js";
import { planProgram } from "../plan/build.js";
import { planToText } from "../plan/print.js";
import type { KernelPlan } from "../plan/types.js";
import { compilePlan, type PrimitiveRunner } from "./runtime/compile.js";
import { EagerKernels } from "./runtime/eager.js";
import { makeExecutable } from "./runtime/executable.js";
import { LinearMemory } from "./runtime/memory.js";
import { requestThreads, threadCount, workspaceStride } from "./threads/index.js";

/** A compiled Program on this backend, with its kernel plan for `asText()`. */
export interface WasmExecutable extends Executable<TypedArray> {
  readonly plan?: KernelPlan;
  asText(): string;
}

let memory: LinearMemory | undefined;
/**
 * The backend's linear memory, created on first use: one GEMM workspace per thread at its bottom,
 * and shared (a SharedArrayBuffer the worker threads also see) when there is more than one thread.
 */
export function wasmMemory(): LinearMemory {
  const threads = wasmThreads();
  memory ??= new LinearMemory(threads * workspaceStride(), threads > 1);
  return memory;
}

/**
 * Threads the wasm backend uses for large matrix products and large fused kernels, the calling
 * thread included: setWasmThreads's or GRAFT_THREADS's count if given, else the machine's
 * available parallelism (navigator.hardwareConcurrency in browsers); 1 where threads are
 * unavailable (a browser page's main thread, pages that are not cross-origin isolated, Node
 * without worker_threads). Read once, when the backend first runs. Results do not depend on it:
 * every kernel computes the same bits on any number of threads.
 * @example wasmThreads() // 2 on a two-core machine; 1 with GRAFT_THREADS=1
 */
export function wasmThreads(): number {
  return threadCount();
}

/**
 * Sets the wasm backend's thread count (the calling thread included) before its first operation;
 * the way to choose it in browsers, which have no GRAFT_THREADS, and it overrides GRAFT_THREADS.
 * Throws a RangeError for anything but an integer ≥ 1, and an Error once the count has been read
 * (by the first operation or wasmThreads()) and differs.
 * @example setWasmThreads(1) // one thread: no workers, no shared memory
 */
export function setWasmThreads(n: number): void {
  requestThreads(n);
}

let eager: EagerKernels | undefined;
const compiled = new WeakCache<Program, WasmExecutable>();
let warnedSyncCompile = false;

const runPrimitive: PrimitiveRunner = (k) => {
  const e = k.eqn;
  if (holdsPrograms(e.params)) return subProgramRunner(k.prim, e.params, wasmBackend);
  const inInfo = e.inputs.map((a) => a.aval);
  const out = e.outputs[0]!.aval;
  return (inputs) => [runKernel(k.prim, e.params, inputs, inInfo, out)];
};

/**
 * Browsers refuse synchronous compilation of modules over 4 KiB on the main thread (graft's API is
 * synchronous): such work runs on the reference kernels there, with one warning.
 */
function refusedSyncCompile(e: unknown): boolean {
  if (!(e instanceof RangeError) || !/main thread|disallowed/i.test(e.message)) return false;
  if (!warnedSyncCompile) {
    warnedSyncCompile = true;
    globalThis.console?.warn?.(
      "graft: this browser does not compile WebAssembly synchronously on the main thread; jitted functions and large eager operations run on the reference kernels here. Run graft in a Web Worker for the wasm backend's speed.",
    );
  }
  return true;
}

/** Eager kernels, until the engine refuses to compile them (see refusedSyncCompile). */
let eagerAllowed = true;

function compileWasm(program: Program, consts: readonly TypedArray[]): WasmExecutable {
  const plan = planProgram(program);
  let steps: ReturnType<typeof compilePlan>;
  try {
    steps = compilePlan(plan, wasmMemory(), runPrimitive);
  } catch (e) {
    if (!refusedSyncCompile(e)) throw e;
    const exe = compileProgram(program, consts, cpuBackend);
    return {
      ...exe,
      asText: () => `(reference interpreter: ${e instanceof Error ? e.message : String(e)})\n${program}`,
    };
  }
  const exe = makeExecutable(program, plan, steps, consts, wasmMemory(), () => cpuBackend);
  return { ...exe, plan, asText: () => planToText(plan) };
}

export const wasmBackend: Backend<TypedArray> & {
  compile(program: Program, consts: readonly TypedArray[]): WasmExecutable;
} = {
  name: "wasm",
  ...hostArrayBuffers,
  executePrimitive<P extends PrimName>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly TypedArray[],
    inInfo: readonly BufferInfo[],
    out: BufferInfo,
  ): TypedArray {
    eager ??= new EagerKernels(wasmMemory());
    if (eagerAllowed && eager.handles(prim, out)) {
      try {
        const r =
          prim === "dot_general"
            ? eager.runDot(params as PrimParams["dot_general"], inputs, inInfo, out)
            : eager.runElementwise(prim, params as Record<string, unknown>, inputs, inInfo, out);
        if (r) return r;
      } catch (e) {
        if (!refusedSyncCompile(e)) throw e;
        eagerAllowed = false;
      }
    }
    return runKernel(prim, params, inputs, inInfo, out);
  },
  compile(program: Program, consts: readonly TypedArray[]): WasmExecutable {
    let exe = compiled.get(program);
    if (!exe) {
      exe = compileWasm(program, consts);
      compiled.set(program, exe);
    }
    return exe;
  },
};

/**
 * True when this JavaScript engine may compile WebAssembly (a Content-Security-Policy without
 * 'wasm-unsafe-eval', or a vm context with `codeGeneration: { wasm: false }`, forbids it).
 */
export function wasmCompilationAllowed(): boolean {
  try {
    if (typeof WebAssembly !== "object") return false;
    // The smallest module with a SIMD function: also rules out engines without SIMD128.
    const bytes = new Uint8Array([
      0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 22, 1, 20, 0, 253, 12, 0, 0, 0, 0, 0, 0, 0,
      0, 0, 0, 0, 0, 0, 0, 0, 0, 11,
    ]);
    new WebAssembly.Module(bytes);
    return true;
  } catch {
    return false;
  }
}
