/**
 * Elementwise ops: the promotion, weak-type, integer-wrap and elementwise-math categories. Python
 * scalar arguments arrive as JS numbers, so weak typing is exercised exactly as a user meets it.
 */
import { np, nn, type DType } from "../../../src/index.js";
import type { Arg } from "../fixture.js";
import { arg, nums, param, type Impl } from "./types.js";

type Binary = (x: Arg, y: Arg) => np.Array;
type Unary = (x: np.Array) => np.Array;

const binary =
  (f: Binary): Impl =>
  (args) =>
    f(args[0]!, args[1]!);
const unary =
  (f: Unary): Impl =>
  (args) =>
    f(arg(args, 0));

const BINARY: Record<string, Binary> = {
  add: np.add,
  subtract: np.subtract,
  multiply: np.multiply,
  divide: np.divide,
  maximum: np.maximum,
  minimum: np.minimum,
  power: np.power,
  mod: np.mod,
  floorDivide: np.floorDivide,
  arctan2: np.arctan2,
  hypot: np.hypot,
  logaddexp: np.logaddexp,
  less: np.less,
  equal: np.equal,
  greaterEqual: np.greaterEqual,
  integerPow: np.power,
};

const UNARY: Record<string, Unary> = {
  negative: np.negative,
  abs: np.abs,
  sign: np.sign,
  square: np.square,
  sqrt: np.sqrt,
  rsqrt: np.rsqrt,
  reciprocal: np.reciprocal,
  exp: np.exp,
  expm1: np.expm1,
  log: np.log,
  log1p: np.log1p,
  log2: np.log2,
  log10: np.log10,
  sin: np.sin,
  cos: np.cos,
  tan: np.tan,
  tanh: np.tanh,
  sinh: np.sinh,
  cosh: np.cosh,
  arcsin: np.arcsin,
  arccos: np.arccos,
  arctan: np.arctan,
  arcsinh: np.arcsinh,
  arccosh: np.arccosh,
  arctanh: np.arctanh,
  erf: np.erf,
  floor: np.floor,
  ceil: np.ceil,
  round: (x) => np.round(x),
  trunc: np.trunc,
  cbrt: np.cbrt,
  exp2: np.exp2,
  sinc: np.sinc,
  isnan: np.isnan,
  isfinite: np.isfinite,
  logicalNot: np.logicalNot,
  sigmoid: nn.sigmoid,
  softplus: nn.softplus,
  relu: nn.relu,
  gelu: (x) => nn.gelu(x),
};

export const ELEMENTWISE_CASES: Record<string, Impl> = {
  ...Object.fromEntries(Object.entries(BINARY).map(([k, f]) => [k, binary(f)])),
  ...Object.fromEntries(Object.entries(UNARY).map(([k, f]) => [k, unary(f)])),
  // A scalar-only call (np.exp(1)) gets a JS number, as jnp.exp(1.0) gets a Python float.
  exp: (args) => np.exp(args[0]!),
  sqrt: (args) => np.sqrt(args[0]!),
  where: (args) => np.where(args[0]!, args[1]!, args[2]!),
  clip: (args) => np.clip(args[0]!, args[1]!, args[2]!),
  astype: (args, kw) => np.astype(arg(args, 0), param<DType>(kw, "dtype")),
  arrayFromList: (_args, kw) => np.array(nums(kw, "values")),
};
