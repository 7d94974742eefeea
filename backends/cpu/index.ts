/**
 * The reference CPU backend: buffers are typed arrays, each primitive is a loop in `kernels/`.
 * It is the oracle later backends are tested against, so it favours clarity over fusion.
 */
import type { Backend, BufferInfo, Executable } from "../../src/core/backend.js";
import { allocate, type TypedArray } from "../../src/core/dtype.js";
import type { PrimName, PrimParams } from "../../src/core/primitives.js";
import type { Program } from "../../src/core/program.js";
import { WeakCache } from "../../src/core/caches.js";
import { cpuKernels } from "./kernels/index.js";
import { compileProgram, kernelFor, type CpuBuffer } from "./interpreter.js";

export type { CpuBuffer } from "./interpreter.js";

/** Runs one primitive on typed arrays (eager dispatch). */
export function runKernel(
  prim: PrimName,
  params: unknown,
  inputs: readonly TypedArray[],
  inInfo: readonly BufferInfo[],
  out: BufferInfo,
): TypedArray {
  const n = inInfo.length;
  const shapes = new Array<readonly number[]>(n);
  const dtypes = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    shapes[i] = inInfo[i]!.shape;
    dtypes[i] = inInfo[i]!.dtype;
  }
  return kernelFor(prim)(inputs, shapes, dtypes, params, out);
}

// Per Program, held weakly (an executable lives as long as its Program); emptied by clearCaches().
const compiled = new WeakCache<Program, Executable<CpuBuffer>>();

/**
 * Buffer handling for backends whose buffers are host typed arrays (this one and the wasm
 * backend, whose linear memory is only scratch): arrays own their data and are garbage-collected.
 */
export const hostArrayBuffers = {
  upload: (data: TypedArray, info: BufferInfo): TypedArray => {
    const b = allocate(info.dtype, data.length);
    b.set(data);
    return b;
  },
  adopt: (data: TypedArray): TypedArray => data,
  allocate: (info: BufferInfo): TypedArray =>
    allocate(
      info.dtype,
      info.shape.reduce((a, b) => a * b, 1),
    ),
  download: async (buf: TypedArray): Promise<TypedArray> => buf,
  downloadSync: (buf: TypedArray): TypedArray => buf,
} satisfies Partial<Backend<TypedArray>>;

export const cpuBackend: Backend<CpuBuffer> = {
  name: "cpu",
  ...hostArrayBuffers,
  executePrimitive<P extends PrimName>(
    prim: P,
    params: PrimParams[P],
    inputs: readonly CpuBuffer[],
    inInfo: readonly BufferInfo[],
    out: BufferInfo,
  ): CpuBuffer {
    return runKernel(prim, params, inputs, inInfo, out);
  },
  compile(program: Program, consts: readonly CpuBuffer[]): Executable<CpuBuffer> {
    let exe = compiled.get(program);
    if (!exe) {
      exe = compileProgram(program, consts, cpuBackend);
      compiled.set(program, exe);
    }
    return exe;
  },
};

export { cpuKernels };
