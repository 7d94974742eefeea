/** Elementwise math with NumPy broadcasting and JAX dtype promotion. */
import { type Array, type ArrayOrScalar, isArray } from "../core/array.js";
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
/** Elementwise x - y. @example np.subtract(np.array([3, 5]), 1) // array([2., 4.]) */
export const subtract = binary("sub", "subtract");
/** Elementwise x * y. @example np.multiply(np.array([1, 2]), np.array([3, 4])) // array([3., 8.]) */
export const multiply = binary("mul", "multiply");
/** Elementwise maximum (NaN propagates). @example np.maximum(np.array([1, 5]), 3) // array([3., 5.]) */
export const maximum = binary("max", "maximum");
/** Elementwise minimum (NaN propagates). @example np.minimum(np.array([1, 5]), 3) // array([1., 3.]) */
export const minimum = binary("min", "minimum");
/**
 * Elementwise arctan(y / x) with the quadrant from the signs: `arctan2(y, x)`.
 * @example np.arctan2(np.array([1, 1]), np.array([1, -1])) // array([0.7853982, 2.3561945]) (π/4, 3π/4)
 */
export const arctan2 = (y: ArrayOrScalar, x: ArrayOrScalar): Array => {
  const [a, b] = align2("arctan2", y, x);
  return L.binary("atan2", toFloat(a), toFloat(b));
};

/** True division; integer inputs give float32. @example np.divide(1, np.array([2, 4])) */
export function divide(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  const [a, b] = align2("divide", x, y);
  return L.div(toFloat(a), toFloat(b));
}

/** Remainder with the sign of the divisor (NumPy's `mod`). @example np.mod(np.array([-3, 3]), 2) // array([1., 1.]) */
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

/**
 * Elementwise power. A JS integer exponent uses repeated multiplication (exact, any sign of x).
 * @example np.power(np.array([-2, 3]), 2) // array([4., 9.])
 */
export function power(x: ArrayOrScalar, y: ArrayOrScalar): Array {
  if (typeof y === "number" && Number.isInteger(y) && Math.abs(y) <= 64) {
    const a = asArray(x, "power");
    if (y >= 0 || isFloat(a.dtype)) return bind1("integer_pow", [a], { y });
  }
  const [a, b] = align2("power", x, y);
  return isInt(a.dtype) ? L.pow(a, b) : L.pow(toFloat(a), toFloat(b));
}

