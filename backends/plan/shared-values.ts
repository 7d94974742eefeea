/**
 * Values read several times that still need no buffer: a value read by several elementwise
 * equations whose results flow, each through values read once, into the same equation (relu's
 * select(x > 0, x, 0) reads x twice) ends up in one fused kernel, computed once there.
 */
import { type Eqn, Literal, type Program, type Var } from "../../src/core/program.js";

/** The variables of `program` that fuse into a single kernel despite several reads. */
export function valuesFusedOnce(
  program: Program,
  uses: ReadonlyMap<Var, number>,
  elementwise: ReadonlySet<string>,
): Set<Var> {
  const consumers = new Map<Var, Eqn[]>();
  for (const e of program.eqns)
    for (const a of e.inputs) if (!(a instanceof Literal)) consumers.set(a, [...(consumers.get(a) ?? []), e]);
  // The last elementwise equation a chain of single-read values leads to.
  const sink = (e: Eqn): Eqn => {
    let at = e;
    for (let hops = 0; hops < 64; hops++) {
      const out = at.outputs[0];
      if (!out || !elementwise.has(at.prim) || (uses.get(out) ?? 0) !== 1) return at;
      const next = consumers.get(out)?.[0];
      if (!next || !elementwise.has(next.prim)) return at;
      at = next;
    }
    return at;
  };
  const shared = new Set<Var>();
  for (const [v, cs] of consumers) {
    if (cs.length < 2 || (uses.get(v) ?? 0) !== cs.length) continue;
    if (!cs.every((c) => elementwise.has(c.prim))) continue;
    const first = sink(cs[0]!);
    if (cs.every((c) => sink(c) === first)) shared.add(v);
  }
  return shared;
}
