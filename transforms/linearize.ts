/**
 * `linearize`: evaluates f and returns its JVP as a staged linear function.
 * Implemented as the JVP interpreter running over a partial-evaluation trace: primal work runs now,
 * tangent work is recorded into a linear Program (whose captured values are the residuals).
 */
import type { Array } from "../src/core/array.js";
import type { Program } from "../src/core/program.js";
import { checkFunction } from "../src/core/validate.js";
import { StagingTrace } from "../src/interpreters/staging.js";
import { currentTrace, withTrace } from "../src/core/trace.js";
import { evalProgram } from "../src/interpreters/eval-program.js";
import { instantiate } from "../src/core/ops.js";
import { unflatten } from "../src/tree/index.js";
import { JvpTrace, JvpTracer } from "../src/interpreters/jvp.js";
import { flattenArrays, flatFn, frozen, matchTangents, recordedDef } from "../src/interpreters/args.js";

export interface Linearized {
  /** Primal outputs (all of f's flat outputs). */
  outs: Array[];
  /** Linear map from input tangents to the tangents of the first `numLinearOuts` outputs. */
  program: Program;
  /** Residuals captured from enclosing transforms: leading non-linear inputs of `program`. */
  extraArgs: Array[];
}

/** linearize on flat lists; only the first `numLinearOuts` outputs (default: all) get tangents. */
export function linearizeFlat(
  f: (...xs: Array[]) => readonly Array[],
  primals: readonly Array[],
  transform: string,
  numLinearOuts?: number,
): Linearized {
  const pe = new StagingTrace(currentTrace(), transform, true);
  const jt = new JvpTrace(pe, transform);
  try {
    const ins = primals.map((p) => new JvpTracer(jt, p, pe.newInput(p.aval)));
    const outs = withTrace(jt, () => f(...ins));
    const split = outs.map((o) => jt.unpack(o));
    const primalOuts = split.map((s) => s[0]);
    for (const p of primalOuts)
      if (pe.isOwn(p)) throw new Error(`${transform}: internal error: a primal output depends on tangents`);
    const n = numLinearOuts ?? outs.length;
    const tangents = split.slice(0, n).map((s) => instantiate(s[1]));
    const { program, extraArgs } = pe.finish(tangents);
    return { outs: primalOuts, program, extraArgs };
  } finally {
    jt.valid = false;
    pe.valid = false;
  }
}

/**
 * Evaluates `f` at `primals` and returns `[out, fJvp]`, where `fJvp(...tangents)` computes the JVP
 * at that point without re-running f's primal computation.
 *
 * @example
 * const [y, fJvp] = linearize((x: Array) => x.sin(), np.array([0, 1]));
 * fJvp(np.array([1, 1])); // cos(x)
 */
export function linearize<A extends unknown[], R>(f: (...args: A) => R, ...primals: A): [R, (...tangents: A) => R] {
  checkFunction("linearize", f);
  const [flat, inDef] = flattenArrays(primals, "linearize", "primals");
  const out: { def?: ReturnType<typeof flattenArrays>[1] } = {};
  const lin = linearizeFlat(flatFn(f, inDef, "linearize", out), flat, "linearize");
  const outDef = recordedDef(out, "linearize");
  const fJvp = (...tangents: A): R => {
    const [t, tDef] = flattenArrays(tangents, "linearize", "tangents");
    if (!tDef.equals(inDef))
      throw new Error(`linearize: tangent structure ${tDef} does not match primal structure ${inDef}`);
    return frozen(
      unflatten(outDef, evalProgram(lin.program, [...lin.extraArgs, ...matchTangents("linearize", flat, t)])) as R,
    );
  };
  return frozen([unflatten(outDef, lin.outs) as R, fJvp]);
}
