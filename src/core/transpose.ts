/**
 * Reverse mode's second half: given a Program that is linear in some inputs, propagate output
 * cotangents back to those inputs, equation by equation in reverse, with each primitive's transpose rule.
 */
import type { Array } from "./array.js";
import { Literal, Var, type Atom, type Program } from "./program.js";
import { Zero, bind } from "./trace.js";
import { evalTrace } from "./eval.js";
import { simplify } from "./passes.js";
import { LinearIn, requireRule, type Tangent } from "../lax/rules.js";
import { addTangents, instantiate, scalar } from "../lax/ops.js";
import type { PrimName, PrimParams } from "../lax/params.js";
import { traceToProgram } from "./staging.js";

/** Cotangents for each input of `program` that is given as `LinearIn` (null for the others). */
export function backwardPass(program: Program, args: readonly (Array | LinearIn)[], cts: readonly Tangent[]): (Tangent | null)[] {
  const env = new Map<Var, Array>();
  const linear = new Set<Var>();
  program.constVars.forEach((v, i) => env.set(v, program.consts[i]!));
  program.inVars.forEach((v, i) => {
    const a = args[i]!;
    if (a instanceof LinearIn) linear.add(v);
    else env.set(v, a);
  });
  const read = (a: Atom): Array => (a instanceof Literal ? scalar(a.value, a.aval.dtype, a.aval.weakType) : env.get(a)!);
  const isLin = (a: Atom): boolean => a instanceof Var && linear.has(a);
  // Non-linear equations (all inputs known) are evaluated forward first.
  const linearEqns = [];
  for (const e of program.eqns) {
    if (e.inputs.some(isLin)) {
      e.outputs.forEach((v) => linear.add(v));
      linearEqns.push(e);
    } else {
      const outs = bind(e.prim as PrimName, e.inputs.map(read), e.params as PrimParams[PrimName]);
      e.outputs.forEach((v, i) => env.set(v, outs[i]!));
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
    const ctsIn =
      e.prim === "jit_call"
        ? transposeJitCall(e.params as PrimParams["jit_call"], ins, ctsOut)
        : requireRule(e.prim, "transpose", "grad")(ctsOut, ins, e.params as never);
    e.inputs.forEach((a, i) => {
      const c = ctsIn[i];
      if (isLin(a) && c != null) addCt(a as Var, c);
    });
  }
  return program.inVars.map((v) => (linear.has(v) ? ctEnv.get(v) ?? new Zero(v.aval) : null));
}

const bwdCache = new WeakMap<Program, Map<string, Program>>();

/** Transpose of a jitted call: stage its backward pass as a Program of its own (cached) and call that. */
function transposeJitCall(params: PrimParams["jit_call"], ins: readonly (Array | LinearIn)[], cts: readonly Tangent[]): (Tangent | null)[] {
  const { program, name } = params;
  const linMask = ins.map((a) => a instanceof LinearIn);
  const known = ins.filter((a): a is Array => !(a instanceof LinearIn));
  const ctArrays = cts.map(instantiate);
  const key = [...linMask.map((l) => (l ? "1" : "0")), ...known.map((a) => a.aval.key), ...ctArrays.map((c) => c.aval.key)].join("|");
  let byKey = bwdCache.get(program);
  if (!byKey) bwdCache.set(program, (byKey = new Map()));
  let bwd = byKey.get(key);
  if (!bwd) byKey.set(key, (bwd = backwardProgram(program, linMask, known, ctArrays)));
  const outs = bind("jit_call", [...known, ...ctArrays], { program: bwd, name: `transpose(${name})` });
  let o = 0;
  return linMask.map((lin) => (lin ? outs[o++]! : null));
}

function backwardProgram(program: Program, linMask: readonly boolean[], known: readonly Array[], ctArrays: readonly Array[]): Program {
  const linAvals = program.inVars.filter((_, i) => linMask[i]).map((v) => v.aval);
  // Traced at the root so it captures nothing from the caller: a closed Program, safe to cache.
  const { program: bwd } = traceToProgram(
    (...xs) => {
      const k = xs.slice(0, known.length);
      const c = xs.slice(known.length);
      let ki = 0;
      const args = linMask.map((lin, i) => (lin ? new LinearIn(program.inVars[i]!.aval) : k[ki++]!));
      const res = backwardPass(program, args, c);
      return res.filter((_, i) => linMask[i]).map((r, i) => (r instanceof Zero || r === null ? instantiate(new Zero(linAvals[i]!)) : r));
    },
    [...known.map((a) => a.aval), ...ctArrays.map((c) => c.aval)],
    evalTrace,
    "grad",
  );
  return simplify(bwd);
}
