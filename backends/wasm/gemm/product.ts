/**
 * One (possibly batch-folded) product, with the same arguments as the blocked driver:
 * product(batchBase, rowsPerBatch, M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, ws), strides in
 * bytes. Matrix–vector shapes whose strides suit gemv.ts go there (one epilogue call covers C);
 * everything else runs the blocked GEMM.
 */
import type { ModuleBuilder } from "../encoder/module.js";
import { I32, OP } from "../encoder/opcodes.js";
import { ifElse } from "./ctl.js";
import type { ElemOps } from "./dtype.js";

export interface ProductFuncs {
  gemm2d: number;
  dotRows: number;
  axpyRows: number;
  epilogue?: number;
}

export function addProduct(m: ModuleBuilder, e: ElemOps, fn: ProductFuncs): number {
  const P = Array<typeof I32>(14).fill(I32);
  return m.func(P, [], (_f, c) => {
    const [batchBase, rowsPerBatch, M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, ws] = [
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
    ] as const;
    const is = (local: number, v: number): void => {
      c.get(local).i32(v).op(OP.i32_eq);
    };
    const unit = (local: number): void => is(local, e.size);
    const both = (a: () => void, b: () => void): void => {
      a();
      b();
      c.op(OP.i32_and);
    };
    /** Runs `call`, reports all of C to the epilogue and returns. */
    const done = (call: () => void): void => {
      call();
      if (fn.epilogue !== undefined) c.get(batchBase).get(rowsPerBatch).i32(0).get(M).i32(0).get(N).call(fn.epilogue);
      c.op(OP.return);
    };
    const dot = (R: number, X: number, xs: number, y: number, outStride: () => void): void => {
      c.get(R).get(K).get(X).get(xs).get(y).get(C);
      outStride();
      c.call(fn.dotRows);
    };
    const axpy = (n: number, x: number, xs: number, Y: number, ys: number): void => {
      c.get(n).get(K).get(x).get(xs).get(Y).get(ys).get(C).call(fn.axpyRows);
    };

    // A row vector times a matrix: C (one contiguous row) = A · B.
    ifElse(
      c,
      () => is(M, 1),
      () => {
        ifElse(
          c,
          () => unit(csB),
          () => done(() => axpy(N, A, csA, B, rsB)),
        );
        ifElse(
          c,
          () =>
            both(
              () => unit(rsB),
              () => unit(csA),
            ),
          () => done(() => dot(N, B, csB, A, () => c.i32(e.size))),
        );
      },
    );
    // A matrix times a column vector: C (one column, ldc apart) = A · B.
    ifElse(
      c,
      () => is(N, 1),
      () => {
        ifElse(
          c,
          () =>
            both(
              () => unit(csA),
              () => unit(rsB),
            ),
          () => done(() => dot(M, A, rsA, B, () => c.get(ldc))),
        );
        ifElse(
          c,
          () =>
            both(
              () => unit(rsA),
              () => unit(ldc),
            ),
          () => done(() => axpy(M, B, rsB, A, csA)),
        );
      },
    );
    c.get(batchBase).get(rowsPerBatch).get(M).get(N).get(K).get(A).get(rsA).get(csA);
    c.get(B).get(rsB).get(csB).get(C).get(ldc).get(ws).call(fn.gemm2d);
  });
}
