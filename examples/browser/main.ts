/**
 * The browser demo's page script (bundled to main.js): reads the options from the query string,
 * starts the trainer (in a Worker by default, or on this thread with `?where=main`), and draws what
 * it reports: the backend, a live loss curve, the test accuracy and a grid of test digits with
 * their predictions. Progress is mirrored on `window.__demo` for tests and the curious.
 */
import {
  type BackendRequest,
  type DemoOptions,
  parseOptions,
  type TrainerEvent,
  type WebGpuStatus,
  type Where,
} from "./protocol.js";
import { train } from "./trainer.js";

/** The page's progress, as `window.__demo`. */
export interface DemoState {
  requested: BackendRequest | null;
  where: Where | null;
  /** The backend training runs on (null until it is chosen). */
  backend: string | null;
  webgpu: WebGpuStatus | null;
  steps: number;
  /** Steps whose loss has been read back. */
  step: number;
  /** losses[i] is the mini-batch loss of step i + 1. */
  losses: number[];
  /** The latest test accuracy in [0, 1] (null before the first evaluation). */
  accuracy: number | null;
  evals: { step: number; accuracy: number }[];
  trainSize: number;
  testSize: number;
  gridLabels: number[];
  gridPredictions: number[] | null;
  /** Milliseconds of training so far (from the first step, compiling included). */
  elapsedMs: number;
  done: boolean;
  error: string | null;
}

declare global {
  interface Window {
    __demo: DemoState;
  }
}

const state: DemoState = {
  requested: null,
  where: null,
  backend: null,
  webgpu: null,
  steps: 0,
  step: 0,
  losses: [],
  accuracy: null,
  evals: [],
  trainSize: 0,
  testSize: 0,
  gridLabels: [],
  gridPredictions: null,
  elapsedMs: 0,
  done: false,
  error: null,
};
window.__demo = state;

const element = <T extends HTMLElement>(id: string): T => {
  const e = document.getElementById(id);
  if (!e) throw new Error(`index.html has no #${id}`);
  return e as T;
};
const text = (id: string, value: string): void => {
  element(id).textContent = value;
};

// ------------------------------------------------------------------------------------------------
// Canvases

const BACKGROUND = "#ffffff";
const MUTED = "#57606a";
const GRIDLINE = "#eaeef2";
const RIGHT = "#1a7f37";
const WRONG = "#cf222e";

/** Sizes a canvas's backing store to its CSS size × devicePixelRatio; returns a context in CSS pixels. */
function context2d(canvas: HTMLCanvasElement, cssWidth: number, cssHeight: number): CanvasRenderingContext2D {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.round(cssWidth * ratio);
  const h = Math.round(cssHeight * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
  }
  const ctx = canvas.getContext("2d");
  if (!ctx) throw new Error("this browser gives no 2D canvas context");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, cssWidth, cssHeight);
  return ctx;
}

/** Round tick values for [0, max]: about `count` of them, at 1, 2 or 5 × a power of ten. */
function linearTicks(max: number, count: number): number[] {
  const raw = max / count;
  const unit = 10 ** Math.floor(Math.log10(raw));
  const stepSize = [1, 2, 5, 10].map((m) => m * unit).find((s) => s >= raw) ?? 10 * unit;
  const out: number[] = [];
  for (let v = 0; v <= max + 1e-9; v += stepSize) out.push(v);
  return out;
}

