/**
 * Partial evaluation of Programs: split into a known part (runs now, also emits residuals) and an
 * unknown part (staged; consumes residuals and the unknown inputs). `linearize` relies on it so the
 * primal half of a jitted function's JVP runs eagerly while only the linear half is staged.
 */
import type { Array } from "./array.js";
import { Program, Var, type Eqn } from "./program.js";
import { bind, withTrace } from "./trace.js";
import type { PrimParams } from "../lax/params.js";
import type { StagingTrace } from "./staging.js";

export interface PartialEvalResult {
  /** Known inputs → [...known outputs, ...residuals]. */
  known: Program;
  /** [...residuals, ...unknown inputs] → unknown outputs. */
  unknown: Program;
  outUnknown: boolean[];
  numResiduals: number;
}

// Splits are cached per Program and mask, so grad of a jitted function called in a loop reuses the
// same known/unknown Programs (and so their compiled executables).
const cache = new WeakMap<Program, Map<string, PartialEvalResult>>();

export function partialEvalProgram(program: Program, inUnknown: readonly boolean[]): PartialEvalResult {
  const key = inUnknown.map((u) => (u ? "1" : "0")).join("");
  let byMask = cache.get(program);
  if (!byMask) cache.set(program, (byMask = new Map()));
  let res = byMask.get(key);
  if (!res) byMask.set(key, (res = split(program, inUnknown)));
  return res;
}

function split(program: Program, inUnknown: readonly boolean[]): PartialEvalResult {
  const unknownVars = new Set<Var>(program.inVars.filter((_, i) => inUnknown[i]));
  const isUnknown = (a: unknown): boolean => a instanceof Var && unknownVars.has(a);
  const knownEqns: Eqn[] = [];
  const unknownEqns: Eqn[] = [];
  for (const e of program.eqns) {
    const mask = e.inputs.map(isUnknown);
    if (!mask.some(Boolean)) {
      knownEqns.push(e);
      continue;
    }
    if (e.prim === "jit_call" && !mask.every(Boolean)) {
      // Split a nested call too, so its primal half stays on the known side.
      const inner = partialEvalProgram((e.params as PrimParams["jit_call"]).program, mask);
      const name = (e.params as PrimParams["jit_call"]).name;
      const residuals = inner.known.outAvals.slice(inner.known.outs.length - inner.numResiduals).map((a) => new Var(a));
      const knownOuts = e.outputs.filter((_, i) => !inner.outUnknown[i]);
      const unknownOuts = e.outputs.filter((_, i) => inner.outUnknown[i]);
      knownEqns.push({ prim: "jit_call", inputs: e.inputs.filter((_, i) => !mask[i]), params: { program: inner.known, name }, outputs: [...knownOuts, ...residuals] });
      unknownEqns.push({ prim: "jit_call", inputs: [...residuals, ...e.inputs.filter((_, i) => mask[i])], params: { program: inner.unknown, name }, outputs: unknownOuts });
      unknownOuts.forEach((v) => unknownVars.add(v));
      continue;
    }
    unknownEqns.push(e);
    e.outputs.forEach((v) => unknownVars.add(v));
  }
  // Residuals: known variables the unknown side reads.
  const residualSet = new Set<Var>();
  for (const e of unknownEqns) for (const a of e.inputs) if (a instanceof Var && !unknownVars.has(a)) residualSet.add(a);
  const outUnknown = program.outs.map(isUnknown);
  const residuals = [...residualSet];
  const knownOutAtoms = program.outs.filter((_, i) => !outUnknown[i]);
  const known = new Program(
    program.constVars,
    program.consts,
    program.inVars.filter((_, i) => !inUnknown[i]),
    knownEqns,
    [...knownOutAtoms, ...residuals],
  );
  const unknown = new Program([], [], [...residuals, ...program.inVars.filter((_, i) => inUnknown[i])], unknownEqns, program.outs.filter((_, i) => outUnknown[i]) as Var[]);
  return { known, unknown, outUnknown, numResiduals: residuals.length };
}

/** The partial-evaluation rule for `jit_call` under a forwarding StagingTrace. */
export function partialEvalJitCall(st: StagingTrace, args: readonly Array[], params: PrimParams["jit_call"]): Array[] {
  const inUnknown = args.map((a) => st.isOwn(a));
  const pe = partialEvalProgram(params.program, inUnknown);
  const knownArgs = args.filter((_, i) => !inUnknown[i]);
  const knownRes = withTrace(st.parent!, () => bind("jit_call", knownArgs, { program: pe.known, name: params.name }));
  const nKnownOut = knownRes.length - pe.numResiduals;
  const residuals = knownRes.slice(nKnownOut);
  const unknownOuts = st.emit(
    "jit_call",
    [...residuals, ...args.filter((_, i) => inUnknown[i])],
    { program: pe.unknown, name: params.name },
    pe.unknown.outAvals,
  );
  let k = 0;
  let u = 0;
  return pe.outUnknown.map((unk) => (unk ? unknownOuts[u++]! : knownRes[k++]!));
}
