/**
 * Transforms of whole Programs, cached per Program: its JVP, its batched form, and its transpose
 * (backward pass). Primitives that hold sub-programs (jit_call, cond, while, scan, checkpoint,
 * custom rules) build their rules from these, so a transformed sub-program stays a Program.
 */
import type { Array } from "../core/array.js";
import { ShapedArray } from "../core/aval.js";
import { Program, type Var } from "../core/program.js";
import { WeakCache } from "../core/caches.js";
import { evalProgram } from "./eval-program.js";
import { traceToProgram } from "./staging.js";
import { currentTrace, Zero } from "../core/trace.js";
import { simplify } from "./passes.js";
import { backwardPass } from "./transpose.js";
import { evalTrace } from "../core/eval.js";
import { LinearIn, type BatchDim, type Tangent } from "../core/rules.js";
import { instantiate } from "../core/ops.js";
import { jvpFlat } from "./jvp.js";
import { vmapFlat } from "./batching.js";
import { mergeByMask, spreadByMask } from "./masks.js";

/** A per-Program cache of derived values, keyed by a string (held weakly; emptied by `clearCaches()`). */
export function cached<K>(cache: WeakCache<Program, Map<string, K>>, program: Program, key: string, make: () => K): K {
  let byKey = cache.get(program);
  if (!byKey) cache.set(program, (byKey = new Map()));
  let v = byKey.get(key);
  if (v === undefined) byKey.set(key, (v = make()));
  return v;
}

/** Traces `f` at the root trace: the result captures nothing from the caller, so it can be cached. */
export function closedProgram(
  f: (...xs: Array[]) => readonly Array[],
  inAvals: readonly ShapedArray[],
  transform: string,
): Program {
  return simplify(traceToProgram(f, inAvals, evalTrace, transform).program);
}

const jvpCache = new WeakCache<Program, Map<string, Program>>();
/** [...primals, ...tangents] → [...primal outs, ...tangent outs] (tangents instantiated). */
export function jvpProgram(program: Program): Program {
  return cached(jvpCache, program, "", () => {
    const n = program.inVars.length;
    const avals = program.inAvals;
    return closedProgram(
      (...xs) => {
        const [po, to] = jvpFlat((...a) => evalProgram(program, a), xs.slice(0, n), xs.slice(n), currentTrace(), "jvp");
        return [...po, ...to.map(instantiate)];
      },
      [...avals, ...avals],
      "jvp",
    );
  });
}

export const withLeadingAxis = (a: ShapedArray, n: number): ShapedArray =>
  new ShapedArray([n, ...a.shape], a.dtype, a.weakType);

export interface MaskedJvp {
  /** [...primals, ...tangents of the inputs marked nonzero] → [...primal outs, ...nonzero tangent outs]. */
  program: Program;
  /** Which outputs have a (structurally) nonzero tangent. */
  outNonzero: boolean[];
}

const maskedJvpCache = new WeakCache<Program, Map<string, MaskedJvp>>();

/**
 * The JVP Program of `program` given which input tangents are nonzero. Symbolic-zero tangents are
 * not passed in (and zero output tangents not passed out), so reverse mode keeps no zero arrays as
 * residuals for arguments that are not differentiated.
 */
export function maskedJvpProgram(program: Program, inNonzero: readonly boolean[]): MaskedJvp {
  checkMask(inNonzero, program, "maskedJvpProgram");
  if (inNonzero.every(Boolean)) {
    // The shared, cached JVP Program (every output tangent instantiated).
    return cached(maskedJvpCache, program, "all", () => ({
      program: jvpProgram(program),
      outNonzero: program.outs.map(() => true),
    }));
  }
  return cached(maskedJvpCache, program, inNonzero.map(Number).join(""), () => {
    const n = program.inVars.length;
    const inAvals = program.inAvals;
    const tanAvals = inAvals.filter((_, i) => inNonzero[i]);
    let outNonzero: boolean[] = [];
    const jvp = closedProgram(
      (...xs) => {
        const tangents: Tangent[] = spreadByMask(inNonzero, xs.slice(n), (i) => new Zero(inAvals[i]!));
        const [po, to] = jvpFlat((...a) => evalProgram(program, a), xs.slice(0, n), tangents, currentTrace(), "jvp");
        outNonzero = to.map((t) => !(t instanceof Zero));
        return [...po, ...to.filter((t): t is Array => !(t instanceof Zero))];
      },
      [...program.inAvals, ...tanAvals],
      "jvp",
    );
    return { program: jvp, outNonzero };
  });
}

