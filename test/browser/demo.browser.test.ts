/**
 * The live browser demo (examples/browser, `npm run example:browser`) in headless Chromium: the page
 * is bundled and served by the demo's own server, opened with query-string options, and watched
 * through `window.__demo` until training is done. (a) On WebAssembly the MLP reaches ≥ 90% test
 * accuracy and the page renders its loss curve and digit grid (a screenshot is saved for humans);
 * (b) on WebGPU (SwiftShader without a GPU) a short run's loss falls and the page says WebGPU.
 * Where Chromium or its WebGPU adapter is missing, tests skip, or fail under GRAFT_REQUIRE_BROWSER=1.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, describe, expect, it, type TestContext } from "vitest";
import type { DemoState } from "../../examples/browser/main.js";
import { type DemoServer, startDemoServer } from "../../examples/browser/server.js";
import { RUN_TIMEOUT_MS, useBrowser } from "./harness.js";

const browser = useBrowser();

let server: Promise<DemoServer> | undefined;
afterAll(async () => {
  await (await server?.catch(() => undefined))?.close();
});

/** Where the screenshots go (printed by the test that writes them). */
const OUT_DIR = path.join(os.tmpdir(), "graft-browser-demo");

/** What a canvas holds: its size, and how many pixels are not the white background, or green, or red. */
interface CanvasInk {
  width: number;
  height: number;
  ink: number;
  green: number;
  red: number;
}

/** A finished demo page, as the tests see it. */
interface DemoRun {
  state: DemoState;
  /** The backend badge's text and its data-backend attribute. */
  badge: { text: string; backend: string | undefined };
  accuracyText: string;
  canvases: { loss: CanvasInk; grid: CanvasInk };
  png: Buffer;
  console: readonly string[];
  /** From navigation to done, in milliseconds (bundling excluded; compiling and data loading included). */
  wallMs: number;
}

/** Opens the demo with `query`, waits until it is done (or failed), and collects what the tests check. */
async function openDemo(b: Browser, query: string): Promise<DemoRun> {
  server ??= startDemoServer();
  const { url } = await server;
  const context = await b.newContext({ viewport: { width: 1000, height: 900 } });
  const messages: string[] = [];
  try {
    const page = await context.newPage();
    page.on("console", (m) => {
      messages.push(`${m.type()}: ${m.text()}`);
      if (m.type() === "error" || m.type() === "warning")
        process.stderr.write(`[chromium demo] ${m.type()}: ${m.text()}\n`);
    });
    page.on("pageerror", (e) => {
      messages.push(`pageerror: ${e.stack ?? e.message}`);
      process.stderr.write(`[chromium demo] pageerror: ${e.stack ?? e.message}\n`);
    });
    const t0 = performance.now();
    await page.goto(`${url}${query}`, { waitUntil: "load", timeout: RUN_TIMEOUT_MS });
    try {
      await page.waitForFunction(() => window.__demo?.done || window.__demo?.error !== null, null, {
        timeout: RUN_TIMEOUT_MS,
        polling: 100,
      });
    } catch (e) {
      const state = await page.evaluate(() => window.__demo).catch(() => undefined);
      throw new Error(
        `the demo (${query}) did not finish within ${RUN_TIMEOUT_MS / 1000} s: ${(e as Error).message}\n` +
          `window.__demo: ${JSON.stringify({ ...state, losses: state?.losses.length })}\n${messages.join("\n")}`,
      );
    }
    const wallMs = performance.now() - t0;
    const state = await page.evaluate(() => window.__demo);
    const badge = await page.evaluate(() => {
      const e = document.getElementById("backend");
      return { text: e?.textContent ?? "", backend: e?.dataset.backend };
    });
    const accuracyText = (await page.textContent("#accuracy")) ?? "";
    const canvases = await page.evaluate(() => {
      const inkOf = (id: string) => {
        const c = document.getElementById(id) as HTMLCanvasElement;
        const data = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data ?? new Uint8ClampedArray();
        let ink = 0;
        let green = 0;
        let red = 0;
        for (let i = 0; i < data.length; i += 4) {
          const [r, g, b] = [data[i]!, data[i + 1]!, data[i + 2]!];
          if (r < 250 || g < 250 || b < 250) ink++;
          if (g > r + 60 && g > b + 30) green++;
          if (r > g + 80 && r > b + 80) red++;
        }
        return { width: c.width, height: c.height, ink, green, red };
      };
      return { loss: inkOf("loss-chart"), grid: inkOf("grid") };
    });
    const png = await page.screenshot({ fullPage: true });
    return { state, badge, accuracyText, canvases, png, console: messages, wallMs };
  } finally {
    await context.close();
  }
}

