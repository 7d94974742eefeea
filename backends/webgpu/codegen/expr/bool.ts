/**
 * Operations on bool operands (u32 0/1) from the reference's own truth tables
 * (backends/cpu/semantics.ts runs the reference kernels on every input at code
 * generation time), so bool arithmetic (add = or, mul = and, sub = xor, …) cannot drift from it.
 */
import type { ExprPrim } from "../../../plan/types.js";
import { boolTable } from "../../../cpu/semantics.js";

/** Two-operand tables with a direct form, keyed by t(0,0) t(0,1) t(1,0) t(1,1). */
const BINARY_FORMS: Readonly<Record<string, (a: string, b: string) => string>> = {
  "0001": (a, b) => `${a} & ${b}`,
  "0111": (a, b) => `${a} | ${b}`,
  "0110": (a, b) => `${a} ^ ${b}`,
  "1001": (a, b) => `1u ^ ${a} ^ ${b}`,
};

/**
 * A u32 0/1 expression of `prim` on bool operands `args`, or undefined where the reference has no
 * bool version or gives a value other than 0 and 1 (neg gives 255).
 */
export function boolOp(
  prim: ExprPrim,
  params: Readonly<Record<string, unknown>>,
  args: readonly string[],
): string | undefined {
  const t = boolTable(prim, params, args.length);
  if (t === undefined) return undefined;
  const [a, b] = args as [string, string?];
  if (args.length === 1) {
    if (t[0] === t[1]) return `${t[0]}u`;
    return t[1] === 1 ? a : `1u - ${a}`;
  }
  if (args.length !== 2 || b === undefined) return undefined;
  const form = BINARY_FORMS[t.join("")];
  if (form) return form(a, b);
  // Any other table: bit 2a + b of its mask.
  const mask = t.reduce((m, v, i) => m | (v << i), 0);
  return `(${mask}u >> (2u * ${a} + ${b})) & 1u`;
}
