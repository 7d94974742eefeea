/**
 * Elementwise kernels. Values are computed as JS numbers and rounded by the store into the output
 * typed array: Float32Array rounds to nearest, Int32Array/Uint32Array wrap modulo 2^32 (so int
 * add/sub/neg wrap for free, and a non-finite value stores as 0). Each kernel picks its loop once,
 * outside the element loop, and allocates nothing but the output, because eager dispatch on tiny
 * arrays is dominated by per-call overhead.
 */
import { allocate, isFloat, isInt, type DType, type TypedArray } from "../../../src/core/dtype.js";
import {
  BINARY_PRIMS,
  COMPARE_PRIMS,
  UNARY_PRIMS,
  type BinaryPrim,
  type ComparePrim,
  type UnaryPrim,
} from "../../../src/core/primitives.js";
import type { Kernel } from "./kernel.js";

type F1 = (x: number) => number;
type F2 = (a: number, b: number) => number;

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);
const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);

/**
 * erf to within a few ulp in float64 (checked against a reference to 1e-15 on [0, 7]).
 * |x| < 2.5: the all-positive series erf x = 2/√π e^{-x²} Σ (2x²)^n x / (2n+1)!!, which has no
 * cancellation (unlike the Taylor series). Beyond: the erfc continued fraction
 * √π e^{x²} erfc x = 1/(x + ½/(x + 1/(x + 3/2/(x + …)))), 40 terms evaluated backwards, which
 * converges fast there. erf(x) rounds to ±1 for |x| ≥ 6.
 */
export function erf(x: number): number {
  if (x !== x) return NaN;
  if (x === 0) return x; // erf(±0) = ±0, as the odd function it is.
  const ax = Math.abs(x);
  let r: number;
  if (ax < 2.5) {
    const x2 = 2 * ax * ax;
    let term = ax;
    let sum = ax;
    for (let n = 1; term > sum * 1e-17; n++) {
      term *= x2 / (2 * n + 1);
      sum += term;
    }
    r = TWO_OVER_SQRT_PI * Math.exp(-ax * ax) * sum;
  } else if (ax < 6) {
    let f = ax;
    for (let n = 40; n >= 1; n--) f = ax + n / 2 / f;
    r = 1 - (INV_SQRT_PI * Math.exp(-ax * ax)) / f;
  } else {
    r = 1;
  }
  return x < 0 ? -r : r;
}

/** Round half to even (Math.round rounds half toward +∞). */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 ? 2 * Math.round(x / 2) : r;
}

/** Keeps sign(±0) = ±0 and sign(NaN) = NaN by returning x itself in those cases. */
const sign: F1 = (x) => (x > 0 ? 1 : x < 0 ? -1 : x);

/** Never evaluates exp of a large positive number, so neither tail overflows to NaN. */
const logistic: F1 = (x) => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

/**
 * Integer power by repeated squaring in wrapping 32-bit arithmetic. A negative exponent gives 0
 * (the truncated reciprocal) except for bases 1 and -1.
 */
export function intPow(base: number, e: number): number {
  if (e < 0) return base === 1 ? 1 : base === -1 ? (e % 2 === 0 ? 1 : -1) : 0;
  let r = 1;
  let b = base | 0;
  while (e > 0) {
    if (e % 2 === 1) r = Math.imul(r, b);
    b = Math.imul(b, b);
    e = Math.floor(e / 2);
  }
  return r;
}

const identity: F1 = (x) => x;
const logicalNot: F1 = (x) => (x === 0 ? 1 : 0);
const bitwiseNot: F1 = (x) => ~x;

/** The float unary functions (the wasm backend's host imports reuse them, to stay bit-identical). */
export const FLOAT_UNARY: Readonly<Record<Exclude<UnaryPrim, "not">, F1>> = {
  neg: (x) => -x,
  abs: Math.abs,
  sign,
  floor: Math.floor,
  ceil: Math.ceil,
  round: roundHalfEven,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  rsqrt: (x) => 1 / Math.sqrt(x),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  logistic,
  erf,
  isfinite: (x) => (Number.isFinite(x) ? 1 : 0),
};

