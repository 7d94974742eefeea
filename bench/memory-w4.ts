/**
 * `npm run bench:memory`: memory stays flat over many jitted W4 steps (issue 9's memory target).
 *
 * W4 is the peer benchmark's MLP 784→256→10, batch 128, one Adam step under `jit` (data.ts's seeded
 * inputs, bench/peers/graft-workloads.ts's `adamStep`; nothing is redefined here). This runs it as
 * a training loop on the default backend (GRAFT_BACKEND): each step's new parameters and moments
 * feed the next step, so every step's arrays become garbage, and each step's loss is read back.
 *
 *   npx tsx bench/memory-w4.ts                 10,000 steps, baseline at step 1,000
 *   npx tsx bench/memory-w4.ts --steps 1000    the CI version: baseline at step 100
 *
 * The baseline is at a tenth of the steps (step 1,000 of 10,000): by then the jit cache, the
 * compiled kernels, V8's heap sizing and the allocator's free lists have settled. It fails (exit 1)
 * when, between the baseline and the end:
 *
 * - RSS grows by more than RSS_BOUND_MIB (64 MiB). RSS is read after every step, and the medians of
 *   the WINDOW steps before the baseline and of the last WINDOW steps are compared (WINDOW is half
 *   the baseline step: steps 501–1,000 against 9,501–10,000). One sample is useless: freed typed
 *   arrays go back to malloc, which returns pages to the OS when it pleases, so single readings,
 *   even right after a forced GC, wander by ±20 MiB (measured: 119–158 MiB at one steady state),
 *   while window medians stay within ~3 MiB. 64 MiB leaves room for other machines and allocators
 *   (and for worker threads' heaps once the wasm backend has them) and still catches every leak of
 *   array data: keeping one step's outputs (params, m, v: 2.5 MiB) is 22 GiB over 9,000 steps; any
 *   leak above ~7 KiB per step over 9,000 steps (~73 KiB per step over CI's 900).
 * - After a forced full GC at the baseline and at the end: V8's heap in use (`heapUsed`) or the
 *   live ArrayBuffers' bytes (`arrayBuffers`) grow by more than 16 MiB each. These are exact (no
 *   allocator noise), so they catch small JS-side leaks (cache entries, closures, retained arrays)
 *   that RSS's bound lets through: ~1.8 KiB per step over 9,000 steps.
 * - On `wasm`, the backend's linear memory (`wasmMemory().capacity`, bytes allocated; it never
 *   shrinks) grows at all, or its bytes in use (`used`: the workspace and frames still pushed) are
 *   higher at the end than at the baseline.
 */
import { cpus } from "node:os";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { defaultBackend, jit } from "../src/index.js";
import { adamStep, mlpArrays, type Params } from "./peers/graft-workloads.js";

const MiB = 2 ** 20;
const RSS_BOUND = 64 * MiB;
const HEAP_BOUND = 16 * MiB;
const ARRAY_BUFFERS_BOUND = 16 * MiB;

function parseSteps(argv: readonly string[]): number {
  const i = argv.indexOf("--steps");
  if (i < 0) return 10_000;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 20) throw new Error(`--steps: expected an integer ≥ 20, got ${argv[i + 1]}`);
  return n;
}

// A full, synchronous GC for the exact samples (`--expose-gc` without the flag on the command line).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const backend = defaultBackend();
// Loaded only on wasm, so the check runs on `cpu` whatever state the wasm backend's sources are in.
const wasmMemory = backend === "wasm" ? (await import("../backends/wasm/index.js")).wasmMemory : undefined;

interface Sample {
  step: number;
  seconds: number;
  /** Median RSS over the window of steps ending here. */
  rssMedian: number;
  /** RSS right after the forced GC (shown, not checked: see the header). */
  rssAfterGc: number;
  heapUsed: number;
  arrayBuffers: number;
  linear?: { capacity: number; used: number };
}

const t0 = performance.now();

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function sample(step: number, rssWindow: readonly number[]): Sample {
  const rssMedian = median(rssWindow);
  gc();
  gc();
  const m = process.memoryUsage();
  const s: Sample = {
    step,
    seconds: (performance.now() - t0) / 1000,
    rssMedian,
    rssAfterGc: m.rss,
    heapUsed: m.heapUsed,
    arrayBuffers: m.arrayBuffers,
  };
  if (wasmMemory) s.linear = { capacity: wasmMemory().capacity, used: wasmMemory().used };
  return s;
}

