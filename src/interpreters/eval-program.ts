/** Interprets a Program at the current trace: each equation is re-bound, so every transform sees it. */
import type { Array } from "../core/array.js";
import { Literal, type Atom, type Program, type Var } from "../core/program.js";
import { bind } from "../core/trace.js";
import { scalar } from "../core/ops.js";
import type { PrimName, PrimParams } from "../core/primitives.js";

/** Runs `program` on `args` (one per inVar; its constants are supplied from the Program). */
export function evalProgram(program: Program, args: readonly Array[]): Array[] {
  if (args.length !== program.inVars.length)
    throw new Error(`evalProgram: expected ${program.inVars.length} arguments, got ${args.length}`);
  const env = new Map<Var, Array>();
  program.constVars.forEach((v, i) => env.set(v, program.consts[i]!));
  program.inVars.forEach((v, i) => env.set(v, args[i]!));
  const read = (a: Atom): Array =>
    a instanceof Literal ? scalar(a.value, a.aval.dtype, a.aval.weakType) : env.get(a)!;
  for (const e of program.eqns) {
    const outs = bind(e.prim as PrimName, e.inputs.map(read), e.params as PrimParams[PrimName]);
    e.outputs.forEach((v, i) => env.set(v, outs[i]!));
  }
  return program.outs.map(read);
}