function pickUnary(op: UnaryPrim, dt: DType): F1 {
  if (op === "not") {
    if (dt === "bool") return logicalNot;
    if (isInt(dt)) return bitwiseNot;
    throw new TypeError(`not: expected a bool or integer operand, got ${dt}`);
  }
  // Rounding ops are the identity on integers; the rest (neg/abs wrap via the store) share float code.
  if (!isFloat(dt) && (op === "floor" || op === "ceil" || op === "round")) return identity;
  return FLOAT_UNARY[op];
}

function unaryKernel(op: UnaryPrim): Kernel<UnaryPrim> {
  return (inputs, _s, inDtypes, _p, out) => {
    const x = inputs[0];
    const n = x.length;
    const y = allocate(out.dtype, n);
    if (op === "neg") {
      for (let i = 0; i < n; i++) y[i] = -x[i]!;
      return y;
    }
    const f = pickUnary(op, inDtypes[0]);
    for (let i = 0; i < n; i++) y[i] = f(x[i]!);
    return y;
  };
}

const FLOAT_BINARY: Record<BinaryPrim, F2 | null> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  rem: (a, b) => a % b, // JS % on floats is C fmod.
  pow: Math.pow,
  max: Math.max, // Math.max/min propagate NaN, as XLA does.
  min: Math.min,
  atan2: Math.atan2,
  and: null,
  or: null,
  xor: null,
  shift_left: null,
  shift_right_logical: null,
};

/** Integer semantics: division/remainder by zero give 0 (XLA leaves it unspecified; we pick 0). */
const INT_BINARY: Record<BinaryPrim, F2> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: Math.imul,
  div: (a, b) => (b === 0 ? 0 : Math.trunc(a / b)),
  rem: (a, b) => (b === 0 ? 0 : a % b),
  pow: intPow,
  max: Math.max,
  min: Math.min,
  atan2: Math.atan2,
  and: (a, b) => a & b,
  or: (a, b) => a | b,
  xor: (a, b) => a ^ b,
  // JS masks the shift count to 5 bits; XLA gives 0 for counts outside [0, 32) (negative int32
  // counts read as huge unsigned ones). `>>>` shifts in zeros; the store wraps to int32/uint32.
  shift_left: (a, b) => (b >>> 0 >= 32 ? 0 : a << b),
  shift_right_logical: (a, b) => (b >>> 0 >= 32 ? 0 : a >>> b),
};

function pickBinary(op: BinaryPrim, dt: DType): F2 {
  if (dt === "bool" && (op === "shift_left" || op === "shift_right_logical"))
    throw new TypeError(`${op}: expected integer operands, got bool`);
  if (!isFloat(dt)) return INT_BINARY[op];
  const f = FLOAT_BINARY[op];
  if (f === null) throw new TypeError(`${op}: expected bool or integer operands, got ${dt}`);
  return f;
}

function binaryKernel(op: BinaryPrim): Kernel<BinaryPrim> {
  return (inputs, _s, inDtypes, _p, out) => {
    const a = inputs[0];
    const b = inputs[1];
    const n = a.length;
    if (b.length !== n) throw new Error(`${op}: operand sizes differ (${n} vs ${b.length})`);
    const o = allocate(out.dtype, n);
    const dt = inDtypes[0];
    const f = pickBinary(op, dt);
    if (out.dtype === "bool") {
      // Bool arithmetic is logical (add = or, mul = and), so collapse any nonzero result to 1.
      for (let i = 0; i < n; i++) o[i] = f(a[i]!, b[i]!) !== 0 ? 1 : 0;
      return o;
    }
    const float = isFloat(dt);
    switch (op) {
      case "add":
        for (let i = 0; i < n; i++) o[i] = a[i]! + b[i]!;
        return o;
      case "sub":
        for (let i = 0; i < n; i++) o[i] = a[i]! - b[i]!;
        return o;
      case "mul":
        if (float) for (let i = 0; i < n; i++) o[i] = a[i]! * b[i]!;
        else for (let i = 0; i < n; i++) o[i] = Math.imul(a[i]!, b[i]!);
        return o;
      case "div":
        if (float) {
          for (let i = 0; i < n; i++) o[i] = a[i]! / b[i]!;
          return o;
        }
        break;
      default:
        break;
    }
    for (let i = 0; i < n; i++) o[i] = f(a[i]!, b[i]!);
    return o;
  };
}

