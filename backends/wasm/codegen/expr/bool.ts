/**
 * bool operations as functions of lane masks, from truth tables derived from the reference
 * (expr/reference.ts): bool arithmetic collapses to 0/1 there (add = or, mul = and, sub = xor, …),
 * and whatever the reference computes, the table reproduces.
 */
import { SIMD } from "../../encoder/opcodes.js";
import type { Gen } from "./gen.js";

/** Pushes the unary table [t(0), t(1)] applied to mask local x. */
function unaryTable(g: Gen, t0: number, t1: number, x: number): void {
  const { c } = g;
  if (t0 === t1) c.v128i32(t0 === 0 ? 0 : -1);
  else if (t1 === 1) c.get(x);
  else c.get(x).simd(SIMD.v128_not);
}

/** Two-operand tables with a one-instruction form, keyed by t(0,0) t(0,1) t(1,0) t(1,1). */
const BINARY_FORMS: Readonly<Record<string, { op: number; swap?: boolean; not?: boolean }>> = {
  "0001": { op: SIMD.v128_and },
  "0111": { op: SIMD.v128_or },
  "0110": { op: SIMD.v128_xor },
  "1001": { op: SIMD.v128_xor, not: true },
  "0010": { op: SIMD.v128_andnot }, // a ∧ ¬b
  "0100": { op: SIMD.v128_andnot, swap: true }, // b ∧ ¬a
  "1110": { op: SIMD.v128_and, not: true },
  "1000": { op: SIMD.v128_or, not: true },
};

/** Pushes the truth table `t` (as boolTable returns it) applied to the mask locals `args`. */
export function emitTable(g: Gen, t: readonly number[], args: readonly number[]): void {
  const { c } = g;
  const [a, b] = args;
  if (args.length === 1 && a !== undefined) {
    unaryTable(g, t[0]!, t[1]!, a);
    return;
  }
  if (args.length !== 2 || a === undefined || b === undefined) throw new Error("internal error: bool table arity");
  const form = BINARY_FORMS[t.join("")];
  if (form) {
    if (form.swap) c.get(b).get(a);
    else c.get(a).get(b);
    c.simd(form.op);
    if (form.not) c.simd(SIMD.v128_not);
    return;
  }
  // Any other table: a ? t(1, b) : t(0, b).
  unaryTable(g, t[2]!, t[3]!, b);
  unaryTable(g, t[0]!, t[1]!, b);
  c.get(a).simd(SIMD.v128_bitselect);
}
