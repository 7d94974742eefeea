/** Interprets a Program at the current trace: each equation is re-bound, so every transform sees it. */
import type { Array } from "../core/array.js";
import { Literal, type Atom, type Eqn, type Program, type Var } from "../core/program.js";
import { bind } from "../core/trace.js";
import { scalar } from "../core/ops.js";
import type { PrimName, PrimParams } from "../core/primitives.js";

/** Runs `program` on `args` (one per inVar; its constants are supplied from the Program). */
export function evalProgram(program: Program, args: readonly Array[]): Array[] {
  if (args.length !== program.inVars.length)
    throw new Error(`evalProgram: expected ${program.inVars.length} arguments, got ${args.length}`);
  const env = new Map<Var, Array>();
  // consts has one entry per constVar (the Program constructor checks), args one per inVar (checked above).
  program.constVars.forEach((v, i) => env.set(v, program.consts[i]!));
  program.inVars.forEach((v, i) => env.set(v, args[i]!));
  const read = (a: Atom): Array => {
    if (a instanceof Literal) return scalar(a.value, a.aval.dtype, a.aval.weakType);
    const x = env.get(a);
    if (x === undefined) throw new Error("internal error: evalProgram read a variable that no equation defines");
    return x;
  };
  for (const e of program.eqns) {
    const outs = bind(e.prim as PrimName, e.inputs.map(read), e.params as PrimParams[PrimName]);
    bindOutputs(env, e, outs);
  }
  return program.outs.map(read);
}

/** Records an equation's results in `env`; an internal error unless there is one per output variable. */
export function bindOutputs(env: Map<Var, Array>, e: Eqn, outs: readonly Array[]): void {
  if (outs.length !== e.outputs.length)
    throw new Error(`internal error: '${e.prim}' gave ${outs.length} results for ${e.outputs.length} outputs`);
  e.outputs.forEach((v, i) => env.set(v, outs[i]!));
}
