/** The signature every CPU kernel has: typed arrays in, a fresh typed array out (inputs are never written). */
import type { DType, TypedArray } from "../../../src/core/dtype.js";
import type { Shape } from "../../../src/core/shape.js";
import type { KernelPrim, PrimName, PrimParams } from "../../../src/core/primitives.js";
import type { Operands } from "../../../src/core/operands.js";

export interface KernelOut {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Inputs come one per operand, as tuples for fixed-arity primitives: every equation a kernel runs
 * passed the rule registry's operand-count check when it was bound.
 */
export type Kernel<P extends PrimName> = (
  inputs: Operands<P, TypedArray>,
  inShapes: Operands<P, Shape>,
  inDtypes: Operands<P, DType>,
  params: PrimParams[P],
  out: KernelOut,
) => TypedArray;

/** One kernel per primitive that holds no sub-program (those run through the interpreter: see control.ts). */
export type KernelTable = { [P in KernelPrim]: Kernel<P> };