/** Elementwise -x. @example np.negative(np.array([1, -2])) // array([-1.,  2.]) */
export const negative = sameUnary("neg", "negative");
/** Elementwise |x|. @example np.abs(np.array([-1.5, 2])) // array([1.5, 2. ]) */
export const abs = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "abs");
  return a.dtype === "bool" || a.dtype === "uint32" ? a : L.unary("abs", a);
};
/** Elementwise sign: -1, 0 or 1 (NaN stays NaN). @example np.sign(np.array([-3, 0, 2])) // array([-1.,  0.,  1.]) */
export const sign = sameUnary("sign", "sign");
/** Elementwise x². @example np.square(np.array([-2, 3])) // array([4., 9.]) */
export const square = (x: ArrayOrScalar): Array => bind1("integer_pow", [asArray(x, "square")], { y: 2 });
/** Elementwise √x (float). @example np.sqrt(np.array([4, 9])) // array([2., 3.]) */
export const sqrt = floatUnary("sqrt", "sqrt");
/** Elementwise 1/√x. @example np.rsqrt(np.array([4, 16])) // array([0.5 , 0.25]) */
export const rsqrt = floatUnary("rsqrt", "rsqrt");
/** Elementwise 1/x (float). @example np.reciprocal(np.array([2, 4])) // array([0.5 , 0.25]) */
export const reciprocal = (x: ArrayOrScalar): Array => divide(1, x);
/** Elementwise eˣ (float). @example np.exp(np.array([0, 1])) // array([1.       , 2.7182817]) */
export const exp = floatUnary("exp", "exp");
/** exp(x) - 1, accurate for small x. @example np.expm1(np.array([0, 1e-10])) // array([0.e+00, 1.e-10]) */
export const expm1 = floatUnary("expm1", "expm1");
/** Natural logarithm (float). @example np.log(np.array([1, 4])) // array([0.       , 1.3862944]) */
export const log = floatUnary("log", "log");
/** log(1 + x), accurate for small x. @example np.log1p(np.array([0, 1e-10])) // array([0.e+00, 1.e-10]) */
export const log1p = floatUnary("log1p", "log1p");
/** Base-2 logarithm. @example np.log2(np.array([1, 8])) // array([0., 3.]) */
export const log2 = (x: ArrayOrScalar): Array => {
  const l = log(x);
  return L.mul(l, L.fullLike(l, 1 / Math.LN2));
};
/** Base-10 logarithm. @example np.log10(np.array([1, 1000])) // array([0., 3.]) */
export const log10 = (x: ArrayOrScalar): Array => {
  const l = log(x);
  return L.mul(l, L.fullLike(l, 1 / Math.LN10));
};
/** Elementwise sine (radians). @example np.sin(np.array([0, Math.PI / 2])) // array([0., 1.]) */
export const sin = floatUnary("sin", "sin");
/** Elementwise cosine (radians). @example np.cos(np.array([0, Math.PI])) // array([ 1., -1.]) */
export const cos = floatUnary("cos", "cos");
/** Elementwise tangent (radians). @example np.tan(np.array([0, Math.PI / 4])) // array([0., 1.]) */
export const tan = floatUnary("tan", "tan");
/** Elementwise hyperbolic tangent. @example np.tanh(np.array([0, 1])) // array([0.       , 0.7615942]) */
export const tanh = floatUnary("tanh", "tanh");
/** Elementwise hyperbolic sine. @example np.sinh(np.array([0, 1])) // array([0.       , 1.1752012]) */
export const sinh = floatUnary("sinh", "sinh");
/** Elementwise hyperbolic cosine. @example np.cosh(np.array([0, 1])) // array([1.       , 1.5430807]) */
export const cosh = floatUnary("cosh", "cosh");
/** Elementwise inverse sine, in [-π/2, π/2]. @example np.arcsin(np.array([0, 1])) // array([0.       , 1.5707964]) */
export const arcsin = floatUnary("asin", "arcsin");
/** Elementwise inverse cosine, in [0, π]. @example np.arccos(np.array([1, -1])) // array([0.       , 3.1415927]) */
export const arccos = floatUnary("acos", "arccos");
/** Elementwise inverse tangent. @example np.arctan(np.array([0, 1])) // array([0.       , 0.7853982]) */
export const arctan = floatUnary("atan", "arctan");
/** The error function. @example np.erf(np.array([0, 1])) // array([0.       , 0.8427008]) */
export const erf = floatUnary("erf", "erf");
const roundLike =
  (prim: UnaryPrim, op: string) =>
  (x: ArrayOrScalar): Array => {
    const a = asArray(x, op);
    return isFloat(a.dtype) ? L.unary(prim, a) : a;
  };
/** Rounds down (integer dtypes pass through). @example np.floor(np.array([-1.5, 1.5])) // array([-2.,  1.]) */
export const floor = roundLike("floor", "floor");
/** Rounds up (integer dtypes pass through). @example np.ceil(np.array([-1.5, 1.5])) // array([-1.,  2.]) */
export const ceil = roundLike("ceil", "ceil");
/** Rounds half to even, like NumPy. @example np.round(np.array([0.5, 1.5, 2.5])) // array([0., 2., 2.]) */
export const round = roundLike("round", "round");

/**
 * Clips to [lo, hi]; either bound may be null.
 * @example np.clip(np.array([-2, 0.5, 3]), 0, 1) // array([0. , 0.5, 1. ])
 */
export function clip(x: ArrayOrScalar, lo: ArrayOrScalar | null, hi: ArrayOrScalar | null): Array {
  let r = asArray(x, "clip");
  for (const [name, bound] of [
    ["lo", lo],
    ["hi", hi],
  ] as const)
    if (bound !== null && bound !== undefined && typeof bound === "object" && !isArray(bound))
      throw new TypeError(
        `clip: ${name} must be an array, a number or null, got an object; the bounds are positional: clip(x, lo, hi)`,
      );
  if (lo !== null && lo !== undefined) r = maximum(r, lo);
  if (hi !== null && hi !== undefined) r = minimum(r, hi);
  return r;
}

