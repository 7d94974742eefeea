/**
 * int32 and uint32 operations on i32x4, with the reference's semantics: wrapping arithmetic,
 * signed or unsigned order by dtype, division and remainder by zero give 0 (never trapping),
 * shifts by counts outside [0, 32) give 0. Float primitives on integers (exp, sqrt, atan2, …)
 * compute in float64 as the reference does and wrap the result with ToInt32, as its store does.
 */
import type { DType } from "../../../../src/core/dtype.js";
import { OP, SIMD } from "../../encoder/opcodes.js";
import { hostUnary } from "../host.js";
import { f64Lane, type Gen, hostLanes, powBySquaring, viaF64 } from "./gen.js";

type Order = Readonly<Record<"max" | "min" | "lt" | "le" | "gt" | "ge", number>>;

const SIGNED_ORDER: Order = {
  max: SIMD.i32x4_max_s,
  min: SIMD.i32x4_min_s,
  lt: SIMD.i32x4_lt_s,
  le: SIMD.i32x4_le_s,
  gt: SIMD.i32x4_gt_s,
  ge: SIMD.i32x4_ge_s,
};
const UNSIGNED_ORDER: Order = {
  max: SIMD.i32x4_max_u,
  min: SIMD.i32x4_min_u,
  lt: SIMD.i32x4_lt_u,
  le: SIMD.i32x4_le_u,
  gt: SIMD.i32x4_gt_u,
  ge: SIMD.i32x4_ge_u,
};

const PLAIN: Readonly<Record<string, number>> = {
  add: SIMD.i32x4_add,
  sub: SIMD.i32x4_sub,
  mul: SIMD.i32x4_mul, // the low 32 bits, as Math.imul
  and: SIMD.v128_and,
  or: SIMD.v128_or,
  xor: SIMD.v128_xor,
  eq: SIMD.i32x4_eq,
  ne: SIMD.i32x4_ne,
};

/** Pushes a float64 unary primitive of f64x2 local w (for integer operands routed through float64). */
function f64Unary(g: Gen, prim: string, w: number): boolean {
  const { c } = g;
  if (prim === "sqrt") c.get(w).simd(SIMD.f64x2_sqrt);
  else if (prim === "rsqrt") c.v128f64(1).get(w).simd(SIMD.f64x2_sqrt).simd(SIMD.f64x2_div);
  else {
    const name = hostUnary(prim);
    if (name === undefined) return false;
    hostLanes(g, name, [f64Lane(g, w)]);
  }
  return true;
}

/** Pushes a unary integer primitive of local x; false when the reference has none. */
export function intUnary(g: Gen, prim: string, dtype: DType, x: number): boolean {
  const { c } = g;
  const signed = dtype === "int32";
  switch (prim) {
    case "neg":
      c.get(x).simd(SIMD.i32x4_neg);
      return true;
    case "abs":
      // |−2^31| wraps to −2^31 (i32x4.abs does the same); uint32 values are their own magnitude.
      c.get(x);
      if (signed) c.simd(SIMD.i32x4_abs);
      return true;
    case "sign":
      if (signed) c.get(x).v128i32(1).simd(SIMD.i32x4_min_s).v128i32(-1).simd(SIMD.i32x4_max_s);
      else c.get(x).v128i32(1).simd(SIMD.i32x4_min_u);
      return true;
    case "floor":
    case "ceil":
    case "round":
      c.get(x); // the identity on integers
      return true;
    case "not":
      c.get(x).simd(SIMD.v128_not);
      return true;
    case "isfinite":
      c.v128i32(-1);
      return true;
  }
  if (prim !== "sqrt" && prim !== "rsqrt" && hostUnary(prim) === undefined) return false;
  viaF64(g, dtype, [x], ([w]) => void f64Unary(g, prim, w!));
  return true;
}

/**
 * Pushes a per-lane variable shift: (b >>> 0) < 32 ? a OP b : 0. SIMD shifts take one count for
 * all lanes, so each lane is shifted by scalar code (once for splats).
 */
