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
import { defPrimitive, type BatchDim } from "../rules.js";
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

const withShape = (a: ShapedArray, shape: number[]): ShapedArray => new ShapedArray(shape, a.dtype, a.weakType);

/** Registers the rules of this file's primitives (called once, lazily, by the rule registry). */
export function registerJitCall(): void {
  defPrimitive("jit_call", {
    abstractEval: (_avals, { program }) => program.outAvals,
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
