/**
 * Scalar JavaScript functions every generated module imports (module "host"), for lanes where
 * WebAssembly has no instruction and speed does not matter: float64 transcendentals, fmod, pow,
 * atan2 and the integer power. Each computes exactly what the reference kernels compute
 * (backends/cpu/kernels/elementwise.ts), so a lane routed through the host is bit-identical to the
 * reference. Every function takes and returns float64; callers convert (integer operands are
 * converted exactly, integer results go through ToInt32 in wasm, as the reference's store does).
 */
import { erf, intPow } from "../../cpu/kernels/elementwise.js";
import type { ModuleBuilder } from "../encoder/module.js";
import { F64 } from "../encoder/opcodes.js";

/** Host function name -> index of the imported function in the module. */
export interface HostFunctions {
  readonly [name: string]: number;
}

type Scalar = (...xs: number[]) => number;

/**
 * The reference's logistic, which elementwise.ts keeps private: never evaluates exp of a large
 * positive number, so neither tail overflows to NaN. Must stay identical to it (the expression
 * tests compare bitwise).
 */
const logistic = (x: number): number => {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
};

/** Float unary functions, as the reference's FLOAT_UNARY table has them (also used on integer operands). */
const UNARY: Readonly<Record<string, (x: number) => number>> = {
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  tanh: Math.tanh,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  logistic,
  erf,
};

const BINARY: Readonly<Record<string, (a: number, b: number) => number>> = {
  /** JS % on floats is C fmod, exact. */
  fmod: (a, b) => a % b,
  pow: Math.pow,
  atan2: Math.atan2,
  /** The reference's integer power (wrapping 32-bit repeated squaring); operands as exact numbers. */
  ipow: intPow,
};

/** Imports every host function into m (call before m.declare/func: imports come first). */
export function importHost(m: ModuleBuilder): HostFunctions {
  const out: Record<string, number> = {};
  for (const name of Object.keys(UNARY)) out[name] = m.importFunc("host", name, [F64], [F64]);
  for (const name of Object.keys(BINARY)) out[name] = m.importFunc("host", name, [F64, F64], [F64]);
  return out;
}

/** The import object for WebAssembly instantiation: { host: { ... } }. */
export function hostImports(): Record<string, Record<string, (...xs: number[]) => number>> {
  const host: Record<string, Scalar> = {};
  for (const [name, fn] of Object.entries(UNARY)) host[name] = fn as Scalar;
  for (const [name, fn] of Object.entries(BINARY)) host[name] = fn as Scalar;
  return { host };
}

/** The name of the host function computing a float unary primitive, if there is one. */
export function hostUnary(prim: string): string | undefined {
  return Object.hasOwn(UNARY, prim) ? prim : undefined;
}
