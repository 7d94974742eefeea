/**
 * A pool of Node worker threads over the backend's shared WebAssembly.Memory. Jobs are
 * synchronous: the main thread publishes a job (see control.ts), runs slices itself, and blocks
 * with Atomics.wait (allowed on Node's main thread) until every slice is done. Workers start
 * lazily on the first job, unref()ed so they never keep a process alive, and boot on their own:
 * slices nobody has claimed yet are run by the main thread, so a job never waits for a worker to
 * start. A worker that throws or exits sets FAILED; the main thread waits with a timeout, checks
 * that flag, and throws a graft error instead of hanging. After a failure the pool is shut down
 * and `usable` turns false: callers then run on one thread (same slices, same bits).
 */
import type * as WorkerThreads from "node:worker_threads";
import { CONTROL_WORDS, CTL, MAX_ARGS, MAX_SLICES, type ModuleMessage } from "./control.js";
import { WORKER_SOURCE } from "./worker-source.js";

type WasmFn = (...args: number[]) => unknown;

/** A module the pool's threads have instantiated: `fns` are the main thread's instances of its exports. */
export interface PoolModule {
  readonly id: number;
  readonly fns: readonly WasmFn[];
}

/** Which argument of every slice is replaced by the running thread's workspace: base + thread·stride. */
export interface Workspace {
  readonly arg: number;
  readonly base: number;
  readonly stride: number;
}

/** How long one Atomics.wait lasts before the main thread looks at FAILED again. */
const POLL_MS = 100;
/**
 * A worker still busy this long after the main thread finished its own slices (plus 20× the time
 * those took) is taken for dead: a slice is sized like the main thread's, so only a lost thread
 * (killed without running its exit handler) comes near this.
 */
const STALL_MS = 10_000;

interface Slot {
  readonly worker: WorkerThreads.Worker;
  readonly port: WorkerThreads.MessagePort;
}

