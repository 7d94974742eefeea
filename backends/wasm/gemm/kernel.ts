/**
 * The micro-kernel: C[0:mr, 0:nr] (=|+=) Ã·B̃ for one packed mr-tall sliver of A and one packed
 * nr-wide sliver of B, kc deep. The mr × nr/lanes accumulators live in v128 locals, which the
 * engine keeps in registers. Per k step it loads the nr elements of B̃ as v128s, then for each row
 * broadcasts one element of Ã (load32_splat: a single vbroadcastss on x64) and multiplies it into
 * the row's accumulators. Register budget (x64 V8 allocates 15 xmm registers, and TurboFan issues
 * all of a step's loads before its arithmetic): 4 × 8 f32 holds 8 accumulators + 2 B vectors +
 * 4 broadcasts + 1 product = 15, no spills (see BLOCKING for the measurements).
 *
 * kernel(aPanel, bPanel, kc, c, ldcBytes, accumulate): the full tile is written to c (rows
 * ldcBytes apart); with accumulate ≠ 0 it is added to what c holds (K panels after the first).
 * Narrower variants (nv < nr/lanes vectors) serve the last column panel when N mod nr is small:
 * they read the same nr-wide packed B but compute and store only nv·lanes columns.
 */
import type { ModuleBuilder } from "../encoder/module.js";
import { I32, OP, SIMD, V128 } from "../encoder/opcodes.js";
import type { Blocking } from "./blocking.js";
import { ifElse } from "./ctl.js";
import type { ElemOps } from "./dtype.js";

export function addKernel(m: ModuleBuilder, e: ElemOps, b: Blocking, relaxed: boolean, nv: number): number {
  const { mr, nr, unroll } = b;
  return m.func([I32, I32, I32, I32, I32, I32], [], (f, c) => {
    const [ap, bp, kc, cp, ldc, accumulate] = [0, 1, 2, 3, 4, 5] as const;
    // Locals start at zero, so the accumulators need no initialization.
    const acc: number[] = [];
    for (let i = 0; i < mr * nv; i++) acc.push(f.local(V128));
    const bv: number[] = [];
    for (let v = 0; v < nv; v++) bv.push(f.local(V128));
    const av = f.local(V128);
    const end = f.local(I32);
    const row = f.local(I32);
    const accAt = (r: number, v: number): number => acc[r * nv + v] as number;

    /** One k step: B at a constant offset `u` steps past bp, A at ap (advanced per step). */
    const step = (u: number): void => {
      for (let v = 0; v < nv; v++)
        c.get(bp)
          .simdMem(SIMD.v128_load, (u * nr + v * e.lanes) * e.size, 0)
          .set(bv[v] as number);
      for (let r = 0; r < mr; r++) {
        c.get(ap)
          .simdMem(e.splat, r * e.size)
          .set(av);
        for (let v = 0; v < nv; v++) {
          const a = accAt(r, v);
          if (relaxed)
            c.get(av)
              .get(bv[v] as number)
              .get(a)
              .simd(e.vmadd)
              .set(a);
          else
            c.get(a)
              .get(av)
              .get(bv[v] as number)
              .simd(e.vmul)
              .simd(e.vadd)
              .set(a);
        }
      }
    };
    // end = ap + kc·mr elements. The loop runs `unroll` steps per trip but may leave after any
    // step. Besides handling kc % unroll, the exit after each step matters for speed: a branch
    // where every accumulator is live pins that step's arithmetic before it. Without it,
    // TurboFan hoists all of the trip's loads (they are ordered on the effect chain) above the
    // arithmetic (floating, scheduled late), and the 20+ live vectors spill to the stack.
    // ap advances every step, so the broadcasts use the offsets 0 … (mr-1)·size only: V8 folds
    // no offset into a load_splat's address, and each distinct one costs a register or a lea
    // (16 per trip when they also carried the step). B's loads keep constant offsets per trip.
    c.get(ap)
      .get(kc)
      .i32(mr * e.size)
      .op(OP.i32_mul)
      .op(OP.i32_add)
      .set(end);
    ifElse(
      c,
      () => c.get(ap).get(end).op(OP.i32_lt_u),
      () => {
        c.block().loop();
        for (let u = 0; u < unroll; u++) {
          step(u);
          c.get(ap)
            .i32(mr * e.size)
            .op(OP.i32_add)
            .tee(ap);
          c.get(end).op(OP.i32_ge_u).brIf(1);
        }
        c.get(bp)
          .i32(unroll * nr * e.size)
          .op(OP.i32_add)
          .set(bp);
        c.br(0);
        c.end().end();
      },
    );

    /** Stores the tile row by row; row pointers advance by ldc. */
    const writeBack = (add: boolean): void => {
      c.get(cp).set(row);
      for (let r = 0; r < mr; r++) {
        if (r > 0) c.get(row).get(ldc).op(OP.i32_add).set(row);
        for (let v = 0; v < nv; v++) {
          const off = v * 16;
          c.get(row);
          if (add) c.get(row).simdMem(SIMD.v128_load, off, 0).get(accAt(r, v)).simd(e.vadd);
          else c.get(accAt(r, v));
          c.simdMem(SIMD.v128_store, off, 0);
        }
      }
    };
    ifElse(
      c,
      () => c.get(accumulate),
      () => writeBack(true),
      () => writeBack(false),
    );
  });
}
