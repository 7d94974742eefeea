/**
 * sin, cos and tan on f32x4, evaluated in float64 (see f64.ts) with an argument reduction that is
 * exact enough for every float32:
 *
 * - |x| < 2^24: Cody–Waite in float64, r = x − n·π/2 with n = nearest(x·2/π) < 2^24 and π/2 in
 *   three parts of 29 significant bits (so each n·part is exact) plus a float64 rest. Each
 *   difference is exact while it is small, so r keeps a relative error near 2^-53 even for x
 *   next to a multiple of π/2.
 * - 2^24 ≤ |x| < ∞ (rare: one branch per vector, then the affected lanes one by one): Payne–Hanek
 *   in 64-bit integers. |x| = m·2^e with m < 2^24 an integer and e ≥ 1; the bits of 2/π of weight
 *   2^(1−e) and below are the only ones that matter modulo 4, and m times a 128-bit window of them
 *   gives x·2/π mod 4 as a 2.62 fixed point (the truncation error is below 2^-62 quadrants).
 *
 * Then sin r = r + r³·S(r²) and cos r = 1 − r²/2 + r⁴·C(r²) on |r| ≤ π/4, and the quadrant n mod
 * 4 picks and signs them (tan = sin/cos or −cos/sin). sin and tan are odd: they work on |x| and put
 * the sign of x back bitwise, which keeps sin(−0) = −0. ±∞ and NaN give NaN.
 *
 * Verified range: all float32, both reductions included. The 1-ulp bound of MATH_ULP_BOUNDS was
 * checked against Math.sin/cos/tan on all 2^32 inputs (a scratch run); the unit test checks
 * |x| ≤ 64 every 1/1024 and |x| ≤ 1e5 every 1/4, random float32 in every binade up to 3.4e38, and
 * the 25 float32 nearest to a multiple of π/2 (the nearest of all, 16367173·2^72, is 2^-29.2 away;
 * the fixed point above resolves 2^-62). There is no range beyond which accuracy degrades.
 */
import { OP, SIMD } from "../encoder/opcodes.js";
import { COS_F64, PIO2_2M62_F64, PIO2_F64, SIN_F64, TWO_OVER_PI_BITS, TWO_OVER_PI_F64 } from "./coefficients.js";
import { type Body, type Ex, f32, f64, type Helpers, I32, I64, i32, i64, lane, V128, v128 } from "./dsl.js";
import { SIGN32 } from "./exp.js";
import { narrow, SIGN64, widen } from "./f64.js";

type Which = "sin" | "cos" | "tan";

/** sin, cos or tan of an f32x4. */
export function trig(which: Which, b: Body, x: Ex, h: Helpers): Ex {
  const ax = b.let(f32.abs(x));
  const halves = widen(b, ax).map((hx) => {
    const n = b.variable(f64.nearest(f64.mul(hx, f64.c(TWO_OVER_PI_F64))));
    let r: Ex = hx;
    for (const part of PIO2_F64) r = f64.sub(r, f64.mul(n.get, f64.c(part)));
    return { n, r: b.variable(r) };
  });
  const big = b.let(v128.and(f32.ge(ax, f32.c(2 ** 24)), f32.lt(ax, f32.c(Number.POSITIVE_INFINITY))));
  b.when(v128.anyTrue(big), () => {
    const ph = h.helper("rem_pio2_large", [I32], [V128], payneHanek);
    const res = b.f.local(V128);
    for (let i = 0; i < 4; i++) {
      const half = halves[i >> 1];
      if (!half) throw new Error("unreachable");
      b.when(lane.i32(big, i), () => {
        lane.i32(ax, i)(b.c);
        b.c.call(ph).set(res);
        const got = b.get(res);
        half.r.set(lane.setF64(half.r.get, i & 1, lane.f64(got, 0)));
        half.n.set(lane.setF64(half.n.get, i & 1, lane.f64(got, 1)));
      });
    }
  });
  const [lo, hi] = halves.map(({ n, r }) => b.let(quadrant(which, b, n.get, r.get)));
  if (!lo || !hi) throw new Error("unreachable");
  const y = narrow(b, lo, hi);
  return which === "cos" ? y : v128.xor(y, v128.and(x, i32.c(SIGN32)));
}