export class ThreadPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  private readonly modules: ModuleMessage[] = [];
  private slots: Slot[] | undefined;
  private failure: string | undefined;
  private closing = false;
  private jobCount = 0;

  constructor(
    private readonly wt: typeof WorkerThreads,
    private readonly memory: WebAssembly.Memory,
    /** Threads including the main one (≥ 2). */
    readonly threads: number,
  ) {}

  /** False once a failure has been reported: the caller should then run the work itself. */
  get usable(): boolean {
    return !this.closing;
  }

  /** Workers that have booted (for tests). */
  get booted(): number {
    return Atomics.load(this.control, CTL.BOOTED);
  }

  /** Workers started so far (0 until the first job). */
  get started(): number {
    return this.slots?.length ?? 0;
  }

  /** Jobs run so far (for tests: which calls went through the pool). */
  get jobs(): number {
    return this.jobCount;
  }

  /** The workers, for tests that make one fail. */
  get workers(): readonly WorkerThreads.Worker[] {
    return (this.slots ?? []).map((s) => s.worker);
  }

  /** Makes `module` (importing only env.memory) available to every thread. */
  register(module: WebAssembly.Module, exports: readonly string[]): PoolModule {
    const inst = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    const fns = exports.map((n) => {
      const f = inst.exports[n];
      if (typeof f !== "function") throw new Error(`internal error: module has no exported function ${n}`);
      return f as WasmFn;
    });
    const msg: ModuleMessage = { id: this.modules.length, module, exports: [...exports] };
    this.modules.push(msg);
    // Started workers get it now, before any job can name it; later workers get it in workerData.
    for (const s of this.slots ?? []) s.port.postMessage(msg);
    return { id: msg.id, fns };
  }

  /**
   * Runs fns[func] of `mod` once per slice (each an argument vector of the same length) across
   * the threads; returns when all are done. Throws if a slice failed, here or on a worker.
   */
  run(mod: PoolModule, func: number, slices: readonly (readonly number[])[], ws?: Workspace): void {
    const c = this.control;
    const nArgs = slices[0]?.length ?? 0;
    if (slices.length > MAX_SLICES || nArgs > MAX_ARGS)
      throw new Error(`internal error: thread pool job of ${slices.length} slices × ${nArgs} arguments`);
    if (this.closing) throw new Error(`internal error: job on a failed thread pool (${this.failure})`);
    // A worker that died between jobs (its 'exit' event ran on the event loop) is reported now.
    if (this.failure !== undefined) this.fail();
    this.start();
    this.jobCount++;
    c[CTL.SLICES] = slices.length;
    c[CTL.MODULE] = mod.id;
    c[CTL.FUNC] = func;
    c[CTL.NARGS] = nArgs;
    c[CTL.WS_ARG] = ws ? ws.arg : -1;
    c[CTL.WS_BASE] = ws?.base ?? 0;
    c[CTL.WS_STRIDE] = ws?.stride ?? 0;
    slices.forEach((args, s) => {
      if (args.length !== nArgs) throw new Error("internal error: slices of different lengths");
      c.set(args, CTL.ARGS + s * nArgs);
    });
    Atomics.store(c, CTL.NEXT, 0);
    Atomics.store(c, CTL.DONE, 0);
    Atomics.store(c, CTL.OPEN, 1);
    Atomics.add(c, CTL.GEN, 1);
    Atomics.notify(c, CTL.GEN);

    const fn = mod.fns[func]!;
    const own = [...(slices[0] ?? [])];
    let mainError: unknown;
    const t0 = performance.now();
    try {
      for (;;) {
        const s = Atomics.add(c, CTL.NEXT, 1);
        if (s >= slices.length) break;
        for (let i = 0; i < nArgs; i++) own[i] = slices[s]![i]!;
        if (ws) own[ws.arg] = ws.base; // the main thread is thread 0
        fn(...own);
        Atomics.add(c, CTL.DONE, 1);
      }
    } catch (e) {
      mainError = e;
    }
    const stallMs = STALL_MS + 20 * (performance.now() - t0);
    // With an error here, slices nobody claimed are left undone: wait only for those under way.
    if (mainError === undefined) this.waitFor(CTL.DONE, (v) => v >= slices.length, stallMs);
    Atomics.store(c, CTL.OPEN, 0);
    this.waitFor(CTL.ACTIVE, (v) => v <= 0, stallMs);
    if (mainError !== undefined) throw mainError;
    if (Atomics.load(c, CTL.FAILED) !== 0) this.fail();
  }

  /** Blocks until `done(word)` or a worker fails or stalls (then shuts the pool down and throws). */
  private waitFor(word: number, done: (v: number) => boolean, stallMs: number): void {
    const c = this.control;
    const t0 = performance.now();
    for (;;) {
      const v = Atomics.load(c, word);
      if (done(v)) return;
      if (Atomics.load(c, CTL.FAILED) !== 0 && word === CTL.DONE) return;
      if (performance.now() - t0 > stallMs) this.fail(`a worker thread made no progress for ${Math.round(stallMs)} ms`);
      Atomics.wait(c, word, v, POLL_MS);
    }
  }

  private start(): void {
    if (this.slots) return;
    const slots: Slot[] = [];
    this.slots = slots;
    try {
      for (let index = 1; index < this.threads; index++) {
        const { port1, port2 } = new this.wt.MessageChannel();
        const worker = new this.wt.Worker(WORKER_SOURCE, {
          eval: true,
          // No loaders (tsx, test runners) in the workers: they only run wasm. V8 flags such as
          // --experimental-wasm-relaxed-simd are process-wide and need no forwarding.
          execArgv: [],
          workerData: { control: this.control.buffer, memory: this.memory, port: port2, index, modules: this.modules },
          transferList: [port2],
        });
        worker.unref();
        port1.unref();
        // These run on the main thread's event loop (between jobs); during a job the worker's
        // own handlers set FAILED.
        worker.on("error", (e) => this.noteFailure(`worker ${index}: ${e.stack ?? e.message}`));
        worker.on("exit", (code) => this.noteFailure(`worker ${index} exited (code ${code})`));
        slots.push({ worker, port: port1 });
      }
    } catch (e) {
      this.noteFailure(`could not start worker threads: ${e instanceof Error ? e.message : String(e)}`);
      this.fail();
    }
  }

  private noteFailure(why: string): void {
    if (this.closing) return;
    this.failure ??= why;
    Atomics.store(this.control, CTL.FAILED, 1);
  }

  /** Shuts the pool down and throws the first failure's message. */
  private fail(why?: string): never {
    // Messages the workers posted before setting FAILED say what went wrong.
    for (const s of this.slots ?? []) {
      const m = this.wt.receiveMessageOnPort(s.port) as { message: { error?: string } } | undefined;
      if (m?.message.error !== undefined && this.failure === undefined) this.failure = m.message.error;
    }
    this.failure ??= why ?? "a worker thread failed";
    const message = this.failure;
    this.closing = true;
    for (const s of this.slots ?? []) {
      void s.worker.terminate();
      s.port.close();
    }
    throw new Error(
      `graft: the wasm backend's worker threads failed (${message}); further work runs on the main thread (set GRAFT_THREADS=1 to skip threads)`,
    );
  }
}
