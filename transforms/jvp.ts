/** `jvp`: forward-mode derivatives of pytree functions. */
import type { Array } from "../src/core/array.js";
import { currentTrace } from "../src/core/trace.js";
import { convert, instantiate } from "../src/lax/ops.js";
import { unflatten, type PyTreeDef } from "../src/tree/index.js";
import { jvpFlat } from "./jvp-trace.js";
import { checkDifferentiable, flattenArrays, flatFn, frozen } from "./args.js";

/**
 * Evaluates `f(...primals)` and its directional derivative along `tangents`: returns `[out, tangentOut]`.
 * `primals` and `tangents` are tuples of pytrees with the same structure.
 *
 * @example
 * const [y, dy] = jvp((x: Array) => x.sin(), [np.array(0)], [np.array(1)]); // dy = cos(0) = 1
 */
export function jvp<A extends unknown[], R>(f: (...args: A) => R, primals: A, tangents: A): [R, R] {
  for (const [what, v] of [["primals", primals], ["tangents", tangents]] as const)
    if (!globalThis.Array.isArray(v))
      throw new TypeError(`jvp: ${what} must be a list with one entry per argument, e.g. jvp(f, [x], [v]); got ${v === null ? "null" : typeof v}`);
  const [p, pDef] = flattenArrays(primals, "jvp", "primals");
  const [t, tDef] = flattenArrays(tangents, "jvp", "tangents");
  if (!pDef.equals(tDef)) throw new Error(`jvp: primals and tangents must have the same pytree structure; got ${pDef} and ${tDef}`);
  p.forEach((x, i) => {
    const ti = t[i]!;
    if (x.shape.join() !== ti.shape.join())
      throw new Error(`jvp: tangent leaf ${i} has shape [${ti.shape}] but its primal has shape [${x.shape}]`);
    checkDifferentiable(x, "jvp", `primal leaf ${i}`);
    if (ti.dtype !== x.dtype && !ti.weakType)
      throw new TypeError(`jvp: tangent leaf ${i} has dtype ${ti.dtype} but its primal has dtype ${x.dtype}; tangents must match their primals' dtypes`);
  });
  const out: { def?: PyTreeDef } = {};
  // Only weakly typed tangents (JS numbers) are converted; others were checked above.
  const tt = t.map((ti, i) => (ti.dtype === p[i]!.dtype ? ti : convert(ti, p[i]!.dtype)));
  const [po, to] = jvpFlat(flatFn(f, pDef, "jvp", out), p, tt, currentTrace(), "jvp");
  return frozen([unflatten(out.def!, po) as R, unflatten(out.def!, to.map(instantiate)) as R]);
}
