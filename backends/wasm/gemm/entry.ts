/**
 * The exported entry: gemm(batch, M, N, K, A, rsA, csA, bsA, B, rsB, csB, bsB, C, ldc, bsC, ws),
 * strides in elements. It turns strides into bytes, folds the batch into M where that is exact,
 * and runs the blocked product once per remaining batch.
 *
 * Folding: when B is shared by every batch (bsB = 0) and the batches of A and C continue the row
 * pattern (bsA = M·rsA, bsC = M·ldc), batch × M rows are one product, so B is packed once instead
 * of once per batch and small M (a vmapped vector–matrix product) still fills whole tiles. With
 * M = 1 the row strides are free to choose, so rsA := bsA and ldc := bsC always fold.
 */
import type { ModuleBuilder } from "../encoder/module.js";
import { I32, OP } from "../encoder/opcodes.js";
import { bump, bumpBy, ifElse, whileDo } from "./ctl.js";
import type { ElemOps } from "./dtype.js";

export function addEntry(m: ModuleBuilder, e: ElemOps, product: number, exportName: string): number {
  const P = Array<typeof I32>(16).fill(I32);
  return m.func(
    P,
    [],
    (f, c) => {
      const [batch, M, N, K, A, rsA, csA, bsA, B, rsB, csB, bsB, C, ldc, bsC, ws] = [
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
      ] as const;
      const rowsPerBatch = f.local(I32);
      const b = f.local(I32);
      // Nothing to do (and no epilogue call) when C is empty.
      ifElse(
        c,
        () =>
          c
            .get(batch)
            .i32(1)
            .op(OP.i32_lt_s)
            .get(M)
            .i32(1)
            .op(OP.i32_lt_s)
            .op(OP.i32_or)
            .get(N)
            .i32(1)
            .op(OP.i32_lt_s)
            .op(OP.i32_or),
        () => c.op(OP.return),
      );
      for (const s of [rsA, csA, bsA, rsB, csB, bsB, ldc, bsC]) c.get(s).i32(e.shift).op(OP.i32_shl).set(s);
      c.get(M).set(rowsPerBatch);
      ifElse(
        c,
        () => c.get(batch).i32(1).op(OP.i32_gt_s).get(bsB).op(OP.i32_eqz).op(OP.i32_and),
        () => {
          ifElse(
            c,
            () => c.get(M).i32(1).op(OP.i32_eq),
            () => {
              c.get(bsA).set(rsA);
              c.get(bsC).set(ldc);
            },
          );
          ifElse(
            c,
            () =>
              c
                .get(bsA)
                .get(M)
                .get(rsA)
                .op(OP.i32_mul)
                .op(OP.i32_eq)
                .get(bsC)
                .get(M)
                .get(ldc)
                .op(OP.i32_mul)
                .op(OP.i32_eq)
                .op(OP.i32_and),
            () => {
              c.get(M).get(batch).op(OP.i32_mul).set(M);
              c.i32(1).set(batch);
            },
          );
        },
      );
      c.i32(0).set(b);
      whileDo(
        c,
        () => c.get(b).get(batch).op(OP.i32_lt_s),
        () => {
          c.get(b).get(rowsPerBatch).get(M).get(N).get(K);
          c.get(A).get(rsA).get(csA).get(B).get(rsB).get(csB).get(C).get(ldc).get(ws).call(product);
          bumpBy(c, A, bsA);
          bumpBy(c, B, bsB);
          bumpBy(c, C, bsC);
          bump(c, b, 1);
        },
      );
    },
    exportName,
  );
}
