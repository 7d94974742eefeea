/**
 * The control block the main thread and the workers share (an Int32Array over its own
 * SharedArrayBuffer, apart from linear memory so it never moves when memory grows). One job at a
 * time: the main thread writes a function and a list of slices (argument vectors), opens the job
 * and wakes the workers; every thread, the main one included, claims slices with Atomics.add on
 * NEXT until none are left. Which thread runs a slice does not change its result, so a job
 * computes the same bits whether a worker woke in time or the main thread did all of it.
 *
 * Entering a job: a worker increments ACTIVE, then reads OPEN; the main thread closes a job by
 * clearing OPEN, then waits for ACTIVE to reach 0, and only then writes the next job's words.
 * With sequentially consistent atomics a worker either is counted before the main thread looks
 * or sees OPEN = 0, so no worker ever reads a half-written job.
 */
export const CTL = {
  /** Incremented for each job; workers Atomics.wait on it. */
  GEN: 0,
  /** 1 while the job's words are valid and workers may enter. */
  OPEN: 1,
  /** Workers inside the current job. */
  ACTIVE: 2,
  /** The next slice to claim. */
  NEXT: 3,
  /** Slices finished (or failed). */
  DONE: 4,
  /** Set by a worker that failed or exited; its message arrives on its port. */
  FAILED: 5,
  /** Workers that have instantiated their modules and entered their loop (for tests). */
  BOOTED: 6,
  SLICES: 7,
  MODULE: 8,
  FUNC: 9,
  NARGS: 10,
  /** Index of the argument replaced by the running thread's workspace address, or -1. */
  WS_ARG: 11,
  WS_BASE: 12,
  WS_STRIDE: 13,
  /** SLICES × NARGS argument words from here. */
  ARGS: 16,
} as const;

export const MAX_ARGS = 16;
export const MAX_SLICES = 256;
export const CONTROL_WORDS = CTL.ARGS + MAX_ARGS * MAX_SLICES;

/** What a worker is told about a module at startup or later through its port. */
export interface ModuleMessage {
  readonly id: number;
  readonly module: WebAssembly.Module;
  readonly exports: readonly string[];
}
