/**
 * The gamma family following `jax/_src/random/core.py` (0.10.2): gamma and loggamma by
 * Marsaglia–Tsang rejection (one key per element, split from the key; a `whileLoop` that splits
 * the key on every try, as JAX's `_gamma_one`), and beta, dirichlet, chisquare and t built on them
 * with JAX's key splits.
 *
 * Gradients: as JAX, samples are differentiated with respect to `a` by implicit reparameterization
 * (`random_gamma_grad`: dz/da = −(∂P/∂a)/(∂P/∂z) for P the regularized lower incomplete gamma
 * function, special.ts `gammaSampleGrad`), not through the rejection loop, which only sees
 * `stop_gradient(a)`.
 */
import type { Array, ArrayOrScalar } from "../core/array.js";
import { sizeOf } from "../core/shape.js";
import * as L from "../core/ops.js";
import { checkOptions } from "../core/options.js";
import { bind1 } from "../core/trace.js";
import { whileLoop } from "../lax/control/while.js";
import { customJvp } from "../lax/control/custom-jvp.js";
import { vmap } from "../../transforms/vmap.js";
import type { Scheme } from "./threefry.js";
import { splitKeys } from "./threefry.js";
import { exponential, normal, uniform, type DTypeOptions } from "./continuous.js";
import { checkFloatDType, checkKey, checkShape, type FloatDType, type ShapeLike } from "./sampler-checks.js";
import { floatParam, paramShape, sampleShape, splitN } from "./distributions-helpers.js";
import { gammaSampleGrad } from "./special.js";

type Carry = [Array, Array, Array, Array];

/** One Marsaglia–Tsang gamma(alpha) draw for a scalar `alpha` under key `k` (JAX's `_gamma_one`). */
function gammaOne(scheme: Scheme, k: Array, alpha0: Array, logSpace: boolean): Array {
  const dtype = alpha0.dtype as FloatDType;
  const c0 = (v: number): Array => L.full({ shape: [], dtype }, v);
  const [zero, one] = [c0(0), c0(1)];
  // alpha < 1 is boosted to alpha + 1 and the sample scaled by U^(1/alpha).
  const boostMask = L.binary("ge", alpha0, one);
  const alpha = L.select(boostMask, alpha0, L.add(alpha0, one));
  const d = L.sub(alpha, c0(1 / 3));
  const c = L.div(c0(1 / 3), L.sqrt(d));

  const rejected = ([, X, V, U]: Carry): Array =>
    L.binary(
      "and",
      L.binary("ge", U, L.sub(one, L.mul(c0(0.0331), L.mul(X, X)))),
      L.binary("ge", L.log(U), L.add(L.mul(X, c0(0.5)), L.mul(d, L.add(L.sub(one, V), L.log(V))))),
    );
  const nextTry = ([key]: Carry): Carry => {
    const [key2, xKey, uKey] = splitN(scheme, key, 3) as [Array, Array, Array];
    // Draw x ~ N(0, 1) until v = 1 + c·x is positive.
    const [, x, v] = whileLoop(
      ([, , vv]: [Array, Array, Array]) => L.binary("le", vv, zero),
      ([kk]: [Array, Array, Array]): [Array, Array, Array] => {
        const [kNext, sub] = splitN(scheme, kk, 2) as [Array, Array];
        const xx = normal(scheme, sub, [], { dtype });
        return [kNext, xx, L.add(one, L.mul(xx, c))];
      },
      [xKey, zero, c0(-1)] as [Array, Array, Array],
    );
    const U = uniform(scheme, uKey, [], { dtype });
    return [key2, L.mul(x, x), L.mul(L.mul(v, v), v), U];
  };
  const [key1, subkey] = splitN(scheme, k, 2) as [Array, Array];
  const [, , V] = whileLoop(rejected, nextTry, [key1, zero, one, c0(2)] as Carry);
  if (logSpace) {
    const logSamples = L.neg(exponential(scheme, subkey, [], { dtype }));
    const noBoost = L.binary("or", boostMask, L.eq(logSamples, zero));
    const logBoost = L.select(noBoost, zero, L.mul(logSamples, L.div(one, alpha0)));
    return L.add(L.add(L.log(d), L.log(V)), logBoost);
  }
  const samples = L.sub(one, uniform(scheme, subkey, [], { dtype }));
  const boost = L.select(boostMask, one, L.pow(samples, L.div(one, alpha0)));
  return L.mul(L.mul(d, V), boost);
}

