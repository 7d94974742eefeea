/**
 * The tracing core, after JAX's stackless design: one current trace; each trace knows its parent.
 * `bind` hands a primitive to the current trace, which unboxes its own tracers, runs the primitive's
 * rule under its parent and boxes the results. Values from ancestor traces are constants to a trace;
 * values from a trace that has finished are leaked tracers and are reported with the transform's name.
 */
import { Array } from "./array.js";
import type { ShapedArray } from "./aval.js";
import type { TypedArray } from "./dtype.js";
import { ConcretizationError, UnexpectedTracerError } from "./errors.js";
import type { PrimName, PrimParams } from "./primitives.js";
import { defaultBackend } from "./backend.js";

export abstract class Trace {
  readonly level: number;
  /** False once the transform that owns this trace has returned. */
  valid = true;
  constructor(
    readonly parent: Trace | null,
    /** The public name of the transform, for error messages ("grad", "vmap", "jit"...). */
    readonly transform: string,
  ) {
    this.level = parent ? parent.level + 1 : 0;
  }
  abstract processPrimitive<P extends PrimName>(prim: P, args: readonly Array[], params: PrimParams[P]): Array[];

  /** True if `t` belongs to this trace; throws if it belongs to no live ancestor (a leak). */
  owns(t: Tracer): boolean {
    const tt = t.trace;
    if (tt === this) return true;
    if (!tt.valid) throw new UnexpectedTracerError(tt.transform);
    let p = this.parent;
    while (p && p.level >= tt.level) {
      if (p === tt) return false;
      p = p.parent;
    }
    throw new UnexpectedTracerError(tt.transform, ` (it was used inside ${this.transform}, which is not nested in it)`);
  }
}

/** The trace of a transform: always nested in another (only the root evaluation trace has no parent). */
export abstract class NestedTrace extends Trace {
  declare readonly parent: Trace;
  constructor(parent: Trace, transform: string) {
    super(parent, transform);
  }
}

/** A value standing for an array inside a transform. */
export abstract class Tracer extends Array {
  abstract readonly trace: Trace;
  /**
   * The default backend's name: a traced value has no buffer yet, and staged computations (`jit`)
   * compile for the default backend. Unlike `dataSync`, reading it is not a concretization error.
   */
  override get backend(): string {
    return defaultBackend().name;
  }
  override async data(): Promise<TypedArray> {
    return this.dataSync();
  }
  override dataSync(): TypedArray {
    if (!this.trace.valid) throw new UnexpectedTracerError(this.trace.transform);
    throw new ConcretizationError(
      "reading an array's data (data/dataSync/item/tolist)",
      String(this.aval),
      this.trace.transform,
    );
  }
  override toString(): string {
    return `Traced<${this.aval}> (inside ${this.trace.transform})`;
  }
  /** JS coercions (`Number(x)`, `x > 0`, template strings of numbers) need concrete values. */
  [Symbol.toPrimitive](hint: string): string | number {
    if (hint === "string") return this.toString();
    if (!this.trace.valid) throw new UnexpectedTracerError(this.trace.transform);
    throw new ConcretizationError(
      `converting a traced array to a JS ${hint === "number" ? "number" : "primitive"}`,
      String(this.aval),
      this.trace.transform,
    );
  }
}

/** A symbolic zero tangent or cotangent: carries only the aval, so rules can skip work. */
export class Zero {
  constructor(readonly aval: ShapedArray) {}
}

let current: Trace;

export function currentTrace(): Trace {
  return current;
}

/** Installs the root (evaluation) trace; called once by the eval module. */
export function setRootTrace(t: Trace): void {
  current = t;
}

/** Runs `f` with `t` as the current trace. */
export function withTrace<T>(t: Trace, f: () => T): T {
  const saved = current;
  current = t;
  try {
    return f();
  } finally {
    current = saved;
  }
}

/** Applies a primitive at the current trace. */
export function bind<P extends PrimName>(prim: P, args: readonly Array[], params: PrimParams[P]): Array[] {
  return current.processPrimitive(prim, args, params);
}

/** `bind` for single-output primitives. */
export function bind1<P extends PrimName>(prim: P, args: readonly Array[], params: PrimParams[P]): Array {
  const [out] = current.processPrimitive(prim, args, params);
  if (!out) throw new Error(`internal error: bind1('${prim}') got no result`);
  return out;
}
