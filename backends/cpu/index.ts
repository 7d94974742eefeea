/**
 * The reference CPU backend: buffers are typed arrays, each primitive is a loop in `kernels/`.
 * It is the oracle later backends are tested against, so it favours clarity over fusion.
 */
import type { Backend, BufferInfo, Executable } from "../backend.js";
import { allocate, type TypedArray } from "../../src/core/dtype.js";
import type { PrimName, PrimParams } from "../../src/lax/params.js";
import type { Program } from "../../src/core/program.js";
import { cpuKernels } from "./kernels/index.js";
import { compileProgram } from "./interpreter.js";

export type CpuBuffer = TypedArray;

type AnyKernel = (
  inputs: readonly TypedArray[],
  inShapes: readonly (readonly number[])[],
  inDtypes: readonly string[],
  params: unknown,
  out: BufferInfo,
) => TypedArray;

/** Runs one primitive on typed arrays (shared by eager dispatch and the Program interpreter). */
export function runKernel(prim: PrimName, params: unknown, inputs: readonly TypedArray[], inInfo: readonly BufferInfo[], out: BufferInfo): TypedArray {
  const k = (cpuKernels as unknown as Record<string, AnyKernel | undefined>)[prim];
  if (!k) throw new Error(`cpu backend: no kernel for primitive '${prim}'`);
  const shapes = inInfo.map((i) => i.shape);
  const dtypes = inInfo.map((i) => i.dtype);
  return k(inputs, shapes, dtypes, params, out);
}

const compiled = new WeakMap<Program, Executable<CpuBuffer>>();

export const cpuBackend: Backend<CpuBuffer> = {
  name: "cpu",
  upload: (data: TypedArray, info: BufferInfo) => {
    const b = allocate(info.dtype, data.length);
    b.set(data);
    return b;
  },
  allocate: (info: BufferInfo) => allocate(info.dtype, info.shape.reduce((a, b) => a * b, 1)),
  download: async (buf: CpuBuffer) => buf,
  downloadSync: (buf: CpuBuffer) => buf,
  executePrimitive<P extends PrimName>(prim: P, params: PrimParams[P], inputs: readonly CpuBuffer[], inInfo: readonly BufferInfo[], out: BufferInfo): CpuBuffer {
    return runKernel(prim, params, inputs, inInfo, out);
  },
  compile(program: Program): Executable<CpuBuffer> {
    let exe = compiled.get(program);
    if (!exe) {
      exe = compileProgram(program, (p) => cpuBackend.compile(p));
      compiled.set(program, exe);
    }
    return exe;
  },
};