const mib = (b: number): string => `${(b / MiB).toFixed(1)} MiB`;
const signedMib = (b: number): string => `${b >= 0 ? "+" : ""}${(b / MiB).toFixed(1)} MiB`;
const describe = (s: Sample, window: number): string =>
  `step ${String(s.step).padStart(6)} (${s.seconds.toFixed(1).padStart(6)} s): rss median of last ${window} steps ${mib(s.rssMedian)}` +
  ` (after GC ${mib(s.rssAfterGc)}), heapUsed ${mib(s.heapUsed)}, arrayBuffers ${mib(s.arrayBuffers)}` +
  (s.linear
    ? `, wasm linear memory capacity ${s.linear.capacity} B (${mib(s.linear.capacity)}), used ${s.linear.used} B`
    : "");

function main(): number {
  const steps = parseSteps(process.argv.slice(2));
  const baselineStep = Math.round(steps / 10);
  const window = Math.max(5, Math.floor(baselineStep / 2));
  console.log(
    `W4 memory check: ${steps} jitted Adam steps of the MLP 784→256→10, batch 128, on backend "${backend}"` +
      ` — ${cpus()[0]?.model?.trim() ?? "?"}, ${cpus().length} cores, node ${process.version}`,
  );
  const init = mlpArrays();
  let { p, m, v } = init;
  const { x, y } = init;
  const step = jit(adamStep);
  const rss: number[] = [];
  let base: Sample | undefined;
  let loss = Number.NaN;
  for (let i = 1; i <= steps; i++) {
    const out = step(p, m, v, x, y);
    loss = (out[0]!.dataSync() as Float32Array)[0]!;
    if (!Number.isFinite(loss)) throw new Error(`step ${i}: loss is ${loss}`);
    p = out.slice(1, 5) as Params;
    m = out.slice(5, 9) as Params;
    v = out.slice(9, 13) as Params;
    if (i > baselineStep - window && i <= baselineStep) rss.push(process.memoryUsage.rss());
    if (i > steps - window) rss.push(process.memoryUsage.rss());
    if (i === baselineStep) {
      base = sample(i, rss.splice(0));
      console.log(`  ${describe(base, window)}`);
    } else if (i % baselineStep === 0 && i !== steps) {
      process.stderr.write(
        `  step ${i}, ${((performance.now() - t0) / 1000).toFixed(1)} s, loss ${loss.toPrecision(4)}\n`,
      );
    }
  }
  const end = sample(steps, rss);
  console.log(`  ${describe(end, window)}`);
  if (!base) throw new Error("no baseline sample");
  const perStepMs = ((end.seconds - base.seconds) * 1000) / (steps - baselineStep);
  console.log(`  final loss ${loss.toPrecision(4)}; ${perStepMs.toFixed(1)} ms per step after the baseline`);

  const growth = {
    rss: end.rssMedian - base.rssMedian,
    heapUsed: end.heapUsed - base.heapUsed,
    arrayBuffers: end.arrayBuffers - base.arrayBuffers,
  };
  console.log(
    `  growth from step ${baselineStep} to ${steps}: rss (window medians) ${signedMib(growth.rss)} (bound ${mib(RSS_BOUND)}),` +
      ` heapUsed ${signedMib(growth.heapUsed)} (bound ${mib(HEAP_BOUND)}),` +
      ` arrayBuffers ${signedMib(growth.arrayBuffers)} (bound ${mib(ARRAY_BUFFERS_BOUND)})` +
      (base.linear && end.linear
        ? `, wasm linear memory capacity ${end.linear.capacity - base.linear.capacity} B and used ${end.linear.used - base.linear.used} B (bound 0)`
        : ""),
  );
  const failures: string[] = [];
  if (growth.rss > RSS_BOUND) failures.push(`RSS grew by ${mib(growth.rss)} > ${mib(RSS_BOUND)}`);
  if (growth.heapUsed > HEAP_BOUND) failures.push(`heapUsed grew by ${mib(growth.heapUsed)} > ${mib(HEAP_BOUND)}`);
  if (growth.arrayBuffers > ARRAY_BUFFERS_BOUND)
    failures.push(`arrayBuffers grew by ${mib(growth.arrayBuffers)} > ${mib(ARRAY_BUFFERS_BOUND)}`);
  if (base.linear && end.linear) {
    if (end.linear.capacity > base.linear.capacity)
      failures.push(`wasm linear memory grew from ${base.linear.capacity} to ${end.linear.capacity} bytes`);
    if (end.linear.used > base.linear.used)
      failures.push(`wasm linear memory in use grew from ${base.linear.used} to ${end.linear.used} bytes`);
  }
  for (const f of failures) console.log(`FAIL: ${f}`);
  if (!failures.length) console.log("OK: memory is flat");
  return failures.length ? 1 : 0;
}

process.exitCode = main();
