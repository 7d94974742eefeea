/**
 * Register and cache blocking of the GEMM, and where each packed buffer lives in the workspace.
 *
 * mr × nr is the micro-tile held in registers (nr in elements, a multiple of the lanes per v128);
 * kc × nc is the packed panel of B (the kc × nr sliver the micro-kernel streams should stay in L1),
 * mc × kc the packed block of A (meant for L2). The values are measured choices; see
 * bench/wasm-gemm.ts and the notes in BLOCKING.
 */
import type { GemmDType } from "./dtype.js";
import { ELEM } from "./dtype.js";

export interface Blocking {
  readonly mr: number;
  readonly nr: number;
  readonly kc: number;
  readonly mc: number;
  readonly nc: number;
  /** How many k steps the micro-kernel's loop body does per trip (a power of two). */
  readonly unroll: number;
}

/**
 * Measured with bench/wasm-gemm.ts (Node 20, V8 11.3, x64 AMD EPYC Zen 4; 1024³ f32):
 * - V8 keeps 15 xmm registers for values. A k step of an mr × nr tile holds nr/lanes B vectors,
 *   mr broadcasts (TurboFan issues all of a step's loads before its arithmetic) and
 *   mr·nr/lanes accumulators, plus one product temporary: 4 × 8 f32 uses exactly 15 and runs at
 *   ~45 GFLOP/s (mul + add) / ~52 (relaxed madd); 5 × 8 and 6 × 8 spill and fall to ~24, and
 *   fencing each row with a branch to stop the spills costs more than it saves (38). 2 × 16 ties
 *   with 4 × 8; 4 × 8 pads N less. For f64, 2 × 8 (4 vectors wide) beats 4 × 4 by ~5%.
 * - Cache blocks matter little once the kernel is right (±5% over kc 128–512, mc 48–384,
 *   nc 512–4096): kc = 256 keeps the kc × nr B sliver at 8 KiB (f32) / 16 KiB (f64) in L1,
 *   mc × kc of A (128 KiB) stays in L2, and the kc × nc B panel is 1 MiB.
 * - Unrolling the k loop 4 times beats 2 (−5%); 8 and 16 gain nothing measurable.
 */
export const BLOCKING: Record<GemmDType, Blocking> = {
  float32: { mr: 4, nr: 8, kc: 256, mc: 128, nc: 1024, unroll: 4 },
  float64: { mr: 2, nr: 8, kc: 256, mc: 64, nc: 512, unroll: 4 },
};

export interface Workspace {
  /** Byte offsets inside the workspace (each 16-byte aligned). */
  readonly packedB: number;
  readonly packedA: number;
  /** One mr × nr tile, for results of edge tiles before their partial write-back. */
  readonly tile: number;
  readonly bytes: number;
}

const align16 = (n: number): number => Math.ceil(n / 16) * 16;

export function checkBlocking(dtype: GemmDType, b: Blocking): void {
  const lanes = ELEM[dtype].lanes;
  const ok =
    b.mr >= 1 &&
    b.nr >= lanes &&
    b.nr % lanes === 0 &&
    b.kc >= 1 &&
    b.mc >= b.mr &&
    b.mc % b.mr === 0 &&
    b.nc >= b.nr &&
    b.nc % b.nr === 0 &&
    b.unroll >= 1 &&
    (b.unroll & (b.unroll - 1)) === 0;
  if (!ok) throw new RangeError(`gemm: invalid blocking ${JSON.stringify(b)} for ${dtype}`);
}

export function workspaceLayout(dtype: GemmDType, b: Blocking): Workspace {
  const size = ELEM[dtype].size;
  const packedB = 0;
  const packedA = align16(packedB + b.kc * b.nc * size);
  const tile = align16(packedA + b.mc * b.kc * size);
  const bytes = align16(tile + b.mr * b.nr * size);
  return { packedB, packedA, tile, bytes };
}
