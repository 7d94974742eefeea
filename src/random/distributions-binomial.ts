/**
 * `binomial` and `multinomial` following `jax.random` (0.10.2), which follows TensorFlow: the
 * geometric-sum inversion method where n·min(p, 1−p) ≤ 10 and Hörmann's transformed rejection
 * (BTRS) above, both as whole-array while loops that split the key once per round, run with the
 * same key and merged by a select (as JAX does, so the samples are the same function of the same
 * random bits). Samples are floats (counts), NaN for n < 0, NaN n or p outside [0, 1], +∞ for n = +∞.
 * `multinomial` draws one binomial per category with a scan over the categories.
 */
import { Array, type ArrayOrScalar } from "../core/array.js";
import { isFloat } from "../core/dtype.js";
import { broadcastShapes, shapeStr } from "../core/shape.js";
import * as L from "../core/ops.js";
import { checkOptions } from "../core/options.js";
import { whileLoop } from "../lax/control/while.js";
import { scan } from "../lax/control/scan.js";
import { take } from "../numpy/take.js";
import { array as npArray } from "../numpy/creation.js";
import type { Scheme } from "./threefry.js";
import { splitKeys } from "./threefry.js";
import { bind1 } from "../core/trace.js";
import { uniform, type DTypeOptions } from "./continuous.js";
import { fma } from "./special.js";
import { checkFloatDType, checkKey, checkShape, type FloatDType, type ShapeLike } from "./sampler-checks.js";
import { anyTrue, floatParam, paramShape, sampleShape, splitN } from "./distributions-helpers.js";

/** Options of `multinomial`: JAX's keyword-only `shape` (the full sample shape, ending in p's last axis) and `dtype`. */
export interface MultinomialOptions {
  /** The sample shape `[...batch, k]` (default p's shape); p must broadcast to it, n to its batch part. */
  shape?: ShapeLike;
  /** float32 (default) or float64. */
  dtype?: FloatDType;
}

/** Counts by summing geometric(q) gaps until they pass `count` (JAX's `_binomial_inversion`). */
function inversion(scheme: Scheme, k: Array, count: Array, q: Array): Array {
  const c = (v: number): Array => L.fullLike(q, v);
  // q = 0 needs log1p(-q) = -0 so that log(u)/log1p(-q) is +∞ and the loop ends after one round.
  const log1mq = L.select(L.eq(q, c(0)), c(-0), L.unary("log1p", L.neg(q)));
  type Carry = [Array, Array, Array];
  const [numGeom] = whileLoop(
    ([, geomSum]: Carry) => anyTrue(L.binary("le", geomSum, count)),
    ([n, geomSum, key]: Carry): Carry => {
      const [sub, next] = splitN(scheme, key, 2) as [Array, Array];
      const n2 = L.select(L.binary("le", geomSum, count), L.add(n, c(1)), n);
      const u = uniform(scheme, sub, q.shape, { dtype: q.dtype as FloatDType });
      const geom = L.unary("ceil", L.div(L.log(u), log1mq));
      return [n2, L.add(geomSum, geom), next];
    },
    [c(0), c(0), k] as Carry,
  );
  return L.sub(numGeom, c(1));
}

// log(k!) − [(k + ½) log(k + 1) − (k + 1) + ½ log 2π] for k = 0..9 (JAX's table).
const STIRLING_TAIL = [
  0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509, 0.0166446911898211,
  0.0138761288230707, 0.0118967099458917, 0.010411265261972, 0.00925546218271273, 0.00833056343336287,
];

/**
 * JAX's `_stirling_approx_tail`: the table for k ≤ 9, else the series — evaluated, as in JAX, at k
 * clamped to 9 (so a constant above 9; reproduced because it decides BTRS acceptances).
 */
function stirlingTail(k: Array): Array {
  const c = (v: number): Array => L.fullLike(k, v);
  const kc = L.binary("max", L.binary("min", k, c(9)), c(0));
  const kp1 = L.add(kc, c(1));
  const kp1sq = L.mul(kp1, kp1);
  const approx = L.div(L.sub(c(1 / 12), L.div(L.sub(c(1 / 360), L.div(c(1 / 1260), kp1sq)), kp1sq)), kp1);
  const table = take(npArray(STIRLING_TAIL, { dtype: k.dtype }), L.convert(L.unary("floor", kc), "int32"));
  return L.select(L.binary("le", k, c(9)), table, approx);
}

