/** dot_general: batched tensor contraction (matmul, dot, einsum and tensordot lower to it). */
import type { Array } from "../../core/array.js";
import { ShapedArray } from "../../core/aval.js";
import { shapeStr } from "../../core/shape.js";
import { Zero } from "../../core/trace.js";
import { defPrimitive, LinearIn, type Tangent } from "../../core/rules.js";
import type { PrimParams } from "../../core/primitives.js";
import * as L from "../../core/ops.js";
import { batched } from "../batch-helpers.js";

type DotParams = PrimParams["dot_general"];

const range = (n: number): number[] => globalThis.Array.from({ length: n }, (_, i) => i);
const freeDims = (ndim: number, c: readonly number[], b: readonly number[]): number[] =>
  range(ndim).filter((i) => !c.includes(i) && !b.includes(i));

function dotAval(a: ShapedArray, b: ShapedArray, { contracting: [lc, rc], batch: [lb, rb] }: DotParams): ShapedArray {
  const fail = (why: string): never => {
    throw new Error(
      `dot_general: ${why} (lhs ${a.dtype}${shapeStr(a.shape)}, rhs ${b.dtype}${shapeStr(b.shape)}, contracting ${JSON.stringify([lc, rc])}, batch ${JSON.stringify([lb, rb])})`,
    );
  };
  if (a.dtype !== b.dtype) fail("operands must share a dtype");
  if (lc.length !== rc.length || lb.length !== rb.length) fail("dimension lists differ in length");
  const inRange = (dims: readonly number[], ndim: number): boolean =>
    dims.every((d) => Number.isInteger(d) && d >= 0 && d < ndim);
  if (!inRange(lc, a.ndim) || !inRange(lb, a.ndim)) fail(`an lhs dimension is out of range for rank ${a.ndim}`);
  if (!inRange(rc, b.ndim) || !inRange(rb, b.ndim)) fail(`an rhs dimension is out of range for rank ${b.ndim}`);
  // From here every dimension indexes its operand's shape, and lc/rc (lb/rb) pair up index by index.
  lc.forEach(
    (d, i) => a.shape[d] !== b.shape[rc[i]!] && fail(`contracting sizes differ: ${a.shape[d]} vs ${b.shape[rc[i]!]}`),
  );
  lb.forEach(
    (d, i) => a.shape[d] !== b.shape[rb[i]!] && fail(`batch sizes differ: ${a.shape[d]} vs ${b.shape[rb[i]!]}`),
  );
  const shape = [
    ...lb.map((d) => a.shape[d]!),
    ...freeDims(a.ndim, lc, lb).map((d) => a.shape[d]!),
    ...freeDims(b.ndim, rc, rb).map((d) => b.shape[d]!),
  ];
  return new ShapedArray(shape, a.dtype, a.weakType && b.weakType);
}

/** Cotangent of one operand: contract ct with the other operand, then restore this operand's axis order. */
function transposeSide(ct: Array, other: Array, thisNdim: number, p: DotParams, side: 0 | 1): Array {
  const o = side === 0 ? 1 : 0;
  const [tc, oc] = [p.contracting[side], p.contracting[o]];
  const [tb, ob] = [p.batch[side], p.batch[o]];
  const nb = tb.length;
  const thisFree = freeDims(thisNdim, tc, tb);
  const otherFree = freeDims(other.ndim, oc, ob);
  // ct's layout: batch, lhs free, rhs free.
  const ctOtherFree = range(otherFree.length).map((i) => nb + (side === 0 ? thisFree.length : 0) + i);
  const ctBatch = range(nb);
  const res = L.dotGeneral(ct, other, [ctOtherFree, otherFree], [ctBatch, [...ob]]);
  // res layout: batch, this free, other's contracting dims (in other's axis order).
  const ocSorted = [...oc].sort((a, b) => a - b);
  // oc and tc pair up index by index (dotAval checked), and d is an entry of oc.
  const resDims = [...tb, ...thisFree, ...ocSorted.map((d) => tc[oc.indexOf(d)]!)];
  return L.transpose(
    res,
    range(thisNdim).map((j) => resDims.indexOf(j)),
  );
}

/** Registers the rules of this file's primitives (called once, by `registerAllPrimitives`). */
export function registerDot(): void {
  defPrimitive("dot_general", {
    abstractEval: ([a, b], p) => [dotAval(a, b, p)],
    jvp: ([a, b], [ta, tb], p) => {
      const out = L.dotGeneral(a, b, p.contracting, p.batch);
      const da: Tangent = ta instanceof Zero ? ta : L.dotGeneral(ta, b, p.contracting, p.batch);
      const db: Tangent = tb instanceof Zero ? tb : L.dotGeneral(a, tb, p.contracting, p.batch);
      const t = L.addTangents(da, db);
      return [[out], [t instanceof Zero ? new Zero(out.aval) : t]];
    },
    transpose: ([ct], [a, b], p) => {
      if (a instanceof LinearIn && b instanceof LinearIn)
        throw new Error("transpose: dot_general is not linear in both operands at once");
      if (ct instanceof Zero)
        return [a instanceof LinearIn ? new Zero(a.aval) : null, b instanceof LinearIn ? new Zero(b.aval) : null];
      if (a instanceof LinearIn) return [transposeSide(ct, b as Array, a.aval.ndim, p, 0), null];
      return [null, transposeSide(ct, a as Array, (b as LinearIn).aval.ndim, p, 1)];
    },
    batch: ([a, b], [da, db], p) => {
      const [lc, rc] = p.contracting;
      const [lb, rb] = p.batch;
      const up = (ds: readonly number[], d: number) => ds.map((x) => (x >= d ? x + 1 : x));
      if (da !== null && db !== null) {
        const x = L.moveAxis(a, da, 0);
        const y = L.moveAxis(b, db, 0);
        const shift = (ds: readonly number[]) => ds.map((v) => v + 1);
        return [
          [
            L.dotGeneral(
              x,
              y,
              [shift(lc), shift(rc)],
              [
                [0, ...shift(lb)],
                [0, ...shift(rb)],
              ],
            ),
          ],
          [0],
        ];
      }
      if (da !== null) {
        const c = up(lc, da),
          bt = up(lb, da);
        const free = freeDims(a.ndim, c, bt);
        return [[L.dotGeneral(a, b, [c, [...rc]], [bt, [...rb]])], [lb.length + free.indexOf(da)]];
      }
      const d = batched(db, "dot_general");
      const c = up(rc, d),
        bt = up(rb, d);
      const free = freeDims(b.ndim, c, bt);
      const lFree = freeDims(a.ndim, lc, lb).length;
      return [[L.dotGeneral(a, b, [[...lc], c], [[...lb], bt])], [lb.length + lFree + free.indexOf(d)]];
    },
  });
}
