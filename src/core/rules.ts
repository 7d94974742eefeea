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

export type Tangent = Array | Zero;
/** Batch dimension of a vmapped value; `null` means the value is the same for every batch element. */
export type BatchDim = number | null;

/** Marks a linear input in a transpose rule: only its aval is known (JAX's "undefined primal"). */
export class LinearIn {
  constructor(readonly aval: ShapedArray) {}
}

export interface PrimitiveRules<P extends PrimName> {
  /** For call-like primitives (jit, remat, custom rules): the Program whose evaluation the primitive is. */
  callee?(params: PrimParams[P]): Program;
  abstractEval(avals: readonly ShapedArray[], params: PrimParams[P]): ShapedArray[];
  jvp?(primals: readonly Array[], tangents: readonly Tangent[], params: PrimParams[P]): [Array[], Tangent[]];
  /** Given output cotangents, returns a cotangent (or null) for each input; linear inputs are `LinearIn`. */
  transpose?(cts: readonly Tangent[], args: readonly (Array | LinearIn)[], params: PrimParams[P]): (Tangent | null)[];
  /**
   * Partial evaluation of one equation of this primitive when some inputs are unknown (only for
   * primitives holding sub-programs): the known equations run now, the unknown ones are staged,
   * and known variables the unknown side reads become residuals. Return null for the default
   * (the whole equation is unknown).
   */
  partialEvalEqn?(eqn: Eqn, inUnknown: readonly boolean[]): { known: Eqn[]; unknown: Eqn[] } | null;
  batch?(
    args: readonly Array[],
    dims: readonly BatchDim[],
    params: PrimParams[P],
    axisSize: number,
  ): [Array[], BatchDim[]];
}

const registry = new Map<PrimName, PrimitiveRules<PrimName>>();

export function defPrimitive<P extends PrimName>(name: P, rules: PrimitiveRules<P>): void {
  registry.set(name, rules as unknown as PrimitiveRules<PrimName>);
}

export function rulesFor<P extends PrimName>(name: P): PrimitiveRules<P> {
  const r = registry.get(name);
  if (!r)
    throw new Error(
      `primitive '${name}' is not registered: import graft through its package entry ('graft-ad' or a sub-path), which registers every primitive`,
    );
  return r as unknown as PrimitiveRules<P>;
}

/** The names of every registered primitive. */
export function registeredPrimitives(): PrimName[] {
  return [...registry.keys()];
}

/** Looks up a transform's rule, with the error DESIGN.md promises when it is missing. */
export function requireRule<P extends PrimName, K extends "jvp" | "transpose" | "batch">(
  name: P,
  kind: K,
  transform: string,
): NonNullable<PrimitiveRules<P>[K]> {
  const r = rulesFor(name)[kind];
  if (!r) throw new Error(`${transform} rule for '${name}' is not implemented`);
  return r as NonNullable<PrimitiveRules<P>[K]>;
}
