/**
 * Numerical helpers for the samplers, as compositions of graft primitives: the inverse error
 * function, `nextafter` toward ±∞, and a stable sort-by-key (graft has no sort primitive).
 */
import type { Array } from "../core/array.js";
import type { FloatDType } from "./sampler-checks.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";
import { whileLoop } from "../lax/control/while.js";
import { anyTrue } from "./distributions-helpers.js";

const k = (x: Array, v: number): Array => L.fullLike(x, v);

/**
 * a·b + c as XLA's fused multiply-add for `mul` followed by `add` (XLA always allows FMA
 * contraction), computed in the operands' own float dtype — so it runs on backends without
 * float64 (WebGPU) and gives the same bits on all of them: the product is split exactly into
 * p + e (Dekker's two-product, Veltkamp's split by 2¹² + 1 for float32 and 2²⁷ + 1 for float64),
 * the sum p + c exactly into s + t (Knuth's two-sum), and the result is s + (t + e), one rounding
 * of the exact value up to the rare case where t + e itself rounds across a tie (none in 8·10⁶
 * random float32 triples against the float64 evaluation, `scripts/check-fma32.py`). Where |a| or
 * |b| is so large that the split would overflow it falls back to a rounded multiply and add.
 */
export function fma(a: Array, b: Array, c: Array): Array {
  if (a.dtype !== "float32" && a.dtype !== "float64") return L.add(L.mul(a, b), c);
  const [splitter, hugeBound] = a.dtype === "float32" ? [4097, 2 ** 100] : [134217729, 2 ** 995];
  const split = (x: Array): [Array, Array] => {
    const t = L.mul(x, k(x, splitter));
    const hi = L.sub(t, L.sub(t, x));
    return [hi, L.sub(x, hi)];
  };
  const p = L.mul(a, b);
  const [ah, al] = split(a);
  const [bh, bl] = split(b);
  const e = L.add(L.add(L.add(L.sub(L.mul(ah, bh), p), L.mul(ah, bl)), L.mul(al, bh)), L.mul(al, bl));
  const s = L.add(p, c);
  const bb = L.sub(s, p);
  const t = L.add(L.sub(p, L.sub(s, bb)), L.sub(c, bb));
  const exact = L.add(s, L.add(t, e));
  const huge = (x: Array): Array => L.binary("gt", L.unary("abs", x), k(x, hugeBound));
  return L.select(L.binary("or", huge(a), huge(b)), L.add(p, c), exact);
}

// Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011), single precision: the
// constants and evaluation order of XLA's ErfInv32 (what jax.lax.erf_inv lowers to for float32).
const W_LT_5 = [
  2.81022636e-8, 3.43273939e-7, -3.5233877e-6, -4.39150654e-6, 0.00021858087, -0.00125372503, -0.00417768164,
  0.246640727, 1.50140941,
];
const W_GE_5 = [
  -0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613, 0.00943887047,
  1.00167406, 2.83297682,
];

/**
 * erf⁻¹(x) for float32/float64 `x` in [-1, 1] (±∞ at ±1, NaN outside). float32 evaluates XLA's
 * ErfInv32 step for step (w = -log1p(-x·x), a degree-8 polynomial in w - 2.5 or √w - 3, Horner
 * steps fused as XLA's CPU and GPU backends fuse them), so it matches `jax.lax.erf_inv` up to the
 * rounding of `log1p` (XLA's is not correctly rounded; graft's is). float64 refines that estimate with two
 * Newton steps on erf (accurate to a few ulp; XLA's float64 polynomial is not reproduced).
 */
export function erfinv(x: Array): Array {
  const w0 = L.neg(L.unary("log1p", L.mul(L.neg(x), x)));
  const lt = L.binary("lt", w0, k(w0, 5));
  const w = L.select(lt, L.sub(w0, k(w0, 2.5)), L.sub(L.sqrt(w0), k(w0, 3)));
  const coef = (i: number): Array => L.select(lt, k(x, W_LT_5[i]!), k(x, W_GE_5[i]!));
  let p = coef(0);
  for (let i = 1; i < W_LT_5.length; i++) p = fma(p, w, coef(i));
  let y = L.mul(p, x);
  if (x.dtype === "float64") {
    // y ← y - (erf(y) - x) / erf'(y), erf'(y) = 2/√π e^{-y²}.
    for (let i = 0; i < 2; i++) {
      const d = L.mul(k(y, 2 / Math.sqrt(Math.PI)), L.exp(L.neg(L.mul(y, y))));
      y = L.sub(y, L.div(L.sub(L.unary("erf", y), x), d));
    }
  }
  // erfinv(±1) = ±∞ (the polynomial is indeterminate there).
  return L.select(L.eq(L.unary("abs", x), k(x, 1)), L.mul(x, k(x, Infinity)), y);
}