/** Hörmann's BTRS rejection sampler (JAX's `_btrs`), for count·q > 10 and q ≤ ½. */
function btrs(scheme: Scheme, k: Array, count: Array, q: Array): Array {
  const c = (v: number): Array => L.fullLike(q, v);
  const dtype = q.dtype as FloatDType;
  const stddev = L.sqrt(L.mul(L.mul(count, q), L.sub(c(1), q)));
  const b = fma(c(2.53), stddev, c(1.15));
  const a = L.add(fma(c(0.0248), b, c(-0.0873)), L.mul(c(0.01), q));
  const cc = fma(count, q, c(0.5));
  const vR = L.sub(c(0.92), L.div(c(4.2), b));
  const r = L.div(q, L.sub(c(1), q));
  const alpha = L.mul(L.add(c(2.83), L.div(c(5.1), b)), stddev);
  const m = L.unary("floor", L.mul(L.add(count, c(1)), q));
  const log = L.log;
  // The k-independent part of the acceptance bound.
  const ubM = L.mul(L.add(m, c(0.5)), log(L.div(L.add(m, c(1)), L.mul(r, L.add(L.sub(count, m), c(1))))));
  type Carry = [Array, Array, Array];
  const [kOut] = whileLoop(
    ([, accepted]: Carry) => anyTrue(L.unary("not", accepted)),
    ([kPrev, accepted, key]: Carry): Carry => {
      const [next, k0, k1] = splitN(scheme, key, 3) as [Array, Array, Array];
      const u = L.sub(uniform(scheme, k0, q.shape, { dtype }), c(0.5));
      const v0 = uniform(scheme, k1, q.shape, { dtype });
      const us = L.sub(c(0.5), L.unary("abs", u));
      const accept1 = L.binary("and", L.binary("ge", us, c(0.07)), L.binary("le", v0, vR));
      const kk = L.unary("floor", fma(L.add(L.div(L.mul(c(2), a), us), b), u, cc));
      const reject = L.binary("or", L.binary("lt", kk, c(0)), L.gt(kk, count));
      const v = log(L.div(L.mul(v0, alpha), L.add(L.div(a, L.mul(us, us)), b)));
      const nMinusK1 = L.add(L.sub(count, kk), c(1));
      const ub = L.sub(
        L.sub(
          L.add(
            L.add(
              L.add(
                L.add(ubM, L.mul(L.add(count, c(1)), log(L.div(L.add(L.sub(count, m), c(1)), nMinusK1)))),
                L.mul(L.add(kk, c(0.5)), log(L.div(L.mul(r, nMinusK1), L.add(kk, c(1))))),
              ),
              stirlingTail(m),
            ),
            stirlingTail(L.sub(count, m)),
          ),
          stirlingTail(kk),
        ),
        stirlingTail(L.sub(count, kk)),
      );
      const accept = L.binary("or", accept1, L.binary("and", L.unary("not", reject), L.binary("le", v, ub)));
      return [L.select(accept, kk, kPrev), L.binary("or", accepted, accept), next];
    },
    [c(-1), L.full({ shape: q.shape, dtype: "bool" }, 0), k] as Carry,
  );
  return kOut;
}

/** Binomial counts in `computeDType` for count and p already broadcast to the sample shape (JAX's `_binomial`). */
function binomialImpl(scheme: Scheme, k: Array, count0: Array, prob: Array): Array {
  const c = (v: number): Array => L.fullLike(prob, v);
  const isNan = (x: Array): Array => L.binary("ne", x, x);
  const pLtHalf = L.binary("lt", prob, c(0.5));
  const q0 = L.select(pLtHalf, prob, L.sub(c(1), prob));
  const countNanOrNeg = L.binary("or", isNan(count0), L.binary("lt", count0, c(0)));
  const countInf = L.eq(L.unary("abs", count0), c(Infinity));
  const qNan = isNan(q0);
  const qNeg = L.binary("lt", q0, c(0));
  const q = L.select(L.binary("or", qNan, qNeg), c(0.01), q0);
  const useInversion = L.binary("or", countNanOrNeg, L.binary("le", L.mul(count0, q), c(10)));
  const count = L.unary("floor", count0);
  const viaInversion = inversion(scheme, k, L.select(useInversion, count, c(0)), q);
  const viaBtrs = btrs(scheme, k, L.select(useInversion, c(1e4), count), L.select(useInversion, c(0.5), q));
  let samples = L.select(useInversion, viaInversion, viaBtrs);
  const invalid = L.binary("or", L.binary("or", qNeg, qNan), countNanOrNeg);
  samples = L.select(invalid, c(Number.NaN), samples);
  samples = L.select(L.binary("and", countInf, L.unary("not", invalid)), c(Infinity), samples);
  const keep = L.binary("or", L.binary("or", pLtHalf, countNanOrNeg), L.binary("or", qNan, countInf));
  return L.select(keep, samples, L.sub(count, samples));
}

