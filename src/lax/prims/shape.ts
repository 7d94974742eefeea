/** Shape primitives: broadcast_in_dim, reshape, transpose, slice, pad, concatenate, rev, iota. All linear. */
import type { Array } from "../../core/array.js";
import { ShapedArray } from "../../core/aval.js";
import { sizeOf, shapeStr } from "../../core/shape.js";
import { Zero, bind1 } from "../../core/trace.js";
import { defPrimitive, LinearIn, type Tangent } from "../../core/rules.js";
import { batchToFront } from "../batch-helpers.js";
import type { PrimName, PrimParams } from "../../core/primitives.js";
import * as L from "../../core/ops.js";

/** JVP of a primitive that is linear in its only operand: apply it to the tangent. */
function linearJvp<P extends PrimName>(prim: P) {
  return ([x]: readonly [Array], [t]: readonly [Tangent], params: PrimParams[P]): [Array[], Tangent[]] => {
    const y = bind1(prim, [x], params);
    return [[y], [t instanceof Zero ? new Zero(y.aval) : bind1(prim, [t], params)]];
  };
}

/** Registers the rules of this file's primitives (called once, by `registerAllPrimitives`). */
export function registerShapeOps(): void {
  registerBroadcastReshapeTranspose();
  registerSliceAndPad();
  registerConcatenate();
  registerRevAndIota();
}

function registerBroadcastReshapeTranspose(): void {
  defPrimitive("broadcast_in_dim", {
    abstractEval: ([a], { shape, broadcastDimensions: bd }) => {
      if (bd.length !== a.ndim || bd.some((d, i) => !(a.shape[i] === 1 || a.shape[i] === shape[d])))
        throw new Error(
          `broadcast_in_dim: cannot broadcast ${shapeStr(a.shape)} to ${shapeStr(shape)} with dimensions ${JSON.stringify(bd)}`,
        );
      return [new ShapedArray(shape, a.dtype, a.weakType)];
    },
    jvp: linearJvp("broadcast_in_dim"),
    transpose: ([ct], [x], { shape, broadcastDimensions: bd }) => {
      const inAval = x.aval;
      if (ct instanceof Zero) return [new Zero(inAval)];
      const sumAxes = shape
        .map((_, i) => i)
        .filter((i) => {
          const j = bd.indexOf(i);
          return j < 0 || (inAval.shape[j] === 1 && shape[i] !== 1);
        });
      return [L.reshape(L.reduceSum(ct, sumAxes), inAval.shape)];
    },
    batch: ([x], [d], { shape, broadcastDimensions: bd }, n) => {
      const front = L.moveAxis(x, d, 0);
      return [[L.broadcastInDim(front, [n, ...shape], [0, ...bd.map((v) => v + 1)])], [0]];
    },
  });

  defPrimitive("reshape", {
    abstractEval: ([a], { shape }) => {
      if (sizeOf(shape) !== a.size)
        throw new Error(`reshape: cannot reshape ${shapeStr(a.shape)} (size ${a.size}) to ${shapeStr(shape)}`);
      return [new ShapedArray(shape, a.dtype, a.weakType)];
    },
    jvp: linearJvp("reshape"),
    transpose: ([ct], [x]) => [ct instanceof Zero ? new Zero(x.aval) : L.reshape(ct, x.aval.shape)],
    batch: ([x], [d], { shape }, n) => [[L.reshape(L.moveAxis(x, d, 0), [n, ...shape])], [0]],
  });

  defPrimitive("transpose", {
    abstractEval: ([a], { permutation: p }) => {
      if (p.length !== a.ndim || new Set(p).size !== p.length || p.some((v) => v < 0 || v >= a.ndim))
        throw new Error(`transpose: ${JSON.stringify(p)} is not a permutation of the axes of ${shapeStr(a.shape)}`);
      return [
        new ShapedArray(
          p.map((i) => a.shape[i]!),
          a.dtype,
          a.weakType,
        ),
      ];
    },
    jvp: linearJvp("transpose"),
    transpose: ([ct], [x], { permutation: p }) => {
      if (ct instanceof Zero) return [new Zero(x.aval)];
      const inv = p.map((_, i) => p.indexOf(i));
      return [L.transpose(ct, inv)];
    },
    batch: ([x], [d], { permutation: p }) => [[L.transpose(x, [d, ...p.map((v) => (v >= d ? v + 1 : v))])], [0]],
  });
}

