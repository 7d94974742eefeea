/** Tracing user functions (branches, loop bodies) into Programs for the control-flow primitives. */
import type { Array } from "../core/array.js";
import type { ShapedArray } from "../core/aval.js";
import { Program, Var } from "../core/program.js";
import { traceToProgram } from "./staging.js";
import { currentTrace } from "../core/trace.js";
import { flattenWithPath, unflatten, type PyTreeDef } from "../tree/index.js";
import { flattenArrays, flatFn, recordedDef } from "./args.js";

export interface TracedFn {
  /** inVars: [...extras, ...args]. */
  program: Program;
  /** Values of enclosing transforms the function closed over: extra leading operands. */
  extras: Array[];
  outDef: PyTreeDef;
}

/** Traces `f` on abstract values of the given avals, unflattened with `inDef`. */
export function traceFn(
  f: (...args: never[]) => unknown,
  inDef: PyTreeDef,
  avals: readonly ShapedArray[],
  op: string,
): TracedFn {
  const out: { def?: PyTreeDef } = {};
  const { program, extraArgs } = traceToProgram(
    flatFn(f as (...a: unknown[]) => unknown, inDef, op, out),
    avals,
    currentTrace(),
    op,
  );
  return { program, extras: extraArgs, outDef: recordedDef(out, op) };
}

/**
 * Gives several traced functions one input signature: [...all extras, ...args], each program
 * ignoring the other functions' extras.
 */
export function unifyExtras(fns: readonly TracedFn[]): { programs: Program[]; extras: Array[] } {
  const extras = fns.flatMap((f) => f.extras);
  const programs = fns.map((f, k) => {
    const own = f.program.inVars.slice(0, f.extras.length);
    const args = f.program.inVars.slice(f.extras.length);
    const vars = fns.flatMap((g, j) => (j === k ? own : g.extras.map((e) => new Var(e.aval))));
    return new Program(f.program.constVars, f.program.consts, [...vars, ...args], f.program.eqns, f.program.outs);
  });
  return { programs, extras };
}

/** Describes each leaf as `path: dtype[shape]`, for structure-mismatch messages. */
export function describeLeaves(def: PyTreeDef, avals: readonly ShapedArray[]): string[] {
  const [pairs] = flattenWithPath(
    unflatten(
      def,
      avals.map((a) => `${a.dtype}[${a.shape.join(",")}]`),
    ),
  );
  return pairs.map(([p, v]) => `${p || "(root)"}: ${String(v)}`);
}

/**
 * Throws unless two (structure, avals) signatures agree in structure, shapes and dtypes; the message
 * names both sides and the first differing leaf.
 */
export function checkSameSignature(
  op: string,
  what: [string, string],
  a: [PyTreeDef, readonly ShapedArray[]],
  b: [PyTreeDef, readonly ShapedArray[]],
): void {
  if (!a[0].equals(b[0]))
    throw new TypeError(
      `${op}: ${what[0]} has structure ${a[0]} but ${what[1]} has structure ${b[0]}; they must match`,
    );
  if (a[1].length !== b[1].length)
    throw new Error(`internal error: ${op}: comparing ${a[1].length} leaves with ${b[1].length}`);
  // Equal structures and leaf counts: each index below is in range of both sides and their descriptions.
  const da = describeLeaves(a[0], a[1]);
  const db = describeLeaves(b[0], b[1]);
  for (let i = 0; i < a[1].length; i++) {
    const x = a[1][i]!;
    const y = b[1][i]!;
    if (x.dtype !== y.dtype || x.shape.join() !== y.shape.join())
      throw new TypeError(
        `${op}: ${what[0]} and ${what[1]} differ at leaf ${da[i]!.split(":")[0]}: ${da[i]!.split(": ")[1]} vs ${db[i]!.split(": ")[1]}; shapes and dtypes must match`,
      );
  }
}

/** Flattens operands (arrays, numbers, pytrees) for a control-flow primitive. */
export const flattenOperands = (tree: unknown, op: string): [Array[], PyTreeDef] => flattenArrays(tree, op, "operands");
