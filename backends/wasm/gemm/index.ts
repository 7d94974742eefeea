/**
 * Matrix multiplication for the WebAssembly backend, generated as SIMD128 code: packed panels,
 * a register-blocked micro-kernel, cache blocking, an optional epilogue hook, batching. See
 * entry.ts for batching, product.ts for the choice between the blocked path and the
 * matrix–vector loops (gemv.ts), driver.ts for the loop nest, kernel.ts for the micro-kernel and
 * pack.ts for the packed layouts.
 */
import type { ModuleBuilder } from "../encoder/module.js";
import { BLOCKING, type Blocking, checkBlocking, workspaceLayout } from "./blocking.js";
import { ELEM, type GemmDType } from "./dtype.js";
import { addDriver } from "./driver.js";
import { addEdgeStore } from "./edge.js";
import { addEntry } from "./entry.js";
import { addEpilogueSplit } from "./epilogue.js";
import { addAxpyRows, addDotRows } from "./gemv.js";
import { addKernel } from "./kernel.js";
import { addPackA, addPackB } from "./pack.js";
import { addProduct } from "./product.js";

export { relaxedSimdAvailable } from "./relaxed.js";
export type { GemmDType } from "./dtype.js";
export type { Blocking } from "./blocking.js";

export interface GemmOptions {
  dtype: GemmDType;
  /** Use relaxed_madd in the micro-kernel (only where relaxedSimdAvailable()). */
  relaxedSimd: boolean;
  /**
   * Index of a function (b, rowStart, rows, colStart, cols) → () called once per block of C that
   * holds its final values (after the last K panel), while the block is still in cache. The
   * blocks cover every element of C exactly once, never span two batches, and are never empty.
   * The blocked path reports blocks of up to mc rows × nc columns (BLOCKING); matrix–vector
   * products (M = 1 or N = 1) report their whole C at once. Nothing is reported for an empty C.
   */
  epilogue?: number;
  /** The entry's export name; "gemm" by default. */
  exportName?: string;
  /** Blocking override, for tuning (the workspace size then follows workspaceBytesFor). */
  blocking?: Blocking;
}

/**
 * Adds the GEMM functions to a module being built (which must import a memory) and returns the
 * exported entry's function index. The entry is
 * gemm(batch, M, N, K, A, rsA, csA, bsA, B, rsB, csB, bsB, C, ldc, bsC, ws), all i32: for every
 * b < batch, C[b] = A[b]·B[b] with A[b][i][p] at byte A + (b·bsA + i·rsA + p·csA)·elemSize,
 * B[b][p][j] at B + (b·bsB + p·rsB + j·csB)·elemSize and C[b][i][j] at
 * C + (b·bsC + i·ldc + j)·elemSize. Strides are in elements and may be 0, negative or anything else; C is
 * overwritten (zeros when K = 0) and nothing outside its M × N region is written. `ws` is a
 * 16-byte-aligned scratch region of gemmWorkspaceBytes(dtype) bytes. C may not overlap A, B or
 * ws (later K panels re-read A and B after C has been written), and ws may not overlap anything.
 * Results are deterministic: the same call gives the same bits every time.
 */
export function addGemm(m: ModuleBuilder, opts: GemmOptions): number {
  const e = ELEM[opts.dtype];
  const b = opts.blocking ?? BLOCKING[opts.dtype];
  checkBlocking(opts.dtype, b);
  const ws = workspaceLayout(opts.dtype, b);
  const kernels: number[] = [];
  for (let v = 1; v <= b.nr / e.lanes; v++) kernels.push(addKernel(m, e, b, opts.relaxedSimd, v));
  const packA = addPackA(m, e, b);
  const packB = addPackB(m, e, b);
  const edgeStore = addEdgeStore(m, e, b);
  const epilogue = opts.epilogue === undefined ? undefined : addEpilogueSplit(m, opts.epilogue);
  const gemm2d = addDriver(m, e, b, ws, {
    kernels,
    packA,
    packB,
    edgeStore,
    ...(epilogue === undefined ? {} : { epilogue }),
  });
  const product = addProduct(m, e, {
    gemm2d,
    dotRows: addDotRows(m, e),
    axpyRows: addAxpyRows(m, e),
    ...(epilogue === undefined ? {} : { epilogue }),
  });
  return addEntry(m, e, product, opts.exportName ?? "gemm");
}

/** Bytes of scratch memory the GEMM needs for packing (a constant per dtype). */
export function gemmWorkspaceBytes(dtype: GemmDType): number {
  return workspaceLayout(dtype, BLOCKING[dtype]).bytes;
}

/** The workspace size for a blocking override (see GemmOptions.blocking). */
export function workspaceBytesFor(dtype: GemmDType, blocking: Blocking): number {
  checkBlocking(dtype, blocking);
  return workspaceLayout(dtype, blocking).bytes;
}