/** The function of r (|r| ≤ π/4) in quadrant n (an integer-valued f64x2). */
function quadrant(which: Which, b: Body, n: Ex, rr: Ex): Ex {
  const r = b.let(rr);
  const q = b.let(f64.sub(n, f64.mul(f64.floor(f64.mul(n, f64.c(0.25))), f64.c(4))));
  const odd = b.let(f64.eq(f64.sub(q, f64.mul(f64.floor(f64.mul(q, f64.c(0.5))), f64.c(2))), f64.c(1)));
  const z = b.let(f64.mul(r, r));
  const s = b.let(f64.add(r, f64.mul(f64.mul(r, z), f64.poly(z, SIN_F64))));
  const co = b.let(f64.add(f64.sub(f64.c(1), f64.mul(z, f64.c(0.5))), f64.mul(f64.mul(z, z), f64.poly(z, COS_F64))));
  if (which === "tan") return f64.div(v128.select(odd, f64.neg(co), s), v128.select(odd, s, co));
  const upper = f64.ge(q, f64.c(2));
  if (which === "sin") return v128.xor(v128.select(odd, co, s), v128.and(upper, i64.c(SIGN64)));
  return v128.xor(v128.select(odd, s, co), v128.and(v128.xor(odd, upper), i64.c(SIGN64)));
}

/**
 * Payne–Hanek for one lane: (i32 bits of |x|, 2^24 ≤ |x| < ∞) → f64x2 [r, n mod 4] with
 * x = n·π/2 + r, |r| ≤ π/4.
 */
function payneHanek(b: Body): void {
  const { c, f } = b;
  const bits = 0;
  const s = f.local(I32);
  const m = f.local(I64);
  const v1 = f.local(I64);
  const v2 = f.local(I64);
  const sum = f.local(I64);
  const q = f.local(I64);
  // |x| = m·2^e, e = biased exponent − 150 ≥ 1; the window starts at bit s = e − 1 of 2/π.
  c.get(bits).i32(23).op(OP.i32_shr_u).i32(151).op(OP.i32_sub).set(s);
  c.get(bits).i32(0x7fffff).op(OP.i32_and).i32(0x800000).op(OP.i32_or).op(OP.i64_extend_i32_u).set(m);
  window(b, s);
  c.set(v1);
  c.get(s).i32(64).op(OP.i32_add).set(s);
  window(b, s);
  c.set(v2);
  // sum = m·v1 + ⌊m·v2 / 2^64⌋ (mod 2^64): x·2/π mod 4 in units of 2^-62.
  c.get(m).get(v1).op(OP.i64_mul);
  c.get(m).get(v2).i64(32n).op(OP.i64_shr_u).op(OP.i64_mul);
  c.get(m).get(v2).i64(0xffffffffn).op(OP.i64_and).op(OP.i64_mul).i64(32n).op(OP.i64_shr_u);
  c.op(OP.i64_add).i64(32n).op(OP.i64_shr_u).op(OP.i64_add).set(sum);
  // The nearest quadrant, and the signed remainder in [-2^61, 2^61) units.
  c.get(sum)
    .i64(1n << 61n)
    .op(OP.i64_add)
    .i64(62n)
    .op(OP.i64_shr_u)
    .set(q);
  c.get(sum).get(q).i64(62n).op(OP.i64_shl).op(OP.i64_sub).op(OP.f64_convert_i64_s).f64(PIO2_2M62_F64).op(OP.f64_mul);
  c.simd(SIMD.f64x2_splat).get(q).op(OP.f64_convert_i64_u).lane(SIMD.f64x2_replace_lane, 1);
}

/** Pushes the 64 bits of 2/π starting at bit `s` (an i32 local, 0 ≤ s < 192) as an i64. */
function window(b: Body, s: number): void {
  const { c, f } = b;
  const k = f.local(I32);
  const sh = f.local(I32);
  c.get(s).i32(6).op(OP.i32_shr_u).set(k);
  c.get(s).i32(63).op(OP.i32_and).set(sh);
  // word(k + base) for k in {0, 1, 2}, by two selects.
  const word = (base: number): void => {
    const w = (i: number): bigint => TWO_OVER_PI_BITS[i] ?? 0n;
    c.i64(w(base))
      .i64(w(base + 1))
      .i64(w(base + 2))
      .get(k)
      .i32(1)
      .op(OP.i32_eq)
      .op(OP.select);
    c.get(k).op(OP.i32_eqz).op(OP.select);
  };
  word(0);
  c.get(sh).op(OP.i64_extend_i32_u).op(OP.i64_shl);
  // The next word's top bits; a shift by 64 would be a shift by 0 in wasm, hence the select.
  word(1);
  c.i32(64).get(sh).op(OP.i32_sub).op(OP.i64_extend_i32_u).op(OP.i64_shr_u);
  c.i64(0n).get(sh).op(OP.select);
  c.op(OP.i64_or);
}
