/**
 * Thin, unchecked wrappers over `bind` used by the rules and the numpy layer. Operands of binary
 * ops must already share shape and dtype (the numpy layer broadcasts and promotes).
 */
import type { Array } from "./array.js";
import type { ShapedArray } from "./aval.js";
import { allocate, castScalar, type DType } from "./dtype.js";
import { bind1, Zero } from "./trace.js";
import { fromTypedArray } from "./eval.js";
import { defaultBackend } from "./backend.js";
import { cacheGeneration } from "./caches.js";
import { backendOf, type ConcreteArray } from "./concrete.js";
import type { Tangent } from "./rules.js";
import type { BinaryPrim, ComparePrim, UnaryPrim } from "./primitives.js";

const E = {} as Record<string, never>;
export const unary = (p: UnaryPrim, x: Array): Array => bind1(p, [x], E);
export const binary = (p: BinaryPrim | ComparePrim, x: Array, y: Array): Array => bind1(p, [x, y], E);

export const neg = (x: Array) => unary("neg", x);
export const exp = (x: Array) => unary("exp", x);
export const log = (x: Array) => unary("log", x);
export const sin = (x: Array) => unary("sin", x);
export const cos = (x: Array) => unary("cos", x);
export const sqrt = (x: Array) => unary("sqrt", x);
export const rsqrt = (x: Array) => unary("rsqrt", x);
export const sign = (x: Array) => unary("sign", x);
export const cosh = (x: Array) => unary("cosh", x);
export const sinh = (x: Array) => unary("sinh", x);
export const add = (x: Array, y: Array) => binary("add", x, y);
export const sub = (x: Array, y: Array) => binary("sub", x, y);
export const mul = (x: Array, y: Array) => binary("mul", x, y);
export const div = (x: Array, y: Array) => binary("div", x, y);
export const pow = (x: Array, y: Array) => binary("pow", x, y);
export const eq = (x: Array, y: Array) => binary("eq", x, y);
export const gt = (x: Array, y: Array) => binary("gt", x, y);
export const select = (p: Array, a: Array, b: Array) => bind1("select", [p, a, b], E);
export const convert = (x: Array, dtype: DType) =>
  x.dtype === dtype && !x.weakType ? x : bind1("convert", [x], { dtype });
export const integerPow = (x: Array, y: number) => bind1("integer_pow", [x], { y });
export const reduceSum = (x: Array, axes: number[]) => (axes.length ? bind1("reduce_sum", [x], { axes }) : x);
export const reshape = (x: Array, shape: readonly number[]) =>
  shapeEq(x.shape, shape) ? x : bind1("reshape", [x], { shape: [...shape] });
export const transpose = (x: Array, permutation: readonly number[]) =>
  permutation.every((p, i) => p === i) ? x : bind1("transpose", [x], { permutation: [...permutation] });
export const broadcastInDim = (x: Array, shape: readonly number[], broadcastDimensions: readonly number[]) =>
  shapeEq(x.shape, shape)
    ? x
    : bind1("broadcast_in_dim", [x], { shape: [...shape], broadcastDimensions: [...broadcastDimensions] });
export const dotGeneral = (x: Array, y: Array, contracting: [number[], number[]], batch: [number[], number[]]) =>
  bind1("dot_general", [x, y], { contracting, batch });

function shapeEq(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// Arrays are immutable, so the scalars that JS numbers turn into can be shared; the cache is
// bounded (cleared when full) because values are arbitrary.
const scalarCache = new Map<string, Array>();
let scalarGeneration = cacheGeneration();

// The exact JS value behind each weak scalar, so `float64Array.add(0.1)` adds 0.1, not fround(0.1).
const exactValues = new WeakMap<Array, number>();

/** The JS number a weakly typed scalar was made from, if any. */
export const exactScalarValue = (x: Array): number | undefined => exactValues.get(x);

/** A concrete scalar of `dtype` (strongly typed unless `weak`). */
export function scalar(value: number, dtype: DType, weak = false): Array {
  const key = `${dtype}${weak ? "~" : ""}${Object.is(value, -0) ? "-0" : value}`;
  if (scalarGeneration !== cacheGeneration()) {
    scalarCache.clear(); // clearCaches() was called
    scalarGeneration = cacheGeneration();
  }
  let s = scalarCache.get(key);
  if (s === undefined || defaultBackend() !== backendOf(s as ConcreteArray)) {
    const b = allocate(dtype, 1);
    b[0] = dtype === "bool" ? castScalar(value, "bool") : value;
    s = fromTypedArray(b, [], dtype, weak);
    if (weak) exactValues.set(s, value);
    if (scalarCache.size > 4096) scalarCache.clear();
    scalarCache.set(key, s);
  }
  return s;
}

/** `value` broadcast to an aval's shape and dtype. */
export function full(aval: { shape: readonly number[]; dtype: DType }, value: number): Array {
  return broadcastInDim(scalar(value, aval.dtype), aval.shape, []);
}
export const fullLike = (x: Array, value: number): Array => full(x.aval, value);
export const zerosOf = (aval: ShapedArray): Array => full(aval, 0);

/** Materializes a symbolic zero. */
export const instantiate = (t: Tangent): Array => (t instanceof Zero ? zerosOf(t.aval) : t);

/** Adds tangents, keeping symbolic zeros symbolic. */
export function addTangents(a: Tangent, b: Tangent): Tangent {
  if (a instanceof Zero) return b;
  if (b instanceof Zero) return a;
  return add(a, b);
}

/** Moves axis `from` to position `to`. */
export function moveAxis(x: Array, from: number, to: number): Array {
  if (from === to) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== from);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}
