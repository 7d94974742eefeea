/**
 * The browser demo's training run: an MLP (64 → hidden relu → 10) on the 8×8 digits, trained with a
 * jitted step (valueAndGrad of softmax cross-entropy, then Adam with a warmup-cosine learning rate)
 * on WebGPU where the browser offers an adapter, on WebAssembly otherwise.
 *
 * The loop is written for an asynchronous backend: the step returns at once (on WebGPU the GPU works
 * behind), the losses are read with `await loss.data()` only every `readEvery` steps, never with
 * dataSync(), and every step ends with a turn of the event loop, so the page stays responsive and
 * the garbage collector can hand GPU buffers back. Test accuracy is the host-side argmax of logits
 * read with `await logits.data()`, which works the same on every backend.
 *
 * It runs on the page's main thread or in a Worker (worker.ts) and reports through `emit`.
 */
import {
  defaultBackend,
  devicePut,
  initWebGpu,
  jit,
  nn,
  np,
  random,
  valueAndGrad,
  withBackend,
} from "../../src/index.js";
import * as optim from "../../src/optim/index.js";
import {
  argmaxRows,
  CLASSES,
  type Digits,
  loadDigits,
  oneHot,
  PIXELS,
  rows,
  seededRandom,
  shuffle,
  split,
} from "./data.js";
import type { BackendRequest, DemoOptions, TrainerEvent, WebGpuStatus } from "./protocol.js";

const TEST_FRACTION = 0.2;

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

/**
 * Picks the backend: WebGPU when asked for (or `auto`) and the browser has an adapter and
 * initWebGpu() succeeds, else the default backend (wasm, or cpu where WebAssembly is forbidden).
 */
export async function chooseBackend(request: BackendRequest): Promise<{ backend: string; webgpu: WebGpuStatus }> {
  const fallback = (webgpu: WebGpuStatus) => ({ backend: defaultBackend(), webgpu });
  if (request === "wasm") return fallback({ state: "not-requested" });
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) return fallback({ state: "unavailable", reason: "this browser has no navigator.gpu (WebGPU is off)" });
  try {
    if ((await gpu.requestAdapter()) === null)
      return fallback({ state: "unavailable", reason: "navigator.gpu.requestAdapter() found no adapter" });
  } catch (e) {
    return fallback({ state: "unavailable", reason: `navigator.gpu.requestAdapter() threw: ${message(e)}` });
  }
  try {
    const info = await initWebGpu();
    return { backend: "webgpu", webgpu: { state: "ok", adapter: info.adapter, fallbackAdapter: info.fallback } };
  } catch (e) {
    return fallback({ state: "failed", reason: `initWebGpu() threw: ${message(e)}` });
  }
}

/**
 * Yields one turn of the event loop (a task, not a microtask): rendering, input and garbage
 * collection get their chance. scheduler.yield() where the browser has it; else a MessageChannel
 * message, which (unlike nested setTimeouts) is not clamped to 4 ms.
 */
