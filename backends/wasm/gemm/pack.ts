/**
 * Packing: copies a block of A or B from memory with arbitrary (element) strides into the
 * contiguous, zero-padded layout the micro-kernel streams through. This is where transposed and
 * strided operands are absorbed, so the kernel only ever sees one layout:
 *   packed B: nc/nr panels, each kc rows of nr consecutive elements (row p of panel j holds
 *             B[p][j·nr .. j·nr+nr)), columns past N zero;
 *   packed A: mc/mr panels, each kc columns of mr consecutive elements (A[i·mr .. i·mr+mr)[p]),
 *             rows past M zero.
 * Zero padding lets edge tiles run the full-size kernel; only their write-back is partial.
 *
 * packB(src, rsBytes, csBytes, kc, nc, dst) and packA(src, rsBytes, csBytes, mc, kc, dst):
 * src is the address of the block's first element.
 */
import type { Code } from "../encoder/code.js";
import type { ModuleBuilder } from "../encoder/module.js";
import { I32, MISC, OP, SIMD, V128 } from "../encoder/opcodes.js";
import type { Blocking } from "./blocking.js";
import { bump, bumpBy, type Emit, ifElse, whileDo } from "./ctl.js";
import type { ElemOps } from "./dtype.js";
import { transposeBlock } from "./transpose.js";

/**
 * Copies `count` elements found at s + offs[t] (offs[t] an i32 local, or undefined for 0) to `count`
 * consecutive elements at d: whole v128s are assembled lane by lane (load_zero, then load_lane) and
 * stored at once; the leftover elements are copied one by one.
 */
function gatherRow(
  c: Code,
  e: ElemOps,
  s: number,
  d: number,
  offs: readonly (number | undefined)[],
  vec: number,
): void {
  const addr = (t: number): void => {
    c.get(s);
    const o = offs[t];
    if (o !== undefined) c.get(o).op(OP.i32_add);
  };
  const whole = Math.floor(offs.length / e.lanes);
  for (let g = 0; g < whole; g++) {
    c.get(d);
    addr(g * e.lanes);
    c.simdMem(e.loadZero, 0);
    for (let k = 1; k < e.lanes; k++) {
      c.set(vec);
      addr(g * e.lanes + k);
      c.get(vec).simdMemLane(e.loadLane, k, 0);
    }
    c.simdMem(SIMD.v128_store, g * 16);
  }
  for (let t = whole * e.lanes; t < offs.length; t++) {
    c.get(d);
    addr(t);
    c.mem(e.load, 0);
    c.mem(e.store, t * e.size);
  }
}

/** for (n = count; n > 0; n--) { body; src += srcStep; dst += dstStep (a constant) } */
function stridedLoop(
  c: Code,
  count: number,
  n: number,
  s: number,
  srcStep: number,
  d: number,
  dstStep: number,
  body: Emit,
): void {
  c.get(count).set(n);
  whileDo(
    c,
    () => c.get(n).i32(0).op(OP.i32_gt_s),
    () => {
      body();
      bumpBy(c, s, srcStep);
      bump(c, d, dstStep);
      bump(c, n, -1);
    },
  );
}

/**
 * Packs panels of `width` elements (nr for B, mr for A). `along` is the byte stride between
 * consecutive elements of a packed row (cs for B, rs for A), `down` the stride along k.
 */