/** NaN compares unequal to everything (so `ne` is true), as in IEEE and NumPy. */
function compareKernel(op: ComparePrim): Kernel<ComparePrim> {
  return (inputs, _s, _d, _p, out) => {
    const a = inputs[0];
    const b = inputs[1];
    const n = a.length;
    if (b.length !== n) throw new Error(`${op}: operand sizes differ (${n} vs ${b.length})`);
    const o = allocate(out.dtype, n);
    switch (op) {
      case "eq":
        for (let i = 0; i < n; i++) o[i] = a[i] === b[i] ? 1 : 0;
        break;
      case "ne":
        for (let i = 0; i < n; i++) o[i] = a[i] !== b[i] ? 1 : 0;
        break;
      case "lt":
        for (let i = 0; i < n; i++) o[i] = a[i]! < b[i]! ? 1 : 0;
        break;
      case "le":
        for (let i = 0; i < n; i++) o[i] = a[i]! <= b[i]! ? 1 : 0;
        break;
      case "gt":
        for (let i = 0; i < n; i++) o[i] = a[i]! > b[i]! ? 1 : 0;
        break;
      case "ge":
        for (let i = 0; i < n; i++) o[i] = a[i]! >= b[i]! ? 1 : 0;
        break;
    }
    return o;
  };
}

function table<K extends string, V>(keys: readonly K[], make: (k: K) => V): Record<K, V> {
  const t = {} as Record<K, V>;
  for (const k of keys) t[k] = make(k);
  return t;
}

export const unaryKernels = table(UNARY_PRIMS, unaryKernel);
export const binaryKernels = table(BINARY_PRIMS, binaryKernel);
export const compareKernels = table(COMPARE_PRIMS, compareKernel);

/** Floats use Math.pow (exact for small n, and correctly signed for negative bases). */
export const integerPow: Kernel<"integer_pow"> = (inputs, _s, inDtypes, { y }, out) => {
  const x = inputs[0];
  const n = x.length;
  const o = allocate(out.dtype, n);
  if (isFloat(inDtypes[0])) {
    if (y === 2) for (let i = 0; i < n; i++) o[i] = x[i]! * x[i]!;
    else for (let i = 0; i < n; i++) o[i] = x[i]! ** y;
  } else {
    for (let i = 0; i < n; i++) o[i] = intPow(x[i]!, y);
  }
  return o;
};

export const select: Kernel<"select"> = (inputs, _s, _d, _p, out) => {
  const p = inputs[0];
  const t = inputs[1];
  const f = inputs[2];
  const n = p.length;
  const o = allocate(out.dtype, n);
  for (let i = 0; i < n; i++) o[i] = p[i] !== 0 ? t[i]! : f[i]!;
  return o;
};

const INT_RANGE: Record<"int32" | "uint32", [number, number]> = {
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
};

/**
 * To bool: nonzero, so NaN → true (NumPy). Float → int: truncates toward zero, NaN → 0, and values
 * out of range (±Infinity included) saturate to the type's bounds. Int ↔ int reinterprets modulo
 * 2^32 (int32 -1 → uint32 4294967295), and anything → float rounds to nearest.
 */
export const convert: Kernel<"convert"> = (inputs, _s, inDtypes, _p, out) => {
  const x = inputs[0];
  const from = inDtypes[0];
  const to = out.dtype;
  if (from === to) return x.slice();
  const n = x.length;
  const y = allocate(to, n);
  if (to === "bool") {
    for (let i = 0; i < n; i++) y[i] = x[i] !== 0 ? 1 : 0;
  } else if (isFloat(from) && (to === "int32" || to === "uint32")) {
    const [lo, hi] = INT_RANGE[to];
    for (let i = 0; i < n; i++) {
      const v = x[i]!;
      // The store truncates toward zero; only NaN and out-of-range values need handling.
      y[i] = v !== v ? 0 : v < lo ? lo : Math.min(v, hi);
    }
  } else {
    y.set(x);
  }
  return y;
};

export const stopGradient: Kernel<"stop_gradient"> = (inputs): TypedArray => inputs[0].slice();
