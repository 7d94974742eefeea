/**
 * Simplification passes run on every jitted Program before the backend sees it:
 * constant folding (equations on literals only), common-subexpression elimination and dead-code elimination.
 */
import { Literal, Program, Var, numberKey, paramsKey, type Atom, type Eqn } from "./program.js";
import { withTrace, bind } from "./trace.js";
import { evalTrace } from "./eval.js";
import { ConcreteArray } from "./concrete.js";
import { scalar } from "../lax/ops.js";
import type { PrimName, PrimParams } from "../lax/params.js";

/** Runs all passes to a fixed point (they are cheap and each can enable the others). */
export function simplify(p: Program): Program {
  return dce(cse(foldConstants(p)));
}

/** Evaluates equations whose inputs are all scalar literals, replacing their scalar results by literals. */
export function foldConstants(p: Program): Program {
  const subst = new Map<Var, Atom>();
  const sub = (a: Atom): Atom => (a instanceof Var ? subst.get(a) ?? a : a);
  const eqns: Eqn[] = [];
  for (const e0 of p.eqns) {
    const e = { ...e0, inputs: e0.inputs.map(sub) };
    const foldable =
      e.prim !== "jit_call" && e.prim !== "iota" && e.inputs.length > 0 && e.inputs.every((a) => a instanceof Literal) && e.outputs.every((o) => o.aval.ndim === 0);
    if (foldable) {
      const outs = withTrace(evalTrace, () =>
        bind(e.prim as PrimName, e.inputs.map((a) => scalar((a as Literal).value, a.aval.dtype, a.aval.weakType)), e.params as PrimParams[PrimName]),
      );
      e.outputs.forEach((v, i) => subst.set(v, new Literal((outs[i] as ConcreteArray).readSync()[0]!, v.aval)));
      continue;
    }
    eqns.push(e);
  }
  return new Program(p.constVars, p.consts, p.inVars, eqns, p.outs.map(sub));
}

/** Replaces an equation by an earlier identical one (same primitive, inputs and params). */
export function cse(p: Program): Program {
  const subst = new Map<Var, Var>();
  const ids = new Map<Var, number>();
  let next = 0;
  const atomKey = (a: Atom): string => (a instanceof Literal ? `L${numberKey(a.value)}:${a.aval}` : `V${ids.get(a) ?? (ids.set(a, next++), ids.get(a))}`);
  const sub = (a: Atom): Atom => (a instanceof Var ? subst.get(a) ?? a : a);
  const seen = new Map<string, readonly Var[]>();
  const eqns: Eqn[] = [];
  for (const e0 of p.eqns) {
    const e = { ...e0, inputs: e0.inputs.map(sub) };
    // Sub-programs compare by identity: two calls of the same Program on the same inputs are one.
    const key = `${e.prim}(${e.inputs.map(atomKey).join(",")})[${paramsKey(e.params)}]`;
    const prev = seen.get(key);
    if (prev) {
      e.outputs.forEach((v, i) => subst.set(v, prev[i]!));
      continue;
    }
    seen.set(key, e.outputs);
    eqns.push(e);
  }
  return new Program(p.constVars, p.consts, p.inVars, eqns, p.outs.map(sub));
}

/** Drops equations whose outputs are never used (every primitive is pure) and unused constants. */
export function dce(p: Program): Program {
  const live = new Set<Var>(p.outs.filter((a): a is Var => a instanceof Var));
  const kept: Eqn[] = [];
  for (let i = p.eqns.length - 1; i >= 0; i--) {
    const e = p.eqns[i]!;
    if (!e.outputs.some((v) => live.has(v))) continue;
    kept.push(e);
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  kept.reverse();
  const cv: Var[] = [];
  const cs: ConcreteArray[] = [];
  p.constVars.forEach((v, i) => {
    if (live.has(v)) {
      cv.push(v);
      cs.push(p.consts[i] as ConcreteArray);
    }
  });
  return new Program(cv, cs, p.inVars, kept, p.outs);
}
