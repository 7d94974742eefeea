/**
 * A pool of worker threads over the backend's shared WebAssembly.Memory (Node worker_threads or
 * Web Workers, see platform.ts). Jobs are synchronous: the main thread publishes a job (see
 * control.ts), runs slices itself, and blocks with Atomics.wait until every slice is done.
 * Workers start lazily on the first job and boot on their own: slices nobody has claimed yet are
 * run by the main thread, so a job never waits for a worker to start (in browsers workers start
 * only after the main thread returns to its event loop). A worker that throws or exits sets
 * FAILED; the main thread waits with a timeout, checks that flag, and throws a graft error
 * instead of hanging. After a failure the pool is shut down and `usable` turns false: callers then
 * run on one thread (same slices, same bits). Workers that cannot be started at all (a CSP
 * without `worker-src blob:`) leave the pool unusable with one warning, and the job runs here.
 */
import { CONTROL_WORDS, CTL, MAX_ARGS, MAX_SLICES, type ModuleMessage } from "./control.js";
import type { ThreadPlatform, WorkerHandle } from "./platform.js";

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

export class ThreadPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  /** Modules a worker starting now must instantiate (released ones are dropped). */
  private readonly modules = new Map<number, ModuleMessage>();
  private nextModule = 0;
  private slots: WorkerHandle[] | undefined;
  private failure: string | undefined;
  /** Set when a worker failed before it booted (reported on the event loop, acted on by the next job). */
  private startFailure: string | undefined;
  private closing = false;
  private jobCount = 0;

  constructor(
    private readonly platform: ThreadPlatform,
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
  get workers(): readonly WorkerHandle[] {
    return this.slots ?? [];
  }

  /** Modules registered and not released (for tests of release). */
  get moduleCount(): number {
    return this.modules.size;
  }

  /** Makes `module` (importing only env.memory) available to every thread. */
  register(module: WebAssembly.Module, exports: readonly string[]): PoolModule {
    const inst = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    const fns = exports.map((n) => {
      const f = inst.exports[n];
      if (typeof f !== "function") throw new Error(`internal error: module has no exported function ${n}`);
      return f as WasmFn;
    });
    const msg: ModuleMessage = { id: this.nextModule++, module, exports: [...exports] };
    this.modules.set(msg.id, msg);
    // Started workers get it now, before any job can name it; later workers get it when they start.
    for (const s of this.slots ?? []) s.post(msg);
    return { id: msg.id, fns };
  }

  /** Forgets a module no job will name again (its Program was collected): workers drop their instances. */
  release(mod: PoolModule): void {
    if (!this.modules.delete(mod.id) || this.closing) return;
    for (const s of this.slots ?? []) s.post({ drop: mod.id });
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
    if (this.startFailure !== undefined && !this.closing) this.standDown(this.startFailure);
    if (this.closing) {
      // Callers check `usable`; a pool that stood down meanwhile runs the job here.
      for (const args of slices) this.runHere(mod, func, args, ws);
      return;
    }
    // A worker that died between jobs (its 'exit' event ran on the event loop) is reported now.
    if (this.failure !== undefined) this.fail();
    this.start();
    if (this.closing) {
      for (const args of slices) this.runHere(mod, func, args, ws);
      return;
    }
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

  private runHere(mod: PoolModule, func: number, args: readonly number[], ws?: Workspace): void {
    const own = [...args];
    if (ws) own[ws.arg] = ws.base;
    mod.fns[func]!(...own);
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
    const slots: WorkerHandle[] = [];
    this.slots = slots;
    try {
      for (let index = 1; index < this.threads; index++) {
        const init = { control: this.control.buffer as SharedArrayBuffer, memory: this.memory, index };
        // These run on the main thread's event loop (between jobs); during a job the worker's
        // own handlers set FAILED.
        slots.push(
          this.platform.spawn({ ...init, modules: [...this.modules.values()] }, (why, beforeBoot) =>
            beforeBoot ? (this.startFailure ??= why) : this.noteFailure(why),
          ),
        );
      }
    } catch (e) {
      // Nothing has been published yet: this job runs on the main thread alone, and so do later ones.
      this.standDown(e instanceof Error ? e.message : String(e));
    }
  }

  /**
   * Workers that could not start (a CSP without `worker-src blob:`, resource limits): one warning,
   * and the backend runs on one thread from now on. No worker ever took part in a job, so no
   * result is in doubt, unlike a failure during one.
   */
  private standDown(why: string): void {
    this.closing = true;
    for (const s of this.slots ?? []) void s.terminate();
    console.warn(`graft: the wasm backend could not start worker threads (${why}); it runs on one thread`);
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
      const [first] = s.pendingErrors();
      if (first !== undefined) this.failure ??= first;
    }
    this.failure ??= why ?? "a worker thread failed";
    const message = this.failure;
    this.closing = true;
    for (const s of this.slots ?? []) void s.terminate();
    throw new Error(
      `graft: the wasm backend's worker threads failed (${message}); further work runs on the main thread (set GRAFT_THREADS=1 to skip threads)`,
    );
  }
}
