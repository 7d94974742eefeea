/**
 * The timing harness every peer child process (graft.ts, jaxjs.ts, tfjs.ts) runs its workloads
 * through, so all libraries are measured the same way:
 *
 * 1. `setup()` builds the inputs and the (possibly jitted) function, untimed;
 * 2. the first call is timed on its own ("first call": trace + compile + run for jitted
 *    workloads) and its outputs are checked against the float64 reference (data.ts); a result that
 *    fails is reported as "wrong" and not timed further;
 * 3. two untimed warm-up calls, then N timed calls, N chosen from the warm time so that a workload
 *    takes about BUDGET_MS (between MIN_N and MAX_N calls); the median is reported.
 *
 * Every call reads its outputs back into JS typed arrays (`dataSync` or equivalent), so lazy
 * libraries are timed to completion. The child prints one JSON line, prefixed RESULT_PREFIX, on
 * stdout; progress goes to stderr.
 */
import { readFileSync } from "node:fs";
import { makeCheck, type Outputs, WORKLOADS, type WorkloadId } from "./data.js";

export const RESULT_PREFIX = "@@peer-result ";
const BUDGET_MS = Number(process.env.BENCH_PEERS_BUDGET_MS ?? 10_000);
const MIN_N = 5;
const MAX_N = 30;
const WARMUP = 2;

export interface WorkloadRun {
  /** One call: run the workload and read its outputs back. */
  run: () => Outputs;
  /** Frees what setup allocated (for libraries with manual memory management). */
  dispose?: () => void;
}

/** A workload's setup, or a reason the library cannot run it (reported as "—"). */
export type Impl = (() => WorkloadRun) | { unsupported: string };

export interface WorkloadResult {
  id: WorkloadId;
  status: "ok" | "wrong" | "unsupported" | "error";
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

function measure(id: WorkloadId, impl: Impl): WorkloadResult {
  if (!(impl instanceof Function)) return { id, status: "unsupported", detail: impl.unsupported };
  const check = makeCheck(id);
  let w: WorkloadRun | undefined;
  try {
    w = impl();
    let t0 = now();
    const first = w.run();
    const firstMs = now() - t0;
    const why = check(first);
    if (why) return { id, status: "wrong", firstMs, detail: why };
    let warm = firstMs;
    for (let i = 0; i < WARMUP; i++) {
      t0 = now();
      w.run();
      warm = now() - t0;
    }
    const n = Math.max(MIN_N, Math.min(MAX_N, Math.floor(BUDGET_MS / Math.max(warm, 1e-3))));
    const times: number[] = [];
    let last: Outputs = first;
    for (let i = 0; i < n; i++) {
      t0 = now();
      last = w.run();
      times.push(now() - t0);
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

/** Runs every workload in `impls` (in W1..W6 order) and prints the library's result line. */
export function report(meta: Omit<LibraryResult, "results" | "available">, impls: Record<WorkloadId, Impl>): void {
  const t0 = now();
  const results: WorkloadResult[] = [];
  for (const { id } of WORKLOADS) {
    const r = measure(id, impls[id]);
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
