/** Elementwise math with NumPy broadcasting and JAX dtype promotion. */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { checkDType, isFloat, isInt, type DType } from "../core/dtype.js";
import { broadcastShapes } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import type { BinaryPrim, ComparePrim, UnaryPrim } from "../core/primitives.js";
import * as L from "../core/ops.js";
import { align, asArray, broadcastArray, castTo, toFloat } from "../core/convert.js";

/** `align` of two operands, as a pair (align returns one array per operand). */
function align2(op: string, x: ArrayOrScalar, y: ArrayOrScalar): [Array, Array] {
  const [a, b] = align(op, x, y);
  if (a === undefined || b === undefined) throw new Error(`internal error: ${op}: align did not return two operands`);
  return [a, b];
}
const binary =
  (prim: BinaryPrim | ComparePrim, op: string) =>
  (x: ArrayOrScalar, y: ArrayOrScalar): Array => {
    const [a, b] = align2(op, x, y);
    return L.binary(prim, a, b);
  };
const floatUnary =
  (prim: UnaryPrim, op: string) =>
  (x: ArrayOrScalar): Array =>
    L.unary(prim, toFloat(asArray(x, op)));
const sameUnary =
  (prim: UnaryPrim, op: string) =>
  (x: ArrayOrScalar): Array =>
    L.unary(prim, asArray(x, op));

/** Elementwise x + y. @example np.add(np.array([1, 2]), 1) // array([2., 3.]) */
export const add = binary("add", "add");
/** Elementwise x - y. */
export const subtract = binary("sub", "subtract");
/** Elementwise x * y. */
export const multiply = binary("mul", "multiply");
/** Elementwise maximum (NaN propagates). */
export const maximum = binary("max", "maximum");
/** Elementwise minimum (NaN propagates). */
export const minimum = binary("min", "minimum");
/** Elementwise arctan(y / x) with the quadrant from the signs: `arctan2(y, x)`. */
export const arctan2 = (y: ArrayOrScalar, x: ArrayOrScalar): Array => {
  const [a, b] = align2("arctan2", y, x);
  return L.binary("atan2", toFloat(a), toFloat(b));
};

/** True division; integer inputs give float32. @example np.divide(1, np.array([2, 4])) */
export function divide(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  const [a, b] = align2("divide", x, y);
  return L.div(toFloat(a), toFloat(b));
}

/** Remainder with the sign of the divisor (NumPy's `mod`). */
export function mod(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  const [a, b] = align2("mod", x, y);
  const r = L.binary("rem", a, b);
  const zero = L.fullLike(r, 0);
  const fix = L.binary(
    "and",
    L.binary("ne", r, zero),
    L.binary("ne", L.binary("lt", r, zero), L.binary("lt", b, zero)),
  );
  return L.select(fix, L.add(r, b), r);
}

/** Elementwise power. A JS integer exponent uses repeated multiplication (exact, any sign of x). */
export function power(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  if (typeof y === "number" && Number.isInteger(y) && Math.abs(y) <= 64) {
    const a = asArray(x, "power");
    if (y >= 0 || isFloat(a.dtype)) return bind1("integer_pow", [a], { y });
  }
  const [a, b] = align2("power", x, y);
  return isInt(a.dtype) ? L.pow(a, b) : L.pow(toFloat(a), toFloat(b));
}

