/**
 * float32 (f32x4) and float64 (f64x2) operations. float32 arithmetic is exact in native SIMD:
 * the reference computes in float64 and rounds, and for +, −, ×, ÷ and √ that double rounding
 * equals the single float32 rounding (53 ≥ 2·24 + 2). float32 transcendentals go through the
 * vectorized math library (ulp-bounded); float64 ones through the host, lane by lane (exact).
 */
import type { DType } from "../../../../src/core/dtype.js";
import { SIMD } from "../../encoder/opcodes.js";
import { hostUnary } from "../host.js";
import { f64Const, f64Lane, type Gen, hostLanes, powBySquaring, viaF64 } from "./gen.js";

/** The math library's float32 functions, by primitive (see backends/wasm/math). */
const MATH_UNARY = new Set([
  "exp",
  "expm1",
  "log",
  "log1p",
  "tanh",
  "logistic",
  "sin",
  "cos",
  "tan",
  "erf",
  "sinh",
  "cosh",
  "atan",
  "asin",
  "acos",
]);

type FloatOps = {
  readonly neg: number;
  readonly abs: number;
  readonly floor: number;
  readonly ceil: number;
  readonly round: number;
  readonly sqrt: number;
  readonly add: number;
  readonly sub: number;
  readonly mul: number;
  readonly div: number;
  readonly max: number;
  readonly min: number;
  readonly gt: number;
  readonly lt: number;
  readonly eq: number;
  readonly ne: number;
  readonly le: number;
  readonly ge: number;
};

const F32: FloatOps = {
  neg: SIMD.f32x4_neg,
  abs: SIMD.f32x4_abs,
  floor: SIMD.f32x4_floor,
  ceil: SIMD.f32x4_ceil,
  round: SIMD.f32x4_nearest, // round half to even, as roundHalfEven
  sqrt: SIMD.f32x4_sqrt,
  add: SIMD.f32x4_add,
  sub: SIMD.f32x4_sub,
  mul: SIMD.f32x4_mul,
  div: SIMD.f32x4_div,
  // Both propagate NaN and order −0 < +0, as Math.max/min do.
  max: SIMD.f32x4_max,
  min: SIMD.f32x4_min,
  gt: SIMD.f32x4_gt,
  lt: SIMD.f32x4_lt,
  eq: SIMD.f32x4_eq,
  ne: SIMD.f32x4_ne,
  le: SIMD.f32x4_le,
  ge: SIMD.f32x4_ge,
};

const F64: FloatOps = {
  neg: SIMD.f64x2_neg,
  abs: SIMD.f64x2_abs,
  floor: SIMD.f64x2_floor,
  ceil: SIMD.f64x2_ceil,
  round: SIMD.f64x2_nearest,
  sqrt: SIMD.f64x2_sqrt,
  add: SIMD.f64x2_add,
  sub: SIMD.f64x2_sub,
  mul: SIMD.f64x2_mul,
  div: SIMD.f64x2_div,
  max: SIMD.f64x2_max,
  min: SIMD.f64x2_min,
  gt: SIMD.f64x2_gt,
  lt: SIMD.f64x2_lt,
  eq: SIMD.f64x2_eq,
  ne: SIMD.f64x2_ne,
  le: SIMD.f64x2_le,
  ge: SIMD.f64x2_ge,
};

const opsOf = (dtype: DType): FloatOps => (dtype === "float64" ? F64 : F32);

/** Pushes a float constant splatted in `dtype`'s vector type. */
export function floatConst(g: Gen, dtype: DType, v: number): void {
  if (dtype === "float64") g.c.v128f64(v);
  else g.c.v128f32(v);
}

const SIMPLE_UNARY = ["neg", "abs", "floor", "ceil", "round", "sqrt"] as const;