/** Gamma (or log-gamma) samples with shape parameters `a` (one per sample), JAX's `_gamma_impl`. */
function gammaSamples(scheme: Scheme, k: Array, a: Array, logSpace: boolean): Array {
  const n = sizeOf(a.shape);
  if (n === 0) return a;
  const keys = splitKeys(scheme, k, [n]);
  const one = vmap((kk: Array, al: Array) => gammaOne(scheme, kk, al, logSpace));
  return L.reshape(one(keys, L.reshape(a, [n])) as Array, a.shape);
}

/**
 * Zero whose derivative with respect to `a` is the implicit reparameterization gradient of the
 * sample `z` (given as log z when `logSpace`, passed through stop_gradient): added to the samples so
 * that they differentiate as JAX's do, dz/da = −(∂P/∂a)/(∂P/∂z), instead of through the rejection
 * loop. The gradient itself is not differentiated again (second derivatives in `a` are NaN, where
 * JAX has no rule at all).
 */
function implicitGradFor(logSpace: boolean) {
  const noSecondOrder = customJvp((a: Array) => L.fullLike(a, 0));
  noSecondOrder.defJvp(([a], [ta]) => [L.fullLike(a, 0), L.mul(ta, L.fullLike(ta, Number.NaN))]);
  const f = customJvp((a: Array, _logZ: Array) => L.fullLike(a, 0));
  f.defJvp(([a, logZ], [ta]) => {
    const g = gammaSampleGrad(bind1("stop_gradient", [a], {}), logZ, logSpace);
    return [L.fullLike(a, 0), L.mul(ta, L.add(g, noSecondOrder(a)))];
  });
  return f;
}
const implicitGrad = implicitGradFor(false);
const implicitLogGrad = implicitGradFor(true);

function gammaFamily(
  scheme: Scheme,
  op: string,
  k: Array,
  a: ArrayOrScalar,
  shape: ShapeLike | undefined,
  opts: DTypeOptions,
  logSpace: boolean,
): Array {
  checkOptions(`random.${op}`, opts, ["dtype"]);
  checkKey(op, k);
  const dtype = checkFloatDType(op, opts.dtype ?? "float32");
  const s = sampleShape(op, shape, { a });
  const av = floatParam(op, "a", a, dtype, s);
  const samples = gammaSamples(scheme, k, bind1("stop_gradient", [av], {}), logSpace);
  const logZ = logSpace ? samples : L.log(samples);
  return L.add(samples, (logSpace ? implicitLogGrad : implicitGrad)(av, logZ));
}

export function gamma(scheme: Scheme, k: Array, a: ArrayOrScalar, shape?: ShapeLike, opts: DTypeOptions = {}): Array {
  return gammaFamily(scheme, "gamma", k, a, shape, opts, false);
}

export function loggamma(
  scheme: Scheme,
  k: Array,
  a: ArrayOrScalar,
  shape?: ShapeLike,
  opts: DTypeOptions = {},
): Array {
  return gammaFamily(scheme, "loggamma", k, a, shape, opts, true);
}

