/**
 * Device memory of the WebGPU backend. An array's contents are a GPUBuffer owned by a small
 * object (`GpuArray`); when the array is garbage collected, a FinalizationRegistry returns the
 * buffer to a pool of power-of-two size classes that later allocations reuse. Finalizers run only
 * when the event loop turns, so a long synchronous loop keeps every buffer it made: past the byte
 * budget, allocation fails with an error that says to await between steps. Program intermediates
 * go back to the pool as soon as their run is recorded (the queue runs commands in order, so a
 * recycled buffer is only written after the earlier reads).
 */
import { BUFFER_COPY_DST, BUFFER_COPY_SRC, BUFFER_STORAGE } from "./flags.js";
import type { CommandQueue } from "./queue.js";

/** The contents of one array on the WebGPU backend: `bytes` of `buffer` (4 bytes per element; bool as u32). */
export interface GpuArray {
  readonly buffer: GPUBuffer;
  readonly bytes: number;
}

const MIN_CLASS = 256;
/** Pooled bytes beyond which released buffers are destroyed instead. */
const POOL_LIMIT = 256 * 2 ** 20;
const USAGE = BUFFER_STORAGE | BUFFER_COPY_SRC | BUFFER_COPY_DST;

const sizeClass = (bytes: number): number => Math.max(MIN_CLASS, 2 ** Math.ceil(Math.log2(Math.max(bytes, 1))));

export class DeviceMemory {
  private readonly pool = new Map<number, GPUBuffer[]>();
  private pooledBytes = 0;
  /** Bytes of buffers held by live (not yet collected) arrays and running Programs. */
  liveBytes = 0;
  /** Arrays whose buffers the collector has not returned yet. */
  liveArrays = 0;
  private readonly registry = new FinalizationRegistry<{ buffer: GPUBuffer; internal: boolean }>((held) => {
    this.liveArrays--;
    // An array made by a whileLoop's continuation (a spent carry) is invisible to the commands
    // waiting behind the loop: its buffer can return to the pool at once, so long loops reuse it.
    if (held.internal && this.queue.noInnerWaiting) this.releaseNow(held.buffer);
    else this.release(held.buffer);
  });

  constructor(
    private readonly device: GPUDevice,
    private readonly queue: CommandQueue,
    /** Most bytes of live buffers before allocation fails (see the class comment). */
    public budget: number,
    private readonly maxBinding: number,
  ) {}

  /** A buffer of at least `bytes` (contents undefined), counted live until released. */
  acquire(bytes: number, op: string): GPUBuffer {
    if (bytes > this.maxBinding)
      throw new RangeError(
        `${op}: needs a ${(bytes / 2 ** 20).toFixed(1)} MiB buffer, more than this WebGPU device binds ` +
          `(maxStorageBufferBindingSize ${(this.maxBinding / 2 ** 20).toFixed(0)} MiB); split the array or use a CPU backend`,
      );
    const size = sizeClass(bytes);
    if (this.liveBytes + size > this.budget)
      throw new RangeError(
        `${op}: the WebGPU backend's memory budget (${(this.budget / 2 ** 20).toFixed(0)} MiB) is used up: ` +
          `${this.liveArrays} arrays are alive or awaiting garbage collection, which runs only between event-loop turns; ` +
          `await between steps of long loops (e.g. \`await blockUntilReady(state)\`), or raise the budget with initWebGpu({ memoryBudget })`,
      );
    this.liveBytes += size;
    const free = this.pool.get(size);
    const reused = free?.pop();
    if (reused) {
      this.pooledBytes -= size;
      return reused;
    }
    return this.device.createBuffer({ size, usage: USAGE });
  }

  /**
   * Returns a buffer to the pool (or destroys it once submitted, past the pool's limit), once the
   * commands issued before have been recorded: behind a held queue (queue.ts) they may still read it.
   */
  release(buffer: GPUBuffer): void {
    this.queue.afterRecorded(() => this.releaseNow(buffer));
  }

  /**
   * Releases an array's buffer before the collector would: for a caller holding the only reference
   * (a scan step's spent carry). Ordered like `release`; a second call does nothing.
   */
  drop(a: GpuArray): void {
    if (!this.registry.unregister(a)) return;
    this.liveArrays--;
    this.release(a.buffer);
  }

  private releaseNow(buffer: GPUBuffer): void {
    const size = buffer.size;
    this.liveBytes -= size;
    if (this.pooledBytes + size > POOL_LIMIT) {
      this.queue.destroyLater(buffer);
      return;
    }
    let list = this.pool.get(size);
    if (!list) {
      list = [];
      this.pool.set(size, list);
    }
    list.push(buffer);
    this.pooledBytes += size;
  }

  /** Wraps `buffer` as an array's contents, released when the array is collected. */
  adopt(buffer: GPUBuffer, bytes: number): GpuArray {
    const a: GpuArray = { buffer, bytes };
    this.liveArrays++;
    this.registry.register(a, { buffer, internal: this.queue.continuing }, a);
    return a;
  }
}
