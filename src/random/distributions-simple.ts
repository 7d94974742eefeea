/**
 * Distributions that JAX draws as one transformation of one uniform (or normal, or Bernoulli) draw:
 * laplace, logistic, cauchy, lognormal, rademacher and geometric, step for step as
 * `jax/_src/random/core.py` (0.10.2) computes them, so the same key gives the same bits up to the
 * rounding of the transcendental functions.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import type { DType } from "../core/dtype.js";
import * as L from "../core/ops.js";
import { checkOptions } from "../core/options.js";
import type { Scheme } from "./threefry.js";
import { bernoulli } from "./discrete.js";
import { normal, uniform, type DTypeOptions } from "./continuous.js";
import { checkFloatDType, checkKey, checkShape, type FloatDType, type ShapeLike } from "./sampler-checks.js";
import { floatParam, probDType, sampleShape } from "./distributions-helpers.js";

// jnp.finfo(dtype).epsneg, .eps and .tiny.
const EPSNEG: Record<FloatDType, number> = { float32: 2 ** -24, float64: 2 ** -53 };
const EPS: Record<FloatDType, number> = { float32: 2 ** -23, float64: 2 ** -52 };
const TINY: Record<FloatDType, number> = { float32: 2 ** -126, float64: 2 ** -1022 };

function floatSetup(op: string, k: Array, shape: ShapeLike, opts: DTypeOptions): [number[], FloatDType] {
  checkOptions(`random.${op}`, opts, ["dtype"]);
  checkKey(op, k);
  return [checkShape(op, shape), checkFloatDType(op, opts.dtype ?? "float32")];
}

export function laplace(scheme: Scheme, k: Array, shape: ShapeLike = [], opts: DTypeOptions = {}): Array {
  const [s, dtype] = floatSetup("laplace", k, shape, opts);
  const u = uniform(scheme, k, s, { dtype, minval: -1 + EPSNEG[dtype], maxval: 1 });
  return L.mul(L.sign(u), L.unary("log1p", L.neg(L.unary("abs", u))));
}

export function logistic(scheme: Scheme, k: Array, shape: ShapeLike = [], opts: DTypeOptions = {}): Array {
  const [s, dtype] = floatSetup("logistic", k, shape, opts);
  const x = uniform(scheme, k, s, { dtype, minval: TINY[dtype], maxval: 1 });
  return L.sub(L.log(x), L.unary("log1p", L.neg(x)));
}

export function cauchy(scheme: Scheme, k: Array, shape: ShapeLike = [], opts: DTypeOptions = {}): Array {
  const [s, dtype] = floatSetup("cauchy", k, shape, opts);
  const u = uniform(scheme, k, s, { dtype, minval: EPS[dtype], maxval: 1 });
  return L.unary("tan", L.mul(L.fullLike(u, Math.PI), L.sub(u, L.fullLike(u, 0.5))));
}

export function lognormal(
  scheme: Scheme,
  k: Array,
  sigma: ArrayOrScalar = 1,
  shape?: ShapeLike,
  opts: DTypeOptions = {},
): Array {
  checkOptions("random.lognormal", opts, ["dtype"]);
  checkKey("lognormal", k);
  const dtype = checkFloatDType("lognormal", opts.dtype ?? "float32");
  const s = sampleShape("lognormal", shape, { sigma });
  const sg = floatParam("lognormal", "sigma", sigma, dtype, s);
  return L.exp(L.mul(normal(scheme, k, s, { dtype }), sg));
}

export interface IntOrFloatDTypeOptions {
  /** int32 (default), float32 or float64. */
  dtype?: DType;
}

function sampleDType(op: string, dtype: unknown): "int32" | FloatDType {
  if (dtype === "int32" || dtype === "float32" || dtype === "float64") return dtype;
  throw new TypeError(
    `random.${op}: dtype must be "int32" (the default), "float32" or "float64", got ${JSON.stringify(dtype)}`,
  );
}

export function rademacher(scheme: Scheme, k: Array, shape: ShapeLike = [], opts: IntOrFloatDTypeOptions = {}): Array {
  checkOptions("random.rademacher", opts, ["dtype"]);
  checkKey("rademacher", k);
  const s = checkShape("rademacher", shape);
  const dtype = sampleDType("rademacher", opts.dtype ?? "int32");
  const b = L.convert(bernoulli(scheme, k, 0.5, s), dtype);
  return L.sub(L.mul(L.fullLike(b, 2), b), L.fullLike(b, 1));
}

export function geometric(
  scheme: Scheme,
  k: Array,
  p: ArrayOrScalar,
  shape?: ShapeLike,
  opts: IntOrFloatDTypeOptions = {},
): Array {
  checkOptions("random.geometric", opts, ["dtype"]);
  checkKey("geometric", k);
  const dtype = sampleDType("geometric", opts.dtype ?? "int32");
  const pDType = probDType("geometric", p);
  if (typeof p === "number" && !(p > 0 && p <= 1))
    throw new RangeError(`random.geometric: p must be a probability in (0, 1], got ${p}`);
  const s = sampleShape("geometric", shape, { p });
  const u0 = uniform(scheme, k, s, { dtype: pDType });
  const u = L.select(L.eq(u0, L.fullLike(u0, 0)), L.fullLike(u0, 1), u0);
  const logOneMinusP = L.unary("log1p", L.neg(floatParam("geometric", "p", p, pDType, s)));
  const g = L.add(L.unary("floor", L.div(L.log(u), logOneMinusP)), L.fullLike(u, 1));
  return L.convert(g, dtype);
}
