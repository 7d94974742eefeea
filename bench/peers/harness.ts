/**
 * The timing harness every peer child process (graft.ts, graft-webgpu.ts, jaxjs*.ts, tfjs*.ts) runs
 * its workloads through, so all libraries are measured the same way:
 *
 * 1. `setup()` builds the inputs and the (possibly jitted) function, untimed;
 * 2. the first call is timed on its own ("first call": trace + compile + run for jitted
 *    workloads; on WebGPU also shader compilation) and its outputs are checked against the float64
 *    reference (data.ts); a result that fails is reported as "wrong" and not timed further;
 * 3. `warmup` untimed warm-up calls, then N timed calls, N chosen from the warm time so that a
 *    workload takes about `budgetMs` (between `minN` and `maxN` calls); the median is reported.
 *
 * Every call reads its outputs back into JS typed arrays, so lazy libraries are timed to
 * completion: CPU children read synchronously (`dataSync` or equivalent); WebGPU children return a
 * promise of the read-back (`await x.data()`), which the harness awaits inside the timed interval,
 * so their times include the GPU finishing its work and the copy back. A child whose time cap runs
 * out reports the workloads it did not reach as "skipped". The child prints one JSON line, prefixed
 * RESULT_PREFIX, on stdout; progress goes to stderr.
 */
import { readFileSync } from "node:fs";
import { makeCheck, type Outputs, WORKLOADS, type WorkloadId } from "./data.js";

export const RESULT_PREFIX = "@@peer-result ";

/** How many calls a child times per workload, and how long it may run in all. */
export interface TimingPlan {
  /** Aim for about this many ms of timed calls per workload. */
  budgetMs: number;
  minN: number;
  maxN: number;
  /** Untimed calls between the first (checked) call and the timed ones. */
  warmup: number;
  /** After this many ms in the child, the remaining workloads are "skipped" (default: none). */
  capMs?: number;
}

/** The CPU children's plan (BENCH_PEERS_BUDGET_MS overrides the per-workload budget). */
export const CPU_TIMING: TimingPlan = {
  budgetMs: Number(process.env.BENCH_PEERS_BUDGET_MS ?? 10_000),
  minN: 5,
  maxN: 30,
  warmup: 2,
};

export interface WorkloadRun {
  /** One call: run the workload and read its outputs back (a promise where reads are asynchronous). */
  run: () => Outputs | Promise<Outputs>;
  /** Frees what setup allocated (for libraries with manual memory management). */
  dispose?: () => void;
}

/** A workload's setup, or a reason the library cannot run it (reported as "—"). */
export type Impl = (() => WorkloadRun) | { unsupported: string };

export interface WorkloadResult {
  id: WorkloadId;
  status: "ok" | "wrong" | "unsupported" | "error" | "skipped";
  medianMs?: number;
  minMs?: number;
  firstMs?: number;
  n?: number;
  detail?: string;
}

export interface LibraryResult {
  library: string;
  available: boolean;
  version?: string;
  backend?: string;
  threads?: string;
  reason?: string;
  /** WebGPU children: the adapter's name and whether it is a fallback (software) adapter. */
  adapter?: { name: string; fallback: boolean };
  totalMs?: number;
  results: WorkloadResult[];
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;
const message = (e: unknown): string => (e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** One timed call; a synchronous run is timed without an await in between. */
async function timedCall(run: WorkloadRun["run"]): Promise<{ out: Outputs; ms: number }> {
  const t0 = now();
  const got = run();
  const out = got instanceof Promise ? await got : got;
  return { out, ms: now() - t0 };
}

async function measure(id: WorkloadId, impl: Impl, plan: TimingPlan): Promise<WorkloadResult> {
  if (!(impl instanceof Function)) return { id, status: "unsupported", detail: impl.unsupported };
  const check = makeCheck(id);
  let w: WorkloadRun | undefined;
  try {
    w = impl();
    const first = await timedCall(w.run);
    const firstMs = first.ms;
    const why = check(first.out);
    if (why) return { id, status: "wrong", firstMs, detail: why };
    let warm = firstMs;
    for (let i = 0; i < plan.warmup; i++) warm = (await timedCall(w.run)).ms;
    const n = Math.max(plan.minN, Math.min(plan.maxN, Math.floor(plan.budgetMs / Math.max(warm, 1e-3))));
    const times: number[] = [];
    let last: Outputs = first.out;
    for (let i = 0; i < n; i++) {
      const call = await timedCall(w.run);
      last = call.out;
      times.push(call.ms);
    }
    const whyLast = check(last);
    if (whyLast) return { id, status: "wrong", firstMs, detail: `after ${n} calls: ${whyLast}` };
    return { id, status: "ok", medianMs: median(times), minMs: Math.min(...times), firstMs, n };
  } catch (e) {
    return { id, status: "error", detail: message(e) };
  } finally {
    try {
      w?.dispose?.();
    } catch {
      // disposal failures do not change the measurement
    }
  }
}

/** Runs every workload in `impls` (in WORKLOADS order) and prints the library's result line. */
export async function report(
  meta: Omit<LibraryResult, "results" | "available">,
  impls: Record<WorkloadId, Impl>,
  plan: TimingPlan = CPU_TIMING,
): Promise<void> {
  const t0 = now();
  const results: WorkloadResult[] = [];
  for (const { id } of WORKLOADS) {
    const r: WorkloadResult =
      plan.capMs !== undefined && now() - t0 > plan.capMs
        ? { id, status: "skipped", detail: `the child's time cap (${plan.capMs / 1000} s) ran out` }
        : await measure(id, impls[id], plan);
    process.stderr.write(
      `  [${meta.library}] ${id} ${r.status}${r.medianMs !== undefined ? ` ${r.medianMs.toFixed(2)} ms (N=${r.n})` : ""}${r.detail ? ` — ${r.detail}` : ""}\n`,
    );
    results.push(r);
  }
  const out: LibraryResult = { ...meta, available: true, totalMs: now() - t0, results };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(out)}\n`);
}

/** Prints the result line of a library that could not be loaded. */
export function unavailable(library: string, e: unknown): void {
  const out: LibraryResult = { library, available: false, reason: message(e), results: [] };
  process.stdout.write(`${RESULT_PREFIX}${JSON.stringify(out)}\n`);
}

/** The installed version of a benchmark peer under bench/node_modules ("?" when unreadable). */
export function peerVersion(name: string): string {
  try {
    const url = new URL(`../node_modules/${name}/package.json`, import.meta.url);
    return (JSON.parse(readFileSync(url, "utf8")) as { version: string }).version;
  } catch {
    return "?";
  }
}