export function beta(
  scheme: Scheme,
  k: Array,
  a: ArrayOrScalar,
  b: ArrayOrScalar,
  shape?: ShapeLike,
  opts: DTypeOptions = {},
): Array {
  checkOptions("random.beta", opts, ["dtype"]);
  checkKey("beta", k);
  const dtype = checkFloatDType("beta", opts.dtype ?? "float32");
  const s = sampleShape("beta", shape, { a, b });
  const [keyA, keyB] = splitN(scheme, k, 2) as [Array, Array];
  const logA = gammaFamily(scheme, "beta", keyA, floatParam("beta", "a", a, dtype, s), s, { dtype }, true);
  const logB = gammaFamily(scheme, "beta", keyB, floatParam("beta", "b", b, dtype, s), s, { dtype }, true);
  // gamma_a / (gamma_a + gamma_b), scaled by the larger so neither underflows.
  const logMax = L.binary("max", logA, logB);
  const ga = L.exp(L.sub(logA, logMax));
  const gb = L.exp(L.sub(logB, logMax));
  return L.div(ga, L.add(ga, gb));
}

export function dirichlet(
  scheme: Scheme,
  k: Array,
  alpha: ArrayOrScalar,
  shape?: ShapeLike,
  opts: DTypeOptions = {},
): Array {
  checkOptions("random.dirichlet", opts, ["dtype"]);
  checkKey("dirichlet", k);
  const dtype = checkFloatDType("dirichlet", opts.dtype ?? "float32");
  const aShape = paramShape("dirichlet", "alpha", alpha);
  if (aShape.length < 1)
    throw new TypeError(
      `random.dirichlet: alpha must be an array of shape [..., n] (ndim >= 1), got a scalar; pass the n concentrations as a 1-D array`,
    );
  // alpha must broadcast to [...shape, n]: floatParam checks that.
  const batch = shape === undefined ? aShape.slice(0, -1) : checkShape("dirichlet", shape);
  const full = [...batch, aShape[aShape.length - 1]!];
  const logG = gammaFamily(
    scheme,
    "dirichlet",
    k,
    floatParam("dirichlet", "alpha", alpha, dtype, full),
    full,
    { dtype },
    true,
  );
  // JAX's softmax: exp(x - stop_gradient(max x)) / sum.
  const last = full.length - 1;
  const mx = bind1("stop_gradient", [bind1("reduce_max", [logG], { axes: [last] })], {});
  const keep = full.map((_, i) => i).slice(0, last);
  const e = L.exp(L.sub(logG, L.broadcastInDim(mx, full, keep)));
  return L.div(e, L.broadcastInDim(L.reduceSum(e, [last]), full, keep));
}

export function chisquare(
  scheme: Scheme,
  k: Array,
  df: ArrayOrScalar,
  shape?: ShapeLike,
  opts: DTypeOptions = {},
): Array {
  checkOptions("random.chisquare", opts, ["dtype"]);
  checkKey("chisquare", k);
  const dtype = checkFloatDType("chisquare", opts.dtype ?? "float32");
  const s = sampleShape("chisquare", shape, { df });
  const d = floatParam("chisquare", "df", df, dtype, s);
  const halfDf = L.div(d, L.fullLike(d, 2));
  const logG = gammaFamily(scheme, "chisquare", k, halfDf, s, { dtype }, true);
  return L.mul(L.exp(logG), L.fullLike(logG, 2));
}

export function t(scheme: Scheme, k: Array, df: ArrayOrScalar, shape?: ShapeLike, opts: DTypeOptions = {}): Array {
  checkOptions("random.t", opts, ["dtype"]);
  checkKey("t", k);
  const dtype = checkFloatDType("t", opts.dtype ?? "float32");
  const s = sampleShape("t", shape, { df });
  const d = floatParam("t", "df", df, dtype, s);
  const [keyN, keyG] = splitN(scheme, k, 2) as [Array, Array];
  const n = normal(scheme, keyN, s, { dtype });
  const halfDf = L.div(d, L.fullLike(d, 2));
  const g = gammaFamily(scheme, "t", keyG, halfDf, s, { dtype }, false);
  return L.mul(n, L.sqrt(L.div(halfDf, g)));
}
