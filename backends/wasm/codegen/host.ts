/**
 * Scalar JavaScript functions every generated module imports (module "host"), for lanes where
 * WebAssembly has no instruction and speed does not matter: float64 transcendentals, fmod, pow,
 * atan2 and the integer power. Each computes exactly what the reference kernels compute
 * (backends/cpu/kernels/elementwise.ts), so a lane routed through the host is bit-identical to the
 * reference. Every function takes and returns float64; callers convert (integer operands are
 * converted exactly, integer results go through ToInt32 in wasm, as the reference's store does).
 */
import { FLOAT_UNARY, intPow } from "../../cpu/kernels/elementwise.js";
import type { ModuleBuilder } from "../encoder/module.js";
import { F64 } from "../encoder/opcodes.js";

/**
 * Thrown by code generation when an expression needs a host function its module does not import:
 * modules run by worker threads import only memory, so such a kernel stays on the main thread.
 */
export class HostFunctionUnavailable extends Error {}

/** Host function name -> index of the imported function in the module. */
export interface HostFunctions {
  readonly [name: string]: number;
}

type Scalar = (...xs: number[]) => number;

/** The transcendentals the host computes lane by lane: the reference's own functions. */
export const HOST_UNARY_NAMES = [
  "exp",
  "expm1",
  "log",
  "log1p",
  "sin",
  "cos",
  "tan",
  "tanh",
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "logistic",
  "erf",
] as const;
const UNARY: Readonly<Record<string, (x: number) => number>> = Object.fromEntries(
  HOST_UNARY_NAMES.map((n) => [n, FLOAT_UNARY[n]]),
);

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
