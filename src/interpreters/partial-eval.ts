/**
 * Partial evaluation of Programs: split into a known part (runs now, also emits residuals) and an
 * unknown part (staged; consumes residuals and the unknown inputs). `linearize` relies on it so the
 * primal half of a jitted function's JVP runs eagerly while only the linear half is staged.
 */
import type { Array } from "../core/array.js";
import { Program, Var, paramsCache, paramsKey, type Eqn } from "../core/program.js";
import { WeakCache } from "../core/caches.js";
import { bind, withTrace } from "../core/trace.js";
import type { PrimName, PrimParams } from "../core/primitives.js";
import { rulesFor } from "../core/rules.js";
import type { StagingTrace } from "./staging.js";
import { mergeByMask } from "./masks.js";

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
const cache = new WeakCache<Program, Map<string, PartialEvalResult>>();

/**
 * Splits `program` given which inputs are unknown. Outputs marked in `forceOutUnknown` are produced
 * by the unknown side even when they could be known (control flow needs all branches, or every
 * loop iteration, to agree on which outputs are unknown).
 */
export function partialEvalProgram(
  program: Program,
  inUnknown: readonly boolean[],
  forceOutUnknown?: readonly boolean[],
): PartialEvalResult {
  const key = `${inUnknown.map(Number).join("")}|${forceOutUnknown?.map(Number).join("") ?? ""}`;
  let byMask = cache.get(program);
  if (!byMask) cache.set(program, (byMask = new Map()));
  let res = byMask.get(key);
  if (!res) byMask.set(key, (res = split(program, inUnknown, forceOutUnknown)));
  return res;
}

function split(program: Program, inUnknown: readonly boolean[], force?: readonly boolean[]): PartialEvalResult {
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
    const rule = rulesFor(e.prim).partialEvalEqn;
    const parts = rule ? rule(e, mask) : null;
    if (parts) {
      knownEqns.push(...parts.known);
      unknownEqns.push(...parts.unknown);
      for (const u of parts.unknown) u.outputs.forEach((v) => unknownVars.add(v));
      continue;
    }
    unknownEqns.push(e);
    e.outputs.forEach((v) => unknownVars.add(v));
  }
  // Residuals: known variables the unknown side reads.
  const residualSet = new Set<Var>();
  for (const e of unknownEqns)
    for (const a of e.inputs) if (a instanceof Var && !unknownVars.has(a)) residualSet.add(a);
  const outUnknown = program.outs.map((o, i) => isUnknown(o) || (force?.[i] ?? false));
  program.outs.forEach((o, i) => outUnknown[i] && o instanceof Var && !unknownVars.has(o) && residualSet.add(o));
  const residuals = [...residualSet];
  const knownOutAtoms = program.outs.filter((_, i) => !outUnknown[i]);
  const known = new Program(
    program.constVars,
    program.consts,
    program.inVars.filter((_, i) => !inUnknown[i]),
    knownEqns,
    [...knownOutAtoms, ...residuals],
  );
  const unknown = new Program(
    [],
    [],
    [...residuals, ...program.inVars.filter((_, i) => inUnknown[i])],
    unknownEqns,
    program.outs.filter((_, i) => outUnknown[i]),
  );
  return { known, unknown, outUnknown, numResiduals: residuals.length };
}

const higherOrderCache = paramsCache<PartialEvalResult>();
/**
 * Partial evaluation at a forwarding StagingTrace of a primitive that holds sub-programs: split a
 * one-equation Program with the primitive's own rule, run the known half now (as a jit_call at the
 * parent trace) and stage the unknown half.
 */
export function partialEvalHigherOrder<P extends PrimName>(
  st: StagingTrace,
  prim: P,
  args: readonly Array[],
  params: PrimParams[P],
): Array[] {
  const inUnknown = args.map((a) => st.isOwn(a));
  // Cached by primitive, params (sub-programs by identity), avals and mask, so repeated calls reuse
  // the same split Programs and therefore the backend's compiled executables.
  const key = `${prim}|${paramsKey(params as Record<string, unknown>)}|${args.map((a) => a.aval.key).join(",")}|${inUnknown.map(Number).join("")}`;
  const pe = higherOrderCache(params as Record<string, unknown>, key, () => {
    const inVars = args.map((a) => new Var(a.aval));
    const outAvals = rulesFor(prim).abstractEval(
      args.map((a) => a.aval),
      params,
    );
    const outVars = outAvals.map((a) => new Var(a));
    const one = new Program(
      [],
      [],
      inVars,
      [{ prim, inputs: inVars, params: params as Record<string, unknown>, outputs: outVars }],
      outVars,
    );
    return partialEvalProgram(one, inUnknown);
  });
  const knownArgs = args.filter((_, i) => !inUnknown[i]);
  const knownRes = withTrace(st.parent, () => bind("jit_call", knownArgs, { program: pe.known, name: prim }));
  const nKnownOut = knownRes.length - pe.numResiduals;
  const residuals = knownRes.slice(nKnownOut);
  const unknownOuts = st.emit(
    "jit_call",
    [...residuals, ...args.filter((_, i) => inUnknown[i])],
    { program: pe.unknown, name: prim },
    pe.unknown.outAvals,
  );
  return mergeByMask(pe.outUnknown, unknownOuts, knownRes.slice(0, nKnownOut));
}

/**
 * Partial evaluation of a custom call as if it were `jit_call` of its primal Program (reached only if
 * tangents flow into the custom call itself, e.g. when a rule calls its own function on tangents):
 * the known part runs now, the unknown part is staged as a `jit_call`.
 */
export function partialEvalAsCall(
  e: Eqn,
  mask: readonly boolean[],
  program: Program,
  name: string,
): { known: Eqn[]; unknown: Eqn[] } | null {
  if (mask.every(Boolean)) return null;
  const inner = partialEvalProgram(program, mask);
  const residuals = inner.known.outAvals.slice(inner.known.outs.length - inner.numResiduals).map((a) => new Var(a));
  const knownOuts = e.outputs.filter((_, i) => !inner.outUnknown[i]);
  const unknownOuts = e.outputs.filter((_, i) => inner.outUnknown[i]);
  return {
    known: [
      {
        prim: "jit_call",
        inputs: e.inputs.filter((_, i) => !mask[i]),
        params: { program: inner.known, name },
        outputs: [...knownOuts, ...residuals],
      },
    ],
    unknown: [
      {
        prim: "jit_call",
        inputs: [...residuals, ...e.inputs.filter((_, i) => mask[i])],
        params: { program: inner.unknown, name },
        outputs: unknownOuts,
      },
    ],
  };
}
