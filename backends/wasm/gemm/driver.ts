/**
 * The blocked loop nest for one matrix product (after the entry has turned strides into bytes and
 * picked the batch): jc (nc columns of C) → pc (kc-deep K panel; B's panel is packed once here) →
 * ic (mc rows; A's block is packed here) → jr (one nr-wide B sliver, kept in L1) → ir (one mr-tall
 * A sliver) → micro-kernel. The first K panel overwrites C and later ones add to it, so C needs no
 * zeroing; the pc loop runs at least once, so K = 0 stores the kernel's zero accumulators.
 *
 * gemm2d(batchBase, rowsPerBatch, M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, ws), strides in
 * bytes. When the entry folded several batches into M, rows are split back into batches for the
 * epilogue by `batchBase + row / rowsPerBatch`.
 */
import type { Code } from "../encoder/code.js";
import type { ModuleBuilder } from "../encoder/module.js";
import { I32, OP } from "../encoder/opcodes.js";
import type { Blocking, Workspace } from "./blocking.js";
import { bump, doWhile, ifElse, whileDo } from "./ctl.js";
import type { ElemOps } from "./dtype.js";

export interface DriverFuncs {
  /** kernels[v - 1] computes v vectors (v·lanes columns) of each tile row; the last is nr wide. */
  kernels: readonly number[];
  packA: number;
  packB: number;
  edgeStore: number;
  /** epilogueSplit(batchBase, rowsPerBatch, row, rows, col, cols), when there is an epilogue. */
  epilogue?: number;
}

/** Pushes min(local, constant). */
function minConst(c: Code, local: number, k: number): void {
  c.get(local).i32(k).get(local).i32(k).op(OP.i32_lt_s).op(OP.select);
}

