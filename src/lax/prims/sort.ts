/** argsort: the sorting primitive (random permutations and shuffles are built on it). */
import { ShapedArray } from "../../core/aval.js";
import { normalizeAxis } from "../../core/shape.js";
import { Zero, bind1 } from "../../core/trace.js";
import { defPrimitive } from "../../core/rules.js";

/** Registers the rules of this file's primitives (called once, by `registerAllPrimitives`). */
export function registerSort(): void {
  defPrimitive("argsort", {
    abstractEval: ([a], { axis }) => {
      normalizeAxis("argsort", axis, a.ndim);
      return [new ShapedArray(a.shape, "int32")];
    },
    jvp: ([x], _t, params) => {
      const y = bind1("argsort", [x], params);
      return [[y], [new Zero(y.aval)]];
    },
    batch: ([x], [d], { axis }) => [[bind1("argsort", [x], { axis: axis >= d ? axis + 1 : axis })], [d]],
  });
}