function addPacker(m: ModuleBuilder, e: ElemOps, width: number, forB: boolean): number {
  return m.func([I32, I32, I32, I32, I32, I32], [], (f, c) => {
    // packB(src, rs, cs, kc, nc, dst) / packA(src, rs, cs, mc, kc, dst)
    const [src, rs, cs, dst] = [0, 1, 2, 5] as const;
    const along = forB ? cs : rs;
    const down = forB ? rs : cs;
    const kc = forB ? 3 : 4;
    const extent = forB ? 4 : 3;
    const j = f.local(I32);
    const w = f.local(I32);
    const base = f.local(I32);
    const s = f.local(I32);
    const d = f.local(I32);
    const n = f.local(I32);
    const t = f.local(I32);
    const vec = f.local(V128);
    const vecs = (k: number): number[] => Array.from({ length: k }, () => f.local(V128));
    const [rows, cols, tmp] = [vecs(e.lanes), vecs(e.lanes), vecs(e.lanes)];
    const panelBytes = f.local(I32);
    const panelStep = f.local(I32);
    const offs: (number | undefined)[] = [undefined];
    for (let k = 1; k < width; k++) offs.push(f.local(I32));

    // Offsets of the panel's elements from its first one, computed once per call.
    for (let k = 1; k < width; k++)
      c.get(along)
        .i32(k)
        .op(OP.i32_mul)
        .set(offs[k] as number);
    c.get(kc)
      .i32(width * e.size)
      .op(OP.i32_mul)
      .set(panelBytes);
    c.get(along).i32(width).op(OP.i32_mul).set(panelStep);
    c.get(src).set(base);
    c.i32(0).set(j);
    whileDo(
      c,
      () => c.get(j).get(extent).op(OP.i32_lt_s),
      () => {
        // w = min(width, extent - j)
        c.get(extent).get(j).op(OP.i32_sub).set(w);
        ifElse(
          c,
          () => c.get(w).i32(width).op(OP.i32_ge_s),
          () => {
            c.get(base).set(s);
            c.get(dst).set(d);
            ifElse(
              c,
              () => c.get(along).i32(e.size).op(OP.i32_eq),
              // Contiguous along the packed row: whole v128 copies (the common case for B, and
              // for a transposed A).
              () =>
                stridedLoop(c, kc, n, s, down, d, width * e.size, () => {
                  const whole = Math.floor(width / e.lanes);
                  for (let g = 0; g < whole; g++)
                    c.get(d)
                      .get(s)
                      .simdMem(SIMD.v128_load, g * 16, 0)
                      .simdMem(SIMD.v128_store, g * 16);
                  for (let k = whole * e.lanes; k < width; k++)
                    c.get(d)
                      .get(s)
                      .mem(e.load, k * e.size)
                      .mem(e.store, k * e.size);
                }),
              () => {
                c.get(kc).set(n);
                if (width % e.lanes === 0) {
                  // Contiguous along k (row-major A, transposed B): lanes k steps at a time, each
                  // lanes × lanes block loaded as vectors and transposed in registers.
                  ifElse(
                    c,
                    () => c.get(down).i32(e.size).op(OP.i32_eq),
                    () =>
                      whileDo(
                        c,
                        () => c.get(n).i32(e.lanes).op(OP.i32_ge_s),
                        () => {
                          for (let g = 0; g < width / e.lanes; g++) {
                            for (let i = 0; i < e.lanes; i++) {
                              c.get(s);
                              const o = offs[g * e.lanes + i];
                              if (o !== undefined) c.get(o).op(OP.i32_add);
                              c.simdMem(SIMD.v128_load, 0, 0).set(rows[i] as number);
                            }
                            transposeBlock(c, e, rows, cols, tmp);
                            for (let i = 0; i < e.lanes; i++)
                              c.get(d)
                                .get(cols[i] as number)
                                .simdMem(SIMD.v128_store, (i * width + g * e.lanes) * e.size);
                          }
                          bump(c, s, e.lanes * e.size);
                          bump(c, d, e.lanes * width * e.size);
                          bump(c, n, -e.lanes);
                        },
                      ),
                  );
                }
                // The rest (or everything, for other strides): gathered one packed row at a time.
                stridedLoop(c, n, n, s, down, d, width * e.size, () => gatherRow(c, e, s, d, offs, vec));
              },
            );
          },
          () => {
            // Edge panel: zeros, then the w real rows/columns one at a time.
            c.get(dst).i32(0).get(panelBytes).misc(MISC.memory_fill);
            c.i32(0).set(t);
            whileDo(
              c,
              () => c.get(t).get(w).op(OP.i32_lt_s),
              () => {
                c.get(base).get(t).get(along).op(OP.i32_mul).op(OP.i32_add).set(s);
                c.get(dst).get(t).i32(e.shift).op(OP.i32_shl).op(OP.i32_add).set(d);
                stridedLoop(c, kc, n, s, down, d, width * e.size, () => c.get(d).get(s).mem(e.load, 0).mem(e.store, 0));
                bump(c, t, 1);
              },
            );
          },
        );
        bumpBy(c, dst, panelBytes);
        bumpBy(c, base, panelStep);
        bump(c, j, width);
      },
    );
  });
}

export const addPackB = (m: ModuleBuilder, e: ElemOps, b: Blocking): number => addPacker(m, e, b.nr, true);
export const addPackA = (m: ModuleBuilder, e: ElemOps, b: Blocking): number => addPacker(m, e, b.mr, false);