const MAX_FINITE: Record<FloatDType, number> = { float32: 3.4028234663852886e38, float64: Number.MAX_VALUE };
const MIN_SUBNORMAL: Record<FloatDType, number> = { float32: 2 ** -149, float64: Number.MIN_VALUE };
// |x|·c lies strictly between half an ulp and 1.5 ulp of every finite x (including the smaller ulp
// just below a power of two), so x + max(|x|·c, tiny) rounds to the next float up.
const STEP: Record<FloatDType, number> = { float32: 2 ** -24 * (1 + 2 ** -10), float64: 2 ** -53 * (1 + 2 ** -10) };

/** The next representable value above `x` (`nextafter(x, +∞)`), elementwise, for float32/float64. */
export function nextUp(x: Array): Array {
  const dt = x.dtype;
  if (dt !== "float32" && dt !== "float64")
    throw new Error(`internal error: nextUp needs float32 or float64, got ${dt}`);
  const eps = L.binary("max", L.mul(L.unary("abs", x), k(x, STEP[dt])), k(x, MIN_SUBNORMAL[dt]));
  const y = L.add(x, eps);
  return L.select(L.eq(x, k(x, -Infinity)), k(x, -MAX_FINITE[dt]), y);
}

/** The next representable value below `x` (`nextafter(x, -∞)`). */
export const nextDown = (x: Array): Array => L.neg(nextUp(L.neg(x)));

/**
 * `x` stably sorted along `axis` by `keys` (same shape): JAX's `lax.sort_key_val(keys, x, axis)`
 * with `is_stable=True`, as a stable argsort of the keys followed by a gather (O(n log n)).
 */
export function sortByKeys(keys: Array, x: Array, axis: number): Array {
  const n = x.shape[axis];
  if (n === undefined)
    throw new Error(`internal error: sortByKeys: axis ${axis} is out of range for shape [${x.shape.join(", ")}]`);
  if (n <= 1) return x;
  const last = x.ndim - 1;
  const K = L.moveAxis(keys, axis, last);
  const X = L.moveAxis(x, axis, last);
  const flatB = K.size / n;
  const order = L.reshape(bind1("argsort", [K], { axis: last }), [flatB, n]);
  const offsets = L.mul(
    bind1("iota", [], { shape: [flatB, n], dimension: 0, dtype: "int32" }),
    L.full({ shape: [flatB, n], dtype: "int32" }, n),
  );
  const sorted = bind1("gather", [L.reshape(X, [flatB * n]), L.add(order, offsets)], { axis: 0 });
  return L.moveAxis(L.reshape(sorted, X.shape), last, axis);
}

/**
 * The digamma function ψ(x) for x > 0 (float32/float64): six steps of ψ(x) = ψ(x + 1) − 1/x
 * lift x below 6 to x + 6, where the asymptotic series log x − 1/2x − Σ B₂ₖ/(2k·x²ᵏ) truncated
 * after x⁻⁸ is within 2·10⁻¹⁰ (the next term is 1/(132·x¹⁰)).
 */
export function digamma(x: Array): Array {
  const small = L.binary("lt", x, k(x, 6));
  let shift = k(x, 0);
  let y = x;
  for (let i = 0; i < 6; i++) {
    shift = L.add(shift, L.select(small, L.div(k(x, 1), y), k(x, 0)));
    y = L.select(small, L.add(y, k(x, 1)), y);
  }
  const inv2 = L.div(k(x, 1), L.mul(y, y));
  // 1/12 − inv2/120 + inv2²/252 − inv2³/240, times inv2.
  let tail = k(x, -1 / 240);
  for (const c of [1 / 252, -1 / 120, 1 / 12]) tail = L.add(L.mul(tail, inv2), k(x, c));
  const asymptotic = L.sub(L.sub(L.log(y), L.div(k(x, 0.5), y)), L.mul(tail, inv2));
  return L.sub(asymptotic, shift);
}