function shiftLanes(g: Gen, op: number, a: number, b: number): void {
  const { c } = g;
  const lane = (i: number): void => {
    c.get(a).lane(SIMD.i32x4_extract_lane, i).get(b).lane(SIMD.i32x4_extract_lane, i).op(op);
    c.i32(0).get(b).lane(SIMD.i32x4_extract_lane, i).i32(32).op(OP.i32_lt_u).op(OP.select);
  };
  if (g.splat) {
    lane(0);
    c.simd(SIMD.i32x4_splat);
    return;
  }
  c.get(a);
  for (let i = 0; i < 4; i++) {
    lane(i);
    c.lane(SIMD.i32x4_replace_lane, i);
  }
}

/** Quotient truncated toward zero, by zero 0, −2^31 / −1 wrapping to −2^31: float64 division then ToInt32. */
function divide(g: Gen, dtype: DType, a: number, b: number): void {
  viaF64(g, dtype, [a, b], ([x, y]) => void g.c.get(x!).get(y!).simd(SIMD.f64x2_div));
}

/**
 * Pushes a binary integer primitive (arithmetic, bitwise or comparison) of locals a, b; false if
 * the reference has none. `countLiteral` is the shift count when b is a literal (one SIMD shift).
 */
export function intBinary(g: Gen, prim: string, dtype: DType, a: number, b: number, countLiteral?: number): boolean {
  const { c } = g;
  const order = dtype === "int32" ? SIGNED_ORDER : UNSIGNED_ORDER;
  const plain = PLAIN[prim];
  if (plain !== undefined) {
    c.get(a).get(b).simd(plain);
    return true;
  }
  switch (prim) {
    case "max":
    case "min":
    case "lt":
    case "le":
    case "gt":
    case "ge":
      c.get(a).get(b).simd(order[prim]);
      return true;
    case "div":
      divide(g, dtype, a, b);
      return true;
    case "rem": {
      // a − trunc(a/b)·b in wrapping arithmetic is exact (also for −2^31 rem −1 = 0); by zero 0.
      divide(g, dtype, a, b);
      const q = g.save();
      c.get(a).get(q).get(b).simd(SIMD.i32x4_mul).simd(SIMD.i32x4_sub);
      c.get(b).v128i32(0).simd(SIMD.i32x4_eq).simd(SIMD.v128_andnot);
      return true;
    }
    case "pow":
    case "atan2": {
      // The reference's intPow / Math.atan2 on the exact operand values; ToInt32 is its store.
      const name = prim === "pow" ? "ipow" : "atan2";
      viaF64(g, dtype, [a, b], ([x, y]) => hostLanes(g, name, [f64Lane(g, x!), f64Lane(g, y!)]));
      return true;
    }
    case "shift_left":
    case "shift_right_logical": {
      const simd = prim === "shift_left" ? SIMD.i32x4_shl : SIMD.i32x4_shr_u;
      if (countLiteral === undefined) shiftLanes(g, prim === "shift_left" ? OP.i32_shl : OP.i32_shr_u, a, b);
      else if (countLiteral >>> 0 >= 32) c.v128i32(0);
      else c.get(a).i32(countLiteral).simd(simd);
      return true;
    }
  }
  return false;
}

/**
 * x^y for a static integer y, as the reference's intPow: wrapping repeated squaring for y ≥ 0;
 * for y < 0, 1 for x = 1, ±1 for int32 x = −1 (by the parity of y), 0 otherwise.
 */
export function intIntegerPow(g: Gen, dtype: DType, x: number, y: number): void {
  const { c } = g;
  if (y === 0) return void c.v128i32(1);
  if (y > 0) {
    powBySquaring(g, x, y, SIMD.i32x4_mul);
    return;
  }
  if (dtype === "uint32") return void c.get(x).v128i32(1).simd(SIMD.i32x4_eq).v128i32(1).simd(SIMD.v128_and);
  // Mask of x ∈ {1, −1}: odd y keeps x there, even y gives 1.
  if (y % 2 !== 0) c.get(x);
  else c.v128i32(1);
  c.get(x).v128i32(1).simd(SIMD.i32x4_eq).get(x).v128i32(-1).simd(SIMD.i32x4_eq).simd(SIMD.v128_or);
  c.simd(SIMD.v128_and);
}
