/** The forward-mode interpreter: each tracer carries a primal and a tangent (or a symbolic zero). */
import type { Array } from "../core/array.js";
import type { ShapedArray } from "../core/aval.js";
import type { TypedArray } from "../core/dtype.js";
import { UnexpectedTracerError } from "../core/errors.js";
import { NestedTrace, type Trace, Tracer, Zero, bind, withTrace } from "../core/trace.js";
import { requireRule, type Tangent } from "../core/rules.js";
import type { PrimName, PrimParams } from "../core/primitives.js";

export class JvpTracer extends Tracer {
  constructor(
    readonly trace: JvpTrace,
    readonly primal: Array,
    readonly tangent: Tangent,
  ) {
    super();
    Object.freeze(this);
  }
  get aval(): ShapedArray {
    return this.primal.aval;
  }
  /**
   * Outside `jit` the primal is a concrete array, so value-dependent JavaScript works under `grad`,
   * `jvp` and `vjp` as in JAX (`x.item() > 0 ? … : …`); a traced primal (inside `jit`, or batched
   * by `vmap`) raises its own ConcretizationError naming that transform.
   */
  override dataSync(): TypedArray {
    if (!this.trace.valid) throw new UnexpectedTracerError(this.trace.transform);
    return this.primal.dataSync();
  }
  override [Symbol.toPrimitive](hint: string): string | number {
    if (hint === "string") return this.toString();
    if (!this.trace.valid) throw new UnexpectedTracerError(this.trace.transform);
    return (this.primal as unknown as { [Symbol.toPrimitive](h: string): string | number })[Symbol.toPrimitive](hint);
  }
}

export class JvpTrace extends NestedTrace {
  processPrimitive<P extends PrimName>(prim: P, args: readonly Array[], params: PrimParams[P]): Array[] {
    const primals: Array[] = [];
    const tangents: Tangent[] = [];
    let anyTangent = false;
    for (const a of args) {
      if (a instanceof JvpTracer && this.owns(a)) {
        primals.push(a.primal);
        tangents.push(a.tangent);
        if (!(a.tangent instanceof Zero)) anyTangent = true;
      } else {
        if (a instanceof Tracer) this.owns(a);
        primals.push(a);
        tangents.push(new Zero(a.aval));
      }
    }
    const parent = this.parent;
    // Nothing to differentiate: run at the parent and return its values unboxed.
    if (!anyTangent) return withTrace(parent, () => bind(prim, primals, params));
    const rule = requireRule(prim, "jvp", this.transform);
    const [outs, touts] = withTrace(parent, () => rule(primals, tangents, params));
    if (touts.length !== outs.length)
      throw new Error(`internal error: ${prim}'s JVP rule gave ${touts.length} tangents for ${outs.length} results`);
    return outs.map((p, i) => new JvpTracer(this, p, touts[i]!));
  }

  /** Splits a value seen at this trace into primal and tangent. */
  unpack(x: Array): [Array, Tangent] {
    if (x instanceof JvpTracer && this.owns(x)) return [x.primal, x.tangent];
    if (x instanceof Tracer) this.owns(x);
    return [x, new Zero(x.aval)];
  }
}

/** jvp on flat lists of arrays: returns primal outputs and tangent outputs (zeros symbolic). */
export function jvpFlat(
  f: (...xs: Array[]) => readonly Array[],
  primals: readonly Array[],
  tangents: readonly Tangent[],
  parent: Trace,
  transform: string,
): [Array[], Tangent[]] {
  if (tangents.length !== primals.length)
    throw new Error(`internal error: ${transform}: ${tangents.length} tangents for ${primals.length} primals`);
  const trace = new JvpTrace(parent, transform);
  try {
    const ins = primals.map((p, i) => new JvpTracer(trace, p, tangents[i]!));
    const outs = withTrace(trace, () => f(...ins));
    const res = outs.map((o) => trace.unpack(o));
    return [res.map((r) => r[0]), res.map((r) => r[1])];
  } finally {
    trace.valid = false;
  }
}
