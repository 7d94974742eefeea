/**
 * Rules for `remat_call`, the primitive `checkpoint` (alias `remat`) binds. It evaluates its Program
 * like `jit_call`; what differs is partial evaluation (how reverse mode splits it): the known side
 * computes only the known outputs and keeps no intermediates, and the unknown side takes the known
 * inputs themselves and recomputes every primal intermediate it needs. So the only residuals a
 * checkpointed call leaves for the backward pass are its known inputs.
 */
import type { Array } from "../../core/array.js";
import { Program, Var, type Atom, type Eqn } from "../../core/program.js";
import { WeakCache } from "../../core/caches.js";
import { bind } from "../../core/trace.js";
import { dce } from "../../interpreters/passes.js";
import { partialEvalProgram } from "../../interpreters/partial-eval.js";
import { batchProgram, cached, callJvpWithMask } from "../../interpreters/program-transforms.js";
import { defPrimitive, type BatchDim, type Tangent } from "../../core/rules.js";
import type { PrimParams } from "../../core/primitives.js";
import { batchAxesToFront } from "../batch-helpers.js";
import { transposeJitCall } from "../prims/jit-call.js";

type Params = PrimParams["remat_call"];

const maskKey = (m: readonly boolean[]): string => m.map(Number).join("");

interface RematSplit {
  outUnknown: boolean[];
  /** Known inputs → known outputs (no residuals). */
  known: Program;
  /** [...known inputs it reads, ...unknown inputs] → unknown outputs, recomputing what it needs. */
  unknown: Program;
  /** Which known inputs the unknown side reads (they are the only residuals). */
  knownUsed: boolean[];
}

const splitCache = new WeakCache<Program, Map<string, RematSplit>>();

/** Variables a Program reads (inputs of its equations, and its outputs). */
function readVars(p: Program): Set<Var> {
  const used = new Set<Var>();
  const add = (a: Atom): void => void (a instanceof Var && used.add(a));
  for (const e of p.eqns) e.inputs.forEach(add);
  p.outs.forEach(add);
  return used;
}

function splitRemat(program: Program, inUnknown: readonly boolean[]): RematSplit {
  return cached(splitCache, program, maskKey(inUnknown), () => {
    // The ordinary split tells which outputs are unknown, and gives the equations in an order
    // where everything computable from the known inputs comes first (nested jit/remat/cond
    // equations split by their own rules), which the backward pass needs.
    const pe = partialEvalProgram(program, inUnknown);
    const knownIn = program.inVars.filter((_, i) => !inUnknown[i]);
    const unknownIn = program.inVars.filter((_, i) => inUnknown[i]);
    const nKnownOuts = pe.outUnknown.filter((u) => !u).length;
    const known = dce(
      new Program(pe.known.constVars, pe.known.consts, knownIn, pe.known.eqns, pe.known.outs.slice(0, nKnownOuts)),
    );
    // The unknown side re-runs the known equations (the recomputation) followed by the unknown
    // ones; both come from the same split, so they share variables and form one valid Program.
    const full = dce(
      new Program(
        program.constVars,
        program.consts,
        [...knownIn, ...unknownIn],
        [...pe.known.eqns, ...pe.unknown.eqns],
        pe.unknown.outs,
      ),
    );
    const used = readVars(full);
    const knownUsed = knownIn.map((v) => used.has(v));
    const unknown = new Program(
      full.constVars,
      full.consts,
      [...knownIn.filter((_, j) => knownUsed[j]), ...unknownIn],
      full.eqns,
      full.outs,
    );
    return { outUnknown: pe.outUnknown, known, unknown, knownUsed };
  });
}

/** Partial evaluation of a checkpointed call: no residuals besides the known inputs. */
function rematPartialEval(e: Eqn, mask: readonly boolean[]): { known: Eqn[]; unknown: Eqn[] } | null {
  if (mask.every(Boolean)) return null;
  const { program, name } = e.params as Params;
  const s = splitRemat(program, mask);
  const knownIns = e.inputs.filter((_, i) => !mask[i]);
  const unknownIns = e.inputs.filter((_, i) => mask[i]);
  const knownOuts = e.outputs.filter((_, i) => !s.outUnknown[i]);
  const unknownOuts = e.outputs.filter((_, i) => s.outUnknown[i]);
  return {
    known: knownOuts.length
      ? [{ prim: "remat_call", inputs: knownIns, params: { program: s.known, name }, outputs: knownOuts }]
      : [],
    unknown: unknownOuts.length
      ? [
          {
            prim: "remat_call",
            inputs: [...knownIns.filter((_, j) => s.knownUsed[j]), ...unknownIns],
            params: { program: s.unknown, name },
            outputs: unknownOuts,
          },
        ]
      : [],
  };
}

function rematJvp(
  primals: readonly Array[],
  tangents: readonly Tangent[],
  { program, name }: Params,
): [Array[], Tangent[]] {
  return callJvpWithMask(program, primals, tangents, (p, args) => bind("remat_call", args, { program: p, name }));
}

function rematBatch(
  args: readonly Array[],
  dims: readonly BatchDim[],
  { program, name }: Params,
  axisSize: number,
): [Array[], BatchDim[]] {
  const front = batchAxesToFront(args, dims);
  const outs = bind("remat_call", front, { program: batchProgram(program, dims, axisSize), name });
  return [outs, outs.map(() => 0)];
}

/** Registers `remat_call`'s rules (called once, by `registerAllPrimitives`). */
export function registerRemat(): void {
  defPrimitive("remat_call", {
    callee: ({ program }) => program,
    abstractEval: (avals, { program, name }) => {
      if (avals.length !== program.inVars.length)
        throw new TypeError(`checkpoint(${name}): expected ${program.inVars.length} operands, got ${avals.length}`);
      program.inAvals.forEach((a, i) => {
        const o = avals[i]!;
        if (a.dtype !== o.dtype || a.shape.join() !== o.shape.join())
          throw new TypeError(`checkpoint(${name}): operand ${i} is ${o} but the checkpointed program expects ${a}`);
      });
      return program.outAvals;
    },
    jvp: rematJvp,
    batch: rematBatch,
    partialEvalEqn: rematPartialEval,
    // The backward pass as a Program of its own: the recomputation of the primal intermediates
    // stays inside it, so an enclosing jitted Program cannot merge it with the forward pass.
    transpose: (cts, args, params) => transposeJitCall(params, args, cts),
  });
}
