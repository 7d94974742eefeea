/**
 * The backend's linear memory. Host typed arrays own every array's data (they are garbage
 * collected; nothing is freed by hand); linear memory is scratch: a run pushes a frame holding its
 * Program's planned arena, copies the inputs in, runs, copies the outputs out and pops the frame.
 * Nested runs (loop bodies) push above their caller's frame. Memory grows on demand, up to wasm32's
 * 4 GiB; growing replaces the ArrayBuffer, so views are taken fresh after anything that may grow it.
 */
import type { DType, TypedArray } from "../../../src/core/dtype.js";
import type { MemoryImport } from "../encoder/module.js";

const PAGE = 65536;
const MAX_PAGES = 65536;
const ALIGN = 16;

const CTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  uint32: Uint32Array,
  bool: Uint8Array,
} as const;

export class LinearMemory {
  readonly memory: WebAssembly.Memory;
  private top: number;
  /**
   * Bytes below `reserved` belong to the matrix-multiplication workspaces (one per thread).
   * `shared` memory (a SharedArrayBuffer) is what worker threads need.
   */
  constructor(
    readonly reserved: number,
    readonly shared = false,
  ) {
    const pages = Math.max(16, Math.ceil((reserved + PAGE) / PAGE));
    this.memory = new WebAssembly.Memory({ initial: pages, maximum: MAX_PAGES, shared });
    this.top = Math.ceil(reserved / ALIGN) * ALIGN;
  }

  /** How generated modules import this memory (as env.memory). */
  get importDescriptor(): MemoryImport {
    return { module: "env", name: "memory", minPages: 1, maxPages: MAX_PAGES, shared: this.shared };
  }

  /** Reserves `bytes` above the current frames; returns the frame's base address. */
  push(bytes: number, op = "wasm backend"): number {
    const base = Math.ceil(this.top / ALIGN) * ALIGN;
    const end = base + bytes;
    this.ensure(end, op);
    this.top = end;
    return base;
  }

  /** Releases the frame pushed at `base` (and everything above it). */
  pop(base: number): void {
    this.top = base;
  }

  private ensure(end: number, op: string): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil(end / PAGE);
    if (pages > MAX_PAGES)
      throw new RangeError(
        `${op}: needs ${(end / 2 ** 30).toFixed(2)} GiB of WebAssembly memory, more than wasm32's 4 GiB; ` +
          `run it on the reference backend (withBackend("cpu", …) or devicePut(x, "cpu")), or split the work into smaller arrays`,
      );
    this.memory.grow(pages - have / PAGE);
  }

  /** A view of `size` elements of `dtype` at byte address `addr` (valid until memory grows). */
  view(dtype: DType, addr: number, size: number): TypedArray {
    return new CTORS[dtype](this.memory.buffer, addr, size);
  }

  /** Copies host data into memory at `addr`. */
  write(addr: number, data: TypedArray, dtype: DType): void {
    this.view(dtype, addr, data.length).set(data);
  }

  /** A host copy of `size` elements at `addr`. */
  read(addr: number, dtype: DType, size: number): TypedArray {
    return this.view(dtype, addr, size).slice();
  }

  /** Bytes in use (frames and workspace), for memory tests and benchmarks. */
  get used(): number {
    return this.top;
  }

  /** Bytes of linear memory allocated (it never shrinks). */
  get capacity(): number {
    return this.memory.buffer.byteLength;
  }
}
