/**
 * convert, literals and iteration indices with the reference's rules: to bool is x ≠ 0 (NaN →
 * true, −0 → false); float → int truncates, NaN → 0, out of range (±∞ included) saturates;
 * int32 ↔ uint32 reinterprets the bits; to float32 rounds to nearest even (built from two exact
 * 16-bit halves, since WGSL lets a device round integer conversions either way).
 */
import { allocate, type DType } from "../../../../src/core/dtype.js";
import { f32Bits, helper, type HelperSet, IS_NAN } from "./helpers.js";

const F2I = helper(
  "gx_f2i",
  `
fn gx_f2i(x: f32) -> i32 {
  if (gx_isnan(x)) { return 0i; }
  if (x >= 2147483648.0) { return 2147483647i; }
  if (x <= -2147483648.0) { return bitcast<i32>(0x80000000u); }
  return i32(x);
}`,
  [IS_NAN],
);

const F2U = helper(
  "gx_f2u",
  `
fn gx_f2u(x: f32) -> u32 {
  if (gx_isnan(x) || x <= 0.0) { return 0u; }
  if (x >= 4294967296.0) { return 0xffffffffu; }
  return u32(x);
}`,
  [IS_NAN],
);

export const U2F = helper(
  "gx_u2f",
  `
fn gx_u2f(x: u32) -> f32 { return f32(x >> 16u) * 65536.0 + f32(x & 0xffffu); }`,
);

const I2F = helper(
  "gx_i2f",
  `
fn gx_i2f(x: i32) -> f32 {
  let m = gx_u2f(select(bitcast<u32>(x), 0u - bitcast<u32>(x), x < 0i));
  return select(m, -m, x < 0i);
}`,
  [U2F],
);

/** An expression of `x` (of dtype `from`) converted to `to`. */
export function convert(h: HelperSet, from: DType, to: DType, x: string): string {
  if (from === to) return x;
  if (to === "bool") {
    if (from === "float32") return `select(0u, 1u, (bitcast<u32>(${x}) & 0x7fffffffu) != 0u)`;
    return from === "int32" ? `select(0u, 1u, ${x} != 0i)` : `select(0u, 1u, ${x} != 0u)`;
  }
  if (from === "bool" || from === "uint32") {
    if (to === "int32") return `bitcast<i32>(${x})`;
    if (to === "uint32") return x;
    return from === "bool" ? `f32(${x})` : h.call(U2F, x);
  }
  if (from === "int32") return to === "uint32" ? `bitcast<u32>(${x})` : h.call(I2F, x);
  // float32 → int32 / uint32
  return h.call(to === "int32" ? F2I : F2U, x);
}

/**
 * A literal as the reference interpreter holds it: the value stored into a one-element array of
 * the dtype (float32 rounds, ints wrap, non-finite → 0 for ints; a bool is true when that byte is
 * nonzero). Floats go through their bits xor the opaque zero `z`, so no constant folding (x·0 → 0,
 * x + 0 → x) can apply to them, and ±∞ and NaN are expressible.
 */
export function literal(value: number, dtype: DType, z: string): string {
  const a = allocate(dtype, 1);
  a[0] = value;
  const v = a[0]!;
  switch (dtype) {
    case "float32":
      return `bitcast<f32>(${f32Bits(v)} ^ ${z}) /* ${v} */`;
    case "int32":
      return v === -(2 ** 31) ? "bitcast<i32>(0x80000000u)" : `${v}i`;
    case "uint32":
      return `${v}u`;
    default:
      return v !== 0 ? "1u" : "0u";
  }
}

/** The iteration index `idx` (u32 or i32, in [0, 2^31)) as `convert` from int32 would give it. */
export function indexAs(h: HelperSet, dtype: DType, idx: string): string {
  const u = `u32(${idx})`;
  switch (dtype) {
    case "int32":
      return `i32(${idx})`;
    case "uint32":
      return u;
    case "float32":
      return h.call(U2F, u);
    default:
      return `select(0u, 1u, ${u} != 0u)`;
  }
}
