/** Indexing primitives: gather / scatter_add along one axis, dynamic_slice, dynamic_update_slice. */
import type { Array } from "../../core/array.js";
import { ShapedArray } from "../../core/aval.js";
import { shapeStr } from "../../core/shape.js";
import { Zero, bind1 } from "../../core/trace.js";
import { defPrimitive, LinearIn, type Tangent } from "../../core/rules.js";
import { batched, batchToFront, loopBatch } from "../batch-helpers.js";
import * as L from "../../core/ops.js";

function checkIndices(prim: string, idx: ShapedArray): void {
  if (idx.dtype !== "int32") throw new Error(`${prim}: indices must be int32, got ${idx.dtype}`);
}

const gatherShape = (op: readonly number[], idx: readonly number[], axis: number): number[] => [
  ...op.slice(0, axis),
  ...idx,
  ...op.slice(axis + 1),
];

/**
 * Batches a gather whose operand and indices are both batched: fold the batch into the gathered
 * axis (operand [B*A, ...], indices offset by b*A) so one gather serves every batch element.
 */
function gatherBothBatched(x: Array, idx: Array, axis: number): Array {
  // x has its batch axis first, then the operand's axes, and abstractEval checked axis < its rank.
  const [B, A] = [x.shape[0]!, x.shape[axis + 1]!];
  const xf = L.moveAxis(x, axis + 1, 1);
  const merged = L.reshape(xf, [B * A, ...xf.shape.slice(2)]);
  const clamped = L.binary("min", L.binary("max", idx, L.fullLike(idx, 0)), L.fullLike(idx, A - 1));
  const offs = L.mul(bind1("iota", [], { shape: [...idx.shape], dimension: 0, dtype: "int32" }), L.fullLike(idx, A));
  const g = bind1("gather", [merged, L.add(clamped, offs)], { axis: 0 });
  // g: [B, I..., pre..., post...]; wanted: [B, pre..., I..., post...].
  const ni = idx.ndim - 1,
    npre = axis;
  const rest = g.ndim - 1 - ni - npre;
  const r = (s: number, n: number) => globalThis.Array.from({ length: n }, (_, i) => s + i);
  return L.transpose(g, [0, ...r(1 + ni, npre), ...r(1, ni), ...r(1 + ni + npre, rest)]);
}

/** Scatter counterpart of `gatherBothBatched`: every operand has its batch axis first. */
function scatterBatched(x: Array, idx: Array, upd: Array, axis: number): Array {
  // As in gatherBothBatched: batch axis first, axis checked against the operand's rank.
  const [B, A] = [x.shape[0]!, x.shape[axis + 1]!];
  const xf = L.moveAxis(x, axis + 1, 1);
  const merged = L.reshape(xf, [B * A, ...xf.shape.slice(2)]);
  const clamped = L.binary("min", L.binary("max", idx, L.fullLike(idx, 0)), L.fullLike(idx, A - 1));
  const offs = L.mul(bind1("iota", [], { shape: [...idx.shape], dimension: 0, dtype: "int32" }), L.fullLike(idx, A));
  // upd: [B, pre..., I..., post...] → [B, I..., pre..., post...] (gather-output layout for axis 0).
  const ni = idx.ndim - 1,
    npre = axis;
  const rest = upd.ndim - 1 - ni - npre;
  const r = (st: number, n: number) => globalThis.Array.from({ length: n }, (_, i) => st + i);
  const u = L.transpose(upd, [0, ...r(1 + npre, ni), ...r(1, npre), ...r(1 + npre + ni, rest)]);
  const out = bind1("scatter_add", [merged, L.add(clamped, offs), u], { axis: 0 });
  return L.moveAxis(L.reshape(out, xf.shape), 1, axis + 1);
}

/** Registers the rules of this file's primitives (called once, by `registerAllPrimitives`). */
export function registerIndexing(): void {
  registerGatherAndScatter();
  registerDynamicSlices();
}

