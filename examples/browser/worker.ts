/**
 * The browser demo's Worker entry (bundled to worker.js): trains when the page says so and posts
 * every TrainerEvent back. In a Worker the wasm backend may compile its kernels synchronously, which
 * a page's main thread may refuse (see README.md, "Browsers").
 */
import type { TrainerEvent, WorkerRequest } from "./protocol.js";
import { train } from "./trainer.js";

/** The parts of DedicatedWorkerGlobalScope used here (tsconfig's lib is DOM, not WebWorker). */
interface WorkerScope {
  onmessage: ((e: MessageEvent<WorkerRequest>) => void) | null;
  postMessage(message: TrainerEvent): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (e) => {
  if (e.data.type === "train") void train(e.data.options, (event) => scope.postMessage(event));
};