/** Opens the demo once per describe block; its tests share that page's result. */
function demoRun(query: string): (ctx: TestContext) => Promise<DemoRun> {
  let run: Promise<DemoRun> | undefined;
  return async (ctx) => {
    const b = await browser(ctx); // skips (or fails) the test where Chromium is missing
    run ??= openDemo(b, query);
    return run;
  };
}

/** The run, failing the test with the page's error if training threw. */
function finished(run: DemoRun, query: string): DemoState {
  const { state } = run;
  if (state.error !== null) expect.fail(`the demo (${query}) failed in the browser: ${state.error}`);
  expect(state.done, "window.__demo.done").toBe(true);
  return state;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

/** A PNG's width and height, from its IHDR chunk (after checking the signature). */
function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)], "PNG signature").toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.toString("latin1", 12, 16), "IHDR chunk").toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

const WASM_STEPS = 300;
const WASM_QUERY = `?backend=wasm&steps=${WASM_STEPS}`;
/** The wasm run in a Worker (the default), shared by the two describe blocks below. */
const wasmInWorker = demoRun(WASM_QUERY);

describe(`(a) the demo on WebAssembly (${WASM_QUERY})`, () => {
  const page = wasmInWorker;

  it("trains to completion on wasm, in a Worker, reading back every step's loss", async (ctx) => {
    const run = await page(ctx);
    const state = finished(run, WASM_QUERY);
    expect(state.backend).toBe("wasm");
    expect(state.webgpu).toEqual({ state: "not-requested" });
    expect(state.where).toBe("worker");
    expect(state.step).toBe(WASM_STEPS);
    expect(state.losses).toHaveLength(WASM_STEPS);
    expect(state.losses.every(Number.isFinite), "every loss is finite").toBe(true);
    expect(run.badge).toMatchObject({ backend: "wasm" });
    expect(run.badge.text).toMatch(/WebAssembly/);
    expect(run.console.filter((l) => l.startsWith("pageerror") || l.startsWith("error"))).toEqual([]);
  });

  it("reaches at least 90% test accuracy (host-side argmax of the logits)", async (ctx) => {
    const run = await page(ctx);
    const state = finished(run, WASM_QUERY);
    const { losses } = state;
    process.stdout.write(
      `[demo wasm] ${WASM_STEPS} steps in ${(state.elapsedMs / 1000).toFixed(2)} s of training ` +
        `(${(run.wallMs / 1000).toFixed(1)} s page load to done); loss ${mean(losses.slice(0, 10)).toFixed(3)} → ` +
        `${mean(losses.slice(-10)).toFixed(3)} (means of the first and last 10 steps); test accuracy ` +
        `${((state.accuracy ?? 0) * 100).toFixed(2)}% of ${state.testSize} (evaluations ${JSON.stringify(state.evals)})\n`,
    );
    expect(state.testSize).toBeGreaterThan(300);
    expect(state.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(state.evals.at(-1)).toEqual({ step: WASM_STEPS, accuracy: state.accuracy });
    expect(run.accuracyText).toMatch(/^\d+\.\d%/);
  });

  it("renders the loss curve and the digit grid with its right/wrong marks; the screenshot is a real PNG", async (ctx) => {
    const run = await page(ctx);
    const state = finished(run, WASM_QUERY);
    fs.mkdirSync(OUT_DIR, { recursive: true });
    const file = path.join(OUT_DIR, "demo-wasm.png");
    fs.writeFileSync(file, run.png);
    process.stdout.write(`[demo wasm] screenshot: ${file} (${run.png.length} bytes)\n`);

    const { width, height } = pngSize(run.png);
    expect(width).toBeGreaterThanOrEqual(600);
    expect(height).toBeGreaterThanOrEqual(600);
    expect(run.png.length, "PNG bytes").toBeGreaterThan(20_000);

    const { loss, grid } = run.canvases;
    const seen = JSON.stringify(run.canvases);
    // The curve, its gridlines and labels: well above nothing, well below a filled canvas.
    expect(loss.ink / (loss.width * loss.height), `loss chart ink; ${seen}`).toBeGreaterThan(0.01);
    expect(loss.ink / (loss.width * loss.height), `loss chart ink; ${seen}`).toBeLessThan(0.5);
    // The grid: every digit drawn, predictions shown, and marked: green for right (most), red for wrong.
    expect(state.gridPredictions).toHaveLength(state.gridLabels.length);
    expect(state.gridLabels.length).toBe(48);
    expect(grid.ink / (grid.width * grid.height), `grid ink; ${seen}`).toBeGreaterThan(0.1);
    expect(grid.green, `green (right) marks; ${seen}`).toBeGreaterThan(0);
    const wrong = state.gridLabels.filter((label, i) => state.gridPredictions?.[i] !== label).length;
    if (wrong > 0) expect(grid.red, `red marks for ${wrong} wrong predictions; ${seen}`).toBeGreaterThan(0);
    else expect(grid.red, `no wrong predictions, so no red; ${seen}`).toBe(0);
  });
});

describe(`(a) the same run on the page's main thread (${WASM_QUERY}&where=main)`, () => {
  const worker = wasmInWorker;
  const main = demoRun(`${WASM_QUERY}&where=main`);

  it("trains there too, to the Worker's losses and accuracy", async (ctx) => {
    const a = finished(await worker(ctx), WASM_QUERY);
    const b = finished(await main(ctx), `${WASM_QUERY}&where=main`);
    expect(b.where).toBe("main");
    expect(b.backend).toBe("wasm");
    expect(b.losses).toHaveLength(WASM_STEPS);
    // Same engine, same kernels: equal, unless this Chromium refuses synchronous WebAssembly
    // compilation on a main thread and graft runs the reference kernels there (a few float32 ulps).
    for (const i of [0, 9, 99, WASM_STEPS - 1])
      expect(Math.abs(b.losses[i]! - a.losses[i]!), `loss of step ${i + 1}`).toBeLessThanOrEqual(
        1e-3 * Math.abs(a.losses[i]!),
      );
    expect(b.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});

const GPU_STEPS = 60;

for (const where of ["worker", "main"] as const) {
  const query = `?backend=webgpu&steps=${GPU_STEPS}&where=${where}`;

  describe(`(b) the demo on WebGPU (${query})`, () => {
    const page = demoRun(query);

    /** The finished run, once WebGPU is known to work here (skip, or fail under GRAFT_REQUIRE_BROWSER=1). */
    async function onWebGpu(ctx: TestContext): Promise<{ run: DemoRun; state: DemoState }> {
      const run = await page(ctx);
      const { webgpu } = run.state;
      if (webgpu?.state === "unavailable") {
        const why = `Chromium has no WebGPU adapter here (${where}): ${webgpu.reason}`;
        if (process.env.GRAFT_REQUIRE_BROWSER === "1") throw new Error(`${why} (GRAFT_REQUIRE_BROWSER=1)`);
        return ctx.skip(why);
      }
      if (webgpu?.state === "failed") expect.fail(`the browser has an adapter, but ${webgpu.reason}`);
      return { run, state: finished(run, query) };
    }

    it("trains on webgpu, and the page says so", async (ctx) => {
      const { run, state } = await onWebGpu(ctx);
      expect(state.backend).toBe("webgpu");
      expect(state.webgpu).toMatchObject({ state: "ok" });
      expect(run.badge).toMatchObject({ backend: "webgpu" });
      expect(run.badge.text).toMatch(/WebGPU/);
      expect(state.where).toBe(where);
      expect(run.console.filter((l) => l.startsWith("pageerror") || l.startsWith("error"))).toEqual([]);
    });

    it("the loss falls", async (ctx) => {
      const { run, state } = await onWebGpu(ctx);
      const { losses } = state;
      expect(losses).toHaveLength(GPU_STEPS);
      expect(losses.every(Number.isFinite), "every loss is finite").toBe(true);
      const first = mean(losses.slice(0, 10));
      const last = mean(losses.slice(-10));
      process.stdout.write(
        `[demo webgpu ${where}] ${state.webgpu?.state === "ok" ? state.webgpu.adapter : ""}: ${GPU_STEPS} steps in ` +
          `${(state.elapsedMs / 1000).toFixed(2)} s of training (${(run.wallMs / 1000).toFixed(1)} s page load to done); ` +
          `loss ${losses[0]!.toFixed(3)} → ${losses.at(-1)!.toFixed(3)} (first/last 10 steps: ${first.toFixed(3)} → ` +
          `${last.toFixed(3)}); test accuracy ${((state.accuracy ?? 0) * 100).toFixed(2)}%\n`,
      );
      expect(last, `mean loss of the last 10 steps vs the first 10 (${first})`).toBeLessThan(0.5 * first);
      expect(state.accuracy, "test accuracy after a short run").toBeGreaterThan(0.5);
    });
  });
}