// Iteration cap of both expansions (XLA's igamma uses 2000 as well): the series needs about
// x + 6√x terms and the continued fraction about 6√x, so this covers a, x up to ~10⁵.
const MAX_ITERS = 2000;

/**
 * (1/x)·dx/da at fixed P(a, x) for the series branch (x ≤ 1 or x ≤ a): with
 * S = Σₙ xⁿ/((a+1)…(a+n)), P = e^{a log x − x − lgamma(a+1)}·S and the density e^{…}·a/x, so
 * (1/x)·dx/da = −(S·(log x − ψ(a+1)) + dS/da)/a. Written in terms of log x so it holds where x
 * underflows (loggamma's tiny samples).
 */
function seriesLogGrad(a: Array, x: Array, logx: Array, enabled0: Array, eps: number): Array {
  type Carry = [Array, Array, Array, Array, Array, Array, Array];
  const one = k(a, 1);
  const [, , , S, dS] = whileLoop(
    ([i, enabled]: Carry) => L.binary("and", anyTrue(enabled), L.binary("lt", i, L.scalar(MAX_ITERS, "int32"))),
    ([i, enabled, r, s, ds, t, dt]: Carry): Carry => {
      const r2 = L.add(r, one);
      // t_n = t_{n-1}·x/(a+n); d t_n/da = d t_{n-1}/da·x/(a+n) − t_n/(a+n).
      const t2 = L.mul(t, L.div(x, r2));
      const dt2 = L.sub(L.mul(dt, L.div(x, r2)), L.div(t2, r2));
      const s2 = L.add(s, t2);
      const ds2 = L.add(ds, dt2);
      const going = L.binary(
        "and",
        enabled,
        L.binary(
          "or",
          L.gt(L.unary("abs", t2), L.mul(k(a, eps), L.unary("abs", s2))),
          L.gt(L.unary("abs", dt2), L.mul(k(a, eps), L.unary("abs", ds2))),
        ),
      );
      const keep = (n: Array, o: Array): Array => L.select(enabled, n, o);
      return [
        L.add(i, L.scalar(1, "int32")),
        going,
        keep(r2, r),
        keep(s2, s),
        keep(ds2, ds),
        keep(t2, t),
        keep(dt2, dt),
      ];
    },
    [L.scalar(0, "int32"), enabled0, a, one, k(a, 0), one, k(a, 0)] as Carry,
  );
  return L.neg(L.div(L.add(L.mul(S, L.sub(logx, digamma(L.add(a, one)))), dS), a));
}

/**
 * dx/da at fixed P(a, x) for the continued-fraction branch (x > 1 and x > a): with the fraction F of
 * Q(a, x) = e^{a log x − x − lgamma(a)}·F (Cephes' igamc recurrence, differentiated in a alongside),
 * dx/da = x·(F·(log x − ψ(a)) + dF/da).
 */