function registerSliceAndPad(): void {
  defPrimitive("slice", {
    abstractEval: ([a], { start, limit, strides }) => {
      // Lengths first: then every index below is in range of all three lists.
      const bad =
        start.length !== a.ndim ||
        limit.length !== a.ndim ||
        strides.length !== a.ndim ||
        a.shape.some((n, i) => start[i]! < 0 || limit[i]! > n || start[i]! > limit[i]! || strides[i]! < 1);
      if (bad)
        throw new Error(
          `slice: start ${JSON.stringify(start)}, limit ${JSON.stringify(limit)}, strides ${JSON.stringify(strides)} do not fit ${shapeStr(a.shape)}`,
        );
      return [
        new ShapedArray(
          start.map((s, i) => Math.ceil((limit[i]! - s) / strides[i]!)),
          a.dtype,
          a.weakType,
        ),
      ];
    },
    jvp: linearJvp("slice"),
    transpose: ([ct], [x], { start, strides }) => {
      const inShape = x.aval.shape;
      if (ct instanceof Zero) return [new Zero(x.aval)];
      const out = ct.shape;
      const hi = inShape.map((n, i) => n - (out[i]! === 0 ? start[i]! : start[i]! + (out[i]! - 1) * strides[i]! + 1));
      return [bind1("pad", [ct], { lo: [...start], hi, interior: strides.map((s) => s - 1), value: 0 })];
    },
    batch: ([x], [d], { start, limit, strides }) => {
      const n = x.shape[d]!;
      const ins = <T>(a: readonly T[], v: T) => [...a.slice(0, d), v, ...a.slice(d)];
      return [[bind1("slice", [x], { start: ins(start, 0), limit: ins(limit, n), strides: ins(strides, 1) })], [d]];
    },
  });

  defPrimitive("pad", {
    abstractEval: ([a], { lo, hi, interior }) => {
      const lengths = lo.length !== a.ndim || hi.length !== a.ndim || interior.length !== a.ndim;
      if (lengths || [...lo, ...hi, ...interior].some((v) => v < 0 || !Number.isInteger(v)))
        throw new Error(`pad: lo/hi/interior must be non-negative integers, one per axis of ${shapeStr(a.shape)}`);
      const shape = a.shape.map((n, i) => lo[i]! + hi[i]! + n + Math.max(0, n - 1) * interior[i]!);
      return [new ShapedArray(shape, a.dtype, a.weakType)];
    },
    jvp: ([x], [t], p) => {
      const y = bind1("pad", [x], p);
      return [[y], [t instanceof Zero ? new Zero(y.aval) : bind1("pad", [t], { ...p, value: 0 })]];
    },
    transpose: ([ct], [x], { lo, interior }) => {
      if (ct instanceof Zero) return [new Zero(x.aval)];
      const inShape = x.aval.shape;
      const limit = inShape.map((n, i) => (n === 0 ? lo[i]! : lo[i]! + (n - 1) * (interior[i]! + 1) + 1));
      return [bind1("slice", [ct], { start: [...lo], limit, strides: interior.map((v) => v + 1) })];
    },
    batch: ([x], [d], { lo, hi, interior, value }) => {
      const ins = (a: readonly number[]) => [...a.slice(0, d), 0, ...a.slice(d)];
      return [[bind1("pad", [x], { lo: ins(lo), hi: ins(hi), interior: ins(interior), value })], [d]];
    },
  });
}

function registerConcatenate(): void {
  defPrimitive("concatenate", {
    abstractEval: (avals, { axis }) => {
      const [a] = avals;
      if (!Number.isInteger(axis) || axis < 0 || axis >= a.ndim)
        throw new Error(`concatenate: axis ${axis} is out of range for operands of rank ${a.ndim}`);
      for (const b of avals)
        if (b.dtype !== a.dtype || b.ndim !== a.ndim || b.shape.some((n, i) => i !== axis && n !== a.shape[i]))
          throw new Error(
            `concatenate: operands ${avals.map((v) => `${v.dtype}${shapeStr(v.shape)}`).join(", ")} must share dtype and all sizes except axis ${axis}`,
          );
      const shape = [...a.shape];
      shape[axis] = avals.reduce((s, v) => s + v.shape[axis]!, 0);
      return [
        new ShapedArray(
          shape,
          a.dtype,
          avals.every((v) => v.weakType),
        ),
      ];
    },
    jvp: (xs, ts, p) => {
      const y = bind1("concatenate", xs, p);
      if (!ts.some((t) => !(t instanceof Zero))) return [[y], [new Zero(y.aval)]];
      return [[y], [bind1("concatenate", ts.map(L.instantiate), p)]];
    },
    transpose: ([ct], args, { axis }) => {
      let off = 0;
      return args.map((a) => {
        const shape = a instanceof LinearIn ? a.aval.shape : a.shape;
        const start = shape.map((_, i) => (i === axis ? off : 0));
        const limit = shape.map((n, i) => (i === axis ? off + n : n));
        off += shape[axis]!;
        if (!(a instanceof LinearIn)) return null;
        if (ct instanceof Zero) return new Zero(a.aval);
        return bind1("slice", [ct], { start, limit, strides: shape.map(() => 1) });
      });
    },
    batch: (xs, ds, { axis }, n) => [
      [
        bind1(
          "concatenate",
          xs.map((x, i) => batchToFront(x, ds[i]!, n)),
          { axis: axis + 1 },
        ),
      ],
      [0],
    ],
  });
}

function registerRevAndIota(): void {
  defPrimitive("rev", {
    abstractEval: ([a], { axes }) => {
      if (axes.some((ax) => !Number.isInteger(ax) || ax < 0 || ax >= a.ndim))
        throw new Error(`rev: axes ${JSON.stringify(axes)} are not all axes of ${shapeStr(a.shape)}`);
      return [a];
    },
    jvp: linearJvp("rev"),
    transpose: ([ct], [x], p) => [ct instanceof Zero ? new Zero(x.aval) : bind1("rev", [ct], p)],
    batch: ([x], [d], { axes }) => [[bind1("rev", [x], { axes: axes.map((a) => (a >= d ? a + 1 : a)) })], [d]],
  });

  defPrimitive("iota", {
    abstractEval: (_a, { shape, dimension, dtype }) => {
      if (!Number.isInteger(dimension) || dimension < 0 || dimension >= shape.length)
        throw new Error(
          `iota: dimension ${dimension} is out of range for shape ${shapeStr(shape)}; pass an axis in [0, ${shape.length})`,
        );
      return [new ShapedArray(shape, dtype)];
    },
  });
}
