/**
 * Memory ⇄ register representation of values in generated kernels.
 *
 * Registers (one v128 per value):
 * - lanes 4: float32 → f32x4; int32/uint32 → i32x4; bool → i32x4 lane masks (0 or all ones).
 * - lanes 2: float64 → f64x2; bool → i64x2 masks.
 * - lanes 1 (kernels mixing 4- and 8-byte dtypes): every value is a splat of its natural vector
 *   type (bool: all bits 0 or all 1, a valid mask for either lane width).
 * Memory: float32/int32/uint32 4 bytes, float64 8 bytes, bool 1 byte (0 or 1), little-endian,
 * packed. Loads read a bool byte as true when it is nonzero, stores write 0 or 1.
 *
 * Alignment hints are the element's natural alignment (a kernel's vectors need not be 16-byte aligned).
 */
import type { DType } from "../../../src/core/dtype.js";
import type { Code } from "../encoder/code.js";
import type { FuncBuilder } from "../encoder/module.js";
import { I32, OP, SIMD } from "../encoder/opcodes.js";

export type Lanes = 1 | 2 | 4;

/** Byte size of one element in memory. */
export function elementBytes(dtype: DType): number {
  return dtype === "float64" ? 8 : dtype === "bool" ? 1 : 4;
}

/** log2 of the element size: the natural alignment hint. */
const alignOf = (dtype: DType): number => (dtype === "float64" ? 3 : dtype === "bool" ? 0 : 2);

/** Throws when a dtype has no register representation with `lanes` lanes. */
export function checkLanes(dtype: DType, lanes: Lanes): void {
  const ok = lanes === 1 || dtype === "bool" || (lanes === 2 ? dtype === "float64" : dtype !== "float64");
  if (!ok) throw new Error(`wasm codegen: ${dtype} values have no ${lanes}-lane representation`);
}

/** [addr:i32] -> [v128]: `lanes` consecutive elements at addr (lanes 1: one element, splatted). */
export function loadVector(c: Code, dtype: DType, lanes: Lanes): void {
  checkLanes(dtype, lanes);
  if (lanes === 1) {
    loadSplat(c, dtype, 1);
    return;
  }
  if (dtype !== "bool") {
    c.simdMem(SIMD.v128_load, 0, alignOf(dtype));
    return;
  }
  const zero = (): void => void c.v128i32(0);
  if (lanes === 4) {
    // Four bytes into the low lanes, widened to i32 lanes, then nonzero → all ones.
    c.simdMem(SIMD.v128_load32_zero, 0, 0);
    c.simd(SIMD.i16x8_extend_low_i8x16_u).simd(SIMD.i32x4_extend_low_i16x8_u);
    zero();
    c.simd(SIMD.i32x4_ne);
    return;
  }
  // Two bytes: a 16-bit scalar load (reading no byte past the pair), widened to i64 lanes.
  c.mem(OP.i32_load16_u, 0, 0).simd(SIMD.i32x4_splat);
  c.simd(SIMD.i16x8_extend_low_i8x16_u).simd(SIMD.i32x4_extend_low_i16x8_u).simd(SIMD.i64x2_extend_low_i32x4_u);
  zero();
  c.simd(SIMD.i64x2_ne);
}

/** [addr:i32] -> [v128]: one element, splatted to all lanes. */
export function loadSplat(c: Code, dtype: DType, lanes: Lanes): void {
  checkLanes(dtype, lanes);
  switch (dtype) {
    case "float64":
      c.simdMem(SIMD.v128_load64_splat, 0, 3);
      return;
    case "bool":
      // All lanes equal, so the i32 mask is also a valid i64 mask.
      c.mem(OP.i32_load8_u, 0, 0).simd(SIMD.i32x4_splat).v128i32(0).simd(SIMD.i32x4_ne);
      return;
    default:
      c.simdMem(SIMD.v128_load32_splat, 0, 2);
  }
}

/**
 * [v128, addr:i32] -> [v128]: replaces lane `lane` with the element at addr (for strided reads).
 * With lanes 1 the value is a splat, so the whole value is replaced (lane must be 0).
 */
