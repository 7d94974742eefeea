/**
 * Reverse mode's second half: given a Program that is linear in some inputs, propagate output
 * cotangents back to those inputs, equation by equation in reverse, with each primitive's transpose rule.
 */
import type { Array } from "../core/array.js";
import { Literal, Var, type Atom, type Program } from "../core/program.js";
import { Zero, bind } from "../core/trace.js";
import { LinearIn, requireRule, type Tangent } from "../core/rules.js";
import { addTangents, scalar } from "../core/ops.js";
import { bindOutputs } from "./eval-program.js";
import type { PrimName, PrimParams } from "../core/primitives.js";

/** Cotangents for each input of `program` that is given as `LinearIn` (null for the others). */
export function backwardPass(
  program: Program,
  args: readonly (Array | LinearIn)[],
  cts: readonly Tangent[],
): (Tangent | null)[] {
  if (args.length !== program.inVars.length || cts.length !== program.outs.length)
    throw new Error(
      `internal error: backwardPass got ${args.length} arguments and ${cts.length} cotangents for a Program of ${program.inVars.length} inputs and ${program.outs.length} outputs`,
    );
  const env = new Map<Var, Array>();
  const linear = new Set<Var>();
  // consts has one entry per constVar (the Program constructor checks); args and cts are checked above.
  program.constVars.forEach((v, i) => env.set(v, program.consts[i]!));
  program.inVars.forEach((v, i) => {
    const a = args[i]!;
    if (a instanceof LinearIn) linear.add(v);
    else env.set(v, a);
  });
  const read = (a: Atom): Array => {
    if (a instanceof Literal) return scalar(a.value, a.aval.dtype, a.aval.weakType);
    const x = env.get(a);
    if (x === undefined) throw new Error("internal error: backwardPass read a linear or undefined variable as known");
    return x;
  };
  const isLin = (a: Atom): boolean => a instanceof Var && linear.has(a);
  // Non-linear equations (all inputs known) are evaluated forward first.
  const linearEqns = [];
  for (const e of program.eqns) {
    if (e.inputs.some(isLin)) {
      e.outputs.forEach((v) => linear.add(v));
      linearEqns.push(e);
    } else {
      bindOutputs(env, e, bind(e.prim as PrimName, e.inputs.map(read), e.params as PrimParams[PrimName]));
    }
  }
  const ctEnv = new Map<Var, Tangent>();
  const addCt = (v: Var, ct: Tangent): void => {
    const prev = ctEnv.get(v);
    ctEnv.set(v, prev === undefined ? ct : addTangents(prev, ct));
  };
  program.outs.forEach((o, i) => isLin(o) && addCt(o as Var, cts[i]!));
  for (let k = linearEqns.length - 1; k >= 0; k--) {
    const e = linearEqns[k]!;
    const ctsOut = e.outputs.map((v) => ctEnv.get(v) ?? new Zero(v.aval));
    e.outputs.forEach((v) => ctEnv.delete(v));
    if (ctsOut.every((c) => c instanceof Zero)) continue;
    const ins = e.inputs.map((a) => (isLin(a) ? new LinearIn(a.aval) : read(a)));
    const ctsIn = requireRule(e.prim, "transpose", "transpose")(ctsOut, ins, e.params as never);
    e.inputs.forEach((a, i) => {
      const c = ctsIn[i];
      if (isLin(a) && c != null) addCt(a as Var, c);
    });
  }
  return program.inVars.map((v) => (linear.has(v) ? (ctEnv.get(v) ?? new Zero(v.aval)) : null));
}
