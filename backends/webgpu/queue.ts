/**
 * Batches the backend's GPU work: dispatches are recorded into one command encoder (one compute
 * pass) and submitted every MAX_BATCH dispatches, before a write from the host (writeBuffer runs
 * before commands submitted after it, so pending reads of a recycled buffer must go first), and
 * before a read.
 */
import type { GpuContext } from "./context.js";

/** Dispatches recorded before a submit: enough to amortize submission, few enough to keep the GPU busy. */
export const MAX_BATCH = 64;

export class CommandQueue {
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private recorded = 0;
  /** Buffers to destroy once the commands using them are submitted. */
  private readonly doomed: GPUBuffer[] = [];
  /** Dispatches submitted so far (for tests). */
  dispatches = 0;

  constructor(private readonly ctx: GpuContext) {}

  private enc(): GPUCommandEncoder {
    this.encoder ??= this.ctx.device.createCommandEncoder();
    return this.encoder;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = undefined;
  }

  dispatch(pipeline: GPUComputePipeline, group: GPUBindGroup, workgroups: readonly [number, number, number]): void {
    this.pass ??= this.enc().beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, group);
    this.pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
    this.dispatches++;
    if (++this.recorded >= MAX_BATCH) this.submit();
  }

  /** Zero-fills `bytes` of `buffer` (recycled buffers hold old data). */
  clear(buffer: GPUBuffer, bytes: number): void {
    this.endPass();
    this.enc().clearBuffer(buffer, 0, Math.ceil(bytes / 4) * 4);
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    this.endPass();
    this.enc().copyBufferToBuffer(src, 0, dst, 0, Math.ceil(bytes / 4) * 4);
  }

  /** Destroys `buffer` after the recorded commands that may use it are submitted. */
  destroyLater(buffer: GPUBuffer): void {
    this.doomed.push(buffer);
  }

  /** Submits everything recorded so far. */
  submit(): void {
    this.endPass();
    if (this.encoder) {
      this.ctx.device.queue.submit([this.encoder.finish()]);
      this.encoder = undefined;
      this.recorded = 0;
    }
    for (const b of this.doomed.splice(0)) b.destroy();
  }
}