export function loadLane(c: Code, dtype: DType, lanes: Lanes, lane: number, f: FuncBuilder): void {
  checkLanes(dtype, lanes);
  if (!Number.isInteger(lane) || lane < 0 || lane >= lanes)
    throw new RangeError(`loadLane: lane ${lane} out of range for ${lanes} lanes`);
  if (lanes === 1) {
    const addr = scratchI32(f);
    c.set(addr).op(OP.drop).get(addr);
    loadSplat(c, dtype, 1);
    return;
  }
  // A scalar load then replace_lane keeps the stack order [v128, scalar] the instruction wants.
  switch (dtype) {
    case "float32":
      c.mem(OP.f32_load, 0, 2).lane(SIMD.f32x4_replace_lane, lane);
      return;
    case "float64":
      c.mem(OP.f64_load, 0, 3).lane(SIMD.f64x2_replace_lane, lane);
      return;
    case "int32":
    case "uint32":
      c.mem(OP.i32_load, 0, 2).lane(SIMD.i32x4_replace_lane, lane);
      return;
    case "bool":
      // byte == 0 ? 0 : -1, as eqz(byte) - 1.
      if (lanes === 4) {
        c.mem(OP.i32_load8_u, 0, 0).op(OP.i32_eqz).i32(1).op(OP.i32_sub).lane(SIMD.i32x4_replace_lane, lane);
      } else {
        c.mem(OP.i32_load8_u, 0, 0).op(OP.i32_eqz).op(OP.i64_extend_i32_u).i64(1n).op(OP.i64_sub);
        c.lane(SIMD.i64x2_replace_lane, lane);
      }
      return;
  }
}

/** [addr:i32, v128] -> []: stores `lanes` consecutive elements (lanes 1: lane 0 only). */
export function storeVector(c: Code, dtype: DType, lanes: Lanes, f: FuncBuilder): void {
  checkLanes(dtype, lanes);
  if (lanes === 1) {
    storeLane0(c, dtype, f);
    return;
  }
  if (dtype !== "bool") {
    c.simdMem(SIMD.v128_store, 0, alignOf(dtype));
    return;
  }
  if (lanes === 4) {
    // Masks are 0 or -1, so signed narrowing keeps them; then -1 → 1 and store the low 4 bytes.
    c.v128i32(0).simd(SIMD.i16x8_narrow_i32x4_s).v128i32(0).simd(SIMD.i8x16_narrow_i16x8_s);
    c.v128i32(0x01010101).simd(SIMD.v128_and).simdMemLane(SIMD.v128_store32_lane, 0, 0, 0);
    return;
  }
  // Bytes 0 and 8 (one of each i64 mask) to bytes 0 and 1.
  c.v128i32(0).shuffle([0, 8, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16, 16]);
  c.v128i32(0x01010101).simd(SIMD.v128_and).simdMemLane(SIMD.v128_store16_lane, 0, 0, 0);
}

/** [addr:i32, v128] -> []: stores lane 0 only (scalar tails of a 4- or 2-lane loop). */
export function storeLane0(c: Code, dtype: DType, _f: FuncBuilder): void {
  switch (dtype) {
    case "float64":
      c.simdMemLane(SIMD.v128_store64_lane, 0, 0, 3);
      return;
    case "bool":
      // Byte 0 of lane 0 is 0x00 or 0xff for masks of either width.
      c.v128i32(1).simd(SIMD.v128_and).simdMemLane(SIMD.v128_store8_lane, 0, 0, 0);
      return;
    default:
      c.simdMemLane(SIMD.v128_store32_lane, 0, 0, 2);
  }
}

/** One i32 scratch local per function, for address shuffling (never live across helpers). */
const scratch = new WeakMap<FuncBuilder, number>();
function scratchI32(f: FuncBuilder): number {
  let l = scratch.get(f);
  if (l === undefined) scratch.set(f, (l = f.local(I32)));
  return l;
}
