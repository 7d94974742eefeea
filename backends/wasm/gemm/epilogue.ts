/**
 * The call into the user's epilogue, (b, rowStart, rows, colStart, cols) → (). The driver reports
 * finished blocks in rows of its (possibly batch-folded) M; this splits a block at batch
 * boundaries so the epilogue always sees rows of one batch.
 *
 * epilogueSplit(batchBase, rowsPerBatch, row, rows, col, cols)
 */
import type { ModuleBuilder } from "../encoder/module.js";
import { I32, OP } from "../encoder/opcodes.js";
import { bumpBy, minLocals, whileDo } from "./ctl.js";

export function addEpilogueSplit(m: ModuleBuilder, epilogue: number): number {
  return m.func([I32, I32, I32, I32, I32, I32], [], (f, c) => {
    const [batchBase, perBatch, row, rows, col, cols] = [0, 1, 2, 3, 4, 5] as const;
    const end = f.local(I32);
    const bi = f.local(I32);
    const r0 = f.local(I32);
    const left = f.local(I32);
    const room = f.local(I32);
    const n = f.local(I32);
    c.get(row).get(rows).op(OP.i32_add).set(end);
    whileDo(
      c,
      () => c.get(row).get(end).op(OP.i32_lt_s),
      () => {
        c.get(row).get(perBatch).op(OP.i32_div_u).set(bi);
        c.get(row).get(bi).get(perBatch).op(OP.i32_mul).op(OP.i32_sub).set(r0);
        c.get(end).get(row).op(OP.i32_sub).set(left);
        c.get(perBatch).get(r0).op(OP.i32_sub).set(room);
        minLocals(c, left, room);
        c.set(n);
        c.get(batchBase).get(bi).op(OP.i32_add).get(r0).get(n).get(col).get(cols).call(epilogue);
        bumpBy(c, row, n);
      },
    );
  });
}