function continuedFractionGrad(a: Array, x: Array, enabled0: Array, eps: number): Array {
  const big = a.dtype === "float32" ? 2 ** 32 : 2 ** 52;
  const c1 = (v: number): Array => k(a, v);
  // y = 1 − a, z = x + y + 1 (dy/da = dz/da = −1); the convergents pₖ/qₖ and their a-derivatives.
  const y0 = L.sub(c1(1), a);
  const z0 = L.add(L.add(x, y0), c1(1));
  const q1 = L.mul(z0, x);
  const p1 = L.add(x, c1(1));
  type Carry = [
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
    Array,
  ];
  const out = whileLoop(
    ([i, enabled]: Carry) => L.binary("and", anyTrue(enabled), L.binary("lt", i, L.scalar(MAX_ITERS, "int32"))),
    (carry: Carry): Carry => {
      const [i, enabled, c, y, z, pm2, qm2, pm1, qm1, dpm2, dqm2, dpm1, dqm1, ans, dans] = carry;
      const cN = L.add(c, c1(1));
      const yN = L.add(y, c1(1));
      const zN = L.add(z, c1(2));
      const yc = L.mul(yN, cN);
      const pk = L.sub(L.mul(pm1, zN), L.mul(pm2, yc));
      const qk = L.sub(L.mul(qm1, zN), L.mul(qm2, yc));
      // d(yc)/da = −c, dz/da = −1.
      const dpk = L.add(L.sub(L.sub(L.mul(dpm1, zN), pm1), L.mul(dpm2, yc)), L.mul(pm2, cN));
      const dqk = L.add(L.sub(L.sub(L.mul(dqm1, zN), qm1), L.mul(dqm2, yc)), L.mul(qm2, cN));
      const nonzero = L.binary("ne", qk, c1(0));
      const qs = L.select(nonzero, qk, c1(1));
      const r = L.div(pk, qs);
      const dr = L.div(L.sub(dpk, L.mul(r, dqk)), qs);
      const ansN = L.select(nonzero, r, ans);
      const dansN = L.select(nonzero, dr, dans);
      const going = L.binary(
        "and",
        enabled,
        L.binary(
          "or",
          L.unary("not", nonzero),
          L.binary(
            "or",
            L.gt(L.unary("abs", L.sub(ans, r)), L.mul(c1(eps), L.unary("abs", r))),
            L.gt(L.unary("abs", L.sub(dans, dr)), L.mul(c1(eps), L.unary("abs", dr))),
          ),
        ),
      );
      // Rescale all four convergents (and derivatives) together: their ratios are what count.
      const s = L.select(L.gt(L.unary("abs", pk), c1(big)), c1(1 / big), c1(1));
      const sc = (v: Array): Array => L.mul(v, s);
      const keep = (n: Array, o: Array): Array => L.select(enabled, n, o);
      return [
        L.add(i, L.scalar(1, "int32")),
        going,
        keep(cN, c),
        keep(yN, y),
        keep(zN, z),
        keep(sc(pm1), pm2),
        keep(sc(qm1), qm2),
        keep(sc(pk), pm1),
        keep(sc(qk), qm1),
        keep(sc(dpm1), dpm2),
        keep(sc(dqm1), dqm2),
        keep(sc(dpk), dpm1),
        keep(sc(dqk), dqm1),
        keep(ansN, ans),
        keep(dansN, dans),
      ];
    },
    [
      L.scalar(0, "int32"),
      enabled0,
      c1(0),
      y0,
      z0,
      c1(1),
      x,
      p1,
      q1,
      c1(0),
      c1(0),
      c1(0),
      L.neg(x),
      L.div(p1, q1),
      L.div(L.div(p1, q1), z0),
    ] as Carry,
  );
  const [F, dF] = [out[13], out[14]];
  return L.mul(x, L.add(L.mul(F, L.sub(L.log(x), digamma(a))), dF));
}

/**
 * The implicit reparameterization gradient of a Gamma(a, 1) sample x: dx/da = −(∂P/∂a)/(∂P/∂x) with
 * P the regularized lower incomplete gamma function (what `jax.lax.random_gamma_grad` computes),
 * divided by x when `logSpace` (d log x/da, given log x). Series for x ≤ max(1, a), continued
 * fraction above, both carrying their a-derivative; elementwise, run in `a`'s float dtype.
 */
export function gammaSampleGrad(a: Array, logx: Array, logSpace: boolean): Array {
  const eps = a.dtype === "float32" ? 2 ** -24 : 2 ** -53;
  const x = L.exp(logx);
  const useCf = L.binary("and", L.gt(x, k(x, 1)), L.gt(x, a));
  const seriesMask = L.unary("not", useCf);
  // Elements of the other branch get harmless inputs (their loops are disabled from the start).
  const xCf = L.select(useCf, x, k(x, 2));
  const aCf = L.select(useCf, a, k(a, 1));
  const viaCf = continuedFractionGrad(aCf, xCf, useCf, eps);
  const logGradSeries = seriesLogGrad(a, L.select(seriesMask, x, k(x, 0.5)), logx, seriesMask, eps);
  if (logSpace) return L.select(useCf, L.div(viaCf, xCf), logGradSeries);
  // x = 0 (an underflowed sample) has derivative 0, as the series' x·(…) tends to 0.
  const viaSeries = L.select(L.eq(x, k(x, 0)), k(x, 0), L.mul(logGradSeries, x));
  return L.select(useCf, viaCf, viaSeries);
}
