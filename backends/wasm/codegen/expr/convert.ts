/**
 * convert, literals and iteration indices, with the reference's rules: to bool is x ≠ 0 (NaN →
 * true); float → int truncates, NaN → 0, out of range (±∞ included) saturates (the `trunc_sat`
 * instructions do exactly this); int ↔ int reinterprets modulo 2^32; to float rounds to nearest.
 */
import { allocate, type DType } from "../../../../src/core/dtype.js";
import { SIMD } from "../../encoder/opcodes.js";
import { floatConst } from "./float.js";
import { type Gen, resplat32 } from "./gen.js";

const isInt = (d: DType): boolean => d === "int32" || d === "uint32";

/** Pushes local x (of dtype `from`) converted to `to`. */
export function emitConvert(g: Gen, from: DType, to: DType, x: number): void {
  const { c } = g;
  c.get(x);
  if (from === to || (isInt(from) && isInt(to))) return;
  if (to === "bool") {
    // −0 ≠ 0 is false and NaN ≠ 0 true, as the reference's `x !== 0`.
    if (from === "float64") c.v128f64(0).simd(SIMD.f64x2_ne);
    else if (from === "float32") c.v128f32(0).simd(SIMD.f32x4_ne);
    else c.v128i32(0).simd(SIMD.i32x4_ne);
    return;
  }
  if (from === "bool") {
    // A mask selects the bits of 1 (masks are all-ones or zero at either lane width).
    if (isInt(to)) c.v128i32(1);
    else floatConst(g, to, 1);
    c.simd(SIMD.v128_and);
    return;
  }
  const key = `${from}>${to}`;
  const op = CONVERSIONS[key];
  if (op === undefined) throw new Error(`internal error: convert ${key}`);
  c.simd(op);
  // Conversions out of float64 (lanes 1 only) fill the two low 32-bit lanes: splat lane 0 again.
  if (from === "float64") resplat32(g);
}

const CONVERSIONS: Readonly<Record<string, number>> = {
  "int32>float32": SIMD.f32x4_convert_i32x4_s,
  "uint32>float32": SIMD.f32x4_convert_i32x4_u,
  "float32>int32": SIMD.i32x4_trunc_sat_f32x4_s,
  "float32>uint32": SIMD.i32x4_trunc_sat_f32x4_u,
  "int32>float64": SIMD.f64x2_convert_low_i32x4_s,
  "uint32>float64": SIMD.f64x2_convert_low_i32x4_u,
  "float32>float64": SIMD.f64x2_promote_low_f32x4,
  "float64>float32": SIMD.f32x4_demote_f64x2_zero,
  "float64>int32": SIMD.i32x4_trunc_sat_f64x2_s_zero,
  "float64>uint32": SIMD.i32x4_trunc_sat_f64x2_u_zero,
};

/**
 * Pushes a literal splatted in `dtype`: the value as the reference interpreter holds a literal,
 * stored into a one-element array of that dtype (float32 rounds, ints wrap modulo 2^32, non-finite
 * → 0), a nonzero bool byte being true.
 */
export function emitLiteral(g: Gen, value: number, dtype: DType): void {
  const a = allocate(dtype, 1);
  a[0] = value;
  const v = a[0]!;
  if (dtype === "float64") g.c.v128f64(v);
  else if (dtype === "float32") g.c.v128f32(v);
  else if (dtype === "bool") g.c.v128i32(v !== 0 ? -1 : 0);
  else g.c.v128i32(v);
}

/**
 * [i32x4 index] -> [value]: the iteration index (from ExprContext.index; with 2 lanes, lanes 0 and
 * 1 hold the two elements' indices) converted to `dtype` as `convert` would (bool: index ≠ 0,
 * where iota's kernel would store the index modulo 256 into the bool byte).
 */
export function convertIndex(g: Gen, dtype: DType): void {
  const { c } = g;
  switch (dtype) {
    case "int32":
    case "uint32":
      return;
    case "float32":
      c.simd(SIMD.f32x4_convert_i32x4_s);
      return;
    case "float64":
      c.simd(SIMD.f64x2_convert_low_i32x4_s);
      return;
    case "bool":
      c.v128i32(0).simd(SIMD.i32x4_ne);
      // Lanes 2 holds i64 masks: widen the two low i32 masks.
      if (g.lanes === 2) c.simd(SIMD.i64x2_extend_low_i32x4_s);
      return;
  }
}
