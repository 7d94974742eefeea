/** The signature every CPU kernel has: typed arrays in, a fresh typed array out (inputs are never written). */
import type { DType, TypedArray } from "../../../src/core/dtype.js";
import type { Shape } from "../../../src/core/shape.js";
import type { PrimName, PrimParams } from "../../../src/lax/params.js";

export interface KernelOut {
  readonly shape: Shape;
  readonly dtype: DType;
}

export type Kernel<P extends PrimName> = (
  inputs: readonly TypedArray[],
  inShapes: readonly Shape[],
  inDtypes: readonly DType[],
  params: PrimParams[P],
  out: KernelOut,
) => TypedArray;

/** Primitives run by the interpreter itself (they hold sub-programs), not by a kernel. */
export type HigherOrderPrim = "jit_call" | "cond" | "while" | "scan" | "custom_jvp_call" | "custom_vjp_call" | "custom_vjp_lin" | "remat_call";

export type KernelTable = { [P in Exclude<PrimName, HigherOrderPrim>]: Kernel<P> };
