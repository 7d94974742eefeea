/**
 * threefry2x32: the Threefry-2x32 hash as one primitive (JAX's `threefry2x32_p`), so a random draw
 * is one kernel pass instead of ~100 elementwise uint32 ops. Elementwise over the operands'
 * common shape S; the two output words are stacked in a new last axis ([...S, 2]).
 */
import { ShapedArray } from "../../core/aval.js";
import { shapeEqual, shapeStr } from "../../core/shape.js";
import { Zero, bind1 } from "../../core/trace.js";
import { batchToFront } from "../batch-helpers.js";
import { defPrimitive } from "../../core/rules.js";

const OPERANDS = ["k0", "k1", "x0", "x1"] as const;

/** The operand count (4) is checked by the rule registry before this runs. */
function threefryAval(avals: readonly [ShapedArray, ShapedArray, ShapedArray, ShapedArray]): ShapedArray {
  avals.forEach((a, i) => {
    if (a.dtype !== "uint32") throw new TypeError(`threefry2x32: ${OPERANDS[i]} must be uint32, got ${a.toString()}`);
  });
  const S = avals[0].shape;
  avals.forEach((a, i) => {
    if (!shapeEqual(a.shape, S))
      throw new TypeError(
        `threefry2x32: operands must share one shape, got ${avals.map((v, j) => `${OPERANDS[j]}${shapeStr(v.shape)}`).join(", ")} ` +
          `(${OPERANDS[i]} differs from k0; broadcast them first)`,
      );
  });
  return new ShapedArray([...S, 2], "uint32");
}

/** Registers the rules of this file's primitive (called once, by `registerAllPrimitives`). */
export function registerThreefry(): void {
  defPrimitive("threefry2x32", {
    abstractEval: (avals) => [threefryAval(avals)],
    // Integer output: its tangent is a symbolic zero whatever the inputs' tangents.
    jvp: (args, _t, params) => {
      const y = bind1("threefry2x32", args, params);
      return [[y], [new Zero(y.aval)]];
    },
    // Elementwise over the leading shape, so the batch axis can lead every operand and the output.
    batch: (args, dims, params, axisSize) => [
      [
        bind1(
          "threefry2x32",
          args.map((a, i) => batchToFront(a, dims[i]!, axisSize)), // dims: one per operand (checked)
          params,
        ),
      ],
      [0],
    ],
  });
}
