/** Executes a Program on typed arrays, dropping each intermediate after its last use. */
import type { BufferInfo, Executable } from "../backend.js";
import { allocate, type TypedArray } from "../../src/core/dtype.js";
import { Literal, Var, type Atom, type Program } from "../../src/core/program.js";
import { config } from "../../src/core/config.js";
import { ConcreteArray } from "../../src/core/concrete.js";
import { runKernel } from "./index.js";
import { checkNans } from "../../src/core/debug-nans.js";

export function compileProgram(program: Program, compile: (p: Program) => Executable<TypedArray>): Executable<TypedArray> {
  // Precompute, per equation, which variables die after it, so memory stays bounded by the live set.
  const lastUse = new Map<Var, number>();
  program.eqns.forEach((e, i) => e.inputs.forEach((a) => a instanceof Var && lastUse.set(a, i)));
  for (const o of program.outs) if (o instanceof Var) lastUse.set(o, Infinity);
  const dying = program.eqns.map(() => [] as Var[]);
  for (const [v, i] of lastUse) if (Number.isFinite(i)) dying[i]!.push(v);
  const constBufs = program.consts.map((c) => {
    if (!(c instanceof ConcreteArray)) throw new Error("cpu backend: Program constants must be concrete arrays");
    return c.readSync();
  });
  const literal = (l: Literal): TypedArray => {
    const b = allocate(l.aval.dtype, 1);
    b[0] = l.value;
    return b;
  };
  return {
    program,
    run(inputs: readonly TypedArray[]): TypedArray[] {
      if (inputs.length !== program.inVars.length)
        throw new Error(`cpu backend: Program expects ${program.inVars.length} inputs, got ${inputs.length}`);
      const env = new Map<Var, TypedArray>();
      program.constVars.forEach((v, i) => env.set(v, constBufs[i]!));
      program.inVars.forEach((v, i) => env.set(v, inputs[i]!));
      const read = (a: Atom): TypedArray => (a instanceof Literal ? literal(a) : env.get(a)!);
      const debug = config.debugNans;
      program.eqns.forEach((e, i) => {
        const ins = e.inputs.map(read);
        let outs: TypedArray[];
        if (e.prim === "jit_call") {
          outs = compile(e.params["program"] as Program).run(ins);
        } else {
          const inInfo: BufferInfo[] = e.inputs.map((a) => a.aval);
          outs = [runKernel(e.prim, e.params, ins, inInfo, e.outputs[0]!.aval)];
          if (debug) checkNans(e.prim, ins, inInfo, outs[0]!, e.outputs[0]!.aval);
        }
        e.outputs.forEach((v, j) => env.set(v, outs[j]!));
        for (const v of dying[i]!) env.delete(v);
      });
      return program.outs.map(read);
    },
  };
}