function registerGatherAndScatter(): void {
  defPrimitive("gather", {
    abstractEval: ([x, idx], { axis }) => {
      checkIndices("gather", idx);
      if (axis < 0 || axis >= x.ndim) throw new Error(`gather: axis ${axis} out of range for ${shapeStr(x.shape)}`);
      return [new ShapedArray(gatherShape(x.shape, idx.shape, axis), x.dtype, x.weakType)];
    },
    jvp: ([x, idx], [t], p) => {
      const y = bind1("gather", [x, idx], p);
      return [[y], [t instanceof Zero ? new Zero(y.aval) : bind1("gather", [t, idx], p)]];
    },
    transpose: ([ct], [x, idx], p) => {
      if (!(x instanceof LinearIn) || idx instanceof LinearIn)
        throw new Error("transpose: gather is linear only in its operand");
      if (ct instanceof Zero) return [new Zero(x.aval), null];
      return [bind1("scatter_add", [L.zerosOf(x.aval), idx, ct], p), null];
    },
    batch: ([x, idx], [dx, di], { axis }, _n) => {
      if (di === null)
        return [[bind1("gather", [L.moveAxis(x, batched(dx, "gather"), 0), idx], { axis: axis + 1 })], [0]];
      if (dx === null) return [[bind1("gather", [x, idx], { axis })], [axis + di]];
      return [[gatherBothBatched(L.moveAxis(x, dx, 0), L.moveAxis(idx, di, 0), axis)], [0]];
    },
  });

  defPrimitive("scatter_add", {
    abstractEval: ([x, idx, upd], { axis }) => {
      checkIndices("scatter_add", idx);
      if (axis < 0 || axis >= x.ndim)
        throw new Error(`scatter_add: axis ${axis} out of range for ${shapeStr(x.shape)}`);
      const want = gatherShape(x.shape, idx.shape, axis);
      if (upd.dtype !== x.dtype || want.length !== upd.ndim || want.some((n, i) => n !== upd.shape[i]))
        throw new Error(`scatter_add: updates ${upd.dtype}${shapeStr(upd.shape)} must be ${x.dtype}${shapeStr(want)}`);
      return [x];
    },
    jvp: ([x, idx, u], [tx, , tu], p) => {
      const y = bind1("scatter_add", [x, idx, u], p);
      if (tx instanceof Zero && tu instanceof Zero) return [[y], [new Zero(y.aval)]];
      return [[y], [bind1("scatter_add", [L.instantiate(tx), idx, L.instantiate(tu)], p)]];
    },
    transpose: ([ct], [x, idx, u], p) => {
      if (idx instanceof LinearIn) throw new Error("transpose: scatter_add is not linear in its indices");
      const ctx: Tangent | null = x instanceof LinearIn ? ct : null;
      let ctu: Tangent | null = null;
      if (u instanceof LinearIn) ctu = ct instanceof Zero ? new Zero(u.aval) : bind1("gather", [ct, idx], p);
      return [ctx, null, ctu];
    },
    batch: ([x, idx, u], [dx, di, du], { axis }, n) => [
      [scatterBatched(batchToFront(x, dx, n), batchToFront(idx, di, n), batchToFront(u, du, n), axis)],
      [0],
    ],
  });
}

function checkStarts(prim: string, avals: readonly ShapedArray[]): void {
  for (const s of avals)
    if (s.ndim !== 0 || s.dtype !== "int32")
      throw new Error(`${prim}: start indices must be int32 scalars, got ${s.dtype}${shapeStr(s.shape)}`);
}

function registerDynamicSlices(): void {
  registerDynamicSlice();
  registerDynamicUpdateSlice();
}