export function addDriver(m: ModuleBuilder, e: ElemOps, b: Blocking, ws: Workspace, fn: DriverFuncs): number {
  const P = Array<typeof I32>(14).fill(I32);
  return m.func(P, [], (f, c) => {
    const [batchBase, rowsPerBatch, M, N, K, A, rsA, csA, B, rsB, csB, C, ldc, work] = [
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
    ] as const;
    const L = (): number => f.local(I32);
    const [jc, nc, pc, kc, ic, mc, jr, nr] = [L(), L(), L(), L(), L(), L(), L(), L()];
    const [ir, mr, cRow, bPanel, tmp, accumulate, wsA, wsB, tile] = [L(), L(), L(), L(), L(), L(), L(), L(), L()];
    const sh = e.shift;

    c.get(work).i32(ws.packedA).op(OP.i32_add).set(wsA);
    c.get(work).i32(ws.packedB).op(OP.i32_add).set(wsB);
    c.get(work).i32(ws.tile).op(OP.i32_add).set(tile);

    c.i32(0).set(jc);
    whileDo(
      c,
      () => c.get(jc).get(N).op(OP.i32_lt_s),
      () => {
        c.get(N).get(jc).op(OP.i32_sub).set(tmp);
        minConst(c, tmp, b.nc);
        c.set(nc);
        c.i32(0).set(pc);
        doWhile(
          c,
          () => {
            c.get(K).get(pc).op(OP.i32_sub).set(tmp);
            minConst(c, tmp, b.kc);
            c.set(kc);
            c.get(pc).set(accumulate);
            // packB(B + pc·rsB + jc·csB, rsB, csB, kc, nc, wsB)
            c.get(B).get(pc).get(rsB).op(OP.i32_mul).op(OP.i32_add).get(jc).get(csB).op(OP.i32_mul).op(OP.i32_add);
            c.get(rsB).get(csB).get(kc).get(nc).get(wsB).call(fn.packB);
            c.i32(0).set(ic);
            whileDo(
              c,
              () => c.get(ic).get(M).op(OP.i32_lt_s),
              () => {
                c.get(M).get(ic).op(OP.i32_sub).set(tmp);
                minConst(c, tmp, b.mc);
                c.set(mc);
                // packA(A + ic·rsA + pc·csA, rsA, csA, mc, kc, wsA)
                c.get(A).get(ic).get(rsA).op(OP.i32_mul).op(OP.i32_add).get(pc).get(csA).op(OP.i32_mul).op(OP.i32_add);
                c.get(rsA).get(csA).get(mc).get(kc).get(wsA).call(fn.packA);
                microTiles();
                if (fn.epilogue !== undefined) {
                  const epi = fn.epilogue;
                  ifElse(
                    c,
                    () => c.get(pc).get(kc).op(OP.i32_add).get(K).op(OP.i32_ge_s),
                    () => c.get(batchBase).get(rowsPerBatch).get(ic).get(mc).get(jc).get(nc).call(epi),
                  );
                }
                bump(c, ic, b.mc);
              },
            );
            c.get(pc).get(kc).op(OP.i32_add).set(pc);
          },
          () => c.get(pc).get(K).op(OP.i32_lt_s),
        );
        bump(c, jc, b.nc);
      },
    );

    /** Calls the narrowest kernel covering nr columns; `args` pushes its arguments. */
    function callKernel(args: () => void): void {
      const ks = fn.kernels;
      const pickFrom = (v: number): void => {
        const k = ks[v - 1] as number;
        if (v === ks.length) {
          args();
          c.call(k);
          return;
        }
        ifElse(
          c,
          () =>
            c
              .get(nr)
              .i32(v * e.lanes)
              .op(OP.i32_le_s),
          () => {
            args();
            c.call(k);
          },
          () => pickFrom(v + 1),
        );
      };
      pickFrom(1);
    }

    /** The jr/ir loops over one packed A block and the packed B panel. */
    function microTiles(): void {
      c.i32(0).set(jr);
      whileDo(
        c,
        () => c.get(jr).get(nc).op(OP.i32_lt_s),
        () => {
          c.get(nc).get(jr).op(OP.i32_sub).set(tmp);
          minConst(c, tmp, b.nr);
          c.set(nr);
          // The jr-th sliver starts jr·kc elements into packed B (each holds kc·nr elements).
          c.get(wsB).get(jr).get(kc).op(OP.i32_mul).i32(sh).op(OP.i32_shl).op(OP.i32_add).set(bPanel);
          // Address of C[ic][jc + jr].
          c.get(C).get(ic).get(ldc).op(OP.i32_mul).op(OP.i32_add);
          c.get(jc).get(jr).op(OP.i32_add).i32(sh).op(OP.i32_shl).op(OP.i32_add).set(cRow);
          c.i32(0).set(ir);
          whileDo(
            c,
            () => c.get(ir).get(mc).op(OP.i32_lt_s),
            () => {
              c.get(mc).get(ir).op(OP.i32_sub).set(tmp);
              minConst(c, tmp, b.mr);
              c.set(mr);
              const aPanel = (): void => {
                c.get(wsA).get(ir).get(kc).op(OP.i32_mul).i32(sh).op(OP.i32_shl).op(OP.i32_add);
              };
              // A tile whose rows are all inside C and whose width is whole vectors is stored
              // in place; any other goes through the tile buffer and the partial write-back.
              ifElse(
                c,
                () =>
                  c
                    .get(mr)
                    .i32(b.mr)
                    .op(OP.i32_eq)
                    .get(nr)
                    .i32(e.lanes - 1)
                    .op(OP.i32_and)
                    .op(OP.i32_eqz)
                    .op(OP.i32_and),
                () =>
                  callKernel(() => {
                    aPanel();
                    c.get(bPanel).get(kc).get(cRow).get(ldc).get(accumulate);
                  }),
                () => {
                  callKernel(() => {
                    aPanel();
                    c.get(bPanel)
                      .get(kc)
                      .get(tile)
                      .i32(b.nr * e.size)
                      .i32(0);
                  });
                  c.get(tile).get(cRow).get(ldc).get(mr).get(nr).get(accumulate).call(fn.edgeStore);
                },
              );
              c.get(cRow).get(ldc).i32(b.mr).op(OP.i32_mul).op(OP.i32_add).set(cRow);
              bump(c, ir, b.mr);
            },
          );
          bump(c, jr, b.nr);
        },
      );
    }
  });
}
