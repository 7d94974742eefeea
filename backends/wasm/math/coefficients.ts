/**
 * Coefficients and split constants of the vector math functions, printed by
 * scripts/gen-math-coefficients.py (weighted Remez fits in 50-digit arithmetic). Do not edit by
 * hand: change the script and run it again. Polynomials list c0, c1, … (the coefficient of t^i at i).
 */

/** e^r ≈ 1 + r + r²·P(r), |r| ≤ ln2/2, relative error. Fit error 3.06e-9, 3.19e-9 with these coefficients. */
export const EXP_F32 = [0.49999994, 0.16666517, 0.041668102, 0.0083691925, 0.0013838903] as const;

/** e^r − 1 ≈ r + r²·P(r), |r| ≤ ln2/2, relative error. Fit error 2.67e-10, 4.67e-10 with these coefficients. */
export const EXPM1_F32 = [0.5, 0.16666666, 0.041666467, 0.008333644, 0.0013935071, 0.00019663313] as const;

/** 2·atanh(s) ≈ 2s + s·z·P(z), z = s² ≤ 0.0295, absolute error of z·P(z). Fit error 1.62e-9, 1.62e-9 with these coefficients. */
export const LOG_F32 = [0.66666776, 0.39977583, 0.29870796] as const;

/** erf(x) ≈ x·P(x²), |x| ≤ 1, relative error. Fit error 1.21e-9, 5.37e-8 with these coefficients. */
export const ERF_F32 = [
  1.1283791, -0.37612218, 0.112789676, -0.026661096, 0.0048228162, -0.00048035473, -2.722315e-5,
] as const;

/** erfc(x) ≈ e^{−x²}·P(x − 2.5), 1 ≤ x ≤ 4, absolute error of erfc (that is, of erf). Fit error 1.33e-8, 1.33e-8 with these coefficients. */
export const ERFC_F32 = [
  0.21080655, -0.074299715, 0.025157912, -0.007803843, 0.0019669428, -0.0019616026, -0.0008000448, -0.00038883378,
] as const;

/** ln 2 to 16 bits, so that k·LN2_HI_F32 is exact for |k| < 256. */
export const LN2_HI_F32 = 0.69314575;

/** ln 2 − LN2_HI_F32, rounded to float32. */
export const LN2_LO_F32 = 1.4286068e-6;

/** e^r ≈ 1 + r + r²·P(r), |r| ≤ ln2/2, relative error. Fit error 1.64e-14, 1.64e-14 with these coefficients. */
export const EXP_F64 = [
  0.4999999999966456, 0.1666666666726471, 0.041666666962071365, 0.008333333095242083, 0.0013888811174847155,
  0.00019841538971374672, 2.4880794417282807e-5, 2.7493082161235464e-6,
] as const;

/** 2·atanh(s) ≈ 2s + s·z·P(z), z = s² ≤ 0.0295, absolute error of z·P(z). Fit error 5.92e-14, 5.92e-14 with these coefficients. */
export const LOG_F64 = [
  0.6666666667579991, 0.3999999562253801, 0.28572109052254246, 0.22176194294611612, 0.19584055914180615,
] as const;

/** sin r ≈ r + r³·P(r²), |r| ≤ π/4, relative error. Fit error 5.01e-15, 5.01e-15 with these coefficients. */
export const SIN_F64 = [
  -0.16666666666630314, 0.008333333325071137, -0.00019841263724954276, 2.755533886329621e-6, -2.476039628113013e-8,
] as const;

/** cos r ≈ 1 − r²/2 + r⁴·P(r²), |r| ≤ π/4, relative error. Fit error 9.25e-17, 9.25e-17 with these coefficients. */
export const COS_F64 = [
  0.04166666666659647, -0.001388888887760267, 2.4801580703329876e-5, -2.755552238707047e-7, 2.064507241302387e-9,
] as const;

/** atan u ≈ u + u³·P(u²), |u| ≤ tan(π/8), relative error. Fit error 2.76e-14, 2.76e-14 with these coefficients. */
export const ATAN_F64 = [
  -0.3333333333166125, 0.19999999680239713, -0.14285693323353432, 0.11110443436423709, -0.09079053572960437,
  0.07567947399072814, -0.05888892910118292, 0.030862658275973683,
] as const;

/** sinh x ≈ x + x³·P(x²), |x| ≤ 1, relative error. Fit error 8.13e-14, 8.13e-14 with these coefficients. */
export const SINH_F64 = [
  0.166666666670473, 0.008333333278472087, 0.00019841295399106163, 2.7552141256554e-6, 2.5526644060772046e-8,
] as const;

/** ln 2 to 32 bits, so that n·LN2_HI_F64 is exact for |n| < 2^21. */
export const LN2_HI_F64 = 0.6931471803691238;

/** ln 2 − LN2_HI_F64, rounded to float64. */
export const LN2_LO_F64 = 1.9082149292705877e-10;

/** π/2 = Σ parts: three of 29 significant bits and a float64 rest (Cody–Waite). */
export const PIO2_F64 = [
  1.570796325802803, 9.920935808982456e-10, -1.2177051780877821e-18, 2.9038559739793605e-28,
] as const;

/** 2/π rounded to float64. */
export const TWO_OVER_PI_F64 = 0.6366197723675814;

/** π/2 · 2^-62: one quadrant unit of the 2.62 fixed point of the Payne–Hanek reduction. */
export const PIO2_2M62_F64 = 3.4061215800865545e-19;

/**
 * 2/π in binary, as four 64-bit words, most significant first: bit p of the string (p = 0 the top
 * bit of the first word, the units bit, which is 0) has weight 2^-p. For the Payne–Hanek reduction.
 */
export const TWO_OVER_PI_BITS = [
  0x517cc1b727220a94n,
  0xfe13abe8fa9a6ee0n,
  0x6db14acc9e21c820n,
  0xff28b1d5ef5de2b0n,
] as const;