/** Elementwise -x. */
export const negative = sameUnary("neg", "negative");
/** Elementwise |x|. */
export const abs = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "abs");
  return a.dtype === "bool" || a.dtype === "uint32" ? a : L.unary("abs", a);
};
/** Elementwise sign: -1, 0 or 1 (NaN stays NaN). */
export const sign = sameUnary("sign", "sign");
/** Elementwise x². */
export const square = (x: ArrayOrScalar): Array => bind1("integer_pow", [asArray(x, "square")], { y: 2 });
/** Elementwise √x (float). */
export const sqrt = floatUnary("sqrt", "sqrt");
/** Elementwise 1/√x. */
export const rsqrt = floatUnary("rsqrt", "rsqrt");
/** Elementwise 1/x (float). */
export const reciprocal = (x: ArrayOrScalar): Array => divide(1, x);
export const exp = floatUnary("exp", "exp");
/** exp(x) - 1, accurate for small x. */
export const expm1 = floatUnary("expm1", "expm1");
export const log = floatUnary("log", "log");
/** log(1 + x), accurate for small x. */
export const log1p = floatUnary("log1p", "log1p");
/** Base-2 logarithm. */
export const log2 = (x: ArrayOrScalar): Array => {
  const l = log(x);
  return L.mul(l, L.fullLike(l, 1 / Math.LN2));
};
/** Base-10 logarithm. */
export const log10 = (x: ArrayOrScalar): Array => {
  const l = log(x);
  return L.mul(l, L.fullLike(l, 1 / Math.LN10));
};
export const sin = floatUnary("sin", "sin");
export const cos = floatUnary("cos", "cos");
export const tan = floatUnary("tan", "tan");
export const tanh = floatUnary("tanh", "tanh");
export const sinh = floatUnary("sinh", "sinh");
export const cosh = floatUnary("cosh", "cosh");
export const arcsin = floatUnary("asin", "arcsin");
export const arccos = floatUnary("acos", "arccos");
export const arctan = floatUnary("atan", "arctan");
/** The error function. */
export const erf = floatUnary("erf", "erf");
const roundLike =
  (prim: UnaryPrim, op: string) =>
  (x: ArrayOrScalar): Array => {
    const a = asArray(x, op);
    return isFloat(a.dtype) ? L.unary(prim, a) : a;
  };
export const floor = roundLike("floor", "floor");
export const ceil = roundLike("ceil", "ceil");
/** Rounds half to even, like NumPy. */
export const round = roundLike("round", "round");

/** Clips to [lo, hi]; either bound may be null. */
export function clip(x: ArrayOrScalar, lo: ArrayOrScalar | null, hi: ArrayOrScalar | null): Array {
  let r = asArray(x, "clip");
  if (lo !== null && lo !== undefined) r = maximum(r, lo);
  if (hi !== null && hi !== undefined) r = minimum(r, hi);
  return r;
}

export const equal = binary("eq", "equal");
export const notEqual = binary("ne", "notEqual");
export const less = binary("lt", "less");
export const lessEqual = binary("le", "lessEqual");
export const greater = binary("gt", "greater");
export const greaterEqual = binary("ge", "greaterEqual");

const toBool = (x: ArrayOrScalar, op: string): Array => {
  const a = asArray(x, op);
  return a.dtype === "bool" ? a : L.binary("ne", a, L.fullLike(a, 0));
};
/** Elementwise logical and (truthiness of any dtype). */
export const logicalAnd = (x: ArrayOrScalar, y: ArrayOrScalar): Array => {
  const [a, b] = align2("logicalAnd", toBool(x, "logicalAnd"), toBool(y, "logicalAnd"));
  return L.binary("and", a, b);
};
export const logicalOr = (x: ArrayOrScalar, y: ArrayOrScalar): Array => {
  const [a, b] = align2("logicalOr", toBool(x, "logicalOr"), toBool(y, "logicalOr"));
  return L.binary("or", a, b);
};
export const logicalNot = (x: ArrayOrScalar): Array => L.unary("not", toBool(x, "logicalNot"));
/** Elementwise x != x. */
export const isnan = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "isnan");
  return L.binary("ne", a, a);
};
export const isfinite = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "isfinite");
  return isFloat(a.dtype) ? L.unary("isfinite", a) : L.binary("eq", a, a);
};
/** Elementwise choice: `cond ? x : y`, broadcast together. */
export function where(cond: ArrayOrScalar, x: ArrayOrScalar, y: ArrayOrScalar): Array {
  const c = toBool(cond, "where");
  const [a, b] = align2("where", x, y);
  const shape = broadcastShapes("where", c.shape, a.shape, b.shape);
  return L.select(broadcastArray(c, shape), broadcastArray(a, shape), broadcastArray(b, shape));
}
/** Changes the dtype. @example np.array([1.7]).astype("int32") */
export const astype = (x: Array, dtype: DType): Array => castTo(checkDType(dtype, "astype") && x, dtype);
/** A value whose derivative is zero: gradients do not flow through it. */
export const stopGradient = (x: ArrayOrScalar): Array => bind1("stop_gradient", [asArray(x, "stopGradient")], {});
