/**
 * int32 and uint32 operations with the reference's semantics: wrapping arithmetic (WGSL's integer
 * + − × wrap, negation is written as 0 − x in u32 so INT_MIN negates to itself), division and
 * remainder by zero give 0, INT_MIN / −1 wraps to INT_MIN, shifts by amounts outside [0, 32) give
 * 0 (WGSL would use the amount's low 5 bits), shift_right_logical shifts zeros in for int32 too,
 * pow is the reference's intPow (wrapping repeated squaring; a negative exponent gives 0 except
 * for bases 1 and −1). Float primitives on integers (exp, sqrt, atan2, …) are not here: the
 * reference computes them in float64, which WGSL lacks.
 */
import type { DType } from "../../../../src/core/dtype.js";
import { helper, type HelperSet } from "./helpers.js";

const DIV_I32 = helper(
  "gx_div_i32",
  `
fn gx_div_i32(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  if (b == -1i) { return bitcast<i32>(0u - bitcast<u32>(a)); }
  return a / b;
}`,
);

const REM_I32 = helper(
  "gx_rem_i32",
  `
fn gx_rem_i32(a: i32, b: i32) -> i32 {
  if (b == 0i || b == -1i) { return 0i; }
  return a % b;
}`,
);

const DIV_U32 = helper(
  "gx_div_u32",
  `
fn gx_div_u32(a: u32, b: u32) -> u32 { return select(a / max(b, 1u), 0u, b == 0u); }`,
);

const REM_U32 = helper(
  "gx_rem_u32",
  `
fn gx_rem_u32(a: u32, b: u32) -> u32 { return select(a % max(b, 1u), 0u, b == 0u); }`,
);

/** x^n by repeated squaring in wrapping arithmetic (n >= 0 as u32). */
const IPOW_U32 = helper(
  "gx_ipow_u32",
  `
fn gx_ipow_u32(x: u32, n: u32) -> u32 {
  var r = 1u;
  var b = x;
  var e = n;
  loop {
    if (e == 0u) { break; }
    if ((e & 1u) != 0u) { r *= b; }
    b *= b;
    e >>= 1u;
  }
  return r;
}`,
);

const IPOW_I32 = helper(
  "gx_ipow_i32",
  `
fn gx_ipow_i32(x: i32, n: i32) -> i32 {
  if (n < 0i) {
    if (x == 1i) { return 1i; }
    if (x == -1i) { return select(-1i, 1i, (n & 1i) == 0i); }
    return 0i;
  }
  return bitcast<i32>(gx_ipow_u32(bitcast<u32>(x), u32(n)));
}`,
  [IPOW_U32],
);

/** An expression of a unary primitive of int32/uint32 `x`, or undefined. */
export function intUnary(prim: string, dt: DType, x: string): string | undefined {
  const signed = dt === "int32";
  switch (prim) {
    case "neg":
      return signed ? `bitcast<i32>(0u - bitcast<u32>(${x}))` : `0u - ${x}`;
    case "abs":
      return signed ? `select(${x}, bitcast<i32>(0u - bitcast<u32>(${x})), ${x} < 0i)` : x;
    case "sign":
      return signed ? `clamp(${x}, -1i, 1i)` : `min(${x}, 1u)`;
    case "floor":
    case "ceil":
    case "round":
      return x;
    case "not":
      return `~${x}`;
    case "isfinite":
      return "1u";
  }
  return undefined;
}

const PLAIN: Readonly<Record<string, string>> = { add: "+", sub: "-", mul: "*", and: "&", or: "|", xor: "^" };
const COMPARE: Readonly<Record<string, string>> = { eq: "==", ne: "!=", lt: "<", le: "<=", gt: ">", ge: ">=" };

/** An expression of a binary or comparison primitive of int32/uint32 operands, or undefined. */
export function intBinary(h: HelperSet, prim: string, dt: DType, a: string, b: string): string | undefined {
  const signed = dt === "int32";
  const plain = PLAIN[prim];
  if (plain !== undefined) return `${a} ${plain} ${b}`;
  const cmp = COMPARE[prim];
  if (cmp !== undefined) return `select(0u, 1u, ${a} ${cmp} ${b})`;
  const count = signed ? `bitcast<u32>(${b})` : b;
  const zero = signed ? "0i" : "0u";
  switch (prim) {
    case "div":
      return h.call(signed ? DIV_I32 : DIV_U32, a, b);
    case "rem":
      return h.call(signed ? REM_I32 : REM_U32, a, b);
    case "pow":
      return h.call(signed ? IPOW_I32 : IPOW_U32, a, b);
    case "max":
    case "min":
      return `${prim}(${a}, ${b})`;
    case "shift_left":
      return `select(${a} << ${count}, ${zero}, ${count} >= 32u)`;
    case "shift_right_logical":
      return signed
        ? `select(bitcast<i32>(bitcast<u32>(${a}) >> ${count}), 0i, ${count} >= 32u)`
        : `select(${a} >> ${b}, 0u, ${b} >= 32u)`;
  }
  return undefined;
}

/**
 * x^y for a static integer y as the reference's intPow. Exponents beyond the i32 range are
 * brought into it without changing the result: powers of an odd number mod 2^32 repeat with
 * period 2^30 (and those of an even one are 0 from 32 on); negative ones matter only by parity.
 */
export function intIntegerPow(h: HelperSet, dt: DType, x: string, y: number): string {
  let n = y;
  if (n >= 2 ** 31) n = (n % 2 ** 30) + 2 ** 30;
  if (n < -(2 ** 31)) n = n % 2 === 0 ? -2 : -1;
  if (dt === "uint32") return n < 0 ? `select(0u, 1u, ${x} == 1u)` : h.call(IPOW_U32, x, `${n}u`);
  return h.call(IPOW_I32, x, `${n}i`);
}
