/**
 * Staging: a trace that records primitives into a Program instead of running them.
 * With `forwardKnown`, primitives whose inputs are all known (not this trace's tracers) run at the
 * parent trace instead — that is partial evaluation, which `linearize` uses to split a JVP into the
 * primal computation (run now) and the linear tangent computation (staged).
 */
import { type Array, describeValue, isArray } from "../core/array.js";
import type { ShapedArray } from "../core/aval.js";
import { canReadSync, isConcrete, readView } from "../core/concrete.js";
import { Literal, Program, Var, type Atom, type Eqn } from "../core/program.js";
import { NestedTrace, type Trace, Tracer, bind, withTrace } from "../core/trace.js";
import { rulesFor } from "../core/rules.js";
import type { PrimName, PrimParams } from "../core/primitives.js";
import { partialEvalHigherOrder } from "./partial-eval.js";
import { foreignArrayNote } from "../core/validate.js";

export class StagingTracer extends Tracer {
  constructor(
    readonly trace: StagingTrace,
    readonly v: Var,
  ) {
    super();
    Object.freeze(this);
  }
  get aval(): ShapedArray {
    return this.v.aval;
  }
}

export class StagingTrace extends NestedTrace {
  readonly eqns: Eqn[] = [];
  /** Values captured from outside (concrete arrays or tracers of ancestor traces), by identity. */
  private readonly captured = new Map<Array, Var>();
  readonly inVars: Var[] = [];

  constructor(
    parent: Trace,
    transform: string,
    readonly forwardKnown = false,
  ) {
    super(parent, transform);
  }

  newInput(aval: ShapedArray): StagingTracer {
    const v = new Var(aval);
    this.inVars.push(v);
    return new StagingTracer(this, v);
  }

  /** The atom standing for `x` in the Program: its Var, a literal for concrete scalars, or a captured constant. */
  atom(x: Array): Atom {
    if (!isArray(x))
      throw new TypeError(
        `${this.transform}: expected a graft array while staging, got ${describeValue(x)}${foreignArrayNote(x)}`,
      );
    if (x instanceof StagingTracer && this.owns(x)) return x.v;
    if (x instanceof Tracer) this.owns(x);
    if (isConcrete(x) && x.aval.ndim === 0 && canReadSync(x)) return new Literal(readView(x)[0]!, x.aval);
    let v = this.captured.get(x);
    if (!v) {
      v = new Var(x.aval);
      this.captured.set(x, v);
    }
    return v;
  }

  isOwn(x: Array): boolean {
    return x instanceof StagingTracer && this.owns(x);
  }

  processPrimitive<P extends PrimName>(prim: P, args: readonly Array[], params: PrimParams[P]): Array[] {
    // Brand check first: abstract evaluation reads `aval`, which a forged array cannot answer clearly.
    for (const a of args) if (!isArray(a)) this.atom(a);
    if (this.forwardKnown && !args.some((a) => this.isOwn(a)))
      return withTrace(this.parent, () => bind(prim, args, params));
    const rules = rulesFor(prim);
    if (this.forwardKnown && rules.partialEvalEqn) return partialEvalHigherOrder(this, prim, args, params);
    return this.emit(
      prim,
      args,
      params as Record<string, unknown>,
      rules.abstractEval(
        args.map((a) => a.aval),
        params,
      ),
    );
  }

  emit(
    prim: PrimName,
    args: readonly Array[],
    params: Record<string, unknown>,
    outAvals: readonly ShapedArray[],
  ): StagingTracer[] {
    const inputs = args.map((a) => this.atom(a));
    const outputs = outAvals.map((a) => new Var(a));
    this.eqns.push({ prim, inputs, params, outputs });
    return outputs.map((v) => new StagingTracer(this, v));
  }

  /**
   * Builds the Program with `outs` as results. Captured concrete arrays become the Program's
   * constants; captured tracers of outer traces become extra leading inputs, returned in `extraArgs`
   * so the caller can pass them in at its own trace.
   */
  finish(outs: readonly Array[]): { program: Program; extraArgs: Array[] } {
    const outAtoms = outs.map((o) => this.atom(o));
    const constVars: Var[] = [];
    const consts: Array[] = [];
    const extraVars: Var[] = [];
    const extraArgs: Array[] = [];
    for (const [x, v] of this.captured) {
      if (isConcrete(x)) {
        constVars.push(v);
        consts.push(x);
      } else {
        extraVars.push(v);
        extraArgs.push(x);
      }
    }
    const program = new Program(constVars, consts, [...extraVars, ...this.inVars], this.eqns, outAtoms);
    return { program, extraArgs };
  }
}

/**
 * Traces `f` on abstract inputs into a Program (no partial evaluation).
 * Captured outer tracers become leading inputs: call the Program with `[...extraArgs, ...args]`.
 */
export function traceToProgram(
  f: (...xs: Array[]) => readonly Array[],
  inAvals: readonly ShapedArray[],
  parent: Trace,
  transform: string,
): { program: Program; extraArgs: Array[] } {
  const st = new StagingTrace(parent, transform);
  try {
    const ins = inAvals.map((a) => st.newInput(a));
    const outs = withTrace(st, () => f(...ins));
    return st.finish(outs);
  } finally {
    st.valid = false;
  }
}
