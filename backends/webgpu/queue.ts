/**
 * Orders and batches the backend's GPU work.
 *
 * Batching: dispatches are recorded into one command encoder (one compute pass) and submitted
 * every MAX_BATCH dispatches, before a write from the host (writeBuffer runs before commands
 * submitted after it, so pending reads of a recycled buffer must go first), and before a read.
 *
 * Ordering around asynchronous steps: a `whileLoop` learns whether to run its body again only by
 * reading its predicate back (`hold`), and graft never blocks on the GPU. While such a read is
 * pending, the loop holds the queue: every command issued by anyone else (later operations of the
 * user's program, uploads, buffer releases, reads) is kept, in program order, and recorded once
 * the loop lets go. The loop's own continuation runs first, so work that follows the loop sees its
 * final values, and a buffer released behind the loop returns to the pool only after the commands
 * issued before its release have been recorded. Results are therefore the ones the program's order
 * gives, with no synchronous read anywhere.
 */
import { BUFFER_COPY_DST, BUFFER_MAP_READ, MAP_READ } from "./flags.js";
import type { GpuContext } from "./context.js";

/** Dispatches recorded before a submit: enough to amortize submission, few enough to keep the GPU busy. */
export const MAX_BATCH = 64;

/** A command issued while the queue was held: recorded later, or failed when the device closes. */
interface Deferred {
  run(): void;
  fail?(error: Error): void;
  /** Issued by a continuation (behind a nested hold): it may use buffers of arrays the continuation made. */
  inner?: boolean;
}

export class CommandQueue {
  private encoder: GPUCommandEncoder | undefined;
  private pass: GPUComputePassEncoder | undefined;
  private recorded = 0;
  /** Buffers to destroy once the commands using them are submitted. */
  private readonly doomed: GPUBuffer[] = [];
  /** Commands issued while the queue is held, in program order. */
  private deferred: Deferred[] = [];
  /** The pending read that holds the queue, if any. */
  private holder: object | undefined;
  /** The hold whose continuation is running now (its commands go straight through). */
  private running: object | undefined;
  private closed: Error | undefined;
  /** Held commands issued by continuations. */
  private innerWaiting = 0;
  /** Dispatches recorded so far (for tests). */
  dispatches = 0;
  /** Reads that held the queue so far (for tests and benchmarks). */
  holds = 0;

  constructor(private readonly ctx: GpuContext) {}

  /** Runs `cmd` now, or keeps it for when the pending read lets go of the queue. */
  private order(cmd: Deferred): void {
    if (this.closed) {
      cmd.fail?.(this.closed);
      return;
    }
    if (this.holder !== undefined && this.running !== this.holder) {
      if (this.running !== undefined) {
        cmd.inner = true;
        this.innerWaiting++;
      }
      this.deferred.push(cmd);
    } else cmd.run();
  }

  /** Whether a hold's continuation is running (arrays made now are internal to it). */
  get continuing(): boolean {
    return this.running !== undefined;
  }

  /** No held command was issued by a continuation (so none uses a buffer of an array a continuation made). */
  get noInnerWaiting(): boolean {
    return this.innerWaiting === 0;
  }

  private enc(): GPUCommandEncoder {
    this.encoder ??= this.ctx.device.createCommandEncoder();
    return this.encoder;
  }

  private endPass(): void {
    this.pass?.end();
    this.pass = undefined;
  }

  dispatch(pipeline: GPUComputePipeline, group: GPUBindGroup, workgroups: readonly [number, number, number]): void {
    this.order({
      run: () => {
        this.pass ??= this.enc().beginComputePass();
        this.pass.setPipeline(pipeline);
        this.pass.setBindGroup(0, group);
        this.pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
        this.dispatches++;
        if (++this.recorded >= MAX_BATCH) this.submit();
      },
    });
  }

  /** Zero-fills `bytes` of `buffer` (recycled buffers hold old data). */
  clear(buffer: GPUBuffer, bytes: number): void {
    this.order({
      run: () => {
        this.endPass();
        this.enc().clearBuffer(buffer, 0, Math.ceil(bytes / 4) * 4);
      },
    });
  }

  copy(src: GPUBuffer, dst: GPUBuffer, bytes: number): void {
    this.order({
      run: () => {
        this.endPass();
        this.enc().copyBufferToBuffer(src, 0, dst, 0, Math.ceil(bytes / 4) * 4);
      },
    });
  }

