/**
 * Rules for `jit_call`, the primitive `jit` binds. Each rule binds `jit_call` again on a transformed
 * Program (see interpreters/program-transforms.ts), so transforms of jitted functions stay staged and compiled.
 */
import type { Array } from "../../core/array.js";
import type { Eqn } from "../../core/program.js";
import { bind } from "../../core/trace.js";
import { partialEvalAsCall } from "../../interpreters/partial-eval.js";
import { batchProgram, callJvpWithMask, transposeProgram } from "../../interpreters/program-transforms.js";
import type { PrimParams } from "../../core/primitives.js";
import { defPrimitive, LinearIn, type Tangent } from "../../core/rules.js";
import { instantiate } from "../../core/ops.js";
import { batchAxesToFront } from "../batch-helpers.js";
import { spreadByMask } from "../../interpreters/masks.js";

/** Transpose of a jitted call: its backward pass as a Program of its own (cached), called with jit_call. */
export function transposeJitCall(
  params: PrimParams["jit_call"],
  ins: readonly (Array | LinearIn)[],
  cts: readonly Tangent[],
): (Tangent | null)[] {
  const { program, name } = params;
  const linMask = ins.map((a) => a instanceof LinearIn);
  const known = ins.filter((a): a is Array => !(a instanceof LinearIn));
  const ctArrays = cts.map(instantiate);
  const bwd = transposeProgram(
    program,
    linMask,
    ctArrays.map((c) => c.aval),
  );
  const outs = bind("jit_call", [...known, ...ctArrays], { program: bwd, name: `transpose(${name})` });
  return spreadByMask(linMask, outs, () => null);
}

/** Splits a jitted call so its primal half stays on the known side. */
function partialEvalJitCall(e: Eqn, mask: readonly boolean[]): { known: Eqn[]; unknown: Eqn[] } | null {
  const { program, name } = e.params as PrimParams["jit_call"];
  return partialEvalAsCall(e, mask, program, name);
}

/** Registers the rules of this file's primitives (called once, by `registerAllPrimitives`). */
export function registerJitCall(): void {
  defPrimitive("jit_call", {
    callee: ({ program }) => program,
    abstractEval: (_avals, { program }) => program.outAvals,
    partialEvalEqn: partialEvalJitCall,
    transpose: (cts, args, params) => transposeJitCall(params, args, cts),
    jvp: (primals, tangents, { program, name }) =>
      callJvpWithMask(program, primals, tangents, (p, args) =>
        bind("jit_call", args, { program: p, name: `jvp(${name})` }),
      ),
    batch: (args, dims, { program, name }, axisSize) => {
      const front = batchAxesToFront(args, dims);
      const outs = bind("jit_call", front, { program: batchProgram(program, dims, axisSize), name: `vmap(${name})` });
      return [outs, outs.map(() => 0)];
    },
  });
}
