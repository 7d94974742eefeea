/**
 * What the page and the trainer say to each other. The trainer (trainer.ts) runs either on the
 * page's main thread or in a dedicated Worker (worker.ts); either way it reports through
 * TrainerEvents, which are plain structured-clone-safe data.
 */

/** Which backend the page asked for: `auto` tries WebGPU first and falls back to WebAssembly. */
export type BackendRequest = "auto" | "wasm" | "webgpu";

/** Where graft runs: the page's main thread, or a dedicated Worker the page starts. */
export type Where = "main" | "worker";

/** The training run's settings (all from the query string, with defaults; see parseOptions). */
export interface DemoOptions {
  readonly backend: BackendRequest;
  readonly where: Where;
  /** Optimizer steps (mini-batches). */
  readonly steps: number;
  readonly batch: number;
  /** Adam's peak learning rate (warmup then cosine decay to 1% of it). */
  readonly lr: number;
  readonly hidden: number;
  /** Seeds the train/test split, the initial weights and the batch order. */
  readonly seed: number;
  /** Read the losses back (one `await x.data()` per step's loss) every this many steps. */
  readonly readEvery: number;
  /** Evaluate the test set (accuracy and the grid's predictions) every this many steps, and at the end. */
  readonly evalEvery: number;
  /** How many test digits the grid shows. */
  readonly grid: number;
}

export const DEFAULTS: DemoOptions = {
  backend: "auto",
  where: "worker",
  steps: 400,
  batch: 64,
  lr: 1e-2,
  hidden: 64,
  seed: 0,
  readEvery: 10,
  evalEvery: 100,
  grid: 48,
};

/** Reads DemoOptions from a query string such as `?backend=wasm&steps=300`; unknown keys are ignored. */
export function parseOptions(search: string): DemoOptions {
  const q = new URLSearchParams(search);
  const int = (key: keyof DemoOptions, fallback: number, min: number): number => {
    const text = q.get(key);
    if (text === null || text === "") return fallback;
    const v = Number(text);
    if (!Number.isInteger(v) || v < min) throw new Error(`?${key}=${text}: expected an integer ≥ ${min}`);
    return v;
  };
  const backend = q.get("backend") ?? DEFAULTS.backend;
  if (backend !== "auto" && backend !== "wasm" && backend !== "webgpu")
    throw new Error(`?backend=${backend}: expected auto, wasm or webgpu`);
  const where = q.get("where") ?? DEFAULTS.where;
  if (where !== "main" && where !== "worker") throw new Error(`?where=${where}: expected main or worker`);
  const lrText = q.get("lr");
  const lr = lrText === null || lrText === "" ? DEFAULTS.lr : Number(lrText);
  if (!(lr > 0 && Number.isFinite(lr))) throw new Error(`?lr=${lrText}: expected a positive number`);
  return {
    backend,
    where,
    steps: int("steps", DEFAULTS.steps, 1),
    batch: int("batch", DEFAULTS.batch, 1),
    lr,
    hidden: int("hidden", DEFAULTS.hidden, 1),
    seed: int("seed", DEFAULTS.seed, 0),
    readEvery: int("readEvery", DEFAULTS.readEvery, 1),
    evalEvery: int("evalEvery", DEFAULTS.evalEvery, 1),
    grid: int("grid", DEFAULTS.grid, 0),
  };
}

/** What became of WebGPU: not tried (`?backend=wasm`), unavailable here, failed to start, or in use. */
export type WebGpuStatus =
  | { readonly state: "not-requested" }
  /** No navigator.gpu, or no adapter: the browser or machine cannot do WebGPU. */
  | { readonly state: "unavailable"; readonly reason: string }
  /** An adapter exists but initWebGpu() threw: a graft (or driver) problem worth reporting. */
  | { readonly state: "failed"; readonly reason: string }
  | { readonly state: "ok"; readonly adapter: string; readonly fallbackAdapter: boolean };

export type TrainerEvent =
  | {
      readonly type: "start";
      /** The backend the training runs on. */
      readonly backend: string;
      readonly webgpu: WebGpuStatus;
      readonly trainSize: number;
      readonly testSize: number;
      /** The grid's test digits: `grid` images of 64 pixels in [0, 1], row-major, and their labels. */
      readonly gridImages: number[];
      readonly gridLabels: number[];
    }
  | {
      readonly type: "losses";
      /** The losses of steps `first`, `first + 1`, … (1-based), read back in one go. */
      readonly first: number;
      readonly losses: number[];
      readonly elapsedMs: number;
    }
  | {
      readonly type: "eval";
      /** After this many steps. */
      readonly step: number;
      /** Test accuracy in [0, 1], from host-side argmax of the logits. */
      readonly accuracy: number;
      /** The predicted class of each grid digit. */
      readonly gridPredictions: number[];
    }
  | { readonly type: "done"; readonly steps: number; readonly elapsedMs: number }
  | { readonly type: "error"; readonly message: string };

/** Messages the page sends to a trainer Worker. */
export type WorkerRequest = { readonly type: "train"; readonly options: DemoOptions };