function registerDynamicSlice(): void {
  defPrimitive("dynamic_slice", {
    abstractEval: ([x, ...starts], { sizes }) => {
      checkStarts("dynamic_slice", starts);
      if (starts.length !== x.ndim || sizes.length !== x.ndim || sizes.some((s, i) => s < 0 || s > x.shape[i]!))
        throw new Error(
          `dynamic_slice: sizes ${JSON.stringify(sizes)} and ${starts.length} start indices do not fit ${shapeStr(x.shape)}`,
        );
      return [new ShapedArray(sizes, x.dtype, x.weakType)];
    },
    jvp: ([x, ...starts], [t], p) => {
      const y = bind1("dynamic_slice", [x, ...starts], p);
      return [[y], [t instanceof Zero ? new Zero(y.aval) : bind1("dynamic_slice", [t, ...starts], p)]];
    },
    transpose: ([ct], [x, ...starts]) => {
      if (!(x instanceof LinearIn)) throw new Error("transpose: dynamic_slice is linear only in its operand");
      if (ct instanceof Zero) return [new Zero(x.aval), ...starts.map(() => null)];
      return [
        bind1("dynamic_update_slice", [L.zerosOf(x.aval), ct, ...(starts as Array[])], {}),
        ...starts.map(() => null),
      ];
    },
    batch: (args, dims, p, n) => {
      if (dims.slice(1).some((d) => d !== null)) return loopBatch("dynamic_slice")(args, dims, p, n);
      const [x, ...starts] = args;
      const zero = L.scalar(0, "int32");
      return [
        [
          bind1("dynamic_slice", [L.moveAxis(x, batched(dims[0], "dynamic_slice"), 0), zero, ...starts], {
            sizes: [n, ...p.sizes],
          }),
        ],
        [0],
      ];
    },
  });
}

function registerDynamicUpdateSlice(): void {
  defPrimitive("dynamic_update_slice", {
    abstractEval: ([x, u, ...starts]) => {
      checkStarts("dynamic_update_slice", starts);
      if (
        u.dtype !== x.dtype ||
        u.ndim !== x.ndim ||
        starts.length !== x.ndim ||
        u.shape.some((s, i) => s > x.shape[i]!)
      )
        throw new Error(
          `dynamic_update_slice: update ${u.dtype}${shapeStr(u.shape)} does not fit operand ${x.dtype}${shapeStr(x.shape)}`,
        );
      return [x];
    },
    jvp: ([x, u, ...starts], [tx, tu]) => {
      const y = bind1("dynamic_update_slice", [x, u, ...starts], {});
      if (tx instanceof Zero && tu instanceof Zero) return [[y], [new Zero(y.aval)]];
      return [[y], [bind1("dynamic_update_slice", [L.instantiate(tx), L.instantiate(tu), ...starts], {})]];
    },
    transpose: ([ct], [x, u, ...starts]) => {
      if (starts.some((s) => s instanceof LinearIn))
        throw new Error("transpose: dynamic_update_slice is not linear in its indices");
      const ss = starts as Array[];
      const uAval = u instanceof LinearIn ? u.aval : u.aval;
      const nulls = starts.map(() => null);
      if (ct instanceof Zero)
        return [
          x instanceof LinearIn ? new Zero(x.aval) : null,
          u instanceof LinearIn ? new Zero(u.aval) : null,
          ...nulls,
        ];
      return [
        x instanceof LinearIn ? bind1("dynamic_update_slice", [ct, L.zerosOf(uAval), ...ss], {}) : null,
        u instanceof LinearIn ? bind1("dynamic_slice", [ct, ...ss], { sizes: [...uAval.shape] }) : null,
        ...nulls,
      ];
    },
    batch: (args, dims, p, n) => {
      if (dims.slice(2).some((d) => d !== null)) return loopBatch("dynamic_update_slice")(args, dims, p, n);
      const [x, u, ...starts] = args;
      const zero = L.scalar(0, "int32");
      return [
        [
          bind1(
            "dynamic_update_slice",
            [batchToFront(x, dims[0], n), batchToFront(u, dims[1], n), zero, ...starts],
            {},
          ),
        ],
        [0],
      ];
    },
  });
}
