/** `jvp`: forward-mode derivatives of pytree functions. */
import { checkFunction } from "../src/core/validate.js";
import { currentTrace } from "../src/core/trace.js";
import { instantiate } from "../src/core/ops.js";
import { unflatten, type PyTreeDef } from "../src/tree/index.js";
import { jvpFlat } from "../src/interpreters/jvp.js";
import {
  checkDifferentiable,
  flattenArrays,
  flatFn,
  frozen,
  matchTangents,
  recordedDef,
} from "../src/interpreters/args.js";

/**
 * Evaluates `f(...primals)` and its directional derivative along `tangents`: returns `[out, tangentOut]`.
 * `primals` and `tangents` are tuples of pytrees with the same structure.
 *
 * @example
 * const [y, dy] = jvp((x: Array) => x.sin(), [np.array(0)], [np.array(1)]); // dy = cos(0) = 1
 */
export function jvp<A extends unknown[], R>(f: (...args: A) => R, primals: A, tangents: A): [R, R] {
  checkFunction("jvp", f);
  for (const [what, v] of [
    ["primals", primals],
    ["tangents", tangents],
  ] as const)
    if (!globalThis.Array.isArray(v))
      throw new TypeError(
        `jvp: ${what} must be a list with one entry per argument, e.g. jvp(f, [x], [v]); got ${v === null ? "null" : typeof v}`,
      );
  const [p, pDef] = flattenArrays(primals, "jvp", "primals");
  const [t, tDef] = flattenArrays(tangents, "jvp", "tangents");
  if (!pDef.equals(tDef))
    throw new Error(`jvp: primals and tangents must have the same pytree structure; got ${pDef} and ${tDef}`);
  p.forEach((x, i) => checkDifferentiable(x, "jvp", `primal leaf ${i}`));
  const tt = matchTangents("jvp", p, t);
  const out: { def?: PyTreeDef } = {};
  const [po, to] = jvpFlat(flatFn(f, pDef, "jvp", out), p, tt, currentTrace(), "jvp");
  const outDef = recordedDef(out, "jvp");
  return frozen([unflatten(outDef, po) as R, unflatten(outDef, to.map(instantiate)) as R]);
}