/** The loss curve: every step's loss (light) and a moving average (dark), log-scaled. */
function drawLossChart(): void {
  const canvas = element<HTMLCanvasElement>("loss-chart");
  const W = canvas.clientWidth || 720;
  const H = canvas.clientHeight || 260;
  const ctx = context2d(canvas, W, H);
  const left = 52;
  const right = 14;
  const top = 12;
  const bottom = 30;
  const losses = state.losses;
  const steps = Math.max(state.steps, 1);
  ctx.font = "12px system-ui, sans-serif";
  if (losses.length === 0) {
    ctx.fillStyle = MUTED;
    ctx.fillText(state.error ? "no losses" : "waiting for the first losses…", left, top + 20);
    return;
  }
  const positive = losses.filter((v) => v > 0 && Number.isFinite(v));
  const lo = Math.min(...positive, 1);
  const hi = Math.max(...positive, lo * 10);
  const yMin = Math.log10(lo) - 0.05;
  const yMax = Math.log10(hi) + 0.05;
  const x = (step: number): number => left + ((step - 1) / Math.max(steps - 1, 1)) * (W - left - right);
  const y = (v: number): number => top + ((yMax - Math.log10(Math.max(v, 1e-12))) / (yMax - yMin)) * (H - top - bottom);

  // Axes: 1-2-5 ticks per decade on the loss, round step numbers below.
  ctx.strokeStyle = GRIDLINE;
  ctx.fillStyle = MUTED;
  ctx.lineWidth = 1;
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  for (let d = Math.floor(yMin); d <= Math.ceil(yMax); d++)
    for (const m of [1, 2, 5]) {
      const v = m * 10 ** d;
      const lv = Math.log10(v);
      if (lv < yMin || lv > yMax) continue;
      ctx.beginPath();
      ctx.moveTo(left, y(v));
      ctx.lineTo(W - right, y(v));
      ctx.stroke();
      ctx.fillText(v >= 0.01 ? String(Number(v.toPrecision(2))) : v.toExponential(0), left - 6, y(v));
    }
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  for (const s of linearTicks(steps, 6)) ctx.fillText(String(s), x(Math.max(s, 1)), H - bottom + 6);
  ctx.strokeStyle = MUTED;
  ctx.beginPath();
  ctx.moveTo(left, top);
  ctx.lineTo(left, H - bottom);
  ctx.lineTo(W - right, H - bottom);
  ctx.stroke();

  const line = (values: readonly number[], color: string, width: number): void => {
    ctx.strokeStyle = color;
    ctx.lineWidth = width;
    ctx.beginPath();
    values.forEach((v, i) => {
      if (i === 0) ctx.moveTo(x(1), y(v));
      else ctx.lineTo(x(i + 1), y(v));
    });
    ctx.stroke();
  };
  line(losses, "#9ac5f4", 1);
  const span = Math.max(1, Math.round(steps / 40));
  const smooth: number[] = [];
  let sum = 0;
  losses.forEach((v, i) => {
    sum += v;
    if (i >= span) sum -= losses[i - span]!;
    smooth.push(sum / Math.min(i + 1, span));
  });
  line(smooth, "#0969da", 2);
}

const GRID_COLS = 12;
const CELL = 56;
const PIXEL = 5;

/** The grid of test digits, each with its prediction (once there is one): green right, red wrong. */
function drawGrid(images: readonly number[]): void {
  const canvas = element<HTMLCanvasElement>("grid");
  const n = state.gridLabels.length;
  const rowsCount = Math.max(1, Math.ceil(n / GRID_COLS));
  const W = GRID_COLS * CELL;
  const H = rowsCount * (CELL + 8);
  canvas.style.width = `${W}px`;
  canvas.style.height = `${H}px`;
  const ctx = context2d(canvas, W, H);
  ctx.font = "bold 12px system-ui, sans-serif";
  ctx.textAlign = "center";
  ctx.textBaseline = "top";
  const predictions = state.gridPredictions;
  for (let i = 0; i < n; i++) {
    const cx = (i % GRID_COLS) * CELL + (CELL - 8 * PIXEL) / 2;
    const cy = Math.floor(i / GRID_COLS) * (CELL + 8) + 4;
    for (let p = 0; p < 64; p++) {
      const shade = Math.round(255 * (1 - images[i * 64 + p]!));
      ctx.fillStyle = `rgb(${shade},${shade},${shade})`;
      ctx.fillRect(cx + (p % 8) * PIXEL, cy + Math.floor(p / 8) * PIXEL, PIXEL, PIXEL);
    }
    const label = state.gridLabels[i]!;
    const predicted = predictions?.[i];
    const color = predicted === undefined ? MUTED : predicted === label ? RIGHT : WRONG;
    ctx.strokeStyle = color;
    ctx.lineWidth = predicted === undefined ? 1 : 2;
    ctx.strokeRect(cx - 1, cy - 1, 8 * PIXEL + 2, 8 * PIXEL + 2);
    ctx.fillStyle = color;
    const caption = predicted === undefined ? "?" : predicted === label ? String(predicted) : `${predicted} (${label})`;
    ctx.fillText(caption, cx + 4 * PIXEL, cy + 8 * PIXEL + 4);
  }
}

