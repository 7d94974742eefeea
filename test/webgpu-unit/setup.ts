/**
 * Setup of the webgpu-unit mode (vitest.webgpu-unit.config.ts): the unit suite with "webgpu" as
 * the default backend, its synchronous reads replayed (replay.ts, read-hooks.ts). Runs before every
 * test file of the one worker process: the device is opened once and kept for the whole run.
 * Without an adapter every test is skipped with the reason (a failure under GRAFT_REQUIRE_WEBGPU=1).
 */
import { setMaxListeners } from "node:events";
import { type TestContext, afterEach, beforeAll, beforeEach } from "vitest";
import { setDefaultBackend } from "../../src/core/backend.js";
import { closeWebGpu, initWebGpu } from "../../src/index.js";
import { testGpu } from "../webgpu/gpu.js";
import { activeExclusions, exclusionFor } from "./exclusions.js";
import { answerReadsWith, installReadHooks } from "./read-hooks.js";
import { READ_LIMIT } from "./limits.js";
import { ReplayLog, SwallowedPending } from "./replay.js";

declare module "vitest" {
  interface TaskMeta {
    /** How many synchronous reads of WebGPU arrays the test made (replayed). */
    webgpuReads?: number;
  }
}

const root = new URL("../../", import.meta.url).pathname;
const exclusions = activeExclusions(process.env);

type Holder = { __graftWebGpuUnit?: Promise<string | undefined> };

/** Opens graft's WebGPU device once per process; the reason when there is no adapter. */
function openOnce(): Promise<string | undefined> {
  const holder = globalThis as Holder;
  holder.__graftWebGpuUnit ??= (async () => {
    const got = await testGpu();
    if ("skip" in got) return got.skip;
    await initWebGpu({ gpu: got.gpu });
    // vitest ends this worker with SIGTERM after the last file: close the device first, as the
    // WebGPU suite does after each file, then let the signal end the process.
    process.once("SIGTERM", () => {
      closeWebGpu();
      process.kill(process.pid, "SIGTERM");
    });
    installReadHooks();
    return undefined;
  })();
  return holder.__graftWebGpuUnit;
}

/** "describe > … > test", as exclusions match it. */
function fullName(ctx: TestContext): string {
  const names = [ctx.task.name];
  for (let s = ctx.task.suite; s && s.type === "suite" && s.name; s = s.suite) names.unshift(s.name);
  return names.join(" > ");
}

const noAdapter = await openOnce();

if (noAdapter !== undefined) {
  beforeEach((ctx) => ctx.skip(`webgpu-unit: no WebGPU: ${noAdapter}`));
} else {
  let log: ReplayLog | undefined;
  let logOf: string | undefined;

  // Each file is collected and run on WebGPU, whatever a previous file of this process left as the default.
  setDefaultBackend("webgpu");
  beforeAll(() => setDefaultBackend("webgpu"));

  beforeEach(async (ctx) => {
    const file = ctx.task.file.filepath.slice(root.length);
    const excluded = exclusionFor(file, fullName(ctx), exclusions);
    if (excluded) ctx.skip(`webgpu-unit: ${excluded.reason}: ${excluded.why}`);
    if (logOf !== ctx.task.id) {
      log = new ReplayLog(READ_LIMIT);
      logOf = ctx.task.id;
    }
    const current = log!;
    // vitest adds an abort listener to the test's signal per attempt; a replayed test has many attempts.
    setMaxListeners(READ_LIMIT + 10, ctx.signal);
    // Only attempts that started a read are retried, so their errors are not the test's: drop them.
    if (ctx.task.result) ctx.task.result.errors = undefined;
    // The config's `retry` sets how many attempts a test gets; vitest reads the condition from the
    // task at each failure, so this one narrows retries to attempts that started a read (a real
    // failure is not rerun). Config values cross to the worker serialized, so it cannot carry a function.
    (ctx.task as { retry?: unknown }).retry = { count: READ_LIMIT, condition: () => current.startedRead };
    await current.startAttempt();
    answerReadsWith(current);
  });

  afterEach((ctx) => {
    answerReadsWith(undefined);
    if (!log || logOf !== ctx.task.id) return; // skipped before its log was made
    ctx.task.meta.webgpuReads = log.recorded;
    if (log.startedRead && ctx.task.result?.state !== "fail") throw new SwallowedPending();
  });
}
