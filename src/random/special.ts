/**
 * Numerical helpers for the samplers, as compositions of graft primitives: the inverse error
 * function, `nextafter` toward ±∞, and a stable sort-by-key (graft has no sort primitive).
 */
import type { Array } from "../core/array.js";
import type { FloatDType } from "./sampler-checks.js";
import { bind1 } from "../core/trace.js";
import * as L from "../core/ops.js";

const k = (x: Array, v: number): Array => L.fullLike(x, v);

/**
 * a·b + c. For float32 it is computed as XLA's fused multiply-add for `mul` followed by `add` (XLA
 * always allows FMA contraction), in float32 arithmetic only — so it runs on backends without
 * float64 (WebGPU) and gives the same bits on all of them: the product is split exactly into
 * p + e (Dekker's two-product, Veltkamp's split by 4097), the sum p + c exactly into s + t
 * (Knuth's two-sum), and the result is s + (t + e), one rounding of the exact value up to the
 * rare case where t + e itself rounds across a tie (none in 8·10⁶ random triples against the
 * float64 evaluation, `scripts/check-fma32.py`). Where |a| or |b| exceeds 2¹⁰⁰ the split would
 * overflow: there it falls back to a rounded multiply and add. float64 operands use a plain
 * multiply and add.
 */
export function fma(a: Array, b: Array, c: Array): Array {
  if (a.dtype !== "float32") return L.add(L.mul(a, b), c);
  const split = (x: Array): [Array, Array] => {
    const t = L.mul(x, k(x, 4097));
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
  const huge = (x: Array): Array => L.binary("gt", L.unary("abs", x), k(x, 2 ** 100));
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