const channel = new MessageChannel();
function nextTurn(): Promise<void> {
  const scheduler = (globalThis as { scheduler?: { yield?: () => Promise<void> } }).scheduler;
  if (scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/** Trains as `opts` says, reporting through `emit`; never throws (errors become an "error" event). */
export async function train(opts: DemoOptions, emit: (event: TrainerEvent) => void): Promise<void> {
  try {
    await run(opts, emit);
  } catch (e) {
    emit({ type: "error", message: e instanceof Error ? (e.stack ?? e.message) : String(e) });
  }
}

async function run(opts: DemoOptions, emit: (event: TrainerEvent) => void): Promise<void> {
  const [{ backend, webgpu }, digits] = await Promise.all([chooseBackend(opts.backend), loadDigits()]);
  const { train: trainSet, test: testSet } = split(digits, TEST_FRACTION, opts.seed);
  if (opts.batch > trainSet.n) throw new Error(`batch ${opts.batch} is larger than the ${trainSet.n} training images`);
  const grid = Math.min(opts.grid, testSet.n);
  emit({
    type: "start",
    backend,
    webgpu,
    trainSize: trainSet.n,
    testSize: testSet.n,
    gridImages: Array.from(testSet.x.subarray(0, grid * PIXELS)),
    gridLabels: Array.from(testSet.y.subarray(0, grid)),
  });

  // The model. Its initial weights are drawn on the reference "cpu" backend from a seeded key and
  // copied to the training backend, so every backend starts from the same weights.
  const model = nn.sequential(
    nn.dense(opts.hidden, { kernelInit: nn.initializers.heNormal }),
    nn.relu,
    nn.dense(CLASSES, { kernelInit: nn.initializers.glorotNormal }),
  );
  const params0 = devicePut(
    withBackend("cpu", () => model.init(random.key(opts.seed), [PIXELS]).params),
    backend,
  );
  type Params = typeof params0;

  // Adam; the learning rate warms up over the first 5% of the steps, then follows a half cosine
  // down to 1% of its peak.
  const warmupSteps = Math.floor(opts.steps / 20);
  const optimizer = optim.adam(
    optim.warmupCosineDecay({
      initValue: 0,
      peakValue: opts.lr,
      warmupSteps,
      decaySteps: Math.max(opts.steps, warmupSteps + 1),
      endValue: opts.lr / 100,
    }),
  );
  const optState0 = withBackend(backend, () => optimizer.init(params0));

  const lossFn = (p: Params, x: np.Array, labels: np.Array): np.Array =>
    nn.losses.softmaxCrossEntropy(model.apply(p, x), labels);
  /** One update: loss and gradient, then Adam. Pure; compiled once (every batch has one shape). */
  const step = jit((p: Params, s: typeof optState0, x: np.Array, labels: np.Array) => {
    const [loss, grads] = valueAndGrad(lossFn)(p, x, labels);
    const [updates, next] = optimizer.update(grads, s, p);
    return [optim.applyUpdates(p, updates), next, loss] as const;
  });
  const logitsOf = jit((p: Params, x: np.Array) => model.apply(p, x));

  /** Host data as arrays on the training backend. */
  const onBackend = (d: Digits): { x: np.Array; labels: np.Array } =>
    withBackend(backend, () => ({
      x: np.array(d.x, { shape: [d.n, PIXELS] }),
      labels: np.array(oneHot(d.y), { shape: [d.n, CLASSES] }),
    }));
  const testX = onBackend(testSet).x;

  let params = params0;
  let optState = optState0;
  const t0 = performance.now();

  /** Test accuracy: logits read back asynchronously, argmax on the host. */
  const evaluate = async (stepsDone: number): Promise<void> => {
    const predictions = argmaxRows(await logitsOf(params, testX).data());
    let right = 0;
    for (let i = 0; i < testSet.n; i++) if (predictions[i] === testSet.y[i]) right++;
    emit({
      type: "eval",
      step: stepsDone,
      accuracy: right / testSet.n,
      gridPredictions: Array.from(predictions.subarray(0, grid)),
    });
  };

  // Mini-batches: a seeded shuffle of the training rows, reshuffled whenever too few rows are left
  // for a whole batch (so every batch has the same shape and the step compiles once).
  const rng = seededRandom(opts.seed + 1);
  const order = shuffle(
    Int32Array.from({ length: trainSet.n }, (_, i) => i),
    rng,
  );
  let next = 0;
  let pending: np.Array[] = [];
  for (let s = 1; s <= opts.steps; s++) {
    if (next + opts.batch > order.length) {
      shuffle(order, rng);
      next = 0;
    }
    const batch = onBackend(rows(trainSet, order.subarray(next, next + opts.batch)));
    next += opts.batch;
    let loss: np.Array;
    [params, optState, loss] = step(params, optState, batch.x, batch.labels);
    pending.push(loss);
    if (pending.length === opts.readEvery || s === opts.steps) {
      const read = pending;
      pending = [];
      const losses = await Promise.all(read.map(async (l) => Number((await l.data())[0])));
      emit({ type: "losses", first: s - read.length + 1, losses, elapsedMs: performance.now() - t0 });
    }
    if (s % opts.evalEvery === 0 || s === opts.steps) await evaluate(s);
    await nextTurn();
  }
  emit({ type: "done", steps: opts.steps, elapsedMs: performance.now() - t0 });
}
