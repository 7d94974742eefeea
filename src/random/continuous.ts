/** Continuous samplers following `jax.random`: uniform, normal, truncatedNormal, gumbel and exponential. */
import { Array, type ArrayOrScalar } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import { broadcastShapes } from "../core/shape.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { bits32, bits64, shiftRight, type Scheme } from "./threefry.js";
import { erfinv, fma, nextDown, nextUp } from "./special.js";
import { checkFloatDType, checkKey, checkShape, param, type FloatDType, type ShapeLike } from "./sampler-checks.js";
import { checkOptions } from "../core/options.js";

/** Uniform floats in [0, 1) from random bits, exactly as JAX's mantissa trick gives them. */
export function unitFloats(scheme: Scheme, k: Array, shape: readonly number[], dtype: FloatDType): Array {
  if (dtype === "float32") {
    // bitcast((b >> 9) | 0x3F800000) - 1 == (b >> 9) · 2^-23, exactly.
    const m = L.convert(shiftRight(bits32(scheme, k, shape), 9), "float32");
    return L.mul(m, L.full({ shape, dtype }, 2 ** -23));
  }
  // 64 bits (hi, lo): ((hi << 32 | lo) >> 12) · 2^-52 = (hi · 2^20 + (lo >> 12)) · 2^-52, exact.
  const [hi, lo] = bits64(scheme, k, shape);
  const m = L.add(
    L.mul(L.convert(hi, "float64"), L.full({ shape, dtype }, 2 ** 20)),
    L.convert(shiftRight(lo, 12), "float64"),
  );
  return L.mul(m, L.full({ shape, dtype }, 2 ** -52));
}

function uniformImpl(
  scheme: Scheme,
  op: string,
  k: Array,
  shape: number[],
  dtype: FloatDType,
  minval: ArrayOrScalar,
  maxval: ArrayOrScalar,
): Array {
  const lo = param(op, "minval", minval, dtype, shape);
  const hi = param(op, "maxval", maxval, dtype, shape);
  const f = unitFloats(scheme, k, shape, dtype);
  // f·(maxval - minval) + minval, fused as XLA fuses it (exact when the span is a power of two).
  return L.binary("max", lo, fma(f, L.sub(hi, lo), lo));
}

export interface UniformOptions {
  /** float32 (default) or float64. */
  dtype?: DType;
  /** Inclusive lower bound (default 0); a number or an array broadcasting to `shape`. */
  minval?: ArrayOrScalar;
  /** Exclusive upper bound (default 1). */
  maxval?: ArrayOrScalar;
}

export function uniform(scheme: Scheme, k: Array, shape: ShapeLike = [], opts: UniformOptions = {}): Array {
  checkOptions("random.uniform", opts, ["dtype", "minval", "maxval"]);
  checkKey("uniform", k);
  const s = checkShape("uniform", shape);
  const dtype = checkFloatDType("uniform", opts.dtype ?? "float32");
  const { minval = 0, maxval = 1 } = opts;
  if (typeof minval === "number" && typeof maxval === "number" && !(maxval > minval))
    throw new RangeError(`random.uniform: maxval must be greater than minval, got minval=${minval}, maxval=${maxval}`);
  return uniformImpl(scheme, "uniform", k, s, dtype, minval, maxval);
}

export interface DTypeOptions {
  /** float32 (default) or float64. */
  dtype?: DType;
}

// nextafter(-1, 0) in each dtype: the open lower bound of normal's uniform draw.
const MINUS_ONE_UP: Record<FloatDType, number> = { float32: -(1 - 2 ** -24), float64: -(1 - 2 ** -53) };

export function normal(scheme: Scheme, k: Array, shape: ShapeLike = [], opts: DTypeOptions = {}): Array {
  checkOptions("random.normal", opts, ["dtype"]);
  checkKey("normal", k);
  const s = checkShape("normal", shape);
  const dtype = checkFloatDType("normal", opts.dtype ?? "float32");
  const u = uniformImpl(scheme, "normal", k, s, dtype, MINUS_ONE_UP[dtype], 1);
  return L.mul(L.full({ shape: s, dtype }, Math.SQRT2), erfinv(u));
}

export function truncatedNormal(
  scheme: Scheme,
  k: Array,
  lower: ArrayOrScalar,
  upper: ArrayOrScalar,
  shape?: ShapeLike,
  opts: DTypeOptions = {},
): Array {
  checkOptions("random.truncatedNormal", opts, ["dtype"]);
  checkKey("truncatedNormal", k);
  const dtype = checkFloatDType("truncatedNormal", opts.dtype ?? "float32");
  if (typeof lower === "number" && typeof upper === "number" && !(upper > lower))
    throw new RangeError(
      `random.truncatedNormal: upper must be greater than lower, got lower=${lower}, upper=${upper}`,
    );
  const shp = (v: ArrayOrScalar): readonly number[] => (v instanceof Array ? v.shape : []);
  const paramShape = broadcastShapes("random.truncatedNormal", shp(lower), shp(upper));
  const s = shape === undefined ? paramShape : checkShape("truncatedNormal", shape);
  const lo = param("truncatedNormal", "lower", lower, dtype, s);
  const hi = param("truncatedNormal", "upper", upper, dtype, s);
  const sqrt2 = L.full({ shape: s, dtype }, Math.SQRT2);
  const a = L.unary("erf", L.div(lo, sqrt2));
  const b = L.unary("erf", L.div(hi, sqrt2));
  const u = uniformImpl(scheme, "truncatedNormal", k, s, dtype, a, b);
  const out = L.mul(sqrt2, erfinv(u));
  // Clamp into the open interval (lower, upper), as JAX does.
  const sg = (x: Array): Array => bind1("stop_gradient", [x], {});
  return L.binary("min", L.binary("max", out, nextUp(sg(lo))), nextDown(sg(hi)));
}

export function gumbel(scheme: Scheme, k: Array, shape: ShapeLike = [], opts: DTypeOptions = {}): Array {
  checkOptions("random.gumbel", opts, ["dtype"]);
  checkKey("gumbel", k);
  const dtype = checkFloatDType("gumbel", opts.dtype ?? "float32");
  return gumbelImpl(scheme, k, checkShape("gumbel", shape), dtype);
}

const TINY: Record<FloatDType, number> = { float32: 2 ** -126, float64: 2 ** -1022 };

export function gumbelImpl(scheme: Scheme, k: Array, shape: number[], dtype: FloatDType): Array {
  const u = uniformImpl(scheme, "gumbel", k, shape, dtype, TINY[dtype], 1);
  return L.neg(L.log(L.neg(L.log(u))));
}

export function exponential(scheme: Scheme, k: Array, shape: ShapeLike = [], opts: DTypeOptions = {}): Array {
  checkOptions("random.exponential", opts, ["dtype"]);
  checkKey("exponential", k);
  const s = checkShape("exponential", shape);
  const dtype = checkFloatDType("exponential", opts.dtype ?? "float32");
  const u = uniformImpl(scheme, "exponential", k, s, dtype, 0, 1);
  return L.neg(L.unary("log1p", L.neg(u)));
}
