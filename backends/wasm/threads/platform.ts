/**
 * Where worker threads come from: Node's worker_threads, or Web Workers inside a browser worker
 * (a page's main thread may not block in Atomics.wait, so it gets no threads). The pool sees
 * only this interface, so one pool serves both.
 */
import type * as WorkerThreads from "node:worker_threads";
import type { ModuleMessage } from "./control.js";
import { NODE_WORKER_SOURCE, WEB_WORKER_SOURCE } from "./worker-source.js";

/** What a worker is told when it starts. */
export interface WorkerInit {
  readonly control: SharedArrayBuffer;
  readonly memory: WebAssembly.Memory;
  readonly index: number;
  readonly modules: readonly ModuleMessage[];
}

/** Message from the main thread once a worker runs: a module to add, or one to drop. */
export type WorkerMessage = ModuleMessage | { readonly drop: number };

export interface WorkerHandle {
  post(message: WorkerMessage): void;
  /** Error messages the worker posted that have not been delivered yet (read without waiting where the platform can). */
  pendingErrors(): string[];
  terminate(): Promise<unknown>;
}

export interface ThreadPlatform {
  readonly kind: "node" | "web";
  /**
   * Starts a worker; `onFailure` runs on this thread's event loop when it fails or exits, with
   * `beforeBoot` where the platform knows the worker never started (a blocked blob: URL).
   */
  spawn(init: WorkerInit, onFailure: (why: string, beforeBoot: boolean) => void): WorkerHandle;
}

/** Node's worker threads: unref()ed, so they never keep a process alive. */
export function nodePlatform(wt: typeof WorkerThreads): ThreadPlatform {
  return {
    kind: "node",
    spawn(init, onFailure) {
      const { port1, port2 } = new wt.MessageChannel();
      const worker = new wt.Worker(NODE_WORKER_SOURCE, {
        eval: true,
        // No loaders (tsx, test runners) in the workers: they only run wasm. V8 flags such as
        // --experimental-wasm-relaxed-simd are process-wide and need no forwarding.
        execArgv: [],
        workerData: { ...init, port: port2 },
        transferList: [port2],
      });
      worker.unref();
      port1.unref();
      worker.on("error", (e) => onFailure(`worker ${init.index}: ${e.stack ?? e.message}`, false));
      worker.on("exit", (code) => onFailure(`worker ${init.index} exited (code ${code})`, false));
      return {
        post: (m) => port1.postMessage(m),
        pendingErrors() {
          const out: string[] = [];
          for (;;) {
            const m = wt.receiveMessageOnPort(port1) as { message: { error?: string } } | undefined;
            if (m === undefined) return out;
            if (m.message.error !== undefined) out.push(m.message.error);
          }
        },
        terminate: async () => {
          port1.close();
          return worker.terminate();
        },
      };
    },
  };
}

interface WebWorker {
  postMessage(message: unknown): void;
  terminate(): void;
  onerror: ((e: { message?: string }) => void) | null;
  onmessage: ((e: { data: { error?: string; booted?: boolean } }) => void) | null;
}
type WebWorkerCtor = new (url: string, options?: { name?: string }) => WebWorker;

/**
 * Web Workers started from a blob: URL holding the worker's source (a Content-Security-Policy must
 * allow `worker-src blob:`; where it does not, starting fails and the pool runs on one thread).
 * Available inside a dedicated or shared worker of a cross-origin-isolated page.
 */
export function webPlatform(): ThreadPlatform | undefined {
  const g = globalThis as {
    Worker?: WebWorkerCtor;
    WorkerGlobalScope?: abstract new () => unknown;
    crossOriginIsolated?: boolean;
    Blob?: typeof Blob;
    URL?: { createObjectURL?: (b: Blob) => string };
  };
  const inWorker = typeof g.WorkerGlobalScope === "function" && globalThis instanceof g.WorkerGlobalScope;
  const WorkerCtor = g.Worker;
  if (!inWorker || g.crossOriginIsolated !== true || !WorkerCtor || !g.Blob || !g.URL?.createObjectURL)
    return undefined;
  let url: string | undefined;
  return {
    kind: "web",
    spawn(init, onFailure) {
      url ??= g.URL!.createObjectURL!(new g.Blob!([WEB_WORKER_SOURCE], { type: "text/javascript" }));
      const worker = new WorkerCtor(url, { name: `graft-wasm-${init.index}` });
      const errors: string[] = [];
      let booted = false;
      worker.onerror = (e) => onFailure(`worker ${init.index}: ${e.message ?? "failed to start"}`, !booted);
      worker.onmessage = (e) => {
        if (e.data.booted) booted = true;
        if (e.data.error === undefined) return;
        errors.push(e.data.error);
        onFailure(e.data.error, false);
      };
      worker.postMessage(init);
      return {
        post: (m) => worker.postMessage(m),
        pendingErrors: () => errors.splice(0),
        terminate: async () => worker.terminate(),
      };
    },
  };
}
