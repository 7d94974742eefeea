/**
 * Rules for `jit_call`, the primitive `jit` binds. Each rule builds a new Program by tracing a
 * transform of the called Program, then binds `jit_call` on that — so transforms of jitted
 * functions stay staged and compiled. (Partial evaluation and transposition live in
 * core/partial-eval.ts and core/transpose.ts.)
 */
import type { Array } from "../../core/array.js";
import { ShapedArray } from "../../core/aval.js";
import type { Program } from "../../core/program.js";
import { evalProgram } from "../../core/eval-program.js";
import { traceToProgram } from "../../core/staging.js";
import { bind, currentTrace, Zero } from "../../core/trace.js";
import { simplify } from "../../core/passes.js";
import { backwardPass } from "../../core/transpose.js";
import { evalTrace } from "../../core/eval.js";
import { partialEvalProgram } from "../../core/partial-eval.js";
import { Var, type Eqn } from "../../core/program.js";
import type { PrimParams } from "../params.js";
import { defPrimitive, LinearIn, type BatchDim, type Tangent } from "../rules.js";
import { instantiate, moveAxis } from "../ops.js";
import { jvpFlat } from "../../../transforms/jvp-trace.js";
import { vmapFlat } from "../../../transforms/vmap.js";

const jvpCache = new WeakMap<Program, Program>();
const batchCache = new WeakMap<Program, Map<string, Program>>();

/** Program computing [...primal outs, ...tangent outs] from [...primals, ...tangents]. */
function jvpProgram(program: Program): Program {
  let p = jvpCache.get(program);
  if (!p) {
    const n = program.inVars.length;
    const avals = program.inAvals;
    p = simplify(
      traceToProgram(
        (...xs) => {
          const [po, to] = jvpFlat((...a) => evalProgram(program, a), xs.slice(0, n), xs.slice(n), currentTrace(), "jvp");
          return [...po, ...to.map(instantiate)];
        },
        [...avals, ...avals],
        currentTrace(),
        "jvp",
      ).program,
    );
    jvpCache.set(program, p);
  }
  return p;
}

/** Program of the batched computation; batched inputs have their batch axis first, outputs too. */
function batchProgram(program: Program, dims: readonly BatchDim[], axisSize: number): Program {
  const key = `${dims.map((d) => (d === null ? "n" : "b")).join("")}/${axisSize}`;
  let byKey = batchCache.get(program);
  if (!byKey) batchCache.set(program, (byKey = new Map()));
  let p = byKey.get(key);
  if (!p) {
    p = simplify(
      traceToProgram(
        (...xs) => vmapFlat((...a) => evalProgram(program, a), xs, dims.map((d) => (d === null ? null : 0)), axisSize, () => 0, "vmap"),
        program.inAvals.map((a, i) => (dims[i] === null ? a : withShape(a, [axisSize, ...a.shape]))),
        currentTrace(),
        "vmap",
      ).program,
    );
    byKey.set(key, p);
  }
  return p;
}

const bwdCache = new WeakMap<Program, Map<string, Program>>();

/** Transpose of a jitted call: stage its backward pass as a Program of its own (cached) and call that. */
export function transposeJitCall(params: PrimParams["jit_call"], ins: readonly (Array | LinearIn)[], cts: readonly Tangent[]): (Tangent | null)[] {
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

/** Splits a jitted call so its primal half stays on the known side. */
function partialEvalJitCall(e: Eqn, mask: readonly boolean[]): { known: Eqn[]; unknown: Eqn[] } | null {
  if (mask.every(Boolean)) return null;
  const { program, name } = e.params as PrimParams["jit_call"];
  const inner = partialEvalProgram(program, mask);
  const residuals = inner.known.outAvals.slice(inner.known.outs.length - inner.numResiduals).map((a) => new Var(a));
  const knownOuts = e.outputs.filter((_, i) => !inner.outUnknown[i]);
  const unknownOuts = e.outputs.filter((_, i) => inner.outUnknown[i]);
  return {
    known: [{ prim: "jit_call", inputs: e.inputs.filter((_, i) => !mask[i]), params: { program: inner.known, name }, outputs: [...knownOuts, ...residuals] }],
    unknown: [{ prim: "jit_call", inputs: [...residuals, ...e.inputs.filter((_, i) => mask[i])], params: { program: inner.unknown, name }, outputs: unknownOuts }],
  };
}

const withShape = (a: ShapedArray, shape: number[]): ShapedArray => new ShapedArray(shape, a.dtype, a.weakType);

/** Registers the rules of this file's primitives (called once, lazily, by the rule registry). */
export function registerJitCall(): void {
  defPrimitive("jit_call", {
    abstractEval: (_avals, { program }) => program.outAvals,
  partialEvalEqn: partialEvalJitCall,
  transpose: (cts, args, params) => transposeJitCall(params, args, cts),
    jvp: (primals, tangents, { program, name }) => {
      const n = program.outs.length;
      const outs = bind("jit_call", [...primals, ...tangents.map(instantiate)], { program: jvpProgram(program), name: `jvp(${name})` });
      const tOuts = outs.slice(n).map((t, i) => (t === undefined ? new Zero(program.outAvals[i]!) : t));
      return [outs.slice(0, n), tOuts];
    },
    batch: (args, dims, { program, name }, axisSize) => {
      const front: Array[] = args.map((a, i) => (dims[i] === null ? a : moveAxis(a, dims[i]!, 0)));
      const outs = bind("jit_call", front, { program: batchProgram(program, dims, axisSize), name: `vmap(${name})` });
      return [outs, outs.map(() => 0)];
    },
  });
}