// ------------------------------------------------------------------------------------------------
// Events from the trainer

const percent = (v: number): string => `${(100 * v).toFixed(1)}%`;
/** Steps per second, e.g. "12.5 steps/s" or "1079 steps/s". */
function rate(steps: number, ms: number): string {
  const perSecond = (1000 * steps) / Math.max(ms, 1);
  return `${perSecond >= 100 ? perSecond.toFixed(0) : perSecond.toFixed(1)} steps/s`;
}

function describeBackend(backend: string, webgpu: WebGpuStatus): { label: string; note: string } {
  if (backend === "webgpu" && webgpu.state === "ok")
    return {
      label: "WebGPU",
      note: `WebGPU adapter: ${webgpu.adapter || "(unnamed)"}${webgpu.fallbackAdapter ? " — a software fallback adapter, much slower than a GPU" : ""}.`,
    };
  const label = backend === "wasm" ? "WebAssembly" : backend;
  switch (webgpu.state) {
    case "not-requested":
      return { label, note: "WebGPU not requested (?backend=wasm)." };
    case "unavailable":
      return { label, note: `WebGPU unavailable: ${webgpu.reason}.` };
    case "failed":
      return { label, note: `WebGPU failed to start, so this runs on ${label}: ${webgpu.reason}` };
    default:
      return { label, note: "" };
  }
}

let gridImages: number[] = [];

function onEvent(event: TrainerEvent): void {
  switch (event.type) {
    case "start": {
      Object.assign(state, {
        backend: event.backend,
        webgpu: event.webgpu,
        trainSize: event.trainSize,
        testSize: event.testSize,
        gridLabels: event.gridLabels,
      });
      gridImages = event.gridImages;
      const { label, note } = describeBackend(event.backend, event.webgpu);
      const badge = element("backend");
      badge.dataset.backend = event.backend;
      badge.textContent = `${label} (${state.where === "worker" ? "worker" : "main thread"})`;
      text(
        "backend-note",
        `${note} ${event.trainSize} training and ${event.testSize} test images; ${state.steps} steps of batch ${options?.batch}.`,
      );
      drawGrid(gridImages);
      drawLossChart();
      break;
    }
    case "losses": {
      state.losses.push(...event.losses);
      state.step = event.first + event.losses.length - 1;
      state.elapsedMs = event.elapsedMs;
      const recent = state.losses.slice(-10);
      text("step", `${state.step} / ${state.steps}`);
      text("loss-value", (recent.reduce((a, b) => a + b, 0) / recent.length).toFixed(4));
      text("speed", rate(state.step, event.elapsedMs));
      element<HTMLProgressElement>("progress").value = state.step / state.steps;
      drawLossChart();
      break;
    }
    case "eval":
      state.accuracy = event.accuracy;
      state.evals.push({ step: event.step, accuracy: event.accuracy });
      state.gridPredictions = event.gridPredictions;
      text("accuracy", `${percent(event.accuracy)} (step ${event.step})`);
      drawGrid(gridImages);
      break;
    case "done":
      state.elapsedMs = event.elapsedMs;
      text("speed", `${rate(event.steps, event.elapsedMs)} · ${(event.elapsedMs / 1000).toFixed(1)} s`);
      state.done = true;
      break;
    case "error":
      state.error = event.message;
      element("error").hidden = false;
      text("error", `Training failed: ${event.message}`);
      if (state.backend === null) text("backend", "–");
      drawLossChart();
      break;
  }
}

// ------------------------------------------------------------------------------------------------

let options: DemoOptions | undefined;
try {
  options = parseOptions(location.search);
} catch (e) {
  onEvent({ type: "error", message: e instanceof Error ? e.message : String(e) });
}
if (options) {
  Object.assign(state, { requested: options.backend, where: options.where, steps: options.steps });
  text("step", `0 / ${options.steps}`);
  drawLossChart();
  if (options.where === "worker") {
    const worker = new Worker("worker.js");
    worker.onmessage = (e: MessageEvent<TrainerEvent>) => onEvent(e.data);
    worker.onerror = (e) => onEvent({ type: "error", message: `the worker failed: ${e.message || "(no message)"}` });
    worker.postMessage({ type: "train", options });
  } else void train(options, onEvent);
}
