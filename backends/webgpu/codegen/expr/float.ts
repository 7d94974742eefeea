/**
 * float32 operations with the reference's semantics (backends/cpu/kernels/elementwise.ts):
 * + − × ÷ √ are the device's (correctly rounded on IEEE-conforming devices, as the reference's
 * float64-then-round is for these); signs, NaN tests, min, max and comparisons work on the bits,
 * because WGSL implementations may assume NaN and ∞ absent (helpers.ts). min/max follow
 * Math.min/max: NaN if either operand is, −0 < +0. sign keeps ±0 and NaN. floor, ceil and round
 * (half to even, as roundHalfEven) keep the operand's sign on zero results. rem is the exact fmod;
 * the transcendental functions come from math/.
 */
import { COPYSIGN, helper, type HelperSet, INF_NAN, IS_NAN, NAN } from "./helpers.js";
import { FMOD, MATH_BINARY, MATH_UNARY } from "./math/index.js";

const SIGN = helper(
  "gx_sign",
  `
fn gx_sign(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  let a = b & 0x7fffffffu;
  if (a == 0u || a > 0x7f800000u) { return x; }
  return bitcast<f32>((b & 0x80000000u) | 0x3f800000u);
}`,
);

/** Neither operand is NaN. */
const ORDERED = helper(
  "gx_ordered",
  `
fn gx_ordered(a: f32, b: f32) -> bool { return !(gx_isnan(a) || gx_isnan(b)); }`,
  [IS_NAN],
);

const MAX = helper(
  "gx_max",
  `
fn gx_max(a: f32, b: f32) -> f32 {
  if (!gx_ordered(a, b)) { return ${NAN}; }
  // Equal: the same bits, or ±0, where +0 (the sign bits' and) is the max.
  if (a == b) { return bitcast<f32>(bitcast<u32>(a) & bitcast<u32>(b)); }
  return select(b, a, a > b);
}`,
  [ORDERED, INF_NAN],
);

const MIN = helper(
  "gx_min",
  `
fn gx_min(a: f32, b: f32) -> f32 {
  if (!gx_ordered(a, b)) { return ${NAN}; }
  if (a == b) { return bitcast<f32>(bitcast<u32>(a) | bitcast<u32>(b)); }
  return select(b, a, a < b);
}`,
  [ORDERED, INF_NAN],
);

/** An f32 expression of a unary primitive of `x`, or undefined when there is none for float32. */
export function floatUnary(h: HelperSet, z: string, prim: string, x: string): string | undefined {
  switch (prim) {
    case "neg":
      return `bitcast<f32>(bitcast<u32>(${x}) ^ 0x80000000u)`;
    case "abs":
      return `bitcast<f32>(bitcast<u32>(${x}) & 0x7fffffffu)`;
    case "sign":
      return h.call(SIGN, x);
    case "floor":
    case "ceil":
    case "round":
      return h.call(COPYSIGN, `${prim}(${x})`, x);
    case "sqrt":
      return `sqrt(${x})`;
    case "rsqrt":
      return `1.0 / sqrt(${x})`;
    case "isfinite":
      return `select(0u, 1u, (bitcast<u32>(${x}) & 0x7fffffffu) < 0x7f800000u)`;
  }
  const f = MATH_UNARY[prim];
  return f === undefined ? undefined : h.call(f, x, z);
}

const COMPARE: Readonly<Record<string, string>> = { eq: "==", lt: "<", le: "<=", gt: ">", ge: ">=" };

/** An expression of a binary or comparison primitive (comparisons give u32 0/1), or undefined. */
export function floatBinary(h: HelperSet, z: string, prim: string, a: string, b: string): string | undefined {
  switch (prim) {
    case "add":
      return `${a} + ${b}`;
    case "sub":
      return `${a} - ${b}`;
    case "mul":
      return `${a} * ${b}`;
    case "div":
      return `${a} / ${b}`;
    case "rem":
      return h.call(FMOD, a, b);
    case "max":
      return h.call(MAX, a, b);
    case "min":
      return h.call(MIN, a, b);
    case "ne":
      // NaN is unequal to everything, itself included.
      return `select(1u, 0u, ${h.call(ORDERED, a, b)} & (${a} == ${b}))`;
  }
  const op = COMPARE[prim];
  if (op !== undefined) return `select(0u, 1u, ${h.call(ORDERED, a, b)} & (${a} ${op} ${b}))`;
  const f = MATH_BINARY[prim];
  return f === undefined ? undefined : h.call(f, a, b, z);
}