/**
 * The JVP rule of a primitive that calls a Program (jit_call, remat_call): call the masked JVP
 * Program with the primals and only the nonzero tangents, so arguments that are not differentiated
 * cost nothing. `call(program, args)` binds the primitive.
 */
export function callJvpWithMask(
  program: Program,
  primals: readonly Array[],
  tangents: readonly Tangent[],
  call: (p: Program, args: Array[]) => Array[],
): [Array[], Tangent[]] {
  const { program: jvp, outNonzero } = maskedJvpProgram(
    program,
    tangents.map((t) => !(t instanceof Zero)),
  );
  const nz = tangents.filter((t): t is Array => !(t instanceof Zero));
  const outs = call(jvp, [...primals, ...nz]);
  const n = program.outs.length;
  const outAvals = program.outAvals;
  return [outs.slice(0, n), spreadByMask(outNonzero, outs.slice(n), (i) => new Zero(outAvals[i]!))];
}

const batchCache = new WeakCache<Program, Map<string, Program>>();
/**
 * The batched Program: inputs with a non-null dim carry the batch axis first; every output gets the
 * batch axis first (broadcast if it did not depend on the batch).
 */
export function batchProgram(program: Program, dims: readonly BatchDim[], axisSize: number): Program {
  const key = `${dims.map((d) => (d === null ? "n" : "b")).join("")}/${axisSize}`;
  return cached(batchCache, program, key, () =>
    closedProgram(
      (...xs) =>
        vmapFlat(
          (...a) => evalProgram(program, a),
          xs,
          dims.map((d) => (d === null ? null : 0)),
          axisSize,
          () => 0,
          "vmap",
        ),
      program.inAvals.map((a, i) => (dims[i] === null ? a : withLeadingAxis(a, axisSize))),
      "vmap",
    ),
  );
}

const bwdCache = new WeakCache<Program, Map<string, Program>>();
/**
 * The backward pass of a Program linear in the inputs marked by `linMask`:
 * [...non-linear inputs, ...output cotangents] → cotangents of the linear inputs (zeros instantiated).
 */
export function transposeProgram(
  program: Program,
  linMask: readonly boolean[],
  ctAvals: readonly ShapedArray[],
): Program {
  checkMask(linMask, program, "transposeProgram");
  const key = `${linMask.map(Number).join("")}|${ctAvals.map((a) => a.key).join(",")}`;
  return cached(bwdCache, program, key, () => {
    const known = program.inVars.filter((_, i) => !linMask[i]);
    const linAvals = program.inVars.filter((_, i) => linMask[i]).map((v) => v.aval);
    return closedProgram(
      (...xs) => {
        const linIns = linAvals.map((a) => new LinearIn(a));
        const args = mergeByMask(linMask, linIns, xs.slice(0, known.length));
        const res = backwardPass(program, args, xs.slice(known.length));
        // One cotangent per input (backwardPass), so the linear ones pair up with linAvals.
        return res.filter((_, i) => linMask[i]).map((r, i) => instantiate(r ?? new Zero(linAvals[i]!)));
      },
      [...known.map((v) => v.aval), ...ctAvals],
      "grad",
    );
  });
}

/** Throws (an internal error) unless `mask` has one entry per input of `program`. */
function checkMask(mask: readonly boolean[], program: Program, fn: string): void {
  if (mask.length !== program.inVars.length)
    throw new Error(`internal error: ${fn} got a mask of ${mask.length} for ${program.inVars.length} inputs`);
}

/** A Program with the same equations but its inputs reordered/extended (unused inputs allowed). */
export function withInputs(p: Program, inVars: readonly Var[], outs = p.outs): Program {
  return new Program(p.constVars, p.consts, inVars, p.eqns, outs);
}
