/**
 * erf in float32. |x| < 1: the Taylor series 2/√π·Σ (−1)^n x^(2n+1)/(n!(2n+1)) to n = 11
 * (truncation below 2^-33), its leading term x·2/√π formed error-free. 1 <= |x| < 4:
 * 1 − e^{−x²}·g(x) where g(x) = e^{x²}·erfc(x), a smooth function, is a degree-12 polynomial in
 * t = (2|x| − 5)/3: the interpolant at 13 Chebyshev nodes of g evaluated by its continued
 * fraction (relative error 6e-9); erfc is below 0.16 there, so its float32 errors shrink in the
 * result. Beyond 3.92 erf rounds to ±1. erf(±0) = ±0, as the reference's.
 */
import { COPYSIGN, f32Const, helper, LAUNDER } from "../helpers.js";
import { TWO_PROD } from "./df.js";
import { EXP } from "./exp.js";

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/** Horner form over u of Σ_{n=1..11} (2/√π)(−1)^n u^(n−1)/(n!(2n+1)). */
function taylorTail(): string {
  const c: number[] = [];
  let fact = 1;
  for (let n = 1; n <= 11; n++) {
    fact *= n;
    c.push((TWO_OVER_SQRT_PI * (n % 2 === 0 ? 1 : -1)) / (fact * (2 * n + 1)));
  }
  return c.reduceRight((acc, cn) => (acc === "" ? f32Const(cn) : `${f32Const(cn)} + u * (${acc})`), "");
}

/** g on [1, 4] in powers of t = (2x − 5)/3, constant term first. */
const G_COEFFS = [
  0.21080636978149414, -0.11152100563049316, 0.05611048638820648, -0.027005717158317566, 0.012489520013332367,
  -0.005567380227148533, 0.0024024874437600374, -0.0010170089080929756, 0.00041298693395219743, -0.000144057790748775,
  0.00005630357554764487, -0.000036888912291033193, 0.000013365835911827162,
];

const horner = (coeffs: readonly number[], v: string): string =>
  coeffs.reduceRight((acc, c) => (acc === "" ? f32Const(c) : `${f32Const(c)} + ${v} * (${acc})`), "");

const C0_HI = Math.fround(TWO_OVER_SQRT_PI);
const C0_LO = Math.fround(TWO_OVER_SQRT_PI - C0_HI);

export const ERF = helper(
  "gx_erf",
  `
fn gx_erf(x: f32, z: u32) -> f32 {
  let ab = bitcast<u32>(x) & 0x7fffffffu;
  if (ab > 0x7f800000u || ab == 0u) { return x; }
  let ax = bitcast<f32>(ab);
  if (ax < 1.0) {
    // Tiny x is scaled up by 2^64 first, so the error-free product does not underflow.
    let tiny = ab < 0x0d800000u;
    let xs = select(x, x * 18446744073709551616.0, tiny);
    let u = x * x;
    let p = gx_two_prod(xs, ${f32Const(C0_HI)}, z);
    let r = p.x + gx_o(p.y + xs * (${f32Const(C0_LO)} + u * (${taylorTail()})), z);
    return select(r, r * 5.421010862427522e-20, tiny);
  }
  var r = 1.0;
  if (ax < 4.0) {
    let t = (2.0 * ax - 5.0) / 3.0;
    r = 1.0 - gx_exp(-ax * ax, z) * (${horner(G_COEFFS, "t")});
  }
  return gx_copysign(r, x);
}`,
  [COPYSIGN, LAUNDER, TWO_PROD, EXP],
);