/** Elementwise x == y (bool). @example np.equal(np.array([1, 2]), 2) // array([false,  true]) */
export const equal = binary("eq", "equal");
/** Elementwise x != y (bool). @example np.notEqual(np.array([1, 2]), 2) // array([ true, false]) */
export const notEqual = binary("ne", "notEqual");
/** Elementwise x < y (bool). @example np.less(np.array([1, 2, 3]), 2) // array([ true, false, false]) */
export const less = binary("lt", "less");
/** Elementwise x <= y (bool). @example np.lessEqual(np.array([1, 2, 3]), 2) // array([ true,  true, false]) */
export const lessEqual = binary("le", "lessEqual");
/** Elementwise x > y (bool). @example np.greater(np.array([1, 2, 3]), 2) // array([false, false,  true]) */
export const greater = binary("gt", "greater");
/** Elementwise x >= y (bool). @example np.greaterEqual(np.array([1, 2, 3]), 2) // array([false,  true,  true]) */
export const greaterEqual = binary("ge", "greaterEqual");

const toBool = (x: ArrayOrScalar, op: string): Array => {
  const a = asArray(x, op);
  return a.dtype === "bool" ? a : L.binary("ne", a, L.fullLike(a, 0));
};
/**
 * Elementwise logical and (truthiness of any dtype).
 * @example np.logicalAnd(np.array([1, 0, 2]), np.array([3, 3, 0])) // array([ true, false, false])
 */
export const logicalAnd = (x: ArrayOrScalar, y: ArrayOrScalar): Array => {
  const [a, b] = align2("logicalAnd", toBool(x, "logicalAnd"), toBool(y, "logicalAnd"));
  return L.binary("and", a, b);
};
/**
 * Elementwise logical or (truthiness of any dtype).
 * @example np.logicalOr(np.array([1, 0, 0]), np.array([0, 0, 2])) // array([ true, false,  true])
 */
export const logicalOr = (x: ArrayOrScalar, y: ArrayOrScalar): Array => {
  const [a, b] = align2("logicalOr", toBool(x, "logicalOr"), toBool(y, "logicalOr"));
  return L.binary("or", a, b);
};
/** Elementwise logical not (truthiness). @example np.logicalNot(np.array([0, 2])) // array([ true, false]) */
export const logicalNot = (x: ArrayOrScalar): Array => L.unary("not", toBool(x, "logicalNot"));
/** Elementwise x != x. @example np.isnan(np.array([1, NaN])) // array([false,  true]) */
export const isnan = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "isnan");
  return L.binary("ne", a, a);
};
/**
 * Elementwise: true where x is neither infinite nor NaN.
 * @example np.isfinite(np.array([1, Infinity, NaN])) // array([ true, false, false])
 */
export const isfinite = (x: ArrayOrScalar): Array => {
  const a = asArray(x, "isfinite");
  return isFloat(a.dtype) ? L.unary("isfinite", a) : L.binary("eq", a, a);
};
/**
 * Elementwise choice: `cond ? x : y`, broadcast together.
 * @example np.where(np.array([true, false]), np.array([1, 2]), 0) // array([1., 0.])
 */
export function where(cond: ArrayOrScalar, x: ArrayOrScalar, y: ArrayOrScalar): Array {
  const c = toBool(cond, "where");
  const [a, b] = align2("where", x, y);
  const shape = broadcastShapes("where", c.shape, a.shape, b.shape);
  return L.select(broadcastArray(c, shape), broadcastArray(a, shape), broadcastArray(b, shape));
}
/** Changes the dtype. @example np.array([1.7]).astype("int32") */
export const astype = (x: Array, dtype: DType): Array => castTo(checkDType(dtype, "astype") && x, dtype);
/**
 * A value whose derivative is zero: gradients do not flow through it.
 * @example grad((x: Array) => x.mul(np.stopGradient(x)))(np.array(3)) // array(3.): only one factor of x·x is seen
 */
export const stopGradient = (x: ArrayOrScalar): Array => bind1("stop_gradient", [asArray(x, "stopGradient")], {});
