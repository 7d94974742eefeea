/** `vjp`: reverse mode as linearize followed by transposition of the linear Program. */
import type { Array } from "../src/core/array.js";
import { checkFunction } from "../src/core/validate.js";
import { backwardPass } from "../src/interpreters/transpose.js";
import { LinearIn } from "../src/core/rules.js";
import { convert, instantiate } from "../src/core/ops.js";
import { unflatten, type PyTreeDef } from "../src/tree/index.js";
import { linearizeFlat } from "./linearize.js";
import { flattenArrays, flatFn, frozen, recordedDef } from "../src/interpreters/args.js";
import { Zero } from "../src/core/trace.js";

/** vjp on flat lists: the pullback maps output cotangents to input cotangents (zeros instantiated). */
export function vjpFlat(
  f: (...xs: Array[]) => readonly Array[],
  primals: readonly Array[],
  transform: string,
  numLinearOuts?: number,
): [Array[], (cts: readonly Array[]) => Array[]] {
  const lin = linearizeFlat(f, primals, transform, numLinearOuts);
  const pullback = (cts: readonly Array[]): Array[] => {
    const args = [...lin.extraArgs, ...primals.map((p) => new LinearIn(p.aval))];
    const res = backwardPass(lin.program, args, cts);
    // One cotangent per Program input: the extras, then one per primal.
    return res.slice(lin.extraArgs.length).map((r, i) => instantiate(r ?? new Zero(primals[i]!.aval)));
  };
  return [lin.outs, pullback];
}

/**
 * Evaluates `f` and returns `[out, vjpFn]`; `vjpFn(ct)` pulls a cotangent shaped like `out` back to
 * cotangents for every argument (returned as a tuple matching the arguments).
 *
 * @example
 * const [y, pullback] = vjp((x: Array) => x.mul(x), np.array([1, 2]));
 * pullback(np.onesLike(y)); // [array([2., 4.])]
 */
export function vjp<A extends unknown[], R>(f: (...args: A) => R, ...primals: A): [R, (ct: R) => A] {
  checkFunction("vjp", f);
  const [flat, inDef] = flattenArrays(primals, "vjp", "primals");
  const out: { def?: PyTreeDef } = {};
  const [outs, pullback] = vjpFlat(flatFn(f, inDef, "vjp", out), flat, "vjp");
  const outDef = recordedDef(out, "vjp");
  const vjpFn = (ct: R): A => {
    const [cts, ctDef] = flattenArrays(ct, "vjp", "cotangents");
    if (!ctDef.equals(outDef))
      throw new Error(`vjp: cotangent structure ${ctDef} does not match output structure ${outDef}`);
    const matched = cts.map((c, i) => {
      const o = outs[i]!; // same structure as the outputs, so as many leaves
      if (c.shape.join() !== o.shape.join())
        throw new Error(`vjp: cotangent ${i} has shape [${c.shape}] but the output has shape [${o.shape}]`);
      return c.dtype === o.dtype ? c : convert(c, o.dtype);
    });
    return frozen(unflatten(inDef, pullback(matched)) as A);
  };
  return frozen([unflatten(outDef, outs) as R, vjpFn]);
}
