/**
 * WGSL for the plan's primitive kernels (one equation each, contiguous inputs), by primitive:
 * gathers and scatters, dynamic slices, cumulative sums, arg-reductions and integer reductions
 * (indexing.ts, scans.ts), argsort (sort.ts), threefry random bits (threefry.ts) and convolutions
 * (conv.ts).
 */
import type { PrimName } from "../../../../src/core/primitives.js";
import type { KernelPlan, PrimitiveKernel } from "../../../plan/types.js";
import type { WgslKernel } from "../kernel.js";
import { SHADERS as CONV } from "./conv.js";
import { SHADERS as INDEXING } from "./indexing.js";
import { SHADERS as SCANS } from "./scans.js";
import { SHADERS as SORT } from "./sort.js";
import { SHADERS as THREEFRY } from "./threefry.js";

type Generator = (k: PrimitiveKernel, plan: KernelPlan) => WgslKernel;

const GENERATORS: Partial<Record<PrimName, Generator>> = { ...INDEXING, ...SCANS, ...SORT, ...THREEFRY, ...CONV };

/** The shader for `k`, or undefined where there is no WGSL for its primitive. */
export function primitiveShader(k: PrimitiveKernel, plan: KernelPlan): WgslKernel | undefined {
  return GENERATORS[k.prim]?.(k, plan);
}