  /** Writes host bytes into `buffer` after the commands issued before (a held queue keeps a copy of them). */
  write(buffer: GPUBuffer, bytes: Uint8Array<ArrayBuffer>): void {
    if (bytes.byteLength === 0) return;
    const held = this.holder !== undefined && this.running !== this.holder;
    const data = held ? bytes.slice() : bytes;
    this.order({
      run: () => {
        // Recorded reads of a recycled buffer must run before this write (see the file comment).
        this.submit();
        this.ctx.device.queue.writeBuffer(buffer, 0, data);
      },
    });
  }

  /** Runs `release` once the commands issued before it are recorded (a buffer's last readers among them). */
  afterRecorded(release: () => void): void {
    this.order({ run: release });
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

  /** The first `bytes` of `src` once every command issued before this call has run. */
  readback(src: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
    return new Promise<GPUBuffer>((resolve, reject) => {
      this.order({
        run: () => {
          const staging = this.ctx.device.createBuffer({
            size: Math.max(4, Math.ceil(bytes / 4) * 4),
            usage: BUFFER_COPY_DST | BUFFER_MAP_READ,
          });
          this.endPass();
          if (bytes > 0) this.enc().copyBufferToBuffer(src, 0, staging, 0, Math.ceil(bytes / 4) * 4);
          this.submit();
          resolve(staging);
        },
        fail: reject,
      });
    }).then(async (staging) => {
      try {
        await staging.mapAsync(MAP_READ);
        return staging.getMappedRange().slice(0);
      } finally {
        if (staging.mapState === "mapped") staging.unmap();
        staging.destroy();
      }
    });
  }

  /** Resolves once every command issued before this call is submitted (then `onSubmittedWorkDone` covers it). */
  submitted(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.order({
        run: () => {
          this.submit();
          resolve();
        },
        fail: reject,
      });
    });
  }

  /**
   * Reads the u32 scalar in `src` after the commands issued before, holding the queue meanwhile;
   * `then` receives it and runs first when the read completes (its commands go straight through,
   * and it may hold again). The queue's other commands follow once no read holds it. `src` (an
   * array's contents) stays reachable until the read is done, so its buffer is not recycled.
   */
  hold(src: { readonly buffer: GPUBuffer }, then: (value: number) => void): void {
    const token = {};
    this.order({
      run: () => {
        // The copy is recorded before the hold starts (it belongs to the commands issued before).
        const read = this.readback(src.buffer, 4);
        this.holder = token;
        this.holds++;
        read.then(
          (bytes) => this.resume(token, () => then(new Uint32Array(bytes)[0]! + 0 * src.buffer.size)),
          (e: unknown) =>
            this.resume(token, () => {
              throw e;
            }),
        );
      },
    });
  }

  /** Runs a hold's continuation, then records what waited behind it unless it holds again. */
  private resume(token: object, continuation: () => void): void {
    // What the continuation defers (behind a hold of its own, a nested loop's) comes before the
    // commands already waiting: they were issued later in program order.
    const waiting = this.deferred;
    this.deferred = [];
    this.running = token;
    try {
      continuation();
    } catch (e) {
      this.ctx.report(e instanceof Error ? e.message : String(e));
    } finally {
      this.running = undefined;
      this.deferred = this.deferred.length === 0 ? waiting : this.deferred.concat(waiting);
    }
    if (this.holder === token) this.holder = undefined;
    let i = 0;
    try {
      while (this.holder === undefined && i < this.deferred.length) {
        const cmd = this.deferred[i++]!;
        if (cmd.inner) this.innerWaiting--;
        cmd.run();
      }
    } catch (e) {
      this.ctx.report(e instanceof Error ? e.message : String(e));
    } finally {
      this.deferred = this.deferred.slice(i);
    }
    // A command that threw was skipped: record the rest.
    if (this.holder === undefined && this.deferred.length > 0) this.resume(token, () => {});
  }

  /** Drops held commands (the device is closing): their reads fail with `error`. */
  close(error: Error): void {
    this.closed = error;
    const pending = this.deferred;
    this.deferred = [];
    this.holder = undefined;
    this.innerWaiting = 0;
    for (const d of pending) d.fail?.(error);
  }
}
