/**
 * One compiled GEMM per (linear memory, dtype), shared by every compiled Program (which imports it)
 * and by eager products: the GEMM is the largest generated code, and compiling it once keeps
 * `jit`'s first call fast.
 */
import { ModuleBuilder } from "../encoder/module.js";
import { I32, type ValType } from "../encoder/opcodes.js";
import { addGemm, relaxedSimdAvailable } from "../gemm/index.js";
import type { LinearMemory } from "./memory.js";

export type GemmDType = "float32" | "float64";
export type GemmFn = (...args: number[]) => void;

/** gemm(batch, M, N, K, A, rsA, csA, bsA, B, rsB, csB, bsB, C, ldc, bsC, ws): 16 i32 parameters. */
export const GEMM_PARAMS: readonly ValType[] = new Array<ValType>(16).fill(I32);

const instances = new WeakMap<LinearMemory, Map<GemmDType, GemmFn>>();

/** The shared GEMM export for `dtype` over `mem` (compiled on first use). */
export function sharedGemm(mem: LinearMemory, dtype: GemmDType): GemmFn {
  let byDtype = instances.get(mem);
  if (!byDtype) instances.set(mem, (byDtype = new Map()));
  let g = byDtype.get(dtype);
  if (!g) {
    const m = new ModuleBuilder().importMemory(mem.importDescriptor);
    addGemm(m, { dtype, relaxedSimd: relaxedSimdAvailable(), exportName: "gemm" });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(m.toBytes()), { env: { memory: mem.memory } });
    g = inst.exports.gemm as GemmFn;
    byDtype.set(dtype, g);
  }
  return g;
}