/** Pushes a unary float primitive of local x; false when the primitive has no float version. */
export function floatUnary(g: Gen, prim: string, dtype: DType, x: number): boolean {
  const { c } = g;
  const ops = opsOf(dtype);
  const simple = SIMPLE_UNARY.find((p) => p === prim);
  if (simple !== undefined) {
    c.get(x).simd(ops[simple]);
    return true;
  }
  switch (prim) {
    case "sign": {
      // copysign(1, x) where x ≠ 0 and not NaN (|x| > 0), x itself otherwise (keeps ±0 and NaN).
      if (dtype === "float64") c.get(x).v128i32(0, 0x80000000, 0, 0x80000000);
      else c.get(x).v128i32(0x80000000);
      c.simd(SIMD.v128_and);
      floatConst(g, dtype, 1);
      c.simd(SIMD.v128_or).get(x).get(x).simd(ops.abs);
      floatConst(g, dtype, 0);
      c.simd(ops.gt).simd(SIMD.v128_bitselect);
      return true;
    }
    case "isfinite":
      c.get(x).simd(ops.abs);
      floatConst(g, dtype, Infinity);
      c.simd(ops.lt);
      return true;
    case "rsqrt":
      // 1/√x in float64, as the reference; float32 rounds once at the end, exactly as its store does.
      if (dtype === "float64") {
        c.v128f64(1).get(x).simd(SIMD.f64x2_sqrt).simd(SIMD.f64x2_div);
      } else {
        viaF64(g, dtype, [x], ([w]) => void c.v128f64(1).get(w!).simd(SIMD.f64x2_sqrt).simd(SIMD.f64x2_div));
      }
      return true;
  }
  if (!MATH_UNARY.has(prim)) return false;
  if (dtype === "float64") {
    const name = hostUnary(prim);
    if (name === undefined) return false;
    hostLanes(g, name, [f64Lane(g, x)]);
  } else {
    const fn = prim as Parameters<Gen["math"]["f32x4"]>[0];
    // V8 does not inline wasm calls: the hot functions go inline, the rest through a call.
    if (INLINED.has(fn)) {
      c.get(x);
      g.math.inline(fn, g.f, c);
    } else c.get(x).call(g.math.f32x4(fn));
  }
  return true;
}

/** float32 functions emitted inline (the ones fused training kernels use most). */
const INLINED = new Set<string>(["exp", "expm1", "log", "log1p", "tanh", "logistic", "erf"]);

/** Host functions computing a binary primitive on float64 lanes. */
const HOST_BINARY: Readonly<Record<string, string>> = { rem: "fmod", pow: "pow", atan2: "atan2" };

/** Pushes a binary float primitive (arithmetic or comparison) of locals a, b; false if none. */
export function floatBinary(g: Gen, prim: string, dtype: DType, a: number, b: number): boolean {
  const { c } = g;
  const ops = opsOf(dtype);
  switch (prim) {
    case "add":
    case "sub":
    case "mul":
    case "div":
    case "max":
    case "min":
    case "eq":
    case "ne":
    case "lt":
    case "le":
    case "gt":
    case "ge":
      c.get(a).get(b).simd(ops[prim]);
      return true;
  }
  const host = HOST_BINARY[prim];
  if (host === undefined) return false;
  if (dtype === "float64") hostLanes(g, host, [f64Lane(g, a), f64Lane(g, b)]);
  else if (prim === "rem") {
    // fmod is exact, and its float64 result of float32 operands is a float32.
    viaF64(g, dtype, [a, b], ([x, y]) => hostLanes(g, host, [f64Lane(g, x!), f64Lane(g, y!)]));
  } else
    c.get(a)
      .get(b)
      .call(g.math.f32x4(prim as "pow" | "atan2"));
  return true;
}

/**
 * x^y for a static integer y. y = 0, 1, 2 are exact (1, x, x·x as the reference). Otherwise
 * float64 calls the host's Math.pow (exact); float32 uses binary exponentiation in float64 (and a
 * reciprocal for y < 0), rounded once to float32: within 1 ulp of the reference's Math.pow
 * rounded to float32 (the float64 value is within ~2·log2|y| float64 ulps of x^y, so the two
 * float32 roundings can differ only next to a float32 rounding boundary).
 */
export function floatIntegerPow(g: Gen, dtype: DType, x: number, y: number): void {
  const { c } = g;
  if (y === 0) floatConst(g, dtype, 1);
  else if (y === 1) c.get(x);
  else if (y === 2) c.get(x).get(x).simd(opsOf(dtype).mul);
  else if (dtype === "float64") hostLanes(g, "pow", [f64Lane(g, x), f64Const(g, y)]);
  else
    viaF64(g, dtype, [x], ([w]) => {
      if (y < 0) c.v128f64(1);
      powBySquaring(g, w!, Math.abs(y), SIMD.f64x2_mul);
      if (y < 0) c.simd(SIMD.f64x2_div);
    });
}
