/**
 * Write-back of an edge tile: the kernel computed a full mr × nr tile into the workspace (its
 * padding rows and columns are zeros of the packing), and only the rows × cols corner that lies
 * inside C is copied out, element by element, so nothing outside C's M × N region is touched.
 *
 * edgeStore(tile, c, ldcBytes, rows, cols, accumulate)
 */
import type { ModuleBuilder } from "../encoder/module.js";
import { I32, OP } from "../encoder/opcodes.js";
import type { Blocking } from "./blocking.js";
import { bump, bumpBy, ifElse, whileDo } from "./ctl.js";
import type { ElemOps } from "./dtype.js";

export function addEdgeStore(m: ModuleBuilder, e: ElemOps, b: Blocking): number {
  return m.func([I32, I32, I32, I32, I32, I32], [], (f, c) => {
    const [tile, cp, ldc, rows, cols, accumulate] = [0, 1, 2, 3, 4, 5] as const;
    const r = f.local(I32);
    const t = f.local(I32);
    const src = f.local(I32);
    const dst = f.local(I32);
    const copyRows = (add: boolean): void => {
      c.i32(0).set(r);
      whileDo(
        c,
        () => c.get(r).get(rows).op(OP.i32_lt_s),
        () => {
          c.get(tile).set(src);
          c.get(cp).set(dst);
          c.i32(0).set(t);
          whileDo(
            c,
            () => c.get(t).get(cols).op(OP.i32_lt_s),
            () => {
              c.get(dst).get(src).mem(e.load, 0);
              if (add) c.get(dst).mem(e.load, 0).op(e.add);
              c.mem(e.store, 0);
              bump(c, src, e.size);
              bump(c, dst, e.size);
              bump(c, t, 1);
            },
          );
          bump(c, tile, b.nr * e.size);
          bumpBy(c, cp, ldc);
          bump(c, r, 1);
        },
      );
    };
    ifElse(
      c,
      () => c.get(accumulate),
      () => copyRows(true),
      () => copyRows(false),
    );
  });
}
