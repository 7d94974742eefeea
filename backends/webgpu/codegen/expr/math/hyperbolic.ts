/**
 * sinh, cosh, tanh and logistic in float32, from exp and expm1 (fdlibm's arrangements): expm1
 * keeps small arguments accurate relative to the result (tanh 1e-6, sinh 1e-5), exp(|x|/2)
 * squared reaches the values between exp's overflow and the function's own. logistic is the
 * reference's formula: 1/(1 + e^−x) for x >= 0, e^x/(1 + e^x) below, so neither tail overflows.
 */
import { helper, INF, INF_NAN, IS_NAN } from "../helpers.js";
import { EXP, EXPM1 } from "./exp.js";

export const SINH = helper(
  "gx_sinh",
  `
fn gx_sinh(x: f32, z: u32) -> f32 {
  let ab = bitcast<u32>(x) & 0x7fffffffu;
  // NaN, ±∞, and |x| < 2^-12 where sinh x rounds to x.
  if (ab >= 0x7f800000u || ab < 0x39800000u) { return x; }
  let ax = abs(x);
  var r: f32;
  if (ax < 9.0) {
    let t = gx_expm1(ax, z);
    if (ax < 1.0) { r = 0.5 * (2.0 * t - t * t / (t + 1.0)); } else { r = 0.5 * (t + t / (t + 1.0)); }
  } else if (ax < 88.7) {
    r = 0.5 * gx_exp(ax, z);
  } else if (ax < 89.5) {
    let w = gx_exp(0.5 * ax, z);
    r = (0.5 * w) * w;
  } else {
    r = ${INF};
  }
  return select(r, -r, x < 0.0);
}`,
  [INF_NAN, EXP, EXPM1],
);

export const COSH = helper(
  "gx_cosh",
  `
fn gx_cosh(x: f32, z: u32) -> f32 {
  if (gx_isnan(x)) { return x; }
  let ax = abs(x);
  if (ax < 0.34657359) {
    let t = gx_expm1(ax, z);
    let w = 1.0 + t;
    return 1.0 + (t * t) / (w + w);
  }
  if (ax < 9.0) {
    let t = gx_exp(ax, z);
    return 0.5 * t + 0.5 / t;
  }
  if (ax < 88.7) { return 0.5 * gx_exp(ax, z); }
  if (ax < 89.5) {
    let w = gx_exp(0.5 * ax, z);
    return (0.5 * w) * w;
  }
  return ${INF};
}`,
  [IS_NAN, INF_NAN, EXP, EXPM1],
);

export const TANH = helper(
  "gx_tanh",
  `
fn gx_tanh(x: f32, z: u32) -> f32 {
  let ab = bitcast<u32>(x) & 0x7fffffffu;
  // NaN, and |x| < 2^-12 where tanh x rounds to x.
  if (ab > 0x7f800000u || ab < 0x39800000u) { return x; }
  let ax = abs(x);
  var r = 1.0;
  if (ax < 1.0) {
    let t = gx_expm1(-2.0 * ax, z);
    r = -t / (t + 2.0);
  } else if (ax < 9.5) {
    let t = gx_expm1(2.0 * ax, z);
    r = 1.0 - 2.0 / (t + 2.0);
  }
  return select(r, -r, x < 0.0);
}`,
  [EXPM1],
);

export const LOGISTIC = helper(
  "gx_logistic",
  `
fn gx_logistic(x: f32, z: u32) -> f32 {
  if (gx_isnan(x)) { return x; }
  if (x >= 0.0) { return 1.0 / (1.0 + gx_exp(-x, z)); }
  let e = gx_exp(x, z);
  return e / (1.0 + e);
}`,
  [IS_NAN, EXP],
);
