/**
 * The element types the GEMM is generated for: one table of opcodes per dtype, so the generators
 * below are written once and emit either f32x4 or f64x2 code.
 */
import { F32, F64, OP, SIMD } from "../encoder/opcodes.js";

export type GemmDType = "float32" | "float64";

export interface ElemOps {
  /** Bytes per element. */
  readonly size: 4 | 8;
  /** log2(size), for turning element strides into byte strides with a shift. */
  readonly shift: 2 | 3;
  /** Elements per v128. */
  readonly lanes: 4 | 2;
  readonly valType: typeof F32 | typeof F64;
  readonly load: number;
  readonly store: number;
  readonly add: number;
  /** v128.load32_splat / v128.load64_splat: one element broadcast to every lane. */
  readonly splat: number;
  /** v128.load32_lane / v128.load64_lane. */
  readonly loadLane: number;
  /** v128.load32_zero / v128.load64_zero. */
  readonly loadZero: number;
  readonly vmul: number;
  readonly vadd: number;
  /** relaxed_madd(a, b, c) = a·b + c, fused or not at the engine's choice. */
  readonly vmadd: number;
}

export const ELEM: Record<GemmDType, ElemOps> = {
  float32: {
    size: 4,
    shift: 2,
    lanes: 4,
    valType: F32,
    load: OP.f32_load,
    store: OP.f32_store,
    add: OP.f32_add,
    splat: SIMD.v128_load32_splat,
    loadLane: SIMD.v128_load32_lane,
    loadZero: SIMD.v128_load32_zero,
    vmul: SIMD.f32x4_mul,
    vadd: SIMD.f32x4_add,
    vmadd: SIMD.f32x4_relaxed_madd,
  },
  float64: {
    size: 8,
    shift: 3,
    lanes: 2,
    valType: F64,
    load: OP.f64_load,
    store: OP.f64_store,
    add: OP.f64_add,
    splat: SIMD.v128_load64_splat,
    loadLane: SIMD.v128_load64_lane,
    loadZero: SIMD.v128_load64_zero,
    vmul: SIMD.f64x2_mul,
    vadd: SIMD.f64x2_add,
    vmadd: SIMD.f64x2_relaxed_madd,
  },
};
