/**
 * The rule registry: each primitive registers its abstract evaluation (shape/dtype rule), JVP rule,
 * transpose rule (linear primitives only) and batching rule together, in one `defPrimitive` block.
 * The primitives (src/lax) fill it when the package entry loads; the interpreters read it.
 */
import type { Array } from "./array.js";
import type { Eqn, Program } from "./program.js";
import type { ShapedArray } from "./aval.js";
import type { Zero } from "./trace.js";
import type { PrimName, PrimParams } from "./primitives.js";
import {
  describeCount,
  fitsCount,
  hasOneResult,
  operandCount,
  type CountOf,
  type Operands,
  type Results,
} from "./operands.js";

export type Tangent = Array | Zero;
/** Batch dimension of a vmapped value; `null` means the value is the same for every batch element. */
export type BatchDim = number | null;

/** Marks a linear input in a transpose rule: only its aval is known (JAX's "undefined primal"). */
export class LinearIn {
  constructor(readonly aval: ShapedArray) {}
}

/**
 * Batch dimensions of `P`'s operands. A batching rule runs only when some operand is batched, so a
 * one-operand primitive's operand always is.
 */
type BatchDims<P extends PrimName> = CountOf<P> extends 1 ? readonly [number] : Operands<P, BatchDim>;

/** The rules a primitive defines, over its operands as tuples (their count is checked before any rule runs). */
export interface PrimitiveRules<P extends PrimName> {
  /** For call-like primitives (jit, remat, custom rules): the Program whose evaluation the primitive is. */
  callee?(params: PrimParams[P]): Program;
  abstractEval(avals: Operands<P, ShapedArray>, params: PrimParams[P]): ShapedArray[];
  jvp?(primals: Operands<P, Array>, tangents: Operands<P, Tangent>, params: PrimParams[P]): [Array[], Tangent[]];
  /** Given output cotangents, returns a cotangent (or null) for each input; linear inputs are `LinearIn`. */
  transpose?(cts: Results<P, Tangent>, args: Operands<P, Array | LinearIn>, params: PrimParams[P]): (Tangent | null)[];
  /**
   * Partial evaluation of one equation of this primitive when some inputs are unknown (only for
   * primitives holding sub-programs): the known equations run now, the unknown ones are staged,
   * and known variables the unknown side reads become residuals. Return null for the default
   * (the whole equation is unknown).
   */
  partialEvalEqn?(eqn: Eqn, inUnknown: readonly boolean[]): { known: Eqn[]; unknown: Eqn[] } | null;
  batch?(args: Operands<P, Array>, dims: BatchDims<P>, params: PrimParams[P], axisSize: number): [Array[], BatchDim[]];
}

/** The registered rules, as the interpreters call them: on plain lists, whose lengths each call checks. */
export interface RegisteredRules<P extends PrimName> {
  callee?(params: PrimParams[P]): Program;
  abstractEval(avals: readonly ShapedArray[], params: PrimParams[P]): ShapedArray[];
  jvp?(primals: readonly Array[], tangents: readonly Tangent[], params: PrimParams[P]): [Array[], Tangent[]];
  transpose?(cts: readonly Tangent[], args: readonly (Array | LinearIn)[], params: PrimParams[P]): (Tangent | null)[];
  partialEvalEqn?(eqn: Eqn, inUnknown: readonly boolean[]): { known: Eqn[]; unknown: Eqn[] } | null;
  batch?(
    args: readonly Array[],
    dims: readonly BatchDim[],
    params: PrimParams[P],
    axisSize: number,
  ): [Array[], BatchDim[]];
}

const registry = new Map<PrimName, RegisteredRules<PrimName>>();

export function defPrimitive<P extends PrimName>(name: P, rules: PrimitiveRules<P>): void {
  // The lists each rule gets are checked against the primitive's operand and result counts, which
  // is what makes them the tuples `PrimitiveRules` declares.
  registry.set(name, withCountChecks(name, rules as unknown as RegisteredRules<PrimName>));
}

/** Wraps each rule so that it first checks its operand, tangent, cotangent and batch-dimension lists. */
function withCountChecks(name: PrimName, rules: RegisteredRules<PrimName>): RegisteredRules<PrimName> {
  const count = operandCount(name);
  const oneResult = hasOneResult(name);
  const operands = (n: number): void => {
    if (!fitsCount(count, n)) throw new Error(`${name}: expected ${describeCount(count)}, got ${n}`);
  };
  const internal = (what: string): never => {
    throw new Error(`internal error: ${name}'s ${what}`);
  };
  const { abstractEval, jvp, transpose, batch } = rules;
  return {
    ...rules,
    abstractEval: (avals, params) => {
      operands(avals.length);
      return abstractEval(avals, params);
    },
    jvp:
      jvp &&
      ((primals, tangents, params) => {
        operands(primals.length);
        if (tangents.length !== primals.length)
          internal(`JVP rule got ${tangents.length} tangents for ${primals.length} primals`);
        return jvp(primals, tangents, params);
      }),
    transpose:
      transpose &&
      ((cts, args, params) => {
        operands(args.length);
        if (oneResult && cts.length !== 1) internal(`transpose rule got ${cts.length} cotangents for its one result`);
        return transpose(cts, args, params);
      }),
    batch:
      batch &&
      ((args, dims, params, axisSize) => {
        operands(args.length);
        if (dims.length !== args.length)
          internal(`batching rule got ${dims.length} batch dims for ${args.length} operands`);
        if (dims.every((d) => d === null)) internal("batching rule ran with no batched operand");
        return batch(args, dims, params, axisSize);
      }),
  };
}

export function rulesFor<P extends PrimName>(name: P): RegisteredRules<P> {
  const r = registry.get(name);
  if (!r)
    throw new Error(
      `primitive '${name}' is not registered: import graft through its package entry ('graft-ad' or a sub-path), which registers every primitive`,
    );
  return r as unknown as RegisteredRules<P>;
}

/** The names of every registered primitive. */
export function registeredPrimitives(): PrimName[] {
  return [...registry.keys()];
}

/** Looks up a transform's rule, with an error naming the transform and the primitive when it is missing. */
export function requireRule<P extends PrimName, K extends "jvp" | "transpose" | "batch">(
  name: P,
  kind: K,
  transform: string,
): NonNullable<RegisteredRules<P>[K]> {
  const r = rulesFor(name)[kind];
  if (!r) throw new Error(`${transform} rule for '${name}' is not implemented`);
  return r as NonNullable<RegisteredRules<P>[K]>;
}
