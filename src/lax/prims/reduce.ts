/** Reductions (sum, max, min, prod, argmax, argmin) and cumulative sums. */
import type { Array } from "../../core/array.js";
import { ShapedArray } from "../../core/aval.js";
import { isFloat } from "../../core/dtype.js";
import { normalizeAxis } from "../../core/shape.js";
import { Zero, bind1 } from "../../core/trace.js";
import { defPrimitive } from "../../core/rules.js";
import type { ReducePrim } from "../../core/primitives.js";
import * as L from "../../core/ops.js";

function reduceAval(prim: string, a: ShapedArray, axes: readonly number[]): ShapedArray {
  for (const ax of axes) normalizeAxis(prim, ax, a.ndim);
  return new ShapedArray(
    a.shape.filter((_, i) => !axes.includes(i)),
    a.dtype,
    a.weakType,
  );
}

/** Broadcasts a reduced value back over the reduced axes. */
export function unreduce(y: Array, inShape: readonly number[], axes: readonly number[]): Array {
  const kept = inShape.map((_, i) => i).filter((i) => !axes.includes(i));
  return L.broadcastInDim(y, inShape, kept);
}

/** Batch rule for ops with an `axes` list: shift the axes around the batch dimension. */
function shiftAxes(axes: readonly number[], d: number): { axes: number[]; outDim: number } {
  const phys = axes.map((a) => (a >= d ? a + 1 : a));
  return { axes: phys, outDim: d - phys.filter((a) => a < d).length };
}

function defReduce(name: ReducePrim, jvp: (x: Array, y: Array, t: Array, axes: number[]) => Array): void {
  defPrimitive(name, {
    abstractEval: ([a], { axes }) => [reduceAval(name, a, axes)],
    jvp: ([x], [t], { axes }) => {
      const y = bind1(name, [x], { axes });
      if (t instanceof Zero || !isFloat(x.dtype)) return [[y], [new Zero(y.aval)]];
      return [[y], [jvp(x, y, t, axes)]];
    },
    batch: ([x], [d], { axes }) => {
      const s = shiftAxes(axes, d);
      return [[bind1(name, [x], { axes: s.axes })], [s.outDim]];
    },
  });
}

/** Registers the rules of this file's primitives (called once, by `registerAllPrimitives`). */
export function registerReductions(): void {
  defPrimitive("reduce_sum", {
    abstractEval: ([a], { axes }) => [reduceAval("reduce_sum", a, axes)],
    jvp: ([x], [t], { axes }) => [
      [L.reduceSum(x, axes)],
      [t instanceof Zero ? new Zero(reduceAval("", t.aval, axes)) : L.reduceSum(t, axes)],
    ],
    transpose: ([ct], [x], { axes }) => [ct instanceof Zero ? new Zero(x.aval) : unreduce(ct, x.aval.shape, axes)],
    batch: ([x], [d], { axes }) => {
      const s = shiftAxes(axes, d);
      return [[L.reduceSum(x, s.axes)], [s.outDim]];
    },
  });

  const extremumJvp = (x: Array, y: Array, t: Array, axes: number[]): Array => {
    // The tangent is averaged over the positions that attain the extremum (ties share it).
    const mask = L.convert(L.eq(x, unreduce(y, x.shape, axes)), x.dtype);
    const count = L.reduceSum(mask, axes);
    return L.div(L.reduceSum(L.mul(t, mask), axes), count);
  };
  defReduce("reduce_max", extremumJvp);
  defReduce("reduce_min", extremumJvp);
  defReduce("reduce_prod", (x, y, t, axes) => {
    // d prod / d x_i = prod of the others; computed without dividing by zero when one x_i is 0.
    const isZero = L.eq(x, L.fullLike(x, 0));
    const nz = L.convert(isZero, x.dtype);
    const zeroCount = unreduce(L.reduceSum(nz, axes), x.shape, axes);
    const prodNonZero = unreduce(
      bind1("reduce_prod", [L.select(isZero, L.fullLike(x, 1), x)], { axes }),
      x.shape,
      axes,
    );
    const others = L.select(
      isZero,
      L.mul(prodNonZero, L.convert(L.eq(zeroCount, L.fullLike(x, 1)), x.dtype)),
      L.div(unreduce(y, x.shape, axes), L.select(isZero, L.fullLike(x, 1), x)),
    );
    return L.reduceSum(L.mul(t, others), axes);
  });

  for (const name of ["argmax", "argmin"] as const) {
    defPrimitive(name, {
      abstractEval: ([a], { axis }) => [new ShapedArray(reduceAval(name, a, [axis]).shape, "int32")],
      jvp: ([x], _t, params) => {
        const y = bind1(name, [x], params);
        return [[y], [new Zero(y.aval)]];
      },
      batch: ([x], [d], { axis }) => {
        const physical = axis >= d ? axis + 1 : axis;
        return [[bind1(name, [x], { axis: physical })], [physical < d ? d - 1 : d]];
      },
    });
  }

  defPrimitive("cumsum", {
    abstractEval: ([a], { axis }) => {
      normalizeAxis("cumsum", axis, a.ndim);
      return [a];
    },
    jvp: ([x], [t], p) => [[bind1("cumsum", [x], p)], [t instanceof Zero ? t : bind1("cumsum", [t], p)]],
    transpose: ([ct], [x], { axis, reverse }) => [
      ct instanceof Zero ? new Zero(x.aval) : bind1("cumsum", [ct], { axis, reverse: !reverse }),
    ],
    batch: ([x], [d], { axis, reverse }) => [
      [bind1("cumsum", [x], { axis: axis >= d ? axis + 1 : axis, reverse })],
      [d],
    ],
  });
}
