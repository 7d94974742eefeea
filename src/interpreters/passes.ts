/**
 * Simplification passes run on every jitted Program before the backend sees it:
 * constant folding (equations on literals only), common-subexpression elimination and dead-code elimination.
 */
import { Literal, Program, Var, holdsPrograms, numberKey, paramsKey, type Atom, type Eqn } from "../core/program.js";
import type { ConcreteArray } from "../core/concrete.js";
import type { ShapedArray } from "../core/aval.js";
import { allocate } from "../core/dtype.js";
import { getBackend, REFERENCE_BACKEND } from "../core/backend.js";

/** Runs each pass once, in an order where each can enable the next (folding feeds CSE, both feed DCE). */
export function simplify(p: Program): Program {
  return dce(cse(foldConstants(p)));
}

/**
 * Evaluates equations whose inputs are all scalar literals, replacing their scalar results by
 * literals. Folding always runs on the reference backend, whatever the default is, so it reads
 * back synchronously on every backend and gives the oracle's values.
 */
export function foldConstants(p: Program): Program {
  const subst = new Map<Var, Atom>();
  const sub = (a: Atom): Atom => (a instanceof Var ? (subst.get(a) ?? a) : a);
  const eqns: Eqn[] = [];
  for (const e0 of p.eqns) {
    const e = { ...e0, inputs: e0.inputs.map(sub) };
    const foldable =
      e.inputs.length > 0 &&
      e.outputs.length === 1 &&
      !holdsPrograms(e.params) &&
      e.inputs.every((a) => a instanceof Literal) &&
      e.outputs.every((o) => o.aval.ndim === 0);
    const out = e.outputs[0];
    if (foldable && out) {
      subst.set(out, new Literal(foldOnReference(e, e.inputs as readonly Literal[], out.aval), out.aval));
      continue;
    }
    eqns.push(e);
  }
  return new Program(p.constVars, p.consts, p.inVars, eqns, p.outs.map(sub));
}

/** Runs one scalar equation (result `outAval`) on the reference backend and returns its value. */
function foldOnReference(e: Eqn, inputs: readonly Literal[], outAval: ShapedArray): number {
  const ref = getBackend(REFERENCE_BACKEND);
  const read = ref.downloadSync;
  if (!read) throw new Error(`constant folding: the reference backend '${ref.name}' must read synchronously`);
  const bufs = inputs.map((a) => {
    const b = allocate(a.aval.dtype, 1);
    b[0] = a.value;
    return ref.upload(b, a.aval);
  });
  const out = ref.executePrimitive(
    e.prim,
    e.params as never,
    bufs,
    inputs.map((a) => a.aval),
    outAval,
  );
  return read(out, outAval)[0]!; // a scalar: one element
}

/** Replaces an equation by an earlier identical one (same primitive, inputs and params). */
export function cse(p: Program): Program {
  const subst = new Map<Var, Var>();
  const ids = new Map<Var, number>();
  let next = 0;
  const atomKey = (a: Atom): string =>
    a instanceof Literal ? `L${numberKey(a.value)}:${a.aval}` : `V${ids.get(a) ?? (ids.set(a, next++), ids.get(a))}`;
  const sub = (a: Atom): Atom => (a instanceof Var ? (subst.get(a) ?? a) : a);
  const seen = new Map<string, readonly Var[]>();
  const eqns: Eqn[] = [];
  for (const e0 of p.eqns) {
    const e = { ...e0, inputs: e0.inputs.map(sub) };
    // Sub-programs compare by identity: two calls of the same Program on the same inputs are one.
    const key = `${e.prim}(${e.inputs.map(atomKey).join(",")})[${paramsKey(e.params)}]`;
    const prev = seen.get(key);
    if (prev) {
      e.outputs.forEach((v, i) => subst.set(v, prev[i]!)); // same primitive, inputs and params: same outputs
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