/** The dtype JAX computes in: p's float dtype, else (numbers, integer arrays) the sample dtype. */
function computeDType(p: ArrayOrScalar, n: ArrayOrScalar, dtype: FloatDType): FloatDType {
  const floatOf = (v: ArrayOrScalar): FloatDType | undefined =>
    v instanceof Array && isFloat(v.dtype) ? (v.dtype as FloatDType) : undefined;
  const fp = floatOf(p);
  const fn = floatOf(n);
  if (fp === "float64" || fn === "float64") return "float64";
  return fp ?? fn ?? dtype;
}

function checkFloatArgs(op: string, args: Record<string, ArrayOrScalar>): void {
  for (const [name, v] of Object.entries(args)) {
    paramShape(op, name, v);
    if (v instanceof Array && v.dtype !== "float32" && v.dtype !== "float64" && !/^u?int/.test(v.dtype))
      throw new TypeError(`random.${op}: ${name} must be a number or a real array, got a ${v.dtype} array`);
  }
}

export function binomial(
  scheme: Scheme,
  k: Array,
  n: ArrayOrScalar,
  p: ArrayOrScalar,
  shape?: ShapeLike,
  opts: DTypeOptions = {},
): Array {
  checkOptions("random.binomial", opts, ["dtype"]);
  checkKey("binomial", k);
  const dtype = checkFloatDType("binomial", opts.dtype ?? "float32");
  checkFloatArgs("binomial", { n, p });
  const s = sampleShape("binomial", shape, { n, p });
  const cdt = computeDType(p, n, dtype);
  const samples = binomialImpl(
    scheme,
    k,
    floatParam("binomial", "n", n, cdt, s),
    floatParam("binomial", "p", p, cdt, s),
  );
  return L.convert(samples, dtype);
}

export function multinomial(
  scheme: Scheme,
  k: Array,
  n: ArrayOrScalar,
  p: ArrayOrScalar,
  opts: MultinomialOptions = {},
): Array {
  checkOptions("random.multinomial", opts, ["shape", "dtype"]);
  checkKey("multinomial", k);
  const dtype = checkFloatDType("multinomial", opts.dtype ?? "float32");
  checkFloatArgs("multinomial", { n, p });
  const pShape = paramShape("multinomial", "p", p);
  if (pShape.length < 1)
    throw new TypeError(
      `random.multinomial: p must be an array of shape [..., k] (the k outcome probabilities along the last axis), got a scalar`,
    );
  const s = opts.shape === undefined ? [...pShape] : checkShape("multinomial", opts.shape);
  if (s.length < 1 || s[s.length - 1] !== pShape[pShape.length - 1])
    throw new Error(
      `random.multinomial: shape ${shapeStr(s)} must end with p's number of outcomes ${pShape[pShape.length - 1]} (JAX's shape is the full sample shape)`,
    );
  broadcastShapes("random.multinomial", s, pShape);
  const batch = s.slice(0, -1);
  const cdt = computeDType(p, n, "float32");
  const nB = floatParam("multinomial", "n", n, cdt, batch);
  const pB = L.moveAxis(floatParam("multinomial", "p", p, cdt, s), s.length - 1, 0);
  const cats = s[s.length - 1]!;
  if (cats === 0) return L.full({ shape: s, dtype }, 0);
  // ratios[i] = p[i] / Σ_{j≥i} p[j] (0/0 read as 0): the last is 1, so p need not sum to 1.
  const slot = (i: number): Array =>
    L.reshape(
      bind1("slice", [pB], { start: [i, ...batch.map(() => 0)], limit: [i + 1, ...batch], strides: s.map(() => 1) }),
      batch,
    );
  const ratios: Array[] = new globalThis.Array(cats);
  let remaining: Array | undefined;
  for (let i = cats - 1; i >= 0; i--) {
    const pi = slot(i);
    remaining = remaining === undefined ? pi : L.add(pi, remaining);
    const safe = L.select(L.eq(remaining, L.fullLike(remaining, 0)), L.fullLike(remaining, 1), remaining);
    ratios[i] = L.reshape(L.div(pi, safe), [1, ...batch]);
  }
  const ratioStack = bind1("concatenate", ratios, { axis: 0 });
  const keys = splitKeys(scheme, k, [cats]);
  const [, counts] = scan(
    (remainder: Array, [ratio, kk]: [Array, Array]): [Array, Array] => {
      const clipped = L.binary("min", L.binary("max", ratio, L.fullLike(ratio, 0)), L.fullLike(ratio, 1));
      const count = binomialImpl(scheme, kk, remainder, clipped);
      return [L.sub(remainder, count), count];
    },
    nB,
    [ratioStack, keys] as [Array, Array],
  );
  return L.convert(L.moveAxis(counts, 0, s.length - 1), dtype);
}
